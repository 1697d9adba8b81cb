"""Every page in a real Chromium against the real server: it draws, it is clean, and a
full-page screenshot is saved under test-artifacts/screenshots/ for people to look at."""
from __future__ import annotations

import pytest

from tests.browser.helpers import assert_clean, assert_no_chart_overlaps, choose_in_multiselect, click_segment, open_page, screenshot, settle, title

pytestmark = pytest.mark.browser

PAGES = {
    "": "总览",
    "employment": "就业",
    "training": "培训",
    "competition": "竞赛",
    "party_building": "党建",
    "compare": "对比",
    "profile": "院校档案",
    "data": "数据",
    "validate": "校验",
    "curate": "整理",
}


ENGLISH = {
    "": "Overview", "employment": "Employment", "training": "Training", "competition": "Competition awards",
    "party_building": "Party building", "compare": "Compare", "profile": "Institution profile", "data": "Data",
    "validate": "Validate a file", "curate": "Curate",
}
# On first view a page draws at most about eight charts (issue 15): the overview of the theme
# and one indicator in detail, not a chart per indicator.
MAX_CHARTS = 8


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", list(PAGES), ids=[p or "overview" for p in PAGES])
def test_page_draws_cleanly(server, page, path, lang):
    open_page(page, server.url, path, "lang=en" if lang == "en" else "")
    assert title(page) == (PAGES if lang == "zh" else ENGLISH)[path]
    charts = page.locator("[data-testid='stPlotlyChart']").count()
    if path not in ("profile", "data", "validate", "curate", "employment"):
        assert charts >= 1
    assert charts <= MAX_CHARTS
    assert_clean(page)
    assert_no_chart_overlaps(page)
    screenshot(page, f"{path or 'overview'}-{lang}")


def test_theme_pages_open_on_their_overview(server, page):
    """The first thing under the title is the overview of the theme; with the curated data
    employment has no indicator two colleges share, and says so instead of drawing."""
    for path, first in (("party_building", "总体情况"), ("training", "总体情况"), ("employment", "总体情况")):
        open_page(page, server.url, path)
        assert page.locator("[data-testid='stMain'] h2, [data-testid='stMain'] h3").first.inner_text().strip() == first
    open_page(page, server.url, "employment")
    assert page.get_by_text("所选院校没有两所及以上共同报告的就业指标").count() == 1


def test_english_pages(server, page):
    open_page(page, server.url, "compare", "lang=en&cmp=dalian_vtc&cmp=tianjin_livtc&cmp=jiaxing_vtc")
    assert title(page) == "Compare"
    assert_clean(page)
    screenshot(page, "compare-en")


def test_language_switch(server, page):
    open_page(page, server.url)
    assert title(page) == "总览"
    click_segment(page, "English")
    assert title(page) == "Overview"
    assert "lang=en" in page.url
    assert_clean(page)


def test_filter_changes_the_page_and_the_url(server, page):
    open_page(page, server.url)
    metric = page.locator("[data-testid='stMetricValue']").first
    assert metric.inner_text() == "5"
    choose_in_multiselect(page, "院校类型", "技师学院")
    assert metric.inner_text() == "1"
    assert "type=technician_college" in page.url
    # The link reproduces the view in a new session.
    fresh = page.context.new_page()
    fresh.goto(page.url)
    settle(fresh)
    assert fresh.locator("[data-testid='stMetricValue']").first.inner_text() == "1"
    assert_clean(page)


def test_csv_download_bytes(server, page):
    open_page(page, server.url, "data", "prov=浙江")
    with page.expect_download() as download:
        page.locator("[data-testid='stDownloadButton'] button").first.click()
    raw = open(download.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    header, *rows = text.splitlines()
    assert header.startswith("院校,主题,指标,时期,数值")
    assert rows and all(row.startswith(("宁波第二技师学院", "嘉兴职业技术学院")) for row in rows)
    assert download.value.suggested_filename.endswith(".csv")
    assert_clean(page)
