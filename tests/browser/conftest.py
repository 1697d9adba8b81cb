"""A real server and a real Chromium for the browser tests.

Debian's chromium (/usr/bin/chromium) driven by Playwright; `make test` installs it and
the CJK font (scripts/ensure-browser.sh). Under CI=true the tests must run: a missing
browser fails them instead of skipping.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from deploy import serve
from tests.conftest import IN_CI, ROOT

CHROMIUM = Path(os.environ.get("VOCDASH_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DOWNLOADS = ROOT / "test-artifacts" / "downloads"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _need_browser() -> None:
    if CHROMIUM.exists() and shutil.which("fc-list"):
        return
    message = f"{CHROMIUM} is missing: run scripts/ensure-browser.sh (make test does)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _need_nginx() -> None:
    """`make serve`'s tests need Debian's nginx (scripts/ensure-nginx.sh; make test runs it)."""
    if shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK):
        return
    message = "nginx is missing: run scripts/ensure-nginx.sh (make test does)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    return serve.free_ports(1)[0]


class PortTaken(RuntimeError):
    """The free port chosen was taken by another program before the server could bind it."""


class Server:
    """`streamlit run app.py` on 127.0.0.1 and a free port, as `make run` serves it; or, with
    procs=N, N such processes behind nginx on that port, as `make serve` serves them
    (deploy/serve.py, with its files in test-artifacts/serve-PORT/)."""

    def __init__(self, db_path: Path, *, env: dict | None = None, procs: int = 0):
        # A free port can be taken by another program before the server binds it: that is
        # refused with a clear message (deploy/serve.py, Streamlit), and then another is tried.
        for attempt in range(3):
            try:
                self._start(db_path, env, procs)
                return
            except PortTaken:
                if attempt == 2:
                    raise

    def _start(self, db_path: Path, env: dict | None, procs: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.procs = procs
        self.log = (ROOT / "test-artifacts" / f"server-{self.port}.log")
        self.log.parent.mkdir(parents=True, exist_ok=True)
        environment = {**os.environ, "VOCDASH_DB": str(db_path), **(env or {})}
        if procs:
            self.run_dir = ROOT / "test-artifacts" / f"serve-{self.port}"
            shutil.rmtree(self.run_dir, ignore_errors=True)
            command = [
                sys.executable, "-m", "deploy.serve", "--procs", str(procs), "--port", str(self.port),
                "--db", str(db_path), "--run-dir", str(self.run_dir),
            ]
        else:
            self.run_dir = None
            command = [
                sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                "--server.headless", "true", "--server.address", "127.0.0.1",
                "--server.port", str(self.port), "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none",
            ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        self._wait_healthy(120 if procs else 60)

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                printed = self.log.read_text()[-2000:]
                if serve.PORT_IN_USE in printed or f"Port {self.port} is not available" in printed:
                    raise PortTaken(printed)
                raise RuntimeError(f"the server exited: {printed}")
            ready = not self.procs or self.state().get("ready")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as response:
                    if response.status == 200 and ready:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not become healthy in time")

    def state(self) -> dict:
        """deploy/serve.py's state.json: which app process runs on which port ({} before it exists)."""
        try:
            return json.loads((self.run_dir / "state.json").read_text())
        except (OSError, ValueError):
            return {}

    def app_pids(self) -> dict[str, int]:
        """The streamlit processes serving, by name (their port behind nginx)."""
        if not self.procs:
            return {"app": self.process.pid}
        return {str(app["port"]): app["pid"] for app in self.state()["apps"]}

    def stop(self) -> None:
        self.process.terminate()  # deploy/serve.py stops nginx and its apps, then exits
        try:
            self.process.wait(30 if self.procs else 10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def server(curated_db):
    _need_browser()
    running = Server(curated_db)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context per test; console errors and page errors are collected."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True, locale="zh-CN")
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()
