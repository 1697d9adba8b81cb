"""Bytes to text: UTF-8 (with or without BOM), else GB18030 as saved by Excel/WPS on Chinese Windows."""
from __future__ import annotations

ENCODINGS = ("utf-8-sig", "gb18030")


class DecodeError(ValueError):
    pass


def decode_bytes(raw: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding). UTF-8 is tried first: valid UTF-8 also decodes as GB18030,
    into the wrong characters, so the order matters."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError(f"{name}: file is UTF-16; save it as CSV UTF-8 (逗号分隔) instead")
    if b"\x00" in raw:
        raise DecodeError(f"{name}: file holds NUL bytes (UTF-16 or not text); save it as CSV UTF-8")
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DecodeError(f"{name}: file is neither UTF-8 nor GB18030 (GBK) text; save it as CSV UTF-8")
