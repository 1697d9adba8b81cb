"""Office downloads: an Excel workbook of the data and a PowerPoint deck of a comparison.

Pure functions: DataFrames in, bytes out. No Streamlit, no database; the pages pass in
frames they already hold and hand the bytes to st.download_button.

Both keep the conventions of the rest of the app: Chinese first, every figure with its
mark (≈ approximate, > more than, ≥ at least), its period and its source, and a figure
that was not reported is left empty, never written or drawn as 0.
"""
from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pandas as pd
import xlsxwriter
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_MARKER_STYLE
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from .exports import neutralise
from .i18n import format_value, name_column, t, v
from .palette import PALETTE, colours_for
from .transforms import THEMES, describe, leaders, normalised, not_compared

__all__ = [
    "XLSX_MIME", "PPTX_MIME", "CJK_FONT",
    "neutralise", "display_width", "export_time_text", "xlsx_bytes", "pptx_bytes",
]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# Installed with Office and WPS on Windows; WPS on Linux and macOS Office substitute
# their own CJK font for it. Set for both the latin and the east-asian typeface.
CJK_FONT = "Microsoft YaHei"
# The bureau works in Beijing time; a fixed offset needs no tz database on the server.
BEIJING = timezone(timedelta(hours=8), "UTC+8")

MAX_COLUMN_WIDTH = 60
MIN_COLUMN_WIDTH = 6
_EXCEL_MAX_TEXT = 32767


def display_width(text) -> int:
    """Width of text in character cells: CJK (wide and full-width) characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in str(text))


def export_time_text(lang: str, when: datetime | None = None) -> str:
    """'2026-11-22 11:18（北京时间）' / '2026-11-22 11:18 (UTC+8)'."""
    when = (when or datetime.now(BEIJING)).astimezone(BEIJING)
    stamp = when.strftime("%Y-%m-%d %H:%M")
    return f"{stamp}（北京时间）" if lang == "zh" else f"{stamp} (UTC+8)"


# --- Excel -----------------------------------------------------------------------------

def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    return False


def _cell_text(value) -> str:
    """How a cell reads, for sizing its column."""
    if _is_missing(value):
        return ""
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return "0000-00-00"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        base = {"font_name": CJK_FONT, "font_size": 10, "valign": "top"}
        self.header = book.add_format({**base, "bold": True, "bg_color": "#E8EEF4", "bottom": 1, "text_wrap": True})
        self.text = book.add_format(base)
        self.wrap = book.add_format({**base, "text_wrap": True})
        self.wrap_left = book.add_format({**base, "text_wrap": True, "align": "left"})
        self.number = book.add_format(base)
        self.date = book.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"})
        self.link = book.add_format({**base, "font_color": "#0563C1", "underline": 1})
        self.title = book.add_format({**base, "bold": True, "font_size": 14})
        self.label = book.add_format({**base, "bold": True})
        # A plain calendar year stays a number: 2021 reads 2021年 in Chinese, 2021 in English.
        self.year = {lang: book.add_format({**base, "num_format": fmt, "align": "left"})
                     for lang, fmt in (("zh", '0"年"'), ("en", "0"))}


def _write_cell(sheet, row: int, col: int, value, fmt, formats: _Formats) -> None:
    """One cell, never a formula: numbers as numbers, dates as dates, text as neutralised
    strings written with write_string."""
    if _is_missing(value):
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, (bool, np.bool_)):
        sheet.write_boolean(row, col, bool(value), fmt)
    elif isinstance(value, (int, float, Decimal, np.integer, np.floating)) and math.isfinite(float(value)):
        sheet.write_number(row, col, float(value), fmt)
    elif isinstance(value, (pd.Timestamp, datetime, date)):
        stamp = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        if isinstance(stamp, datetime) and stamp.tzinfo is not None:
            stamp = stamp.replace(tzinfo=None)
        sheet.write_datetime(row, col, stamp, formats.date)
    else:
        text = neutralise(str(value))[:_EXCEL_MAX_TEXT]
        if text.startswith(("http://", "https://")) and len(text) < 2000 and fmt is not formats.header:
            # A web address from the sources is clickable; its text stays a plain string.
            sheet.write_url(row, col, text, formats.link, string=text)
        else:
            sheet.write_string(row, col, text, fmt)


# How wide a column may grow before its text wraps, so a sheet fitted to the width of an
# A4 landscape page (about 150 character cells at 100%) keeps legible type: long text
# (evidence, notes, sources, definitions) wraps at LONG_TEXT_WIDTH, anything else at
# PRINT_WRAP_WIDTH.
PRINT_WRAP_WIDTH = 10
LONG_TEXT_WIDTH = 16
LINE_HEIGHT = 14.5  # points per line of 10 pt text (CJK fonts set lines about 1.4 em apart)
_PLAIN_YEAR = frozenset("0123456789")


def _year_number(value, lang: str) -> int | None:
    """2021 for a period label that is just a calendar year ('2021年' / '2021'), else None."""
    if not isinstance(value, str):
        return None
    digits = value.removesuffix("年") if lang == "zh" else value
    return int(digits) if len(digits) == 4 and set(digits) <= _PLAIN_YEAR else None


def _print_setup(sheet, title: str, columns: int, rows: int, landscape: bool = True) -> None:
    """A4, fitted to one page wide (as many pages tall as it takes), header row on every
    page, the title in the page header and 'page / pages' in the footer. `columns`: how
    many columns print (machine-readable id columns to the right are left off paper)."""
    sheet.set_paper(9)  # A4
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.print_area(0, 0, max(rows, 1), max(columns - 1, 0))
    header = title[:150].replace("&", "&&")  # Excel caps a page header at 255 characters
    sheet.set_header(f'&L&"{CJK_FONT},Regular"&9{header}')
    sheet.set_footer("&R&9&P / &N")


def _write_frame(sheet, frame: pd.DataFrame, formats: _Formats, wide: Sequence[str] | Mapping[str, int] = (), *, lang: str = "zh",
                 title: str = "", year_columns: Sequence[str] = (), printed: int | None = None) -> None:
    """A frame as a sheet: bold header in row 1, frozen, with an autofilter; columns sized
    to their content (CJK counts double), long text wrapped at a width that prints; set up
    to print (see _print_setup): the first `printed` columns, by default those before the
    lower-case id columns at the end.
    year_columns: period labels written as numbers where they are a plain calendar year."""
    columns = list(frame.columns)
    for col, name in enumerate(columns):
        _write_cell(sheet, 0, col, str(name), formats.header, formats)
    records = frame.to_numpy(dtype=object)
    # Lines per row, so wrapped text gets its height: LibreOffice does not grow rows to
    # fit on opening a file, and a fixed height would cut the text off.
    lines = [1] * (len(records) + 1)
    if printed is None:
        printed = next((index for index, name in enumerate(columns) if str(name).islower() and "_" in str(name)), len(columns))
    for col, name in enumerate(columns):
        values = records[:, col] if len(records) else []
        widest = max([display_width(_cell_text(value)) for value in values[:2000]] or [0])
        header = display_width(name)
        cap = (wide.get(name, LONG_TEXT_WIDTH) if isinstance(wide, Mapping) else LONG_TEXT_WIDTH) if name in wide else PRINT_WRAP_WIDTH
        wraps = widest > cap or name in wide
        numeric = pd.api.types.is_numeric_dtype(frame[name].dtype) and not pd.api.types.is_bool_dtype(frame[name].dtype)
        fmt = formats.wrap if wraps else formats.number if numeric else formats.text
        # A header wraps onto two lines rather than widen its column past its content.
        width = min(max(widest, min(header, 10), MIN_COLUMN_WIDTH), cap) + 2
        sheet.set_column(col, col, width)
        years = name in year_columns
        if col < printed:
            lines[0] = max(lines[0], _lines(str(name), width))
        for row, value in enumerate(values, start=1):
            year = _year_number(value, lang) if years else None
            if year is not None:
                sheet.write_number(row, col, year, formats.year[lang])
            else:
                _write_cell(sheet, row, col, value, fmt, formats)
                if wraps and col < printed:
                    lines[row] = max(lines[row], _lines(_cell_text(value), width))
    for row, count in enumerate(lines):
        if count > 1:
            sheet.set_row(row, LINE_HEIGHT * count + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(frame), 1), max(len(columns) - 1, 0))
    sheet.repeat_rows(0)
    _print_setup(sheet, title, printed, len(frame))


def _lines(text: str, width: float) -> int:
    """Lines a text takes in a wrapped column of `width` character cells (CJK double)."""
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in str(text).split("\n")) if text else 1


def _yes_no(value, lang: str, none_key: str = "no_direction") -> str:
    if _is_missing(value):
        return t(none_key, lang)
    return t("yes" if bool(value) else "no", lang)


def _indicator_sheet(indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = indicators.reset_index(drop=True)
    return pd.DataFrame({
        t("indicator_id", lang): frame["indicator_id"],
        t("theme", lang): [v("theme", theme, lang) for theme in frame["theme"]],
        t("indicator", lang): frame[name_column(lang)],
        t("unit", lang): [v("unit", unit, lang) for unit in frame["unit"]],
        t("definition", lang): frame[name_column(lang, "definition")],
        t("higher_is_better", lang): [_yes_no(value, lang) for value in frame["higher_is_better"]],
        t("comparable", lang): [_yes_no(value, lang, "no") for value in frame["comparable"]],
    })


def _source_sheet(sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = sources.reset_index(drop=True)
    english = lang == "en"
    title = frame["title_en"].fillna(frame["title"]) if english else frame["title"]
    period = frame["period_label_en"].fillna(frame["period_label"]) if english else frame["period_label"]
    unknown = t("unknown_date", lang)
    published = [
        unknown if _is_missing(value) else pd.Timestamp(value).date() for value in frame["published"]
    ]
    return pd.DataFrame({
        t("institution", lang): frame["institution_en" if english else "institution_zh"],
        t("source_title", lang): title,
        t("source_kind", lang): [v("source_kind", kind, lang) for kind in frame["kind"]],
        t("period", lang): period,
        t("published", lang): pd.Series(published, dtype=object),
        t("document", lang): frame["document"],
        t("url", lang): frame["url"],
        t("figures", lang): frame["figures"],
        t("award_rows", lang): frame["award_rows"],
        t("source_id", lang): frame["source_id"],
    })


def xlsx_bytes(
    table: pd.DataFrame,
    indicators: pd.DataFrame,
    sources: pd.DataFrame,
    lang: str,
    title: str,
    *,
    about: Mapping[str, str] | None = None,
    exported_at: datetime | None = None,
) -> bytes:
    """An .xlsx workbook of the Data page.

    table: transforms.tidy_table(obs, lang) (labelled columns plus machine ids), possibly
    filtered further; indicators: queries.indicators(); sources: queries.sources().
    Sheets: 数据/Data (the table), 指标说明/Indicators, 来源/Sources, 说明/About (title,
    export time, the optional `about` lines such as the filters, and the notes: not
    reported is not zero, what the marks mean, why some text starts with ').

    Every sheet: header in row 1, frozen, autofilter, column widths from content. Numbers
    are numbers; text is written with write_string after neutralise(), so no cell is ever
    a formula, nor becomes one when copied out.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "nan_inf_to_errors": True,
    })
    book.set_properties({"title": title, "subject": t("app_title", lang), "comments": t("xlsx_note_missing", lang)})
    formats = _Formats(book)

    data = book.add_worksheet(t("xlsx_sheet_data", lang))
    table, on_paper = _print_order(table, lang)
    table = table.rename(columns=_original_language_headers(lang))
    long_text = [t(key, lang) for key in ("evidence", "evidence_original", "notes", "notes_original", "source", "conflict")]
    _write_frame(data, table, formats, wide=long_text,
                 lang=lang, title=title, year_columns=[t("period", lang)], printed=on_paper)

    sheet_title = f"{title} · "
    _write_frame(book.add_worksheet(t("xlsx_sheet_indicators", lang)), _indicator_sheet(indicators, lang), formats,
                 wide={t("definition", lang): 56, t("indicator", lang): 24}, lang=lang, title=sheet_title + t("xlsx_sheet_indicators", lang))
    _write_frame(book.add_worksheet(t("xlsx_sheet_sources", lang)), _source_sheet(sources, lang), formats,
                 wide={t("source_title", lang): 36, t("document", lang): 24, t("url", lang): 24}, lang=lang, title=sheet_title + t("xlsx_sheet_sources", lang))

    # The About sheet: one A4 portrait page, label and text side by side.
    info = book.add_worksheet(t("xlsx_sheet_about", lang))
    info.set_column(0, 0, 18)
    info.set_column(1, 1, 72)
    lines = [
        (t("exported_at", lang), export_time_text(lang, exported_at)),
        (t("row_count", lang), len(table)),
        *((label, text) for label, text in (about or {}).items()),
    ]
    row = 2

    def line(label, text) -> None:
        nonlocal row
        if label:
            _write_cell(info, row, 0, label, formats.label, formats)
        # A count stays a number, set left like the text around it.
        _write_cell(info, row, 1, text, formats.wrap_left if isinstance(text, int) else formats.wrap, formats)
        count = max(_lines(str(text), 72), _lines(str(label or ""), 18))
        info.set_row(row, LINE_HEIGHT * count + 3)
        row += 1

    for label, text in lines:
        line(label, text)
    row += 1
    for index, key in enumerate(("xlsx_note_missing", "xlsx_note_marks", "xlsx_note_original", "xlsx_note_quote",
                                 "xlsx_note_ids", "xlsx_note_print")):
        line(t("notes_heading", lang) if index == 0 else "", t(key, lang))
    _write_cell(info, 0, 0, title, formats.title, formats)
    _print_setup(info, title, 2, row, landscape=False)
    info.fit_to_pages(1, 1)
    book.close()
    return buffer.getvalue()


# The Data sheet's columns that go on paper, in this order: who, what, when, the figure with
# its mark and unit, and where it comes from. The plain number, unit and qualifier columns
# (the same figure, split for calculation) and the machine-readable ids follow, unprinted,
# so the printed columns fit an A4 page's width in legible type.
PRINTED_DATA_COLUMNS = ("institution", "theme", "indicator", "period", "value_marked", "kind", "basis", "source",
                        "evidence", "derivation", "notes", "conflict")


def _print_order(table: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, int]:
    """The Data sheet's columns in print order, and how many of them print."""
    labels = [t(key, lang) if key != "value_marked" else t("value", lang) + ("（含标记）" if lang == "zh" else " (marked)")
              for key in PRINTED_DATA_COLUMNS]
    first = [label for label in labels if label in table.columns]
    rest = [column for column in table.columns if column not in first]
    return table[first + rest], len(first)


def _original_language_headers(lang: str) -> dict[str, str]:
    """In the English file the quoted evidence and the curators' notes stay in the
    reports' language (Chinese): their headers say so."""
    if lang != "en":
        return {}
    return {t("notes", lang): t("notes_original", lang), t("evidence", lang): t("evidence_original", lang)}


# --- PowerPoint ------------------------------------------------------------------------
#
# The deck is laid out for what it holds. One small chart per indicator, holding only the
# colleges that report it, so no bar stands in an empty slot and none can be read as the
# next indicator's; the colleges' names are text boxes beside the bars (wrapped, never
# cut), the figure with its mark on each bar, and its year when it is not the year of the
# like-for-like set. Charts are packed two to a row and a theme takes as many slides as
# its charts need: all text is 12 pt or more and nothing is squeezed to fit. A cover
# lists the colleges, an agenda every theme (with why a theme has no slide), a slide says
# which shared indicators are not compared and why, and the sources slides list every
# report drawn; each chart slide's caption points to them.
#
# The master is our own 16:9 one: python-pptx's default template with every master and
# layout placeholder widened from 4:3 and its type sizes cut for a 7.5-inch-tall slide, so
# a slide added in PowerPoint or WPS gets placeholders that fit; each slide shows its
# number in the master's slide-number placeholder.

SLIDE_WIDTH = Emu(12192000)  # 13.333 in: 16:9 with the standard 7.5 in height
SLIDE_HEIGHT = Emu(6858000)
MARGIN = Inches(0.5)
TEXT_COLOUR = "222222"
MUTED_COLOUR = "555555"
MIN_PT = 12  # no text in the deck is smaller
_LAYOUT_TITLE, _LAYOUT_TITLE_ONLY = 0, 5
_DEFAULT_WIDTH = 9144000  # python-pptx's template is 4:3, 10 in wide

# Where things go on a chart slide (inches from the top).
TITLE_TOP, TITLE_HEIGHT = 0.3, 0.7
TAKEAWAY_TOP, TAKEAWAY_HEIGHT = 0.98, 0.55
CONTENT_TOP, CONTENT_BOTTOM = 1.55, 6.55
CAPTION_TOP = 6.6
NUMBER_WIDTH = 1.2
GRID_GAP_X, GRID_GAP_Y = 0.4, 0.22
CELL_WIDTH = (SLIDE_WIDTH / 914400 - 2 * 0.5 - GRID_GAP_X) / 2

# Text metrics for layout: an inch of 12 pt text holds about 10.5 display cells (a CJK
# character is two cells, ~1/6 in, plus the space renderers put between CJK and digits);
# lines are set ~1.35 em apart.
CELLS_PER_INCH = {12: 10.5, 13: 9.7, 14: 9.0, 16: 7.9}
LINE_INCH = {12: 0.23, 13: 0.25, 14: 0.27, 16: 0.3}
BAR_PITCH = 0.34  # inches per bar: a 12 pt label and a gap


def _text_width(text: str, size: int = 12) -> float:
    """Estimated width in inches of one line of `text` at `size` pt."""
    return display_width(text) / CELLS_PER_INCH.get(size, 10.5 * 12 / size)


def _text_lines(text: str, width: float, size: int = 12) -> int:
    """Lines `text` wraps to in a box `width` inches wide (with its inner margins)."""
    usable = max(width - 0.12, 0.3)
    return max(1, sum(math.ceil(_text_width(part, size) / usable) or 1 for part in str(text).split("\n")))


def _cjk(font, lang: str, size: float | None = None, bold: bool | None = None, colour: str | None = None) -> None:
    """Set a python-pptx Font (run or default properties) to a CJK-capable typeface, for
    the latin and the east-asian (a:ea) script, plus size, weight and colour."""
    font.name = CJK_FONT
    rpr = font._rPr  # a:rPr or a:defRPr
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = etree.SubElement(rpr, qn("a:ea"))
        rpr.find(qn("a:latin")).addnext(ea)
    ea.set("typeface", CJK_FONT)
    rpr.set("lang", "en-US" if lang == "en" else "zh-CN")
    if size is not None:
        font.size = Pt(max(size, MIN_PT))
    if bold is not None:
        font.bold = bold
    if colour is not None:
        font.color.rgb = RGBColor.from_string(colour.lstrip("#"))


def _paragraphs(frame, lines: Sequence[str | tuple[str, str]], lang: str, size: float, colour: str = TEXT_COLOUR,
                bold: bool = False, align=None) -> None:
    """Fill a text frame: one paragraph per line; a (mark colour, text) line draws a
    square in that colour before the text (a college's colour)."""
    frame.clear()
    frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if isinstance(line, str):
            text = line
        else:
            mark_colour, text = line
            mark = paragraph.add_run()
            mark.text = "■ "
            _cjk(mark.font, lang, size, bold, mark_colour)
        run = paragraph.add_run()
        run.text = text
        _cjk(run.font, lang, size, bold, colour)


def _textbox(slide, left, top, width, height, lines, lang: str, size: float, anchor=MSO_ANCHOR.TOP, **style):
    box = slide.shapes.add_textbox(int(left), int(top), int(width), int(height))
    frame = box.text_frame
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.05)
    frame.margin_top = frame.margin_bottom = Inches(0.02)
    _paragraphs(frame, lines, lang, size, **style)
    return box


def _title(slide, text: str, lang: str, top=Inches(TITLE_TOP), height=Inches(TITLE_HEIGHT), size: float = 26) -> None:
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, int(top), SLIDE_WIDTH - 2 * MARGIN, int(height)
    shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _paragraphs(shape.text_frame, [text], lang, size, bold=True, align=PP_ALIGN.LEFT)


def _notes(slide, lines: Sequence[str]) -> None:
    """Speaker notes: what the presenter may want to read out."""
    slide.notes_slide.notes_text_frame.text = "\n".join(line for line in lines if line)


def _names(scope: pd.DataFrame, lang: str) -> dict[str, str]:
    if scope.empty:
        return {}
    return dict(zip(scope["institution_id"], scope[name_column(lang)]))


# --- the master ---------------------------------------------------------------------------

def _new_presentation(lang: str) -> Presentation:
    """A 16:9 presentation on our own master (see the note above)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    scale = SLIDE_WIDTH / _DEFAULT_WIDTH
    master = prs.slide_master
    for part in (master, *prs.slide_layouts):
        for shape in part.placeholders:
            if shape.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER:
                shape.left = int(SLIDE_WIDTH - MARGIN - Inches(NUMBER_WIDTH))
                shape.top, shape.width, shape.height = int(Inches(7.5 - 0.45)), int(Inches(NUMBER_WIDTH)), int(Inches(0.35))
            elif shape._element.xfrm is not None:  # one that inherits its place is widened with its parent
                shape.left, shape.width = int(shape.left * scale), int(shape.width * scale)
    _master_type(master, lang)
    _master_theme(master)
    return prs


def _master_type(master, lang: str) -> None:
    """Title 28 pt, body 20/18/16/14/14 pt, other text 12 pt or more, in the CJK typeface."""
    styles = master._element.find(qn("p:txStyles"))
    sizes = {"p:titleStyle": [2800], "p:bodyStyle": [2000, 1800, 1600, 1400, 1400, 1400, 1400, 1400, 1400],
             "p:otherStyle": [1400] * 10}
    for tag, levels in sizes.items():
        style = styles.find(qn(tag))
        for level, size in zip(style.iter(*[qn(f"a:lvl{n}pPr") for n in range(1, 10)]), levels):
            rpr = level.find(qn("a:defRPr"))
            if rpr is not None:
                rpr.set("sz", str(size))
                rpr.set("lang", "en-US" if lang == "en" else "zh-CN")
    for shape in master.placeholders:  # date, footer and slide number boxes: 12 pt
        for rpr in shape._element.iter(qn("a:defRPr"), qn("a:rPr"), qn("a:endParaRPr")):
            if int(rpr.get("sz", "1200")) < MIN_PT * 100:
                rpr.set("sz", str(MIN_PT * 100))


def _master_theme(master) -> None:
    """Name the theme VocDash and make its heading and body fonts the CJK typeface."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    root.set("name", "VocDash")
    for font in ("a:majorFont", "a:minorFont"):
        node = root.find(f".//{qn(font)}")
        for script in ("a:latin", "a:ea"):
            element = node.find(qn(script))
            if element is not None:
                element.set("typeface", CJK_FONT)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _slide(prs, layout: int, lang: str):
    """A new slide that shows its number (the layout's slide-number placeholder, with the
    slidenum field, as PowerPoint's Insert > Slide Number makes it)."""
    slide = prs.slides.add_slide(prs.slide_layouts[layout])
    number = next(p for p in slide.slide_layout.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER)
    slide.shapes.clone_placeholder(number)
    shape = slide.shapes[-1]
    body = etree.SubElement(shape._element, qn("p:txBody"))
    etree.SubElement(body, qn("a:bodyPr"))
    etree.SubElement(body, qn("a:lstStyle"))
    paragraph = etree.SubElement(body, qn("a:p"))
    etree.SubElement(paragraph, qn("a:pPr")).set("algn", "r")
    field = etree.SubElement(paragraph, qn("a:fld"))
    field.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
    field.set("type", "slidenum")
    rpr = etree.SubElement(field, qn("a:rPr"))
    rpr.set("lang", "en-US" if lang == "en" else "zh-CN")
    rpr.set("sz", str(MIN_PT * 100))
    etree.SubElement(field, qn("a:t")).text = str(len(prs.slides))
    return slide


# --- what goes on the slides --------------------------------------------------------------

def _label(row: pd.Series, lang: str, with_period: bool = True) -> str:
    """The data label: the raw figure with its mark (≈400人, >1,400人, 96.08%, 第3名), and
    the period of a figure outside its indicator's like-for-like set."""
    text = format_value(float(row["value"]), row["unit"], row["qualifier"], lang)
    if row["kind"] == "target":
        text = f"{t('legend_target', lang)} {text}"
    if with_period and "like" in row and not row["like"]:
        text += f" · {row['period_text']}"  # another period than the set's: say which
    return text


def _direction_words(direction, lang: str) -> str:
    if direction is None or pd.isna(direction):
        return t("no_direction", lang)
    return "" if bool(direction) else t("lower_is_better", lang)


def _chart_title(rows: pd.DataFrame, lang: str) -> str:
    """Indicator（the like-for-like set's period, direction when not higher-is-better）."""
    first = rows.iloc[0]
    like = rows[rows["like"].astype(bool)] if "like" in rows.columns else rows
    parts = [like.iloc[0]["period_text"]] if not like.empty else []
    if words := _direction_words(first["higher_is_better"], lang):
        parts.append(words)
    joined = ("，" if lang == "zh" else ", ").join(parts)
    if not joined:
        return first["indicator"]
    return f"{first['indicator']}（{joined}）" if lang == "zh" else f"{first['indicator']} ({joined})"


@dataclass
class _Cell:
    """One indicator's small chart, as laid out: its rows (one per reporting college, in
    the order chosen) and the inches it needs."""

    indicator_id: str
    rows: pd.DataFrame
    title: str
    rank: bool
    name_width: float = 0.0
    title_height: float = 0.0
    pitch: float = BAR_PITCH
    body_height: float = 0.0

    @property
    def height(self) -> float:
        return self.title_height + self.body_height


def _cell(indicator_id: str, rows: pd.DataFrame, names: dict, chosen: list[str], lang: str) -> _Cell:
    order = {iid: index for index, iid in enumerate(chosen)}
    rows = rows.assign(_order=rows["institution_id"].map(order)).sort_values("_order").drop(columns="_order")
    cell = _Cell(indicator_id, rows, _chart_title(rows, lang), rows.iloc[0]["unit"] == "rank")
    cell.title_height = _text_lines(cell.title, CELL_WIDTH, 13) * LINE_INCH[13] + 0.06
    labels = [names.get(iid, iid) for iid in rows["institution_id"]]
    if cell.rank:
        # Colleges across, rank down (1 at the top): a name under each dot, wrapped.
        column = CELL_WIDTH / len(rows)
        texts = [_rank_name(name, row, lang) for name, (_, row) in zip(labels, rows.iterrows())]
        name_lines = max(_text_lines(text, column) for text in texts)
        cell.name_width = name_lines * LINE_INCH[12] + 0.08  # here: the names' height
        cell.body_height = 1.7 + cell.name_width
    else:
        widest = max(_text_width(name) for name in labels)
        cell.name_width = min(max(widest + 0.15, 1.2), 2.6)
        lines = max(_text_lines(name, cell.name_width) for name in labels)
        cell.pitch = max(BAR_PITCH, lines * LINE_INCH[12] + 0.08)
        cell.body_height = cell.pitch * len(rows) + 0.05
    return cell


def _rank_name(name: str, row: pd.Series, lang: str) -> str:
    if "like" in row and not row["like"]:
        return f"{name}（{row['period_text']}）" if lang == "zh" else f"{name} ({row['period_text']})"
    return name


def _pack(cells: list[_Cell]) -> list[list[list[_Cell]]]:
    """Cells into slides of rows of two: a row as tall as its taller cell; a new slide when
    the next row would run past the content area."""
    room = CONTENT_BOTTOM - CONTENT_TOP
    slides: list[list[list[_Cell]]] = []
    rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    used = room + 1
    for row in rows:
        height = max(cell.height for cell in row)
        if used + GRID_GAP_Y + height > room and slides and slides[-1]:
            slides.append([])
            used = -GRID_GAP_Y
        elif not slides:
            slides.append([])
            used = -GRID_GAP_Y
        slides[-1].append(row)
        used += GRID_GAP_Y + height
    return slides


def _manual_plot_area(chart, x: float = 0.0, y: float = 0.0, w: float = 1.0, h: float = 1.0) -> None:
    """Pin the plot area's inner box to a fraction of the chart frame, so the bars line up
    with the names beside them (PowerPoint, WPS and LibreOffice all honour c:manualLayout)."""
    plot_area = chart._chartSpace.find(qn("c:chart")).find(qn("c:plotArea"))
    layout = plot_area.find(qn("c:layout"))
    if layout is None:
        layout = etree.Element(qn("c:layout"))
        plot_area.insert(0, layout)
    for child in list(layout):
        layout.remove(child)
    manual = etree.SubElement(layout, qn("c:manualLayout"))
    for tag, value in (("c:layoutTarget", "inner"), ("c:xMode", "edge"), ("c:yMode", "edge"),
                       ("c:x", x), ("c:y", y), ("c:w", w), ("c:h", h)):
        etree.SubElement(manual, qn(tag)).set("val", str(value))


def _label_text(point, text: str, lang: str) -> None:
    """A data label of our own text, 12 pt, on one line: LibreOffice otherwise wraps a
    label to the bar's thickness, a character a line."""
    label = point.data_label
    label.text_frame.text = text
    label.text_frame._txBody.find(qn("a:bodyPr")).set("wrap", "none")
    for run in label.text_frame.paragraphs[0].runs:
        _cjk(run.font, lang, 12, colour=TEXT_COLOUR)
    return label


def _hide_axis(axis) -> None:
    axis.visible = False
    axis.has_major_gridlines = False
    axis.has_minor_gridlines = False


def _bar_cell(slide, cell: _Cell, left: float, top: float, colours: dict, names: dict, lang: str) -> list[str]:
    """A title, the names, and a native bar chart of the raw figures (no axis: each bar
    carries its figure). Returns the data labels drawn."""
    _textbox(slide, Inches(left), Inches(top), Inches(CELL_WIDTH), Inches(cell.title_height), [cell.title], lang, 13,
             bold=True)
    body_top = top + cell.title_height
    for index, (_, row) in enumerate(cell.rows.iterrows()):
        _textbox(slide, Inches(left), Inches(body_top + index * cell.pitch), Inches(cell.name_width), Inches(cell.pitch),
                 [names.get(row["institution_id"], row["institution_id"])], lang, 12, anchor=MSO_ANCHOR.MIDDLE,
                 align=PP_ALIGN.RIGHT)
    labels = [_label(row, lang) for _, row in cell.rows.iterrows()]
    chart_left = left + cell.name_width + 0.08
    chart_width = CELL_WIDTH - cell.name_width - 0.08
    data = CategoryChartData(number_format="General")
    data.categories = [names.get(iid, iid) for iid in cell.rows["institution_id"]]
    values = [float(value) for value in cell.rows["value"]]
    data.add_series(cell.rows.iloc[0]["indicator"], values)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(chart_left), Inches(body_top),
                                   Inches(chart_width), Inches(cell.pitch * len(cell.rows)), data)
    chart = frame.chart
    _cjk(chart.font, lang, 12, colour=TEXT_COLOUR)
    chart.has_title = False
    chart.has_legend = False
    _manual_plot_area(chart)
    plot = chart.plots[0]
    plot.gap_width = 70
    plot.vary_by_categories = False
    categories = chart.category_axis
    categories.reverse_order = True  # the first chosen on top, as the names
    _hide_axis(categories)
    axis = chart.value_axis
    # Room right of the longest bar for its label: the bars take what the labels leave.
    label_room = max(_text_width(text) for text in labels) + 0.15
    share = max(0.3, 1 - label_room / chart_width)
    low = min(0.0, min(values))
    high = max(values) if max(values) > 0 else 1.0
    axis.minimum_scale = low
    axis.maximum_scale = low + (high - low) / share
    _hide_axis(axis)
    series = plot.series[0]
    series.invert_if_negative = False
    for index, (_, row) in enumerate(cell.rows.iterrows()):
        point = series.points[index]
        colour = RGBColor.from_string(colours.get(row["institution_id"], PALETTE[0]).lstrip("#"))
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = colour
        if row["kind"] == "target":  # a target: outlined, lighter, and named in its label
            point.format.fill.fore_color.brightness = 0.55
            point.format.line.color.rgb = colour
        _label_text(point, labels[index], lang).position = XL_LABEL_POSITION.OUTSIDE_END
    return labels


def _rank_cell(slide, cell: _Cell, left: float, top: float, colours: dict, names: dict, lang: str) -> list[str]:
    """A rank (smaller is better) as a dot per college on a reversed axis: 1st at the top,
    so rising from 14th to 3rd goes up. Names under the dots."""
    _textbox(slide, Inches(left), Inches(top), Inches(CELL_WIDTH), Inches(cell.title_height), [cell.title], lang, 13,
             bold=True)
    body_top = top + cell.title_height
    plot_height = cell.body_height - cell.name_width
    count = len(cell.rows)
    column = CELL_WIDTH / count
    ranks = [float(value) for value in cell.rows["value"]]
    labels = [_label(row, lang, with_period=False) for _, row in cell.rows.iterrows()]
    data = CategoryChartData(number_format="General")
    data.categories = [names.get(iid, iid) for iid in cell.rows["institution_id"]]
    data.add_series(cell.rows.iloc[0]["indicator"], ranks)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Inches(left), Inches(body_top), Inches(CELL_WIDTH),
                                   Inches(plot_height), data)
    chart = frame.chart
    _cjk(chart.font, lang, 12, colour=TEXT_COLOUR)
    chart.has_title = False
    chart.has_legend = False
    # Leave the top for the labels above the dots.
    _manual_plot_area(chart, 0.0, 0.22, 1.0, 0.74)
    _hide_axis(chart.category_axis)
    axis = chart.value_axis
    axis.reverse_order = True  # rank 1 at the top: better is up
    axis.minimum_scale = max(0.0, min(ranks) - 1)
    axis.maximum_scale = max(ranks) + 1
    _hide_axis(axis)
    series = chart.plots[0].series[0]
    series.format.line.fill.background()  # dots, not a line: the colleges are not a sequence
    series.smooth = False
    for index, (_, row) in enumerate(cell.rows.iterrows()):
        point = series.points[index]
        colour = RGBColor.from_string(colours.get(row["institution_id"], PALETTE[0]).lstrip("#"))
        point.marker.style = XL_MARKER_STYLE.CIRCLE
        point.marker.size = 14
        point.marker.format.fill.solid()
        point.marker.format.fill.fore_color.rgb = colour
        point.marker.format.line.color.rgb = colour
        _label_text(point, labels[index], lang).position = XL_LABEL_POSITION.ABOVE
    names_top = body_top + plot_height
    for index, (_, row) in enumerate(cell.rows.iterrows()):
        _textbox(slide, Inches(left + index * column), Inches(names_top), Inches(column), Inches(cell.name_width),
                 [_rank_name(names.get(row["institution_id"], row["institution_id"]), row, lang)], lang, 12,
                 align=PP_ALIGN.CENTER)
    return labels


def _takeaway(rows: pd.DataFrame, names: dict, lang: str) -> str:
    """Who leads, counted only over like-for-like figures of indicators with a better
    direction (transforms.leaders); otherwise say that no one is called best."""
    leads = leaders(rows)
    if leads.empty:
        return t("deck_no_lead", lang)
    like = rows[rows["like"].astype(bool) & rows["higher_is_better"].notna()]["indicator_id"].nunique()
    leader = leads.index[0]
    return t("deck_leads", lang, name=names.get(leader, leader), n=int(leads.iloc[0]), total=like)


def _theme_slides(prs, theme: str, rows: pd.DataFrame, chosen: list[str], names: dict, colours: dict, lang: str,
                  sources_page: dict) -> list:
    """The theme's chart slides; returns them (their captions name the sources page once
    it is known)."""
    cells = [_cell(iid, group, names, chosen, lang) for iid, group in rows.groupby("indicator_id", sort=True)]
    pages = _pack(cells)
    made = []
    for number, page in enumerate(pages, start=1):
        slide = _slide(prs, _LAYOUT_TITLE_ONLY, lang)
        heading = t("deck_theme_title", lang, theme=v("theme", theme, lang))
        if len(pages) > 1:
            heading += f"（{number}/{len(pages)}）" if lang == "zh" else f" ({number}/{len(pages)})"
        _title(slide, heading, lang)
        shown = pd.concat([cell.rows for row in page for cell in row])
        takeaway = _takeaway(shown, names, lang)
        _textbox(slide, MARGIN, Inches(TAKEAWAY_TOP), SLIDE_WIDTH - 2 * MARGIN, Inches(TAKEAWAY_HEIGHT), [takeaway],
                 lang, 14, colour=MUTED_COLOUR)
        top = CONTENT_TOP
        labels = []
        for row in page:
            for column, cell in enumerate(row):
                left = 0.5 + column * (CELL_WIDTH + GRID_GAP_X)
                draw = _rank_cell if cell.rank else _bar_cell
                labels += draw(slide, cell, left, top, colours, names, lang)
            top += max(cell.height for cell in row) + GRID_GAP_Y
        caption = _textbox(slide, MARGIN, Inches(CAPTION_TOP), SLIDE_WIDTH - 2 * MARGIN - Inches(NUMBER_WIDTH + 0.1),
                           Inches(7.45 - CAPTION_TOP), [""], lang, 12, colour=MUTED_COLOUR)
        made.append((slide, caption, takeaway, shown))
    return made


# --- the deck -----------------------------------------------------------------------------

def _theme_reason(obs: pd.DataFrame, theme: str, chosen: list[str], apart: pd.DataFrame, lang: str) -> str:
    """Why a theme has no chart slide."""
    mine = obs[(obs["institution_id"].isin(chosen)) & (obs["theme"] == theme)] if not obs.empty else obs
    if mine.empty:
        return t("deck_theme_none", lang)
    reporters = mine.groupby("indicator_id")["institution_id"].nunique()
    if (reporters < 2).all():
        return t("deck_theme_single", lang)
    return t("deck_theme_not_like", lang)


def _line_pages(lines: list[str | tuple[str, str]], width: float, room: float, size: int = 12) -> list[list]:
    """Lines into pages of text boxes `width` inches wide and `room` inches tall."""
    pages, used = [[]], 0.0
    for line in lines:
        text = line if isinstance(line, str) else line[1]
        height = _text_lines(text, width, size) * LINE_INCH[size] + 0.04
        if used + height > room and pages[-1]:
            pages.append([])
            used = 0.0
        pages[-1].append(line)
        used += height
    return pages


def _list_slides(prs, heading: str, lines: list, lang: str, size: int = 12, intro: str = "") -> list:
    """Slides of listed text (agenda, sources, indicators left out), as many as it takes."""
    width = (SLIDE_WIDTH - 2 * MARGIN) / 914400
    top = CONTENT_TOP - 0.45 if not intro else CONTENT_TOP
    pages = _line_pages(lines, width, CONTENT_BOTTOM + 0.3 - top, size)
    made = []
    for number, page in enumerate(pages, start=1):
        slide = _slide(prs, _LAYOUT_TITLE_ONLY, lang)
        title = heading if len(pages) == 1 else (f"{heading}（{number}/{len(pages)}）" if lang == "zh"
                                                  else f"{heading} ({number}/{len(pages)})")
        _title(slide, title, lang)
        if intro:
            _textbox(slide, MARGIN, Inches(TAKEAWAY_TOP), SLIDE_WIDTH - 2 * MARGIN, Inches(TAKEAWAY_HEIGHT + 0.1), [intro],
                     lang, 14, colour=MUTED_COLOUR)
        box = _textbox(slide, MARGIN, Inches(top), SLIDE_WIDTH - 2 * MARGIN, Inches(CONTENT_BOTTOM + 0.3 - top), page,
                       lang, size)
        for paragraph in box.text_frame.paragraphs:
            paragraph.space_after = Pt(2)
        _notes(slide, [text if isinstance(text, str) else text[1] for text in page])
        made.append(slide)
    return made


def _source_lines(drawn: pd.DataFrame, lang: str) -> list[str]:
    """One line per college: each report drawn, in full, with the periods drawn from it."""
    lines = []
    sep = "；" if lang == "zh" else "; "
    for institution, group in drawn.groupby("institution", sort=False):
        parts = []
        for title, part in group.groupby("source", sort=False):
            periods = ("、" if lang == "zh" else ", ").join(dict.fromkeys(part["period_text"]))
            parts.append(f"《{title}》（{periods}）" if lang == "zh" else f"{title} ({periods})")
        lines.append(f"{institution}：{sep.join(parts)}" if lang == "zh" else f"{institution}: {sep.join(parts)}")
    return lines


def pptx_bytes(obs: pd.DataFrame, chosen: Sequence[str], scope: pd.DataFrame, lang: str, title: str, subtitle: str,
               period: int | None = None) -> bytes:
    """A 16:9 .pptx deck of the Compare page.

    obs: queries.observations() frame (it may hold more institutions than chosen);
    chosen: institution ids in the order picked (2–6), which gives each its colour
    (palette.colours_for, as on the page); scope: institutions with institution_id,
    name_zh, name_en; title, subtitle: for the cover (e.g. period and export time);
    period: the Compare page's period choice (None: each indicator's latest shared one).

    Slides: the cover (the colleges in their colours, and which have no figure charted);
    the agenda (every theme: its slides, or why it has none); per theme as many slides as
    its charts need (see the note at the top of this section): the figures of
    transforms.normalised() (comparable indicators, like for like, plus figures of other
    periods marked with their period), raw, one small chart per indicator of only the
    colleges that report it; a rank (名次) as dots on a reversed axis; then the shared
    indicators not compared like for like and why (transforms.not_compared); then the
    sources. A figure not reported is absent, never 0. With fewer than two colleges, or
    nothing to chart, the deck is the cover plus a slide saying so.
    """
    chosen = list(dict.fromkeys(chosen))
    names = _names(scope, lang)
    colours = colours_for(chosen)

    prs = _new_presentation(lang)
    prs.core_properties.title = title
    prs.core_properties.subject = subtitle
    prs.core_properties.language = "en-US" if lang == "en" else "zh-CN"

    if len(chosen) < 2:
        _cover(prs, title, subtitle, chosen, names, colours, set(chosen), lang)
        _message_slide(prs, t("deck_nothing_title", lang), t("compare_need_two", lang), lang)
        return _save(prs)

    scaled = normalised(obs, chosen, period)
    described = describe(scaled, lang) if not scaled.empty else scaled
    apart = not_compared(obs, chosen, lang, period)
    if not described.empty and not apart.empty:  # those drawn with their periods on the bars are charted
        apart = apart[~apart[t("indicator", lang)].isin(set(described["indicator"]))]
    charted = set(described["institution_id"]) if not described.empty else set()
    _cover(prs, title, subtitle, chosen, names, colours, charted, lang)
    if described.empty:
        message = t("compare_none_shared", lang) if apart.empty else t("deck_none_comparable", lang)
        _message_slide(prs, t("deck_nothing_title", lang), message, lang)
        if not apart.empty:
            _apart_slides(prs, apart, lang)
        return _save(prs)

    agenda = _slide(prs, _LAYOUT_TITLE_ONLY, lang)
    themes: dict[str, list] = {}
    for theme in THEMES:
        rows = described[described["theme"] == theme]
        if not rows.empty:
            themes[theme] = _theme_slides(prs, theme, rows, chosen, names, colours, lang, {})
    apart_slides = _apart_slides(prs, apart, lang) if not apart.empty else []
    sources = _list_slides(prs, t("deck_sources_title", lang), _source_lines(described, lang), lang,
                           intro=t("deck_sources_intro", lang))
    first_source = _index(prs, sources[0])
    for made in themes.values():
        for slide, caption, takeaway, shown in made:
            text = t("deck_caption", lang, page=first_source)
            _paragraphs(caption.text_frame, [text], lang, 12, colour=MUTED_COLOUR)
            _notes(slide, [takeaway, text, *_source_lines(shown, lang)])

    lines = []
    for theme in THEMES:
        label = v("theme", theme, lang)
        if theme in themes:
            first, last = _index(prs, themes[theme][0][0]), _index(prs, themes[theme][-1][0])
            pages = str(first) if first == last else f"{first}–{last}"
            count = sum(cell_rows["indicator_id"].nunique() for _, _, _, cell_rows in themes[theme])
            lines.append(t("deck_agenda_theme", lang, theme=label, pages=pages, n=count))
        else:
            lines.append(t("deck_agenda_none", lang, theme=label, why=_theme_reason(obs, theme, chosen, apart, lang)))
    if apart_slides:
        lines.append(t("deck_agenda_apart", lang, page=_index(prs, apart_slides[0]), n=len(apart)))
    lines.append(t("deck_agenda_sources", lang, page=first_source))
    _title(agenda, t("deck_agenda_title", lang), lang)
    box = _textbox(agenda, MARGIN, Inches(CONTENT_TOP - 0.3), SLIDE_WIDTH - 2 * MARGIN,
                   Inches(CONTENT_BOTTOM - CONTENT_TOP + 0.6), lines, lang, 18)
    for paragraph in box.text_frame.paragraphs:
        paragraph.space_after = Pt(8)
    _notes(agenda, lines)
    _renumber(prs)
    return _save(prs)


def _index(prs, slide) -> int:
    """A slide's 1-based number."""
    return [s.slide_id for s in prs.slides].index(slide.slide_id) + 1


def _renumber(prs) -> None:
    """The cached text of each slide-number field (PowerPoint recomputes it on opening)."""
    for number, slide in enumerate(prs.slides, start=1):
        for field in slide._element.iter(qn("a:fld")):
            if field.get("type") == "slidenum":
                field.find(qn("a:t")).text = str(number)


def _cover(prs, title: str, subtitle: str, chosen: list[str], names: dict, colours: dict, charted: set, lang: str) -> None:
    slide = _slide(prs, _LAYOUT_TITLE, lang)
    _title(slide, title, lang, top=Inches(1.0), height=Inches(1.2), size=36)
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = MARGIN, Inches(2.25), SLIDE_WIDTH - 2 * MARGIN, Inches(0.8)
    if subtitle:
        _paragraphs(sub.text_frame, [subtitle], lang, 16, colour=MUTED_COLOUR, align=PP_ALIGN.LEFT)
    else:  # an empty placeholder would show "Click to add subtitle" while editing
        sub._element.getparent().remove(sub._element)
    heading = [t("deck_institutions", lang)] if chosen else []
    _textbox(slide, MARGIN, Inches(3.2), SLIDE_WIDTH - 2 * MARGIN, Inches(0.45), heading, lang, 16, bold=True)
    listed = []
    for iid in chosen:
        name = names.get(iid, iid)
        if iid not in charted:
            name += t("deck_no_figure", lang)
        listed.append((colours.get(iid, PALETTE[0]), name))
    _textbox(slide, MARGIN, Inches(3.7), SLIDE_WIDTH - 2 * MARGIN, Inches(2.6), listed, lang, 18)
    _textbox(slide, MARGIN, Inches(6.35), SLIDE_WIDTH - 2 * MARGIN - Inches(NUMBER_WIDTH + 0.1), Inches(0.95),
             [t("deck_method", lang)], lang, 12, colour=MUTED_COLOUR)
    _notes(slide, [title, subtitle, *(name for _, name in listed), t("deck_method", lang)])


def _message_slide(prs, heading: str, message: str, lang: str) -> None:
    slide = _slide(prs, _LAYOUT_TITLE_ONLY, lang)
    _title(slide, heading, lang)
    _textbox(slide, MARGIN, Inches(2.0), SLIDE_WIDTH - 2 * MARGIN, Inches(2.0), [message], lang, 24)
    _notes(slide, [message])


def _apart_slides(prs, apart: pd.DataFrame, lang: str) -> list:
    colon = "：" if lang == "zh" else ": "
    lines = [f"{row[t('indicator', lang)]}{colon}{row[t('why_not_compared', lang)]}" for _, row in apart.iterrows()]
    return _list_slides(prs, t("deck_apart_title", lang), lines, lang, intro=t("deck_apart_intro", lang))


def _save(prs) -> bytes:
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
