"""The Curate page's logic, without Streamlit: candidates as review tables, the curator's
edits applied, the accepted rows checked with the ETL's own checks, and the downloads.

Nothing is written on the server: the report's bytes come from the upload buffer (or are
read from the shared sources folder), and the results are bytes for download buttons.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from etl.extract import Extraction
from etl.reader import LINE
from etl.spec import AWARDS, INDICATORS, INSTITUTIONS, OBSERVATIONS, SOURCES, TABLES_BY_NAME
from etl.validate import check_upload

from .exports import csv_bytes, neutralise_frame
from .safe_text import for_markdown

MAX_MB = 10
ACCEPT = "accept"
REVIEW_EXTRA = ("line", "confidence", "suggestions")
HIGHLIGHT = {"observations": "orange-background", "awards": "blue-background"}


def report_key(raw: bytes, name: str, options: tuple) -> str:
    return hashlib.sha256(raw + name.encode() + repr(options).encode()).hexdigest()[:16]


def review_frame(extraction: Extraction, table: str) -> pd.DataFrame:
    """One row per candidate: accept (off), the table's columns as text, line, confidence
    and suggestions."""
    spec = OBSERVATIONS if table == "observations" else AWARDS
    rows = extraction.rows(table)
    frame = pd.DataFrame(rows, columns=[*spec.column_names, *REVIEW_EXTRA]).astype(str)
    frame["confidence"] = pd.to_numeric(frame["confidence"])
    frame["line"] = pd.to_numeric(frame["line"]).astype(int)
    frame.insert(0, ACCEPT, False)
    return frame


def apply_edits(frame: pd.DataFrame, edits: dict) -> pd.DataFrame:
    """A data_editor's edited_rows applied to the stored frame (row position -> changes)."""
    out = frame.copy()
    for position, changes in (edits or {}).get("edited_rows", {}).items():
        for column, value in changes.items():
            if column in out.columns:
                out.iat[int(position), out.columns.get_loc(column)] = value if value is not None else (
                    False if column == ACCEPT else "")
    return out


def accept_suggested(frame: pd.DataFrame, table: str, minimum: float = 0.6) -> pd.DataFrame:
    """Accept the candidates that are complete (an indicator, a level) and confident
    enough, one per key: where two would share a key, the more confident one."""
    out = frame.copy()
    spec = TABLES_BY_NAME[table]
    needed = "indicator_id" if table == "observations" else "level"
    seen: set[tuple] = set(tuple(row) for row in out.loc[out[ACCEPT], list(spec.primary_key)].itertuples(index=False))
    for position in out.sort_values("confidence", ascending=False, kind="stable").index:
        row = out.loc[position]
        key = tuple(row[list(spec.primary_key)])
        if row[ACCEPT] or not str(row[needed]).strip() or float(row["confidence"]) < minimum or key in seen:
            continue
        out.at[position, ACCEPT] = True
        seen.add(key)
    return out


def accepted_rows(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The accepted rows in the table's columns, as text, numbered for the checks."""
    spec = TABLES_BY_NAME[table]
    chosen = frame[frame[ACCEPT].astype(bool)]
    out = chosen[list(spec.column_names)].astype(str).replace({"nan": "", "None": ""}).reset_index(drop=True)
    out.insert(0, LINE, range(2, len(out) + 2))
    return out


@dataclass
class NewRows:
    """Rows the curator adds to the parent tables: a new institution, source, indicators."""

    institutions: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)

    def frame(self, table: str) -> pd.DataFrame:
        spec = TABLES_BY_NAME[table]
        rows = getattr(self, table)
        return pd.DataFrame([{name: str(row.get(name, "") or "") for name in spec.column_names} for row in rows],
                            columns=list(spec.column_names))


def reference_with(reference: dict[str, pd.DataFrame], new: NewRows) -> dict[str, pd.DataFrame]:
    """The warehouse's reference tables plus the curator's new parent rows."""
    out = dict(reference)
    for table in ("institutions", "sources", "indicators"):
        extra = new.frame(table)
        if extra.empty:
            continue
        base = out.get(table)
        columns = list(base.columns) if base is not None else list(extra.columns)
        out[table] = pd.concat([base, extra[columns]], ignore_index=True) if base is not None else extra[columns]
    return out


@dataclass
class Checked:
    rows: dict[str, pd.DataFrame]  # table -> accepted rows as text (no line column)
    problems: pd.DataFrame  # table, row (1-based among the accepted), column, reason
    ok: bool


def check(frames: dict[str, pd.DataFrame], reference: dict, existing: dict[str, pd.DataFrame], new: NewRows,
          loaded_bases: pd.DataFrame | None = None) -> Checked:
    """The accepted rows of each table through etl.validate.check_upload, against the
    warehouse plus the new parent rows (and, for observations, the bases the warehouse's
    comparable indicators already use); the parents themselves are checked too."""
    problems, rows = [], {}
    full_reference = reference_with(reference, new)
    for table in ("institutions", "sources", "indicators"):
        extra = new.frame(table)
        if extra.empty:
            continue
        extra.insert(0, LINE, range(2, len(extra) + 2))
        others = {name: frame for name, frame in reference_with(reference, NewRows()).items()}
        _, found, _ = check_upload(table, extra, others, existing.get(table))
        problems += [(f"{table}.csv", p.line - 1 if p.line else "", p.column, p.message) for p in found]
        rows[table] = extra.drop(columns=[LINE])
    for table in ("observations", "awards"):
        accepted = accepted_rows(frames[table], table)
        rows[table] = accepted.drop(columns=[LINE])
        if accepted.empty:
            continue
        _, found, _ = check_upload(table, accepted, full_reference, existing.get(table),
                                   loaded_bases=loaded_bases if table == "observations" else None)
        problems += [(f"{table}.csv", p.line - 1 if p.line else "", p.column, p.message) for p in found]
    frame = pd.DataFrame(problems, columns=["file", "row", "column", "reason"])
    return Checked(rows, frame, frame.empty and any(not rows[t].empty for t in ("observations", "awards")))


def zip_bytes(rows: dict[str, pd.DataFrame]) -> bytes:
    """One CSV per table that has rows, named as in data/curated/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, frame in rows.items():
            if not frame.empty:
                archive.writestr(f"{table}.csv", csv_bytes(frame))
    return buffer.getvalue()


def xlsx_bytes(rows: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per table named as the CSV it belongs in; every cell text."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": {"strings_to_numbers": False,
                                                                                 "strings_to_formulas": False,
                                                                                 "strings_to_urls": False}}) as writer:
        for table, frame in rows.items():
            if not frame.empty:
                neutralise_frame(frame).to_excel(writer, sheet_name=table, index=False)
    return buffer.getvalue()


def highlighted(extraction: Extraction, limit: int | None = None) -> list[tuple[int, str]]:
    """Each paragraph that holds a candidate as Streamlit Markdown: the report's text
    escaped (never read as markup), each candidate's span coloured in place with the
    row number it has in its review table. Returns (line, markdown)."""
    spans: dict[int, list[tuple[int, int, str, int]]] = {}
    for table in ("observations", "awards"):
        for number, candidate in enumerate(getattr(extraction, table), start=1):
            spans.setdefault(candidate.paragraph, []).append((candidate.start, candidate.end, table, number))
    out = []
    for index in sorted(spans)[:limit]:
        paragraph = extraction.paragraphs[index]
        text, pieces, at = paragraph.text, [], 0
        for start, end, table, number in sorted(spans[index]):
            if start < at:
                continue  # overlapping spans (an award and its count): the first one shows
            pieces.append(for_markdown(text[at:start]))
            marker = "O" if table == "observations" else "A"
            pieces.append(f":{HIGHLIGHT[table]}[{for_markdown(text[start:end])}]:gray[{marker}{number}]")
            at = end
        pieces.append(for_markdown(text[at:]))
        out.append((paragraph.lines[0], "".join(pieces)))
    return out


SLUG = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


def slug_ok(value: str) -> bool:
    return bool(SLUG.match(value or ""))


def parent_columns() -> dict[str, tuple[str, ...]]:
    return {"institutions": INSTITUTIONS.column_names, "sources": SOURCES.column_names, "indicators": INDICATORS.column_names}
