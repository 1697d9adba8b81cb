"""Reading a curator's upload for the Validate page: in memory only, within fixed caps.

Pure (no Streamlit): bytes in, a frame or the problems or a refusal out. Nothing is
written anywhere: the bytes come from st.file_uploader's in-memory buffer, CSV text is
decoded in memory, XLSX is read by openpyxl from a BytesIO. The caps are checked before
the expensive work: the size first, a CSV's line count before parsing (a 10 MB file of
empty lines would otherwise take 20 s of CPU to refuse), an XLSX's unpacked size before
openpyxl opens it, and its rows while they are read.

The web server holds an upload in memory too: .streamlit/config.toml caps it
(server.maxUploadSize) a little above MAX_MB, so a file just over the page's cap still
gets the page's own message and anything far larger is refused before it arrives.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from etl.decode import DecodeError, decode_bytes
from etl.problems import Problem
from etl.reader import parse_csv
from etl.xlsx import TOO_BIG_UNPACKED, TOO_MANY_ROWS, parse_xlsx

MAX_MB = 10
MAX_ROWS = 50_000
# Rows may span lines (a quoted cell with line breaks), so lines only bound rows from
# above; four lines a row on average is far more than curated files ever have.
MAX_LINES = 4 * MAX_ROWS


@dataclass
class Upload:
    frame: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    refusal: tuple[str, dict] | None = None  # an i18n key and its values, when over a cap


def read_upload(raw: bytes, name: str) -> Upload:
    if len(raw) > MAX_MB * 1024 * 1024:
        return Upload(refusal=("validate_too_big", {"mb": MAX_MB}))
    too_many = Upload(refusal=("validate_too_many", {"rows": f"{MAX_ROWS:,}"}))
    if name.lower().endswith(".xlsx"):
        frame, problems = parse_xlsx(raw, name, max_rows=MAX_ROWS)
        messages = {problem.message for problem in problems}
        if TOO_MANY_ROWS.format(max_rows=MAX_ROWS) in messages:
            return too_many
        if any(message.startswith(TOO_BIG_UNPACKED.split(" {")[0]) for message in messages):
            return Upload(refusal=("validate_too_big", {"mb": MAX_MB}))
        return Upload(frame, problems)
    try:
        text, _ = decode_bytes(raw, name)
    except DecodeError as error:
        return Upload(problems=[Problem(name, 0, "", str(error).split(": ", 1)[1])])
    if max(text.count("\n"), text.count("\r")) > MAX_LINES:
        return too_many
    frame, problems = parse_csv(text, name)
    if frame is not None and len(frame) > MAX_ROWS:
        return too_many
    return Upload(frame, problems)
