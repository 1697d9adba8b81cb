"""Peak memory of the served app: `streamlit run` on a warehouse, every page opened in
Chromium (one session), the server's peak resident memory (VmHWM) read from /proc."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import peak_rss_mb, rss_mb
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server  # one way to serve and browse
from tests.browser.helpers import settle


@dataclass
class MemoryResult:
    idle_mb: float  # the server after start-up, before any session
    peak_mb: float  # the most it held while every page was opened
    after_mb: float  # what it still holds afterwards
    page_seconds: dict[str, float]


def measure_app_memory(db: Path, pages: list[str]) -> MemoryResult:
    from playwright.sync_api import sync_playwright

    server = Server(db)  # the browser tests' server: `streamlit run` as `make run` serves it
    try:
        idle = rss_mb(server.process.pid)
        seconds = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            tab = browser.new_page(viewport={"width": 1440, "height": 900})
            for name in pages:
                started = time.perf_counter()
                tab.goto(f"{server.url}/{'' if name == 'overview' else name}")
                settle(tab, timeout=300)
                seconds[name] = time.perf_counter() - started
            browser.close()
        return MemoryResult(idle, peak_rss_mb(server.process.pid), rss_mb(server.process.pid), seconds)
    finally:
        server.stop()
