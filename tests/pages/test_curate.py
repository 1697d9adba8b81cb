"""The Curate page through AppTest, in both languages: a report from the shared folder,
a new source, candidates accepted, checked with the ETL's checks, ready to download; the
curator's decisions survive a language switch."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

logging.getLogger("streamlit").setLevel(logging.ERROR)
FIXTURES = ROOT / "tests" / "etl" / "extract" / "fixtures"


def curate(db: Path, monkeypatch, lang: str) -> AppTest:
    monkeypatch.setenv("VOCDASH_DB", str(db))
    monkeypatch.setenv("VOCDASH_SOURCES", str(FIXTURES))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    return at.switch_page("pages/curate.py").run()


def fill(at: AppTest) -> AppTest:
    at.radio(key="curate_mode").set_value("shared").run()
    at.selectbox(key="curate_shared").set_value("report.txt").run()
    at.selectbox(key="curate_institution").set_value("dalian_vtc").run()
    at.text_input(key="curate_source_id").set_value("dalian_2022_demo").run()
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_check_and_download(curated_db, monkeypatch, lang):
    at = fill(curate(curated_db, monkeypatch, lang))
    assert not at.exception, [e.value for e in at.exception]
    found = at.success[0].value
    assert ("找到" in found) if lang == "zh" else found.startswith("Found")
    assert at.text_input(key="curate_new_title").value == "report"  # a new source: its form is shown
    at.text_input(key="curate_new_label").set_value("2022年度").run()
    at.button(key="curate_all_observations").click().run()
    at.button(key="curate_all_awards").click().run()
    at.button(key="curate_check").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error] + [d.value.to_string() for d in at.dataframe]
    assert ("检查通过" in at.success[-1].value) if lang == "zh" else at.success[-1].value.startswith("The rows pass")
    state = at.session_state
    accepted = state["curate_observations"]
    assert accepted["accept"].sum() >= 5 and state["curate_awards"]["accept"].sum() == 3
    checked = state["curate_checked"]
    assert checked.ok and list(checked.rows["sources"]["source_id"]) == ["dalian_2022_demo"]
    assert set(checked.rows["observations"]["source_id"]) == {"dalian_2022_demo"}


def test_decisions_survive_a_language_switch(curated_db, monkeypatch):
    at = fill(curate(curated_db, monkeypatch, "zh"))
    at.button(key="curate_all_observations").click().run()
    before = at.session_state["curate_observations"]["accept"].tolist()
    at.sidebar.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Curate"
    assert at.session_state["curate_observations"]["accept"].tolist() == before
    assert any(before)


def test_problems_are_shown_row_by_row(curated_db, monkeypatch):
    at = fill(curate(curated_db, monkeypatch, "zh"))
    at.text_input(key="curate_source_id").set_value("dalian_2021_summary").run()  # a source already loaded
    frame = at.session_state["curate_observations"].copy()
    frame["accept"] = True  # every candidate
    frame.loc[frame.index[0], "indicator_id"] = ""  # one accepted without an indicator: a problem on its row
    at.session_state["curate_observations"] = frame
    at.button(key="curate_check").click().run()
    assert not at.exception
    assert "发现" in at.error[0].value
    problems = next(d.value for d in at.dataframe if "问题" in d.value.columns)
    assert {"文件", "行", "列", "问题"} <= set(problems.columns)
    assert (problems["文件"] == "observations.csv").any()


def test_unreadable_report_gets_a_message(curated_db, monkeypatch):
    at = curate(curated_db, monkeypatch, "en")
    at.radio(key="curate_mode").set_value("shared").run()
    at.selectbox(key="curate_shared").set_value("encrypted.pdf").run()
    at.selectbox(key="curate_institution").set_value("dalian_vtc").run()
    at.text_input(key="curate_source_id").set_value("dalian_2022_demo").run()
    assert not at.exception
    assert "password-protected" in at.error[0].value
