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
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pandas as pd
import xlsxwriter
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from .charts import PALETTE, institution_colours, normalised_labels, sources_caption
from .exports import neutralise
from .i18n import format_value, name_column, t, v
from .transforms import THEMES, describe, leaders, normalised, shared_indicators, short_title

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
        self.number = book.add_format(base)
        self.date = book.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"})
        self.link = book.add_format({**base, "font_color": "#0563C1", "underline": 1})
        self.title = book.add_format({**base, "bold": True, "font_size": 14})
        self.label = book.add_format({**base, "bold": True})


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


def _write_frame(sheet, frame: pd.DataFrame, formats: _Formats, wide: Sequence[str] = ()) -> None:
    """A frame as a sheet: bold header in row 1, frozen, with an autofilter; columns sized
    to their content (CJK counts double, capped), long text wrapped."""
    columns = list(frame.columns)
    for col, name in enumerate(columns):
        _write_cell(sheet, 0, col, str(name), formats.header, formats)
    records = frame.to_numpy(dtype=object)
    for col, name in enumerate(columns):
        values = records[:, col] if len(records) else []
        widest = max([display_width(_cell_text(value)) for value in values[:2000]] or [0])
        header = display_width(name)
        wraps = widest > MAX_COLUMN_WIDTH or name in wide
        numeric = pd.api.types.is_numeric_dtype(frame[name].dtype) and not pd.api.types.is_bool_dtype(frame[name].dtype)
        fmt = formats.wrap if wraps else formats.number if numeric else formats.text
        width = min(max(widest, min(header, 24), MIN_COLUMN_WIDTH) + 2, MAX_COLUMN_WIDTH)
        sheet.set_column(col, col, width)
        for row, value in enumerate(values, start=1):
            _write_cell(sheet, row, col, value, fmt, formats)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(frame), 1), max(len(columns) - 1, 0))
    sheet.repeat_rows(0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4


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
    _write_frame(data, table, formats, wide=[t("evidence", lang), t("notes", lang)])
    header = title[:150].replace("&", "&&")  # Excel caps a page header at 255 characters
    data.set_header(f'&L&"{CJK_FONT},Regular"{header}')
    data.set_footer("&R&P / &N")

    _write_frame(book.add_worksheet(t("xlsx_sheet_indicators", lang)), _indicator_sheet(indicators, lang), formats,
                 wide=[t("definition", lang)])
    _write_frame(book.add_worksheet(t("xlsx_sheet_sources", lang)), _source_sheet(sources, lang), formats)

    info = book.add_worksheet(t("xlsx_sheet_about", lang))
    info.set_column(0, 0, 16)
    info.set_column(1, 1, 100)
    _write_cell(info, 0, 0, title, formats.title, formats)
    lines = [
        (t("exported_at", lang), export_time_text(lang, exported_at)),
        (t("row_count", lang), len(table)),
        *((label, text) for label, text in (about or {}).items()),
    ]
    row = 2
    for label, text in lines:
        _write_cell(info, row, 0, label, formats.label, formats)
        _write_cell(info, row, 1, text, formats.wrap, formats)
        row += 1
    row += 1
    _write_cell(info, row, 0, t("notes_heading", lang), formats.label, formats)
    for key in ("xlsx_note_missing", "xlsx_note_marks", "xlsx_note_quote", "xlsx_note_ids"):
        _write_cell(info, row, 1, t(key, lang), formats.wrap, formats)
        row += 1
    book.close()
    return buffer.getvalue()


# --- PowerPoint ------------------------------------------------------------------------

SLIDE_WIDTH = Emu(12192000)  # 13.333 in: 16:9 with the standard 7.5 in height
SLIDE_HEIGHT = Emu(6858000)
MARGIN = Inches(0.5)
TEXT_COLOUR = "222222"
MUTED_COLOUR = "555555"
_LAYOUT_TITLE, _LAYOUT_TITLE_ONLY = 0, 5


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
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if colour is not None:
        font.color.rgb = RGBColor.from_string(colour.lstrip("#"))


def _paragraphs(frame, lines: Sequence[str | tuple[str, str]], lang: str, size: float, colour: str = TEXT_COLOUR,
                bold: bool = False, align=None) -> None:
    """Fill a text frame: one paragraph per line; a (mark, text) line draws the mark in
    its own colour (the coloured square before an institution's name)."""
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


def _textbox(slide, left, top, width, height, lines, lang: str, size: float, **style):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = Inches(0.05)
    _paragraphs(frame, lines, lang, size, **style)
    return box


def _title(slide, text: str, lang: str, top=Inches(0.3), height=Inches(0.9), size: float = 28) -> None:
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, top, SLIDE_WIDTH - 2 * MARGIN, height
    shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _paragraphs(shape.text_frame, [text], lang, size, bold=True, align=PP_ALIGN.LEFT)


def _notes(slide, lines: Sequence[str]) -> None:
    """Speaker notes: what the presenter may want to read out."""
    slide.notes_slide.notes_text_frame.text = "\n".join(line for line in lines if line)


def _names(scope: pd.DataFrame, lang: str) -> dict[str, str]:
    if scope.empty:
        return {}
    return dict(zip(scope["institution_id"], scope[name_column(lang)]))


def _title_slide(prs, title: str, subtitle: str, chosen: list[str], names: dict, colours: dict, lang: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_TITLE])
    _title(slide, title, lang, top=Inches(1.2), height=Inches(1.3), size=36)
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = MARGIN, Inches(2.55), SLIDE_WIDTH - 2 * MARGIN, Inches(0.7)
    if subtitle:
        _paragraphs(sub.text_frame, [subtitle], lang, 18, colour=MUTED_COLOUR, align=PP_ALIGN.LEFT)
    else:  # an empty placeholder would show "Click to add subtitle" while editing
        sub._element.getparent().remove(sub._element)
    lines = [t("deck_institutions", lang)] if chosen else []
    _textbox(slide, MARGIN, Inches(3.45), SLIDE_WIDTH - 2 * MARGIN, Inches(0.5), lines, lang, 16, bold=True)
    listed = [(colours.get(iid, PALETTE[0]), names.get(iid, iid)) for iid in chosen]
    _textbox(slide, MARGIN, Inches(3.95), SLIDE_WIDTH - 2 * MARGIN, Inches(2.4), listed, lang, 18)
    _textbox(slide, MARGIN, Inches(6.5), SLIDE_WIDTH - 2 * MARGIN, Inches(0.8), [t("deck_method", lang)], lang, 11,
             colour=MUTED_COLOUR)
    _notes(slide, [title, subtitle, *(name for _, name in listed), t("deck_method", lang)])


def _message_slide(prs, heading: str, message: str, lang: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_TITLE_ONLY])
    _title(slide, heading, lang)
    _textbox(slide, MARGIN, Inches(2.0), SLIDE_WIDTH - 2 * MARGIN, Inches(2.0), [message], lang, 24)
    _notes(slide, [message])


def _label(row: pd.Series, lang: str) -> str:
    """The data label: the raw figure with its mark (≈400人, >1,400人, 96.08%)."""
    text = format_value(float(row["value"]), row["unit"], row["qualifier"], lang)
    if row["kind"] == "target":
        text = f"{t('legend_target', lang)} {text}"
    if "like" in row and not row["like"]:
        text += f" · {row['period_text']}"  # another period than the set's: say which
    return text


def _category(rows: pd.DataFrame, lang: str) -> str:
    first = rows.iloc[0]
    name = normalised_labels(rows, lang)[0]  # the row label on screen: indicator (period compared)
    direction = first["higher_is_better"]
    if pd.notna(direction) and not bool(direction):
        name += f"（{t('lower_is_better', lang)}）" if lang == "zh" else f" ({t('lower_is_better', lang)})"
    return name


def _caption(rows: pd.DataFrame, left_out: list[str], lang: str) -> list[str]:
    """Scaling note, then every source drawn with its periods (full titles), then what was
    left out."""
    full = rows.assign(source_short=[
        short_title(title, inst, limit=10_000) for title, inst in zip(rows["source"], rows["institution_zh"])
    ])
    lines = [f"{t('scaled_value', lang)}。{t('deck_method', lang)}" if lang == "zh"
             else f"{t('scaled_value', lang)}. {t('deck_method', lang)}",
             sources_caption(full, lang)]
    if left_out:
        lines.append(t("deck_not_charted", lang, names=("、" if lang == "zh" else ", ").join(left_out)))
    return lines


def _takeaway(rows: pd.DataFrame, names: dict, total: int, lang: str) -> str:
    # Only like-for-like indicators with a better direction make anyone lead.
    leads = leaders(rows)
    if leads.empty:
        return ""
    leader = leads.index[0]
    like = rows[rows["like"] & rows["higher_is_better"].notna()]["indicator_id"].nunique()
    return t("deck_leads", lang, name=names.get(leader, leader), n=int(leads.iloc[0]), total=like)


def _theme_slide(prs, theme: str, rows: pd.DataFrame, left_out: list[str], chosen: list[str],
                 names: dict, colours: dict, lang: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_TITLE_ONLY])
    _title(slide, t("deck_theme_title", lang, theme=v("theme", theme, lang)), lang)

    indicator_ids = sorted(rows["indicator_id"].unique())
    by_indicator = {iid: rows[rows["indicator_id"] == iid] for iid in indicator_ids}
    takeaway = _takeaway(rows, names, len(indicator_ids), lang)
    _textbox(slide, MARGIN, Inches(1.15), SLIDE_WIDTH - 2 * MARGIN, Inches(0.45), [takeaway], lang, 16,
             colour=MUTED_COLOUR)

    data = CategoryChartData(number_format="0.00")
    data.categories = [_category(by_indicator[iid], lang) for iid in indicator_ids]
    labels: dict[str, list[str | None]] = {}
    for institution_id in chosen:
        values, texts = [], []
        for iid in indicator_ids:
            hit = by_indicator[iid][by_indicator[iid]["institution_id"] == institution_id]
            scaled = hit["scaled"].iloc[0] if not hit.empty else None
            if scaled is None or pd.isna(scaled):
                values.append(None)  # not reported: a gap, never 0
                texts.append(None)
            else:
                values.append(float(scaled))
                texts.append(_label(hit.iloc[0], lang))
        data.add_series(names.get(institution_id, institution_id), values)
        labels[institution_id] = texts

    top, caption_height = Inches(1.6), Inches(1.05)
    chart_height = SLIDE_HEIGHT - top - caption_height - Inches(0.2)
    crowded = len(indicator_ids) * len(chosen) > 30
    tick_size, label_size = (10, 8) if crowded else (12, 10)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, MARGIN, top, SLIDE_WIDTH - 2 * MARGIN, chart_height, data)
    chart = frame.chart
    _cjk(chart.font, lang, 12, colour=TEXT_COLOUR)
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    _cjk(chart.legend.font, lang, 12)

    plot = chart.plots[0]
    plot.gap_width = 60
    plot.overlap = -10
    plot.vary_by_categories = False

    categories = chart.category_axis
    categories.reverse_order = True  # first indicator on top, series in legend order
    # ...and the value axis stays at the bottom: it crosses the category axis at its last
    # category (c:valAx/c:crosses = max; python-pptx only exposes the other direction).
    values_crossing = chart.value_axis._element.find(qn("c:crosses"))
    if values_crossing is not None:
        values_crossing.set("val", "max")
    categories.has_major_gridlines = False
    _cjk(categories.tick_labels.font, lang, tick_size)

    values = chart.value_axis
    values.minimum_scale = 0
    values.maximum_scale = 1.3  # room for the labels outside the longest bar
    values.major_unit = 0.25
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    values.tick_labels.number_format = "General"
    values.tick_labels.number_format_is_linked = False
    _cjk(values.tick_labels.font, lang, 10, colour=MUTED_COLOUR)
    values.has_title = True
    values.axis_title.text_frame.text = t("scaled_value", lang)
    for paragraph in values.axis_title.text_frame.paragraphs:
        for run in paragraph.runs:
            _cjk(run.font, lang, 11, bold=False, colour=MUTED_COLOUR)

    for series, institution_id in zip(plot.series, chosen):
        series.invert_if_negative = False
        fill = series.format.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(colours.get(institution_id, PALETTE[0]).lstrip("#"))
        for index, text in enumerate(labels[institution_id]):
            if text is None:
                continue
            label = series.points[index].data_label
            label.position = XL_LABEL_POSITION.OUTSIDE_END
            label.text_frame.text = text
            for run in label.text_frame.paragraphs[0].runs:
                _cjk(run.font, lang, label_size, colour=TEXT_COLOUR)

    caption = _caption(rows, left_out, lang)
    size = 10 if sum(len(line) for line in caption) < 420 else 8
    _textbox(slide, MARGIN, SLIDE_HEIGHT - caption_height - Inches(0.1), SLIDE_WIDTH - 2 * MARGIN, caption_height,
             caption, lang, size, colour=MUTED_COLOUR)
    _notes(slide, [takeaway, *caption])


def pptx_bytes(obs: pd.DataFrame, chosen: Sequence[str], scope: pd.DataFrame, lang: str, title: str, subtitle: str,
               period: int | None = None) -> bytes:
    """A 16:9 .pptx deck of the Compare page.

    obs: queries.observations() frame (it may hold more institutions than chosen);
    chosen: institution ids in the order picked (2–6); scope: institutions frame with
    institution_id, name_zh, name_en (colours follow charts.institution_colours of its
    ids: pass every institution, as the app colours by the full list, and each college
    keeps its on-screen colour whatever the filters); title, subtitle: for the title
    slide (e.g. period and export time).

    Slide 1 lists the chosen institutions. Then one slide per theme (employment, training,
    competition, party building, context) that has something to chart, each with a native,
    editable clustered bar chart: the theme's indicators that at least two chosen
    institutions report (latest figure each, as transforms.shared_indicators), one series
    per institution.

    Scaling: the values are transforms.normalised(), exactly as the Compare page's
    normalised chart: per indicator, the best among the chosen is 1 (for higher-is-better
    and no-direction indicators the largest; for lower-is-better the smallest), so one
    axis never mixes units. Only comparable indicators are charted: a non-comparable one
    is measured differently from source to source, and scaling those against each other
    would suggest a comparison the data cannot support. Shared non-comparable indicators
    are named in the caption of their theme's slide instead; a theme whose shared
    indicators are all non-comparable gets no slide.

    (transforms.normalised cannot scale a lower-is-better figure of 0; such a figure would
    show as a gap, as on the Compare page. The curated data have none.)

    Each bar carries the raw figure with its mark as its data label (≈400人, >1,400人,
    targets prefixed 目标); a figure not reported is a gap (None), never 0. The caption
    under the chart names every source and period drawn and says the values are scaled,
    max = 1. With fewer than two institutions, or nothing to chart, the deck is the title
    slide plus a slide saying so.
    """
    chosen = list(dict.fromkeys(chosen))
    names = _names(scope, lang)
    colours = institution_colours(scope["institution_id"]) if not scope.empty else {}
    for institution_id in chosen:  # an id missing from scope still gets a colour of its own
        colours.setdefault(institution_id, PALETTE[len(colours) % len(PALETTE)])

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_WIDTH), Emu(SLIDE_HEIGHT)
    prs.core_properties.title = title
    prs.core_properties.subject = subtitle
    prs.core_properties.language = "en-US" if lang == "en" else "zh-CN"
    _title_slide(prs, title, subtitle, chosen, names, colours, lang)

    if len(chosen) < 2:
        _message_slide(prs, t("deck_nothing_title", lang), t("compare_need_two", lang), lang)
        return _save(prs)

    shared = shared_indicators(obs, chosen, period)
    scaled = normalised(obs, chosen, period)
    if shared.empty and scaled.empty:
        _message_slide(prs, t("deck_nothing_title", lang), t("compare_none_shared", lang), lang)
        return _save(prs)

    described = describe(scaled, lang) if not scaled.empty else scaled
    left_out_rows = describe(shared[~shared["comparable"].astype(bool)], lang)
    slides = 0
    for theme in THEMES:
        rows = described[described["theme"] == theme] if not described.empty else described
        if rows.empty:
            continue
        others = left_out_rows[left_out_rows["theme"] == theme]
        left_out = list(dict.fromkeys(others.sort_values("indicator_id")["indicator"])) if not others.empty else []
        _theme_slide(prs, theme, rows, left_out, chosen, names, colours, lang)
        slides += 1
    if not slides:
        _message_slide(prs, t("deck_nothing_title", lang), t("deck_none_comparable", lang), lang)
    return _save(prs)


def _save(prs) -> bytes:
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
