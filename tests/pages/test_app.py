"""Every page through Streamlit's AppTest: both languages, filters, compare, missing data."""
from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

logging.getLogger("streamlit").setLevel(logging.ERROR)

PAGES = ("overview", "employment", "training", "competition", "party_building", "compare", "profile", "data", "validate", "curate")


def app(db_path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("VOCDASH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def visit(at: AppTest, page: str) -> AppTest:
    if page == "overview":
        return at.run()
    at.run()
    return at.switch_page(f"pages/{page}.py").run()


def texts(at: AppTest) -> str:
    parts = [element.value for kind in ("markdown", "caption", "info", "warning", "error", "title", "header", "subheader") for element in getattr(at, kind)]
    return "\n".join(str(part) for part in parts)


def dataframe_text(at: AppTest) -> str:
    return "\n".join(frame.value.to_csv() for frame in at.dataframe)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_languages(curated_db, monkeypatch, page, lang):
    at = visit(app(curated_db, monkeypatch, lang=lang), page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    title = at.title[0].value
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title)
    else:
        assert title.isascii()


def test_language_switch_relabels_the_page(curated_db, monkeypatch):
    at = app(curated_db, monkeypatch).run()
    assert at.title[0].value == "总览"
    at.sidebar.segmented_control(key="lang").set_value("en").run()
    assert at.title[0].value == "Overview"
    assert not at.exception


def test_changing_a_filter_changes_the_page(curated_db, monkeypatch):
    at = app(curated_db, monkeypatch).run()
    assert at.metric[0].value == "5"
    at.sidebar.multiselect(key="f_type").select("technician_college").run()
    assert at.metric[0].value == "1"
    assert "宁波第二技师学院" in dataframe_text(at)
    assert "大连职业技术学院" not in dataframe_text(at)


def test_filters_come_from_the_url_and_bad_values_are_dropped(curated_db, monkeypatch):
    at = app(curated_db, monkeypatch, prov=["浙江", "<script>"], kind="actual", inst="x' OR 1=1").run()
    assert not at.exception
    assert at.sidebar.multiselect(key="f_province").value == ["浙江"]
    assert at.sidebar.multiselect(key="f_institutions").value == []
    assert at.metric[0].value == "2"


def test_period_filter_narrows_the_data_page(curated_db, monkeypatch):
    at = visit(app(curated_db, monkeypatch, **{"from": "2019", "to": "2019"}), "data")
    assert "共 1 行" in texts(at)


def test_compare_with_two_institutions(curated_db, monkeypatch):
    at = visit(app(curated_db, monkeypatch, cmp=["dalian_vtc", "tianjin_livtc"]), "compare")
    assert not at.exception
    # Dalian's figures are of 2021, Tianjin's of 2020: nothing is compared like for like,
    # and the page lists what it left out, with each figure's year and why.
    assert any("没有同期、同口径的共同指标" in info.value for info in at.info)
    apart = at.dataframe[0].value.set_index("指标")  # the compare table gave way to a note
    row = apart.loc["党委理论学习中心组学习次数"]
    assert row["原因"] == "时期不同"
    assert "大连职业技术学院 10次（2021年）" in row["各校数字"] and "天津轻工职业技术学院 14次（2020年）" in row["各校数字"]


def test_compare_with_six_institutions(seven_college_db, monkeypatch):
    six = ["dalian_vtc", "tianjin_livtc", "jiaxing_vtc", "ningbo_tc2", "test_college_1", "test_college_2"]
    at = visit(app(seven_college_db, monkeypatch, cmp=six), "compare")
    assert not at.exception
    assert at.multiselect(key="compare").value == six
    table = at.dataframe[0].value
    assert len([c for c in table.columns if c not in ("主题", "指标", "单位", "比较口径（时期）")]) == 6
    row = table[table["指标"] == "社会培训人次"].iloc[0]
    assert row["宁波第二技师学院"] == "未报告"
    assert row["测试学院2"].startswith("2,000人次")


def test_compare_refuses_a_seventh(seven_college_db, monkeypatch):
    at = visit(app(seven_college_db, monkeypatch), "compare")
    widget = at.multiselect(key="compare")
    assert widget.proto.max_selections == 6


def test_compare_needs_two(curated_db, monkeypatch):
    at = visit(app(curated_db, monkeypatch, cmp="dalian_vtc"), "compare")
    assert "请至少选择 2 所院校" in texts(at)


def test_institution_without_figures_shows_not_reported(curated_db, monkeypatch):
    at = visit(app(curated_db, monkeypatch, id="hubei_ou"), "profile")
    assert not at.exception
    page = texts(at)
    assert "湖北开放大学" in page and "未报告" in page
    assert "均为“未报告”（不等于 0）" in page
    overview = app(curated_db, monkeypatch, inst="hubei_ou").run()
    assert [m.value for m in overview.metric][:3] == ["1", "1", "0"]
    headline = overview.dataframe[0].value.iloc[0]
    assert set(headline.drop("院校")) == {"未报告"}


def test_theme_page_without_figures_says_so(curated_db, monkeypatch):
    at = visit(app(curated_db, monkeypatch, inst="hubei_ou"), "employment")
    assert not at.exception
    assert "当前筛选条件下没有数据" in texts(at)
    assert "所选院校均未报告（不等于 0）：毕业去向落实率、初次就业率" in texts(at)


def test_missing_warehouse_gives_a_page_not_a_traceback(tmp_path, monkeypatch):
    at = app(tmp_path / "absent.duckdb", monkeypatch).run()
    assert not at.exception
    assert "找不到数据仓库" in at.error[0].value
    assert any("python -m etl build" in code.value for code in at.code)


def test_unreadable_warehouse_gives_a_page_not_a_traceback(tmp_path, monkeypatch):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"\x00garbage" * 1000)
    at = app(broken, monkeypatch, lang="en").run()
    assert not at.exception
    assert "cannot be read" in at.error[0].value


def test_award_weights_change_the_score(curated_db, monkeypatch):
    at = visit(app(curated_db, monkeypatch), "competition")
    assert not at.exception
    assert "得分 = Σ 数量 × 级别权重 × 等次权重" in texts(at)
    at.number_input(key="w_level_provincial").set_value(6.0).run()
    assert not at.exception


@pytest.mark.parametrize("page", PAGES)
def test_no_table_heading_is_a_raw_column_name(curated_db, monkeypatch, page):
    """A reader sees 指标编号, not indicator_id (the data page's glossary once showed it); only
    the data table's documented machine keys keep their warehouse names, after the rest."""
    import re

    from dashboard.transforms import MACHINE_COLUMNS

    at = visit(app(curated_db, monkeypatch, lang="zh"), page)
    raw = []
    for frame in at.dataframe:
        columns = [str(c) for c in frame.value.columns]
        if tuple(columns[-len(MACHINE_COLUMNS):]) == MACHINE_COLUMNS:
            columns = columns[:-len(MACHINE_COLUMNS)]
        raw += [c for c in columns if re.fullmatch(r"[a-z0-9_]+", c)]
    assert raw == []


@pytest.mark.parametrize("page", PAGES)
def test_no_alert_repeats_its_icon_in_its_text(curated_db, monkeypatch, page):
    """The profile's contradiction warning once read "⚠ ⚠ 原文前后矛盾" (icon, then the sign again)."""
    at = visit(app(curated_db, monkeypatch, lang="zh", id="tianjin_livtc"), page)
    doubled = [a.value for kind in ("warning", "info", "error", "success") for a in getattr(at, kind)
               if a.icon and str(a.value).lstrip().startswith(("⚠", "ℹ", "❌", "✅"))]
    assert doubled == []
