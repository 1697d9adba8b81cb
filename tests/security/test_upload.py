"""The Validate page caps an upload's size and rows, refuses over-cap files with its own
message before the expensive work, and reads everything in memory: nothing is written."""
from __future__ import annotations

import functools
import io
import logging
import re
import time
import tomllib
import zipfile

import pytest
import xlsxwriter
from streamlit.testing.v1 import AppTest

from dashboard import uploads
from dashboard.i18n import t
from etl import xlsx
from tests.conftest import ROOT
from tests.security.test_read_only import _own_bytecode, tree_state, writes_recorded

logging.getLogger("streamlit").setLevel(logging.ERROR)

HEADER = "institution_id,indicator_id,period,period_end,period_type,value,qualifier,kind,basis,source_id,evidence,notes"
ROW = "dalian_vtc,oth_graduates,{year},,calendar_year,3500,exact,actual,flow,dalian_2021_summary,毕业生3500人,"


@functools.lru_cache(maxsize=4)
def csv_with_rows(count: int) -> bytes:
    body = "\n".join(ROW.format(year=1949 + number % 150) for number in range(count))
    return (HEADER + "\n" + body + "\n").encode("utf-8")


@functools.lru_cache(maxsize=4)
def xlsx_with_rows(count: int) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER.split(","))
    for number in range(count):
        sheet.write_row(number + 1, 0, ROW.format(year=2020).split(","))
    book.close()
    return buffer.getvalue()


# --- the reader ------------------------------------------------------------------------------

def test_a_file_over_the_size_cap_is_refused_unread():
    raw = b"x" * (uploads.MAX_MB * 1024 * 1024 + 1)
    assert uploads.read_upload(raw, "observations.csv").refusal == ("validate_too_big", {"mb": uploads.MAX_MB})
    assert uploads.read_upload(raw, "observations.xlsx").refusal[0] == "validate_too_big"


def test_rows_up_to_the_cap_pass_one_more_is_refused():
    ok = uploads.read_upload(csv_with_rows(uploads.MAX_ROWS), "observations.csv")
    assert ok.refusal is None and len(ok.frame) == uploads.MAX_ROWS
    over = uploads.read_upload(csv_with_rows(uploads.MAX_ROWS + 1), "observations.csv")
    assert over.refusal == ("validate_too_many", {"rows": "50,000"}) and over.frame is None


def test_a_csv_of_millions_of_lines_is_refused_before_parsing():
    raw = (HEADER + "\n").encode() + b"a\n" * (uploads.MAX_MB * 1024 * 1024 // 2 - 100)
    started = time.monotonic()
    assert uploads.read_upload(raw, "observations.csv").refusal[0] == "validate_too_many"
    assert time.monotonic() - started < 3  # parsing it would take some 20 s


def test_an_xlsx_over_the_row_cap_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ROWS", 100)  # the real cap is tested through the page
    over = uploads.read_upload(xlsx_with_rows(101), "observations.xlsx")
    assert over.refusal == ("validate_too_many", {"rows": "100"})
    ok = uploads.read_upload(xlsx_with_rows(100), "observations.xlsx")
    assert ok.refusal is None and len(ok.frame) == 100


def test_an_xlsx_that_unpacks_too_large_is_refused_unopened(monkeypatch):
    raw = xlsx_with_rows(200)
    assert xlsx.unpacked_size(raw) > 10_000
    monkeypatch.setattr(xlsx, "MAX_UNPACKED_BYTES", 10_000)
    assert uploads.read_upload(raw, "observations.xlsx").refusal[0] == "validate_too_big"


def test_an_xlsx_claiming_huge_dimensions_is_read_as_it_really_is():
    """A sheet that declares A1:XFD1048576 must not be padded to 16,384 cells a row."""
    raw = xlsx_with_rows(2_000)
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
                assert count == 1
            target.writestr(entry, data)
    started = time.monotonic()
    read = uploads.read_upload(out.getvalue(), "observations.xlsx")
    assert read.refusal is None and len(read.frame) == 2_000 and read.problems == []
    assert time.monotonic() - started < 10


def test_the_server_cap_sits_just_above_the_page_cap():
    """Above the page's cap, so a file just over it gets the page's message; close to it,
    so the server never holds much more in memory."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert uploads.MAX_MB < config["server"]["maxUploadSize"] <= 2 * uploads.MAX_MB


# --- the page ----------------------------------------------------------------------------------

def upload_through_the_page(db, monkeypatch, name: str, raw: bytes, lang: str = "zh") -> AppTest:
    monkeypatch.setenv("VOCDASH_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run().switch_page("pages/validate.py").run()
    mime = "text/csv" if name.endswith(".csv") else "application/octet-stream"
    return at.file_uploader(key="validate_file").set_value((name, raw, mime)).run()


OVER_CAP = {
    "size": ("big.csv", lambda: b"x" * (uploads.MAX_MB * 1024 * 1024 + 1), "validate_too_big", {"mb": uploads.MAX_MB}),
    "csv-rows": ("many.csv", lambda: csv_with_rows(uploads.MAX_ROWS + 1), "validate_too_many", {"rows": "50,000"}),
    "xlsx-rows": ("many.xlsx", lambda: xlsx_with_rows(uploads.MAX_ROWS + 1), "validate_too_many", {"rows": "50,000"}),
}


@pytest.mark.parametrize(("case", "lang"), [("size", "zh"), ("size", "en"), ("csv-rows", "zh"), ("csv-rows", "en"), ("xlsx-rows", "zh")])
def test_the_page_refuses_with_its_message_and_writes_nothing(curated_db, monkeypatch, tmp_path, case, lang):
    name, make, key, values = OVER_CAP[case]
    raw = make()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    repo_before, warehouse_before = tree_state(ROOT), tree_state(curated_db.parent)
    with writes_recorded() as events:
        at = upload_through_the_page(curated_db, monkeypatch, name, raw, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t(key, lang, **values)]
    assert not at.dataframe and not at.success  # nothing read, nothing previewed
    assert [path for _, path in events if not _own_bytecode(path)] == []
    assert tree_state(ROOT) == repo_before and tree_state(curated_db.parent) == warehouse_before
    assert list(scratch.iterdir()) == []
