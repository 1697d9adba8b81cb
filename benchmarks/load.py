"""Many people at once: a load test with one headless Chromium page per simulated user.

HTTP-only load tools never run the script (a Streamlit page is a websocket conversation
that reruns Python per interaction), so, as in Streamlit's own load tests, each user is a
real browser page. All users start together and each, per round:

  1. opens the overview by URL                    -> "open" (page load)
  2. picks the first institution type in the filter -> "rerun"
  3. switches to the Data page in the sidebar      -> "switch" (page load within the app)
  4. downloads the CSV and checks its header       -> "download"

A step is timed from the action to the page being finished: the script run that the
action caused has ended (the server's "script finished" message, counted in the page),
every chart is drawn, and nothing changes for half a second (not counted: the time is
taken when the final state was first seen). A user's round succeeds when every step does, with no
exception box, no error alert and a non-empty CSV.

Server memory is the streamlit process's RSS (/proc) after one warm-up visit, with all
users' sessions open at the end, and after they close; growth per user is
(open - warm) / users.

With --procs N the same users go through nginx to N app processes, as `make serve` runs
them (deploy/serve.py): one warm-up visit per process (new visitors are taken in turn),
memory summed over the processes, CPU given per process, and each user's process read
from the cookie that pins it there.

    python -m benchmarks.load --users 20 --db data/warehouse.duckdb --out benchmarks/out/load.json
    python -m benchmarks.load --users 20 --db data/warehouse.duckdb --procs 2 --out benchmarks/out/load-proxy.json
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import json
import math
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402  (one way to serve and browse)

AIMS = {"success_rate": 1.0, "page_load_p95_s": 5.0, "rerun_p95_s": 2.0, "memory_per_user_mb": 20.0}
STEP_TIMEOUT = 180  # seconds (--step-timeout); a slower step counts as failed, not hung
# Headless pages must not be throttled as "background" tabs: that would time Chromium's
# timer policy, not the app.
BROWSER_ARGS = CHROMIUM_ARGS + [
    "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows", "--disable-renderer-backgrounding",
]

# Counts the script runs the server reports finished, read from the websocket itself:
# the page's own run-state attribute is React state, and under load React may batch
# 'running' and 'notRunning' into one render, so a run can come and go unseen. Each
# websocket message is one ForwardMsg; only its top-level fields are walked: field 6 is
# script_finished (0 = finished, 2 = cut short by a newer run, 3 = a fragment's run),
# field 4 is new_session (a run starting).
RUN_COUNTER = """
(() => {
  window.__runs = {started: 0, finished: 0};
  const varint = (b, i) => { let v = 0, s = 0, x; do { x = b[i++]; v += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80); return [v, i]; };
  const inspect = buffer => {
    const b = new Uint8Array(buffer);
    let i = 0, tag, value;
    while (i < b.length) {
      [tag, i] = varint(b, i);
      const field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { [value, i] = varint(b, i); if (field === 6 && value === 0) window.__runs.finished++; }
      else if (wire === 2) { [value, i] = varint(b, i); if (field === 4) window.__runs.started++; i += value; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return;
    }
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => { if (e.data instanceof ArrayBuffer) inspect(e.data); });
    }
  };
})();
"""
PAGE_STATE = """() => {
  const q = s => document.querySelectorAll(s).length;
  const app = document.querySelector("[data-testid='stApp']");
  return {
    state: app ? app.getAttribute('data-test-script-state') : null,
    charts: q("[data-testid='stPlotlyChart']"), drawn: q("[data-testid='stPlotlyChart'] .main-svg"),
    exceptions: q("[data-testid='stException']"), errors: q("[data-testid='stAlertContentError']"),
    metrics: q("[data-testid='stMetricValue']"), downloads: q("[data-testid='stDownloadButton'] button"),
    runs: window.__runs ? window.__runs.finished : 0,
  };
}"""


class StepFailed(Exception):
    pass


class Wire:
    """The page's websocket as Chromium's network stack saw it (CDP), with its own
    timestamps: when each run was asked for (BackMsg rerun_script) and when the server
    said a run had finished (ForwardMsg script_finished). The gap is the server's answer
    time, free of the time the simulated browsers spend drawing on a shared machine.
    CDP's timestamps and time.monotonic() are both CLOCK_MONOTONIC on Linux."""

    def __init__(self):
        self.requests: list[float] = []
        self.finished: list[float] = []

    async def attach(self, context, page) -> None:
        session = await context.new_cdp_session(page)
        session.on("Network.webSocketFrameSent", self._sent)
        session.on("Network.webSocketFrameReceived", self._received)
        await session.send("Network.enable")

    def _sent(self, event: dict) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        frame = event["response"]
        if frame.get("opcode") == 2:
            message = BackMsg()
            message.ParseFromString(base64.b64decode(frame["payloadData"]))
            if message.WhichOneof("type") == "rerun_script":
                self.requests.append(event["timestamp"])

    def _received(self, event: dict) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        frame = event["response"]
        if frame.get("opcode") == 2 and len(frame["payloadData"]) < 512:  # script_finished is tiny
            message = ForwardMsg()
            message.ParseFromString(base64.b64decode(frame["payloadData"]))
            if message.WhichOneof("type") == "script_finished" and message.script_finished == 0:
                self.finished.append(event["timestamp"])

    def answer_time(self, since: float) -> float | None:
        """From the first run request after `since` to the next finished run."""
        asked = next((t for t in self.requests if t >= since), None)
        if asked is None:
            return None
        done = next((t for t in self.finished if t >= asked), None)
        return None if done is None else done - asked


def rss_mb(pid: int) -> float:
    """Resident memory of a process from /proc (no psutil needed)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """Every live process below pid (the Playwright driver and its Chromium), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def server_rss_mb(server: Server) -> float:
    """All the app processes' resident memory (one process, or every one behind nginx)."""
    return sum(rss_mb(pid) for pid in server.app_pids().values())


def server_cpu(server: Server) -> dict[str, tuple[int, float]]:
    """CPU seconds so far of each app process, by name, with its pid (a restart changes it)."""
    return {name: (pid, cpu_seconds(pid)) for name, pid in server.app_pids().items()}


def server_side(server: Server) -> set[int]:
    """Every process serving (the app, or the supervisor, its apps and nginx): not the load generator."""
    return {server.process.pid, *descendants(server.process.pid)}


async def route_of(context) -> str | None:
    """Which process behind nginx a browser is pinned to: its vocdash_route cookie (deploy/nginx.conf.template)."""
    return next((c["value"] for c in await context.cookies() if c["name"] == "vocdash_route"), None)


def tree_cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(pid)
        except OSError:
            pass  # exited meanwhile
    return total


async def _finished(page, started: float, ready, since_run: int | None) -> float:
    """Wait until the page is finished; return the monotonic time it first looked so.
    ready(state) says the page shows what the step is for; since_run, when given, asks
    for more finished script runs than that count (taken before the action)."""
    deadline = started + STEP_TIMEOUT
    last, first_seen = None, None
    while time.monotonic() < deadline:
        state = await page.evaluate(PAGE_STATE)
        if state["exceptions"] or state["errors"]:
            text = await page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").first.inner_text()
            raise StepFailed(f"error on page: {text[:300]}")
        ran = since_run is None or state["runs"] > since_run  # a run finished since the action
        done = ran and state["state"] == "notRunning" and state["drawn"] >= state["charts"] and ready(state)
        key = {k: state[k] for k in ("state", "charts", "drawn", "metrics", "downloads")}
        if done and key == last:
            first_seen = first_seen or time.monotonic()
            if time.monotonic() - first_seen >= 0.5:
                return first_seen
        else:
            first_seen = time.monotonic() if done else None
        last = key
        await asyncio.sleep(0.05)
    raise StepFailed(f"not finished within {STEP_TIMEOUT} s: {last}")


async def user_round(context, base: str, timings: dict, downloads: Path, choice: tuple[str, str], name: str = "user") -> None:
    if context.pages:
        page = context.pages[0]
    else:
        page = await context.new_page()
        page.set_default_timeout(STEP_TIMEOUT * 1000)
        page.user = name
        page.wire = Wire()
        await page.wire.attach(context, page)
    wire = page.wire

    progress(f"{page_name(page)} open")
    started = time.monotonic()
    await page.goto(f"{base}/", timeout=STEP_TIMEOUT * 1000)
    done = await _finished(page, started, lambda s: s["metrics"] >= 4, None)
    timings["open"].append(done - started)
    timings["server_open"].append(wire.answer_time(started))

    label, option_text = choice
    progress(f"{page_name(page)} filter")
    await page.locator(f"input[aria-label='{label}']").click()
    option = page.get_by_role("option", name=option_text, exact=True)
    await option.wait_for()
    mark = await page.evaluate("window.__runs.finished")
    started = time.monotonic()
    await option.click()
    done = await _finished(page, started, lambda s: s["metrics"] >= 4, mark)
    timings["rerun"].append(done - started)
    timings["server_rerun"].append(wire.answer_time(started))
    await page.keyboard.press("Escape")
    if "type=" not in page.url:
        raise StepFailed(f"the filter did not reach the URL: {page.url}")

    progress(f"{page_name(page)} data page")
    mark = await page.evaluate("window.__runs.finished")
    started = time.monotonic()
    await page.locator("[data-testid='stSidebarNav'] a[href$='/data']").click()
    done = await _finished(page, started, lambda s: s["downloads"] >= 1, mark)
    timings["switch"].append(done - started)
    timings["server_switch"].append(wire.answer_time(started))

    progress(f"{page_name(page)} CSV")
    started = time.monotonic()
    async with page.expect_download() as info:
        await page.locator("[data-testid='stDownloadButton'] button").first.click()
    download = await info.value
    target = downloads / f"{id(page)}-{download.suggested_filename}"
    await download.save_as(target)
    timings["download"].append(time.monotonic() - started)
    head = target.read_bytes()[:64]
    target.unlink()
    if not head.startswith(b"\xef\xbb\xbf") or not head[3:].decode("utf-8", "ignore").startswith("院校,"):
        raise StepFailed(f"unexpected CSV {download.suggested_filename!r} after {timings['download'][-1]:.1f} s: {head!r}")


_T0 = time.monotonic()


def progress(text: str) -> None:
    """One line per step on stderr, so a long run shows where it is."""
    print(f"[{time.monotonic() - _T0:7.1f}s] {text}", file=sys.stderr, flush=True)


def page_name(page) -> str:
    return getattr(page, "user", "user")


def filter_choice(db: Path) -> tuple[str, str]:
    """The institution-type filter's label and its first option's label, as the page shows
    them in Chinese: chosen by name, so a shifting layout cannot make us pick another widget."""
    import duckdb

    from dashboard.i18n import t, v

    con = duckdb.connect(str(db), read_only=True)
    try:
        first = con.execute("SELECT min(type) FROM institutions").fetchone()[0]
    finally:
        con.close()
    return t("filter_type", "zh"), v("type", first, "zh")


STEPS = ("open", "rerun", "switch", "download", "server_open", "server_rerun", "server_switch")


async def _run(server: Server, users: int, rounds: int, db: Path, downloads: Path, browser_nice: int) -> dict:
    from playwright.async_api import async_playwright

    choice = filter_choice(db)
    result: dict = {
        "users": users, "rounds": rounds, "db": str(db), "db_mb": round(db.stat().st_size / 2**20, 1),
        "procs": server.procs, "server": f"{server.procs} processes + nginx" if server.procs else "1 process",
    }
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        if browser_nice:
            # Renderers fork from these processes later and inherit the priority.
            serving = server_side(server)
            for pid_ in descendants(os.getpid()):
                if pid_ not in serving:
                    try:
                        os.setpriority(os.PRIO_PROCESS, pid_, browser_nice)
                    except OSError:
                        pass

        async def new_context():
            context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", accept_downloads=True)
            await context.add_init_script(RUN_COUNTER)
            return context

        result["rss_start_mb"] = round(server_rss_mb(server), 1)
        warm_timings = {name: [] for name in STEPS}
        warmed = []
        # Imports and caches are a cost paid once per process, not per user: warm each process
        # (nginx gives new visitors to the processes in turn).
        for _ in range(max(1, server.procs)):
            warm = await new_context()
            try:
                await user_round(warm, server.url, warm_timings, downloads, choice, "warm-up")
            except Exception as error:
                # One user alone cannot finish: twenty will not either. Say so and stop.
                await browser.close()
                result.update(warm_up_error=f"{type(error).__name__}: {str(error)[:300]}", warm_up_s={k: [round(x, 2) for x in v if x] for k, v in warm_timings.items()})
                return _unfinished(result, users, rounds)
            warmed.append(await route_of(warm))
            await warm.close()
        await asyncio.sleep(2)
        result["rss_warm_mb"] = round(server_rss_mb(server), 1)
        result["warm_up_s"] = {k: v[0] if v[0] is None else round(v[0], 2) for k, v in warm_timings.items()}
        result["warmed_processes"] = warmed

        peak = [server_rss_mb(server)]
        sampling = True

        async def sample():
            while sampling:
                peak[0] = max(peak[0], server_rss_mb(server))
                await asyncio.sleep(0.25)

        sampler = asyncio.create_task(sample())
        contexts = [await new_context() for _ in range(users)]
        timings = {name: [] for name in STEPS}
        failures: list[str] = []
        successes = 0
        load_before = os.getloadavg()[0]
        serving = server_side(server)
        clients = [p for p in descendants(os.getpid()) if p not in serving]
        client_cpu_before = tree_cpu_seconds(clients)
        proxy = [p for p in serving if p not in server.app_pids().values() and p != server.process.pid]  # nginx
        proxy_cpu_before = tree_cpu_seconds(proxy)
        cpu_before, wall_before = server_cpu(server), time.monotonic()

        async def one_user(number: int, context) -> int:
            ok = 0
            for round_number in range(rounds):
                try:
                    await user_round(context, server.url, timings, downloads, choice, f"user {number}")
                    ok += 1
                except Exception as error:  # a failed round is a result, not a crash
                    failures.append(f"user {number} round {round_number + 1}: {type(error).__name__}: {str(error)[:300]}")
            return ok

        outcomes = await asyncio.gather(*(one_user(n + 1, c) for n, c in enumerate(contexts)))
        successes = sum(outcomes)
        wall = time.monotonic() - wall_before
        cpu_after = server_cpu(server)
        result["server_cpu_by_process_s"] = {
            name: round(cpu - cpu_before[name][1], 1) if name in cpu_before and cpu_before[name][0] == pid_ else None  # None: restarted
            for name, (pid_, cpu) in cpu_after.items()
        }
        result["server_cpu_s"] = round(sum(v for v in result["server_cpu_by_process_s"].values() if v is not None), 1)
        result["proxy_cpu_s"] = round(tree_cpu_seconds(proxy) - proxy_cpu_before, 1) if server.procs else None
        routes = [await route_of(context) for context in contexts]
        result["sessions_by_process"] = {name: routes.count(name) for name in cpu_after} if server.procs else {"app": users}
        clients = [p for p in descendants(os.getpid()) if p not in serving]
        result["browser_cpu_s"] = round(tree_cpu_seconds(clients) - client_cpu_before, 1)  # live processes only
        result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        result["browser_nice"] = browser_nice
        result["wall_s"] = round(wall, 1)
        await asyncio.sleep(1)
        result["rss_open_mb"] = round(server_rss_mb(server), 1)
        for context in contexts:
            await context.close()
        await asyncio.sleep(5)  # sessions end when their websockets close
        result["rss_closed_mb"] = round(server_rss_mb(server), 1)
        sampling = False
        await sampler
        result["rss_peak_mb"] = round(peak[0], 1)
        await browser.close()

    attempts = users * rounds
    result.update(
        attempts=attempts, successes=successes, success_rate=round(successes / attempts, 4), failures=failures,
        memory_per_user_mb=round((result["rss_open_mb"] - result["rss_warm_mb"]) / users, 1),
        timings_s={name: [None if x is None else round(x, 3) for x in values] for name, values in timings.items()},
        summary={name: percentiles([x for x in values if x is not None]) for name, values in timings.items()},
    )
    result["summary"]["server_page_load"] = percentiles([x for x in timings["server_open"] + timings["server_switch"] if x is not None])
    loads = timings["open"] + timings["switch"]
    result["summary"]["page_load"] = percentiles(loads)
    result["aims"] = AIMS
    result["met"] = {
        "success_rate": result["success_rate"] >= AIMS["success_rate"],
        "page_load_p95_s": bool(loads) and result["summary"]["page_load"]["p95"] < AIMS["page_load_p95_s"],
        "rerun_p95_s": bool(timings["rerun"]) and result["summary"]["rerun"]["p95"] < AIMS["rerun_p95_s"],
        "memory_per_user_mb": result["memory_per_user_mb"] < AIMS["memory_per_user_mb"],
    }
    return result


def _unfinished(result: dict, users: int, rounds: int) -> dict:
    empty = percentiles([])
    result.update(
        attempts=users * rounds, successes=0, success_rate=0.0, failures=[f"warm-up: {result['warm_up_error']}"],
        rss_warm_mb=None, rss_open_mb=None, rss_closed_mb=None, rss_peak_mb=None, memory_per_user_mb=None,
        server_cpu_s=None, server_cpu_by_process_s=None, proxy_cpu_s=None, sessions_by_process=None, browser_cpu_s=None, wall_s=None, load_average=None, browser_nice=None,
        timings_s={}, summary={name: empty for name in STEPS + ("page_load", "server_page_load")},
        aims=AIMS, met={name: False for name in AIMS},
    )
    return result


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "p50": None, "p95": None, "max": None}
    ordered = sorted(values)
    p95 = ordered[math.ceil(round(0.95 * len(ordered), 9)) - 1]  # nearest rank: the 19th of 20
    return {"n": len(ordered), "p50": round(statistics.median(ordered), 2), "p95": round(p95, 2), "max": round(ordered[-1], 2)}


def run(users: int, db: Path, rounds: int = 1, downloads: Path | None = None, browser_nice: int = 0, procs: int = 0) -> dict:
    """Run the load test; return its measurements. Runs its event loop on a thread of its
    own so it can be called from code that already has one (pytest with sync Playwright).
    procs=N serves through nginx to N app processes (deploy/serve.py), 0 one process alone."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run scripts/ensure-browser.sh (make test does)")
    db = Path(db).resolve()
    if not db.exists():
        raise FileNotFoundError(db)
    downloads = Path(downloads or ROOT / "benchmarks" / "out" / "downloads")
    downloads.mkdir(parents=True, exist_ok=True)
    box: dict = {}
    load_at_start = os.getloadavg()[0]
    server = Server(db, procs=procs)  # owned here, so Ctrl-C on this thread still stops it

    def worker():
        try:
            box["result"] = asyncio.run(_run(server, users, rounds, db, downloads, browser_nice))
        except BaseException as error:  # re-raised on the caller's thread
            box["error"] = error

    thread = threading.Thread(target=worker, name="load-test", daemon=True)
    try:
        thread.start()
        thread.join()
    finally:
        server.stop()
    if "error" in box:
        raise box["error"]
    result = box["result"]
    result.update(
        date=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        machine=f"{os.cpu_count()} cores, {platform.machine()}, load average at start {load_at_start:.2f}",
    )
    return result


TABLE_HEADER = (
    "| data | server | users × rounds | success | first load p50 / p95, in browser (s) | first load p50 / p95, server answer (s) "
    "| rerun p50 / p95, in browser (s) | rerun p50 / p95, server answer (s) | page load (first + switch) p50 / p95, in browser (s) "
    "| CSV p50 / p95 (s) | server CPU per process (s) | sessions per process | server RSS warm → all open (MB) | MB / user |"
    "\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def _per_process(values: dict | None, extra: str = "") -> str:
    if not values:
        return "–"
    return " / ".join("–" if v is None else str(v) for v in values.values()) + extra


def table_row(label: str, r: dict) -> str:
    s = r["summary"]

    def pair(name):
        return "–" if s[name]["p50"] is None else f"{s[name]['p50']} / {s[name]['p95']}"

    proxy = f" (nginx {r['proxy_cpu_s']})" if r.get("proxy_cpu_s") is not None else ""
    cpu = r.get("server_cpu_by_process_s") or ({"app": r["server_cpu_s"]} if r.get("server_cpu_s") is not None else None)
    return (
        f"| {label} | {r.get('server', '1 process')} | {r['users']} × {r['rounds']} | {r['successes']}/{r['attempts']} ({r['success_rate']:.0%}) "
        f"| {pair('open')} | {pair('server_open')} | {pair('rerun')} | {pair('server_rerun')} | {pair('page_load')} "
        f"| {pair('download')} | {_per_process(cpu, proxy)} | {_per_process(r.get('sessions_by_process'))} "
        f"| {r['rss_warm_mb']} → {r['rss_open_mb']} | {r['memory_per_user_mb']} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20, help="simultaneous users, one Chromium page each (default 20)")
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("VOCDASH_DB", "data/warehouse.duckdb")), help="warehouse to serve")
    parser.add_argument("--rounds", type=int, default=1, help="scenario repetitions per user (default 1)")
    parser.add_argument("--out", type=Path, help="write every measurement here as JSON")
    parser.add_argument("--label", default=None, help="name of this run's data in the table row (default: the file's name)")
    parser.add_argument("--procs", type=int, default=0,
                        help="serve through nginx to this many app processes, as `make serve` does (default 0: one process alone)")
    parser.add_argument(
        "--browser-nice", type=int, default=0,
        help="run the simulated users' Chromium at this lower priority (0-19), so the server is served first "
        "where both share one machine; the default 0 treats them alike",
    )
    parser.add_argument("--step-timeout", type=int, default=STEP_TIMEOUT, help=f"seconds before a step counts as failed (default {STEP_TIMEOUT})")
    args = parser.parse_args(argv)
    globals()["STEP_TIMEOUT"] = args.step_timeout
    if args.users < 1 or args.rounds < 1:
        parser.error("--users and --rounds must be at least 1")
    if args.procs < 0:
        parser.error("--procs must be 0 (one process alone) or more")
    result = run(args.users, args.db, args.rounds, browser_nice=args.browser_nice, procs=args.procs)
    result["label"] = args.label or args.db.name
    result["command"] = "python -m benchmarks.load " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(json.dumps({k: result.get(k) for k in (
        "server", "success_rate", "summary", "rss_start_mb", "rss_warm_mb", "rss_open_mb", "rss_closed_mb", "rss_peak_mb", "memory_per_user_mb",
        "server_cpu_s", "server_cpu_by_process_s", "proxy_cpu_s", "sessions_by_process", "browser_cpu_s", "wall_s", "load_average", "met",
    )}, indent=1))
    for failure in result["failures"][:20]:
        print("FAILED", failure, file=sys.stderr)
    print(TABLE_HEADER)
    print(table_row(result["label"], result))
    return 0 if result["success_rate"] == 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
