"""Building the warehouse: typed tables with keys and constraints, atomically, repeatably."""
from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from etl import warehouse
from etl.problems import DataError
from etl.spec import TABLES
from etl.validate import validate_dir
from tests.conftest import ROOT, edit_row, read_rows, write_rows


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_rows(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            table.name: con.execute(f"SELECT * FROM {table.name} ORDER BY ALL").fetchall()
            for table in TABLES
        }
    finally:
        con.close()


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if warehouse.BUILDING_SUFFIX in p.name)


@pytest.fixture
def built(tmp_path, data_dir) -> Path:
    target = tmp_path / "warehouse.duckdb"
    warehouse.build(validate_dir(data_dir), target)
    return target


def test_tables_are_typed_and_keyed(built):
    con = duckdb.connect(str(built), read_only=True)
    types = dict(con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'observations'"
    ).fetchall())
    assert types["period"] == "INTEGER" and types["value"] == "DOUBLE" and types["evidence"] == "VARCHAR"
    constraints = con.execute(
        "SELECT table_name, constraint_type FROM duckdb_constraints()"
    ).fetchall()
    kinds = {(table, kind) for table, kind in constraints}
    for table in TABLES:
        assert (table.name, "CHECK") in kinds
        # The fact tables' keys are checked by the build, not declared (see warehouse.py).
        declared = table.name not in warehouse.UNDECLARED_KEYS
        assert ((table.name, "PRIMARY KEY") in kinds) == declared
    assert ("sources", "FOREIGN KEY") in kinds
    published = con.execute("SELECT published FROM sources WHERE published IS NOT NULL").fetchall()
    assert str(published[0][0]) == "2022-02-24"
    con.close()


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO indicators VALUES ('x', 'sports', 'a', 'a', 'count', 'd', 'd', true, true, NULL)",
        "UPDATE observations SET qualifier = 'about' WHERE value = 10",
        "UPDATE observations SET value = -1 WHERE value = 10",
        "INSERT INTO sources SELECT * REPLACE ('ghost' AS institution_id, 'ghost_source' AS source_id) FROM sources LIMIT 1",
        "INSERT INTO institutions SELECT * FROM institutions LIMIT 1",
    ],
    ids=["vocabulary", "qualifier", "negative", "foreign key", "primary key"],
)
def test_database_constraints_refuse_bad_rows(built, statement):
    con = duckdb.connect(str(built))
    with pytest.raises(duckdb.ConstraintException):
        con.execute(statement)
    con.close()


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("INSERT INTO stage_ghost SELECT * REPLACE ('ghost' AS institution_id) FROM stage_observations LIMIT 1",
         "observations.institution_id: 1 row(s) not in institutions"),
        ("INSERT INTO stage_ghost SELECT * FROM stage_observations LIMIT 1",
         "observations: 1 key(s) repeated"),
    ],
    ids=["reference", "repeated key"],
)
def test_a_fact_row_that_breaks_the_keys_is_never_published(built, data_dir, statement, refusal):
    """Observations and awards keys are not declared to DuckDB, so the build checks them
    itself before it publishes: rows slipped past validation leave the old file as it was."""
    before = digest(built)
    dataset = validate_dir(data_dir)
    dataset.con.execute("CREATE TABLE stage_ghost AS SELECT * FROM stage_observations")
    dataset.con.execute(statement)
    dataset.con.execute("CREATE OR REPLACE VIEW stage_observations AS SELECT * FROM stage_ghost")
    with pytest.raises(RuntimeError, match=re.escape(refusal)):
        warehouse.build(dataset, built)
    assert digest(built) == before
    assert leftovers(built.parent) == []


def test_build_is_idempotent(tmp_path, data_dir):
    dataset = validate_dir(data_dir)
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    warehouse.build(dataset, first)
    warehouse.build(validate_dir(data_dir), second)
    assert table_rows(first) == table_rows(second)
    info = [dict(duckdb.connect(str(p), read_only=True).execute("SELECT * FROM build_info").fetchall()) for p in (first, second)]
    assert info[0]["content_sha256"] == info[1]["content_sha256"]


def test_rebuild_replaces_the_old_content(built, data_dir):
    # (A changed note, not a changed value: a value must stay the one its evidence states.)
    edit_row(data_dir / "observations.csv", 0, notes="重建后的说明")
    warehouse.build(validate_dir(data_dir), built)
    con = duckdb.connect(str(built), read_only=True)
    assert con.execute(
        "SELECT notes FROM observations WHERE indicator_id = 'pb_central_group_sessions' AND institution_id = 'dalian_vtc'"
    ).fetchall() == [("重建后的说明",)]


def test_invalid_input_leaves_the_old_database_identical(built, data_dir):
    before = digest(built)
    edit_row(data_dir / "observations.csv", 0, value="lots")
    with pytest.raises(DataError):
        warehouse.build(validate_dir(data_dir), built)
    assert digest(built) == before
    assert leftovers(built.parent) == []


def test_interrupt_midway_leaves_the_old_database_identical(built, data_dir):
    before = digest(built)

    def interrupt(table_name):
        if table_name == "observations":  # institutions, sources, indicators, observations written
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        warehouse.build(validate_dir(data_dir), built, on_table_loaded=interrupt)
    assert digest(built) == before
    assert leftovers(built.parent) == []


def test_process_killed_midway_leaves_the_old_database_identical(built, data_dir):
    before = digest(built)
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from etl import warehouse
        from etl.validate import validate_dir
        def die(table_name):
            if table_name == "observations":
                os.kill(os.getpid(), signal.SIGKILL)
        warehouse.build(validate_dir(Path({str(data_dir)!r})), Path({str(built)!r}), on_table_loaded=die)
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT)
    assert result.returncode == -signal.SIGKILL
    assert digest(built) == before
    assert leftovers(built.parent), "the killed build should have left its half-written file"
    # The next build clears what the dead one left behind.
    warehouse.build(validate_dir(data_dir), built)
    assert leftovers(built.parent) == []


def attach_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    # duckdb.connect(path) would reuse this process's open instance of the old file;
    # attaching to a fresh in-memory instance opens whatever file is at the path now.
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{path}' AS wh (READ_ONLY)")
    con.execute("USE wh")
    return con


def test_readers_keep_their_snapshot_while_a_rebuild_lands(built, data_dir):
    reader = attach_read_only(built)
    count = reader.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    header, rows = read_rows(data_dir / "observations.csv")
    write_rows(data_dir / "observations.csv", header, rows[:-1])
    warehouse.build(validate_dir(data_dir), built)
    assert reader.execute("SELECT count(*) FROM observations").fetchall()[0][0] == count
    fresh = attach_read_only(built)
    assert fresh.execute("SELECT count(*) FROM observations").fetchall()[0][0] == count - 1
    reader.close()
    fresh.close()


def test_ddl_vocabularies_match_the_spec():
    ddl = warehouse.schema_ddl()
    for table in TABLES:
        for column in table.columns:
            if column.vocab:
                for value in column.vocab:
                    assert f"'{value}'" in ddl


def test_derived_tables_follow_their_rules(built):
    con = duckdb.connect(str(built), read_only=True)
    # One latest actual figure per institution and indicator that has an actual figure.
    (pairs,), = con.execute("SELECT count(DISTINCT (institution_id, indicator_id)) FROM observations WHERE kind = 'actual'").fetchall()
    (rows,), = con.execute("SELECT count(*) FROM latest_actual").fetchall()
    assert rows == pairs
    (later,), = con.execute("""
        SELECT count(*) FROM latest_actual l JOIN observations o USING (institution_id, indicator_id)
        WHERE o.kind = 'actual' AND coalesce(o.period_end, o.period) > coalesce(l.period_end, l.period)
    """).fetchall()
    assert later == 0
    # Items count at their own level; a total only for what its covered items leave over.
    from dashboard.transforms import counted_awards

    awards = con.execute("SELECT * FROM awards").df()
    expected = counted_awards(awards)
    (counted, rows), = con.execute("SELECT sum(count), sum(award_rows) FROM award_counted").fetchall()
    assert (counted, rows) == (expected["count"].sum(), len(expected))
    assert counted < awards["count"].sum()  # some totals hold itemised rows
    info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
    assert (info["first_year"], info["last_year"]) == ("2019", "2022")
    con.close()
