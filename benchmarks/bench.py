"""`make bench`: national-scale speed and memory, measured against the budgets of issue 5.

    python -m benchmarks.bench [--institutions 11000] [--years 10] [--repeat 5] [--out docs/benchmarks.md]

1. Writes the synthetic national dataset (etl.synth) under benchmarks/out/ and times
   `python -m etl build` on it, end to end (rows/s, peak memory), and on the curated data.
2. Runs every page through AppTest on the five real colleges and at national scale, and
   replays every query each page ran (p50/p95).
3. Runs the pages' data work on the app's DuckDB queries, on pandas over the CSVs and on
   SQLite with the same schema, in this one process, checks the answers agree, and
   reports the ratios (the machine is shared; ratios drift less than seconds).
4. Serves the app on the national warehouse, opens every page in Chromium and reads the
   server's peak memory.
5. Measures every page in Chromium, fresh tab and sidebar click, beside a one-line
   Streamlit page (the floor), with the server's CPU and the bytes sent per interaction
   (benchmarks/browser.py: issue 15's goals).

Writes the results to docs/benchmarks.md, beside each budget.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"

# The budgets of issue 5, on this 2-core machine.
ETL_ROWS_PER_SECOND = 500_000
QUERY_P95_SECONDS = 0.100
APPTEST_RATIO = 2.0
PANDAS_RATIO = 10.0
SQLITE_RATIO = 1.0
APP_MEMORY_MB = 1024


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:,.1f} ms"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _step(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, default=11_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each page and workload (queries: 4× this)")
    parser.add_argument("--etl-runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--work-dir", type=Path, default=OUT)
    parser.add_argument("--skip-memory", action="store_true", help="leave out the served-app memory step")
    parser.add_argument("--skip-browser", action="store_true", help="leave out the pages in Chromium (issue 15's goals)")
    parser.add_argument("--browser-repeat", type=int, default=3, help="runs of each page in Chromium")
    args = parser.parse_args(argv)

    from benchmarks import app_memory, etl_build, pages, workloads
    from benchmarks.measure import machine, repeat

    started = time.perf_counter()
    work = args.work_dir
    national_csv, national_db = work / "national" / "csv", work / "national" / "warehouse.duckdb"
    small_db = work / "curated" / "warehouse.duckdb"
    if national_csv.exists():
        shutil.rmtree(national_csv)
    national_db.parent.mkdir(parents=True, exist_ok=True)
    small_db.parent.mkdir(parents=True, exist_ok=True)
    load = machine()

    _step(f"synthesising {args.institutions:,} institutions × {args.years} years")
    etl_build.synthesise(national_csv, args.institutions, args.years, args.seed)
    _step("timing python -m etl build (national, then curated)")
    national_build = etl_build.time_build(national_csv, national_db, args.etl_runs)
    small_build = etl_build.time_build(ROOT / "data" / "curated", small_db, args.etl_runs)

    _step("pages through AppTest, and their queries (curated)")
    small_pages = {r.page: r for r in pages.measure_pages(small_db, args.repeat, 4 * args.repeat)}
    _step("pages through AppTest, and their queries (national)")
    national_pages = {r.page: r for r in pages.measure_pages(national_db, args.repeat, 4 * args.repeat)}

    _step("baselines: loading pandas frames and building SQLite")
    pandas_engine = workloads.PandasEngine(national_csv)
    sqlite_path = work / "national" / "warehouse.sqlite"
    sqlite_seconds = workloads.build_sqlite(national_db, sqlite_path)
    engines = [workloads.DuckDBEngine(national_db), pandas_engine, workloads.SQLiteEngine(sqlite_path)]
    ctx = workloads.context(pandas_engine.institutions)
    workload_rows = []
    for workload in workloads.WORKLOADS:
        _step(f"workload {workload.name}")
        answers, timings = {}, {}
        for engine in engines:
            once = workloads.run(engine, workload.name, ctx)
            answers[engine.name] = once()
            timings[engine.name] = repeat(once, args.repeat, warmup=0)
        agree = answers["duckdb"] == answers["pandas"] == answers["sqlite"]
        workload_rows.append((workload, timings, agree, answers))

    memory = None
    if not args.skip_memory:
        _step("serving the app on the national warehouse: peak memory over every page")
        memory = app_memory.measure_app_memory(national_db, pages.page_names())

    browser_section: list[str] = []
    if not args.skip_browser:
        from benchmarks import browser

        _step("every page in Chromium, fresh tab and sidebar click, beside a one-line Streamlit page")
        browser_run = browser.measure(national_db, pages.page_names(), args.browser_repeat, log=lambda text: _step(text))
        browser_section = browser.render(browser_run, args.browser_repeat, in_process={
            page: (result.cold.p50, result.warm.p50) for page, result in national_pages.items()})

    command = "make bench" if argv is None and args.institutions == 11_000 else "python -m benchmarks.bench " + " ".join(argv or sys.argv[1:])
    report = render(args, command, load, national_build, small_build, small_pages, national_pages,
                    workload_rows, pandas_engine.load_seconds, sqlite_seconds, memory, time.perf_counter() - started)
    if browser_section:
        from benchmarks.browser import splice

        report = splice(report, browser_section)
    # `make load` writes its own section into the same file: a new bench keeps it.
    from benchmarks.load_summary import SECTION as LOAD_SECTION
    from benchmarks.measure import section_of, splice_section

    kept = section_of(args.out.read_text(encoding="utf-8"), LOAD_SECTION) if args.out.exists() else None
    if kept:
        report = splice_section(report, LOAD_SECTION, kept)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    _step(f"wrote {args.out}")
    return 0


def render(args, command, load, national_build, small_build, small_pages, national_pages, workload_rows,
           pandas_load, sqlite_build, memory, elapsed) -> str:
    lines = [
        "# Benchmarks · 性能测试",
        "",
        f"Made by `{command}` on {dt.date.today().isoformat()} ({elapsed / 60:.0f} min), Python {platform.python_version()},",
        f"{load}. The machine is shared and noisy: absolute times drift between runs, ratios",
        "measured in one process drift much less. Nothing here is hard-coded; rerun the command to",
        "refresh it.",
        "",
        f"National scale: the synthetic dataset of `python -m etl.synth --institutions {args.institutions} "
        f"--years {args.years} --seed {args.seed}` ({national_build.rows:,} rows in {national_build.csv_mb:,.0f} MB of CSV).",
        "Small: the curated data of the five real colleges.",
        "",
        "## Budgets",
        "",
        "| Budget | Measured | |",
        "|---|---|---|",
    ]
    rows_per_second = national_build.rows_per_second
    lines.append(f"| ETL of the national dataset ≥ {ETL_ROWS_PER_SECOND:,} rows/s end to end | "
                 f"{rows_per_second:,.0f} rows/s (median of {len(national_build.seconds)} builds) | {_verdict(rows_per_second >= ETL_ROWS_PER_SECOND)} |")
    worst_query = max(national_pages.values(), key=lambda r: r.slowest_query_p95)
    lines.append(f"| Every page query at national scale p95 < {_ms(QUERY_P95_SECONDS)} | slowest p95 "
                 f"{_ms(worst_query.slowest_query_p95)} ({worst_query.page}) | {_verdict(worst_query.slowest_query_p95 < QUERY_P95_SECONDS)} |")
    ratios = {page: national_pages[page].cold.p50 / small_pages[page].cold.p50 for page in national_pages}
    worst_page = max(ratios, key=ratios.get)
    lines.append(f"| Every page's AppTest run at national scale ≤ {APPTEST_RATIO:g}× its run on the five colleges | "
                 f"worst {ratios[worst_page]:.1f}× ({worst_page}) | {_verdict(ratios[worst_page] <= APPTEST_RATIO)} |")
    pandas_ratios = {w.name: t["pandas"].p50 / t["duckdb"].p50 for w, t, _, _ in workload_rows}
    sqlite_ratios = {w.name: t["sqlite"].p50 / t["duckdb"].p50 for w, t, _, _ in workload_rows}
    worst_pandas = min(pandas_ratios, key=pandas_ratios.get)
    worst_sqlite = min(sqlite_ratios, key=sqlite_ratios.get)
    lines.append(f"| ≥ {PANDAS_RATIO:g}× faster than pandas on the same page workloads | least {pandas_ratios[worst_pandas]:.1f}× "
                 f"({worst_pandas}) | {_verdict(pandas_ratios[worst_pandas] >= PANDAS_RATIO)} |")
    lines.append(f"| Faster than SQLite on the same page workloads | least {sqlite_ratios[worst_sqlite]:.1f}× ({worst_sqlite}) | "
                 f"{_verdict(sqlite_ratios[worst_sqlite] > SQLITE_RATIO)} |")
    if memory:
        lines.append(f"| Peak memory of the app at national scale < {APP_MEMORY_MB:,} MB | {memory.peak_mb:,.0f} MB "
                     f"(every page opened once) | {_verdict(memory.peak_mb < APP_MEMORY_MB)} |")
    agree = all(a for _, _, a, _ in workload_rows)
    lines += ["", "The three engines gave the same answers on every workload." if agree else
              "**The engines disagreed on a workload (marked below): its ratio compares different work.**"]

    lines += ["", "## ETL: `python -m etl build`", "",
              "End to end as a curator runs it: interpreter start, decoding, parsing, validation, the load, the",
              "derived tables and the atomic publish.", "",
              "| Data | Rows | Time (median) | Rows/s | Peak memory | Warehouse |", "|---|---|---|---|---|---|"]
    for label, build in (("national", national_build), ("curated", small_build)):
        lines.append(f"| {label} | {build.rows:,} | {build.median_seconds:.2f} s ({', '.join(f'{s:.2f}' for s in build.seconds)}) | "
                     f"{build.rows_per_second:,.0f} | {max(build.peak_rss_mb):,.0f} MB | {build.db_mb:,.0f} MB |")

    lines += ["", "## Pages: AppTest runs and their queries", "",
              "Cold: a first view, Streamlit's data cache empty (the warehouse connection kept, as in a",
              "running server). Warm: a rerun with the cache filled, as after a click. Queries: every SQL",
              "statement the page ran, replayed on a fresh cursor without any cache.", "",
              "| Page | Cold, 5 colleges | Cold, national | Ratio | Warm, national | Queries | Slowest query p50 / p95, national |",
              "|---|---|---|---|---|---|---|"]
    for page, national in national_pages.items():
        small = small_pages[page]
        slowest = max(national.queries.values(), key=lambda t: t.p95, default=None)
        lines.append(f"| {page} | {small.cold.p50:.2f} s | {national.cold.p50:.2f} s | {ratios[page]:.1f}× | "
                     f"{national.warm.p50:.2f} s | {len(national.queries)} | "
                     + (f"{_ms(slowest.p50)} / {_ms(slowest.p95)}" if slowest else "–") + " |")

    lines += ["", "## The same page workloads on pandas and SQLite", "",
              f"Median of {args.repeat} runs each, in this process, at national scale. pandas read the CSVs once "
              f"({pandas_load:.1f} s, not counted); SQLite was built once from the warehouse ({sqlite_build:.1f} s, "
              "not counted), with the spec's keys on every table and indexes on what the pages filter by. "
              "SQLite has no quantiles, so pandas computes those from the rows SQL selects.", "",
              "| Workload | What it does | DuckDB (the app) | pandas | SQLite | pandas ÷ DuckDB | SQLite ÷ DuckDB | Same answers |",
              "|---|---|---|---|---|---|---|---|"]
    for workload, timings, agreed, _ in workload_rows:
        lines.append(f"| {workload.name} | {workload.what} | {_ms(timings['duckdb'].p50)} | {_ms(timings['pandas'].p50)} | "
                     f"{_ms(timings['sqlite'].p50)} | {pandas_ratios[workload.name]:.1f}× | {sqlite_ratios[workload.name]:.1f}× | "
                     f"{'yes' if agreed else '**no**'} |")

    if memory:
        lines += ["", "## Memory of the served app", "",
                  f"`streamlit run` on the national warehouse; one Chromium session opened every page in turn. "
                  f"Server resident memory: {memory.idle_mb:,.0f} MB after start-up, peak {memory.peak_mb:,.0f} MB, "
                  f"{memory.after_mb:,.0f} MB afterwards.", "",
                  "| Page | Load in Chromium |", "|---|---|"]
        for page, seconds in memory.page_seconds.items():
            lines.append(f"| {page} | {seconds:.1f} s |")

    lines += ["", "## Reading the misses", "",
              "A budget marked missed is reported as measured. What was done about each, and what remains,",
              "is in [national-scale.md](national-scale.md#what-the-budgets-say); what one machine serves and",
              "how the app grows past it, in [scaling.md](scaling.md).", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
