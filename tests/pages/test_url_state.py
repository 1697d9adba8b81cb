"""Every control that changes what a page shows is kept in the URL and read back (issue 15,
section 3): set it, read the URL the app wrote, open that URL in a new session, and the
control and what it shows come back."""
from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

logging.getLogger("streamlit").setLevel(logging.ERROR)


def app(db_path, monkeypatch, params: dict | None = None) -> AppTest:
    monkeypatch.setenv("VOCDASH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at


def visit(at: AppTest, page: str) -> AppTest:
    at.run()
    return at if page == "overview" else at.switch_page(f"pages/{page}.py").run()


def url_of(at: AppTest) -> dict:
    return {key: at.query_params[key] for key in at.query_params}


def reopen(db_path, monkeypatch, at: AppTest, page: str) -> AppTest:
    """A new session on the URL the first one wrote."""
    fresh = visit(app(db_path, monkeypatch, url_of(at)), page)
    assert not fresh.exception, [e.value for e in fresh.exception]
    return fresh


def test_data_page_theme_indicator_search_sort_and_page(curated_db, monkeypatch):
    at = visit(app(curated_db, monkeypatch), "data")
    at.multiselect(key="data_themes").select("party_building").run()
    at.text_input(key="data_search").input("天津").run()
    at.selectbox(key="data_sort").select("value").run()
    at.toggle(key="data_descending").set_value(True).run()
    assert not at.exception
    url = url_of(at)
    assert url["dtheme"] == "party_building" and url["q"] == "天津" and url["sort"] == "value" and url["desc"] == "1"
    first = at.dataframe[0].value
    fresh = reopen(curated_db, monkeypatch, at, "data")
    assert fresh.multiselect(key="data_themes").value == ["party_building"]
    assert fresh.text_input(key="data_search").value == "天津"
    assert fresh.selectbox(key="data_sort").value == "value" and fresh.toggle(key="data_descending").value is True
    assert fresh.dataframe[0].value.equals(first)


def test_data_page_indicator_pick(curated_db, monkeypatch):
    at = visit(app(curated_db, monkeypatch), "data")
    at.multiselect(key="data_indicators").select("pb_central_group_sessions").run()
    assert at.query_params["dind"] == "pb_central_group_sessions"
    fresh = reopen(curated_db, monkeypatch, at, "data")
    assert fresh.multiselect(key="data_indicators").value == ["pb_central_group_sessions"]
    assert set(fresh.dataframe[0].value["indicator_id"]) == {"pb_central_group_sessions"}


def test_data_page_sorts_every_matching_row_in_sql_and_pages(synth_db, monkeypatch):
    """Sorted by value, largest first: the first row is the largest of all matching rows,
    not of the first page; the count is said; page 2 follows page 1."""
    import duckdb

    from dashboard import ui

    at = visit(app(synth_db, monkeypatch, {"sort": "value", "desc": "1"}), "data")
    assert not at.exception
    con = duckdb.connect(str(synth_db), read_only=True)
    top, total = con.execute("SELECT max(value), count(*) FROM observations").fetchone()
    con.close()
    assert total > ui.PAGE_ROWS  # more rows than one page: the largest is not on screen by chance
    table = at.dataframe[0].value
    assert table["数值"].iloc[0] == top
    assert list(table["数值"]) == sorted(table["数值"], reverse=True)
    assert any(f"共 {total:,} 行符合条件" in c.value for c in at.caption)
    at.number_input(key="data_page").set_value(2).run()
    assert at.query_params["page"] == "2"
    second = at.dataframe[0].value
    assert second["数值"].iloc[0] <= table["数值"].iloc[-1]
    fresh = reopen(synth_db, monkeypatch, at, "data")
    assert fresh.number_input(key="data_page").value == 2
    assert fresh.dataframe[0].value.equals(second)


@pytest.mark.parametrize("page", ["employment", "training", "party_building"])
def test_theme_page_indicator_pick(curated_db, monkeypatch, page):
    at = visit(app(curated_db, monkeypatch), page)
    key = f"pick_{page}"
    box = at.selectbox(key=key)
    if len(box.options) < 2:
        pytest.skip("one indicator only")  # the curated data: nothing to switch between
    other = box.options[-1]
    box.select_index(len(box.options) - 1).run()
    assert not at.exception
    fresh = reopen(curated_db, monkeypatch, at, page)
    assert fresh.selectbox(key=key).value == at.selectbox(key=key).value
    assert at.query_params["ind"]
    del other


def test_competition_unit_preset_and_weights(curated_db, monkeypatch):
    at = visit(app(curated_db, monkeypatch), "competition")
    at.segmented_control(key="award_unit").set_value("person_times").run()
    at.selectbox(key="weight_preset").select("equal").run()
    at.number_input(key="w_level_national").set_value(7.5).run()
    assert not at.exception
    url = url_of(at)
    assert url["unit"] == "person_times" and url["preset"] == "equal" and "level.national:7.5" in str(url["w"])
    fresh = reopen(curated_db, monkeypatch, at, "competition")
    assert fresh.segmented_control(key="award_unit").value == "person_times"
    assert fresh.selectbox(key="weight_preset").value == "equal"
    assert fresh.number_input(key="w_level_national").value == 7.5
    assert fresh.number_input(key="w_level_provincial").value == 1.0  # the preset's, not changed


def test_overview_completeness_theme(curated_db, monkeypatch):
    at = visit(app(curated_db, monkeypatch), "overview")
    at.segmented_control(key="completeness_theme").set_value("party_building").run()
    assert at.query_params["ctheme"] == "party_building"
    fresh = reopen(curated_db, monkeypatch, at, "overview")
    assert fresh.segmented_control(key="completeness_theme").value == "party_building"


def test_chosen_period(curated_db, monkeypatch):
    at = visit(app(curated_db, monkeypatch), "data")
    at.sidebar.select_slider(key="f_period").set_range(2020, 2021).run()
    assert at.query_params["from"] == "2020" and at.query_params["to"] == "2021"
    fresh = reopen(curated_db, monkeypatch, at, "data")
    assert tuple(fresh.sidebar.select_slider(key="f_period").value) == (2020, 2021)


def test_compare_pair_and_period(curated_db, monkeypatch):
    at = visit(app(curated_db, monkeypatch, {"cmp": ["dalian_vtc", "tianjin_livtc"]}), "compare")
    at.selectbox(key="compare_period").select("2021").run()
    fresh = reopen(curated_db, monkeypatch, at, "compare")
    assert fresh.multiselect(key="compare").value == ["dalian_vtc", "tianjin_livtc"]
    assert fresh.selectbox(key="compare_period").value == "2021"


def test_national_theme_page_marks_peers_and_n(synth_db, monkeypatch):
    at = visit(app(synth_db, monkeypatch, {"mark": "syn00001", "peer": "province", "n": "5"}), "employment")
    assert not at.exception, [e.value for e in at.exception]
    assert at.segmented_control(key="peer").value == "province"
    assert at.number_input(key="top_n").value == 5
    url = url_of(at)
    assert url["peer"] == "province" and url["n"] == "5"
    fresh = reopen(synth_db, monkeypatch, at, "employment")
    assert fresh.segmented_control(key="peer").value == "province"
