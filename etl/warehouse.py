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

from .spec import TABLES, Table
from .validate import AWARD_COVER_SQL, Dataset, typed_select

BUILDING_SUFFIX = ".building"
SCHEMA_VERSION = "4"
_TARGET = "building"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# Observations and awards are the fact tables: millions of rows at national scale. Their
# keys and references are checked by etl.validate on every build (naming file:line) and
# re-checked here before a file is published, but not declared to DuckDB: at 11,000
# colleges the declared PRIMARY KEY and FOREIGN KEY indexes cost 7.5 s on a 1.5 s load
# and 436 MB on a 38 MB file (docs/benchmarks.md). Every other table declares them.
UNDECLARED_KEYS = ("observations", "awards")


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
    if table.name not in UNDECLARED_KEYS:
        lines.append(f"PRIMARY KEY ({', '.join(table.primary_key)})")
        for column in table.columns:
            if column.references:
                lines.append(f"FOREIGN KEY ({column.name}) REFERENCES {column.references} ({column.referenced_column})")
    body = ",\n    ".join(lines)
    return f"CREATE TABLE {table.name} (\n    {body}\n);"


def schema_ddl() -> str:
    """The whole warehouse schema: the five tables plus build metadata."""
    tables = "\n\n".join(table_ddl(table) for table in TABLES)
    return (
        f"{tables}\n\n"
        "CREATE TABLE build_info (\n    key VARCHAR PRIMARY KEY,\n    value VARCHAR NOT NULL\n);"
    )


# Tables derived from the loaded ones, so the dashboard need not recompute them on every
# cold view at national scale. Their rules are part of the schema the app relies on.
DERIVED_TABLES = {
    # Each institution's latest actual figure per indicator over all periods: the latest
    # end, then the latest start, then an exact figure over an approximate one, then the
    # row loaded last. (The dashboard applies the same rule itself when a period filter
    # narrows the years.)
    "latest_actual": f"""
        CREATE TABLE {_TARGET}.latest_actual AS
        WITH chosen AS (
            -- The order packed into one number whose max names the row: a grouped max is
            -- several times cheaper than a window (rowid < 2^32 in any warehouse).
            SELECT max(((coalesce(period_end, period) * 10000 + period) * 10 + (qualifier = 'exact')::INTEGER)::BIGINT
                       * 4294967296 + rowid) % 4294967296 AS row_id
            FROM {_TARGET}.observations WHERE kind = 'actual'
            GROUP BY institution_id, indicator_id
        )
        SELECT o.institution_id, o.indicator_id, o.value, o.qualifier, o.period, o.period_end, o.period_type,
               o.basis, o.since, o.as_of, o.source_id
        FROM {_TARGET}.observations o JOIN chosen c ON o.rowid = c.row_id
        ORDER BY o.indicator_id, o.institution_id  -- queries pick indicators: row groups by indicator
    """,
    # The awards to count, summed. Itemised rows always count at their own level and grade.
    # A total (is_total) counts only for what its itemised rows leave over: a remainder row
    # of count - covered items, at the total's level (a floor when level_scope=or_higher) and
    # grade 'other'. So a total and the items inside it are never added (Jiaxing's 111
    # provincial-or-higher awards hold its four itemised national ones: 111, not 115), and
    # items and person-times, or competitions and honours, never cover each other.
    # award_rows: how many award rows each sum stands for.
    "award_counted": f"""
        CREATE TABLE {_TARGET}.award_counted AS
        WITH {AWARD_COVER_SQL.format(awards=f"(SELECT rowid AS row_number, * FROM {_TARGET}.awards) numbered", line="row_number")},
        covered AS (
            SELECT c.total_line, sum(i.count) AS covered
            FROM cover c JOIN items i ON i.line = c.item_line GROUP BY c.total_line
        ),
        kept AS (
            SELECT institution_id, category, period, period_end, level, level_scope, grade, recipient, unit, count
            FROM {_TARGET}.awards WHERE NOT is_total
            UNION ALL
            SELECT a.institution_id, a.category, a.period, a.period_end, a.level, a.level_scope, a.grade,
                   a.recipient, a.unit, a.count - coalesce(c.covered, 0)
            FROM (SELECT rowid AS row_number, * FROM {_TARGET}.awards WHERE is_total) a
            LEFT JOIN covered c ON c.total_line = a.row_number
            WHERE a.count - coalesce(c.covered, 0) > 0
        )
        SELECT institution_id, category, period, period_end, level, level_scope, grade, recipient, unit,
               sum(count)::BIGINT AS count, count(*)::BIGINT AS award_rows
        FROM kept GROUP BY ALL
    """,
}


def key_violations(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    """What the undeclared keys would refuse, in the tables under `schema`: repeated
    keys and references to rows that do not exist. Empty when the tables are sound."""
    found = []
    for table in TABLES:
        if table.name not in UNDECLARED_KEYS:
            continue
        key = ", ".join(table.primary_key)
        # Hashes first (cheap to group); the keys themselves only if a hash repeats.
        (repeated,), = con.execute(
            f"SELECT count(*) FROM (SELECT hash({key}) AS h FROM {schema}.{table.name} GROUP BY h HAVING count(*) > 1)"
        ).fetchall()
        if repeated:
            (repeated,), = con.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {schema}.{table.name} GROUP BY {key} HAVING count(*) > 1)"
            ).fetchall()
        if repeated:
            found.append(f"{table.name}: {repeated} key(s) repeated")
        for column in table.columns:
            if column.references:
                (orphans,), = con.execute(
                    f"SELECT count(*) FROM {schema}.{table.name} c ANTI JOIN {schema}.{column.references} p "
                    f"USING ({column.name})"
                ).fetchall()
                if orphans:
                    found.append(f"{table.name}.{column.name}: {orphans} row(s) not in {column.references}")
    return found


def content_digest(con: duckdb.DuckDBPyConnection, schema: str) -> str:
    """A digest of the loaded content, so two builds of the same data can be compared:
    per table, the row count and an order-independent combination of row hashes."""
    digest = hashlib.sha256()
    for table in TABLES:
        columns = ", ".join(table.column_names)
        (count, combined), = con.execute(
            f"SELECT count(*), coalesce(bit_xor(hash({columns})), 0) FROM {schema}.{table.name}"
        ).fetchall()
        digest.update(f"{table.name}:{count}:{combined}\n".encode())
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
    """Create a new database file at path holding the dataset. path must not exist.

    The file is attached to the dataset's own connection, so the checked text goes
    from its stage tables into typed columns without leaving DuckDB."""
    con = dataset.con
    escaped = str(path).replace("'", "''")
    con.execute(f"ATTACH '{escaped}' AS {_TARGET}")
    try:
        con.execute(f"USE {_TARGET}")
        con.execute(schema_ddl())
        for table in TABLES:
            con.execute(
                f"INSERT INTO {_TARGET}.{table.name} SELECT {typed_select(table)} FROM memory.main.stage_{table.name}"
            )
            if on_table_loaded:
                on_table_loaded(table.name)
        violations = key_violations(con, _TARGET)
        if violations:
            raise RuntimeError("refusing to publish a database whose keys do not hold: " + "; ".join(violations))
        for statement in DERIVED_TABLES.values():
            con.execute(statement)
        (first_year, last_year), = con.execute(
            f"SELECT min(period), max(coalesce(period_end, period)) FROM ("
            f"SELECT period, period_end FROM {_TARGET}.observations UNION ALL SELECT period, period_end FROM {_TARGET}.awards)"
        ).fetchall()
        info = {
            "schema_version": SCHEMA_VERSION,
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "content_sha256": content_digest(con, _TARGET),
            "first_year": "" if first_year is None else str(first_year),
            "last_year": "" if last_year is None else str(last_year),
        }
        con.executemany(f"INSERT INTO {_TARGET}.build_info VALUES (?, ?)", list(info.items()))
        con.execute(f"CHECKPOINT {_TARGET}")
    finally:
        con.execute("USE memory")
        con.execute(f"DETACH {_TARGET}")


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
