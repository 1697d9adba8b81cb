"""The data we ship: clean, on all four themes, every figure quoting its document."""
from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from tests.conftest import CURATED, IN_CI, SHARED


@pytest.fixture(scope="module")
def con(curated_db):
    connection = duckdb.connect(str(curated_db), read_only=True)
    yield connection
    connection.close()


def scalar(con, sql, params=()):
    return con.execute(sql, params).fetchall()[0][0]


def test_well_over_150_figures(con):
    assert scalar(con, "SELECT count(*) FROM observations") + scalar(con, "SELECT count(*) FROM awards") > 150


@pytest.mark.parametrize("theme", ["employment", "training", "party_building", "other"])
def test_every_theme_has_figures(con, theme):
    count = scalar(
        con, "SELECT count(*) FROM observations JOIN indicators USING (indicator_id) WHERE theme = ?", [theme]
    )
    assert count >= 10


def test_competition_awards_at_several_levels(con):
    levels = {row[0] for row in con.execute("SELECT DISTINCT level FROM awards").fetchall()}
    assert {"national", "provincial", "municipal"} <= levels


def test_the_work_plan_yields_no_figures(con):
    assert scalar(con, "SELECT count(*) FROM observations WHERE institution_id = 'hubei_ou'") == 0
    assert scalar(con, "SELECT count(*) FROM awards WHERE institution_id = 'hubei_ou'") == 0
    assert scalar(con, "SELECT count(*) FROM sources WHERE institution_id = 'hubei_ou'") == 1


def test_figures_keep_their_own_period(con):
    # A 2019 rank and 2020 results inside Tianjin's 2021 report; its 2021 figures are targets.
    rows = con.execute(
        "SELECT period, kind, count(*) FROM observations WHERE source_id = 'tianjin_2021_report' GROUP BY ALL"
    ).fetchall()
    assert {(period, kind) for period, kind, _ in rows} == {(2019, "actual"), (2020, "actual"), (2021, "target")}


def test_employment_rates_are_separate_indicators(con):
    rows = dict(con.execute(
        "SELECT indicator_id, value FROM observations WHERE indicator_id IN ('emp_destination_rate', 'emp_initial_rate')"
    ).fetchall())
    assert rows == {"emp_destination_rate": 96.08, "emp_initial_rate": 81.24}


def test_qualifiers_from_the_text(con):
    def qualifier(indicator):
        return scalar(con, "SELECT qualifier FROM observations WHERE indicator_id = ? AND institution_id = 'dalian_vtc'", [indicator])

    assert qualifier("emp_order_class_graduates") == "approx"  # 近400
    assert qualifier("emp_jobs_per_graduate") == "at_least"  # 7:1以上
    assert qualifier("emp_hired_by_partners") == "more_than"  # 1400多


def test_typo_recorded_as_meant_with_a_note(con):
    value, notes = con.execute(
        "SELECT value, notes FROM observations WHERE indicator_id = 'oth_research_participation_rate'"
    ).fetchall()[0]
    assert value == 80.2 and "80.2.%" in notes


def test_every_excerpt_is_found_in_its_document():
    tool = SHARED / "tools" / "check_evidence.py"
    if not tool.exists():
        if IN_CI:
            pytest.fail(f"{tool} is missing; CI must have ../shared beside the clone")
        pytest.skip("../shared is not beside this checkout")
    result = subprocess.run([sys.executable, str(tool), str(CURATED)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "MISSING" not in result.stdout
