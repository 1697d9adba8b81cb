"""Screenshots of the app at national scale, for docs/images/.

Serve the app against a national warehouse first, e.g.
  VOCDASH_DB=/tmp/nat.duckdb .venv/bin/streamlit run app.py --server.headless true \
      --server.address 127.0.0.1 --server.port 8765
then: .venv/bin/python scripts/national_screenshots.py http://127.0.0.1:8765 OUTDIR
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
SHOTS = (
    # name, path, query
    ("national-employment", "employment", "mark=syn00001,syn00042,syn00777"),
    ("national-compare", "compare", "cmp=syn00001,syn00042,syn00777"),
    ("national-overview", "", ""),
    ("national-competition", "competition", "mark=syn00001,syn00042"),
)


def settle(page, timeout: float = 300) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout * 1000)
    deadline, last, since = time.monotonic() + timeout, None, None
    while time.monotonic() < deadline:
        state = (page.locator("[data-testid='stApp']").get_attribute("data-test-script-state"),
                 page.locator("[data-testid='stPlotlyChart']").count(),
                 page.locator("[data-testid='stPlotlyChart'] .main-svg").count())
        if state[0] == "notRunning" and state[2] >= state[1] and state == last:
            since = since or time.monotonic()
            if time.monotonic() - since > 1.0:
                return
        else:
            since = None
        last = state
        time.sleep(0.2)


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        for name, path, query in SHOTS:
            started = time.monotonic()
            page.goto(f"{base}/{path}" + (f"?{query}" if query else ""))
            settle(page)
            took = time.monotonic() - started
            height = page.evaluate(
                "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer]')]"
                ".map(e => e.scrollHeight), document.body.scrollHeight)")
            page.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 16000)})
            settle(page)
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            page.set_viewport_size({"width": 1440, "height": 1000})
            print(f"{name}: settled in {took:.1f} s, page height {height}px", flush=True)
        # The sidebar's institutions filter over 11,000 options: type to search.
        page.goto(f"{base}/employment")
        settle(page)
        box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").nth(2)
        started = time.monotonic()
        box.locator("input").click()
        page.keyboard.type("00042")
        page.wait_for_selector("[role='option']")
        print(f"institutions filter: options for '00042' in {time.monotonic() - started:.1f} s, "
              f"{page.locator('[role=option]').count()} shown", flush=True)
        page.screenshot(path=str(out / "national-sidebar-search.png"))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
