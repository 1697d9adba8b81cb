"""Driving the Streamlit UI from Playwright: waits, widgets, full-page screenshots."""
from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS

# Console noise that is not an app error: Chromium's offline network refusals.
IGNORED_CONSOLE = ("net::ERR_", "Failed to load resource", "favicon")


# Charts on the page, and how many of them Plotly has finished drawing. Plotly makes three
# .main-svg layers per chart, so counting those said "drawn" once a third of the charts had
# started; a chart counts here when its graph div has Plotly's full layout and its layers.
CHART_STATE = """() => {
  const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
  const drawn = charts.filter(chart => {
    const graph = chart.querySelector('.js-plotly-plot');
    return graph && graph._fullLayout && graph.querySelectorAll('.main-svg').length >= 2;
  });
  const app = document.querySelector("[data-testid='stApp']");
  // A widget whose code is still being fetched shows a grey skeleton: not ready yet.
  const skeletons = document.querySelectorAll("[data-testid='stSkeleton']").length;
  return [app ? app.getAttribute('data-test-script-state') : null, charts.length, drawn.length, skeletons];
}"""


def settle(page: Page, timeout: float = 120, steady: float = 0.5) -> float:
    """Wait until the script run has finished (Streamlit marks its root with
    data-test-script-state) and every chart is drawn, unchanged for `steady` seconds.
    Returns the monotonic time the final state was first seen."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    last, steady_since = None, None
    while time.monotonic() < deadline:
        state = tuple(page.evaluate(CHART_STATE))
        state_attr, charts, drawn, skeletons = state
        if state_attr == "notRunning" and drawn >= charts and not skeletons and state == last:
            steady_since = steady_since or time.monotonic()
            if time.monotonic() - steady_since > steady:
                return steady_since
        else:
            steady_since = None
        last = state
        time.sleep(0.05)
    raise AssertionError(f"the page did not settle: {last}")


def open_page(page: Page, base: str, path: str = "", query: str = "") -> Page:
    page.goto(f"{base}/{path}" + (f"?{query}" if query else ""))
    settle(page)
    return page


def assert_clean(page: Page) -> None:
    """No exception box, no error element, no console error."""
    assert page.locator("[data-testid='stException']").count() == 0, page.locator("[data-testid='stException']").first.inner_text()
    errors = [error for error in page.errors if not any(noise in error for noise in IGNORED_CONSOLE)]
    assert errors == [], errors


# Per chart: the boxes of its legend, its title and its annotations (the sources note,
# labels), as drawn; pairs of legend and title or legend and annotation that intersect.
_CHART_OVERLAPS = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom, w: r.width, h: r.height}; };
  const meet = (a, b) => a.w > 0 && b.w > 0 && a.l < b.r - 1 && b.l < a.r - 1 && a.t < b.b - 1 && b.t < a.b - 1;
  const found = [];
  document.querySelectorAll('.js-plotly-plot').forEach((plot, n) => {
    const legend = plot.querySelector('g.legend');
    if (!legend) { return; }
    const items = [...legend.querySelectorAll('g.traces')].map(box);
    const others = [...plot.querySelectorAll('g.annotation, g.g-gtitle')];
    others.forEach((other) => {
      const b = box(other);
      items.forEach((item, i) => { if (meet(item, b)) { found.push(`chart ${n}: legend entry ${i} over "${other.textContent.slice(0, 40)}"`); } });
    });
    items.forEach((a, i) => items.forEach((b, j) => { if (i < j && meet(a, b)) { found.push(`chart ${n}: legend entries ${i} and ${j} overlap`); } }));
  });
  return found;
}"""


def assert_no_chart_overlaps(page: Page) -> None:
    """No legend entry drawn over a chart's title, its sources note or another entry."""
    found = page.evaluate(_CHART_OVERLAPS)
    assert found == [], found


def screenshot(page: Page, name: str, width: int | None = None) -> Path:
    """A full-page screenshot: Streamlit scrolls inside its main block, so the viewport is
    stretched to the content's height first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer]')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    page.set_viewport_size({"width": width or size["width"], "height": min(int(height) + 40, 16000)})
    settle(page)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def choose_in_multiselect(page: Page, label: str, option: str) -> None:
    widget = page.locator("[data-testid='stMultiSelect']").filter(has_text=label).first
    widget.locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    settle(page)


def click_button(page: Page, text: str) -> None:
    page.get_by_role("button", name=text, exact=True).first.click()
    settle(page)


def title(page: Page) -> str:
    return page.locator("h1").first.inner_text().strip()


def click_segment(page: Page, text: str) -> None:
    """A segmented-control option (language, actual/target, theme...)."""
    page.locator("[data-testid='stButtonGroup'] button").filter(has_text=text).first.click()
    settle(page)
