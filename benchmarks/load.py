"""Many people at once: a load test with one headless Chromium page per simulated user.

HTTP-only load tools never run the script (a Streamlit page is a websocket conversation
that reruns Python per interaction), so, as in Streamlit's own load tests, each user is a
real browser page. All users start together and each, per round:

  1. opens the overview by URL                    -> "open" (page load)
  2. picks the first institution type in the filter -> "rerun"
  3. switches to the Data page in the sidebar      -> "switch" (page load within the app)
  4. downloads the CSV and checks its header       -> "download"

A step is timed from the action to the page being finished: the script run that the
action caused has ended (recorded in the page by a MutationObserver), every chart is
drawn, and nothing changes for half a second (not counted: the time is taken when the
final state was first seen). A user's round succeeds when every step does, with no
exception box, no error alert and a non-empty CSV.

Server memory is the streamlit process's RSS (/proc) after one warm-up visit, with all
users' sessions open at the end, and after they close; growth per user is
(open - warm) / users.

    python -m benchmarks.load --users 20 --db data/warehouse.duckdb --out benchmarks/out/load.json
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
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
STEP_TIMEOUT = 180  # seconds; a step slower than this counts as a failure, not a hang

RECORD_RUNS = """
window.__runs = [];
new MutationObserver(records => {
  for (const r of records) window.__runs.push(r.target.getAttribute('data-test-script-state'));
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
"""
PAGE_STATE = """() => {
  const q = s => document.querySelectorAll(s).length;
  const app = document.querySelector("[data-testid='stApp']");
  return {
    state: app ? app.getAttribute('data-test-script-state') : null,
    charts: q("[data-testid='stPlotlyChart']"), drawn: q("[data-testid='stPlotlyChart'] .main-svg"),
    exceptions: q("[data-testid='stException']"), errors: q("[data-testid='stAlertContentError']"),
    metrics: q("[data-testid='stMetricValue']"), downloads: q("[data-testid='stDownloadButton'] button"),
    runs: window.__runs ? window.__runs.length : 0,
  };
}"""


class StepFailed(Exception):
    pass


def rss_mb(pid: int) -> float:
    """Resident memory of a process from /proc (no psutil needed)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _finished(page, started: float, ready, since_run: int | None) -> float:
    """Wait until the page is finished; return the monotonic time it first looked so.
    ready(state) says the page shows what the step is for; since_run, when given, asks
    for a script run that began after that index in window.__runs."""
    deadline = started + STEP_TIMEOUT
    last, first_seen = None, None
    while time.monotonic() < deadline:
        state = await page.evaluate(PAGE_STATE)
        if state["exceptions"] or state["errors"]:
            text = await page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").first.inner_text()
            raise StepFailed(f"error on page: {text[:300]}")
        ran = True
        if since_run is not None:
            runs = await page.evaluate("window.__runs")
            after = runs[since_run:]
            ran = "running" in after and "notRunning" in after[after.index("running"):]
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


async def user_round(context, base: str, timings: dict, downloads: Path) -> None:
    page = context.pages[0] if context.pages else await context.new_page()

    started = time.monotonic()
    await page.goto(f"{base}/", timeout=STEP_TIMEOUT * 1000)
    done = await _finished(page, started, lambda s: s["metrics"] >= 4, None)
    timings["open"].append(done - started)

    widget = page.locator("[data-testid='stMultiSelect']").first  # institution type
    await widget.locator("input").click()
    option = page.get_by_role("option").first
    await option.wait_for(timeout=STEP_TIMEOUT * 1000)
    mark = await page.evaluate("window.__runs.length")
    started = time.monotonic()
    await option.click()
    done = await _finished(page, started, lambda s: s["metrics"] >= 4, mark)
    timings["rerun"].append(done - started)
    await page.keyboard.press("Escape")
    if "type=" not in page.url:
        raise StepFailed(f"the filter did not reach the URL: {page.url}")

    mark = await page.evaluate("window.__runs.length")
    started = time.monotonic()
    await page.locator("[data-testid='stSidebarNav'] a[href$='/data']").click()
    done = await _finished(page, started, lambda s: s["downloads"] >= 1, mark)
    timings["switch"].append(done - started)

    started = time.monotonic()
    async with page.expect_download(timeout=STEP_TIMEOUT * 1000) as info:
        await page.locator("[data-testid='stDownloadButton'] button").first.click()
    download = await info.value
    target = downloads / f"{id(page)}-{download.suggested_filename}"
    await download.save_as(target)
    timings["download"].append(time.monotonic() - started)
    head = target.read_bytes()[:64]
    target.unlink()
    if not head.startswith(b"\xef\xbb\xbf") or not head[3:].decode("utf-8", "ignore").startswith("院校,"):
        raise StepFailed(f"unexpected CSV: {head!r}")


async def _run(users: int, rounds: int, db: Path, downloads: Path) -> dict:
    from playwright.async_api import async_playwright

    server = Server(db)
    pid = server.process.pid
    result: dict = {"users": users, "rounds": rounds, "db": str(db), "db_mb": round(db.stat().st_size / 2**20, 1)}
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

            async def new_context():
                context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", accept_downloads=True)
                await context.add_init_script(RECORD_RUNS)
                return context

            result["rss_start_mb"] = round(rss_mb(pid), 1)
            warm = await new_context()
            warm_timings = {name: [] for name in ("open", "rerun", "switch", "download")}
            await user_round(warm, server.url, warm_timings, downloads)  # imports, caches: not per-user cost
            await warm.close()
            await asyncio.sleep(2)
            result["rss_warm_mb"] = round(rss_mb(pid), 1)
            result["warm_up_s"] = {k: round(v[0], 2) for k, v in warm_timings.items()}

            peak = [rss_mb(pid)]
            sampling = True

            async def sample():
                while sampling:
                    peak[0] = max(peak[0], rss_mb(pid))
                    await asyncio.sleep(0.25)

            sampler = asyncio.create_task(sample())
            contexts = [await new_context() for _ in range(users)]
            timings = {name: [] for name in ("open", "rerun", "switch", "download")}
            failures: list[str] = []
            successes = 0
            cpu_before, wall_before = cpu_seconds(pid), time.monotonic()

            async def one_user(number: int, context) -> int:
                ok = 0
                for round_number in range(rounds):
                    try:
                        await user_round(context, server.url, timings, downloads)
                        ok += 1
                    except Exception as error:  # a failed round is a result, not a crash
                        failures.append(f"user {number} round {round_number + 1}: {type(error).__name__}: {str(error)[:300]}")
                return ok

            outcomes = await asyncio.gather(*(one_user(n + 1, c) for n, c in enumerate(contexts)))
            successes = sum(outcomes)
            wall = time.monotonic() - wall_before
            result["server_cpu_s"] = round(cpu_seconds(pid) - cpu_before, 1)
            result["wall_s"] = round(wall, 1)
            await asyncio.sleep(1)
            result["rss_open_mb"] = round(rss_mb(pid), 1)
            for context in contexts:
                await context.close()
            await asyncio.sleep(5)  # sessions end when their websockets close
            result["rss_closed_mb"] = round(rss_mb(pid), 1)
            sampling = False
            await sampler
            result["rss_peak_mb"] = round(peak[0], 1)
            await browser.close()
    finally:
        server.stop()

    attempts = users * rounds
    result.update(
        attempts=attempts, successes=successes, success_rate=round(successes / attempts, 4), failures=failures,
        memory_per_user_mb=round((result["rss_open_mb"] - result["rss_warm_mb"]) / users, 1),
        timings_s={name: [round(x, 3) for x in values] for name, values in timings.items()},
        summary={name: percentiles(values) for name, values in timings.items()},
    )
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


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "p50": None, "p95": None, "max": None}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))]  # nearest rank
    return {"n": len(ordered), "p50": round(statistics.median(ordered), 2), "p95": round(p95, 2), "max": round(ordered[-1], 2)}


def run(users: int, db: Path, rounds: int = 1, downloads: Path | None = None) -> dict:
    """Run the load test; return its measurements. Runs its event loop on a thread of its
    own so it can be called from code that already has one (pytest with sync Playwright)."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run scripts/ensure-browser.sh (make test does)")
    db = Path(db).resolve()
    if not db.exists():
        raise FileNotFoundError(db)
    downloads = Path(downloads or ROOT / "benchmarks" / "out" / "downloads")
    downloads.mkdir(parents=True, exist_ok=True)
    box: dict = {}

    def worker():
        try:
            box["result"] = asyncio.run(_run(users, rounds, db, downloads))
        except BaseException as error:  # re-raised on the caller's thread
            box["error"] = error

    thread = threading.Thread(target=worker, name="load-test")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    result = box["result"]
    result.update(
        date=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        machine=f"{os.cpu_count()} cores, {platform.machine()}, load average before {os.getloadavg()[0]:.2f}",
    )
    return result


def table_row(label: str, r: dict) -> str:
    s = r["summary"]
    return (
        f"| {label} | {r['users']} × {r['rounds']} | {r['successes']}/{r['attempts']} ({r['success_rate']:.0%}) "
        f"| {s['page_load']['p50']} / {s['page_load']['p95']} | {s['rerun']['p50']} / {s['rerun']['p95']} "
        f"| {s['download']['p50']} / {s['download']['p95']} | {r['rss_warm_mb']} → {r['rss_open_mb']} "
        f"| {r['memory_per_user_mb']} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20, help="simultaneous users, one Chromium page each (default 20)")
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("VOCDASH_DB", "data/warehouse.duckdb")), help="warehouse to serve")
    parser.add_argument("--rounds", type=int, default=1, help="scenario repetitions per user (default 1)")
    parser.add_argument("--out", type=Path, help="write every measurement here as JSON")
    parser.add_argument("--label", default=None, help="name of this run in the printed table row")
    args = parser.parse_args(argv)
    if args.users < 1 or args.rounds < 1:
        parser.error("--users and --rounds must be at least 1")
    result = run(args.users, args.db, args.rounds)
    result["command"] = "python -m benchmarks.load " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(json.dumps({k: result[k] for k in ("success_rate", "summary", "rss_warm_mb", "rss_open_mb", "rss_closed_mb", "rss_peak_mb", "memory_per_user_mb", "server_cpu_s", "wall_s", "met")}, indent=1))
    for failure in result["failures"][:20]:
        print("FAILED", failure, file=sys.stderr)
    print("| data | users × rounds | success | page load p50 / p95 (s) | rerun p50 / p95 (s) | CSV p50 / p95 (s) | RSS warm → open (MB) | MB / user |")
    print(table_row(args.label or args.db.name, result))
    return 0 if result["success_rate"] == 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
