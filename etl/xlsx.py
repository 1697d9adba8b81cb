"""XLSX to the same frame of text cells the CSV reader gives, rows numbered as in Excel."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd

from .problems import Problem
from .reader import LINE


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def parse_xlsx(raw: bytes, name: str, max_rows: int | None = None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read the first worksheet: row 1 is the header, later rows are data; rows whose
    first cell starts with '#' and blank rows are skipped, as in the CSV reader."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        return None, [Problem(name, 0, "", f"not a readable .xlsx workbook ({type(error).__name__})")]
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_text(cell) for cell in next(rows, ())]
        while header and not header[-1]:
            header.pop()
        if not header:
            return None, [Problem(name, 1, "", "row 1 must be the header (the column names)")]
        problems = []
        seen: set[str] = set()
        for position, column in enumerate(header):
            if not column:
                problems.append(Problem(name, 1, f"column {position + 1}", "header cell is blank"))
            elif column in seen:
                problems.append(Problem(name, 1, column, "column appears twice in the header"))
            seen.add(column)
        if problems:
            return None, problems
        width = len(header)
        records, lines = [], []
        for number, row in enumerate(rows, start=2):
            cells = [_text(cell) for cell in row]
            extra = [cell for cell in cells[width:] if cell]
            if extra:
                problems.append(Problem(name, number, f"column {width + 1}", "cell has no column name in the header"))
            cells = (cells + [""] * width)[:width]
            if not any(cells) or cells[0].startswith("#"):
                continue
            records.append(cells)
            lines.append(number)
            if max_rows is not None and len(records) > max_rows:
                return None, [Problem(name, number, "", f"more than {max_rows:,} rows; split the file")]
        if problems:
            return None, problems
        frame = pd.DataFrame(records, columns=header, dtype="string").astype(object).astype(str) if records else pd.DataFrame(columns=header, dtype=str)
        frame[LINE] = lines
        return frame, []
    finally:
        workbook.close()
