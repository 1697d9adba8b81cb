"""The app only reads. The warehouse connection refuses every kind of write, and running
every page (both languages, presentation mode, compare, an upload) leaves the warehouse,
its folder and the repository exactly as they were; the only files Python opens for
writing are its own bytecode caches."""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db
from tests.conftest import CURATED, ROOT

logging.getLogger("streamlit").setLevel(logging.ERROR)

PAGES = ("overview", "employment", "training", "competition", "party_building", "compare", "profile", "data", "validate")
SKIPPED_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", "test-artifacts"}


# --- what is on disk ------------------------------------------------------------------

def tree_state(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under root (bar caches and test output): size and mtime."""
    state = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            state[str(path.relative_to(root))] = (info.st_size if not path.is_dir() else 0, info.st_mtime_ns)
    return state


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- what Python opens for writing -------------------------------------------------------

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_WRITE_EVENTS = {
    "os.remove", "os.rename", "os.mkdir", "os.rmdir", "os.truncate", "os.chmod", "os.chown", "os.link",
    "os.symlink", "os.utime", "shutil.copyfile", "shutil.copymode", "shutil.copystat", "shutil.copytree",
    "shutil.move", "shutil.rmtree", "tempfile.mkstemp", "tempfile.mkdtemp",
}
_recorder: dict = {"events": None}


def _audit(event: str, args: tuple) -> None:
    events = _recorder["events"]
    if events is None:
        return
    if event == "open":
        path, mode, flags = args
        writes = any(c in mode for c in "wax+") if isinstance(mode, str) else bool((flags or 0) & _WRITE_FLAGS)
        if writes:
            events.append(("open", str(path)))
    elif event in _WRITE_EVENTS:
        events.append((event, str(args[0]) if args else ""))


_installed: list = []


@contextlib.contextmanager
def writes_recorded():
    """Collect file writes made through Python while the block runs (a process-wide audit
    hook, installed once and idle outside this block)."""
    if not _installed:
        sys.addaudithook(_audit)
        _installed.append(True)
    events: list = []
    _recorder["events"] = events
    try:
        yield events
    finally:
        _recorder["events"] = None


def _own_bytecode(path: str) -> bool:
    return "__pycache__" in Path(path).parts


# --- the connection -------------------------------------------------------------------------

@pytest.fixture
def private_warehouse(tmp_path, hostile_db) -> Path:
    """A copy of the hostile warehouse in a folder of its own, named with a quote (the path
    is bound into ATTACH, never spliced into it)."""
    folder = tmp_path / "it's the warehouse"
    folder.mkdir()
    path = folder / "warehouse.duckdb"
    shutil.copy(hostile_db, path)
    return path


def test_every_write_through_the_apps_connection_fails(private_warehouse, tmp_path):
    ref = db.current_ref(private_warehouse)
    before, folder_before = digest(private_warehouse), tree_state(private_warehouse.parent)
    outside = tmp_path / "outside"
    attempts = [
        "INSERT INTO institutions SELECT * FROM institutions",
        "UPDATE institutions SET name_zh = 'x'",
        "DELETE FROM observations",
        "DROP TABLE awards",
        "CREATE TABLE wh.main.planted AS SELECT 1 AS a",
        "ALTER TABLE institutions ADD COLUMN planted INTEGER",
        "CREATE VIEW planted AS SELECT 1",
        f"COPY institutions TO '{outside}.csv'",
        f"EXPORT DATABASE '{outside}'",
        f"ATTACH '{outside}.duckdb' AS other",
        f"SELECT * FROM read_csv('{CURATED / 'institutions.csv'}')",
        "SELECT * FROM glob('/*')",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        f"SET temp_directory = '{outside}'",
        "INSTALL httpfs",
        "LOAD httpfs",
    ]
    for sql in attempts:
        with pytest.raises((duckdb.Error, db.WarehouseUnavailable)):
            db.query(ref, sql)
    # Allowed but harmless on a read-only attachment: nothing may reach the file.
    for sql in ("CHECKPOINT wh", "FORCE CHECKPOINT wh", "VACUUM wh.institutions"):
        db.query(ref, sql)
    # Even detaching cannot reopen the file for writing: file access is off and locked.
    connection = db.open_connection(ref)
    connection.execute("DETACH wh")
    with pytest.raises(duckdb.Error):
        connection.execute("ATTACH ? AS wh", [str(private_warehouse)])
    connection.close()

    assert digest(private_warehouse) == before
    assert tree_state(private_warehouse.parent) == folder_before  # no .wal, no spill files
    assert not list(tmp_path.glob("outside*"))
    assert len(db.query(ref, "SELECT * FROM institutions")) == 7


def test_the_connection_never_spills_to_disk(private_warehouse):
    connection = db.open_connection(db.current_ref(private_warehouse))
    setting = connection.execute("SELECT current_setting('temp_directory')").fetchone()[0]
    assert setting == ""
    assert connection.execute("SELECT current_setting('enable_external_access')").fetchone()[0] is False
    connection.close()


# --- every page ---------------------------------------------------------------------------

GOOD_UPLOAD = (
    "institution_id,indicator_id,period,period_end,period_type,value,qualifier,kind,basis,source_id,evidence,notes\n"
    "dalian_vtc,oth_graduates,2022,,calendar_year,3500,exact,actual,flow,dalian_2021_summary,毕业生3500人,\n"
).encode("utf-8")


def run_everything(db_path: Path, monkeypatch) -> list[AppTest]:
    monkeypatch.setenv("VOCDASH_DB", str(db_path))
    runs = []
    for lang in ("zh", "en"):
        for page in PAGES:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            at.query_params["lang"] = lang
            at.query_params["cmp"] = ["xss_college", "formula_college", "dalian_vtc"]
            at.run()
            if page != "overview":
                at.switch_page(f"pages/{page}.py").run()
            if page == "validate":
                at.file_uploader(key="validate_file").set_value(("observations.csv", GOOD_UPLOAD, "text/csv")).run()
            runs.append(at)
    presenting = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    presenting.query_params["present"] = "1"
    presenting.run()
    presenting.switch_page("pages/employment.py").run()
    runs.append(presenting)
    return runs


def test_every_page_leaves_the_disk_as_it_was(private_warehouse, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"  # the only temp folder the app can see
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    repo_before = tree_state(ROOT)
    warehouse_before = digest(private_warehouse), private_warehouse.stat().st_mtime_ns
    folder_before = tree_state(private_warehouse.parent)

    with writes_recorded() as events:
        runs = run_everything(private_warehouse, monkeypatch)

    for at in runs:
        assert not at.exception, [e.value for e in at.exception]
    assert any("检查通过" in s.value or "passed" in s.value for at in runs for s in at.success)  # the upload ran
    written = [(event, path) for event, path in events if not _own_bytecode(path)]
    assert written == []
    assert (digest(private_warehouse), private_warehouse.stat().st_mtime_ns) == warehouse_before
    assert tree_state(private_warehouse.parent) == folder_before
    assert tree_state(ROOT) == repo_before
    assert list(scratch.iterdir()) == []


def test_the_write_recorder_sees_writes(tmp_path):
    """The check above is only as good as its recorder: it must see an ordinary write."""
    with writes_recorded() as events:
        (tmp_path / "x.txt").write_text("x")
        os.replace(tmp_path / "x.txt", tmp_path / "y.txt")
        fd, name = tempfile.mkstemp(dir=tmp_path)
        os.close(fd)
    kinds = {event for event, _ in events}
    assert {"open", "os.rename", "tempfile.mkstemp"} <= kinds
