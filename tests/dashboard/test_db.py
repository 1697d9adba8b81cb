"""The warehouse changing under a running app: deleted, replaced, overwritten in place,
truncated. Each must become WarehouseUnavailable (a clear page), never a traceback, and
a bug in our own SQL must still surface as the bug it is."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard import db, queries
from dashboard.filters import Filters


@pytest.fixture
def live(tmp_path, curated_db) -> Path:
    """A private copy of the curated warehouse that the test may damage."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(curated_db, path)
    return path


def test_file_overwritten_in_place_under_a_cached_connection(live):
    ref = db.current_ref(live)
    assert len(db.query(ref, "SELECT * FROM institutions")) == 5  # connection now cached
    size = live.stat().st_size
    with live.open("r+b") as handle:  # what `cp other.duckdb warehouse.duckdb` does: same inode
        handle.write(os.urandom(size))
    # DuckDB reads blocks lazily: the bad checksum comes as a bare duckdb.Error mid-query.
    with pytest.raises(db.WarehouseUnavailable) as caught:
        db.query(ref, "SELECT * FROM observations")
    assert caught.value.kind == "broken"
    assert caught.value.stamp == ref.stamp
    # The file's stamp moved, so the next run opens it afresh and is told it is broken.
    fresh = db.current_ref(live)
    assert fresh != ref
    with pytest.raises(db.WarehouseUnavailable) as again:
        db.query(fresh, "SELECT 1")
    assert again.value.kind == "broken" and again.value.stamp == fresh.stamp


def test_truncated_file_attaches_but_fails_as_unavailable(live):
    data = live.read_bytes()
    live.write_bytes(data[: len(data) // 2])
    ref = db.current_ref(live)
    with pytest.raises(db.WarehouseUnavailable) as caught:
        for table in db.REQUIRED_TABLES:
            db.query(ref, f"SELECT * FROM {table}")
    assert caught.value.kind == "broken"


def test_garbage_moved_onto_the_path(live, tmp_path):
    before = db.current_ref(live)
    assert len(queries.institutions(before)) == 5
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(os.urandom(before.stamp[2]))
    os.replace(garbage, live)
    after = db.current_ref(live)
    assert after.stamp[1] != before.stamp[1]  # a new inode, hence a new cache key
    with pytest.raises(db.WarehouseUnavailable) as caught:
        queries.institutions(after)
    assert caught.value.kind == "broken" and caught.value.stamp == after.stamp


def test_deleted_file_keeps_serving_runs_that_hold_its_ref(live):
    ref = db.current_ref(live)
    assert len(db.query(ref, "SELECT * FROM institutions")) == 5
    figures = len(db.query(ref, "SELECT * FROM observations"))
    live.unlink()
    # A run already holding the ref finishes on the open file (Linux keeps the inode)...
    assert len(db.query(ref, "SELECT * FROM observations")) == figures > 150
    # ...and the next run is told the warehouse is missing.
    with pytest.raises(db.WarehouseUnavailable) as caught:
        db.current_ref(live)
    assert caught.value.kind == "missing" and caught.value.stamp is None


def test_file_vanishing_between_stat_and_open_is_missing(live):
    ref = db.current_ref(live)
    live.unlink()
    with pytest.raises(db.WarehouseUnavailable) as caught:
        db.open_connection(ref)
    assert caught.value.kind == "missing"
    assert not live.exists(), "a read-only ATTACH must not create the file"


def test_a_database_without_our_tables_is_broken(tmp_path):
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE institutions (x INTEGER)")
    con.close()
    ref = db.current_ref(other)
    with pytest.raises(db.WarehouseUnavailable) as caught:
        db.open_connection(ref)
    assert "tables missing" in caught.value.detail and caught.value.stamp == ref.stamp


def test_the_app_reads_the_schema_version_the_etl_writes():
    from etl.warehouse import SCHEMA_VERSION

    assert db.SCHEMA_VERSION == SCHEMA_VERSION


@pytest.mark.parametrize("version", ["2", None])
def test_a_warehouse_from_another_etl_version_is_to_be_rebuilt(live, version):
    con = duckdb.connect(str(live))
    if version is None:
        con.execute("DROP TABLE build_info")
    else:
        con.execute("UPDATE build_info SET value = ? WHERE key = 'schema_version'", [version])
    con.close()
    ref = db.current_ref(live)
    with pytest.raises(db.WarehouseUnavailable) as caught:
        db.open_connection(ref)
    assert caught.value.kind == "broken" and caught.value.stamp == ref.stamp
    assert f"schema version {version or 'unknown'}" in caught.value.detail and "rebuild" in caught.value.detail


def test_our_own_sql_errors_are_not_disguised(live):
    ref = db.current_ref(live)
    with pytest.raises(duckdb.BinderException):
        db.query(ref, "SELECT no_such_column FROM institutions")
    with pytest.raises(duckdb.ParserException):
        db.query(ref, "SELEC 1")


def test_rebuild_after_deletion_is_picked_up(live, data_dir):
    from etl.validate import validate_dir
    from etl.warehouse import build
    from tests.conftest import add_test_institutions

    live.unlink()
    with pytest.raises(db.WarehouseUnavailable):
        db.current_ref(live)
    add_test_institutions(data_dir, 1)
    build(validate_dir(data_dir), live)
    assert len(queries.institutions_in_scope(db.current_ref(live), Filters())) == 6


def test_app_shows_a_page_for_a_half_file_and_recovers_when_rebuilt(tmp_path, curated_db, monkeypatch):
    """The shell end to end (AppTest): the half file gives the clear page, not a
    traceback; the same running app shows the data once the file is whole again."""
    import logging

    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    path = tmp_path / "warehouse.duckdb"
    whole = curated_db.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    monkeypatch.setenv("VOCDASH_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "数据仓库无法读取" in at.error[0].value
    staging = tmp_path / "staging.duckdb"
    staging.write_bytes(whole)
    os.replace(staging, path)
    at.run()
    assert not at.exception and not at.error
    assert at.metric[0].value == "5"
