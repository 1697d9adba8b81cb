"""Pages at scale through AppTest: distributions past the threshold (a 60-institution
synthetic warehouse), today's bars with the five real colleges, in both languages."""
from __future__ import annotations

import logging

import pytest

from dashboard.i18n import t
from tests.pages.test_app import app, dataframe_text, texts, visit

logging.getLogger("streamlit").setLevel(logging.ERROR)

THEMES = ("employment", "training", "competition", "party_building")


def charts_drawn(at) -> int:
    return len(at.get("plotly_chart"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", THEMES)
def test_theme_pages_draw_distributions_past_the_threshold(synth_db, monkeypatch, page, lang):
    at = visit(app(synth_db, monkeypatch, lang=lang, mark=["syn00001", "syn00002"]), page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    body = texts(at)
    assert t("dist_mode", lang, n="60", limit=30) in body
    assert charts_drawn(at) > 0
    assert at.multiselect(key="mark").value == ["syn00001", "syn00002"]
    # The marked institutions' place among their peers, with the group's size.
    assert t("peer_n", lang) in dataframe_text(at)
    assert "P" in dataframe_text(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", THEMES)
def test_theme_pages_keep_bars_with_the_five_colleges(curated_db, monkeypatch, page, lang):
    at = visit(app(curated_db, monkeypatch, lang=lang), page)
    assert not at.exception, [e.value for e in at.exception]
    assert t("dist_mode", lang, n="5", limit=30) not in texts(at)
    assert not at.get("multiselect") or all(m.key != "mark" for m in at.multiselect)


def test_sidebar_institutions_are_the_marked_ones(synth_db, monkeypatch):
    at = visit(app(synth_db, monkeypatch, inst=["syn00003"]), "employment")
    assert not at.exception
    assert t("marked_from_sidebar", "zh") in texts(at)
    assert t("dist_mode", "zh", n="60", limit=30) in texts(at)  # distributions over the field, not the one picked


@pytest.mark.parametrize("peer", ["province", "type_province", "field", "custom"])
def test_every_peer_group(synth_db, monkeypatch, peer):
    at = visit(app(synth_db, monkeypatch, mark=["syn00001"]), "party_building")
    at.segmented_control(key="peer").set_value(peer).run()
    if peer == "custom":
        at.multiselect(key="peer_custom").set_value(["syn00004", "syn00005"]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.segmented_control(key="peer").value == peer
    assert t("peer_n", "zh") in dataframe_text(at)


def test_top_n_is_settable(synth_db, monkeypatch):
    at = visit(app(synth_db, monkeypatch, lang="en"), "employment")
    at.number_input(key="top_n").set_value(3).run()
    assert not at.exception
    tops = [frame.value for frame in at.dataframe if list(frame.value.columns[:2]) == ["Rank", "Institution"]]
    assert tops and all(len(frame) == 3 for frame in tops)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_folds_many_institutions_by_type(synth_db, monkeypatch, lang):
    at = visit(app(synth_db, monkeypatch, lang=lang), "overview")
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric[0].value == "60"
    assert t("grouped_note", lang, n="60") in texts(at)
    assert t("reporting", lang) in dataframe_text(at)


def test_data_page_shows_the_first_rows_and_says_how_many(synth_db, monkeypatch):
    at = visit(app(synth_db, monkeypatch, lang="en"), "data")
    assert not at.exception
    shown = at.dataframe[0].value
    assert len(shown) == 500
    assert "showing rows 1–500" in texts(at)
    at.text_input(key="data_search").set_value("syn00002").run()
    found = at.dataframe[0].value
    assert 0 < len(found) < 500 and set(found["institution_id"]) == {"syn00002"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_at_scale(synth_db, monkeypatch, lang):
    at = visit(app(synth_db, monkeypatch, lang=lang, cmp=["syn00001", "syn00002"]), "compare")
    assert not at.exception, [e.value for e in at.exception]
    assert at.dataframe[0].value.shape[1] == 6  # theme, indicator, unit, the period compared, two institutions


def test_presentation_mode_shows_distributions_one_per_screen(synth_db, monkeypatch):
    at = visit(app(synth_db, monkeypatch, present="1", mark=["syn00001"]), "employment")
    assert not at.exception, [e.value for e in at.exception]
    assert charts_drawn(at) == 1
    assert "1 / " in "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("page", ["employment", "competition", "overview"])
def test_targets_only_at_scale(synth_db, monkeypatch, page):
    at = visit(app(synth_db, monkeypatch, kind="target", mark=["syn00001"]), page)
    assert not at.exception, [e.value for e in at.exception]
    if page == "employment":
        assert t("dist_actuals_only", "zh") in texts(at)  # distributions are of actual figures only


def test_marks_follow_the_user_from_page_to_page(synth_db, monkeypatch):
    at = visit(app(synth_db, monkeypatch, lang="en"), "employment")
    at.multiselect(key="mark").set_value(["syn00005"]).run()
    at.switch_page("pages/training.py").run()
    assert not at.exception
    assert at.multiselect(key="mark").value == ["syn00005"]
