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

import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from .decode import DecodeError, decode_to_utf8
from .problems import DataError, Problem
from .reader import LINE, parse_csv_bytes
from .spec import BASES, TABLES, TABLES_BY_NAME, Column, Table

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
    notes: list[str] = field(default_factory=list)  # what was normalised, for the log

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

def read_table(path: Path, file_name: str | None = None) -> tuple[pa.Table | None, str, list[Problem]]:
    """Read one CSV file as bytes, decode it, parse it. Returns (table, encoding, problems)."""
    name = file_name or path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, "", [Problem(name, 0, "", "file is missing")]
    except OSError as error:
        return None, "", [Problem(name, 0, "", f"cannot be read: {error.strerror}")]
    return parse_bytes(raw, name)


def parse_bytes(raw: bytes, name: str) -> tuple[pa.Table | None, str, list[Problem]]:
    try:
        data, encoding = decode_to_utf8(raw, name)
    except DecodeError as error:
        return None, "", [Problem(name, 0, "", str(error).split(": ", 1)[1])]
    del raw
    table, problems = parse_csv_bytes(data, name)
    return table, encoding, problems


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
    """Why a number cell was refused, in words a curator can act on."""
    if value.startswith("-") and _full(DECIMAL, value[1:]):
        return "must not be negative"
    if value.endswith("%"):
        return 'must be a plain number: leave out "%" (the unit comes from indicators.csv)'
    if "," in value or "，" in value:
        return "must be a plain number: leave out the thousands separator"
    if any(mark in value for mark in ("约", "近", "多", "余", "以上", "超过", "≈", ">", "≥")):
        return "must be a plain number: put 约/近/多/余/以上 in the qualifier column (approx, more_than, at_least)"
    if "\n" in value:
        return "is not a number: it holds a line break (Alt+Enter in Excel); keep the number, move the rest to notes"
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in value):
        return "is not a number: it holds an invisible character; delete the cell and type it again"
    if any(unicodedata.category(char) == "No" for char in value):
        return "is not a number: it holds a superscript or circled digit (a footnote mark?); leave it out"
    return "is not a number"


def _full(pattern: str, value: str) -> bool:
    import re

    return re.fullmatch(pattern, value) is not None


def _message(check: str, column: Column, value: str, row: dict | None = None, owners: dict | None = None) -> str:
    """A failed check in words; `row` holds the other cells of the line, for the rules
    that involve them."""
    text = shown(value)
    row = row or {}
    if check == "over_100":
        return f"{value} is over 100, but {row['indicator_id']} is a percent"
    if check == "owner":
        return f'source "{value}" belongs to institution "{(owners or {}).get(value)}", not "{row["institution_id"]}"'
    if check == "before_period":
        return f"{value} is before period {row['period']}"
    if check == "needs_since":
        return "is cumulative, so `since` needs the year it counts from (2020年以来 -> 2020); a running total with no start year is a stock"
    if check == "since_not_cumulative":
        return f'is only for cumulative figures, but basis is "{row.get("basis", "")}"'
    if check == "since_after_period":
        return f"{value} is after period {row['period']} (a cumulative figure's period is the year its total stands at)"
    if check == "span_not_flow":
        return f'is only for a flow over several years; a {row.get("basis", "")} figure has one period (cumulative: put the start year in `since`)'
    if check == "as_of_outside":
        end = row.get("period_end") or row.get("period")
        return f"{value} is outside the figure's period {row['period']}-{end} (the measurement date may fall at most one year after it)"
    if check == "derivation_needs_notes":
        return f'is "{value}": say in notes how the figure was {value} from the evidence'
    if check == "scope_not_total":
        return 'only a total (is_total=true) can cover "or higher" levels (省部级以上)'
    if check == "zero":
        return "is 0; leave out awards the report does not give (missing is not zero)"
    if check == "blank":
        return "is blank; this column is required"
    if check == "slug":
        return f'"{text}" is not an id: use lowercase ASCII letters, digits, "_" or "-"'
    if check == "vocab":
        return f'unknown value "{text}"; use one of: {" | ".join(column.vocab)}'
    if check == "year":
        return f'"{text}" is not a year ({FIRST_YEAR}-{LAST_YEAR}, four digits)'
    if check == "number":
        return f'"{text}" {_hint_number(value)}'
    if check == "integer":
        hint = _hint_number(value)
        return f'"{text}" ' + ("is not a whole number" if hint == "is not a number" else hint)
    if check == "too_large":
        return f'"{text}" is too large to be a {"count" if column.kind == "integer" else "number"}; is it an id or a code pasted into the wrong cell?'
    if check == "date":
        return f'"{text}" is not a date; write YYYY-MM-DD'
    if check == "boolean":
        return f'"{text}" is not true or false'
    if check == "too_long":
        return f"is {len(value)} characters long; the limit is {column.max_length}"
    if check == "unknown":
        return f'unknown {column.referenced_column.removesuffix("_id")} "{text}": not in {column.references}.csv'
    return f'"{text}" fails check {check}'


# --- checks as SQL ---------------------------------------------------------------------

def _regex(cell: str, pattern: str) -> str:
    return f"regexp_full_match({cell}, {_quote(pattern)})"


def _cell_checks(column: Column, parent: str | None) -> list[tuple[str, str]]:
    """(check name, SQL that is true when a filled cell passes), in the order a person
    would name the problem: the first one a cell fails is its problem. A blank cell is
    'blank' when the column is required, and passes otherwise; it meets no other check."""
    cell = _ident(column.name)
    checks: list[tuple[str, str]] = []
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

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    # staging: header, repeated headers, normalisation ------------------------------

    def stage(self, table: Table, data) -> None:
        """Check the header, then copy the rows into stage_<table> with every spec column
        (blank where the file leaves an optional one out) and numbers normalised."""
        file = table.file_name
        self.con.register(f"raw_{table.name}", data)
        columns = [name for name in data.column_names if name != LINE] if isinstance(data, pa.Table) else [
            name for name in data.columns if name != LINE]
        known = set(table.column_names)
        for column in table.columns:
            if not column.optional and column.name not in columns:
                self.problems.append(Problem(file, 1, column.name, "missing column"))
        for name in columns:
            if name not in known:
                self.problems.append(Problem(
                    file, 1, name, f"unknown column; the columns are: {', '.join(table.column_names)}"))
        present = [column for column in table.columns if column.name in columns]
        self.present[table.name] = {column.name for column in present}

        where = "TRUE"
        self.counts[table.name] = data.num_rows if isinstance(data, pa.Table) else len(data)
        if columns:
            repeated = " AND ".join(f"ltrim({_ident(name)}, '\ufeff') = {_quote(name)}" for name in columns[:3])
            for (line,) in self.rows(f"SELECT {LINE} FROM raw_{table.name} WHERE {repeated} ORDER BY {LINE}"):
                self.problems.append(Problem(file, int(line), "", "repeats the header row; remove it (were two files pasted together?)"))
                self.counts[table.name] -= 1
            where = f"NOT ({repeated})"

        select, counted = [LINE], []
        for column in table.columns:
            cell = _ident(column.name)
            if column.name not in self.present[table.name]:
                select.append(f"''::VARCHAR AS {cell}")
                continue
            expression = cell
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
            select.append(f"{expression} AS {cell}")
        if counted:
            # Repeated header rows hold column names, never a full-width digit or a
            # thousands separator, so they need not be left out of the count.
            values = self.rows(f"SELECT {', '.join(sql for _, _, sql in counted)} FROM raw_{table.name}")[0]
            for (name, what, _), count in zip(counted, values):
                if count:
                    self.notes.append(f"{file}: {name}: {count} " + (
                        "full-width cell(s) read as ASCII" if what == "wide" else "thousands separator(s) removed"))
        # A view over the parsed table, not a copy: the normalising CASEs cost little
        # on clean cells, and copying a million rows costs more than re-reading them.
        self.con.execute(f"CREATE OR REPLACE VIEW stage_{table.name} AS SELECT {', '.join(select)} FROM raw_{table.name} WHERE {where}")
        self.kept.append(data)

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
            checks = _cell_checks(column, parent) + rules.get(column.name, [])
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
        for line, name, check, row in found:
            self.problems.append(Problem(table.file_name, line, name, _message(check, table.column(name), row[name], row, owners)))

    def duplicates(self, table: Table) -> None:
        key = list(table.primary_key)
        if not set(key) <= self.present[table.name]:
            return
        columns = ", ".join(_ident(name) for name in key)
        listed = " || ', ' || ".join(f"'{name}=' || s.{_ident(name)}" for name in key)
        label = "+".join(key)
        # Hashes first: grouping a million rows by one number is cheap, and a sound
        # file has no repeated hash at all. Only then compare the keys themselves.
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
            SELECT s.{LINE}, 'duplicate key (' || {listed} || '); first on line ' || r.first
            FROM stage_{table.name} s JOIN repeated r USING ({columns})
            WHERE s.{LINE} <> r.first ORDER BY s.{LINE}
        """)
        file = table.file_name
        self.problems.extend(Problem(file, line, label, message) for line, message in rows)

    def already_loaded(self, table: Table, existing) -> None:
        """Rows whose key is in the warehouse already (uploads only)."""
        key = list(table.primary_key)
        if existing is None or len(existing) == 0 or not set(key) <= self.present[table.name]:
            return
        self.con.register("existing_keys", existing)
        on = " AND ".join(f"s.{_ident(name)} = e.{_ident(name)}" for name in key)
        label = "+".join(key)
        for (line,) in self.rows(f"SELECT DISTINCT s.{LINE} FROM stage_{table.name} s JOIN existing_keys e ON {on} ORDER BY 1"):
            self.problems.append(Problem(table.file_name, int(line), label, "already loaded: this key is in the warehouse"))
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
                rules["source_id"] = [("owner", f"""institution_id = ''
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
        if table.name == "awards":
            rules["count"] = [("zero", "TRY_CAST(count AS BIGINT) <> 0")]
            rules["level_scope"] = [("scope_not_total", "level_scope <> 'or_higher' OR lower(is_total) = 'true'")]
        return rules

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
            self.problems.append(Problem("observations.csv", int(line), "basis", (
                f'{basis}, but {indicator} is comparable and its other figures are {usual} (as on line {usual_line}); '
                "use another indicator for this basis, or set comparable=false in indicators.csv")))

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
        for what, line, totals, total, items in covers:
            if what == "overlap":
                listed = ", ".join(str(number) for number in totals)
                message = (f"lies within the totals on lines {listed}; an award can be part of one total only "
                           "(nested totals such as 省级以上 and 其中国家级: keep the broader one)")
            else:
                message = (f"the total is {total}, but the itemised awards it covers add up to {items}; check both, "
                           "or write in `conflict` how the report contradicts itself")
            self.problems.append(Problem("awards.csv", int(line), "is_total" if what == "over" else "count", message))

    def _owners_of(self, source_ids: list[str]) -> dict[str, str]:
        return dict(self.rows(
            f"SELECT source_id, any_value(institution_id) FROM {self.owners} WHERE list_contains(?, source_id) GROUP BY ALL",
            [source_ids]))


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

def validate_tables(raw: dict, problems: list[Problem] | None = None) -> Dataset:
    """Validate parsed tables (table name -> pyarrow Table or pandas frame of text cells
    plus `_line`, or None when unreadable). Raises DataError with every problem found."""
    checker = _Checker(_connection())
    checker.problems.extend(problems or [])
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
    checker.comparable_bases()
    checker.award_totals()
    if checker.problems:
        checker.con.close()
        raise DataError(checker.problems)
    return Dataset(checker.con, {table.name: checker.counts[table.name] for table in TABLES}, checker.kept, notes=checker.notes)


validate_frames = validate_tables


def validate_dir(data_dir: Path) -> Dataset:
    """Read and validate every table's CSV in data_dir. Raises DataError."""
    raw: dict = {}
    encodings: dict[str, str] = {}
    problems: list[Problem] = []
    # The files are read side by side: Arrow's decoding and parsing release the GIL.
    with ThreadPoolExecutor(max_workers=len(TABLES)) as pool:
        results = list(pool.map(lambda table: read_table(data_dir / table.file_name), TABLES))
    for table, (data, encoding, found) in zip(TABLES, results):
        raw[table.name] = data
        encodings[table.name] = encoding
        problems.extend(found)
    dataset = validate_tables(raw, problems)
    dataset.encodings = encodings
    dataset.notes = [f"{table.file_name}: read as GB18030 (GBK)" for table in TABLES if encodings[table.name] == "gb18030"] + dataset.notes
    return dataset


def check_upload(table_name: str, frame, reference: dict, existing_keys=None):
    """Check rows a curator wants to add to one table, with the same rules as a build.

    reference: text frames of the tables already loaded (at least the parents' id
    columns, indicators' unit and sources' institution_id), against which ids, units
    and source owners are checked; existing_keys: the primary-key columns of rows
    already in this table, as text, so a row that is already loaded is named. Returns
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
        checker.stage(table, frame)
        checker.cells(table)
        checker.duplicates(table)
        checker.comparable_bases()
        checker.award_totals()
        checker.already_loaded(table, existing_keys)
        if checker.problems:
            return None, sorted(checker.problems), checker.notes
        rows = checker.con.execute(f"SELECT {typed_select(table)} FROM stage_{table.name} ORDER BY {LINE}").df()
        return rows, [], checker.notes
    finally:
        checker.con.close()
