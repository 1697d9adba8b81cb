"""Downloads: bytes that Excel and WPS open with the Chinese intact."""
from __future__ import annotations

import pandas as pd

# A text cell starting with one of these is read as a formula by Excel / WPS / LibreOffice
# (OWASP, "CSV injection"): =cmd|' /C calc'!A0, +1+1, -1+2, @SUM(1), a tab or a CR.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text value inert for spreadsheets: text that starts with =, +, -, @, a tab or
    a carriage return gets a leading single quote. Anything that is not text (numbers,
    including negative ones, dates, missing values) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of frame with every text cell (and column name) neutralised; numeric columns
    stay numeric."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.map(neutralise, na_action="ignore")
    out.columns = [neutralise(column) for column in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with a UTF-8 byte-order mark, so Excel and WPS pick the right encoding; CRLF
    line ends; text cells that could start a formula are neutralised."""
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
