"""`make bench` at toy size, so the harness cannot rot between national runs: every step
runs, the three engines agree on every workload, and the report has every budget."""
from __future__ import annotations

import pytest

from benchmarks import bench


@pytest.mark.slow
def test_the_benchmark_runs_end_to_end_and_reports_every_budget(tmp_path):
    out = tmp_path / "benchmarks.md"
    assert bench.main([
        "--institutions", "120", "--years", "2", "--repeat", "1", "--etl-runs", "1",
        "--browser-repeat", "1", "--out", str(out), "--work-dir", str(tmp_path / "work"),
    ]) == 0
    report = out.read_text(encoding="utf-8")
    for budget in ("rows/s end to end", "p95 <", "AppTest run at national scale", "faster than pandas",
                   "Faster than SQLite", "Peak memory of the app"):
        assert budget in report, budget
    assert "The three engines gave the same answers on every workload." in report
    for page in ("overview", "employment", "competition", "compare", "profile", "data", "validate"):
        assert f"| {page} |" in report
    # The Chromium section: the goals, each page beside the floor and beside its in-process run.
    for goal in ("Fresh tab within 1.5× the floor", "Sidebar click ready", "Server CPU per interaction", "No page over 1 MB sent"):
        assert goal in report, goal
    assert "Fresh tab ÷ in-process cold" in report
