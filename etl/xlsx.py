"""XLSX to the same frame of text cells the CSV reader gives, rows numbered as in Excel."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd

from .problems import Problem
from .reader import LINE, header_problems

# A workbook is a zip: 10 MB of it can unpack to gigabytes (a "zip bomb") that openpyxl
# would read into memory. The declared sizes are checked first; zipfile never unpacks more
# than an entry declares.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
TOO_MANY_ROWS = "more than {max_rows:,} rows; split the file"
TOO_BIG_UNPACKED = "unpacks to more than {mb} MB"


def unpacked_size(raw: bytes) -> int | None:
    """The total declared size of the workbook's parts, or None if it is not a zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            return sum(entry.file_size for entry in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


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

    size = unpacked_size(raw)
    if size is not None and size > MAX_UNPACKED_BYTES:
        return None, [Problem(name, 0, "", TOO_BIG_UNPACKED.format(mb=MAX_UNPACKED_BYTES // (1024 * 1024)))]
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        return None, [Problem(name, 0, "", f"not a readable .xlsx workbook ({type(error).__name__})")]
    try:
        sheet = workbook.worksheets[0]
        # Do not trust the sheet's declared dimensions (A1:XFD1048576 would pad every row
        # to 16,384 cells): read each row as long as it really is.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = [_text(cell) for cell in next(rows, ())]
        while header and not header[-1]:
            header.pop()
        if not header:
            return None, [Problem(name, 1, "", "row 1 must be the header (the column names)")]
        problems = header_problems(header, name)
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
                return None, [Problem(name, number, "", TOO_MANY_ROWS.format(max_rows=max_rows))]
        if problems:
            return None, problems
        frame = pd.DataFrame(records, columns=header, dtype="string").astype(object).astype(str) if records else pd.DataFrame(columns=header, dtype=str)
        frame[LINE] = lines
        return frame, []
    finally:
        workbook.close()
