"""`make serve`: several app processes behind nginx (deploy/serve.py, deploy/nginx.conf.template).

Two processes behind a real nginx, real Chromium sessions through it: every session stays on
one process (nginx's access log says which process answered each request, the websocket
included), both processes get sessions, a new warehouse published onto the served path
(deploy/publish-warehouse.sh: staged beside it, then renamed in) reaches both with no failed
run, a process that dies is started again and its sessions come back by themselves, and
stopping the supervisor (Ctrl-C, SIGTERM, even SIGKILL) leaves no process behind.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest

from benchmarks.load import BROWSER_ARGS, RUN_COUNTER, descendants
from deploy import serve
from tests.browser.conftest import CHROMIUM, ROOT, Server, _need_browser, _need_nginx
from tests.browser.helpers import screenshot, settle
from tests.conftest import CURATED, add_test_institutions
from tests.reliability.test_rebuilds import Session, counts_of, cycle, run_in_own_thread

SESSIONS = (("", "rerun"), ("", "rerun"), ("", "reload"), ("data", "rerun"), ("", "rerun"), ("data", "rerun"))
COME_BACK_LIMIT = 60  # seconds for a session whose process died to show the data again by itself
ACCESS = re.compile(
    r'end=(?P<end>[\d.]+) time=(?P<time>[\d.]+) "(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ '
    r'upstream=(?P<upstream>\S+) route=(?P<route>\S+) "(?P<agent>[^"]*)"'
)


def build(data_dir: Path, db: Path) -> None:
    """The ETL's own build: written beside the target, then os.replace'd onto it."""
    result = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--data-dir", str(data_dir), "--db", str(db)], cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "warehouse" / "warehouse.duckdb"
    path.parent.mkdir()
    build(CURATED, path)
    return path


def alive(pids: dict[int, str]) -> list[str]:
    """The processes of `pids` (pid -> /proc start time) still running: not gone, not a zombie
    waiting to be reaped, not a new process that got the same pid."""
    left = []
    for pid, started in pids.items():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if stat[0] != "Z" and stat[19] == started:
            left.append(f"{pid} {command[:120]}")
    return left


def serving_processes(server: Server) -> dict[int, str]:
    """The supervisor and everything below it (apps, nginx master and workers), with start times."""
    pids = {}
    for pid in [server.process.pid, *descendants(server.process.pid)]:
        try:
            pids[pid] = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
        except OSError:
            pass
    return pids


def stop_and_check_nothing_left(server: Server, signum: int) -> None:
    processes = serving_processes(server)
    assert len(processes) >= 1 + server.procs + 2, processes  # supervisor, apps, nginx master and worker
    server.process.send_signal(signum)
    assert server.process.wait(30) == 0, server.log.read_text()[-2000:]
    assert alive(processes) == [], alive(processes)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2)


def access_log(server: Server) -> list[dict]:
    lines = (server.run_dir / "logs" / "nginx-access.log").read_text().splitlines()
    entries = [match.groupdict() for match in map(ACCESS.search, lines) if match]
    assert len(entries) == len(lines), [line for line in lines if not ACCESS.search(line)][:3]
    for entry in entries:
        entry["start"] = float(entry["end"]) - float(entry["time"])
    return entries


def new_context(browser, number: int):
    # The user agent names the session in nginx's access log.
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", user_agent=f"Mozilla/5.0 (X11; Linux x86_64) VocDashTest/{number}",
    )
    context.add_init_script(RUN_COUNTER)
    return context


def route(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == "vocdash_route"), None)


def test_the_config_is_valid_nginx_for_any_number_of_processes(tmp_path):
    _need_nginx()
    for ports in ([8601], [8601, 8602], [9001, 9002, 9003, 9004, 9005]):
        text = serve.render(
            serve.TEMPLATE.read_text(), listen="127.0.0.1:18501", ports=ports, nginx_dir=tmp_path, log_dir=tmp_path, max_body_mb=11,
        )
        for port in ports:
            assert f"{port} vocdash_{port};" in text  # the cookie naming it pins a browser there
            group = re.search(rf"upstream vocdash_{port} {{(.*?)}}", text, re.S).group(1)
            assert f"server 127.0.0.1:{port};" in group
            assert sorted(re.findall(r"127\.0\.0\.1:(\d+) backup", group)) == sorted(str(p) for p in ports if p != port)
        assert "client_max_body_size 12m;" in text
        conf = tmp_path / "nginx.conf"
        conf.write_text(text)
        (tmp_path / "tmp").mkdir(exist_ok=True)
        check = subprocess.run(
            [serve.find_nginx(), "-t", "-p", f"{tmp_path}/", "-c", str(conf), "-e", str(tmp_path / "error.log")], capture_output=True, text=True,
        )
        assert check.returncode == 0, check.stderr


@pytest.mark.browser
@pytest.mark.slow
def test_sessions_stick_to_one_process_and_a_rebuild_reaches_both(db, tmp_path):
    _need_browser()
    _need_nginx()
    server = Server(db, procs=2)
    try:
        ports = sorted(server.app_pids())
        run_in_own_thread(lambda: sessions_and_rebuild(server, db, tmp_path))
        stop_and_check_nothing_left(server, signal.SIGINT)  # Ctrl-C
    finally:
        server.stop()

    # Every request of a session went to one process, its websocket included, and the
    # cookie named that process from the first answer on.
    by_session = defaultdict(list)
    for entry in access_log(server):
        found = re.search(r"VocDashTest/(\d+)", entry["agent"])
        if found:
            by_session[found.group(1)].append(entry)
    assert len(by_session) == len(SESSIONS)
    served = {}
    for session, entries in by_session.items():
        upstreams = {entry["upstream"] for entry in entries}
        assert len(upstreams) == 1, (session, upstreams)
        upstream = upstreams.pop()
        served[session] = upstream.rsplit(":", 1)[1]
        sockets = [e for e in entries if e["path"].startswith("/_stcore/stream") and e["status"] == "101"]
        assert sockets, f"session {session}: no websocket through nginx"
        assert {e["route"] for e in entries} <= {"-", served[session]}, session
        # Nothing failed; the 404s are Streamlit's frontend trying the page's path as its base
        # first (/data/_stcore/health), as it does without nginx too.
        failed = [e for e in entries if e["status"] not in ("101", "200", "304")
                  and not (e["status"] == "404" and re.fullmatch(r"/\w+/_stcore/(health|host-config)", e["path"]))]
        assert failed == [], failed
    assert sorted(set(served.values())) == ports, f"both processes get sessions: {served}"


def sessions_and_rebuild(server: Server, db: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
    try:
        contexts = [new_context(browser, number) for number in range(len(SESSIONS))]
        sessions = [Session(context, server.url, path, mode) for context, (path, mode) in zip(contexts, SESSIONS)]
        routes = [route(context) for context in contexts]
        assert sorted(set(routes)) == sorted(server.app_pids()), f"new visitors are taken in turn: {routes}"
        before = counts_of(CURATED)
        for _ in range(2):
            cycle(sessions, {before})  # everyone reruns at once, each on their own process
        assert [route(context) for context in contexts] == routes  # still pinned

        # The new warehouse is built elsewhere and published onto the served path the way
        # docs/scaling.md publishes it to several machines: staged beside it, then renamed in.
        data = tmp_path / "plus2"
        shutil.copytree(CURATED, data)
        add_test_institutions(data, 2)
        after = counts_of(data)
        assert after != before
        built = tmp_path / "next" / "warehouse.duckdb"
        built.parent.mkdir()
        build(data, built)
        published = subprocess.run(["bash", str(ROOT / "deploy" / "publish-warehouse.sh"), str(built), str(db)], capture_output=True, text=True)
        assert published.returncode == 0, published.stderr
        # Every run from now on, in every session on either process, shows the new data only.
        for _ in range(2):
            cycle(sessions, {after})
        screenshot(sessions[0].page, "serve-after-rebuild")
        for session in sessions:
            session.assert_clean()
        assert [route(context) for context in contexts] == routes
        for context in contexts:
            context.close()
        time.sleep(1)  # nginx logs a websocket when it closes
    finally:
        browser.close()
        playwright.stop()


@pytest.mark.browser
@pytest.mark.slow
def test_a_process_that_dies_is_restarted_and_its_sessions_come_back(db):
    _need_browser()
    _need_nginx()
    server = Server(db, procs=2)
    try:
        run_in_own_thread(lambda: kill_one(server))
        stop_and_check_nothing_left(server, signal.SIGTERM)
    finally:
        server.stop()


def kill_one(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
    try:
        contexts = [new_context(browser, number) for number in range(2)]
        sessions = [Session(context, server.url, "", "rerun") for context in contexts]
        routes = [route(context) for context in contexts]
        assert sorted(routes) == sorted(server.app_pids()), routes
        expected = counts_of(CURATED)
        cycle(sessions, {expected})

        victim = routes[0]
        old_pid = server.app_pids()[victim]
        os.kill(old_pid, signal.SIGKILL)
        deadline = time.monotonic() + COME_BACK_LIMIT
        while server.app_pids()[victim] == old_pid or not serve.healthy(f"http://127.0.0.1:{victim}"):
            assert time.monotonic() < deadline, f"process on {victim} not restarted: {server.state()}"
            time.sleep(0.2)
        assert server.state()["apps"][[str(a["port"]) for a in server.state()["apps"]].index(victim)]["restarts"] == 1
        assert server.process.poll() is None

        # Its session reconnects by itself (to the restarted process, or another while it was
        # down) and shows the data again: no reload, no error box.
        lost = sessions[0]
        deadline = time.monotonic() + COME_BACK_LIMIT
        while lost.shown() != expected:
            if time.monotonic() > deadline:
                shot = screenshot(lost.page, "serve-not-back-after-kill")
                raise AssertionError(f"the session on the killed process did not come back: shows {lost.shown()}; see {shot}")
            assert lost.page.locator("[data-testid='stException']").count() == 0
            time.sleep(0.2)
        settle(lost.page)
        cycle(sessions, {expected})
        for session in sessions:
            session.assert_clean()
        assert route(contexts[1]) == routes[1]  # the other session never moved
    finally:
        browser.close()
        playwright.stop()


def test_a_killed_supervisor_leaves_no_process(db):
    """Even SIGKILL, which it cannot catch: its children are told to stop by the kernel."""
    _need_nginx()
    server = Server(db, procs=2)
    try:
        processes = serving_processes(server)
        assert len(processes) >= 5, processes
        server.process.kill()
        server.process.wait()
        deadline = time.monotonic() + 20
        while alive(processes):
            assert time.monotonic() < deadline, alive(processes)
            time.sleep(0.2)
    finally:
        server.stop()


def test_a_port_already_taken_is_refused_before_any_app_starts(tmp_path):
    """Otherwise the program already there answers nginx's health check, the supervisor says
    it is ready, and no browser is pinned to a process (what a CI run once saw)."""
    _need_nginx()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "deploy.serve", "--procs", "1", "--port", str(port), "--db", str(CURATED.parent / "none.duckdb"),
             "--run-dir", str(tmp_path / "run")],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{serve.PORT_IN_USE} 127.0.0.1:{port}" in result.stdout
    assert not list((tmp_path / "run" / "logs").glob("app-*.log"))  # no app was started


def test_the_app_ports_never_include_nginx_port(monkeypatch):
    """The OS may hand out nginx's port again (it is not bound until the apps are up)."""
    handed_out = iter([40001, 40002, 40003])

    class FakeSocket:
        def bind(self, _address):
            self.port = next(handed_out)

        def getsockname(self):
            return ("127.0.0.1", self.port)

        def close(self):
            pass

    monkeypatch.setattr(serve.socket, "socket", FakeSocket)
    assert serve.free_ports(2, avoid=frozenset({40001})) == [40002, 40003]


def test_nginx_health_only_counts_when_nginx_answers(tmp_path):
    """A Streamlit (or anything else) on nginx's port is healthy, but it is not nginx."""
    import http.server
    import threading

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    other = http.server.HTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{other.server_port}"
        assert serve.healthy(url)
        assert not serve.healthy(url, via_nginx=True)
    finally:
        other.shutdown()
