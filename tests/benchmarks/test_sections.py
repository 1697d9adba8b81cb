"""docs/benchmarks.md is written by three commands: `make bench` writes the file and its
Chromium section, `make load` its own section. Each replaces only its own section."""
from __future__ import annotations

from benchmarks.measure import section_of, splice_section

DOC = """# Benchmarks

## Budgets

| a | b |

## Many users at once (`make load`)

old load table

## Reading the misses

Text.
"""


def test_a_section_is_replaced_in_place_and_nothing_else_moves():
    out = splice_section(DOC, "## Many users at once (`make load`)", ["## Many users at once (`make load`)", "", "new table"])
    assert "new table" in out and "old load table" not in out
    assert out.index("## Budgets") < out.index("new table") < out.index("## Reading the misses")
    assert out.endswith("## Reading the misses\n\nText.\n")


def test_a_missing_section_goes_before_reading_the_misses():
    out = splice_section("# B\n\n## Reading the misses\n\nText.\n", "## Pages in Chromium", ["## Pages in Chromium", "", "x"])
    assert out.index("## Pages in Chromium") < out.index("## Reading the misses")


def test_a_section_carried_into_a_new_report_is_the_same():
    kept = section_of(DOC, "## Many users at once (`make load`)")
    assert kept.startswith("## Many users at once") and "old load table" in kept and "Reading" not in kept
    fresh = "# Benchmarks\n\n## Budgets\n\n| a | b |\n\n## Reading the misses\n\nText.\n"
    assert splice_section(fresh, "## Many users at once (`make load`)", kept) == DOC
