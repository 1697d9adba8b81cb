"""Peak memory of the served app: `streamlit run` on a warehouse, every page opened in
Chromium (one session), the server's peak resident memory (VmHWM) read from /proc."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import peak_rss_mb, rss_mb

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class MemoryResult:
    idle_mb: float  # the server after start-up, before any session
    peak_mb: float  # the most it held while every page was opened
    after_mb: float  # what it still holds afterwards
    page_seconds: dict[str, float]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("streamlit exited during start-up")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("streamlit did not become healthy")


def _settle(page, timeout: float = 300) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        charts = page.locator("[data-testid='stPlotlyChart']").count()
        drawn = page.locator("[data-testid='stPlotlyChart'] .main-svg").count()
        state = page.locator("[data-testid='stApp']").get_attribute("data-test-script-state")
        if state == "notRunning" and drawn >= charts:
            return
        time.sleep(0.1)


def measure_app_memory(db: Path, pages: list[str]) -> MemoryResult:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (ROOT / "benchmarks" / "out" / f"server-{port}.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "VOCDASH_DB": str(db)}, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    try:
        _wait_healthy(url, server)
        idle = rss_mb(server.pid)
        seconds = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            tab = browser.new_page(viewport={"width": 1440, "height": 900})
            for name in pages:
                started = time.perf_counter()
                tab.goto(f"{url}/{'' if name == 'overview' else name}")
                _settle(tab)
                seconds[name] = time.perf_counter() - started
            browser.close()
        return MemoryResult(idle, peak_rss_mb(server.pid), rss_mb(server.pid), seconds)
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
