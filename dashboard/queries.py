"""Every SQL query the app runs: parameterised, read-only, cached by warehouse version and filters.

User input reaches SQL only as bound parameters; the SQL text itself is built from fixed
fragments chosen by which filters are set.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .db import WarehouseRef, query
from .filters import Filters, Options

_CACHE = dict(max_entries=512, show_spinner=False, hash_funcs={Filters: Filters.key})


def _institution_clause(filters: Filters, alias: str = "i") -> tuple[str, list]:
    clauses, params = [], []
    if filters.types:
        clauses.append(f"list_contains(?, {alias}.type)")
        params.append(list(filters.types))
    if filters.provinces:
        clauses.append(f"list_contains(?, {alias}.province)")
        params.append(list(filters.provinces))
    if filters.institutions:
        clauses.append(f"list_contains(?, {alias}.institution_id)")
        params.append(list(filters.institutions))
    return " AND ".join(clauses) or "TRUE", params


def _period_clause(filters: Filters, alias: str) -> tuple[str, list]:
    clauses, params = [], []
    if filters.period_from is not None:
        clauses.append(f"coalesce({alias}.period_end, {alias}.period) >= ?")
        params.append(filters.period_from)
    if filters.period_to is not None:
        clauses.append(f"{alias}.period <= ?")
        params.append(filters.period_to)
    return " AND ".join(clauses) or "TRUE", params


# --- reference data --------------------------------------------------------------------

@st.cache_data(**_CACHE)
def options(ref: WarehouseRef) -> Options:
    institutions = query(ref, "SELECT institution_id, type, province FROM institutions ORDER BY institution_id")
    years = query(
        ref,
        """
        SELECT min(period) AS first_year, max(coalesce(period_end, period)) AS last_year FROM (
            SELECT period, period_end FROM observations UNION ALL SELECT period, period_end FROM awards
        )
        """,
    )
    first, last = years.iloc[0]["first_year"], years.iloc[0]["last_year"]
    first = int(first) if pd.notna(first) else 2020
    last = int(last) if pd.notna(last) else first
    return Options(
        types=tuple(sorted(institutions["type"].unique())),
        provinces=tuple(sorted(institutions["province"].unique())),
        institutions=tuple(institutions["institution_id"]),
        first_year=first,
        last_year=last,
    )


@st.cache_data(**_CACHE)
def institutions(ref: WarehouseRef) -> pd.DataFrame:
    """Every institution, in display order (province, then name)."""
    return query(
        ref,
        """
        SELECT institution_id, name_zh, name_en, type, secondary_type, alt_name_zh, alt_name_en,
               province, province_en, city, city_en, is_synthetic
        FROM institutions ORDER BY province, name_zh, institution_id
        """,
    )


@st.cache_data(**_CACHE)
def institutions_in_scope(ref: WarehouseRef, filters: Filters) -> pd.DataFrame:
    where, params = _institution_clause(filters)
    return query(
        ref,
        f"""
        SELECT institution_id, name_zh, name_en, type, secondary_type, alt_name_zh, alt_name_en,
               province, province_en, city, city_en, is_synthetic
        FROM institutions i WHERE {where}
        ORDER BY province, name_zh, institution_id
        """,
        params,
    )


@st.cache_data(**_CACHE)
def indicators(ref: WarehouseRef) -> pd.DataFrame:
    return query(
        ref,
        """
        SELECT indicator_id, theme, name_zh, name_en, unit, definition_zh, definition_en,
               higher_is_better, comparable
        FROM indicators
        ORDER BY array_position(['employment', 'training', 'competition', 'party_building', 'other'], theme),
                 indicator_id
        """,
    )


@st.cache_data(**_CACHE)
def sources(ref: WarehouseRef, filters: Filters) -> pd.DataFrame:
    where, params = _institution_clause(filters)
    return query(
        ref,
        f"""
        SELECT s.source_id, s.institution_id, i.name_zh AS institution_zh, i.name_en AS institution_en,
               s.title, s.title_en, s.kind, s.published, s.period_label, s.period_label_en,
               s.document, s.url, s.is_synthetic, s.notes,
               (SELECT count(*) FROM observations o WHERE o.source_id = s.source_id) AS figures,
               (SELECT count(*) FROM awards a WHERE a.source_id = s.source_id) AS award_rows
        FROM sources s JOIN institutions i USING (institution_id)
        WHERE {where}
        ORDER BY i.province, i.name_zh, s.source_id
        """,
        params,
    )


@st.cache_data(**_CACHE)
def build_info(ref: WarehouseRef) -> dict[str, str]:
    frame = query(ref, "SELECT key, value FROM build_info")
    return dict(zip(frame["key"], frame["value"]))


# --- figures ---------------------------------------------------------------------------

_OBSERVATION_COLUMNS = """
    o.institution_id, i.name_zh AS institution_zh, i.name_en AS institution_en, i.type, i.province,
    o.indicator_id, d.theme, d.name_zh AS indicator_zh, d.name_en AS indicator_en, d.unit,
    d.higher_is_better, d.comparable,
    o.period, o.period_end, o.period_type, o.value, o.qualifier, o.kind,
    o.source_id, s.title AS source_title, s.title_en AS source_title_en, s.document,
    o.evidence, o.notes
"""


@st.cache_data(**_CACHE)
def observations(
    ref: WarehouseRef,
    filters: Filters,
    themes: tuple[str, ...] = (),
    indicator_ids: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The tidy table: one row per figure, with its institution, indicator and source."""
    where_i, params = _institution_clause(filters)
    where_p, period_params = _period_clause(filters, "o")
    clauses = [where_i, where_p, "list_contains(?, o.kind)"]
    params += period_params + [list(filters.kinds)]
    if themes:
        clauses.append("list_contains(?, d.theme)")
        params.append(list(themes))
    if indicator_ids:
        clauses.append("list_contains(?, o.indicator_id)")
        params.append(list(indicator_ids))
    return query(
        ref,
        f"""
        SELECT {_OBSERVATION_COLUMNS}
        FROM observations o
        JOIN institutions i ON i.institution_id = o.institution_id
        JOIN indicators d ON d.indicator_id = o.indicator_id
        JOIN sources s ON s.source_id = o.source_id
        WHERE {' AND '.join(clauses)}
        ORDER BY array_position(['employment', 'training', 'competition', 'party_building', 'other'], d.theme),
                 o.indicator_id, i.province, i.name_zh, o.period, o.kind
        """,
        params,
    )


@st.cache_data(**_CACHE)
def awards(ref: WarehouseRef, filters: Filters) -> pd.DataFrame:
    """Award rows under the filters. Awards are results, so the actual/target filter keeps
    them unless only targets are asked for."""
    where_i, params = _institution_clause(filters)
    where_p, period_params = _period_clause(filters, "a")
    results_wanted = "TRUE" if "actual" in filters.kinds else "FALSE"
    return query(
        ref,
        f"""
        SELECT a.institution_id, i.name_zh AS institution_zh, i.name_en AS institution_en, i.type, i.province,
               a.period, a.period_end, a.period_type, a.competition, a.competition_en,
               a.level, a.grade, a.recipient, a.count, a.unit, a.qualifier, a.is_total,
               a.source_id, s.title AS source_title, s.title_en AS source_title_en, a.evidence, a.notes
        FROM awards a
        JOIN institutions i ON i.institution_id = a.institution_id
        JOIN sources s ON s.source_id = a.source_id
        WHERE {where_i} AND {where_p} AND {results_wanted}
        ORDER BY i.province, i.name_zh, a.period,
                 array_position(['international', 'national', 'provincial', 'municipal', 'school'], a.level),
                 a.competition, a.grade
        """,
        params + period_params,
    )


@st.cache_data(**_CACHE)
def figures_per_theme(ref: WarehouseRef, filters: Filters) -> pd.DataFrame:
    """Figures per institution and theme (awards rows count under competition)."""
    where_i, params = _institution_clause(filters)
    where_po, params_po = _period_clause(filters, "o")
    where_pa, params_pa = _period_clause(filters, "a")
    award_kind = "TRUE" if "actual" in filters.kinds else "FALSE"
    return query(
        ref,
        f"""
        WITH scope AS (SELECT institution_id FROM institutions i WHERE {where_i}),
        counted AS (
            SELECT o.institution_id, d.theme, count(*) AS figures
            FROM observations o JOIN indicators d USING (indicator_id)
            WHERE o.institution_id IN (SELECT institution_id FROM scope) AND {where_po}
              AND list_contains(?, o.kind)
            GROUP BY ALL
            UNION ALL
            SELECT a.institution_id, 'competition' AS theme, count(*) AS figures
            FROM awards a
            WHERE a.institution_id IN (SELECT institution_id FROM scope) AND {where_pa} AND {award_kind}
            GROUP BY ALL
        )
        SELECT institution_id, theme, sum(figures)::BIGINT AS figures FROM counted GROUP BY ALL
        """,
        params + params_po + [list(filters.kinds)] + params_pa,
    )


# --- reference data for checking an upload --------------------------------------------

_KEYS = {
    "institutions": ("institution_id",),
    "sources": ("source_id",),
    "indicators": ("indicator_id",),
    "observations": ("institution_id", "indicator_id", "period", "period_type", "kind", "source_id"),
    "awards": ("institution_id", "period", "period_type", "competition", "level", "grade", "recipient", "source_id"),
}


@st.cache_data(**_CACHE)
def upload_reference(ref: WarehouseRef) -> dict[str, pd.DataFrame]:
    """What an uploaded table is checked against, as text: parent ids, sources' owners,
    indicators' units."""
    return {
        "institutions": query(ref, "SELECT institution_id FROM institutions"),
        "sources": query(ref, "SELECT source_id, institution_id FROM sources"),
        "indicators": query(ref, "SELECT indicator_id, unit FROM indicators"),
    }


# Built once from the fixed names above: `table` only ever picks one of these, so no
# caller's string becomes part of the SQL.
_KEY_SELECTS = {
    table: f"SELECT {', '.join(f'CAST({column} AS VARCHAR) AS {column}' for column in columns)} FROM {table}"
    for table, columns in _KEYS.items()
}


def existing_keys(ref: WarehouseRef, table: str, institution_ids: tuple[str, ...]) -> pd.DataFrame:
    """Primary keys already loaded in `table` (for observations and awards: only those of
    the given institutions), as text. Any other table name is a KeyError."""
    select = _KEY_SELECTS[table]
    if table in ("observations", "awards"):
        return query(ref, f"{select} WHERE list_contains(?, institution_id)", [list(institution_ids)])
    return query(ref, select)
