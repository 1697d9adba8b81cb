import csv
import io
from datetime import datetime, timezone

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from dashboard import charts, exports, office, palette, queries, transforms
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

def _deck(data, lang, chosen=CHOSEN, obs=None):
    raw = office.pptx_bytes(data["obs"] if obs is None else obs, chosen, data["scope"], lang,
                            "院校对比" if lang == "zh" else "Comparison", "2020–2021")
    return Presentation(io.BytesIO(raw))


def _texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def _charts(slide):
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def _title_of(slide) -> str:
    return slide.shapes.title.text_frame.text


def _chart_slides(deck, theme_zh):
    return [s for s in deck.slides if _title_of(s).startswith(theme_zh + "：")]


def _bars(chart) -> dict[str, tuple[float, str]]:
    """category (college) -> (value, data label) of a one-series small chart."""
    plot = chart.plots[0]
    series = plot.series[0]
    return {str(category): (value, series.points[index].data_label.text_frame.text)
            for index, (category, value) in enumerate(zip(plot.categories, series.values))}


def test_pptx_is_16_9_on_a_master_of_our_own(data):
    deck = _deck(data, "zh")
    assert deck.slide_width * 9 == deck.slide_height * 16
    # Every master and layout placeholder fits the 16:9 slide and is centred as python-pptx's
    # 4:3 one was: a slide added in PowerPoint or WPS gets placeholders as wide as the slide.
    for part in (deck.slide_master, *deck.slide_layouts):
        for shape in part.placeholders:
            assert 0 <= shape.left and shape.left + shape.width <= deck.slide_width, (part.name, shape.name)
        title = next((p for p in part.placeholders if p.placeholder_format.type in (1, 3)), None)
        if title is not None and part.name in ("Title and Content", "Title Only", "Office Theme"):
            assert title.width > deck.slide_width * 0.8, part.name
    theme = deck.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob.decode()
    assert 'name="VocDash"' in theme and office.CJK_FONT in theme


def test_pptx_every_slide_shows_its_number(data):
    deck = _deck(data, "zh")
    for number, slide in enumerate(deck.slides, start=1):
        fields = [f for f in slide._element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}fld")
                  if f.get("type") == "slidenum"]
        assert len(fields) == 1, number
        assert fields[0].find("{http://schemas.openxmlformats.org/drawingml/2006/main}t").text == str(number)


def test_pptx_no_text_under_12_pt(data):
    for lang in ("zh", "en"):
        deck = _deck(data, lang)
        sizes = [int(node.get("sz")) for slide in deck.slides for part in (slide.part, *(r.target_part for r in slide.part.rels.values() if "chart" in r.reltype))
                 for node in __import__("lxml.etree", fromlist=["etree"]).fromstring(part.blob).iter()
                 if node.get("sz") is not None and node.tag.endswith(("rPr", "defRPr", "endParaRPr"))]
        assert sizes and min(sizes) >= 1200, lang


def test_pptx_cover_agenda_and_why_a_theme_has_no_slide(data):
    deck = _deck(data, "zh")
    slides = list(deck.slides)
    names = data["scope"].set_index("institution_id")["name_zh"]
    cover = _texts(slides[0])
    assert all(names[iid] in cover for iid in CHOSEN)
    agenda = _texts(slides[1])
    assert _title_of(slides[1]) == "内容"
    for theme in transforms.THEMES:
        assert transforms.v("theme", theme, "zh") + "：" in agenda  # every theme is listed
    # Nothing on employment or competition is reported by two of these colleges alike: said so.
    assert "就业：无图表页。" in agenda and "竞赛：无图表页。" in agenda
    assert "党建：第 " in agenda and "来源：第 " in agenda
    # The pages the agenda names are the theme's slides.
    party = _chart_slides(deck, "党建")
    first = slides.index(party[0]) + 1
    assert f"党建：第 {first}" in agenda


def test_pptx_one_small_chart_per_indicator_with_only_its_reporters(data):
    deck = _deck(data, "zh")
    names = data["scope"].set_index("institution_id")["name_zh"]
    shown = transforms.describe(transforms.normalised(data["obs"], CHOSEN), "zh")
    charted = 0
    for theme in transforms.THEMES:
        rows = shown[shown["theme"] == theme]
        slides = _chart_slides(deck, transforms.v("theme", theme, "zh"))
        assert bool(slides) == (not rows.empty), theme
        charts = [chart for slide in slides for chart in _charts(slide)]
        assert len(charts) == rows["indicator_id"].nunique()
        for chart in charts:
            bars = _bars(chart)
            # No slot for a college that did not report: every category has its bar.
            assert all(value is not None for value, _ in bars.values())
            assert set(bars) <= {names[iid] for iid in CHOSEN}
            charted += 1
    assert charted == shown["indicator_id"].nunique()


def test_pptx_bars_carry_the_raw_figure_and_other_years(data):
    deck = _deck(data, "zh")
    party = _chart_slides(deck, "党建")
    charts = {_series_name(chart): chart for slide in party for chart in _charts(slide)}
    sessions = _bars(charts["党委理论学习中心组学习次数"])
    # Dalian's figure is of 2021, Tianjin's of 2020: no like-for-like set, so each bar says its year.
    assert sessions["大连职业技术学院"] == (10, "10次 · 2021年")
    assert sessions["天津轻工职业技术学院"] == (14, "14次 · 2020年")
    assert "嘉兴职业技术学院" not in sessions  # not reported: no bar at all


def _series_name(chart) -> str:
    return chart.plots[0].series[0].name


def test_pptx_labels_carry_their_mark_and_targets_say_so(data):
    obs = data["obs"].copy()
    deeds = (obs["institution_id"] == "jiaxing_vtc") & (obs["indicator_id"] == "pb_municipal_advanced_orgs")
    sessions = (obs["institution_id"] == "dalian_vtc") & (obs["indicator_id"] == "pb_central_group_sessions")
    others = (obs["institution_id"] == "tianjin_livtc") & (obs["indicator_id"] == "pb_central_group_sessions")
    assert deeds.sum() == 1 and sessions.sum() == 1 and others.sum() == 1
    obs.loc[deeds, "qualifier"] = "more_than"
    obs.loc[sessions, ["qualifier", "kind"]] = ["approx", "target"]  # a target is only drawn beside targets
    obs.loc[others, "kind"] = "target"
    deck = _deck(data, "zh", obs=obs)
    labels = [text for slide in _chart_slides(deck, "党建") for chart in _charts(slide) for _, text in _bars(chart).values()]
    assert ">1个" in labels
    assert "目标 ≈10次 · 2021年" in labels  # Tianjin's target is for 2020: each bar says its year


def test_pptx_lead_only_where_the_indicator_has_a_direction(data):
    obs = data["obs"].assign(higher_is_better=pd.NA)  # no indicator says which way is better
    deck = _deck(data, "zh", obs=obs)
    text = "\n".join(_texts(s) for s in deck.slides)
    assert "领先" not in text.replace("不评谁领先", "") and "最好" not in text
    assert "不评谁领先" in text
    directed = _deck(data, "zh")
    party = _texts(_chart_slides(directed, "党建")[0])
    assert "领先" in party


def test_pptx_sources_slide_and_captions_point_to_it(data):
    deck = _deck(data, "zh")
    slides = list(deck.slides)
    sources = [s for s in slides if _title_of(s).startswith("来源")]
    assert sources
    page = slides.index(sources[0]) + 1
    listed = "\n".join(_texts(s) for s in sources)
    shown = transforms.normalised(data["obs"], CHOSEN)
    for title in set(shown["source_title"]):
        assert f"《{title}》" in listed
    assert "大连职业技术学院：《大连职业技术学院（大连开放大学）领导班子2021年度工作总结》（2021年）" in listed
    for theme in ("培训", "党建", "背景"):
        for slide in _chart_slides(deck, theme):
            assert f"来源见第 {page} 页" in _texts(slide)


def test_pptx_colours_follow_the_order_of_selection(data):
    deck = _deck(data, ["jiaxing_vtc", "dalian_vtc", "tianjin_livtc"] and "zh", chosen=["jiaxing_vtc", "dalian_vtc", "tianjin_livtc"])
    names = data["scope"].set_index("institution_id")["name_zh"]
    expected = {names[iid]: colour.lstrip("#").upper()
                for iid, colour in palette.colours_for(["jiaxing_vtc", "dalian_vtc", "tianjin_livtc"]).items()}
    seen = 0
    for slide in deck.slides:
        for chart in _charts(slide):
            series = chart.plots[0].series[0]
            for index, category in enumerate(chart.plots[0].categories):
                point = series.points[index]
                fill = point.format.fill if chart.chart_type != XL_CHART_TYPE.LINE_MARKERS else point.marker.format.fill
                assert str(fill.fore_color.rgb) == expected[str(category)]
                seen += 1
    assert seen >= 10


def test_pptx_text_has_an_east_asian_font(data):
    deck = _deck(data, "zh")
    xml = deck.slides[2].shapes.title._element.xml
    assert f'<a:ea typeface="{office.CJK_FONT}"/>' in xml


def test_pptx_in_english(data):
    deck = _deck(data, "en")
    names = data["scope"].set_index("institution_id")["name_en"]
    assert all(names[iid] in _texts(deck.slides[0]) for iid in CHOSEN)
    assert _title_of(deck.slides[1]) == "Contents"
    party = next(s for s in deck.slides if _title_of(s).startswith("Party building:"))
    assert "Sources: slide" in _texts(party)
    labels = [text for chart in _charts(party) for _, text in _bars(chart).values()]
    assert "10 times · 2021" in labels


@pytest.mark.parametrize("chosen", [["dalian_vtc"], [], ["dalian_vtc", "hubei_ou"]])
def test_pptx_with_nothing_to_compare_is_still_a_deck(data, chosen):
    deck = _deck(data, "zh", chosen)
    assert len(deck.slides) >= 2
    assert not any(_charts(slide) for slide in deck.slides)
    message = _texts(deck.slides[1])
    assert "2 所" in message or "没有同期、同口径的共同指标" in message or "口径均不一致" in message


def test_pptx_a_college_without_figures_is_named_on_the_cover_and_nowhere_charted(data):
    everyone = list(data["scope"]["institution_id"])  # hubei_ou reports no figure at all
    deck = Presentation(io.BytesIO(office.pptx_bytes(data["obs"], everyone, data["scope"], "zh", "全部", "")))
    hubei = data["scope"].set_index("institution_id").loc["hubei_ou", "name_zh"]
    assert f"{hubei}（本演示中没有其同期、同口径的可比数字）" in _texts(deck.slides[0])
    for slide in deck.slides:
        for chart in _charts(slide):
            assert hubei not in [str(c) for c in chart.plots[0].categories]


def test_pptx_charts_only_comparable_indicators_and_names_the_rest(data):
    obs = data["obs"].copy()
    assert "党委理论学习中心组学习次数" in {_series_name(chart) for s in _deck(data, "zh").slides for chart in _charts(s)}
    obs.loc[obs["indicator_id"] == "pb_central_group_sessions", "comparable"] = False
    deck = _deck(data, "zh", obs=obs)
    charted = {_series_name(chart) for s in deck.slides for chart in _charts(s)}
    assert "党委理论学习中心组学习次数" not in charted
    apart = [s for s in deck.slides if _title_of(s).startswith("未能同口径比较的指标")]
    assert apart and "党委理论学习中心组学习次数：" in _texts(apart[0])

    nothing = Presentation(io.BytesIO(office.pptx_bytes(obs.assign(comparable=False), CHOSEN, data["scope"], "en", "C", "")))
    assert not any(_charts(slide) for slide in nothing.slides)
    assert "measured differently" in _texts(nothing.slides[1])


def test_pptx_a_rank_is_a_dot_with_the_first_on_top(data):
    obs = data["obs"].copy()
    sessions = obs["indicator_id"] == "pb_central_group_sessions"
    obs.loc[sessions, ["unit", "higher_is_better", "comparable", "period"]] = ["rank", False, True, 2021]
    deck = _deck(data, "zh", obs=obs)
    chart = next(chart for s in deck.slides for chart in _charts(s) if _series_name(chart) == "党委理论学习中心组学习次数")
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS  # dots, not bars
    assert chart.value_axis.reverse_order  # 1st at the top: better is up
    labels = [text for _, text in _bars(chart).values()]
    assert sorted(labels) == ["第10名", "第14名"]


def test_pptx_splits_a_crowded_theme_over_slides(data):
    """Six colleges reporting many indicators: a theme takes as many slides as its charts
    need, and no slide's charts run below the content area."""
    obs = data["obs"]
    rows = []
    extra = []
    for n in range(1, 4):
        for iid in ("dalian_vtc", "tianjin_livtc"):
            copy = obs[obs["institution_id"] == iid].assign(institution_id=f"{iid}_{n}")
            extra.append(copy)
    big = pd.concat([obs, *extra], ignore_index=True)
    scope = pd.concat([data["scope"]] + [
        data["scope"][data["scope"]["institution_id"] == iid].assign(institution_id=f"{iid}_{n}", name_zh=f"{name}{n}")
        for n in range(1, 4) for iid, name in (("dalian_vtc", "甲"), ("tianjin_livtc", "乙"))], ignore_index=True)
    chosen = ["dalian_vtc", "tianjin_livtc", "dalian_vtc_1", "tianjin_livtc_1", "dalian_vtc_2", "tianjin_livtc_2"]
    deck = Presentation(io.BytesIO(office.pptx_bytes(big, chosen, scope, "zh", "六校", "")))
    party = _chart_slides(deck, "党建")
    assert len(party) >= 2 and "（1/" in _title_of(party[0])
    for slide in deck.slides:
        for shape in slide.shapes:
            assert shape.top + shape.height <= deck.slide_height, _title_of(slide)
            assert shape.left + shape.width <= deck.slide_width, _title_of(slide)
