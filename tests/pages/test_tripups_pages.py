"""Trip-ups of issue 15 seen through AppTest on every page: no None in a table, our own
Chinese placeholders and search box where Streamlit's English would show, the remaining
English texts listed in the docs."""
from __future__ import annotations

import logging

import pandas as pd
import pytest

from dashboard import pickers
from tests.conftest import ROOT
from tests.pages.test_app import app, visit

logging.getLogger("streamlit").setLevel(logging.ERROR)

PAGES = ("overview", "employment", "training", "competition", "party_building", "compare", "profile", "data", "validate")


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("page", PAGES)
def test_no_none_in_any_table_and_chinese_placeholders(curated_db, monkeypatch, page):
    at = visit(app(curated_db, monkeypatch, cmp=["dalian_vtc", "jiaxing_vtc"], id="hubei_ou"), page)
    assert not at.exception, [e.value for e in at.exception]
    for frame in at.dataframe:
        table = frame.value
        for column in table.columns:
            values = table[column]
            if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
                assert not values.isna().any(), (page, column)
                assert not values.astype(str).isin(["None", "nan", "<NA>"]).any(), (page, column)
    for widget in list(at.multiselect) + list(at.sidebar.multiselect):
        assert _cjk(widget.proto.placeholder), (page, widget.key, widget.proto.placeholder)


def test_picker_of_many_institutions_is_a_search_box(synth_db, monkeypatch):
    """Past SEARCH_ABOVE institutions the sidebar picker lists what is chosen and at most
    MATCHES names, found by our own (Chinese) search box, not everyone."""
    monkeypatch.setattr(pickers, "SEARCH_ABOVE", 20)
    monkeypatch.setattr(pickers, "MATCHES", 5)
    at = visit(app(synth_db, monkeypatch, inst="syn00060"), "overview")
    assert not at.exception
    picker = at.sidebar.multiselect(key="f_institutions")
    assert picker.value == ["syn00060"]
    assert len(picker.options) == 1 + 5
    search = at.sidebar.text_input(key="f_institutions_search")
    assert search.label == "查找院校"
    search.input("00042").run()
    options = at.sidebar.multiselect(key="f_institutions").options
    assert len(options) == 2 and any("00042" in option for option in options)
    assert at.sidebar.multiselect(key="f_institutions").value == ["syn00060"]  # the choice is kept


def test_streamlit_texts_that_stay_english_are_listed():
    listed = (ROOT / "docs" / "interface-language.md").read_text(encoding="utf-8")
    for text in ("Sort ascending", "Select all", "No results", "Press Enter to apply", "Browse files", "Download plot as a png"):
        assert text in listed, text
