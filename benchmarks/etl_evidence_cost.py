"""What the evidence checks (issue 11) cost a build: `python -m etl build` on the same CSVs,
with the checks and with them switched off, alternating, so both see the same machine.

    .venv/bin/python -m benchmarks.etl_evidence_cost --data-dir benchmarks/out/national/csv [--runs 3]

Prints each build's seconds and the ratio of the medians (with ÷ without).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run in the child before the build: the two evidence checks become no-ops.
WITHOUT_CHECKS = (
    "import etl.validate as validate; "
    "validate._Checker.evidence_values = lambda self, *a, **k: None; "
    "validate._Checker.evidence_documents = lambda self, *a, **k: None; "
)


def build_seconds(data_dir: Path, db: Path, checks: bool) -> float:
    code = ("" if checks else WITHOUT_CHECKS) + (
        f"import sys; from etl.cli import main; sys.exit(main(['build', '--data-dir', {str(data_dir)!r}, '--db', {str(db)!r}]))"
    )
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    seconds: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(args.runs):
            for checks in ((True, False) if run % 2 == 0 else (False, True)):
                seconds[checks].append(build_seconds(args.data_dir.resolve(), Path(scratch) / "warehouse.duckdb", checks))
                print(f"{'with' if checks else 'without'} the evidence checks: {seconds[checks][-1]:.2f} s", flush=True)
    ratio = statistics.median(seconds[True]) / statistics.median(seconds[False])
    print(f"median with {statistics.median(seconds[True]):.2f} s, without {statistics.median(seconds[False]):.2f} s: ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
