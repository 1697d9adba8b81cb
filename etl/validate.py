"""Decode ► parse ► validate: curated CSVs in, checked tables out, or every problem found.

Every cell arrives as text and is checked as text, so one bad cell never hides the
problems in the cells after it. The checks are SQL generated from the declarations in
etl.spec and run by DuckDB over the parsed text, so the vocabularies, keys and
references checked here are the ones the warehouse declares. (The first version ran
pandera over pandas frames: 72,000 rows/s end to end at national scale, against a budget
of 500,000; see docs/benchmarks.md.) Typing happens only when the text is known to be
good, by the same SQL casts the warehouse load uses.
"""
from __future__ import annotations

import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from .ingest import Input, read_input
from .problems import DataError, Note, Problem, note, problem
from .reader import EXCEL_ERRORS, LINE
from .spec import BASES, QUALIFIERS, TABLES, TABLES_BY_NAME, Column, Table

SLUG = r"[a-z0-9][a-z0-9_\-]*"
YEAR = r"[0-9]{4}"
DECIMAL = r"[0-9]+(\.[0-9]+)?"
INTEGER = r"[0-9]+"
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
THOUSANDS = r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?"
FIRST_YEAR, LAST_YEAR = 1949, 2100
NUMERIC_KINDS = ("number", "integer", "year", "date")
# What a Chinese input method types for digits, the decimal point, the thousands comma
# and the minus sign. Only these are folded: NFKC would also turn 10¹ into 101.
FULL_WIDTH, ASCII = "０１２３４５６７８９．，－", "0123456789.,-"
# Invisible characters and odd spaces in key cells (RE2 classes; etl.reader has the same).
INVISIBLE_SQL = "[\\x{200b}-\\x{200f}\\x{2060}-\\x{2064}\\x{feff}\\x{00ad}\\x{180e}]"
ODD_SPACE_SQL = "[\\x{00a0}\\x{1680}\\x{2000}-\\x{200a}\\x{202f}\\x{205f}\\x{3000}]"
# Quote marks of every style and white space: keys equal without them are near-duplicates.
QUOTES = "\"'“”‘’「」『』＂＇〝〞″′`"
FIRST_PUBLISHED = "1949-10-01"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- datasets --------------------------------------------------------------------------

@dataclass
class Dataset:
    """Checked tables, ready to load: one `stage_<table>` view of normalised text per
    table in an in-memory DuckDB connection, which the warehouse load reads from."""

    con: duckdb.DuckDBPyConnection
    counts: dict[str, int]
    kept: list = field(default_factory=list, repr=False)  # what the stage views read
    encodings: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)  # what was read and normalised, for the log

    def row_counts(self) -> dict[str, int]:
        return dict(self.counts)

    @property
    def frames(self) -> dict:
        """Typed pandas frames, in file order (for tests and small data; the load does
        not use them)."""
        return {table.name: self.con.execute(f"SELECT {typed_select(table)} FROM stage_{table.name} ORDER BY {LINE}").df()
                for table in TABLES}


def typed_select(table: Table) -> str:
    """The SELECT list that turns a stage's checked text into the warehouse's types."""
    parts = []
    for column in table.columns:
        cell = _ident(column.name)
        if column.default:
            cell = f"coalesce(nullif({cell}, ''), {_quote(column.default)})"
        if column.kind == "boolean":
            expression = f"CASE lower({cell}) WHEN 'true' THEN true WHEN 'false' THEN false END"
        elif column.kind in ("year", "integer", "number", "date"):
            expression = f"CAST(nullif({cell}, '') AS {column.sql_type})"
        else:
            expression = f"nullif({cell}, '')"
        parts.append(f"{expression} AS {_ident(column.name)}")
    return ", ".join(parts)


# --- reading ---------------------------------------------------------------------------

def read_table(path: Path, file_name: str | None = None, table: str | None = None) -> Input:
    """Read one file (CSV or XLSX) as bytes and parse it (etl.ingest.read_input)."""
    name = file_name or path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Input(None, name, problems=[problem(name, 0, "", "file_missing")])
    except OSError as error:
        return Input(None, name, problems=[problem(name, 0, "", "file_unreadable", reason=error.strerror or "")])
    return read_input(raw, name, table)


def parse_bytes(raw: bytes, name: str) -> tuple[pa.Table | None, str, list[Problem]]:
    read = read_input(raw, name)
    return read.data, read.encoding, read.problems


# --- messages --------------------------------------------------------------------------

def shown(value: str, limit: int = 60) -> str:
    """A cell as a problem line shows it: on one line, invisible characters named."""
    out = []
    for char in value:
        if char == "\n":
            out.append("↵")
        elif unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(f"<U+{ord(char):04X}>")
        else:
            out.append(char)
    text = "".join(out)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _hint_number(value: str) -> str:
    """Why a number cell was refused, as a message key a curator can act on."""
    if value.startswith("-") and _full(DECIMAL, value[1:]):
        return "number_negative"
    if value.endswith("%"):
        return "number_percent"
    if "," in value or "，" in value:
        return "number_thousands"
    if any(mark in value for mark in ("约", "近", "多", "余", "以上", "超过", "≈", ">", "≥")):
        return "number_qualifier"
    if "\n" in value:
        return "number_linebreak"
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in value):
        return "number_invisible"
    if any(unicodedata.category(char) == "No" for char in value):
        return "number_footnote"
    return "number"


def _full(pattern: str, value: str) -> bool:
    import re

    return re.fullmatch(pattern, value) is not None


def _message(check: str, column: Column, value: str, row: dict | None = None, owners: dict | None = None) -> tuple[str, dict]:
    """A failed check as a message key and its values; `row` holds the other cells of
    the line, for the rules that involve them."""
    text = shown(value)
    row = row or {}
    if check == "over_100":
        return "over_100", {"value": value, "indicator": row["indicator_id"]}
    if check == "owner":
        return "owner", {"value": value, "owner": (owners or {}).get(value), "institution": row["institution_id"]}
    if check in ("before_period", "since_after_period"):
        return check, {"value": value, "period": row["period"]}
    if check in ("since_not_cumulative", "span_not_flow"):
        return check, {"basis": row.get("basis", "")}
    if check == "as_of_outside":
        return check, {"value": value, "period": row["period"], "end": row.get("period_end") or row.get("period")}
    if check == "derivation_needs_notes":
        return check, {"value": value}
    if check in ("needs_since", "scope_not_total", "zero", "blank"):
        return check, {}
    if check in ("slug", "date", "boolean", "excel_error"):
        return check, {"text": text, "value": text}
    if check == "vocab":
        return "vocab", {"text": text, "choices": " | ".join(column.vocab)}
    if check == "year":
        return "year", {"text": text, "first": FIRST_YEAR, "last": LAST_YEAR}
    if check == "number":
        return _hint_number(value), {"text": text}
    if check == "integer":
        hint = _hint_number(value)
        return ("integer" if hint == "number" else hint), {"text": text}
    if check == "too_large":
        what = "count" if column.kind == "integer" else "number"
        return "too_large", {"text": text, "what": what, "what_zh": "数量" if what == "count" else "数值"}
    if check == "too_long":
        return "too_long", {"length": len(value), "limit": column.max_length}
    if check == "unknown":
        return "unknown", {"what": column.referenced_column.removesuffix("_id"), "text": text, "parent_file": f"{column.references}.csv"}
    if check == "published":
        day = value[:10]
        if day <= "1900-01-01" or day == "1899-12-30":
            hint = ("Excel's day zero: the cell was empty or 0 when it was formatted as a date", "这是 Excel 的“第 0 天”：设置为日期格式时单元格为空或为 0")
        elif day < FIRST_PUBLISHED:
            hint = ("check the year", "请核对年份")
        else:
            hint = ("a date in the future: check the year (2202 for 2022?)", "这是将来的日期：请核对年份（把 2022 写成了 2202？）")
        return "date_implausible", {"text": text, "hint": hint[0], "hint_zh": hint[1]}
    raise ValueError(f"no message for check {check}")


# --- checks as SQL ---------------------------------------------------------------------

def _regex(cell: str, pattern: str) -> str:
    return f"regexp_full_match({cell}, {_quote(pattern)})"


def _cell_checks(column: Column, parent: str | None, hashes: bool = True) -> list[tuple[str, str]]:
    """(check name, SQL that is true when a filled cell passes), in the order a person
    would name the problem: the first one a cell fails is its problem. A blank cell is
    'blank' when the column is required, and passes otherwise; it meets no other check."""
    cell = _ident(column.name)
    errors = ", ".join(_quote(error) for error in EXCEL_ERRORS)
    # Only a column with a cell starting with '#' can hold an Excel error value.
    checks: list[tuple[str, str]] = [("excel_error", f"NOT starts_with({cell}, '#') OR {cell} NOT IN ({errors})")] if hashes else []
    kind = column.kind
    if kind == "slug":
        checks.append(("slug", _regex(cell, SLUG)))
    elif kind == "vocab":
        checks.append(("vocab", f"{cell} IN ({', '.join(_quote(v) for v in column.vocab)})"))
    elif kind == "year":
        checks.append(("year", _regex(cell, YEAR)))
        checks.append(("year", f"TRY_CAST({cell} AS INTEGER) BETWEEN {FIRST_YEAR} AND {LAST_YEAR}"))
    elif kind == "number":
        checks.append(("number", _regex(cell, DECIMAL)))
        checks.append(("too_large", f"isfinite(TRY_CAST({cell} AS DOUBLE))"))
    elif kind == "integer":
        checks.append(("integer", _regex(cell, INTEGER)))
        checks.append(("too_large", f"TRY_CAST({cell} AS BIGINT) IS NOT NULL"))
    elif kind == "date":
        checks.append(("date", _regex(cell, DATE)))
        checks.append(("date", f"try_strptime({cell}, '%Y-%m-%d') IS NOT NULL"))
    elif kind == "boolean":
        checks.append(("boolean", f"lower({cell}) IN ('true', 'false')"))
    checks.append(("too_long", f"length({cell}) <= {column.max_length}"))
    if parent:
        checks.append(("unknown", f"{cell} IN (SELECT * FROM {parent})"))
    return checks


def _column_verdict(column: Column, checks: list[tuple[str, str]], fast_pass: str, fail, passed) -> str:
    """A CASE over one cell: `passed` when the fast pass holds, else the first check that
    fails gives fail(check name). CASE, not AND/OR: DuckDB evaluates each WHEN only on the
    rows still undecided, where it would evaluate both sides of an AND on every row."""
    cell = _ident(column.name)
    whens = [f"WHEN {fast_pass} THEN {passed}"] if fast_pass != "false" else []
    whens.append(f"WHEN {cell} = '' THEN {fail('blank') if column.required else passed}")
    whens += [f"WHEN NOT coalesce({sql}, false) THEN {fail(name)}" for name, sql in checks]
    return f"CASE {' '.join(whens)} ELSE {passed} END"


def _fast_pass(column: Column, parents: dict[str, str]) -> str:
    """A cheap test that implies every check of the column passes, tried first: a
    vocabulary word, or an id found in its parent table (whose ids were checked)."""
    cell = _ident(column.name)
    if column.vocab:
        return f"{cell} IN ({', '.join(_quote(v) for v in column.vocab)})"
    if column.references and column.references in parents:
        return f"{cell} IN (SELECT * FROM {parents[column.references]})"
    return "false"


class _Checker:
    """Runs the checks of one validation in one in-memory DuckDB connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.present: dict[str, set[str]] = {}
        self.parents: dict[str, str] = {}  # table -> SQL relation of its rows' ids, for references
        self.kept: list = []  # the parsed tables the stage views read
        self.counts: dict[str, int] = {}  # rows per stage
        self.units: str | None = None  # relation of indicators' units, for the percent rule
        self.indicators: str | None = None  # relation of indicators' comparable flags
        self.owners: str | None = None  # relation of sources' institutions, for the owner rule
        self.published: str | None = None  # relation of sources' publication dates
        self.labels: dict[str, str] = {}  # table -> how problems name its file (observations.xlsx[数据])
        self.raw: dict = {}  # table -> the parsed data its stage reads
        self.hashes: dict[str, set[str]] = {}  # table -> columns with a cell starting with '#'
        self.odd_keys: dict[str, set[str]] = {}  # table -> key columns with an invisible or odd space character

    def label(self, table: Table) -> str:
        return self.labels.get(table.name, table.file_name)

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    # staging: header, repeated headers, normalisation ------------------------------

    def stage(self, table: Table, data) -> None:
        """Check the header, then copy the rows into stage_<table> with every spec column
        (blank where the file leaves an optional one out) and numbers normalised."""
        file = self.label(table)
        self.con.register(f"raw_{table.name}", data)
        self.raw[table.name] = data
        columns = [name for name in data.column_names if name != LINE] if isinstance(data, pa.Table) else [
            name for name in data.columns if name != LINE]
        known = set(table.column_names)
        for column in table.columns:
            if not column.optional and column.name not in columns:
                self.problems.append(problem(file, 1, column.name, "missing_column"))
        for name in columns:
            if name not in known:
                self.problems.append(problem(file, 1, name, "unknown_column", columns=", ".join(table.column_names)))
        present = [column for column in table.columns if column.name in columns]
        self.present[table.name] = {column.name for column in present}

        where = "TRUE"
        self.counts[table.name] = data.num_rows if isinstance(data, pa.Table) else len(data)
        if columns:
            repeated = " AND ".join(f"ltrim({_ident(name)}, '\ufeff') = {_quote(name)}" for name in columns[:3])
            for (line,) in self.rows(f"SELECT {LINE} FROM raw_{table.name} WHERE {repeated} ORDER BY {LINE}"):
                self.problems.append(problem(file, int(line), "", "repeated_header"))
                self.counts[table.name] -= 1
            where = f"NOT ({repeated})"

        select, counted = [LINE], []
        keys = set(table.primary_key) | {column.name for column in table.columns if column.references}
        if isinstance(data, pa.Table):
            # Arrow's kernels answer these over the whole column at once; only the columns
            # that need it then pay for a check or a rewrite in every scan of the stage.
            import pyarrow.compute as pc

            self.hashes[table.name] = {name for name in columns
                                       if pc.any(pc.starts_with(data.column(name), "#")).as_py()}
            pattern = f"{INVISIBLE_SQL}|{ODD_SPACE_SQL}"
            keys = {name for name in keys & set(columns)
                    if not pc.all(pc.string_is_ascii(data.column(name))).as_py()
                    and pc.any(pc.match_substring_regex(data.column(name), pattern)).as_py()}
        for column in table.columns:
            cell = _ident(column.name)
            if column.name not in self.present[table.name]:
                select.append(f"''::VARCHAR AS {cell}")
                continue
            expression = cell
            if column.name in keys:
                # Invisible characters and odd spaces in a key make a repeated row look
                # new; they are removed (or made plain spaces) and counted for a note.
                # Only cells with a character beyond ASCII can hold one.
                wide = f"strlen({cell}) <> length({cell})"
                cleaned = (f"trim(regexp_replace(regexp_replace({cell}, {_quote(INVISIBLE_SQL)}, '', 'g'), "
                           f"{_quote(ODD_SPACE_SQL)}, ' ', 'g'))")
                folded = f"CASE WHEN {wide} THEN {cleaned} ELSE {cell} END"
                counted.append((column.name, "invisible", f"count_if(CASE WHEN {wide} THEN {cell} <> {cleaned} ELSE false END)"))
                expression = folded
            if column.kind in NUMERIC_KINDS:
                # Only cells with a character beyond ASCII can hold a full-width one.
                wide = f"strlen({cell}) <> length({cell})"
                folded = f"CASE WHEN {wide} THEN translate({cell}, {_quote(FULL_WIDTH)}, {_quote(ASCII)}) ELSE {cell} END"
                # CASE, not AND: DuckDB evaluates both sides of an AND on every row.
                counted.append((column.name, "wide", f"count_if(CASE WHEN {wide} THEN {cell} <> {folded} ELSE false END)"))
                expression = folded
                if column.kind in ("number", "integer"):
                    grouped = f"CASE WHEN contains({folded}, ',') THEN {_regex(folded, THOUSANDS)} ELSE false END"
                    counted.append((column.name, "grouped", f"count_if({grouped})"))
                    expression = f"CASE WHEN {grouped} THEN replace({folded}, ',', '') ELSE {folded} END"
                folded = expression
            select.append(f"{expression} AS {cell}")
        if counted:
            # Repeated header rows hold column names, never a full-width digit or a
            # thousands separator, so they need not be left out of the count.
            values = self.rows(f"SELECT {', '.join(sql for _, _, sql in counted)} FROM raw_{table.name}")[0]
            for (name, what, _), count in zip(counted, values):
                if count and what == "invisible":
                    chars = self._odd_characters(table, name)
                    self.notes.append(note("key_invisible", file=file, column=name, count=count, chars=chars))
                elif count:
                    self.notes.append(note("full_width" if what == "wide" else "thousands", file=file, column=name, count=count))
        # A view over the parsed table, not a copy: the normalising CASEs cost little
        # on clean cells, and copying a million rows costs more than re-reading them.
        self.con.execute(f"CREATE OR REPLACE VIEW stage_{table.name} AS SELECT {', '.join(select)} FROM raw_{table.name} WHERE {where}")
        self.kept.append(data)

    def _odd_characters(self, table: Table, name: str) -> str:
        cell = _ident(name)
        (found,), = self.rows(f"""SELECT list(DISTINCT c ORDER BY c) FROM (
            SELECT unnest(regexp_extract_all({cell}, '({INVISIBLE_SQL}|{ODD_SPACE_SQL})')) AS c
            FROM raw_{table.name} WHERE strlen({cell}) <> length({cell}))""")
        return " ".join(f"U+{ord(c):04X}" for c in (found or []))

    # checks -------------------------------------------------------------------------

    def cells(self, table: Table) -> None:
        """Every cell against its column's checks and the rules that involve it, in one
        scan; every failing cell is one problem."""
        columns = [column for column in table.columns if column.name in self.present[table.name]]
        if not columns:
            return
        rules = self._row_rules(table)
        verdicts, failing = [], []
        for column in columns:
            parent = self.parents.get(column.references) if column.references else None
            hashes = column.name in self.hashes.get(table.name, {column.name})
            checks = _cell_checks(column, parent, hashes) + rules.get(column.name, [])
            fast = _fast_pass(column, self.parents)
            if column.name == "source_id" and "source_id" in rules:
                # A (source, institution) pair of the sources table passes every check
                # of the cell, the owner rule included.
                fast = f"(source_id, institution_id) IN (SELECT source_id, institution_id FROM {self.owners})"
            elif column.name in rules:
                fast = "false"
            failing.append(_column_verdict(column, checks, fast, lambda name: "true", "false"))
            verdicts.append(_column_verdict(column, checks, "false", _quote, "NULL"))
        names = [column.name for column in columns]
        sql = (f"SELECT {LINE}, [{', '.join(verdicts)}], [{', '.join(_ident(n) for n in names)}] "
               f"FROM stage_{table.name} WHERE {' OR '.join(failing)} ORDER BY {LINE}")
        found = []
        for line, failed, values in self.rows(sql):
            row = dict(zip(names, values))
            found += [(int(line), name, check, row) for name, check in zip(names, failed) if check is not None]
        owners = self._owners_of(sorted({row["source_id"] for _, _, check, row in found if check == "owner"})) \
            if any(check == "owner" for _, _, check, _ in found) else {}
        file = self.label(table)
        for line, name, check, row in found:
            key, values = _message(check, table.column(name), row[name], row, owners)
            self.problems.append(problem(file, line, name, key, **values))

    def duplicates(self, table: Table) -> None:
        key = list(table.primary_key)
        if not set(key) <= self.present[table.name]:
            return
        columns = ", ".join(_ident(name) for name in key)
        listed = " || ', ' || ".join(f"'{name}=' || s.{_ident(name)}" for name in key)
        label = "+".join(key)
        # Hashes first: grouping a million rows by one number is cheap, and a sound
        # file has no repeated hash at all. Only then compare the keys themselves.
        file = self.label(table)
        self.near_duplicates(table)
        (repeats,), = self.rows(
            f"SELECT count(*) FROM (SELECT hash({columns}) AS h FROM stage_{table.name} GROUP BY h HAVING count(*) > 1)")
        if not repeats:
            return
        # Messages are built in SQL: a pasted-twice file can repeat every one of a
        # million rows.
        rows = self.rows(f"""
            WITH repeated AS (
                SELECT {columns}, min({LINE}) AS first FROM stage_{table.name}
                GROUP BY ALL HAVING count(*) > 1
            )
            SELECT s.{LINE}, {listed}, r.first
            FROM stage_{table.name} s JOIN repeated r USING ({columns})
            WHERE s.{LINE} <> r.first ORDER BY s.{LINE}
        """)
        self.problems.extend(
            Problem(file, line, label, f"duplicate key ({listed}); first on line {first}", "duplicate",
                    (("listed", listed), ("first", first)))
            for line, listed, first in rows)

    def near_duplicates(self, table: Table) -> None:
        """Rows whose keys differ only in quote marks, white space or letter case in a text
        column (第七届“互联网+”大赛 and 第七届"互联网+"大赛): one award typed twice."""
        key = list(table.primary_key)
        texts = [name for name in key if table.column(name).kind == "text"]
        if not texts:
            return
        folds = {}
        for name in texts:
            cell = _ident(name)
            folds[name] = (f"lower(regexp_replace({cell}, '[\\s\\x{{3000}}\\x{{00a0}}{QUOTES.replace(chr(39), chr(39) * 2)}]', '', 'g'))")
        # The text columns' distinct values first: near-duplicates need two values that fold alike.
        colliding = False
        for name in texts:
            (found,) = self._fold_collisions(table, name, folds[name])
            colliding = colliding or found > 0
        if not colliding:
            return
        exact = ", ".join(_ident(name) for name in key)
        folded = ", ".join(folds.get(name, _ident(name)) for name in key)
        listed = " || ', ' || ".join(f"'{name}=' || f.{_ident(name)}" for name in key)
        rows = self.rows(f"""
            WITH f AS (SELECT {LINE} AS line, {exact}, hash({folded}) AS fk, hash({exact}) AS h FROM stage_{table.name}),
            g AS (SELECT fk, min(line) AS first, arg_min(h, line) AS first_h FROM f GROUP BY fk HAVING count(DISTINCT h) > 1)
            SELECT f.line, g.first, {listed} FROM f JOIN g USING (fk) WHERE f.h <> g.first_h ORDER BY f.line
        """)
        file, label = self.label(table), "+".join(key)
        for line, first, listed in rows:
            self.problems.append(problem(file, int(line), label, "near_duplicate", first=first, listed=listed,
                                         how="quote marks, white space or letter case", how_zh="引号、空白或大小写"))

    def _fold_collisions(self, table: Table, name: str, fold: str) -> tuple[int]:
        """How many folded values stand for more than one distinct value of the column:
        over Arrow's distinct values of the parsed column when there is one (a few, however
        many rows), else in SQL."""
        data = self.raw.get(table.name)
        if isinstance(data, pa.Table):
            import re

            import pyarrow.compute as pc

            from .reader import INVISIBLE, ODD_SPACE

            strip = re.compile("[\\s" + re.escape(QUOTES) + "]")
            folded: dict[str, set[str]] = {}
            for value in pc.unique(data.column(name)).to_pylist():
                plain = ODD_SPACE.sub(" ", INVISIBLE.sub("", value)).strip()
                folded.setdefault(strip.sub("", plain).lower(), set()).add(plain)
            return (sum(len(values) > 1 for values in folded.values()),)
        (found,), = self.rows(f"""SELECT count(*) FROM (SELECT {fold} AS f FROM
            (SELECT DISTINCT {_ident(name)} FROM stage_{table.name}) GROUP BY f HAVING count(*) > 1)""")
        return (found,)

    def already_loaded(self, table: Table, existing) -> None:
        """Rows whose key is in the warehouse already (uploads only)."""
        key = list(table.primary_key)
        if existing is None or len(existing) == 0 or not set(key) <= self.present[table.name]:
            return
        self.con.register("existing_keys", existing)
        on = " AND ".join(f"s.{_ident(name)} = e.{_ident(name)}" for name in key)
        label = "+".join(key)
        for (line,) in self.rows(f"SELECT DISTINCT s.{LINE} FROM stage_{table.name} s JOIN existing_keys e ON {on} ORDER BY 1"):
            self.problems.append(problem(self.label(table), int(line), label, "already_loaded"))
        self.con.unregister("existing_keys")

    def _row_rules(self, table: Table) -> dict[str, list[tuple[str, str]]]:
        """Rules that look beyond one cell, as further checks of a column: each runs only
        on cells that passed the column's own checks, in the same scan."""
        rules: dict[str, list[tuple[str, str]]] = {}
        if table.name == "observations" and self.units:
            rules["value"] = [("over_100", f"""NOT list_contains(
                (SELECT list(indicator_id) FROM {self.units} WHERE unit = 'percent'), indicator_id)
                OR TRY_CAST(value AS DOUBLE) <= 100""")]
        if table.name in ("observations", "awards"):
            if self.owners:
                rules["source_id"] = [("owner", f"""institution_id = '' OR starts_with(institution_id, '#')
                    OR (source_id, institution_id) IN (SELECT source_id, institution_id FROM {self.owners})""")]
            rules["period_end"] = [("before_period", f"""NOT {_regex('period', YEAR)}
                OR TRY_CAST(period_end AS INTEGER) >= TRY_CAST(period AS INTEGER)""")]
        if table.name == "observations":
            bases = ", ".join(_quote(b) for b in BASES)
            rules["basis"] = [("needs_since", "basis <> 'cumulative' OR since <> ''")]
            rules["since"] = [
                ("since_not_cumulative", f"basis = 'cumulative' OR basis NOT IN ({bases})"),
                ("since_after_period", f"NOT {_regex('period', YEAR)} OR TRY_CAST(since AS INTEGER) <= TRY_CAST(period AS INTEGER)"),
            ]
            rules["period_end"].append(("span_not_flow", f"basis = 'flow' OR basis NOT IN ({bases})"))
            rules["as_of"] = [("as_of_outside", f"""NOT {_regex('period', YEAR)} OR (period_end <> '' AND NOT {_regex('period_end', YEAR)})
                OR year(TRY_CAST(as_of AS DATE)) BETWEEN TRY_CAST(period AS INTEGER)
                    AND coalesce(TRY_CAST(nullif(period_end, '') AS INTEGER), TRY_CAST(period AS INTEGER)) + 1""")]
        if table.name in ("observations", "awards"):
            rules["derivation"] = [("derivation_needs_notes", "notes <> ''")]
        if table.name == "sources":
            rules["published"] = [("published", f"TRY_CAST(published AS DATE) BETWEEN DATE '{FIRST_PUBLISHED}' AND current_date")]
        if table.name == "awards":
            rules["count"] = [("zero", "TRY_CAST(count AS BIGINT) <> 0")]
            rules["level_scope"] = [("scope_not_total", "level_scope <> 'or_higher' OR lower(is_total) = 'true'")]
        return rules

    def plausibility(self) -> None:
        """An actual figure for a period that began after its source was published, and
        a second id for a college whose Chinese name is already taken."""
        if self.published:
            for name in ("observations", "awards"):
                if name not in self.present or not {"period", "source_id"} <= self.present[name]:
                    continue
                actual = "kind = 'actual'" if name == "observations" else "TRUE"
                rows = self.rows(f"""
                    SELECT x.{LINE}, x.period, x.source_id, p.published
                    FROM stage_{name} x JOIN (
                        SELECT source_id, TRY_CAST(published AS DATE) AS published FROM {self.published}
                        WHERE TRY_CAST(published AS DATE) BETWEEN DATE '{FIRST_PUBLISHED}' AND current_date) p USING (source_id)
                    WHERE {actual} AND TRY_CAST(x.period AS INTEGER) > year(p.published)
                    ORDER BY 1""")
                file = self.label(TABLES_BY_NAME[name])
                for line, period, source, published in rows:
                    self.problems.append(problem(file, int(line), "period", "actual_after_published",
                                                 period=period, source=source, published=published.isoformat()))
        if "institutions" in self.present and {"institution_id", "name_zh"} <= self.present["institutions"]:
            alt = "alt_name_zh" in self.present["institutions"]
            names = f"""SELECT {LINE} AS line, institution_id, name_zh AS name, 'name_zh' AS col FROM stage_institutions WHERE name_zh <> ''""" + (
                f" UNION ALL SELECT {LINE}, institution_id, alt_name_zh, 'alt_name_zh' FROM stage_institutions WHERE alt_name_zh <> ''" if alt else "")
            fold = f"regexp_replace(name, '[\\s\\x{{3000}}\\x{{00a0}}{QUOTES.replace(chr(39), chr(39) * 2)}]', '', 'g')"
            rows = self.rows(f"""
                WITH n AS (SELECT line, institution_id, name, col, {fold} AS f FROM ({names})),
                first AS (SELECT f, arg_min(institution_id, line) AS other, min(line) AS first_line FROM n GROUP BY f
                          HAVING count(DISTINCT institution_id) > 1)
                SELECT DISTINCT n.line, n.col, n.name, first.other, first.first_line FROM n JOIN first USING (f)
                WHERE n.institution_id <> first.other ORDER BY 1, 2""")
            file = self.label(TABLES_BY_NAME["institutions"])
            for line, column, name, other, first_line in rows:
                self.problems.append(problem(file, int(line), column, "same_name", name=name, other=other, first=first_line))

    def evidence_values(self) -> None:
        """Each figure is the figure its evidence states (etl.numbers.occurs: full-width
        digits, thousands separators, Chinese numerals, 万/亿 and the qualifier read for
        what they are), unless `derivation` says it was counted, summed or converted.
        SQL settles the plain case (the value written as is, with nothing around it that
        could change it); Python reads the rest, each distinct cell once."""
        from .numbers import find_figures, occurs

        for name, value in (("observations", "value"), ("awards", "count")):
            present = self.present.get(name, set())
            if not {value, "evidence", "qualifier"} <= present:
                continue
            v = _ident(value)
            derived = "derivation = ''" if "derivation" in present else "TRUE"
            # What may stand beside the number without changing it (else Python reads the row).
            letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789０１２３４５６７８９"
            before = letters + ".,+_/第约近超逾于过少多到至之月-~—–．，"
            after = letters + "万亿余多几来等月日+_:：比至到~-—–.,，．"
            words = ("以上", "左右", "上下", "以内", "以下", "有余", "开外")
            ok_before = f"(p = 1 OR NOT contains({_quote(before)}, substr(e, p - 1, 1)))"
            rest = "substr(e, p + length(v), 8)"
            ok_after = (f"(p + length(v) > length(e) OR NOT contains({_quote(after)}, substr(e, p + length(v), 1)))"
                        f" AND NOT regexp_matches({rest}, {_quote('|'.join(words))})")
            # Each distinct (value, evidence, qualifier) is read once: generated and pasted
            # data repeat them, and most builds have none that fails.
            rows = self.rows(f"""
                WITH c AS (
                    SELECT {LINE} AS line, {v} AS v, evidence AS e, qualifier AS q FROM stage_{name}
                    WHERE {derived} AND evidence <> '' AND TRY_CAST({v} AS DOUBLE) IS NOT NULL
                      AND qualifier IN ({", ".join(_quote(q) for q in QUALIFIERS)})
                ),
                d AS (SELECT v, e, q, strpos(e, v) AS p FROM (SELECT v, e, q FROM c GROUP BY ALL)),
                unsure AS (
                    SELECT v, e, q FROM d
                    WHERE NOT coalesce(p > 0 AND CASE q
                        WHEN 'exact' THEN {ok_before} AND {ok_after}
                        WHEN 'approx' THEN p > 1 AND substr(e, p - 1, 1) = '约'
                            AND (p = 2 OR NOT contains('节制预签特邀公违履合条契婚失赴誓', substr(e, p - 2, 1))) AND {ok_after}
                        WHEN 'more_than' THEN p > 2 AND substr(e, p - 2, 2) = '超过'
                            AND (p = 3 OR NOT contains('不未', substr(e, p - 3, 1))) AND {ok_after}
                        WHEN 'at_least' THEN {ok_before} AND substr(e, p + length(v), 2) = '以上'
                        ELSE false END, false)
                )
                SELECT c.line, c.v, c.e, c.q FROM c JOIN unsure USING (v, e, q)
                ORDER BY line""")
            seen: dict[tuple, bool] = {}
            file = self.label(TABLES_BY_NAME[name])
            # A row with a problem in its value, qualifier or evidence already says what is wrong.
            flagged = {p.line for p in self.problems if p.file == file and p.column in (value, "qualifier", "evidence")}
            for line, number, evidence, qualifier in rows:
                if line in flagged:
                    continue
                key = (number, evidence, qualifier)
                if key not in seen:
                    seen[key] = occurs(number, evidence, qualifier or None)
                if seen[key]:
                    continue
                figures = [f"{figure.text.strip()} ({figure.qualifier})" for figure in find_figures(evidence)
                           if figure.kind not in ("year", "ordinal")][:4]
                found = ("; the evidence states " + ", ".join(figures)) if figures else "; the evidence states no figure"
                found_zh = ("；证据中的数字为 " + "、".join(figures)) if figures else "；证据中没有数字"
                self.problems.append(problem(file, int(line), value, "value_not_in_evidence", value=number,
                                             qualifier=qualifier, found=found, found_zh=found_zh))

    def evidence_documents(self, documents: Path | None, sources: str | None = None) -> None:
        """Each evidence excerpt occurs in its source's document (white space ignored),
        where the source names a document and the folder holds it. sources: the relation
        of the sources table (an upload's reference), when it is not staged here."""
        if documents is None:
            return
        if sources is None:
            if "sources" not in self.present or not {"source_id", "document"} <= self.present["sources"]:
                return
            sources = "stage_sources"
        named = self.rows(f"SELECT source_id, document FROM {sources} WHERE coalesce(document, '') <> ''")
        texts, missing = {}, {}
        for source_id, document in named:
            path = documents / document
            if Path(document).name != document or not path.is_file():
                missing.setdefault(document, []).append(source_id)
                continue
            texts[source_id] = _squeeze(_document_text(path))
        checked = []
        for name in ("observations", "awards"):
            if {"source_id", "evidence"} <= self.present.get(name, set()):
                checked.append(name)
        if texts and checked:
            self.con.register("documents_text", pa.table({"source_id": list(texts), "text": list(texts.values())}))
            space = "[\\s\\x{3000}\\x{00a0}]"
            for name in checked:
                rows = self.rows(f"""
                    SELECT x.{LINE}, x.source_id FROM stage_{name} x JOIN documents_text d USING (source_id)
                    WHERE x.evidence <> '' AND NOT contains(d.text, regexp_replace(x.evidence, {_quote(space)}, '', 'g'))
                    ORDER BY 1""")
                file = self.label(TABLES_BY_NAME[name])
                documents_of = dict(named)
                flagged = {p.line for p in self.problems if p.file == file and p.column == "evidence"}
                for line, source_id in rows:
                    if line in flagged:
                        continue
                    self.problems.append(problem(file, int(line), "evidence", "evidence_not_in_document",
                                                 document=documents_of[source_id]))
            self.con.unregister("documents_text")
        for document, sources in sorted(missing.items()):
            count = 0
            for name in checked:
                (n,), = self.rows(f"SELECT count(*) FROM stage_{name} WHERE list_contains(?, source_id)", [sources])
                count += n
            if count:
                self.notes.append(note("evidence_unchecked", count=count, sources=", ".join(sources), document=document,
                                       folder=str(documents)))

    def comparable_bases(self) -> None:
        """A comparable indicator's figures all measure on one basis: a flow beside a stock
        would be drawn as like for like. Names each row that differs from the indicator's
        most common basis."""
        if not self.indicators or "observations" not in self.present:
            return
        bases = ", ".join(_quote(b) for b in BASES)
        rows = self.rows(f"""
            WITH obs AS (
                SELECT {LINE} AS line, indicator_id, basis FROM stage_observations
                WHERE basis IN ({bases}) AND indicator_id IN (
                    SELECT indicator_id FROM {self.indicators}
                    WHERE lower(coalesce(nullif(comparable, ''), 'true')) = 'true')
            ),
            counts AS (SELECT indicator_id, basis, count(*) AS n, min(line) AS first FROM obs GROUP BY ALL),
            mixed AS (
                SELECT indicator_id, arg_max(basis, n * 1000000000 - first) AS usual,
                       arg_max(first, n * 1000000000 - first) AS usual_line
                FROM counts GROUP BY indicator_id HAVING count(*) > 1
            )
            SELECT o.line, o.indicator_id, o.basis, m.usual, m.usual_line
            FROM obs o JOIN mixed m USING (indicator_id) WHERE o.basis <> m.usual ORDER BY o.line
        """)
        for line, indicator, basis, usual, usual_line in rows:
            self.problems.append(problem(self.label(TABLES_BY_NAME["observations"]), int(line), "basis", "mixed_basis",
                                         basis=basis, indicator=indicator, usual=usual, usual_line=usual_line))

    def loaded_bases(self, loaded) -> None:
        """Staged figures of a comparable indicator whose basis differs from the one its
        figures in the warehouse share (a build enforces one basis per such indicator)."""
        if (not self.indicators or "basis" not in self.present.get("observations", ())
                or loaded is None or loaded.empty):
            return
        self.con.register("loaded_bases", loaded[["indicator_id", "basis"]].astype(str))
        rows = self.rows(f"""
            WITH usual AS (SELECT indicator_id, mode(basis) AS usual FROM loaded_bases GROUP BY indicator_id)
            SELECT s.{LINE}, s.indicator_id, s.basis, u.usual
            FROM stage_observations s JOIN usual u USING (indicator_id)
            WHERE s.basis IS NOT NULL AND s.basis <> u.usual AND s.indicator_id IN (
                SELECT indicator_id FROM {self.indicators}
                WHERE lower(coalesce(nullif(comparable, ''), 'true')) = 'true')
            ORDER BY 1
        """)
        for line, indicator, basis, usual in rows:
            self.problems.append(problem(self.label(TABLES_BY_NAME["observations"]), int(line), "basis", "loaded_basis",
                                         basis=basis, indicator=indicator, usual=usual))

    def award_totals(self) -> None:
        """A total covers the itemised rows of the same institution, category, recipient and
        unit whose level and years lie within its own. Those items are part of the total, so
        they may not add up to more than it (unless a conflict note says the report disagrees
        with itself), and no item may sit in two totals."""
        if "awards" not in self.present:
            return
        covers = self.rows(f"""
            WITH {AWARD_COVER_SQL.format(awards="stage_awards", line=LINE)}
            SELECT 'overlap', i.line, list(t.line ORDER BY t.line), NULL, NULL
            FROM cover c JOIN totals t ON t.line = c.total_line JOIN items i ON i.line = c.item_line
            GROUP BY i.line HAVING count(*) > 1
            UNION ALL
            SELECT 'over', t.line, NULL, t.count, sum(i.count)::BIGINT
            FROM cover c JOIN totals t ON t.line = c.total_line JOIN items i ON i.line = c.item_line
            WHERE t.conflict = '' GROUP BY t.line, t.count HAVING sum(i.count) > t.count
            ORDER BY 2
        """)
        file = self.label(TABLES_BY_NAME["awards"])
        for what, line, totals, total, items in covers:
            if what == "overlap":
                self.problems.append(problem(file, int(line), "count", "award_overlap",
                                             lines=", ".join(str(number) for number in totals)))
            else:
                self.problems.append(problem(file, int(line), "is_total", "award_over", total=total, items=items))

    def _owners_of(self, source_ids: list[str]) -> dict[str, str]:
        return dict(self.rows(
            f"SELECT source_id, any_value(institution_id) FROM {self.owners} WHERE list_contains(?, source_id) GROUP BY ALL",
            [source_ids]))


_SPACE = re.compile("[\\s\u3000\u00a0]+")


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def _document_text(path: Path) -> str:
    """A source document's text: .txt (UTF-8 or GB18030), or what the extractor reads
    from .docx and .pdf."""
    raw = path.read_bytes()
    if path.suffix.lower() in (".docx", ".pdf"):
        from .extract.readers import read_lines

        return "\n".join(read_lines(raw, path.name))
    from .decode import decode_bytes

    return decode_bytes(raw, path.name)[0]


# Which itemised awards each total covers, over text cells or typed columns alike (the
# warehouse's award_counted uses it too). {awards}: the relation; {line}: its row-number column.
LEVEL_RANK = "CASE level WHEN 'school' THEN 1 WHEN 'municipal' THEN 2 WHEN 'provincial' THEN 3 WHEN 'national' THEN 4 WHEN 'international' THEN 5 END"
AWARD_COVER_SQL = """
    awards_read AS (
        SELECT {line} AS line, institution_id, category, recipient, unit, level,
               """ + LEVEL_RANK + """ AS level_rank,
               coalesce(nullif(CAST(level_scope AS VARCHAR), ''), 'exact') AS level_scope,
               lower(coalesce(nullif(CAST(is_total AS VARCHAR), ''), 'false')) = 'true' AS is_total,
               TRY_CAST(period AS INTEGER) AS first_year,
               coalesce(TRY_CAST(nullif(CAST(period_end AS VARCHAR), '') AS INTEGER), TRY_CAST(period AS INTEGER)) AS last_year,
               TRY_CAST(count AS BIGINT) AS count, coalesce(CAST(conflict AS VARCHAR), '') AS conflict
        FROM {awards}
    ),
    totals AS (SELECT * FROM awards_read WHERE is_total),
    items AS (SELECT * FROM awards_read WHERE NOT is_total),
    cover AS (
        SELECT t.line AS total_line, i.line AS item_line
        FROM totals t JOIN items i
          ON i.institution_id = t.institution_id AND i.category = t.category
         AND i.recipient = t.recipient AND i.unit = t.unit
         AND i.first_year >= t.first_year AND i.last_year <= t.last_year
         AND (i.level_rank = t.level_rank OR (t.level_scope = 'or_higher' AND i.level_rank > t.level_rank))
    )"""


def _id_relation(table: Table, relation: str) -> str:
    key = _ident(table.primary_key[0])
    return f"(SELECT {key} FROM {relation} WHERE {key} <> '')"


def _connection(*, sandboxed: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory connection for one validation. Sandboxed (an upload from the web
    page): no files, no spilling to disk, settings locked. A build's connection keeps
    file access, since the new warehouse is attached to it."""
    con = duckdb.connect(":memory:")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    if sandboxed:
        con.execute("SET temp_directory = ''")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    return con


# --- entry points ----------------------------------------------------------------------

def validate_tables(raw: dict, problems: list[Problem] | None = None, *, labels: dict[str, str] | None = None,
                    documents: Path | None = None, notes: list[Note] | None = None) -> Dataset:
    """Validate parsed tables (table name -> pyarrow Table or pandas frame of text cells
    plus `_line`, or None when unreadable). labels: how problems name each table's file;
    documents: the folder of the sources' documents, for the evidence check. Raises
    DataError with every problem found."""
    checker = _Checker(_connection())
    checker.problems.extend(problems or [])
    checker.notes.extend(notes or [])
    checker.labels.update(labels or {})
    for table in TABLES:  # parents first: a child's checks read its parents' stages
        data = raw.get(table.name)
        if data is None:
            continue
        checker.stage(table, data)
        checker.cells(table)
        checker.duplicates(table)
        present = checker.present[table.name]
        if len(table.primary_key) == 1 and table.primary_key[0] in present:
            checker.parents[table.name] = _id_relation(table, f"stage_{table.name}")
        if table.name == "indicators" and {"indicator_id", "unit"} <= present:
            checker.units = "stage_indicators"
        if table.name == "indicators" and "indicator_id" in present:
            checker.indicators = "stage_indicators"
        if table.name == "sources" and {"source_id", "institution_id"} <= present:
            checker.owners = "stage_sources"
        if table.name == "sources" and {"source_id", "published"} <= present:
            checker.published = "stage_sources"
    checker.comparable_bases()
    checker.award_totals()
    checker.plausibility()
    checker.evidence_values()
    checker.evidence_documents(documents)
    if checker.problems:
        checker.con.close()
        raise DataError(checker.problems)
    return Dataset(checker.con, {table.name: checker.counts[table.name] for table in TABLES}, checker.kept, notes=checker.notes)


validate_frames = validate_tables


def table_path(data_dir: Path, table: Table) -> tuple[Path, list[Problem]]:
    """A table's file in data_dir: <table>.csv, or <table>.xlsx kept as a workbook."""
    csv_path, xlsx_path = data_dir / table.file_name, data_dir / f"{table.name}.xlsx"
    if xlsx_path.exists() and csv_path.exists():
        return csv_path, [problem(table.file_name, 0, "", "file_twice", csv=csv_path.name, xlsx=xlsx_path.name)]
    return (xlsx_path if xlsx_path.exists() else csv_path), []


def validate_dir(data_dir: Path, documents: Path | None = None) -> Dataset:
    """Read and validate every table's file in data_dir (CSV or XLSX), and each figure's
    evidence against the documents in `documents`. Raises DataError."""
    raw: dict = {}
    encodings: dict[str, str] = {}
    labels: dict[str, str] = {}
    problems: list[Problem] = []
    notes: list[Note] = []
    paths = []
    for table in TABLES:
        path, found = table_path(data_dir, table)
        paths.append(path)
        problems.extend(found)
    # The files are read side by side: Arrow's decoding and parsing release the GIL.
    with ThreadPoolExecutor(max_workers=len(TABLES)) as pool:
        results = list(pool.map(lambda pair: read_table(pair[1], table=pair[0].name), zip(TABLES, paths)))
    for table, read in zip(TABLES, results):
        raw[table.name] = read.data
        encodings[table.name] = read.encoding
        labels[table.name] = read.label
        problems.extend(read.problems)
        notes.extend(read.notes)
    dataset = validate_tables(raw, problems, labels=labels, documents=documents, notes=notes)
    dataset.encodings = encodings
    return dataset


def check_upload(table_name: str, frame, reference: dict, existing_keys=None, label: str | None = None,
                 documents: Path | None = None, loaded_bases=None):
    """Check rows a curator wants to add to one table, with the same rules as a build.

    reference: text frames of the tables already loaded (at least the parents' id
    columns, indicators' unit and sources' institution_id), against which ids, units
    and source owners are checked; existing_keys: the primary-key columns of rows
    already in this table, as text, so a row that is already loaded is named. With
    sources' `published` and `document` in the reference and a documents folder, the
    plausibility and document checks of a build run too. Returns
    (typed rows ready to add as a pandas frame, or None; problems; notes). Nothing is
    written anywhere.
    """
    table = TABLES_BY_NAME[table_name]
    checker = _Checker(_connection(sandboxed=True))
    try:
        relations = {}
        for name, other in reference.items():
            if name == table_name:
                continue
            checker.con.register(f"ref_{name}", other)
            relations[name] = f"ref_{name}"
            key = TABLES_BY_NAME[name].primary_key[0]
            if key in other.columns:
                checker.parents[name] = _id_relation(TABLES_BY_NAME[name], f"ref_{name}")
        if "unit" in getattr(reference.get("indicators"), "columns", []) and "indicators" in relations:
            checker.units = relations["indicators"]
        if "institution_id" in getattr(reference.get("sources"), "columns", []) and "sources" in relations:
            checker.owners = relations["sources"]
        if "comparable" in getattr(reference.get("indicators"), "columns", []) and "indicators" in relations:
            checker.indicators = relations["indicators"]
        source_columns = getattr(reference.get("sources"), "columns", [])
        if "published" in source_columns and "sources" in relations:
            checker.published = relations["sources"]
        if label:
            checker.labels[table.name] = label
        checker.stage(table, frame)
        checker.cells(table)
        checker.duplicates(table)
        checker.comparable_bases()
        if loaded_bases is not None and table_name == "observations":
            checker.loaded_bases(loaded_bases)
        checker.award_totals()
        checker.plausibility()
        checker.evidence_values()
        if table_name == "sources":
            checker.evidence_documents(documents)
        elif "document" in source_columns and "sources" in relations:
            checker.evidence_documents(documents, relations["sources"])
        checker.already_loaded(table, existing_keys)
        if checker.problems:
            return None, sorted(checker.problems), checker.notes
        rows = checker.con.execute(f"SELECT {typed_select(table)} FROM stage_{table.name} ORDER BY {LINE}").df()
        return rows, [], checker.notes
    finally:
        checker.con.close()
