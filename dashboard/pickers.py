"""Choosing colleges out of thousands: a search box and a short list of matches.

A multiselect that lists all 11,000 institutions sends every name to the browser on every
run (about 400 KB per picker, most of a page's bytes) and makes the browser lay them out.
Past SEARCH_ABOVE institutions the pickers offer what is already chosen plus at most
MATCHES names that match what the user typed (name in either language or id); below it
they list everyone, as before.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .i18n import t

SEARCH_ABOVE = 200
MATCHES = 50


@st.cache_data(max_entries=32, show_spinner=False)
def _haystack(ids: tuple[str, ...], zh: tuple[str, ...], en: tuple[str, ...]) -> list[str]:
    return [f"{i} {z} {e}".lower() for i, z, e in zip(ids, zh, en)]


def matches(allowed: pd.DataFrame, term: str, limit: int | None = None) -> list[str]:
    """Ids of up to `limit` (default MATCHES, read at call time) institutions of `allowed`
    (in its order) whose id or name contains `term` (case-insensitive, plain text); the
    first `limit` when term is empty."""
    limit = MATCHES if limit is None else limit
    ids = allowed["institution_id"].tolist()
    term = term.strip().lower()
    if not term:
        return ids[:limit]
    hay = _haystack(tuple(ids), tuple(allowed["name_zh"].tolist()), tuple(allowed["name_en"].fillna("").tolist()))
    found = []
    for iid, text in zip(ids, hay):
        if term in text:
            found.append(iid)
            if len(found) >= limit:
                break
    return found


def options_for(key: str, allowed: pd.DataFrame, lang: str, *, container=None, chosen: list[str] | None = None) -> list[str]:
    """The options a picker with state `key` offers: everyone allowed when they are few;
    otherwise a search box (drawn in `container`) and what is chosen plus the matches."""
    ids = allowed["institution_id"].tolist()
    if len(ids) <= SEARCH_ABOVE:
        return ids
    area = container if container is not None else st
    term = area.text_input(
        t("search_institutions", lang), key=f"{key}_search", placeholder=t("search_institutions_placeholder", lang, n=f"{len(ids):,}"),
        max_chars=60,
    )
    found = matches(allowed, term or "")
    if term and not found:
        area.caption(t("search_no_match", lang))
    current = chosen if chosen is not None else st.session_state.get(key, [])
    current = [current] if isinstance(current, str) else list(current or [])
    allowed_set = set(ids)
    return list(dict.fromkeys([i for i in current if i in allowed_set] + found))
