"""Decode ► parse ► validate: curated CSVs in, typed frames out, or every problem found.

The checks are pandera schemas generated from etl.spec. Every cell arrives as text and is
checked as text, so one bad cell never hides the problems in the cells after it; typing
happens only once the text is known to be good.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .decode import DecodeError, decode_bytes
from .problems import DataError, Problem
from .reader import LINE, parse_csv
from .spec import TABLES, TABLES_BY_NAME, Column, Table

SLUG = re.compile(r"[a-z0-9][a-z0-9_\-]*")
YEAR = re.compile(r"[0-9]{4}")
DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
INTEGER = re.compile(r"[0-9]+")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
BOOLEAN = {"true", "false"}
FIRST_YEAR, LAST_YEAR = 1949, 2100


@dataclass
class Dataset:
    """Validated, typed tables ready to load, keyed by table name."""

    frames: dict[str, pd.DataFrame]
    encodings: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was normalised, for the log

    def row_counts(self) -> dict[str, int]:
        return {name: len(frame) for name, frame in self.frames.items()}


# --- reading ---------------------------------------------------------------------------

def read_table(path: Path, file_name: str | None = None) -> tuple[pd.DataFrame | None, str, list[Problem]]:
    """Read one CSV file as bytes, decode it, parse it. Returns (frame, encoding, problems)."""
    name = file_name or path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, "", [Problem(name, 0, "", "file is missing")]
    except OSError as error:
        return None, "", [Problem(name, 0, "", f"cannot be read: {error.strerror}")]
    return parse_bytes(raw, name)


def parse_bytes(raw: bytes, name: str) -> tuple[pd.DataFrame | None, str, list[Problem]]:
    try:
        text, encoding = decode_bytes(raw, name)
    except DecodeError as error:
        return None, "", [Problem(name, 0, "", str(error).split(": ", 1)[1])]
    frame, problems = parse_csv(text, name)
    return frame, encoding, problems


# --- normalisation ---------------------------------------------------------------------

_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
NUMERIC_KINDS = ("number", "integer", "year", "date")


def normalise(table: Table, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Rewrite number cells that Excel and Chinese input methods commonly produce into
    plain ASCII numbers: full-width digits (９６．０８ → 96.08) and thousands separators
    (24,603 → 24603). Nothing else is guessed: '96.08%', '约400' and '四' stay and are
    refused by the checks. Returns the frame and a note per kind of rewrite."""
    notes = []
    frame = frame.copy()
    for column in table.columns:
        if column.kind not in NUMERIC_KINDS or column.name not in frame.columns:
            continue
        cells = frame[column.name]
        wide = ~cells.str.isascii()
        if wide.any():
            folded = cells[wide].map(lambda cell: unicodedata.normalize("NFKC", cell))
            changed = folded.ne(cells[wide])
            if changed.any():
                frame.loc[folded.index[changed], column.name] = folded[changed]
                notes.append(f"{table.file_name}: {column.name}: {int(changed.sum())} full-width cell(s) read as ASCII")
            cells = frame[column.name]
        if column.kind in ("number", "integer"):
            grouped = cells.str.contains(",", regex=False) & cells.str.fullmatch(_THOUSANDS)
            if grouped.any():
                frame.loc[grouped, column.name] = cells[grouped].str.replace(",", "", regex=False)
                notes.append(f"{table.file_name}: {column.name}: {int(grouped.sum())} thousands separator(s) removed")
    return frame, notes


def _repeated_headers(table: Table, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows that repeat the header (two files pasted together). Reported once, then left
    out of the cell checks so they do not also show as a dozen bad cells."""
    names = [name for name in frame.columns if name != LINE]
    if not names or frame.empty:
        return frame, []
    repeats = pd.Series(True, index=frame.index)
    for name in names[:3]:
        repeats &= frame[name].str.lstrip("\ufeff").eq(name)
    if not repeats.any():
        return frame, []
    problems = [
        Problem(table.file_name, int(line), "", "repeats the header row; remove it (were two files pasted together?)")
        for line in frame.loc[repeats, LINE]
    ]
    return frame.loc[~repeats], problems


# --- cell checks -----------------------------------------------------------------------

def _hint_number(value: str) -> str:
    """Why a number cell was refused, in words a curator can act on."""
    if value.startswith("-") and DECIMAL.fullmatch(value[1:]):
        return "must not be negative"
    if unicodedata.normalize("NFKC", value) != value and DECIMAL.fullmatch(unicodedata.normalize("NFKC", value)):
        return "is written with full-width digits; type them as ASCII digits"
    if value.endswith("%"):
        return 'must be a plain number: leave out "%" (the unit comes from indicators.csv)'
    if "," in value or "，" in value:
        return "must be a plain number: leave out the thousands separator"
    if any(mark in value for mark in ("约", "近", "多", "余", "以上", "超过", "≈", ">", "≥")):
        return "must be a plain number: put 约/近/多/余/以上 in the qualifier column (approx, more_than, at_least)"
    return "is not a number"


def _cell_checks(column: Column) -> list[pa.Check]:
    """Checks on a column's text. Blank cells pass every check but 'blank'."""
    checks: list[pa.Check] = []
    if column.required:
        checks.append(pa.Check(lambda s: s.ne(""), error="blank"))

    def passes_when_blank(test):
        return lambda s: s.eq("") | test(s)

    kind = column.kind
    if kind == "slug":
        checks.append(pa.Check(passes_when_blank(lambda s: s.str.fullmatch(SLUG)), error="slug"))
    elif kind == "vocab":
        allowed = set(column.vocab)
        checks.append(pa.Check(passes_when_blank(lambda s: s.isin(allowed)), error="vocab"))
    elif kind == "year":
        checks.append(pa.Check(passes_when_blank(_is_year), error="year"))
    elif kind == "number":
        checks.append(pa.Check(passes_when_blank(lambda s: s.str.fullmatch(DECIMAL)), error="number"))
    elif kind == "integer":
        checks.append(pa.Check(passes_when_blank(lambda s: s.str.fullmatch(INTEGER)), error="integer"))
    elif kind == "date":
        checks.append(pa.Check(passes_when_blank(_is_date), error="date"))
    elif kind == "boolean":
        checks.append(pa.Check(passes_when_blank(lambda s: s.str.lower().isin(BOOLEAN)), error="boolean"))
    limit = column.max_length
    checks.append(pa.Check(lambda s: s.str.len().le(limit), error=f"too_long:{limit}"))
    return checks


def _is_year(cells: pd.Series) -> pd.Series:
    shaped = cells.str.fullmatch(YEAR)
    years = pd.to_numeric(cells.where(shaped), errors="coerce")
    return shaped & years.between(FIRST_YEAR, LAST_YEAR)


def _is_date(cells: pd.Series) -> pd.Series:
    shaped = cells.str.fullmatch(DATE)
    return shaped & pd.to_datetime(cells.where(shaped), format="%Y-%m-%d", errors="coerce").notna()


def _message(check: str, column: Column | None, value: str) -> str:
    shown = value if len(value) <= 60 else value[:57] + "..."
    if check == "blank":
        return "is blank; this column is required"
    if check == "slug":
        return f'"{shown}" is not an id: use lowercase ASCII letters, digits, "_" or "-"'
    if check == "vocab":
        return f'unknown value "{shown}"; use one of: {" | ".join(column.vocab)}'
    if check == "year":
        return f'"{shown}" is not a year ({FIRST_YEAR}-{LAST_YEAR}, four digits)'
    if check == "number":
        return f'"{shown}" {_hint_number(value)}'
    if check == "integer":
        hint = _hint_number(value)
        return f'"{shown}" ' + ("is not a whole number" if hint == "is not a number" else hint)
    if check == "date":
        return f'"{shown}" is not a date; write YYYY-MM-DD'
    if check == "boolean":
        return f'"{shown}" is not true or false'
    if check.startswith("too_long:"):
        return f"is {len(value)} characters long; the limit is {check.split(':', 1)[1]}"
    return f'"{shown}" fails check {check}'


# --- per-table validation --------------------------------------------------------------

def _header_problems(table: Table, frame: pd.DataFrame) -> list[Problem]:
    """Missing and unknown columns, by pandera's strict schema."""
    schema = pa.DataFrameSchema(
        {column.name: pa.Column(str, required=not column.optional) for column in table.columns}
        | {LINE: pa.Column(int)},
        strict=True,
    )
    try:
        schema.validate(frame.head(0), lazy=True)
    except SchemaErrors as errors:
        problems = []
        for case in errors.failure_cases.itertuples():
            if case.check == "column_in_dataframe":
                problems.append(Problem(table.file_name, 1, str(case.failure_case), "missing column"))
            elif case.check == "column_in_schema":
                problems.append(Problem(
                    table.file_name, 1, str(case.failure_case),
                    f"unknown column; the columns are: {', '.join(table.column_names)}",
                ))
        return problems
    return []


def _cell_problems(table: Table, frame: pd.DataFrame, parents: dict[str, set[str]]) -> list[Problem]:
    columns: dict[str, pa.Column] = {}
    for column in table.columns:
        if column.name not in frame.columns:
            continue
        checks = _cell_checks(column)
        if column.references and column.references in parents:
            known = parents[column.references]
            checks.append(pa.Check(lambda s, known=known: s.eq("") | s.isin(known), error=f"unknown:{column.references}"))
        columns[column.name] = pa.Column(str, checks=checks)
    schema = pa.DataFrameSchema(columns)
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        return _to_problems(table, frame, errors.failure_cases)
    return []


def _to_problems(table: Table, frame: pd.DataFrame, cases: pd.DataFrame) -> list[Problem]:
    problems = []
    lines = frame[LINE]
    for case in cases.itertuples():
        if case.index is None or pd.isna(case.index):
            continue
        line = int(lines.iloc[int(case.index)])
        column = table.column(case.column)
        check = str(case.check)
        value = str(case.failure_case)
        if check.startswith("unknown:"):
            parent = check.split(":", 1)[1]
            message = f'unknown {column.name.removesuffix("_id")} "{value}": not in {parent}.csv'
        else:
            message = _message(check, column, value)
        problems.append(Problem(table.file_name, line, column.name, message))
    return problems


def _duplicate_problems(table: Table, frame: pd.DataFrame) -> list[Problem]:
    key = list(table.primary_key)
    if not set(key) <= set(frame.columns):
        return []
    duplicated = frame.duplicated(subset=key, keep=False)
    if not duplicated.any():
        return []
    first_line = frame.loc[duplicated].groupby(key, sort=False)[LINE].transform("min")
    problems = []
    for index, first in first_line.items():
        line = int(frame.at[index, LINE])
        if line == first:
            continue
        shown = ", ".join(f"{name}={frame.at[index, name]}" for name in key)
        problems.append(Problem(
            table.file_name, line, "+".join(key) if len(key) > 1 else key[0],
            f"duplicate key ({shown}); first on line {first}",
        ))
    return problems


# --- rules across tables ---------------------------------------------------------------

def _rule_problems(raw: dict[str, pd.DataFrame]) -> list[Problem]:
    problems: list[Problem] = []
    indicators = raw.get("indicators")
    sources = raw.get("sources")
    observations = raw.get("observations")
    awards = raw.get("awards")

    if observations is not None and indicators is not None and {"indicator_id", "unit"} <= set(indicators.columns):
        units = indicators.drop_duplicates("indicator_id").set_index("indicator_id")["unit"]
        if {"indicator_id", "value"} <= set(observations.columns):
            unit = observations["indicator_id"].map(units)
            numeric = pd.to_numeric(observations["value"].where(observations["value"].str.fullmatch(DECIMAL)), errors="coerce")
            over = unit.eq("percent") & numeric.gt(100)
            for _, row in observations.loc[over].iterrows():
                problems.append(Problem(
                    "observations.csv", int(row[LINE]), "value",
                    f'{row["value"]} is over 100, but {row["indicator_id"]} is a percent',
                ))

    if sources is not None and {"source_id", "institution_id"} <= set(sources.columns):
        owner = sources.drop_duplicates("source_id").set_index("source_id")["institution_id"]
        for name, frame in (("observations", observations), ("awards", awards)):
            if frame is None or not {"source_id", "institution_id"} <= set(frame.columns):
                continue
            source_owner = frame["source_id"].map(owner)
            wrong = source_owner.notna() & frame["institution_id"].ne(source_owner) & frame["institution_id"].ne("")
            for index in frame.index[wrong]:
                problems.append(Problem(
                    f"{name}.csv", int(frame.at[index, LINE]), "source_id",
                    f'source "{frame.at[index, "source_id"]}" belongs to institution '
                    f'"{source_owner[index]}", not "{frame.at[index, "institution_id"]}"',
                ))

    if observations is not None and {"period", "period_end"} <= set(observations.columns):
        start = pd.to_numeric(observations["period"].where(observations["period"].str.fullmatch(YEAR)), errors="coerce")
        end = pd.to_numeric(observations["period_end"].where(observations["period_end"].str.fullmatch(YEAR)), errors="coerce")
        for index in observations.index[end.notna() & start.notna() & end.lt(start)]:
            problems.append(Problem(
                "observations.csv", int(observations.at[index, LINE]), "period_end",
                f"{observations.at[index, 'period_end']} is before period {observations.at[index, 'period']}",
            ))

    if awards is not None and "count" in awards.columns:
        for index in awards.index[awards["count"].eq("0")]:
            problems.append(Problem(
                "awards.csv", int(awards.at[index, LINE]), "count",
                "is 0; leave out awards the report does not give (missing is not zero)",
            ))
    return problems


# --- typing ----------------------------------------------------------------------------

def _typed(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for column in table.columns:
        cells = frame[column.name] if column.name in frame.columns else pd.Series("", index=frame.index)
        if column.default:
            cells = cells.mask(cells.eq(""), column.default)
        blank = cells.eq("")
        if column.kind in ("year", "integer"):
            out[column.name] = pd.to_numeric(cells.mask(blank), errors="raise").astype("Int64")
        elif column.kind == "number":
            out[column.name] = pd.to_numeric(cells.mask(blank), errors="raise").astype("float64")
        elif column.kind == "date":
            out[column.name] = pd.to_datetime(cells.mask(blank), format="%Y-%m-%d").dt.date
        elif column.kind == "boolean":
            out[column.name] = cells.str.lower().map({"true": True, "false": False}).astype("boolean")
        else:
            out[column.name] = cells.mask(blank).astype("string")
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


# --- entry points ----------------------------------------------------------------------

def validate_frames(raw: dict[str, pd.DataFrame | None], problems: list[Problem] | None = None) -> Dataset:
    """Validate parsed frames (table name -> frame of text cells). Raises DataError."""
    problems = list(problems or [])
    parents: dict[str, set[str]] = {}
    usable: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    raw = dict(raw)
    for table in TABLES:
        frame = raw.get(table.name)
        if frame is None:
            continue
        frame, repeated = _repeated_headers(table, frame)
        problems.extend(repeated)
        frame, normalised = normalise(table, frame)
        notes.extend(normalised)
        raw[table.name] = frame
        header = _header_problems(table, frame)
        problems.extend(header)
        usable[table.name] = frame
        problems.extend(_cell_problems(table, frame, parents))
        problems.extend(_duplicate_problems(table, frame))
        key = table.primary_key[0]
        if len(table.primary_key) == 1 and key in frame.columns:
            parents[table.name] = set(frame[key]) - {""}
    problems.extend(_rule_problems(usable))
    if problems:
        raise DataError(problems)
    return Dataset({table.name: _typed(table, raw[table.name]) for table in TABLES}, notes=notes)


def check_upload(
    table_name: str,
    frame: pd.DataFrame,
    reference: dict[str, pd.DataFrame],
    existing_keys: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame | None, list[Problem], list[str]]:
    """Check rows a curator wants to add to one table, with the same rules as a build.

    reference: text frames of the tables already loaded (at least the parents' id
    columns, indicators' unit and sources' institution_id), against which ids, units
    and source owners are checked; existing_keys: the primary-key columns of rows
    already in this table, so a row that is already loaded is named. Returns (typed
    rows ready to add, or None; problems; notes). Nothing is written anywhere.
    """
    table = TABLES_BY_NAME[table_name]
    frame, problems = _repeated_headers(table, frame)
    frame, notes = normalise(table, frame)
    header = _header_problems(table, frame)
    problems += header
    parents = {name: set(other[TABLES_BY_NAME[name].primary_key[0]]) for name, other in reference.items()
               if name != table_name and TABLES_BY_NAME[name].primary_key[0] in other.columns}
    problems += _cell_problems(table, frame, parents)
    problems += _duplicate_problems(table, frame)
    key = list(table.primary_key)
    if existing_keys is not None and not existing_keys.empty and set(key) <= set(frame.columns):
        known = set(map(tuple, existing_keys[key].astype(str).to_numpy().tolist()))
        for index, row_key in zip(frame.index, frame[key].to_numpy().tolist()):
            if tuple(row_key) in known:
                problems.append(Problem(table.file_name, int(frame.at[index, LINE]), "+".join(key) if len(key) > 1 else key[0], "already loaded: this key is in the warehouse"))
    context = {name: other.assign(**{LINE: 0}) for name, other in reference.items() if name != table_name}
    context[table_name] = frame
    problems += [p for p in _rule_problems(context) if p.file == table.file_name and p.line > 0]
    if problems:
        return None, sorted(problems), notes
    return _typed(table, frame), [], notes


def validate_dir(data_dir: Path) -> Dataset:
    """Read and validate every table's CSV in data_dir. Raises DataError."""
    raw: dict[str, pd.DataFrame | None] = {}
    encodings: dict[str, str] = {}
    problems: list[Problem] = []
    for table in TABLES:
        frame, encoding, found = read_table(data_dir / table.file_name)
        raw[table.name] = frame
        encodings[table.name] = encoding
        problems.extend(found)
    dataset = validate_frames(raw, problems)
    dataset.encodings = encodings
    dataset.notes = [f"{table.file_name}: read as GB18030 (GBK)" for table in TABLES if encodings[table.name] == "gb18030"] + dataset.notes
    return dataset
