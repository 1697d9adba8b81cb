"""Page controls kept in the URL, so a pasted link opens the same view.

Each control is bound to one URL parameter. On the first run that shows the control in a
session its state is read from the URL, validated by the control's own parser (values are
plain strings, kept only when they name something known: an id, a vocabulary value, a
small number; nothing is evaluated or unpickled); later runs keep the widget's state and
write it back to the URL, leaving the parameter out when the control is at its default.
tests/security/test_url_params.py feeds every parameter hostile values.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable, Sequence

import streamlit as st

from .filters import _values

_NUMBER = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3})?")
MAX_SEARCH = 100  # characters of a search term kept from the URL


def one_of(allowed: Sequence[str]) -> Callable[[list[str]], str | None]:
    """A parser: the first value when it is one of `allowed`."""
    allowed_set = set(allowed)
    return lambda values: values[0] if values and values[0] in allowed_set else None


def some_of(allowed: Sequence[str], limit: int | None = None) -> Callable[[list[str]], list[str] | None]:
    """A parser: the known values, each once, in the order given (at most `limit`)."""
    allowed_set = set(allowed)

    def parse(values: list[str]) -> list[str] | None:
        kept = list(dict.fromkeys(value for value in values if value in allowed_set))
        return kept[:limit] if limit else kept

    return parse


def position(values: list[str]) -> int | None:
    """A 1-based position: 1 to 4 ASCII digits, at least 1."""
    if values and re.fullmatch(r"[0-9]{1,4}", values[0]) and int(values[0]) >= 1:
        return int(values[0])
    return None


def search_text(raw: Iterable[str]) -> str | None:
    """Free text (a search term): printable characters only, at most MAX_SEARCH of them.
    It is only ever matched as plain text in SQL (a bound parameter), never run."""
    values = list(raw)
    if not values:
        return None
    text = "".join(ch for ch in values[0] if unicodedata.category(ch)[0] != "C").strip()
    return text[:MAX_SEARCH] or None


def number(values: list[str], low: float = 0.0, high: float = 100.0) -> float | None:
    """A plain decimal number within [low, high] (up to 3 digits each side of the point)."""
    if values and _NUMBER.fullmatch(values[0]):
        value = float(values[0])
        return value if low <= value <= high else None
    return None


def start(key: str, param: str, parse: Callable[[list[str]], object], default, *, split: bool = True) -> None:
    """Before the widget `key` is drawn: on its first run in this session, its state from
    ?param (parsed and validated), else `default`. With `split`, a comma-separated value
    or a repeated parameter counts as several values, as for the shared filters; free
    text is read whole (split=False)."""
    if key in st.session_state:
        return
    values = _values(st.query_params, param) if split else st.query_params.get_all(param)[:1]
    parsed = parse(values)
    st.session_state[key] = default if parsed is None or (parsed == [] and default != []) else parsed


def write(param: str, value, default=None) -> None:
    """Put the control's value into the URL (a list as repeated values), or take the
    parameter out when the value is the default or empty."""
    empty = value is None or value == "" or value == [] or value == ()
    if empty or value == default:
        if param in st.query_params:
            del st.query_params[param]
        return
    wanted = [str(item) for item in value] if isinstance(value, (list, tuple)) else [str(value)]
    if st.query_params.get_all(param) != wanted:
        st.query_params[param] = wanted if len(wanted) > 1 else wanted[0]
