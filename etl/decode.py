"""Bytes to text: UTF-8 (with or without BOM), else GB18030 as saved by Excel/WPS on Chinese Windows."""
from __future__ import annotations

import re

# A character only UTF-8's 2-byte forms produce (Latin-1 supplement to Arabic): short GBK
# text can be valid UTF-8 made only of these, e.g. 约 (GBK D4 BC) reads as Armenian Լ.
_TWO_BYTE = re.compile("[\u0080-\u07ff]")
_WIDE = re.compile("[\u0800-\U0010ffff]")
_CJK = re.compile("[\u3400-\u9fff]")


class DecodeError(ValueError):
    pass


def decode_bytes(raw: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding).

    UTF-8 is tried first, because valid UTF-8 also decodes as GB18030 into the wrong
    characters. The reverse can happen too: GBK text can be valid UTF-8 that holds no
    character above U+07FF. Such text that reads as Chinese in GB18030 is taken as GBK.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError(f"{name}: file is UTF-16; save it as CSV UTF-8 (逗号分隔) instead")
    if b"\x00" in raw:
        raise DecodeError(f"{name}: file holds NUL bytes (UTF-16 or not text); save it as CSV UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if _TWO_BYTE.search(text) and not _WIDE.search(text) and (gbk := _as_gbk(raw)) is not None:
            return gbk, "gb18030"
        return text, "utf-8-sig"
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


def _as_gbk(raw: bytes) -> str | None:
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if _CJK.search(text) else None


def _utf8_line(raw: bytes) -> int | None:
    """The first line that is UTF-8 with a character above U+07FF (Chinese, say), in a file
    that as a whole is not UTF-8: pasted UTF-8 rows in a GBK file, which GB18030 would
    turn into wrong characters without complaint."""
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _WIDE.search(text):
            return number
    return None
