import csv
import io
from datetime import datetime, timezone

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from dashboard import charts, exports, office, queries, transforms
from dashboard.filters import Filters

CHOSEN = ["dalian_vtc", "tianjin_livtc", "jiaxing_vtc"]


@pytest.fixture(scope="module")
def data(ref):
    everything = Filters()
    return {
        "obs": queries.observations(ref, everything),
        "scope": queries.institutions_in_scope(ref, everything),
        "indicators": queries.indicators(ref),
        "sources": queries.sources(ref, everything),
    }


# --- neutralise and CSV ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("大连职业技术学院", "大连职业技术学院"),
        ("1-2", "1-2"),
        ("", ""),
        (-5.0, -5.0),
        (3, 3),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert office.neutralise(value) == expected


def test_csv_neutralises_text_and_keeps_numbers():
    frame = pd.DataFrame({
        "text": ["=cmd|' /C calc'!A0", "+1", "-1+2", "@SUM(1)", "\tx", "\rx", "fine", None],
        "number": [-5.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, None],
    })
    text = exports.csv_bytes(frame).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [row[0] for row in rows[1:]] == ["'=cmd|' /C calc'!A0", "'+1", "'-1+2", "'@SUM(1)", "'\tx", "'\rx", "fine", ""]
    assert [row[1] for row in rows[1:]][:2] == ["-5", "1.5"]  # a negative number stays a number
    assert [row[1] for row in rows[1:]][-1] == ""  # missing stays empty
    assert text.endswith("\r\n")


def test_csv_writes_whole_numbers_without_a_decimal_point():
    frame = pd.DataFrame({"value": [288.0, 96.08, 1400.0, None, 0.1 + 0.2], "period": [2021, 2022, 2023, 2024, 2025]})
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert [row[0] for row in rows[1:]] == ["288", "96.08", "1400", "", "0.30000000000000004"]
    assert [row[1] for row in rows[1:]] == ["2021", "2022", "2023", "2024", "2025"]


# --- Excel -----------------------------------------------------------------------------

def _workbook(data, lang, inject=None):
    table = transforms.tidy_table(data["obs"], lang)
    if inject:
        table.loc[0, transforms.t("evidence", lang)] = inject
    raw = office.xlsx_bytes(
        table, data["indicators"], data["sources"], lang, "VocDash 数据导出",
        about={"筛选" if lang == "zh" else "Filters": "全部" if lang == "zh" else "all"},
        exported_at=datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc),
    )
    return table, openpyxl.load_workbook(io.BytesIO(raw))


def test_xlsx_sheets_headers_and_types(data):
    table, book = _workbook(data, "zh", inject="=1+1")
    assert book.sheetnames[:3] == ["数据", "指标说明", "来源"]
    sheet = book["数据"]
    assert sheet.freeze_panes == "A2"
    headers = [cell.value for cell in sheet[1]]
    # The columns that print come first; the split-out number, unit and qualifier and the ids follow.
    assert headers[:5] == ["院校", "主题", "指标", "时期", "数值（含标记）"]
    assert sorted(headers) == sorted(table.columns)
    assert sheet.max_row == 1 + len(table)
    assert sheet.auto_filter.ref.startswith("A1:")

    value_col = headers.index("数值") + 1
    cell = sheet.cell(row=2, column=value_col)
    assert cell.data_type == "n" and isinstance(cell.value, (int, float))
    assert cell.value == pytest.approx(float(table.loc[0, "数值"]))

    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert max(widths.values()) <= office.MAX_COLUMN_WIDTH + 1  # XlsxWriter adds its 0.71 padding
    # 大连职业技术学院 (16 cells) wraps in a column capped for print, in a row tall enough for it.
    assert sheet.cell(row=2, column=1).alignment.wrap_text
    assert sheet.row_dimensions[2].height >= 2 * office.LINE_HEIGHT
    evidence_col = headers.index("原文摘录") + 1
    assert sheet.cell(row=3, column=evidence_col).alignment.wrap_text

    injected = sheet.cell(row=2, column=evidence_col)
    assert injected.value == "'=1+1"
    assert injected.data_type != "f"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)

    glossary = book["指标说明"]
    assert [c.value for c in glossary[1]] == ["指标编号", "主题", "指标", "单位", "定义", "越高越好", "可比"]
    assert glossary.max_row == 1 + len(data["indicators"])
    assert glossary.freeze_panes == "A2"
    sources = book["来源"]
    heads = [c.value for c in sources[1]]
    assert heads[:5] == ["院校", "标题", "文件类型", "时期", "发布日期"]
    assert sources.max_row == 1 + len(data["sources"])
    published = {row[1]: row[4] for row in sources.iter_rows(min_row=2, values_only=True)}
    assert published["大连职业技术学院（大连开放大学）领导班子2021年度工作总结"] == "不详"
    assert isinstance(published["喜迎党代会 | 坚持党建引领 培养红船工匠 嘉兴职业技术学院高质量打造新时代党建高地"], datetime)
    figures = heads.index("数据条数")
    assert all(isinstance(row[figures], (int, float)) for row in sources.iter_rows(min_row=2, values_only=True))

    about = book["说明"]
    text = " ".join(str(c.value) for row in about.iter_rows() for c in row if c.value is not None)
    assert "未报告" in text and "不等于 0" in text and "2026-01-02 11:04" in text


def test_xlsx_prints_on_a4_fitted_to_the_width(data):
    table, book = _workbook(data, "zh")
    for name in ("数据", "指标说明", "来源"):
        sheet = book[name]
        assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape", name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0, name  # None: the default, 1
        assert sheet.print_title_rows.replace("$", "") == "1:1", name  # the header row on every page
        assert "&P / &N" in sheet.oddFooter.right.text
    data_sheet = book["数据"]
    headers = [cell.value for cell in data_sheet[1]]
    printed = data_sheet.print_area[0].split("!")[1] if isinstance(data_sheet.print_area, list) else data_sheet.print_area.split("!")[1]
    last = openpyxl.utils.column_index_from_string(printed.split(":")[1].strip("$").rstrip("0123456789$"))
    on_paper = headers[:last]
    assert "数值（含标记）" in on_paper and "来源" in on_paper and "原文摘录" in on_paper
    assert not any(h.islower() for h in on_paper)  # machine ids stay off paper
    about = book["说明"]
    assert about.page_setup.orientation == "portrait" and about.page_setup.paperSize == 9
    assert about.page_setup.fitToWidth in (None, 1) and about.page_setup.fitToHeight in (None, 1)  # one page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_stores_numbers_and_plain_years_as_numbers(data, lang):
    table, book = _workbook(data, lang)
    sheet = book["数据" if lang == "zh" else "Data"]
    headers = [cell.value for cell in sheet[1]]
    period = headers.index("时期" if lang == "zh" else "Period") + 1
    value = headers.index("数值" if lang == "zh" else "Value") + 1
    years = [sheet.cell(row=r, column=period) for r in range(2, sheet.max_row + 1)]
    plain = [cell for cell in years if cell.data_type == "n"]
    assert plain and all(isinstance(cell.value, int) and 1949 <= cell.value <= 2100 for cell in plain)
    assert all(cell.number_format == ('0"年"' if lang == "zh" else "0") for cell in plain)
    # An academic year or a span is a label, kept as text.
    assert all(("学年" in cell.value or "AY" in cell.value or "–" in cell.value or "截至" in cell.value
                or "since" in cell.value or "as of" in cell.value) for cell in years if cell.data_type == "s")
    assert all(sheet.cell(row=r, column=value).data_type == "n" for r in range(2, sheet.max_row + 1))


def test_xlsx_in_english_labels_the_chinese_text(data):
    table, book = _workbook(data, "en")
    headers = [cell.value for cell in book["Data"][1]]
    assert "Notes (original language: Chinese)" in headers and "Evidence (verbatim, Chinese)" in headers
    about = " ".join(str(c.value) for row in book["About"].iter_rows() for c in row if c.value is not None)
    assert "original language (Chinese)" in about
    units = {cell.value for cell in book["Data"]["I"]} | {cell.value for row in book["Data"].iter_rows() for cell in row}
    assert not any(isinstance(text, str) and text.startswith("1 ") and text.endswith(("persons", "items", "times"))
                   for text in units)


def test_xlsx_in_english(data):
    table, book = _workbook(data, "en")
    assert book.sheetnames == ["Data", "Indicators", "Sources", "About"]
    headers = [cell.value for cell in book["Data"][1]]
    assert headers[:5] == ["Institution", "Theme", "Indicator", "Period", "Value (marked)"]
    assert book["Data"].max_row == 1 + len(table)
    assert book["Sources"].cell(row=2, column=1).value in set(data["sources"]["institution_en"])


def test_xlsx_of_an_empty_table(data):
    empty = transforms.tidy_table(data["obs"].head(0), "zh")
    book = openpyxl.load_workbook(io.BytesIO(office.xlsx_bytes(empty, data["indicators"], data["sources"], "zh", "空")))
    assert book["数据"].max_row == 1
    assert [c.value for c in book["数据"][1]][:2] == ["院校", "主题"]


def test_display_width_counts_cjk_double():
    assert office.display_width("ab") == 2
    assert office.display_width("院校") == 4
    assert office.display_width("（") == 2


# --- PowerPoint ------------------------------------------------------------------------

def _deck(data, lang, chosen=CHOSEN):
    raw = office.pptx_bytes(data["obs"], chosen, data["scope"], lang, "院校对比" if lang == "zh" else "Comparison", "2020–2021")
    return Presentation(io.BytesIO(raw))


def _texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def _charts(slide):
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def test_pptx_one_native_chart_per_theme(data):
    deck = _deck(data, "zh")
    assert deck.slide_width * 9 == deck.slide_height * 16
    comparable = transforms.normalised(data["obs"], CHOSEN)
    themes = [theme for theme in transforms.THEMES if theme in set(comparable["theme"])]
    assert themes == ["training", "party_building", "other"]  # nothing on employment is shared
    assert len(deck.slides) == 1 + len(themes)

    names = data["scope"].set_index("institution_id")["name_zh"]
    cover = _texts(deck.slides[0])
    assert all(names[iid] in cover for iid in CHOSEN)

    for slide, theme in zip(list(deck.slides)[1:], themes):
        found = _charts(slide)
        assert len(found) == 1
        chart = found[0]
        assert chart.chart_type in (XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.COLUMN_CLUSTERED)
        assert [series.name for series in chart.plots[0].series] == [names[iid] for iid in CHOSEN]
        assert "缩放值（最大 = 1）" in _texts(slide)


def test_pptx_values_are_scaled_and_gaps_stay_gaps(data):
    deck = _deck(data, "zh")
    slide = next(s for s in deck.slides if "党建" in s.shapes.title.text_frame.text)
    chart = _charts(slide)[0]
    categories = list(chart.plots[0].categories)
    row = categories.index("党委理论学习中心组学习次数")
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    assert series["大连职业技术学院"][row] == pytest.approx(10 / 14)
    assert series["天津轻工职业技术学院"][row] == pytest.approx(1.0)
    assert series["嘉兴职业技术学院"][row] is None  # not reported: a gap, not 0
    assert all(value is None or 0 < value <= 1 for values in series.values() for value in values)

    # Dalian's figure is of 2021, Tianjin's of 2020: no like-for-like set, so each bar says its year.
    dalian = chart.plots[0].series[0]
    assert dalian.points[row].data_label.text_frame.text == "10次 · 2021年"
    tianjin = chart.plots[0].series[1]
    assert tianjin.points[row].data_label.text_frame.text == "14次 · 2020年"


def test_pptx_labels_carry_their_mark_and_targets_say_so(data):
    obs = data["obs"].copy()
    deeds = (obs["institution_id"] == "jiaxing_vtc") & (obs["indicator_id"] == "pb_practical_deeds")
    sessions = (obs["institution_id"] == "dalian_vtc") & (obs["indicator_id"] == "pb_central_group_sessions")
    others = (obs["institution_id"] == "tianjin_livtc") & (obs["indicator_id"] == "pb_central_group_sessions")
    assert deeds.sum() == 1 and sessions.sum() == 1 and others.sum() == 1
    obs.loc[deeds, "qualifier"] = "more_than"
    # A target is only ever drawn beside targets.
    obs.loc[sessions, ["qualifier", "kind"]] = ["approx", "target"]
    obs.loc[others, "kind"] = "target"
    raw = office.pptx_bytes(obs, CHOSEN, data["scope"], "zh", "院校对比", "")
    slide = next(s for s in Presentation(io.BytesIO(raw)).slides if "党建" in s.shapes.title.text_frame.text)
    labels = [label for series in _charts(slide)[0].plots[0].series for label in _point_labels(series)]
    assert any(label.startswith(">65项") for label in labels)
    assert "目标 ≈10次 · 2021年" in labels


def _point_labels(series):
    return [
        series.points[index].data_label.text_frame.text
        for index, value in enumerate(series.values)
        if value is not None
    ]


def test_pptx_caption_names_sources_and_periods(data):
    deck = _deck(data, "zh")
    shown = transforms.normalised(data["obs"], CHOSEN)
    for slide in list(deck.slides)[1:]:
        text = _texts(slide)
        theme = next(th for th in transforms.THEMES if text.startswith(transforms.v("theme", th, "zh")))
        used = shown[shown["theme"] == theme]
        for title, institution in set(zip(used["source_title"], used["institution_zh"])):
            assert transforms.short_title(title, institution, limit=10_000) in text
        assert "来源：" in text
        assert "（2021年）" in text or "（2020年）" in text
    party = next(s for s in deck.slides if "党建" in s.shapes.title.text_frame.text)
    assert "大连职业技术学院《领导班子2021年度工作总结》（2021年）" in _texts(party)


def test_pptx_colours_follow_the_app(data):
    colours = charts.institution_colours(data["scope"]["institution_id"])
    chart = _charts(_deck(data, "zh").slides[1])[0]
    for series, iid in zip(chart.plots[0].series, CHOSEN):
        assert str(series.format.fill.fore_color.rgb) == colours[iid].lstrip("#").upper()


def test_pptx_text_has_an_east_asian_font(data):
    deck = _deck(data, "zh")
    xml = deck.slides[1].shapes.title._element.xml
    assert f'<a:ea typeface="{office.CJK_FONT}"/>' in xml


def test_pptx_in_english(data):
    deck = _deck(data, "en")
    names = data["scope"].set_index("institution_id")["name_en"]
    cover = _texts(deck.slides[0])
    assert all(names[iid] in cover for iid in CHOSEN)
    chart = _charts(deck.slides[1])[0]
    assert [s.name for s in chart.plots[0].series] == [names[iid] for iid in CHOSEN]
    assert "Scaled value (max = 1)" in _texts(deck.slides[1])
    assert "Sources:" in _texts(deck.slides[1])


@pytest.mark.parametrize("chosen", [["dalian_vtc"], [], ["dalian_vtc", "hubei_ou"]])
def test_pptx_with_nothing_to_compare_is_still_a_deck(data, chosen):
    deck = _deck(data, "zh", chosen)
    assert len(deck.slides) == 2
    assert not any(_charts(slide) for slide in deck.slides)
    message = _texts(deck.slides[1])
    assert "2 所" in message or "没有同期、同口径的共同指标" in message


def test_pptx_an_institution_without_figures_is_all_gaps(data):
    everyone = list(data["scope"]["institution_id"])  # hubei_ou reports no figure at all
    deck = Presentation(io.BytesIO(office.pptx_bytes(data["obs"], everyone, data["scope"], "zh", "全部", "")))
    hubei = data["scope"].set_index("institution_id").loc["hubei_ou", "name_zh"]
    for slide in list(deck.slides)[1:]:
        series = {s.name: list(s.values) for s in _charts(slide)[0].plots[0].series}
        assert len(series) == len(everyone)
        assert all(value is None for value in series[hubei])
    assert hubei in _texts(deck.slides[0])


def test_pptx_charts_only_comparable_indicators_and_names_the_rest(data):
    obs = data["obs"].copy()
    obs.loc[obs["indicator_id"] == "pb_practical_deeds", "comparable"] = False
    deck = Presentation(io.BytesIO(office.pptx_bytes(obs, CHOSEN, data["scope"], "zh", "对比", "")))
    party = next(s for s in deck.slides if "党建" in s.shapes.title.text_frame.text)
    assert "“我为群众办实事”事项数" not in list(_charts(party)[0].plots[0].categories)
    assert "未绘制（口径不一致，详见数据表）：“我为群众办实事”事项数" in _texts(party)

    nothing = Presentation(io.BytesIO(office.pptx_bytes(obs.assign(comparable=False), CHOSEN, data["scope"], "en", "C", "")))
    assert len(nothing.slides) == 2
    assert "measured differently" in _texts(nothing.slides[1])
