"""Time every page's AppTest run (cold caches) and each query it makes, against a warehouse.

  .venv/bin/python scripts/bench_pages.py WAREHOUSE [page,page,...] [rounds] [query params]
e.g. scripts/bench_pages.py /tmp/nat.duckdb employment,compare 3 mark=syn00001,syn00042 cmp=syn00001,syn00042

Prints, per page, the median run time over the rounds, the number of queries, and their
p95 and slowest (each round starts with empty st.cache_data, so every query runs).
"""
from __future__ import annotations

import logging
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
logging.disable(logging.WARNING)

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from dashboard import db, queries  # noqa: E402

PAGES = ("overview", "employment", "training", "competition", "party_building", "compare", "profile", "data", "validate")
timings: list[tuple[float, str]] = []
_query = db.query


def _timed(ref, sql, params=None):
    started = time.perf_counter()
    try:
        return _query(ref, sql, params)
    finally:
        timings.append((time.perf_counter() - started, " ".join(sql.split())[:70]))


queries.query = _timed


def run(page: str, params: dict) -> tuple[float, list]:
    st.cache_data.clear()
    timings.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    for key, value in params.items():
        at.query_params[key] = value.split(",") if "," in value else value
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    started = time.perf_counter()
    at.run()
    took = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    return took, list(timings)


def main() -> None:
    os.environ["VOCDASH_DB"] = sys.argv[1]
    pages = sys.argv[2].split(",") if len(sys.argv) > 2 and sys.argv[2] else PAGES
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    params = dict(arg.split("=", 1) for arg in sys.argv[4:])
    run("validate", params)  # Streamlit's own first-run costs (component scan, imports) off the record
    every_query: list[float] = []
    for page in pages:
        runs, all_queries = [], []
        for _ in range(rounds):
            took, made = run(page, params)
            runs.append(took)
            all_queries += made
        seconds = sorted(t for t, _ in all_queries)
        every_query += seconds
        p95 = seconds[int(0.95 * (len(seconds) - 1))] if seconds else 0.0
        slowest = max(all_queries) if all_queries else (0.0, "")
        print(f"{page:15s} run median {statistics.median(runs):6.2f} s (min {min(runs):.2f})  "
              f"queries/run {len(all_queries) // rounds:2d}  p95 {p95 * 1000:5.0f} ms  "
              f"slowest {slowest[0] * 1000:5.0f} ms {slowest[1]!r}", flush=True)
    every_query.sort()
    print(f"all page queries: n={len(every_query)} p95 {every_query[int(0.95 * (len(every_query) - 1))] * 1000:.0f} ms; "
          f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
