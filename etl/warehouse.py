"""Load validated tables into DuckDB, atomically.

The new database is written beside the target under a unique name, checkpointed, closed and
then moved onto the target with os.replace. Readers hold either the old file or the new
one; invalid input, a crash or Ctrl-C leaves the old file byte-for-byte intact.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import uuid
from pathlib import Path

import duckdb
import pandas as pd

from .spec import TABLES, Table
from .validate import Dataset

BUILDING_SUFFIX = ".building"
SCHEMA_VERSION = "1"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def table_ddl(table: Table) -> str:
    lines = []
    for column in table.columns:
        parts = [f"{column.name} {column.sql_type}"]
        if column.required or column.default:
            parts.append("NOT NULL")
        if column.vocab:
            parts.append(f"CHECK ({column.name} IN ({', '.join(_quote(v) for v in column.vocab)}))")
        if column.kind in ("number", "integer"):
            parts.append(f"CHECK ({column.name} >= 0)")
        if column.kind == "year":
            parts.append(f"CHECK ({column.name} BETWEEN 1949 AND 2100)")
        lines.append(" ".join(parts))
    lines.append(f"PRIMARY KEY ({', '.join(table.primary_key)})")
    for column in table.columns:
        if column.references:
            lines.append(f"FOREIGN KEY ({column.name}) REFERENCES {column.references} ({column.name})")
    body = ",\n    ".join(lines)
    return f"CREATE TABLE {table.name} (\n    {body}\n);"


def schema_ddl() -> str:
    """The whole warehouse schema: the five tables plus build metadata."""
    tables = "\n\n".join(table_ddl(table) for table in TABLES)
    return (
        f"{tables}\n\n"
        "CREATE TABLE build_info (\n    key VARCHAR PRIMARY KEY,\n    value VARCHAR NOT NULL\n);"
    )


def content_digest(dataset: Dataset) -> str:
    """A digest of the loaded content, so two builds of the same data can be compared."""
    digest = hashlib.sha256()
    for table in TABLES:
        frame = dataset.frames[table.name]
        digest.update(table.name.encode())
        digest.update(pd.util.hash_pandas_object(frame.astype("string"), index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _building_path(target: Path) -> Path:
    return target.with_name(f"{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}{BUILDING_SUFFIX}")


def remove_stale_builds(target: Path) -> None:
    """Delete half-written files that a killed build left beside the target."""
    for path in target.parent.glob(f"{target.name}.*{BUILDING_SUFFIX}*"):
        pid = path.name[len(target.name) + 1:].split(".", 1)[0]
        if pid.isdigit() and _alive(int(pid)) and int(pid) != os.getpid():
            continue
        with contextlib.suppress(OSError):
            path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_database(dataset: Dataset, path: Path, *, on_table_loaded=None) -> None:
    """Create a new database file at path holding the dataset. path must not exist."""
    con = duckdb.connect(str(path))
    try:
        con.execute("SET preserve_insertion_order = true")
        con.execute(schema_ddl())
        for table in TABLES:
            frame = dataset.frames[table.name]
            con.register("incoming", frame)
            columns = ", ".join(table.column_names)
            con.execute(f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM incoming")
            con.unregister("incoming")
            if on_table_loaded:
                on_table_loaded(table.name)
        info = {
            "schema_version": SCHEMA_VERSION,
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "content_sha256": content_digest(dataset),
        }
        con.executemany("INSERT INTO build_info VALUES (?, ?)", list(info.items()))
        con.execute("CHECKPOINT")
    finally:
        con.close()


def build(dataset: Dataset, target: Path, *, on_table_loaded=None) -> None:
    """Build the warehouse at target atomically (see module docstring)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(target)
    building = _building_path(target)
    try:
        write_database(dataset, building, on_table_loaded=on_table_loaded)
        wal = building.with_name(building.name + ".wal")
        if wal.exists():
            raise RuntimeError(f"{wal} remains after CHECKPOINT; refusing to publish a partial database")
        os.replace(building, target)
    except BaseException:
        for leftover in (building, building.with_name(building.name + ".wal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise
