"""Bytes to text: UTF-8 (with or without BOM), else GB18030 as saved by Excel/WPS on Chinese Windows."""
from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

# UTF-8 lead bytes of characters U+0080-U+07FF (Latin-1 supplement to Arabic): short GBK
# text can be valid UTF-8 made only of these, e.g. 约 (GBK D4 BC) reads as Armenian Լ.
_TWO_BYTE_LEAD = re.compile(rb"[\xc2-\xdf]")
# Lead bytes of characters from U+0800 up (Chinese among them).
_WIDE_LEAD = re.compile(rb"[\xe0-\xf4]")
_WIDE = re.compile("[\u0800-\U0010ffff]")
_CJK = re.compile("[\u3400-\u9fff]")
BOM = b"\xef\xbb\xbf"


class DecodeError(ValueError):
    pass


def decode_to_utf8(raw: bytes, name: str) -> tuple[bytes, str]:
    """Return (UTF-8 bytes without BOM, the encoding the file was read as).

    UTF-8 is tried first, because valid UTF-8 also decodes as GB18030 into the wrong
    characters. The reverse can happen too: GBK text can be valid UTF-8 that holds no
    character above U+07FF. Such text that reads as Chinese in GB18030 is taken as GBK.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError(f"{name}: file is UTF-16; save it as CSV UTF-8 (逗号分隔) instead")
    if b"\x00" in raw:
        raise DecodeError(f"{name}: file holds NUL bytes (UTF-16 or not text); save it as CSV UTF-8")
    body = raw[len(BOM):] if raw.startswith(BOM) else raw
    if _is_utf8(body):
        # Wide characters first: a Chinese file has one in its first line.
        gbk_like = body is raw and not _WIDE_LEAD.search(body) and _TWO_BYTE_LEAD.search(body)
        if gbk_like and (gbk := _as_gbk(raw)) is not None:
            return gbk.encode("utf-8"), "gb18030"
        return body, "utf-8-sig"
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        failure = error
    if failure.reason == "unexpected end of data" and failure.end == len(body):
        raise DecodeError(f"{name}: file ends in the middle of a character: it was cut off; copy or save it again")
    _refuse_mixed(raw, name)
    try:
        return raw.decode("gb18030").encode("utf-8"), "gb18030"
    except UnicodeDecodeError:
        raise DecodeError(f"{name}: file is neither UTF-8 nor GB18030 (GBK) text; save it as CSV UTF-8") from None


def _is_utf8(data: bytes) -> bool:
    """Whether data is valid UTF-8, checked by Arrow's vectorised validator on the bytes
    in place: five times faster than bytes.decode, and no str is built."""
    if data.isascii():
        return True
    offsets = np.array([0, len(data)], dtype=np.int64)
    whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data)])
    try:
        whole.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def decode_bytes(raw: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding); see decode_to_utf8."""
    data, encoding = decode_to_utf8(raw, name)
    return data.decode("utf-8"), encoding


def _as_gbk(raw: bytes) -> str | None:
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if _CJK.search(text) else None


def _refuse_mixed(raw: bytes, name: str) -> None:
    """Refuse a file that is not UTF-8 as a whole but has lines of UTF-8 with characters
    above U+07FF (Chinese, say): GB18030 would turn those into wrong characters without
    complaint. The message names the odd lines out: the GBK lines of a mostly UTF-8
    file, or the UTF-8 lines pasted into a GBK file."""
    utf8, other = [], []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
            continue
        if _WIDE.search(text):
            utf8.append(number)
    if not utf8:
        return
    if len(other) < len(utf8):
        lines = _lines_text(other)
        raise DecodeError(
            f"{name}: file mixes encodings: {lines} not UTF-8 (GBK?) but the rest is UTF-8; "
            "save the whole file once as CSV UTF-8"
        )
    lines = _lines_text(utf8)
    raise DecodeError(
        f"{name}: file mixes encodings: {lines} UTF-8 but other lines are GBK; "
        "save the whole file once as CSV UTF-8"
    )


def _lines_text(numbers: list[int]) -> str:
    shown = ", ".join(str(number) for number in numbers[:5]) + (", ..." if len(numbers) > 5 else "")
    return f"line {shown} is" if len(numbers) == 1 else f"lines {shown} are"
