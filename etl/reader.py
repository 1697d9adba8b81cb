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

from .problems import Note, Problem, note, problem

LINE = "_line"
_ONLY_LINE_ENDS = re.compile(rb"\n*\Z")
# Fed after the last line: a record of its own unless an unclosed quote swallows it.
_SENTINEL = "\U0010fffdend\U0010fffd"
# Line ends: CR CR LF (a CRLF file passed once more through a CR->CRLF conversion) is one.
_LINE_END = re.compile(rb"\r+\n")
# What Excel shows for a failed formula. A first cell of this is data gone wrong, not a comment.
EXCEL_ERRORS = ("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")
_EXCEL_ERROR_START = re.compile(r"#(?:N/A|REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!)\s*(?:,|$)")
# A quote with no separator on either side: literal text in a plain cell, or text after a
# closing quote; the careful parser tells which.
_INNER_QUOTE = re.compile(rb'[^,\n"]"[^,\n"]')
# Invisible characters and odd spaces that can stick to a header or a key cell.
INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e]")
ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")


def is_comment(line: str) -> bool:
    """A line the reader skips: it starts with '#' (the templates' `# example` line),
    unless its first cell is an Excel error value (#N/A, #REF!, ...)."""
    return line.startswith("#") and not _EXCEL_ERROR_START.match(line)


def clean_header(names: list[str], file_name: str, notes: list | None, line: int = 1) -> list[str]:
    """Header cells without invisible characters (a zero-width space pasted with a column
    name would make it unknown and its column missing: two lines for one slip)."""
    out = []
    for name in names:
        cleaned = ODD_SPACE.sub("", INVISIBLE.sub("", name)).strip()
        if cleaned != name and notes is not None:
            chars = " ".join(sorted({f"U+{ord(c):04X}" for c in name if INVISIBLE.match(c) or ODD_SPACE.match(c)}))
            notes.append(note("header_invisible", file=file_name, column=cleaned, chars=chars))
        out.append(cleaned)
    return out


def header_problems(names: list[str], file_name: str, line: int = 1) -> list[Problem]:
    """Blank and repeated column names in a header (CSV or XLSX), trailing blanks removed."""
    problems = []
    seen: set[str] = set()
    for position, name in enumerate(names):
        if not name:
            problems.append(problem(file_name, line, f"column {position + 1}", "header_blank"))
        elif name in seen:
            problems.append(problem(file_name, line, name, "header_twice"))
        seen.add(name)
    return problems


class _Unsuitable(Exception):
    """The fast parser cannot vouch for this file; use the careful one."""


def parse_csv_bytes(data: bytes, file_name: str, notes: list[Note] | None = None) -> tuple[pa.Table | None, list[Problem]]:
    """Parse UTF-8 CSV bytes (no BOM) whose first line is the header.

    Cells are stripped of surrounding white space; CRLF, CR CR LF and CR line ends become
    LF (inside cells too). Blank lines, lines of bare commas and lines starting with `#`
    (the templates' commented examples; not Excel error values such as #N/A) are skipped;
    line numbers stay those of the file. A first line `sep=,` (Excel's separator hint) is
    skipped with a note. Returns (table of string columns plus `_line`, problems); the
    table is None when the file cannot be read as a table.
    """
    if b"\r" in data:
        data = _LINE_END.sub(b"\n", data).replace(b"\r", b"\n")
    if not data or data.isspace():  # isspace stops at the first other byte; strip would copy
        return None, [problem(file_name, 0, "", "empty")]
    header_line, offset = 1, 0
    end = data.find(b"\n")
    first = data if end < 0 else data[:end]
    if re.fullmatch(rb"sep=.,*\s*", first, re.IGNORECASE):
        if first[4:5] != b",":
            return None, [problem(file_name, 1, "", "sep_other", text=first.decode("utf-8", "replace"))]
        if notes is not None:
            notes.append(note("sep_line", file=file_name))
        header_line, offset = 2, end + 1
        end = data.find(b"\n", offset)
        first = data[offset:] if end < 0 else data[offset:end]
    header = next(csv.reader([first.decode("utf-8")]), [])
    if not any(cell.strip() for cell in header) or first.startswith(b"#"):
        return None, [problem(file_name, header_line, "", "header_first")]
    if len(header) == 1 and ("\t" in header[0] or ";" in header[0]):
        separator = "tabs" if "\t" in header[0] else "semicolons"
        return None, [problem(file_name, header_line, "", "header_separator", separator=separator,
                              separator_zh="制表符" if separator == "tabs" else "分号")]
    names = clean_header([cell.strip() for cell in header], file_name, notes, header_line)
    while names and not names[-1]:
        names.pop()  # Excel leaves trailing commas after a deleted column
    problems = header_problems(names, file_name, header_line)
    if problems:
        return None, problems

    width = len(header)
    start = len(data) if end < 0 else end + 1  # where the rows begin; the body is never copied
    try:
        columns, lines = _parse_fast(data, start, width, header_line)
    except _Unsuitable:
        columns, lines, problems = _parse_careful(data[start:].decode("utf-8"), file_name, width, len(names), header_line)
        if problems:
            return None, problems

    extra = columns[len(names):]
    if extra:
        filled = np.zeros(len(lines), dtype=bool)
        for column in extra:
            filled |= pc.not_equal(column, "").to_numpy(zero_copy_only=False)
        if filled.any():
            return None, [
                problem(file_name, int(line), f"column {len(names) + 1}", "no_header_cell")
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


def _parse_fast(data: bytes, start: int, width: int, header_line: int = 1) -> tuple[list[pa.ChunkedArray], np.ndarray]:
    """Rows from data[start:], read in place (bytes methods with a start offset, an Arrow
    buffer slice): a copy of a 190 MB body costs as much as parsing it."""
    names = [f"c{index}" for index in range(width)]
    if _ONLY_LINE_ENDS.match(data, start):
        return [pa.chunked_array([], pa.string()) for _ in names], np.zeros(0, dtype=np.int64)
    quotes = data.count(b'"', start)
    # One byte is found by memchr; the two-byte search only runs if a '#' exists at all.
    if quotes % 2 or (data.find(b"#", start) >= 0 and (data.startswith(b"#", start) or data.find(b"\n#", start) >= 0)):
        raise _Unsuitable
    if quotes and _INNER_QUOTE.search(data, start):
        raise _Unsuitable  # text after a closing quote, or a quote inside a plain cell
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
    if breaks.any() and width > 2:
        # A multi-line cell holding a row's worth of commas is rows swallowed by a stray quote.
        for column in table.columns:
            commas = pc.count_substring(column, ",").to_numpy(zero_copy_only=False)
            if ((commas >= width - 1) & (pc.count_substring(column, "\n").to_numpy(zero_copy_only=False) > 0)).any():
                raise _Unsuitable
    if not data.endswith(b"\n") and rows:
        last = data.rfind(b"\n") + 1
        if data.count(b",", last) < width - 1:
            raise _Unsuitable  # a short last row with no line end: the careful parser names it
    before = np.concatenate(([0], np.cumsum(breaks)[:-1])) if rows else breaks
    lines = header_line + 1 + np.arange(rows, dtype=np.int64) + before
    return list(table.columns), lines


def _parse_careful(text: str, file_name: str, width: int, named: int, header_line: int = 1) -> tuple[list[pa.Array], np.ndarray, list[Problem]]:
    """Record by record with the csv module, strictly: a quote opens a cell only at its
    start and must be followed by a separator when it closes. A line starting with '#'
    is a comment only where a record starts, never inside a quoted cell; rows with more
    cells than the header are named (trailing blank cells are forgiven); short rows are
    padded, except a short last row with no line end (a file cut off)."""
    state = {"record_start": 0}  # lines the reader had used when the current record began
    pieces = text.split("\n")
    if pieces and pieces[-1] == "":
        pieces.pop()

    def feed():
        for pulled, piece in enumerate(pieces):
            if pulled == state["record_start"] and is_comment(piece):
                yield "\n"  # a comment: an empty record, so the count stays true
            else:
                yield piece + "\n"
        yield _SENTINEL

    csv.field_size_limit(1 << 30)  # a cell is bounded by the file; its length is checked later
    reader = csv.reader(feed(), strict=True)
    rows, lines, problems = [], [], []
    none = np.zeros(0, dtype=np.int64)
    while True:
        state["record_start"] = reader.line_num
        start = reader.line_num + header_line + 1
        try:
            fields = next(reader, None)
        except csv.Error as error:
            key = "quote_then_text" if "expected after" in str(error) else "unclosed_quote"
            return [], none, [problem(file_name, start, "", key)]
        if fields is None or fields == [_SENTINEL]:
            break
        if any(_SENTINEL in field for field in fields):
            return [], none, [problem(file_name, start, "", "unclosed_quote")]
        if not fields:
            continue
        if width > 2 and reader.line_num - state["record_start"] > 1:
            commas = sum(field.count(",") for field in fields if "\n" in field)
            if commas >= width - 1:
                end = reader.line_num + header_line
                return [], none, [problem(file_name, start, "", "quote_swallows", end=end, rows=max(1, commas // (width - 1)))]
        if len(fields) > width and any(field.strip() for field in fields[width:]):
            problems.append(problem(file_name, start, "", "row_too_wide", cells=len(fields), width=width))
        if len(fields) < named and reader.line_num == len(pieces) and not text.endswith("\n"):
            problems.append(problem(file_name, start, "", "cut_off_row", cells=len(fields), width=named))
        rows.append((fields + [""] * width)[:width])
        lines.append(start)
    columns = [pa.array([row[index] for row in rows], pa.string()) for index in range(width)]
    return columns, np.array(lines, dtype=np.int64), problems


def parse_csv(text: str, file_name: str):
    """parse_csv_bytes for text, as a pandas frame of str cells (for callers and tests
    that hold text)."""
    table, problems = parse_csv_bytes(text.removeprefix("\ufeff").encode("utf-8"), file_name)
    return (None if table is None else to_frame(table)), problems


def to_frame(table: pa.Table):
    """A table of text cells as a pandas frame of str (object) columns plus `_line`."""
    frame = table.to_pandas(types_mapper=None)
    for name in frame.columns:
        if name != LINE:
            frame[name] = frame[name].astype(object)
    return frame
