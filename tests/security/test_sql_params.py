"""Behaviour to back the static SQL rule: every query the pages run, recorded while hostile
values arrive through the URL and through an uploaded file. The values never appear in
any SQL text; the uploaded ones reach the database only among the bound parameters."""
from __future__ import annotations

import logging

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import queries
from tests.conftest import ROOT

logging.getLogger("streamlit").setLevel(logging.ERROR)

PAGES = ("overview", "employment", "training", "competition", "party_building", "compare", "profile", "data", "validate")
MARKER = "zz_hostile"
HOSTILE = (
    f"{MARKER}' OR '1'='1",
    f"{MARKER}'); DROP TABLE observations; --",
    f"{MARKER}\" UNION SELECT * FROM institutions --",
)
HEADER = "institution_id,indicator_id,period,period_end,period_type,value,qualifier,kind,basis,source_id,evidence,notes\n"


@pytest.fixture
def recorded(monkeypatch):
    """Every (sql, params) the data layer runs; caches emptied so every query really runs."""
    calls = []
    real = queries.query

    def recording(ref, sql, params=None):
        calls.append((sql, params or []))
        return real(ref, sql, params)

    st.cache_data.clear()
    monkeypatch.setattr(queries, "query", recording)
    yield calls
    st.cache_data.clear()


def _flatten(values) -> list:
    out = []
    for value in values:
        out += _flatten(value) if isinstance(value, (list, tuple)) else [value]
    return out


def test_hostile_values_never_reach_sql_text(curated_db, monkeypatch, recorded):
    monkeypatch.setenv("VOCDASH_DB", str(curated_db))
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for name in ("type", "prov", "inst", "kind", "cmp", "id", "from", "to", "lang"):
            at.query_params[name] = list(HOSTILE)
        at.run()
        if page != "overview":
            at.switch_page(f"pages/{page}.py").run()
        if page == "validate":
            rows = "".join(
                f"{value.replace(chr(34), '')},oth_graduates,2022,,calendar_year,1,exact,actual,flow,dalian_2021_summary,x,\n"
                for value in HOSTILE
            )
            upload = (HEADER + rows).encode("utf-8")
            at.file_uploader(key="validate_file").set_value(("observations.csv", upload, "text/csv")).run()
            assert at.error, "the hostile ids are refused as unknown institutions"
        assert not at.exception, [e.value for e in at.exception]

    assert len(recorded) > 20
    assert not [sql for sql, _ in recorded if MARKER in sql]
    parameters = [value for _, params in recorded for value in _flatten(params)]
    uploaded = [value for value in parameters if isinstance(value, str) and MARKER in value]
    assert uploaded, "the uploaded ids reached the key lookup as parameters"
    assert {value.replace('"', "") for value in HOSTILE} >= set(uploaded)
