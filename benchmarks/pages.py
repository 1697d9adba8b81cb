"""Every page through AppTest, and every query each page runs, timed on one warehouse.

The queries are not listed by hand: dashboard.db.query is wrapped while each page runs,
so whatever SQL the pages run today is what gets timed. Each recorded query is then
replayed on a read-only connection, as the app opens it, with no Streamlit cache.
"""
from __future__ import annotations

import logging
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.measure import Timings, repeat

ROOT = Path(__file__).resolve().parent.parent
logging.getLogger("streamlit").setLevel(logging.ERROR)


@dataclass
class PageResult:
    page: str
    cold: Timings  # a first run: Streamlit's data cache empty (the connection kept)
    warm: Timings  # a rerun with the cache filled, as after clicking a widget
    queries: dict[str, Timings] = field(default_factory=dict)  # SQL text -> replay timings

    @property
    def slowest_query_p95(self) -> float:
        return max((timings.p95 for timings in self.queries.values()), default=0.0)


def page_names() -> list[str]:
    from dashboard.shell import PAGES

    return [name for name, _, _ in PAGES]


def _app(page: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.switch_page(f"pages/{page}.py")
    return at


def run_page(page: str) -> None:
    """One full run of a page; fails loudly if the page raised."""
    at = _app(page).run()
    if at.exception:
        raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")


def measure_pages(db: Path, runs: int = 5, query_runs: int = 20) -> list[PageResult]:
    import streamlit as st

    from dashboard import db as dashboard_db
    from dashboard import queries

    os.environ["VOCDASH_DB"] = str(db)
    recorded: dict[str, dict[str, list]] = defaultdict(dict)
    current = {"page": ""}
    original = dashboard_db.query

    def recording(ref, sql, params=None):
        recorded[current["page"]].setdefault(" ".join(sql.split()), (sql, params or []))
        return original(ref, sql, params)

    results = []
    dashboard_db.query = queries.query = recording
    try:
        for page in page_names():
            current["page"] = page
            st.cache_data.clear()
            run_page(page)  # records the page's queries; also opens the connection

            def cold(page=page):
                st.cache_data.clear()
                run_page(page)

            cold_timings = repeat(cold, runs, warmup=0)
            at = _app(page).run()
            warm = repeat(lambda at=at: at.run(), runs, warmup=0)
            results.append(PageResult(page, cold_timings, warm))
    finally:
        dashboard_db.query = queries.query = original

    ref = dashboard_db.current_ref(db)
    con = dashboard_db.open_connection(ref)
    try:
        for result in results:
            for text, (sql, params) in recorded[result.page].items():
                def once(sql=sql, params=params):
                    cursor = con.cursor()
                    try:
                        cursor.execute(f"USE {dashboard_db.ALIAS}")
                        cursor.execute(sql, params).df()
                    finally:
                        cursor.close()

                result.queries[text] = repeat(once, query_runs)
    finally:
        con.close()
    return results
