"""The deck and the workbook as LibreOffice renders them: every character inside its
page, no two characters drawn over one another (piled-up data labels, a caption over a
chart), type of a meeting room's size, and a workbook within its page budget. The decks
hold 3 curated colleges and 6 colleges of a small synthetic build; all files go through
one soffice run (tests/office_render.py), and their pages are kept as PNGs under
test-artifacts/renders/ to look at."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pptx import Presentation

from dashboard import db, office, queries, transforms
from dashboard.filters import Filters
from tests.office_render import RENDERS, SOFFICE, colliding_chars, need_office, outside, pages, to_pngs

CURATED_THREE = ["dalian_vtc", "tianjin_livtc", "jiaxing_vtc"]
SIX = 6
# The budget for the workbook of the curated data (long evidence wrapping in its rows) on A4
# landscape fitted to the width: at most one page per 5 data rows, plus 4 for the indicator
# and source sheets and a one-page portrait 说明. The data grow, so the budget is per row.
# Measured 2026-12: 189 rows, 31 pages (zh) and 34 (en); 264 rows, 48 and 52 (budget 56);
# issue 14 saw 59 and 80 pages for 189 rows (about 3 rows a page).
ROWS_PER_PAGE, EXTRA_PAGES = 5, 4
SMALLEST_TYPE_PT = 11.5  # 12 pt in the deck; LibreOffice reports sizes to a rounding


def _data(ref):
    everything = Filters()
    return {"obs": queries.observations(ref, everything), "scope": queries.institutions_in_scope(ref, everything),
            "indicators": queries.indicators(ref), "sources": queries.sources(ref, everything)}


def _deck(data, chosen, lang) -> bytes:
    return office.pptx_bytes(data["obs"], chosen, data["scope"], lang, "院校对比" if lang == "zh" else "Comparison",
                             "2022–2024")


def _workbook(data, lang) -> bytes:
    table = transforms.tidy_table(data["obs"], lang)
    return office.xlsx_bytes(table, data["indicators"], data["sources"], lang, "VocDash 数据导出",
                             about={"筛选" if lang == "zh" else "Filters": "全部" if lang == "zh" else "all"},
                             exported_at=datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc))


@pytest.fixture(scope="module")
def rendered(ref, tmp_path_factory):
    """name -> (file bytes, its pages read by pdfplumber once): decks of 3 and 6 colleges and the workbooks, rendered
    by one LibreOffice run."""
    need_office()
    from etl import synth
    from etl.validate import validate_dir
    from etl.warehouse import build

    directory = tmp_path_factory.mktemp("six") / "csv"
    assert synth.main(["--institutions", str(SIX), "--years", "3", "--out", str(directory), "--seed", "14"]) == 0
    six_db = directory.parent / "warehouse.duckdb"
    build(validate_dir(directory), six_db)
    curated, synthetic = _data(ref), _data(db.current_ref(six_db))
    six_ids = list(synthetic["scope"]["institution_id"])[:SIX]
    files = {
        "deck-3-zh.pptx": _deck(curated, CURATED_THREE, "zh"),
        "deck-6-zh.pptx": _deck(synthetic, six_ids, "zh"),
        "deck-6-en.pptx": _deck(synthetic, six_ids, "en"),
        "workbook-zh.xlsx": _workbook(curated, "zh"),
        "workbook-en.xlsx": _workbook(curated, "en"),
    }
    out = RENDERS / "office"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name, raw in files.items():
        (out / name).write_bytes(raw)
    profile = Path(f"/tmp/lo-vocdash-render-{os.getpid()}")
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(out), *(str(out / name) for name in files)],
        capture_output=True, text=True, timeout=300,
    )
    shutil.rmtree(profile, ignore_errors=True)
    result = {}
    for name, raw in files.items():
        pdf = out / (Path(name).stem + ".pdf")
        assert pdf.exists(), f"soffice did not render {name}: {done.stdout} {done.stderr}"
        # Each file's pages as PNGs in a folder of its own, to look at.
        own = out / Path(name).stem
        own.mkdir()
        shutil.copy(pdf, own / pdf.name)
        to_pngs(own / pdf.name, dpi=80 if name.endswith(".pptx") else 60, last=None if name.endswith(".pptx") else 4)
        result[name] = (raw, pages(own / pdf.name))
    return result


DECKS = ["deck-3-zh.pptx", "deck-6-zh.pptx", "deck-6-en.pptx"]
WORKBOOKS = ["workbook-zh.xlsx", "workbook-en.xlsx"]


@pytest.mark.parametrize("name", DECKS)
def test_deck_renders_one_page_per_slide(rendered, name):
    raw, printed = rendered[name]
    assert len(printed) == len(Presentation(io.BytesIO(raw)).slides)


@pytest.mark.parametrize("name", DECKS)
def test_deck_text_stays_on_its_slide(rendered, name):
    _, printed = rendered[name]
    for page in printed:
        off = outside(page)
        assert not off, f"{name} slide {page.number}: {''.join(c.text for c in off)[:80]!r} runs off the slide"


@pytest.mark.parametrize("name", DECKS)
def test_deck_text_never_drawn_over_other_text(rendered, name):
    """Piled-up labels ("14次14次14次"), a wrapped caption into the chart, a name over a bar's label."""
    _, printed = rendered[name]
    for page in printed:
        hits = colliding_chars(page)
        assert not hits, f"{name} slide {page.number}: " + "; ".join(f"{a.text!r}@{a.x0:.0f},{a.top:.0f} over {b.text!r}"
                                                                      for a, b in hits[:5])


@pytest.mark.parametrize("name", DECKS)
def test_deck_type_is_large_enough_for_a_meeting_room(rendered, name):
    _, printed = rendered[name]
    for page in printed:
        small = [c for c in page.chars if c.text.strip() and c.size < SMALLEST_TYPE_PT]
        assert not small, f"{name} slide {page.number}: {''.join(c.text for c in small)[:60]!r} at {small[0].size:.1f} pt"


def test_six_colleges_each_named_on_the_slides(rendered):
    _, printed = rendered["deck-6-zh.pptx"]
    text = "".join(page.text for page in printed)
    for number in range(1, SIX + 1):
        assert f"合成院校{number:05d}" in text


@pytest.mark.parametrize("name", WORKBOOKS)
def test_workbook_prints_within_its_page_budget_without_cut_columns(rendered, name):
    raw, printed = rendered[name]
    import openpyxl

    data = openpyxl.load_workbook(io.BytesIO(raw)).worksheets[0]
    rows = sum(1 for row in data.iter_rows(min_row=2, values_only=True) if any(cell is not None for cell in row))
    budget = -(-rows // ROWS_PER_PAGE) + EXTRA_PAGES
    assert len(printed) <= budget, f"{name} prints on {len(printed)} pages ({rows} rows; budget {budget})"
    for page in printed[:-1]:
        assert page.width > page.height, f"{name} page {page.number} is not landscape"
    about = [page.number for page in printed if ("导出时间" if name.endswith("zh.xlsx") else "Exported") in page.text]
    assert about == [len(printed)], f"the 说明 sheet prints on pages {about} of {len(printed)}: one page, the last"
    for page in printed:
        off = outside(page)
        assert not off, f"{name} page {page.number}: {''.join(c.text for c in off)[:80]!r} off the paper"
    # Fitted to the width: the first page carries every printed header of the data sheet,
    # so no column prints pages away from its figure.
    first = printed[0].text
    headers = ["院校", "主题", "指标", "时期", "数值（含标记）"] if name.endswith("zh.xlsx") else \
        ["Institution", "Theme", "Indicator", "Period"]
    for header in headers:
        assert header in first, f"{header} is not on the first printed page of {name}"
