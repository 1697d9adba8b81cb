"""The downloads as a user gets them: click in a real Chromium, save the file under
test-artifacts/downloads/, open it with openpyxl / python-pptx / Pillow and check it says
what the page says."""
from __future__ import annotations

import re

import openpyxl
import pytest
from PIL import Image
from playwright.sync_api import Page
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from dashboard import charts
from tests.browser.conftest import DOWNLOADS
from tests.browser.helpers import assert_clean, open_page, screenshot, settle

pytestmark = pytest.mark.browser

COMPARED = ("dalian_vtc", "tianjin_livtc", "jiaxing_vtc")
COMPARED_NAMES = ["大连职业技术学院", "天津轻工职业技术学院", "嘉兴职业技术学院"]


def download(page: Page, button_text: str):
    """Click the download button labelled button_text; keep the file under
    test-artifacts/downloads/ by the name the browser was given."""
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    # visible: a button with help text also has a hidden copy Streamlit measures its width by
    button = page.locator("[data-testid='stDownloadButton'] button").filter(has_text=button_text).filter(visible=True)
    assert button.count() == 1, button_text
    with page.expect_download(timeout=60_000) as started:
        button.click()
    done = started.value
    assert done.failure() is None, done.failure()
    target = DOWNLOADS / done.suggested_filename
    done.save_as(target)
    return done.suggested_filename, target


def grid_rows(page: Page, index: int = 0) -> list[list[str]]:
    """The rows a st.dataframe draws, read from the grid's accessible table (the cells
    of the visible columns)."""
    grid = page.locator("[data-testid='stDataFrame']").nth(index)
    rows = []
    for row in grid.locator("[role='row']").all():
        cells = [cell.inner_text().strip() for cell in row.locator("[role='gridcell']").all()]
        if cells:
            rows.append(cells)
    return rows


def shown_number(cell) -> str:
    """A number as the grid writes it (14, 96.08)."""
    return f"{cell:g}" if isinstance(cell, float) else str(cell)


def test_xlsx_download_holds_the_rows_on_screen(server, page):
    open_page(page, server.url, "data")
    page.locator("[data-testid='stTextInput'] input").fill("中心组")
    page.keyboard.press("Enter")
    settle(page)
    assert "共 2 行" in page.locator("[data-testid='stCaptionContainer']").filter(has_text=re.compile(r"共 [0-9,]+ 行")).first.inner_text()
    screen = grid_rows(page)
    assert len(screen) == 2

    name, path = download(page, "下载 Excel 工作簿")
    # A view away from the defaults (here a search) gets a tag, so two views never share a name.
    assert re.fullmatch(r"vocdash_数据_2019-2022_[0-9a-f]{6}\.xlsx", name), name
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["数据", "指标说明", "来源", "说明"]
    sheet = book["数据"]
    assert sheet.freeze_panes == "A2"
    headers = [cell.value for cell in sheet[1]]
    # The printable layout: who, what, when and the marked value first; the plain number,
    # unit and ids further right for formulas and pivots.
    assert headers[:8] == ["院校", "主题", "指标", "时期", "数值（含标记）", "类型", "统计口径", "来源"]
    assert {"数值", "单位", "数值性质", "indicator_id"} <= set(headers)
    col = {name: headers.index(name) for name in headers}
    # 天津轻工职业技术学院 fits, whole or wrapped in its cell (the sheet prints on A4 landscape).
    assert sheet.column_dimensions["A"].width >= 16 or sheet["A2"].alignment.wrap_text
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(cell is not None for cell in row)]
    assert len(rows) == len(screen)
    # The same figures on screen (院校, 主题, 指标, 时期, 数值 first) and in the book.
    assert sorted((row[0], row[2], row[4]) for row in screen) == sorted(
        (row[col["院校"]], row[col["指标"]], shown_number(row[col["数值"]])) for row in rows)
    # A known figure from the curated data, on screen and in the workbook alike.
    dalian = next(row for row in rows if row[col["院校"]] == "大连职业技术学院")
    assert (dalian[col["指标"]], dalian[col["数值"]], dalian[col["数值（含标记）"]]) == ("党委理论学习中心组学习次数", 10, "10次")
    assert ["大连职业技术学院", "党建", "党委理论学习中心组学习次数", "2021年", "10"] in [row[:5] for row in screen]

    glossary = list(book["指标说明"].iter_rows(values_only=True))
    assert glossary[0][:3] == ("指标编号", "主题", "指标") and [row[2] for row in glossary[1:]] == ["党委理论学习中心组学习次数"]
    sources = [row[1] for row in book["来源"].iter_rows(min_row=2, values_only=True)]
    assert {row[col["来源"]] for row in rows} <= set(sources)  # every row's source is listed
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True) if row[0]}
    assert about["搜索（指标、院校、摘录）"] == "中心组" and about["数据行数"] == 2
    assert_clean(page)


def plotly_traces(page: Page, index: int = 0) -> list[dict]:
    """What a drawn Plotly chart holds, read from its graph div (_fullData: the arrays
    decoded, as drawn)."""
    return page.evaluate(
        """index => {
            const graph = document.querySelectorAll("[data-testid='stPlotlyChart'] .js-plotly-plot")[index];
            return graph._fullData.map(t => ({name: t.name, x: Array.from(t.x), y: Array.from(t.y), text: Array.from(t.text)}));
        }""",
        index,
    )


def test_pptx_download_is_the_comparison_on_screen(server, page):
    query = "&".join(f"cmp={iid}" for iid in COMPARED)
    open_page(page, server.url, "compare", query)
    screen = {}
    for trace in plotly_traces(page):
        for indicator, value, text in zip(trace["y"], trace["x"], trace["text"]):  # horizontal bars
            screen[(trace["name"], indicator)] = (value, text)
    assert len(screen) >= 10
    screenshot(page, "compare-3-zh", width=1920)

    name, path = download(page, "下载 PowerPoint 演示文稿")
    assert re.fullmatch(r"vocdash_对比_2019-2022_[0-9a-f]{6}\.pptx", name), name  # three colleges chosen: tagged
    deck = Presentation(path)
    slides = list(deck.slides)
    cover = "\n".join(shape.text_frame.text for shape in slides[0].shapes if shape.has_text_frame)
    assert all(institution in cover for institution in COMPARED_NAMES)
    assert "时期（年份）：2019–2022" in cover

    titles = [slide.shapes.title.text_frame.text for slide in slides]
    assert titles[1] == "内容" and titles[-1] == "来源"  # agenda first, sources last
    in_deck = {}
    for slide in slides[2:-1]:
        assert re.fullmatch(r"(培训|党建|基本情况|就业|竞赛)：可比指标( （\d/\d）)?", slide.shapes.title.text_frame.text)
        found = [shape.chart for shape in slide.shapes if shape.has_chart]
        assert found  # native charts, one per indicator, not pictures
        assert not any(shape.shape_type == 13 for shape in slide.shapes)  # MSO_SHAPE_TYPE.PICTURE
        for chart in found:
            assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
            plot = chart.plots[0]
            (series,) = plot.series  # one indicator, a bar per college that reports it
            assert set(plot.categories) <= set(COMPARED_NAMES)
            for index, value in enumerate(series.values):
                in_deck[(plot.categories[index], series.name)] = (value, series.points[index].data_label.text_frame.text)
    # The deck draws the figures the screen draws, each with the label the screen gives it
    # (raw values on the slides, scaled ones on screen).
    labels = lambda pairs: sorted((college, label.removeprefix("目标 ")) for college, label in pairs)
    assert labels((college, label) for (college, _), (_, label) in in_deck.items()) == labels(
        (college, text) for (college, _), (_, text) in screen.items())
    # Tianjin's figure is for 2020, Dalian's for 2021: each bar says its year.
    assert in_deck[("大连职业技术学院", "党委理论学习中心组学习次数")] == (10, "10次 · 2021年")
    assert in_deck[("天津轻工职业技术学院", "党委理论学习中心组学习次数")] == (14, "14次 · 2020年")
    assert ("嘉兴职业技术学院", "党委理论学习中心组学习次数") not in in_deck  # not reported: no bar, not 0
    sources = "\n".join(shape.text_frame.text for shape in slides[-1].shapes if shape.has_text_frame)
    assert "大连职业技术学院：《大连职业技术学院（大连开放大学）领导班子2021年度工作总结》（2021年）" in sources
    assert_clean(page)


def test_png_export_from_the_chart_toolbar(server, page):
    query = "&".join(f"cmp={iid}" for iid in COMPARED)
    open_page(page, server.url, "compare", query)
    chart = page.locator("[data-testid='stPlotlyChart']").first
    graph = chart.locator(".js-plotly-plot")
    size = graph.evaluate("g => ({width: g._fullLayout.width, height: g._fullLayout.height, title: g.layout.title.text})")
    chart.hover()
    button = chart.locator(".modebar-btn[data-title='Download plot as a PNG' i]")  # Plotly 7 writes PNG
    with page.expect_download(timeout=60_000) as started:
        button.click()
    done = started.value
    expected = charts.chart_config(size["title"])["toImageButtonOptions"]["filename"] + ".png"
    assert done.suggested_filename == expected
    assert done.suggested_filename.startswith("vocdash_标准化对比")
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    target = DOWNLOADS / done.suggested_filename
    done.save_as(target)
    # Where the chart draws its source caption, relative to the chart (CSS px).
    caption = graph.evaluate(
        "g => { const o = g.getBoundingClientRect(); const a = [...g.querySelectorAll('.annotation')]"
        ".find(n => /来源|Sources/.test(n.textContent)); if (!a) return null; const r = a.getBoundingClientRect();"
        " return {x0: r.left - o.left, y0: r.top - o.top, x1: r.right - o.left, y1: r.bottom - o.top, text: a.textContent}; }")
    assert caption and "《" in caption["text"] and "年" in caption["text"], caption
    with Image.open(target) as image:
        assert image.format == "PNG"
        assert image.size == (3 * size["width"], 3 * size["height"])
        grey = image.convert("L")
        width, height = grey.size
        # The caption lies inside the image, below everything else, and is drawn (dark ink in its box).
        assert 0 <= caption["x0"] and caption["x1"] <= size["width"] and caption["y1"] <= size["height"]
        band = grey.crop((int(3 * caption["x0"]), int(3 * caption["y0"]), int(3 * caption["x1"]), int(3 * caption["y1"])))
        assert band.getextrema()[0] < 128, "the source caption is not drawn in the PNG"
        # A margin: nothing drawn in the first 8 px at the left edge, nor the last 4 px at the bottom.
        assert grey.crop((0, 0, 3 * 8, height)).getextrema()[0] > 230, "the PNG has no left margin"
        assert grey.crop((0, height - 3 * 4, width, height)).getextrema()[0] > 230, "the caption touches the bottom edge"
    assert_clean(page)
