"""benchmarks/etl_evidence_cost.py: both kinds of build run, and the ratio is printed."""
from __future__ import annotations

import re

from benchmarks import etl_evidence_cost
from tests.conftest import CURATED


def test_times_builds_with_and_without_the_evidence_checks(capsys):
    assert etl_evidence_cost.main(["--data-dir", str(CURATED), "--runs", "1"]) == 0
    printed = capsys.readouterr().out
    assert "with the evidence checks:" in printed and "without the evidence checks:" in printed
    assert re.search(r"ratio \d+\.\d\d$", printed.strip())
