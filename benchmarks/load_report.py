"""Write `make load`'s results into docs/reliability.md, between its results markers, and
keep each run's measurements under docs/load-results/. One row per run, in the order given
(`make load LOAD_TARGET=proxy` gives each dataset's one-process run, then its proxied one).

    python -m benchmarks.load_report benchmarks/out/load-curated-single.json benchmarks/out/load-curated-proxy.json
"""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

from benchmarks.load import AIMS, TABLE_HEADER, table_row

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "reliability.md"
KEPT = ROOT / "docs" / "load-results"
START, END = "<!-- load-results: written by `make load` (benchmarks/load_report.py) -->", "<!-- /load-results -->"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(results: list[tuple[str, dict]]) -> str:
    lines = [START, "", TABLE_HEADER.split("\n")[0] + " load avg before |", TABLE_HEADER.split("\n")[1] + "---|"]
    for label, result in results:
        lines.append(table_row(label, result) + f" {result['load_average'][0] if result.get('load_average') else '–'} |")
    lines += ["", "| data | server | success 100 % | page load p95 < 5 s | rerun p95 < 2 s | < 20 MB per session |", "|---|---|---|---|---|---|"]
    for label, result in results:
        met = result["met"]
        lines.append(f"| {label} | {result.get('server', '1 process')} | {_verdict(met['success_rate'])} | {_verdict(met['page_load_p95_s'])} | "
                     f"{_verdict(met['rerun_p95_s'])} | {_verdict(met['memory_per_user_mb'])} |")
    lines += ["", "Commands and dates: " + "; ".join(
        f"`{result['command']}` ({result['date']}, {result['machine']})" for _, result in results) + ".",
              "Aims (benchmarks/load.py): " + ", ".join(f"{k} {v}" for k, v in AIMS.items()) + ".", "", END]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    results = []
    for path in paths:
        if not path.exists():
            print(f"no results at {path}: that run did not finish", file=sys.stderr)
            continue
        result = json.loads(path.read_text(encoding="utf-8"))
        label = result.get("label") or path.stem.removeprefix("load-")
        results.append((label, result))
        KEPT.mkdir(parents=True, exist_ok=True)
        processes = f"{result['procs']}procs-" if result.get("procs") else ""
        slug = re.sub(r"[^\w.-]+", "-", label).strip("-").lower()
        shutil.copyfile(path, KEPT / f"{result['date'][:10]}-{slug}-{processes}{result['users']}.json")
    if not results:
        return 1
    text = DOC.read_text(encoding="utf-8")
    block = render(results)
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote the results of {', '.join(label for label, _ in results)} into {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
