"""Bytes to text: UTF-8 (with or without BOM), else GB18030 as saved by Excel/WPS on Chinese Windows."""
from __future__ import annotations


class DecodeError(ValueError):
    pass


def decode_bytes(raw: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding). UTF-8 is tried first: valid UTF-8 also decodes as GB18030,
    into the wrong characters, so the order matters."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError(f"{name}: file is UTF-16; save it as CSV UTF-8 (逗号分隔) instead")
    if b"\x00" in raw:
        raise DecodeError(f"{name}: file holds NUL bytes (UTF-16 or not text); save it as CSV UTF-8")
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    line = _utf8_line(raw)
    if line is not None:
        raise DecodeError(
            f"{name}: file mixes encodings: line {line} is UTF-8 but other lines are GBK; "
            "save the whole file once as CSV UTF-8"
        )
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise DecodeError(f"{name}: file is neither UTF-8 nor GB18030 (GBK) text; save it as CSV UTF-8") from None


def _utf8_line(raw: bytes) -> int | None:
    """The first line with non-ASCII bytes that are valid UTF-8, in a file that as a
    whole is not: a sign of pasted UTF-8 rows in a GBK file, which GB18030 would turn
    into wrong characters without complaint."""
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return number
    return None
