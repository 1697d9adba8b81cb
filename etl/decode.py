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
    """Why the bytes are not text we read: a message key (etl.messages) and its values."""

    def __init__(self, name: str, key: str, **values):
        from .messages import text

        self.key, self.values = key, values
        super().__init__(f"{name}: {text(key, 'en', values)}")


# Characters from U+0080 to U+07FF that curated text does hold: Latin-1 (± ° · é ×),
# Latin Extended-A, pinyin with tone marks (ǎ ǐ ǒ ǔ ǚ), Greek letters (α μ Ω). GBK text
# that happens to be valid UTF-8 reads as C1 controls, IPA, Cyrillic, Armenian, Hebrew,
# Arabic... instead (学 is D1 A7: Cyrillic ѧ; 约 is D4 BC: Armenian Լ).
_PLAUSIBLE_LATIN = re.compile("[\u00a0-\u017f\u01cd-\u01dc\u0391-\u03c9]")
_NARROW = re.compile("[\u0080-\u07ff]")
ZIP_MAGIC = b"PK\x03\x04"


def decode_to_utf8(raw: bytes, name: str) -> tuple[bytes, str]:
    """Return (UTF-8 bytes without BOM, the encoding the file was read as).

    UTF-8 is tried first, because valid UTF-8 also decodes as GB18030 into the wrong
    characters. The reverse can happen too: GBK text can be valid UTF-8 that holds no
    character above U+07FF. Such text that reads as Chinese in GB18030 is taken as GBK.
    """
    data, encoding, _ = decode_with_boms(raw, name)
    return data, encoding


def decode_with_boms(raw: bytes, name: str) -> tuple[bytes, str, int]:
    """decode_to_utf8, also saying how many BOMs led the file (a file saved twice by a
    tool that adds one each time has two: they are one marker, not text)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError(name, "utf16")
    if raw.startswith(ZIP_MAGIC):
        raise DecodeError(name, "xlsx_as_csv")
    if b"\x00" in raw:
        raise DecodeError(name, "nul_bytes")
    boms = 0
    while raw.startswith(BOM, boms * len(BOM)):
        boms += 1
    body = raw[boms * len(BOM):] if boms else raw
    if _is_utf8(body):
        # Valid UTF-8 is UTF-8, unless no character is above U+07FF and some read as
        # letters curated text never holds, while GB18030 reads Chinese.
        gbk_like = not boms and not _WIDE_LEAD.search(body) and _TWO_BYTE_LEAD.search(body)
        if gbk_like and _implausible_narrow(body) and (gbk := _as_gbk(raw)) is not None:
            return gbk.encode("utf-8"), "gb18030", 0
        return body, "utf-8-sig", boms
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        failure = error
    if failure.reason == "unexpected end of data" and failure.end == len(body):
        raise DecodeError(name, "cut_in_char")
    _refuse_mixed(raw, name)
    try:
        return raw.decode("gb18030").encode("utf-8"), "gb18030", 0
    except UnicodeDecodeError:
        raise DecodeError(name, "not_text") from None


def _implausible_narrow(body: bytes) -> bool:
    text = body.decode("utf-8")
    return any(not _PLAUSIBLE_LATIN.match(char) for char in _NARROW.findall(text))


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
        raise DecodeError(name, "mixed_gbk_lines", lines=_lines_text(other), numbers=_numbers(other))
    raise DecodeError(name, "mixed_utf8_lines", lines=_lines_text(utf8), numbers=_numbers(utf8))


def _numbers(numbers: list[int]) -> str:
    return ", ".join(str(number) for number in numbers[:5]) + (", ..." if len(numbers) > 5 else "")


def _lines_text(numbers: list[int]) -> str:
    shown = ", ".join(str(number) for number in numbers[:5]) + (", ..." if len(numbers) > 5 else "")
    return f"line {shown} is" if len(numbers) == 1 else f"lines {shown} are"
