"""One read path for every input, the build's files and the Validate page's uploads alike:
bytes in (a CSV or an XLSX), a table of text cells out, or the problems, plus notes that
say what was read and how. The caps an upload has (rows) are arguments, not another path.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

import pyarrow as pa

from .decode import DecodeError, decode_with_boms
from .problems import Note, Problem, note, problem
from .reader import parse_csv_bytes
from .spec import TABLES, TABLES_BY_NAME
from .xlsx import TOO_MANY_ROWS, parse_xlsx

TITLE_SEARCH_LINES = 20
# Rows may span lines (a quoted cell with line breaks), so lines bound rows only from
# above: four lines a row is far more than curated files ever have. Blank lines and
# lines of bare commas (Excel's used range) are no rows and are not counted.
LINES_PER_ROW = 4
_BLANK_LINE = re.compile(rb"(?m)^[ \t,\r]*\n")


@dataclass
class Input:
    data: pa.Table | None
    label: str  # how problems name the file: observations.csv, observations.xlsx[数据]
    encoding: str = ""
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def is_xlsx(raw: bytes, name: str) -> bool:
    return name.lower().endswith((".xlsx", ".xlsm"))


def read_input(raw: bytes, name: str, table: str | None = None, max_rows: int | None = None) -> Input:
    """Read one file's bytes. `table`: the table it should hold (None: any, as on the
    Validate page's auto-detection); `max_rows`: refuse more data rows than this."""
    notes: list[Note] = []
    if is_xlsx(raw, name):
        data, problems, label = parse_xlsx(raw, name, max_rows=max_rows, table=table, notes=notes)
        return Input(data, label, "xlsx", problems, notes)
    try:
        text, encoding, boms = decode_with_boms(raw, name)
    except DecodeError as error:
        return Input(None, name, "", [problem(name, 0, "", error.key, **error.values)])
    del raw
    if encoding == "gb18030":
        notes.append(note("read_gb18030", file=name))
    if boms > 1:
        notes.append(note("double_bom", file=name, count=boms))
    if max_rows is not None and text.count(b"\n") > LINES_PER_ROW * max_rows:
        # Refused before parsing: millions of one-cell lines would take the careful parser long.
        if _BLANK_LINE.sub(b"", text).count(b"\n") > LINES_PER_ROW * max_rows:
            return Input(None, name, encoding, [problem(name, 0, "", TOO_MANY_ROWS, max_rows=f"{max_rows:,}")], notes)
    title = _title_rows(text, table)
    if title:
        return Input(None, name, encoding, [problem(name, 1, "", "title_rows", header=title)], notes)
    data, problems = parse_csv_bytes(text, name, notes)
    if data is not None:
        if max_rows is not None and data.num_rows > max_rows:
            return Input(None, name, encoding, [problem(name, 0, "", TOO_MANY_ROWS, max_rows=f"{max_rows:,}")], notes)
    return Input(data, name, encoding, problems, notes)


def _title_rows(text: bytes, table: str | None) -> int | None:
    """The line of the real header when line 1 is a title above it: line 1 holds fewer
    than three of a table's column names, and a line near the top is mostly column names."""
    candidates = [TABLES_BY_NAME[table]] if table else list(TABLES)
    known = [set(t.column_names) for t in candidates]
    head = text[: 64 * 1024].decode("utf-8", "ignore").replace("\r\n", "\n").replace("\r", "\n")
    if head.startswith("#"):
        return None  # a comment above the header: the reader says line 1 must be the header
    lines = [line.replace("\x00", "") for line in head.split("\n")[:TITLE_SEARCH_LINES]]
    expected = 1
    try:
        rows = list(csv.reader(lines))
    except csv.Error:
        return None
    for number, cells in enumerate(rows, start=1):
        cells = [cell.strip() for cell in cells if cell.strip()]
        if number == 1 and len(cells) == 1 and cells[0].lower().startswith("sep="):
            expected = 2  # Excel's separator hint: the reader skips it
            continue
        hits = max(sum(cell in columns for cell in cells) for columns in known)
        if hits >= 3 and hits * 2 >= len(cells):
            return number if number > expected else None
        if number == expected and hits >= 3:
            return None
    return None


def frame_of(data: pa.Table):
    """A table of text cells as a pandas frame of str cells plus `_line` (for the page)."""
    from .reader import to_frame

    return to_frame(data)
