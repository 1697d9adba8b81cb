"""Downloads: bytes that Excel and WPS open with the Chinese intact."""
from __future__ import annotations

import pandas as pd


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with a UTF-8 byte-order mark, so Excel and WPS pick the right encoding."""
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
