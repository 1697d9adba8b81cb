"""CSV bytes to a table of text cells, each row knowing the line of the file it starts on.

Two parsers give the same result. The fast one is pyarrow's multi-threaded CSV reader,
used for files with no comment lines and balanced quotes (every large file in practice);
line numbers then follow from the row index plus the line breaks inside earlier quoted
cells, and are checked against the file's line count. Anything else — comment lines, an
odd number of quotes, ragged rows, a count that does not add up — goes to the careful
parser, Python's csv module read record by record, which knows every row's line exactly.
"""
from __future__ import annotations

import csv
import io
import os
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .problems import Problem

LINE = "_line"
_ONLY_LINE_ENDS = re.compile(rb"\n*\Z")
# Fed after the last line: a record of its own unless an unclosed quote swallows it.
_SENTINEL = "\U0010fffdend\U0010fffd"


def header_problems(names: list[str], file_name: str) -> list[Problem]:
    """Blank and repeated column names in a header (CSV or XLSX), trailing blanks removed."""
    problems = []
    seen: set[str] = set()
    for position, name in enumerate(names):
        if not name:
            problems.append(Problem(file_name, 1, f"column {position + 1}", "header cell is blank"))
        elif name in seen:
            problems.append(Problem(file_name, 1, name, "column appears twice in the header"))
        seen.add(name)
    return problems


class _Unsuitable(Exception):
    """The fast parser cannot vouch for this file; use the careful one."""


def parse_csv_bytes(data: bytes, file_name: str) -> tuple[pa.Table | None, list[Problem]]:
    """Parse UTF-8 CSV bytes (no BOM) whose first line is the header.

    Cells are stripped of surrounding white space; CRLF and CR line ends become LF (inside
    cells too). Blank lines, lines of bare commas and lines starting with `#` (the
    templates' commented examples) are skipped; line numbers stay those of the file.
    Returns (table of string columns plus `_line`, problems); the table is None when the
    file cannot be read as a table.
    """
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if not data or data.isspace():  # isspace stops at the first other byte; strip would copy
        return None, [Problem(file_name, 0, "", "file is empty: it needs at least a header line")]
    end = data.find(b"\n")
    first = data if end < 0 else data[:end]
    header = next(csv.reader([first.decode("utf-8")]), [])
    if not any(cell.strip() for cell in header) or first.startswith(b"#"):
        return None, [Problem(file_name, 1, "", "line 1 must be the header (the column names)")]
    if len(header) == 1 and ("\t" in header[0] or ";" in header[0]):
        separator = "tabs" if "\t" in header[0] else "semicolons"
        return None, [Problem(file_name, 1, "", f"the header is separated by {separator}, not commas; save the file as CSV UTF-8 (逗号分隔)")]
    names = [cell.strip() for cell in header]
    while names and not names[-1]:
        names.pop()  # Excel leaves trailing commas after a deleted column
    problems = header_problems(names, file_name)
    if problems:
        return None, problems

    width = len(header)
    start = len(data) if end < 0 else end + 1  # where the rows begin; the body is never copied
    try:
        columns, lines = _parse_fast(data, start, width)
    except _Unsuitable:
        columns, lines, problems = _parse_careful(data[start:].decode("utf-8"), file_name, width, len(names))
        if problems:
            return None, problems

    extra = columns[len(names):]
    if extra:
        filled = np.zeros(len(lines), dtype=bool)
        for column in extra:
            filled |= pc.not_equal(column, "").to_numpy(zero_copy_only=False)
        if filled.any():
            return None, [
                Problem(file_name, int(line), f"column {len(names) + 1}", "cell has no column name in the header")
                for line in lines[filled]
            ]
    # pyarrow's kernels release the GIL: trimming the columns side by side uses every core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        stripped = list(pool.map(pc.utf8_trim_whitespace, columns[:len(names)]))
    table = pa.table(stripped + [pa.array(lines, pa.int64())], names=[*names, LINE])
    # A blank row (a blank line, a line of bare commas) has a blank first cell; only if
    # some do are the other cells looked at.
    blank = pc.equal(stripped[0], "").to_numpy(zero_copy_only=False) if stripped else np.zeros(0, dtype=bool)
    if blank.any():
        for column in stripped[1:]:
            blank &= pc.equal(column, "").to_numpy(zero_copy_only=False)
        if blank.any():
            table = table.filter(pa.array(~blank))
    return table, []


def _parse_fast(data: bytes, start: int, width: int) -> tuple[list[pa.ChunkedArray], np.ndarray]:
    """Rows from data[start:], read in place (bytes methods with a start offset, an Arrow
    buffer slice): a copy of a 190 MB body costs as much as parsing it."""
    names = [f"c{index}" for index in range(width)]
    if _ONLY_LINE_ENDS.match(data, start):
        return [pa.chunked_array([], pa.string()) for _ in names], np.zeros(0, dtype=np.int64)
    quotes = data.count(b'"', start)
    # One byte is found by memchr; the two-byte search only runs if a '#' exists at all.
    if quotes % 2 or (data.find(b"#", start) >= 0 and (data.startswith(b"#", start) or data.find(b"\n#", start) >= 0)):
        raise _Unsuitable
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data).slice(start),
            read_options=pacsv.ReadOptions(column_names=names, block_size=16 << 20),
            parse_options=pacsv.ParseOptions(newlines_in_values=quotes > 0, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        raise _Unsuitable from None  # ragged rows: the careful parser names them
    rows = table.num_rows
    breaks = np.zeros(rows, dtype=np.int64)
    if quotes:
        for column in table.columns:
            breaks += pc.count_substring(column, "\n").to_numpy(zero_copy_only=False)
    physical = data.count(b"\n", start) + (0 if data.endswith(b"\n") else 1)
    if rows + int(breaks.sum()) != physical:
        raise _Unsuitable
    before = np.concatenate(([0], np.cumsum(breaks)[:-1])) if rows else breaks
    lines = 2 + np.arange(rows, dtype=np.int64) + before
    return list(table.columns), lines


def _parse_careful(text: str, file_name: str, width: int, named: int) -> tuple[list[pa.Array], np.ndarray, list[Problem]]:
    """Record by record with the csv module. A line starting with '#' is a comment only
    where a record starts, never inside a quoted cell; rows with more cells than the
    header are named (trailing blank cells are forgiven); short rows are padded."""
    state = {"record_start": 0}  # lines the reader had used when the current record began
    pieces = text.split("\n")
    if pieces and pieces[-1] == "":
        pieces.pop()

    def feed():
        for pulled, piece in enumerate(pieces):
            if pulled == state["record_start"] and piece.startswith("#"):
                yield "\n"  # a comment: an empty record, so the count stays true
            else:
                yield piece + "\n"
        yield _SENTINEL

    reader = csv.reader(feed())
    rows, lines, problems = [], [], []
    while True:
        state["record_start"] = reader.line_num
        start = reader.line_num + 2  # the header is line 1
        fields = next(reader, None)
        if fields is None or fields == [_SENTINEL]:
            break
        if any(_SENTINEL in field for field in fields):
            return [], np.zeros(0, dtype=np.int64), [Problem(file_name, start, "", 'a quote (") opens a cell that never closes')]
        if not fields:
            continue
        if len(fields) > width and any(field.strip() for field in fields[width:]):
            problems.append(Problem(file_name, start, "", f"row has {len(fields)} cells but the header has {width}"))
        rows.append((fields + [""] * width)[:width])
        lines.append(start)
    columns = [pa.array([row[index] for row in rows], pa.string()) for index in range(width)]
    return columns, np.array(lines, dtype=np.int64), problems


def parse_csv(text: str, file_name: str):
    """parse_csv_bytes for text, as a pandas frame of str cells (for callers and tests
    that hold text)."""
    table, problems = parse_csv_bytes(text.lstrip("\ufeff").encode("utf-8"), file_name)
    return (None if table is None else to_frame(table)), problems


def to_frame(table: pa.Table):
    """A table of text cells as a pandas frame of str (object) columns plus `_line`."""
    frame = table.to_pandas(types_mapper=None)
    for name in frame.columns:
        if name != LINE:
            frame[name] = frame[name].astype(object)
    return frame
