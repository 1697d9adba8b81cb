"""The Excel and PowerPoint downloads through AppTest: the buttons are there, built on
click (deferred), and the bytes they would serve match what the page shows."""
from __future__ import annotations

import base64
import io
import re
import json

import numpy as np
import openpyxl
import pytest
from pptx import Presentation
from streamlit.runtime.media_file_manager import MediaFileManager

from dashboard import office
from tests.pages.test_app import app, visit


@pytest.fixture
def deferred(monkeypatch):
    """The deferred downloads a run registers, by file name: AppTest has no client to
    ask for them, so keep the callable and call it as the server would on a click."""
    registered: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        registered[file_name] = (data_callable, mimetype)
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return registered


def _built(deferred, name: str, mime: str) -> bytes:
    """The file named `name`, or, as a download of a narrowed view is, `name` with the view's
    tag (vocdash_数据_2019-2022_1a2b3c.xlsx): the one the latest run registered."""
    stem, dot, extension = name.rpartition(".")
    tagged = re.compile(re.escape(stem) + r"(_[0-9a-f]{6})?" + re.escape(dot + extension) + "$")
    matching = [registered for registered in deferred if tagged.match(registered)]
    assert matching, sorted(deferred)
    build, mimetype = deferred[matching[-1]]
    assert mimetype == mime
    return build()


def test_data_page_offers_the_workbook_of_the_table_it_shows(curated_db, monkeypatch, deferred):
    at = visit(app(curated_db, monkeypatch, prov="浙江"), "data")
    at.multiselect(key="data_themes").select("party_building").run()
    assert not at.exception
    keys = [button.key for button in at.download_button]
    assert keys[:2] == ["download_csv", "download_xlsx"]  # the workbook next to the CSV
    button = at.download_button(key="download_xlsx")
    assert button.label == "下载 Excel 工作簿"
    assert button.proto.ignore_rerun  # on_click="ignore": downloading does not rerun the app
    assert button.proto.deferred_file_id and not button.proto.url  # built only when clicked

    raw = _built(deferred, "vocdash_数据_2019-2022.xlsx", office.XLSX_MIME)
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["数据", "指标说明", "来源", "说明"]
    shown = at.dataframe[0].value  # the tidy table, first on the page
    sheet = book["数据"]
    headers = [cell.value for cell in sheet[1]]
    assert sorted(headers) == sorted(shown.columns)  # every column, the printed ones first
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(shown) > 0
    assert {row[headers.index("主题")] for row in rows} == {"党建"}
    assert {row[headers.index("院校")] for row in rows} <= {"嘉兴职业技术学院", "宁波第二技师学院"}
    column = headers.index("数值")
    assert [row[column] for row in rows] == pytest.approx([float(x) for x in shown["数值"]])

    defined = [row[0] for row in book["指标说明"].iter_rows(min_row=2, values_only=True)]
    assert sorted(defined) == sorted(set(shown["indicator_id"]))  # definitions of the rows exported
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True) if row[0]}
    assert about["省份"] == "浙江"
    assert about["主题"] == "党建"
    assert about["数据行数"] == len(shown)


def test_data_page_workbook_in_english_and_after_a_search(curated_db, monkeypatch, deferred):
    at = visit(app(curated_db, monkeypatch, lang="en", **{"from": "2021", "to": "2021"}), "data")
    at.text_input(key="data_search").input("Dalian").run()
    assert not at.exception
    shown = at.dataframe[0].value  # the tidy table, first on the page
    raw = _built(deferred, "vocdash_data_2021.xlsx", office.XLSX_MIME)
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["Data", "Indicators", "Sources", "About"]
    assert book["Data"].max_row == 1 + len(shown) > 1
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    assert about["Period (year)"] == "2021"
    assert about["Search (indicator, institution, evidence)"] == "Dalian"


def test_workbook_of_an_institution_without_figures_lists_its_source(curated_db, monkeypatch, deferred):
    at = visit(app(curated_db, monkeypatch, inst="hubei_ou"), "data")
    assert not at.exception
    book = openpyxl.load_workbook(io.BytesIO(_built(deferred, "vocdash_数据_2019-2022.xlsx", office.XLSX_MIME)))
    assert book["数据"].max_row == 1  # headers only: nothing reported, and nothing written as 0
    sources = list(book["来源"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[7]) for row in sources] == [("湖北开放大学", 0)]  # in scope, no figures
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True) if row[0]}
    assert about["院校"] == "湖北开放大学" and about["数据行数"] == 0


def screen_bars(at) -> dict[tuple[str, str], tuple[float, str]]:
    """(institution, indicator) → (scaled value, label) of the page's normalised chart."""
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    bars = {}
    for trace in json.loads(charts[0].proto.spec)["data"]:
        values = trace["x"]  # horizontal bars: the scaled value along x, the indicator on y
        if isinstance(values, dict):  # Plotly 6+ sends numeric arrays as typed base64
            values = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
        for indicator, value, text in zip(trace["y"], values, trace["text"]):
            bars[(trace["name"], indicator)] = (value, text)
    return bars


def deck_bars(deck) -> dict[tuple[str, str], tuple[float, str, str]]:
    """(institution, indicator) → (raw value, data label, bar colour) over every chart in
    the deck: one small chart per indicator, a bar per college that reports it (a college
    without the figure has no bar)."""
    bars = {}
    for slide in list(deck.slides)[1:]:
        for shape in slide.shapes:
            if not shape.has_chart:
                continue
            plot = shape.chart.plots[0]
            (series,) = plot.series
            for index, value in enumerate(series.values):
                if value is not None:
                    point = series.points[index]
                    bars[(str(plot.categories[index]), series.name)] = (
                        value, point.data_label.text_frame.text, "#" + str(point.format.fill.fore_color.rgb))
    return bars


def test_compare_page_offers_the_deck_of_the_comparison(curated_db, monkeypatch, deferred):
    names = ["大连职业技术学院", "天津轻工职业技术学院", "嘉兴职业技术学院"]
    at = visit(app(curated_db, monkeypatch, cmp=["dalian_vtc", "tianjin_livtc", "jiaxing_vtc"]), "compare")
    assert not at.exception
    button = at.download_button(key="download_pptx")
    assert button.label == "下载 PowerPoint 演示文稿"
    assert button.proto.ignore_rerun and button.proto.deferred_file_id and not button.proto.url

    deck = Presentation(io.BytesIO(_built(deferred, "vocdash_对比_2019-2022.pptx", office.PPTX_MIME)))
    cover = "\n".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    assert "职业院校对比" in cover
    assert "时期（年份）：2019–2022；实际 / 目标：全部；导出时间：" in cover
    assert all(name in cover for name in names)

    # The slides say what the screen says: the same colleges' figures, labelled alike (raw
    # values on the slides, one chart per indicator; scaled ones on screen).
    screen, slides = screen_bars(at), deck_bars(deck)
    assert len(screen) >= 10
    labels = lambda pairs: sorted((college, label.removeprefix("目标 ")) for college, label in pairs)
    assert labels((college, label) for (college, _), (_, label, _) in slides.items()) == labels(
        (college, text) for (college, _), (_, text) in screen.items())
    assert slides[("大连职业技术学院", "党委理论学习中心组学习次数")][:2] == (10, "10次 · 2021年")


def test_deck_keeps_the_on_screen_colours_under_a_filter(curated_db, monkeypatch, deferred):
    # With two provinces chosen, the colours still come from the full list, on screen
    # and in the deck alike (colouring by the filtered list would repaint Tianjin).
    at = visit(app(curated_db, monkeypatch, prov=["辽宁", "天津"], cmp=["dalian_vtc", "tianjin_livtc"]), "compare")
    assert not at.exception
    screen = {trace["name"]: trace["marker"]["color"].upper() for trace in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]}
    deck = Presentation(io.BytesIO(_built(deferred, "vocdash_对比_2019-2022.pptx", office.PPTX_MIME)))
    bars = deck_bars(deck)
    assert bars
    for (college, indicator), (_, _, colour) in bars.items():
        assert colour.upper() == screen[college], (college, indicator)


def test_compare_page_without_two_institutions_offers_no_deck(curated_db, monkeypatch, deferred):
    at = visit(app(curated_db, monkeypatch, cmp="dalian_vtc"), "compare")
    assert not at.exception
    assert [button.key for button in at.download_button] == []
