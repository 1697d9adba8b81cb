"""Text to a frame of strings, each row knowing the line of the file it starts on."""
from __future__ import annotations

import csv
import io
import re
import warnings

import pandas as pd

from .problems import Problem

LINE = "_line"
_COMMENT_LINE = re.compile(r"^#[^\n]*", re.MULTILINE)
_OPEN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


def parse_csv(text: str, file_name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse CSV text whose first line is the header.

    Cells are stripped of surrounding white space. Blank lines and lines starting with `#`
    (the templates' commented examples) are skipped. Returns (frame, problems); the frame is
    None when the file cannot be read as a table.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, [Problem(file_name, 0, "", "file is empty: it needs at least a header line")]
    # Blank out comment lines rather than delete them, so line numbers stay true.
    text = _COMMENT_LINE.sub("", text)
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    if not any(cell.strip() for cell in header):
        return None, [Problem(file_name, 1, "", "line 1 must be the header (the column names)")]
    names = [cell.strip() for cell in header]
    while names and not names[-1]:
        names.pop()  # Excel leaves trailing commas after a deleted column
    problems = []
    seen: set[str] = set()
    for position, name in enumerate(names):
        if not name:
            problems.append(Problem(file_name, 1, f"column {position + 1}", "header cell is blank"))
        elif name in seen:
            problems.append(Problem(file_name, 1, name, "column appears twice in the header"))
        seen.add(name)
    if problems:
        return None, problems

    try:
        frame = _parse_fast(text, len(header))
    except (pd.errors.ParserError, _Ragged) as error:
        if match := _OPEN_QUOTE.search(str(error)):
            line = int(match.group(1)) + 1
            return None, [Problem(file_name, line, "", 'a quote (") opens a cell that never closes')]
        frame, problems = _parse_careful(text, file_name, len(names))
        if problems:
            return None, problems
    extra = [column for column in frame.columns if column != LINE and column >= len(names)]
    if extra:
        filled = frame[extra].ne("").any(axis=1)
        if filled.any():
            return None, [
                Problem(file_name, int(line), f"column {len(names) + 1}", "cell has no column name in the header")
                for line in frame.loc[filled, LINE]
            ]
        frame = frame.drop(columns=extra)
    frame.columns = [*names, LINE]

    for name in names:
        frame[name] = frame[name].str.strip()
    blank = frame[names].eq("").all(axis=1)
    return frame.loc[~blank].reset_index(drop=True), []


class _Ragged(Exception):
    """A row has more cells than the header."""


def _parse_fast(text: str, width: int) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
                skip_blank_lines=False, engine="c", index_col=False, header=None, skiprows=1,
                names=list(range(width)),
            )
        except pd.errors.ParserWarning as warning:
            raise _Ragged(str(warning)) from None
    # A row starts on line 2 + its index, plus every line break inside earlier quoted cells.
    extra = pd.Series(0, index=frame.index)
    if '"' in text:
        for name in frame.columns:
            extra = extra + frame[name].str.count("\n")
    frame[LINE] = 2 + frame.index.to_numpy() + extra.shift(fill_value=0).cumsum().to_numpy()
    return frame


def _parse_careful(text: str, file_name: str, width: int) -> tuple[pd.DataFrame, list[Problem]]:
    """Row-by-row parse for files the C parser refuses: names every row with too many
    cells, and forgives trailing blank cells (Excel adds them after a deleted column)."""
    reader = csv.reader(io.StringIO(text))
    next(reader)
    rows, lines, problems = [], [], []
    start = reader.line_num + 1
    for fields in reader:
        if len(fields) > width:
            if any(field.strip() for field in fields[width:]):
                problems.append(Problem(file_name, start, "", f"row has {len(fields)} cells but the header has {width}"))
            fields = fields[:width]
        rows.append(fields + [""] * (width - len(fields)))
        lines.append(start)
        start = reader.line_num + 1
    frame = pd.DataFrame(rows, columns=list(range(width)), dtype=str)
    frame[LINE] = lines
    return frame, problems
