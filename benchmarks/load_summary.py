"""Put `make load`'s page-load and rerun p95 into docs/benchmarks.md, beside the Chromium
figures of `make bench` (docs/reliability.md keeps the full table, via load_report).

    python -m benchmarks.load_summary benchmarks/out/load-curated.json benchmarks/out/load-national.json

Every figure is read from the JSON the load run wrote; nothing is typed in.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.load import AIMS, TABLE_HEADER, table_row

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Many users at once (`make load`)"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _scale(result: dict) -> str:
    """Which warehouse the run used, in words: its institutions and figures, read from it."""
    try:
        import duckdb

        with duckdb.connect(result["db"], read_only=True) as con:
            institutions = con.execute("SELECT count(*) FROM institutions").fetchone()[0]
            figures = con.execute("SELECT count(*) FROM observations").fetchone()[0]
        return f"{institutions:,} institutions, {figures:,} figures"
    except Exception:  # the warehouse may be gone since the run; say so rather than guess
        return "warehouse no longer readable"


def render(results: list[tuple[str, dict]]) -> list[str]:
    lines = [
        SECTION, "",
        "Simultaneous Chromium users, each opening the overview, changing a filter (rerun), switching to the Data "
        "page and downloading its CSV (benchmarks/load.py). Page load and rerun are timed in the browser, from the "
        "action to the page being finished; the full table with the server-side times is in "
        "[reliability.md](reliability.md).", "",
        "| data | scale | users × rounds | page load p95 < {0:g} s | rerun p95 < {1:g} s | success |".format(
            AIMS["page_load_p95_s"], AIMS["rerun_p95_s"]),
        "|---|---|---|---|---|---|",
    ]
    for label, result in results:
        summary, met = result["summary"], result["met"]
        lines.append(
            f"| {label} | {_scale(result)} | {result['users']} × {result['rounds']} | "
            f"{summary['page_load']['p95']} s ({_verdict(met['page_load_p95_s'])}) | "
            f"{summary['rerun']['p95']} s ({_verdict(met['rerun_p95_s'])}) | "
            f"{result['successes']}/{result['attempts']} |")
    lines += ["", TABLE_HEADER]
    lines += [table_row(label, result) for label, result in results]
    lines += ["", "Commands and dates: " + "; ".join(
        f"`{result['command']}` ({result['date']}, {result['machine']})" for _, result in results) + "."]
    return lines


def splice(document: str, section: list[str]) -> str:
    """`document` with this section replaced, or added before "Reading the misses"."""
    from benchmarks.measure import splice_section

    return splice_section(document, SECTION, section)


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    results = [(path.stem.removeprefix("load-"), json.loads(path.read_text(encoding="utf-8"))) for path in paths if path.exists()]
    if not results:
        print("no load results to report", file=sys.stderr)
        return 1
    DOC.write_text(splice(DOC.read_text(encoding="utf-8"), render(results)), encoding="utf-8")
    print(f"wrote the load p95 of {', '.join(label for label, _ in results)} into {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
