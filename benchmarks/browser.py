"""Every page in Chromium at national scale, against a one-line Streamlit page measured in
the same run (issue 15's goals).

Two servers run side by side: the app on the warehouse, and benchmarks/floor_app.py (a
title and nothing else), the cost of Streamlit itself on this machine. For each page, in
turns with the floor so that both see the same load:

- fresh tab: a new tab in a browser that has visited the app before (its static files
  cached, as for anyone who opens a shared link a second time), from navigation to ready;
- sidebar click: from another page, a click on the page's sidebar entry, to ready;

where ready is: the server has said the script run finished (read from the websocket), the
script state is notRunning, every Plotly chart is drawn (graph div laid out), no widget is
still a grey skeleton (its code being fetched), and nothing
changes for half a second — the time is when that final state was first seen.

For every interaction: the server's CPU seconds (utime + stime of the streamlit process
from /proc, before and after), and the bytes the server sent over the websocket (CDP
frames, payload decoded). The first visit of a fresh browser also gives the static bytes.
Each figure is the median of --repeat runs; the spread is reported, since the machine is
shared.
"""
from __future__ import annotations

import base64
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
GOALS = {"fresh_ratio": 1.5, "click_s": 0.5, "server_cpu_s": 0.150, "page_bytes": 1_000_000}


@dataclass
class Sample:
    seconds: float
    cpu: float
    ws_bytes: int


@dataclass
class PageRun:
    page: str
    fresh: list[Sample] = field(default_factory=list)
    floor_fresh: list[Sample] = field(default_factory=list)
    click: list[Sample] = field(default_factory=list)
    # The same click from a page with charts: Plotly's code (about 4 MB of JavaScript, loaded
    # by a tab on its first chart) is already in the tab, as after opening the overview.
    click_warm: list[Sample] = field(default_factory=list)
    charts: int = 0

    @staticmethod
    def median(samples: list[Sample], what: str) -> float:
        return statistics.median(getattr(s, what) for s in samples) if samples else float("nan")

    def ratios(self) -> list[float]:
        """Each fresh-tab load over the floor's load measured right beside it."""
        return [a.seconds / b.seconds for a, b in zip(self.fresh, self.floor_fresh) if b.seconds > 0]


@dataclass
class BrowserResult:
    runs: list[PageRun]
    floor_fresh_s: list[float]
    static_bytes: int
    floor_static_bytes: int
    floor_cpu: list[float]
    floor_bytes: list[int]
    gc_note: str = ""


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Floor:
    """`streamlit run benchmarks/floor_app.py`, served as the app is."""

    def __init__(self):
        from tests.browser.conftest import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        log = ROOT / "test-artifacts" / f"floor-{self.port}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(FLOOR_APP), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(self.port), "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )
        import urllib.request

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the floor app did not start")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class _Wire:
    """Websocket bytes the server sent to one tab, and the script runs it said finished."""

    def __init__(self):
        self.bytes = 0
        self.finished = 0
        self.charts = 0  # Plotly charts the current script run has sent

    def attach(self, context, tab) -> None:
        session = context.new_cdp_session(tab)
        session.on("Network.webSocketFrameReceived", self._received)
        session.send("Network.enable")

    def _received(self, event: dict) -> None:
        frame = event["response"]
        if frame.get("opcode") != 2:
            return
        payload = base64.b64decode(frame["payloadData"])
        self.bytes += len(payload)
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        message = ForwardMsg()
        message.ParseFromString(payload)
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.charts = 0
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            # The browser mounts a chart only once Plotly's code has loaded: the DOM alone
            # cannot say a chart is still to come, the server's messages can.
            if message.delta.new_element.WhichOneof("type") == "plotly_chart":
                self.charts += 1
        elif kind == "script_finished" and message.script_finished == 0:
            self.finished += 1


def _ready(tab, wire: _Wire, since_runs: int, timeout: float = 180) -> float:
    """The monotonic time the tab first showed its final state after `since_runs` finished runs."""
    from tests.browser.helpers import CHART_STATE

    deadline = time.monotonic() + timeout
    last, first_seen = None, None
    while time.monotonic() < deadline:
        state = tuple(tab.evaluate(CHART_STATE))
        # state: script state, charts, charts drawn, widgets still grey skeletons
        done = wire.finished > since_runs and state[0] == "notRunning" and state[2] >= max(state[1], wire.charts) and not state[3]
        if done and state == last:
            first_seen = first_seen or time.monotonic()
            if time.monotonic() - first_seen >= 0.5:
                return first_seen
        else:
            first_seen = time.monotonic() if done else None
        last = state
        time.sleep(0.03)
    raise RuntimeError(f"not ready within {timeout} s: {last}")


def _fresh_tab(context, url: str, pid: int) -> tuple[Sample, int]:
    tab = context.new_page()
    wire = _Wire()
    wire.attach(context, tab)
    cpu = _cpu(pid)
    started = time.monotonic()
    tab.goto(url)
    done = _ready(tab, wire, 0)
    sample = Sample(done - started, _cpu(pid) - cpu, wire.bytes)
    charts = tab.locator("[data-testid='stPlotlyChart']").count()
    tab.close()
    return sample, charts


def _click(context, base: str, page: str, pid: int, start_page: str) -> Sample:
    tab = context.new_page()
    wire = _Wire()
    wire.attach(context, tab)
    tab.goto(f"{base}/{start_page}")
    _ready(tab, wire, 0)
    mark, before_bytes, cpu = wire.finished, wire.bytes, _cpu(pid)
    started = time.monotonic()
    href = "" if page == "overview" else page
    link = tab.locator(f"[data-testid='stSidebarNav'] a[href='{base}/{href}']")
    if link.count() == 0:
        link = tab.locator(f"[data-testid='stSidebarNav'] a[href$='/{href}']")
    link.first.click()
    done = _ready(tab, wire, mark)
    sample = Sample(done - started, _cpu(pid) - cpu, wire.bytes - before_bytes)
    tab.close()
    return sample


def _static_bytes(browser, url: str) -> int:
    """Bytes a first visit fetches over HTTP (a fresh browser profile: nothing cached)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    session = context.new_cdp_session(tab)
    total = [0]
    session.on("Network.loadingFinished", lambda event: total.__setitem__(0, total[0] + int(event.get("encodedDataLength", 0))))
    session.send("Network.enable")
    wire = _Wire()
    wire.attach(context, tab)
    tab.goto(url)
    _ready(tab, wire, 0)
    context.close()
    return total[0]


def measure(db: Path, pages: list[str], repeat: int = 3, log=print) -> BrowserResult:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server

    server = Server(db)
    floor = _Floor()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            static = _static_bytes(browser, f"{server.url}/")
            floor_static = _static_bytes(browser, f"{floor.url}/")
            context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            # Warm both: static files in the HTTP cache, imports and caches in the servers.
            for name in pages:
                _fresh_tab(context, f"{server.url}/{'' if name == 'overview' else name}", server.process.pid)
            _fresh_tab(context, f"{floor.url}/", floor.process.pid)
            runs, floors, floor_cpu, floor_bytes = [], [], [], []
            for name in pages:
                run = PageRun(name)
                url = f"{server.url}/{'' if name == 'overview' else name}"
                for n in range(repeat):
                    floor_sample, _ = _fresh_tab(context, f"{floor.url}/", floor.process.pid)
                    sample, run.charts = _fresh_tab(context, url, server.process.pid)
                    run.floor_fresh.append(floor_sample)
                    run.fresh.append(sample)
                    floors.append(floor_sample.seconds)
                    floor_cpu.append(floor_sample.cpu)
                    floor_bytes.append(floor_sample.ws_bytes)
                    start_page = "validate" if name != "validate" else "data"
                    run.click.append(_click(context, server.url, name, server.process.pid, start_page))
                    charted_page = "employment" if name == "overview" else "overview"
                    run.click_warm.append(_click(context, server.url, name, server.process.pid, charted_page))
                log(f"  {name}: fresh {PageRun.median(run.fresh, 'seconds'):.2f} s (floor {PageRun.median(run.floor_fresh, 'seconds'):.2f} s), "
                    f"click {PageRun.median(run.click, 'seconds'):.2f} s / {PageRun.median(run.click_warm, 'seconds'):.2f} s, CPU {PageRun.median(run.fresh, 'cpu') * 1000:.0f} / "
                    f"{PageRun.median(run.click, 'cpu') * 1000:.0f} ms, {PageRun.median(run.fresh, 'ws_bytes') / 1000:.0f} KB")
                runs.append(run)
            browser.close()
        return BrowserResult(runs, floors, static, floor_static, floor_cpu, floor_bytes)
    finally:
        floor.stop()
        server.stop()


def _spread(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{min(values):.2f}–{max(values):.2f}"


def render(result: BrowserResult, repeat: int, in_process: dict[str, tuple[float, float]] | None = None) -> list[str]:
    """The Chromium section of docs/benchmarks.md. in_process: page -> (cold, warm) seconds
    of its AppTest run at national scale in this same `make bench` (the script alone, no
    browser, no websocket), so each browser figure stands beside what the server-side
    script costs."""
    floor = statistics.median(result.floor_fresh_s)
    lines = [
        "## Pages in Chromium (issue 15's goals)", "",
        f"National warehouse, served by `streamlit run`; Debian's Chromium, headless, 1440×900. The floor, a one-line "
        f"Streamlit page (`benchmarks/floor_app.py`) served beside it, loads in a fresh tab in {floor:.2f} s "
        f"(median of {len(result.floor_fresh_s)}, range {_spread(result.floor_fresh_s)} s), costs the server "
        f"{statistics.median(result.floor_cpu) * 1000:.0f} ms of CPU and sends {statistics.median(result.floor_bytes) / 1000:.0f} KB. "
        f"Each page figure is the median of {repeat} runs, each fresh tab measured right after a floor load so that "
        "both saw the same load on the shared machine; the ratio is the median of those pairs' ratios.", "",
        f"A first visit, nothing cached, fetches {result.static_bytes / 1e6:.1f} MB over HTTP "
        f"(the floor: {result.floor_static_bytes / 1e6:.1f} MB; the difference is mostly Plotly's JavaScript).", "",
        "| Goal | Measured | |", "|---|---|---|",
    ]
    worst_ratio = max(result.runs, key=lambda r: statistics.median(r.ratios()))
    worst_click = max(result.runs, key=lambda r: PageRun.median(r.click, "seconds"))
    worst_warm = max(result.runs, key=lambda r: PageRun.median(r.click_warm, "seconds"))
    worst_cpu = max(result.runs, key=lambda r: max(PageRun.median(r.fresh, "cpu"), PageRun.median(r.click, "cpu")))
    worst_bytes = max(result.runs, key=lambda r: PageRun.median(r.fresh, "ws_bytes"))
    ratio = statistics.median(worst_ratio.ratios())
    click = PageRun.median(worst_click.click, "seconds")
    warm_click = PageRun.median(worst_warm.click_warm, "seconds")
    quick = [r.page for r in result.runs if PageRun.median(r.click_warm, "seconds") < GOALS["click_s"]]
    cpu = max(PageRun.median(worst_cpu.fresh, "cpu"), PageRun.median(worst_cpu.click, "cpu"))
    sent = PageRun.median(worst_bytes.fresh, "ws_bytes")
    verdict = lambda ok: "met" if ok else "**missed**"  # noqa: E731
    within = [r.page for r in result.runs if statistics.median(r.ratios()) <= GOALS["fresh_ratio"]]
    lines += [
        f"| Fresh tab within {GOALS['fresh_ratio']}× the floor | worst {ratio:.1f}× ({worst_ratio.page}); within: "
        f"{', '.join(within) or 'none'} | {verdict(ratio <= GOALS['fresh_ratio'])} |",
        f"| Sidebar click ready < {GOALS['click_s']} s, from a page without charts | worst {click:.2f} s ({worst_click.page}) | {verdict(click < GOALS['click_s'])} |",
        f"| Sidebar click ready < {GOALS['click_s']} s, from a page with charts | worst {warm_click:.2f} s ({worst_warm.page}); within: "
        f"{', '.join(quick) or 'none'} | {verdict(warm_click < GOALS['click_s'])} |",
        f"| Server CPU per interaction < {GOALS['server_cpu_s'] * 1000:.0f} ms | worst {cpu * 1000:.0f} ms ({worst_cpu.page}) | "
        f"{verdict(cpu < GOALS['server_cpu_s'])} |",
        f"| No page over 1 MB sent | largest {sent / 1000:,.0f} KB ({worst_bytes.page}) | {verdict(sent <= GOALS['page_bytes'])} |",
        "",
        "A sidebar click is timed twice: from the validate page (no charts: the tab loads Plotly's code on "
        "the way, as when a shared link to a table page is followed by a click on a theme), and from a page "
        "with charts (the overview; for the overview itself, employment), as in a session that began on the overview.", "",
        "| Page | Charts | Fresh tab (s) | Floor beside it (s) | Ratio (range) | Click from no-chart page (s, range) | Click from chart page (s, range) | Server CPU fresh / click (ms) | Sent fresh / click (KB) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in result.runs:
        ratios = run.ratios()
        lines.append(
            f"| {run.page} | {run.charts} | {PageRun.median(run.fresh, 'seconds'):.2f} | {PageRun.median(run.floor_fresh, 'seconds'):.2f} | "
            f"{statistics.median(ratios):.1f}× ({min(ratios):.1f}–{max(ratios):.1f}) | "
            f"{PageRun.median(run.click, 'seconds'):.2f} ({_spread([s.seconds for s in run.click])}) | "
            f"{PageRun.median(run.click_warm, 'seconds'):.2f} ({_spread([s.seconds for s in run.click_warm])}) | "
            f"{PageRun.median(run.fresh, 'cpu') * 1000:.0f} / {PageRun.median(run.click, 'cpu') * 1000:.0f} | "
            f"{PageRun.median(run.fresh, 'ws_bytes') / 1000:,.0f} / {PageRun.median(run.click, 'ws_bytes') / 1000:,.0f} |"
        )
    measured = [run for run in result.runs if run.page in (in_process or {})]
    if measured:
        lines += [
            "", "The same pages against this run's in-process baselines (the AppTest runs at national scale above: "
            "the page script alone, cold and warm, no browser): what the browser, the websocket and Streamlit's "
            "front end add.", "",
            "| Page | In-process cold / warm (s) | Fresh tab ÷ in-process cold | Click from chart page ÷ in-process warm |",
            "|---|---|---|---|",
        ]
        for run in measured:
            cold, warm = in_process[run.page]
            fresh, click = PageRun.median(run.fresh, "seconds"), PageRun.median(run.click_warm, "seconds")
            lines.append(f"| {run.page} | {cold:.2f} / {warm:.2f} | {fresh / cold:.1f}× | {click / warm:.1f}× |")
    return lines


SECTION = "## Pages in Chromium (issue 15's goals)"


def splice(document: str, section: list[str]) -> str:
    """`document` with its Chromium section replaced by `section` (or added before the
    closing "Reading the misses" section)."""
    from benchmarks.measure import splice_section

    return splice_section(document, SECTION, section)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.browser", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "benchmarks" / "out" / "national" / "warehouse.duckdb")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", default="")
    parser.add_argument("--write", type=Path, help="splice the section into this file (docs/benchmarks.md)")
    args = parser.parse_args(argv)
    from benchmarks.measure import machine
    from benchmarks.pages import page_names

    pages = [p for p in (args.pages.split(",") if args.pages else page_names()) if p]
    load = machine()
    started = time.monotonic()
    result = measure(args.db, pages, args.repeat)
    section = render(result, args.repeat)
    section.insert(2, f"Measured by `python -m benchmarks.browser` ({(time.monotonic() - started) / 60:.0f} min; `make bench` runs it "
                      f"too) on {time.strftime('%Y-%m-%d')}, {load}.")
    section.insert(3, "")
    print("\n".join(section))
    if args.write:
        args.write.write_text(splice(args.write.read_text(encoding="utf-8"), section), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
