"""The national dataset, and how fast `python -m etl build` loads it."""
from __future__ import annotations

import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import run_child

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class BuildResult:
    rows: int
    csv_mb: float
    seconds: list[float]
    peak_rss_mb: list[float]
    db_mb: float

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.median_seconds


def synthesise(out: Path, institutions: int, years: int, seed: int = 1) -> None:
    """Write the synthetic dataset (fast: a few seconds at national scale)."""
    result = run_child([sys.executable, "-m", "etl.synth", "--institutions", str(institutions),
                        "--years", str(years), "--out", str(out), "--seed", str(seed)], cwd=ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"etl.synth failed: {result.stderr}")


def loaded_rows(build_output: str) -> int:
    """Rows the build reports loading (its summary lines: '  observations  1,642,825 rows')."""
    rows = 0
    for line in build_output.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "rows":
            rows += int(parts[1].replace(",", ""))
    return rows


def time_build(data_dir: Path, db: Path, runs: int = 3) -> BuildResult:
    """`python -m etl build` end to end, as a curator runs it: interpreter start, decode,
    validation and the atomic load all counted."""
    seconds, peaks, rows = [], [], 0
    for _ in range(runs):
        result = run_child([sys.executable, "-m", "etl", "build", "--data-dir", str(data_dir), "--db", str(db)],
                           cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        if result.returncode != 0:
            raise RuntimeError(f"etl build failed: {result.stderr[-2000:]}")
        rows = loaded_rows(result.stdout)
        seconds.append(result.seconds)
        peaks.append(result.peak_rss_mb)
    csv_mb = sum(path.stat().st_size for path in data_dir.glob("*.csv")) / 1e6
    return BuildResult(rows, csv_mb, seconds, peaks, db.stat().st_size / 1e6)
