"""Rebuilding the warehouse while people are looking at it.

A real server and four Chromium sessions (three on the overview, one on the data page;
one of them reloads, the others rerun in place) keep querying while `python -m etl build`
rebuilds the same --db path twelve times: with changed data, with invalid input (exit 1),
killed with SIGKILL in the middle of its load, and after the file was deleted or replaced
by garbage. Every rendered run is checked: no exception box, no error, and the counts
are exactly those of one published dataset, never a mixture.

It runs twice: against one `streamlit run`, and through nginx to two app processes as
`make serve` runs them (deploy/serve.py), where the four sessions are spread over both
processes and each one's rebuild has to reach every process on its own.

What each run may show is computed from the CSV files, not from the app: with no filter
the overview's four metrics are the row counts of institutions, sources, observations and
awards, and the data page's row count is the observations'.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import NamedTuple

import pytest

from benchmarks.load import BROWSER_ARGS, RUN_COUNTER
from tests.browser.conftest import CHROMIUM, ROOT, Server, _need_browser, _need_nginx
from tests.browser.helpers import IGNORED_CONSOLE, screenshot, settle
from tests.conftest import CURATED, add_test_institutions, edit_row, read_rows, write_rows

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SESSIONS = (("", "rerun"), ("", "rerun"), ("", "reload"), ("data", "rerun"))
RUN_LIMIT = 60  # seconds for one script run on a loaded 2-core machine before we call it hung
FRESH_LIMIT = 15  # seconds from a rerun to the new data: "a few seconds", with room for noise
RECOVER_LIMIT = 60  # seconds for the warehouse page to notice a rebuild by itself: it checks every 3 s,
# then a full run, which took up to ~10 s here while other agents loaded the machine
KILL_AT_BYTES = 4 << 20  # the synthetic load writes ~80 MB; 4 MiB is well inside it
REPORT = ROOT / "test-artifacts" / "reliability-rebuilds.json"

class Counts(NamedTuple):
    institutions: int
    sources: int
    figures: int
    awards: int


def counts_of(data_dir: Path) -> Counts:
    """The overview's four numbers for these files: built by the ETL into a scratch
    warehouse and counted as the overview counts them (its awards card is competition
    awards in items, a report's total and its own items never both: not a row count)."""
    import tempfile

    from dashboard import queries
    from dashboard.db import current_ref
    from dashboard.filters import Filters
    from etl.validate import validate_dir
    from etl.warehouse import build

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "counts.duckdb"
        build(validate_dir(data_dir), path)
        counts = queries.scope_counts(current_ref(path), Filters())
    return Counts(counts["institutions"], counts["sources"], counts["figures"], counts["award_items"])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def building_files(db: Path) -> list[Path]:
    """Files a build writes beside the target before publishing (whatever their suffix)."""
    return [p for p in db.parent.iterdir() if p.name.startswith(db.name + ".")]


class Session:
    """One person: a page that reruns (keyboard 'r', the session kept) or reloads (a new session)."""

    def __init__(self, context, base: str, path: str, mode: str):
        self.path, self.mode = path, mode
        self.page = context.new_page()
        self.page.errors = []
        self.page.on("console", lambda m: m.type == "error" and self.page.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.page.errors.append(str(e)))
        self.page.goto(f"{base}/{path}")
        settle(self.page)
        self.mark = 0
        self.triggered = 0.0
        self.waits: list[float] = []

    def trigger(self) -> None:
        self.triggered = time.monotonic()
        if self.mode == "reload":
            self.page.reload(wait_until="commit")
            self.mark = 0
        else:
            self.mark = self.page.evaluate("window.__runs.finished")
            self.page.locator("body").press("r")

    def wait_run(self) -> None:
        """Wait until the server has finished a run the trigger caused (counted from the
        websocket, see benchmarks.load.RUN_COUNTER), then for the page to settle."""
        deadline = time.monotonic() + RUN_LIMIT
        finished = None
        while time.monotonic() < deadline:
            try:
                finished = self.page.evaluate("window.__runs.finished")
            except Exception:  # a reloading document: its context is not there yet
                finished = None
            if finished is not None and finished > self.mark:
                break
            time.sleep(0.05)
        else:
            raise AssertionError(f"{self.name}: no finished run within {RUN_LIMIT} s ({finished} <= {self.mark})")
        settle(self.page, RUN_LIMIT)
        self.waits.append(time.monotonic() - self.triggered)

    @property
    def name(self) -> str:
        return f"{self.path or 'overview'}/{self.mode}#{id(self) % 1000}"

    def assert_clean(self) -> None:
        page = self.page
        boxes = page.locator("[data-testid='stException']")
        assert boxes.count() == 0, f"{self.name}: {boxes.first.inner_text()}"
        alerts = page.locator("[data-testid='stAlertContentError']")
        assert alerts.count() == 0, f"{self.name}: {alerts.first.inner_text()}"
        errors = [e for e in page.errors if not any(noise in e for noise in IGNORED_CONSOLE)]
        assert errors == [], f"{self.name}: {errors}"

    def shown(self) -> tuple:
        """The data-dependent value on screen: the overview's metrics, the data page's rows."""
        if self.path == "data":
            caption = self.page.locator("[data-testid='stCaptionContainer']").filter(has_text=re.compile(r"^共 [\d,]+ 行$"))
            return (int(caption.first.inner_text().strip("共 行").replace(",", "")),) if caption.count() else ()
        return tuple(int(v.replace(",", "")) for v in self.page.locator("[data-testid='stMetricValue']").all_inner_texts())

    def allowed(self, versions: set[Counts]) -> set[tuple]:
        return {(c.figures,) for c in versions} if self.path == "data" else set(versions)

    def error_text(self) -> str:
        return " ".join(self.page.locator("[data-testid='stAlertContentError']").all_inner_texts())


def cycle(sessions: list[Session], versions: set[Counts]) -> list[tuple]:
    """Every session reruns at once; each finished run must be clean and show exactly one
    of the given versions."""
    for session in sessions:
        session.trigger()
    seen = []
    for session in sessions:
        session.wait_run()
        session.assert_clean()
        shown = session.shown()
        assert shown in session.allowed(versions), f"{session.name} shows {shown}, expected one of {versions}"
        seen.append(shown)
    return seen


def start_build(data_dir: Path, db: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "etl", "build", "--data-dir", str(data_dir), "--db", str(db)],
        cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )


def kill_during_load(process: subprocess.Popen, db: Path, outcome: dict) -> None:
    """SIGKILL the build in the middle of its load: once its new file beside the target
    (the load is the only stage that writes there) holds a few MiB of rows, or has been
    open for half a second if the loader writes nothing until the end. No hook in etl/."""
    existing = {p.name for p in building_files(db)}
    appeared = None
    while process.poll() is None:
        sizes = []
        for path in building_files(db):
            if path.name not in existing:
                try:
                    sizes.append(path.stat().st_size)
                except FileNotFoundError:
                    pass
        if sizes:
            appeared = appeared or time.monotonic()
            if max(sizes) >= KILL_AT_BYTES or time.monotonic() - appeared >= 0.5:
                process.send_signal(signal.SIGKILL)
                outcome["killed_at_bytes"] = max(sizes)
                outcome["killed_after_load_began_s"] = round(time.monotonic() - appeared, 3)
                return
        time.sleep(0.002)


class Rebuilder:
    def __init__(self, db: Path, workdir: Path, sessions: list[Session]):
        self.db, self.workdir, self.sessions = db, workdir, sessions
        self.current: Counts | None = None
        self.log: list[dict] = []

    def data(self, name: str, extra_colleges: int = 0, damage=None) -> Path:
        directory = self.workdir / name
        shutil.copytree(CURATED, directory)
        if extra_colleges:
            add_test_institutions(directory, extra_colleges)
        if damage:
            damage(directory)
        return directory

    def build(self, data_dir: Path, outcome: str) -> None:
        """One rebuild while every session keeps rerunning; then check what they see."""
        expected_new = counts_of(data_dir) if outcome == "ok" else None
        versions = {self.current} | ({expected_new} if expected_new else set())
        before = digest(self.db)
        log = self.workdir / f"build-{len(self.log) + 1}.log"
        process = start_build(data_dir, self.db, log)
        record = {"build": len(self.log) + 1, "data": data_dir.name, "outcome": outcome}
        killer = None
        if outcome == "killed":
            killer = threading.Thread(target=kill_during_load, args=(process, self.db, record))
            killer.start()
        rounds = 0
        while process.poll() is None or rounds == 0:
            cycle(self.sessions, versions)  # sessions query while the build runs
            rounds += 1
        if killer:
            killer.join()
        code = process.wait()
        record.update(exit_code=code, rounds_during_build=rounds)
        if outcome == "ok":
            assert code == 0, log.read_text()
            self.current = expected_new
        elif outcome == "invalid":
            assert code == 1, log.read_text()
            assert digest(self.db) == before, "a refused build changed the warehouse"
        else:
            assert code == -signal.SIGKILL, f"the build was not killed midway (exit {code}): make its data bigger"
            assert [p for p in building_files(self.db)], "a build killed midway leaves its half-written file"
            assert digest(self.db) == before, "a killed build changed the warehouse"
        # Every run triggered from now on must show the published data, and only it.
        for session in self.sessions:
            session.waits.clear()
        cycle(self.sessions, {self.current})
        record["seconds_to_fresh"] = round(max(s.waits[-1] for s in self.sessions), 2)
        assert record["seconds_to_fresh"] < FRESH_LIMIT, record
        if outcome == "ok":
            assert building_files(self.db) == [], "the next build clears what a killed one left"
        self.log.append(record)

    def wait_for_page(self, text: str) -> None:
        """After the file went away or went bad: every session shows the warehouse page, with no traceback."""
        for session in self.sessions:
            session.trigger()
        for session in self.sessions:
            session.wait_run()
            assert session.page.locator("[data-testid='stException']").count() == 0, session.name
            assert text in session.error_text(), f"{session.name}: {session.error_text()!r}"
            assert session.shown() == (), f"{session.name} still shows figures"

    def recover_untouched(self, data_dir: Path) -> float:
        """Rebuild, and without any session doing anything, each comes back to the data."""
        result = subprocess.run(
            [sys.executable, "-m", "etl", "build", "--data-dir", str(data_dir), "--db", str(self.db)],
            cwd=ROOT, capture_output=True, text=True,
        )
        assert result.returncode == 0, result.stderr
        built = time.monotonic()
        self.current = counts_of(data_dir)
        slowest = 0.0
        for session in self.sessions:
            wanted = session.allowed({self.current})
            while session.shown() not in wanted:
                if time.monotonic() - built > RECOVER_LIMIT:
                    shot = screenshot(session.page, "reliability-not-recovered")
                    raise AssertionError(
                        f"{session.name} did not recover {RECOVER_LIMIT} s after the rebuild: shows {session.shown()}, "
                        f"error {session.error_text()!r}, finished runs {session.page.evaluate('window.__runs')}; see {shot}"
                    )
                assert session.page.locator("[data-testid='stException']").count() == 0, session.name
                time.sleep(0.2)
            settle(session.page)
            slowest = max(slowest, time.monotonic() - built)
        cycle(self.sessions, {self.current})
        return round(slowest, 2)


def run_in_own_thread(function) -> None:
    """Sync Playwright allows one instance per thread, and the browser tests' session-wide
    one may still be open on this thread: drive this test's Chromium from a thread of its own."""
    box: dict = {}

    def worker():
        try:
            function()
        except BaseException as error:  # re-raised below, on pytest's thread
            box["error"] = error

    thread = threading.Thread(target=worker, name="rebuilds")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]


@pytest.mark.parametrize("procs", [0, 2], ids=["one-process", "two-processes-behind-nginx"])
def test_rebuilds_while_people_are_looking(tmp_path, procs):
    _need_browser()
    if procs:
        _need_nginx()
    run_in_own_thread(lambda: scenario(tmp_path, procs))


def scenario(tmp_path: Path, procs: int = 0) -> None:
    from playwright.sync_api import sync_playwright

    workdir = tmp_path / "rebuilds"
    workdir.mkdir()
    db = tmp_path / "warehouse" / "warehouse.duckdb"
    db.parent.mkdir()
    start = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--data-dir", str(CURATED), "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert start.returncode == 0, start.stderr
    # A dataset big enough that its load lasts long enough to be killed in the middle.
    big = workdir / "synthetic"
    subprocess.run(
        [sys.executable, "-m", "etl.synth", "--institutions", "3000", "--years", "5", "--out", str(big)],
        cwd=ROOT, check=True, capture_output=True,
    )
    server = Server(db, procs=procs)
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
    contexts = []
    try:
        # Behind nginx a browser context per person: its own cookies, so its own process. One
        # process alone: one context for all, as people in one browser's tabs.
        for _ in SESSIONS if procs else SESSIONS[:1]:
            contexts.append(browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN"))
            contexts[-1].add_init_script(RUN_COUNTER)
        sessions = [Session(contexts[n % len(contexts)], server.url, path, mode) for n, (path, mode) in enumerate(SESSIONS)]
        routes = [next((c["value"] for c in context.cookies() if c["name"] == "vocdash_route"), None) for context in contexts]
        if procs:
            assert sorted(set(routes)) == sorted(server.app_pids()), f"sessions on every process: {routes}"
        rebuilder = Rebuilder(db, workdir, sessions)
        rebuilder.current = counts_of(CURATED)
        cycle(sessions, {rebuilder.current})

        def bad_type(d):
            edit_row(d / "institutions.csv", 0, type="university")

        def bad_value(d):
            edit_row(d / "observations.csv", 3, value="abc")

        def ghost_college(d):
            edit_row(d / "observations.csv", 5, institution_id="ghost_college")

        def duplicate(d):
            header, rows = read_rows(d / "institutions.csv")
            write_rows(d / "institutions.csv", header, rows + [rows[0]])

        plan = [
            (rebuilder.data("plus1", 1), "ok"),
            (rebuilder.data("bad_type", 1, bad_type), "invalid"),
            (rebuilder.data("plus2", 2), "ok"),
            (big, "killed"),
            (rebuilder.data("bad_value", 3, bad_value), "invalid"),
            (rebuilder.data("curated", 0), "ok"),  # fewer colleges than before
            (rebuilder.data("ghost", 0, ghost_college), "invalid"),
            (rebuilder.data("plus3", 3), "ok"),
            (rebuilder.data("duplicate", 4, duplicate), "invalid"),
            (rebuilder.data("plus4", 4), "ok"),
        ]
        for data_dir, outcome in plan:
            rebuilder.build(data_dir, outcome)

        # The warehouse deleted under the running app: a clear page, then back by itself.
        db.unlink()
        rebuilder.wait_for_page("找不到数据仓库")
        screenshot(sessions[0].page, "reliability-warehouse-missing")
        after_delete = rebuilder.recover_untouched(rebuilder.data("after_delete", 1))

        # Garbage moved onto the path (a new inode, as a bad copy would make): the same.
        garbage = db.with_name("garbage.tmp")
        garbage.write_bytes(os.urandom(db.stat().st_size))
        os.replace(garbage, db)
        rebuilder.wait_for_page("数据仓库无法读取")
        screenshot(sessions[3].page, "reliability-warehouse-broken")
        after_garbage = rebuilder.recover_untouched(rebuilder.data("after_garbage", 2))

        for session in sessions:
            session.assert_clean()
        if procs:
            still = [next((c["value"] for c in context.cookies() if c["name"] == "vocdash_route"), None) for context in contexts]
            assert still == routes, f"a session moved to another process: {routes} -> {still}"
        report = REPORT.with_name(f"{REPORT.stem}-{procs}procs.json") if procs else REPORT
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps({
            "processes": procs or 1,
            "sessions_by_process": {route: routes.count(route) for route in set(routes)} if procs else None,
            "builds": rebuilder.log,
            "recovered_after_delete_s": after_delete,
            "recovered_after_garbage_s": after_garbage,
        }, indent=1))
    finally:
        for context in contexts:
            context.close()
        browser.close()
        playwright.stop()
        server.stop()
