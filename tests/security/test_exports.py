"""Spreadsheet formula injection: text from the data that starts like a formula is written
so Excel and WPS show it as text, in CSV, XLSX and the PPTX deck. The hostile names go
through the real ETL into a temporary warehouse first."""
from __future__ import annotations

import csv
import io
import logging
import zipfile

import openpyxl
import pytest
from pptx import Presentation

from dashboard import exports, office, queries, transforms
from dashboard.filters import Filters
from etl.validate import validate_dir
from tests.security.conftest import (
    FORMULA_COMPETITION, FORMULA_EVIDENCE, FORMULA_NAME, FORMULA_NAME_EN, FORMULA_TITLE, FORMULA_TITLE_EN, XSS_NAME,
)

logging.getLogger("streamlit").setLevel(logging.ERROR)

HOSTILE_IDS = ("formula_college", "xss_college")


@pytest.fixture(scope="module")
def data(hostile_ref):
    everything = Filters()
    return {
        "obs": queries.observations(hostile_ref, everything),
        "awards": queries.awards(hostile_ref, everything),
        "scope": queries.institutions_in_scope(hostile_ref, everything),
        "indicators": queries.indicators(hostile_ref),
        "sources": queries.sources(hostile_ref, everything),
    }


def _starts_like_a_formula(text: str) -> bool:
    return text.startswith(exports.FORMULA_TRIGGERS)


def test_the_etl_accepts_formula_and_markup_text_as_text(hostile_data_dir, data):
    """Such names are legitimate text (a name may well contain '=' or '<'), so the ETL
    loads them verbatim; making them safe is the job of whatever shows or exports them."""
    dataset = validate_dir(hostile_data_dir)
    names = dict(zip(dataset.frames["institutions"]["institution_id"], dataset.frames["institutions"]["name_zh"]))
    assert names["formula_college"] == FORMULA_NAME and names["xss_college"] == XSS_NAME
    loaded = dict(zip(data["scope"]["institution_id"], data["scope"]["name_zh"]))
    assert loaded["formula_college"] == FORMULA_NAME and loaded["xss_college"] == XSS_NAME
    titles = set(data["sources"]["title"])
    assert FORMULA_TITLE in titles


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_export_writes_formula_text_as_text(data, lang):
    table = transforms.tidy_table(data["obs"], lang)
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(table).decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if _starts_like_a_formula(cell)]
    name = FORMULA_NAME if lang == "zh" else FORMULA_NAME_EN
    assert "'" + name in cells  # kept, with the quote that makes it text
    # The evidence holds its figure after the hostile text ("=1+1 摘录：9"): kept whole, quoted.
    assert any(cell.startswith("'" + FORMULA_EVIDENCE) for cell in cells)
    title = FORMULA_TITLE if lang == "zh" else FORMULA_TITLE_EN
    assert any(cell.startswith("'" + title[:5]) for cell in cells)


def _workbook(data, lang):
    table = transforms.tidy_table(data["obs"], lang)
    raw = office.xlsx_bytes(table, data["indicators"], data["sources"], lang, FORMULA_NAME)
    return raw, openpyxl.load_workbook(io.BytesIO(raw))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_export_writes_formula_text_as_strings(data, lang):
    raw, book = _workbook(data, lang)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    assert not [cell.value for cell in texts if _starts_like_a_formula(cell.value)]
    name = FORMULA_NAME if lang == "zh" else FORMULA_NAME_EN
    hits = [cell for cell in texts if cell.value == "'" + name]
    assert hits and all(cell.data_type == "s" for cell in hits)
    title = FORMULA_TITLE if lang == "zh" else FORMULA_TITLE_EN
    assert any(cell.value.startswith("'" + title[:5]) and cell.data_type == "s" for cell in texts)
    # No formula element anywhere in the package, whatever openpyxl makes of it.
    with zipfile.ZipFile(io.BytesIO(raw)) as package:
        sheets = [name for name in package.namelist() if name.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in package.read(name) or b"<f " in package.read(name) for name in sheets)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pptx_deck_with_hostile_names_builds_and_keeps_them_as_text(data, lang):
    """A deck has no formulas, but the names land in its text and chart labels: it must
    build, and show them as they are."""
    chosen = ["formula_college", "xss_college", "dalian_vtc"]
    raw = office.pptx_bytes(data["obs"], chosen, data["scope"], lang, FORMULA_NAME, "@2021")
    deck = Presentation(io.BytesIO(raw))
    assert len(deck.slides) >= 2
    text = "\n".join(
        shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
    )
    names = data["scope"].set_index("institution_id")["name_en" if lang == "en" else "name_zh"]
    assert names["formula_college"] in text and names["xss_college"] in text
    # One chart per indicator, a bar per college: the name is a chart category, as typed.
    categories = {str(c) for slide in deck.slides for shape in slide.shapes if shape.has_chart
                  for c in shape.chart.plots[0].categories}
    assert names["xss_college"] in categories


def test_award_rows_export_as_text(data):
    """The competition page's rows (competition names are free text) go out neutralised."""
    text = exports.csv_bytes(data["awards"]).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert "'" + FORMULA_COMPETITION in cells
    assert not [cell for cell in cells if _starts_like_a_formula(cell)]
