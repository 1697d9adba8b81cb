"""Reading a curator's upload for the Validate page: in memory only, within fixed caps.

Pure (no Streamlit): bytes in, a frame or the problems or a refusal out. Nothing is
written anywhere: the bytes come from st.file_uploader's in-memory buffer. The file goes
through etl.ingest.read_input, the very path `python -m etl build` reads its files by
(decoding, CSV or XLSX, sheets, notes), with the page's caps as arguments: the size is
checked first, the rows while they are read, an XLSX's unpacked size before it is opened.

The web server holds an upload in memory too: .streamlit/config.toml caps it
(server.maxUploadSize) a little above MAX_MB, so a file just over the page's cap still
gets the page's own message and anything far larger is refused before it arrives.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from etl.ingest import read_input
from etl.problems import Note, Problem
from etl.reader import to_frame
from etl.xlsx import TOO_BIG_UNPACKED, TOO_MANY_ROWS

MAX_MB = 10
MAX_ROWS = 50_000


@dataclass
class Upload:
    frame: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    refusal: tuple[str, dict] | None = None  # an i18n key and its values, when over a cap
    notes: list[Note] = field(default_factory=list)
    label: str = ""  # how problems name the file: upload.csv, upload.xlsx[数据]


def read_upload(raw: bytes, name: str, table: str | None = None) -> Upload:
    if len(raw) > MAX_MB * 1024 * 1024:
        return Upload(refusal=("validate_too_big", {"mb": MAX_MB}), label=name)
    read = read_input(raw, name, table, max_rows=MAX_ROWS)
    keys = {problem.key for problem in read.problems}
    if TOO_MANY_ROWS in keys:
        return Upload(refusal=("validate_too_many", {"rows": f"{MAX_ROWS:,}"}), label=read.label)
    if TOO_BIG_UNPACKED in keys:
        return Upload(refusal=("validate_too_big", {"mb": MAX_MB}), label=read.label)
    frame = None if read.data is None else to_frame(read.data)
    return Upload(frame, read.problems, notes=read.notes, label=read.label)
