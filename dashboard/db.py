"""Read-only access to the DuckDB warehouse.

One connection per warehouse file version, cached with st.cache_resource and keyed by the
file's stamp (modification time, inode, size), so a rebuilt warehouse is picked up on the
next rerun. Every query runs on its own cursor: DuckDB 2.0 refuses one connection shared
between Streamlit's session threads.

Nothing here writes: the file is attached READ_ONLY (by a bound path), spilling to disk
is off, file access outside the attached file is off, and the configuration is locked so
no query can switch any of that back on (tests/security/test_read_only.py).

The file is ATTACHed to a fresh in-memory instance rather than opened with
duckdb.connect(path): connect() reuses any instance of that path still open in this
process, which after a rebuild would be the old, replaced file.

A file that cannot be read, whether at ATTACH or later in a query (a file overwritten in
place fails its block checksums only when a block is read), becomes WarehouseUnavailable
carrying the stamp it failed at, so the shell can show a clear page and notice when the
file changes again. Errors that mean our SQL is wrong still propagate: they are bugs.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
import streamlit as st

DEFAULT_PATH = "data/warehouse.duckdb"
# The five tables and the two the ETL derives from them (etl/warehouse.py): a warehouse
# built before those existed is shown as one to rebuild.
REQUIRED_TABLES = ("institutions", "sources", "indicators", "observations", "awards", "latest_actual", "award_counted")
# The schema version (build_info.schema_version) whose tables and rules these queries are
# written for. A warehouse from another ETL version can have the same tables with other
# columns or other derived rules: it is shown as one to rebuild, not read.
# tests/dashboard/test_db.py pins it to etl.warehouse.SCHEMA_VERSION.
SCHEMA_VERSION = "4"
ALIAS = "wh"


class WarehouseRef(NamedTuple):
    """Which warehouse file, and which version of it."""

    path: str
    stamp: tuple[int, int, int]


class WarehouseUnavailable(Exception):
    def __init__(self, kind: str, path: str, detail: str = "", stamp: tuple[int, int, int] | None = None):
        self.kind = kind  # "missing" or "broken"
        self.path = path
        self.detail = detail
        self.stamp = stamp  # the file version that failed; None when there was no file
        super().__init__(f"{kind}: {path} {detail}".strip())


# What DuckDB raises when the file itself is bad: unreadable or short (IOException), a block
# whose checksum fails ("Corrupt database file" is a bare duckdb.Error), or a format it
# cannot decode (Serialization/Internal/Fatal). Binder, Catalog, Parser... errors are ours.
_FILE_ERRORS = (duckdb.IOException, duckdb.SerializationException, duckdb.InternalException, duckdb.FatalException)


def is_file_error(error: duckdb.Error) -> bool:
    return isinstance(error, _FILE_ERRORS) or type(error) is duckdb.Error


def _unavailable(ref: WarehouseRef, error: duckdb.Error) -> WarehouseUnavailable:
    # The file may have vanished between stat() and ATTACH: say "missing", not "broken".
    kind = "broken" if os.path.lexists(ref.path) else "missing"
    return WarehouseUnavailable(kind, ref.path, str(error).splitlines()[0], ref.stamp)


def warehouse_path() -> Path:
    return Path(os.environ.get("VOCDASH_DB") or DEFAULT_PATH)


def current_ref(path: Path | None = None) -> WarehouseRef:
    path = Path(path or warehouse_path())
    try:
        info = path.stat()
    except FileNotFoundError:
        raise WarehouseUnavailable("missing", str(path)) from None
    except OSError as error:
        raise WarehouseUnavailable("broken", str(path), error.strerror or str(error)) from None
    return WarehouseRef(str(path.resolve()), (info.st_mtime_ns, info.st_ino, info.st_size))


def open_connection(ref: WarehouseRef) -> duckdb.DuckDBPyConnection:
    """A read-only view of the warehouse at ref, with file access outside it switched off."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH ? AS {ALIAS} (READ_ONLY)", [ref.path])  # the path bound, not spliced
        # Never spill to disk: DuckDB's default spill folder is ./.tmp, inside the repo.
        con.execute("SET temp_directory = ''")
        # DuckDB's default is 80 % of the machine's memory for its buffers, per instance;
        # the app's heaviest national query needs a fraction of this.
        con.execute("SET memory_limit = '1GB'")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        found = {
            row[0]
            for row in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [ALIAS]
            ).fetchall()
        }
    except duckdb.Error as error:
        con.close()
        raise _unavailable(ref, error) from None
    missing = [name for name in REQUIRED_TABLES if name not in found]
    if missing:
        con.close()
        raise WarehouseUnavailable("broken", ref.path, f"tables missing: {', '.join(missing)}", ref.stamp)
    try:
        version = con.execute(
            f"SELECT max(value) FROM {ALIAS}.build_info WHERE key = 'schema_version'"
        ).fetchall()[0][0] if "build_info" in found else None
    except duckdb.Error as error:
        con.close()
        raise _unavailable(ref, error) from None
    if version != SCHEMA_VERSION:
        con.close()
        raise WarehouseUnavailable(
            "broken", ref.path,
            f"built for schema version {version or 'unknown'}; this app reads version {SCHEMA_VERSION}: rebuild it",
            ref.stamp,
        )
    return con


@st.cache_resource(max_entries=2, show_spinner=False)
def _cached_connection(ref: WarehouseRef) -> duckdb.DuckDBPyConnection:
    return open_connection(ref)


def query(ref: WarehouseRef, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run one parameterised query on its own cursor; return a DataFrame."""
    cursor = _cached_connection(ref).cursor()
    try:
        cursor.execute(f"USE {ALIAS}")
        return cursor.execute(sql, params or []).df()
    except duckdb.Error as error:
        if is_file_error(error):
            raise _unavailable(ref, error) from None
        raise
    finally:
        cursor.close()
