"""What users tripped over (issue 15, section 4), in a real Chromium: the /overview path,
no request off the machine, a dark system theme, progress on a slow rerun; and every page's
URL opened in a fresh browser shows the same view (section 3)."""
from __future__ import annotations

import textwrap
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import Server, _need_browser
from tests.browser.helpers import assert_clean, choose_in_multiselect, click_segment, open_page, screenshot, settle, title

pytestmark = pytest.mark.browser

PATHS = ("", "employment", "training", "competition", "party_building", "compare", "profile", "data", "validate")


def test_overview_path_opens_the_overview(server, page):
    open_page(page, server.url, "overview")
    assert title(page) == "总览"
    assert page.get_by_text("Page not found").count() == 0
    assert_clean(page)


def test_no_request_leaves_the_machine(server, page):
    """Every page in both languages: the tab icon, fonts, scripts and data all come from
    the app itself (an intranet or an offline laptop has nothing else)."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for lang in ("zh", "en"):
        for path in PATHS:
            open_page(page, server.url, path, f"lang={lang}")
    here = urlparse(server.url).netloc
    away = sorted({url for url in requests if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).netloc != here})
    assert away == [], away
    icons = page.evaluate("() => [...document.querySelectorAll('link[rel~=icon]')].map(l => l.href)")
    assert icons and all(icon.startswith(server.url) or icon.startswith("data:") for icon in icons), icons


def test_dark_system_theme_keeps_the_light_page(browser, server):
    """A dark system theme: the page stays light, so the charts drawn on white are no
    white tiles on a dark page."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, color_scheme="dark", locale="zh-CN")
    try:
        tab = context.new_page()
        tab.errors = []
        open_page(tab, server.url, "party_building")
        background = tab.evaluate("() => getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor")
        channels = [int(x) for x in background[background.index("(") + 1:background.index(")")].split(",")[:3]]
        assert min(channels) >= 230, background
        screenshot(tab, "party_building-zh-dark-system")
    finally:
        context.close()


SLOW_QUERIES = textwrap.dedent('''
    """Test only: every warehouse query takes 0.4 s longer, so a rerun is slow."""
    import importlib.abc, importlib.machinery, sys, time

    class _Slow(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name != "dashboard.db":
                return None
            sys.meta_path.remove(self)
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            sys.meta_path.insert(0, self)
            loader = spec.loader
            original = loader.exec_module

            def exec_module(module):
                original(module)
                query = module.query

                def slow(*args, **kwargs):
                    time.sleep(0.4)
                    return query(*args, **kwargs)

                module.query = slow

            loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, _Slow())
''')


def test_a_slow_rerun_shows_progress(browser, curated_db, tmp_path):
    _need_browser()
    (tmp_path / "sitecustomize.py").write_text(SLOW_QUERIES, encoding="utf-8")
    slow = Server(curated_db, env={"PYTHONPATH": str(tmp_path)})
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        tab = context.new_page()
        tab.goto(f"{slow.url}/data")
        spinner = tab.locator("[data-testid='stSpinner']")
        spinner.first.wait_for(state="visible", timeout=60_000)
        assert "正在加载" in spinner.first.inner_text()
        settle(tab, timeout=180)
        assert spinner.count() == 0 or not spinner.first.is_visible()
    finally:
        context.close()
        slow.stop()


# Each page with its own controls set through the URL (and the shared period).
VIEWS = {
    "": "ctheme=party_building&from=2020&to=2021",
    "employment": "ind=emp_destination_rate",
    "training": "ind=trn_social_training_person_times",
    "competition": "unit=person_times&preset=equal&w=level.national:7.5",
    "party_building": "ind=pb_practical_deeds&lang=en",
    "compare": "cmp=dalian_vtc&cmp=jiaxing_vtc&cmp_period=2021",
    "profile": "id=tianjin_livtc",
    "data": "dtheme=party_building&dind=pb_central_group_sessions&dind=pb_branch_elections&q=天津&sort=value&desc=1",
}


@pytest.mark.parametrize("path", list(VIEWS), ids=[p or "overview" for p in VIEWS])
def test_a_link_opens_the_same_view_in_a_fresh_browser(browser, server, page, path):
    open_page(page, server.url, path, VIEWS[path])
    link = page.url
    shown = page.locator("[data-testid='stMain']").inner_text()
    charts = page.locator("[data-testid='stPlotlyChart']").count()
    assert_clean(page)
    # (A control at its default is left out of the link: the view is the same without it.)
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        fresh = context.new_page()
        fresh.goto(link)
        settle(fresh)
        assert fresh.url == link
        assert fresh.locator("[data-testid='stMain']").inner_text() == shown
        assert fresh.locator("[data-testid='stPlotlyChart']").count() == charts
    finally:
        context.close()


def test_a_view_set_by_hand_survives_its_copied_link(browser, server, page):
    """Set as a user would (a sidebar filter, a third college to compare, the language by
    clicks), copy the address bar, paste it into a new browser: the same view."""
    open_page(page, server.url, "compare")
    choose_in_multiselect(page, "院校类型", "高职院校")
    choose_in_multiselect(page, "对比院校", "天津轻工职业技术学院")  # beside the default pair
    click_segment(page, "English")
    assert title(page) == "Compare"
    link = page.url
    query = parse_qs(urlparse(link).query)
    assert query["lang"] == ["en"] and "tianjin_livtc" in query["cmp"] and query["type"], link
    shown = page.locator("[data-testid='stMain']").inner_text()
    sidebar = page.locator("[data-testid='stSidebarUserContent']").inner_text()
    assert_clean(page)
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        fresh = context.new_page()
        fresh.goto(link)
        settle(fresh)
        assert title(fresh) == "Compare"
        assert fresh.locator("[data-testid='stMain']").inner_text() == shown
        assert fresh.locator("[data-testid='stSidebarUserContent']").inner_text() == sidebar
    finally:
        context.close()
