"""Presentation mode at projector size: one chart per screen, takeaway, sources, paging."""
from __future__ import annotations

import pytest

from tests.browser.helpers import assert_clean, click_segment, open_page, screenshot, settle

pytestmark = pytest.mark.browser


def test_presentation_mode_pages_through_the_charts(server, page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_page(page, server.url, "employment", "present=1")
    assert page.locator("[data-testid='stPlotlyChart']").count() == 1
    assert "1 / " in page.locator("h4").nth(1).inner_text()
    box = page.locator("[data-testid='stSidebar']").bounding_box()
    assert box is None or box["x"] + box["width"] <= 1  # collapsed off screen
    takeaway = page.locator("h3").first.inner_text()
    assert "最高" in takeaway or "仅" in takeaway
    assert "来源" in page.locator("[data-testid='stMain'] [data-testid='stCaptionContainer']").first.inner_text()
    page.screenshot(path=str(screenshot.__globals__["SCREENSHOTS"] / "present-employment-1.png"))
    page.get_by_role("button", name="下一张").click()
    settle(page)
    assert "2 / " in page.locator("h4").nth(1).inner_text()
    assert "slide=2" in page.url
    page.screenshot(path=str(screenshot.__globals__["SCREENSHOTS"] / "present-employment-2.png"))
    page.get_by_role("button", name="退出演示").click()
    settle(page)
    assert page.locator("[data-testid='stPlotlyChart']").count() > 1
    assert "present=1" not in page.url
    assert_clean(page)


def test_presentation_of_the_compare_page_in_english(server, page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_page(page, server.url, "compare", "present=1&lang=en&cmp=dalian_vtc&cmp=tianjin_livtc&cmp=jiaxing_vtc")
    assert page.locator("[data-testid='stPlotlyChart']").count() == 1
    assert "leads on" in page.locator("h3").first.inner_text()
    page.screenshot(path=str(screenshot.__globals__["SCREENSHOTS"] / "present-compare-en.png"))
    assert_clean(page)
