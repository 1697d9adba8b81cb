"""Every SQL query the app runs: parameterised, read-only, cached by warehouse version and filters.

User input reaches SQL only as bound parameters; the SQL text itself is built from fixed
fragments chosen by which filters are set.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .db import WarehouseRef, query
from .filters import Filters, Options
from .order import PROVINCE_ORDER, place_order, province_sort_key  # noqa: F401  (PROVINCE_ORDER: for the pages)

_CACHE = dict(max_entries=512, show_spinner=False, hash_funcs={Filters: Filters.key})


# Institutions are listed as a bureau's tables list them: provinces in the standard order of
# the national statistics (GB/T 2260: 北京, 天津, 河北 …), then names by pinyin. The pinyin
# comes from pypinyin, which reads names as phrases (长沙 chángshā, 重庆 chóngqìng; ICU's
# collation in DuckDB reads 长 as zhǎng). The order is worked out once per warehouse
# (institutions()) and handed to SQL as a list, so a sorted page of a long table follows it.

# CTE `place`: institution_id and its place in the list (1 = first); params: _place_params.
_PLACE_CTE = "place AS (SELECT unnest(?::VARCHAR[]) AS institution_id, generate_subscripts(?::VARCHAR[], 1) AS place)"


def _place_params(ref: WarehouseRef) -> list:
    ids = institutions(ref)["institution_id"].tolist()
    return [ids, ids]


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
    # The build records the years its figures span (scanning 2.4M rows for them costs more
    # than every other query of the overview).
    info = build_info(ref)
    first = int(info["first_year"]) if info.get("first_year") else 2020
    last = int(info["last_year"]) if info.get("last_year") else first
    return Options(
        types=tuple(sorted(institutions["type"].unique())),
        provinces=tuple(sorted(institutions["province"].unique(), key=province_sort_key)),
        institutions=tuple(institutions["institution_id"]),
        first_year=first,
        last_year=last,
    )


@st.cache_data(**_CACHE)
def institutions(ref: WarehouseRef) -> pd.DataFrame:
    """Every institution, in display order (province, then name)."""
    frame = query(
        ref,
        """
        SELECT institution_id, name_zh, name_en, type, secondary_type, alt_name_zh, alt_name_en,
               province, province_en, city, city_en, is_synthetic
        FROM institutions
        """,
    )
    return frame.iloc[place_order(frame)].reset_index(drop=True)


@st.cache_resource(max_entries=8, show_spinner=False)
def institution_labels(ref: WarehouseRef, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """(institution id -> name, province -> province name) in `lang`, for the sidebar's
    pickers on every run. Kept as one shared object, not copied per run as cache_data
    would: building these from 11,000 Arrow-backed strings cost tens of milliseconds of
    every run. Callers only read them."""
    everyone = institutions(ref)
    names = dict(zip(everyone["institution_id"].tolist(), everyone["name_en" if lang == "en" else "name_zh"].tolist()))
    provinces = dict(zip(everyone["province"].tolist(), everyone["province_en" if lang == "en" else "province"].tolist()))
    return names, provinces


@st.cache_data(**_CACHE)
def institutions_in_scope(ref: WarehouseRef, filters: Filters) -> pd.DataFrame:
    where, params = _institution_clause(filters)
    return query(
        ref,
        f"""
        WITH {_PLACE_CTE}
        SELECT institution_id, name_zh, name_en, type, secondary_type, alt_name_zh, alt_name_en,
               province, province_en, city, city_en, is_synthetic
        FROM institutions i JOIN place pl USING (institution_id) WHERE {where}
        ORDER BY pl.place
        """,
        _place_params(ref) + params,
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
        WITH {_PLACE_CTE}
        SELECT s.source_id, s.institution_id, i.name_zh AS institution_zh, i.name_en AS institution_en,
               s.title, s.title_en, s.kind, s.published, s.period_label, s.period_label_en,
               s.document, s.url, s.is_synthetic, s.notes,
               (SELECT count(*) FROM observations o WHERE o.source_id = s.source_id) AS figures,
               (SELECT count(*) FROM awards a WHERE a.source_id = s.source_id) AS award_rows
        FROM sources s JOIN institutions i USING (institution_id) JOIN place pl ON pl.institution_id = s.institution_id
        WHERE {where}
        ORDER BY pl.place, s.source_id
        """,
        _place_params(ref) + params,
    )


@st.cache_data(**_CACHE)
def build_info(ref: WarehouseRef) -> dict[str, str]:
    frame = query(ref, "SELECT key, value FROM build_info")
    return dict(zip(frame["key"], frame["value"]))


# --- figures ---------------------------------------------------------------------------

_OBSERVATION_COLUMNS = """
    o.institution_id, i.name_zh AS institution_zh, i.name_en AS institution_en, i.type, i.province,
    o.indicator_id, d.theme, d.name_zh AS indicator_zh, d.name_en AS indicator_en, d.unit,
    d.higher_is_better, d.comparable, d.standard,
    o.period, o.period_end, o.period_type, o.value, o.qualifier, o.kind,
    o.basis, o.since, o.as_of, o.derivation,
    o.source_id, s.title AS source_title, s.title_en AS source_title_en, s.document,
    o.evidence, o.notes, o.conflict
"""


@st.cache_data(**_CACHE)
def observations(
    ref: WarehouseRef,
    filters: Filters,
    themes: tuple[str, ...] = (),
    indicator_ids: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The tidy table: one row per figure, with its institution, indicator and source."""
    where, params = _observation_where(filters, themes, indicator_ids, "")
    return query(
        ref,
        f"""
        WITH {_PLACE_CTE}
        SELECT {_OBSERVATION_COLUMNS}
        FROM observations o
        JOIN institutions i ON i.institution_id = o.institution_id
        JOIN place pl ON pl.institution_id = o.institution_id
        JOIN indicators d ON d.indicator_id = o.indicator_id
        JOIN sources s ON s.source_id = o.source_id
        WHERE {where}
        ORDER BY array_position(['employment', 'training', 'competition', 'party_building', 'other'], d.theme),
                 o.indicator_id, pl.place, o.period, o.kind
        """,
        _place_params(ref) + params,
    )


@st.cache_data(**_CACHE)
def default_pair(ref: WarehouseRef, filters: Filters) -> tuple[list[str], int, int]:
    """The compare page's default pair of filters.institutions (transforms.best_pair over
    their figures), cached: every new session opens the page on it, and at national scale
    pairing 30 colleges' figures costs seconds of CPU."""
    from .transforms import best_pair

    return best_pair(observations(ref, filters), list(filters.institutions))


@st.cache_data(**_CACHE)
def comparison(ref: WarehouseRef, filters: Filters, period: int | None = None) -> pd.DataFrame:
    """comparability.comparison_sets of filters.institutions' figures, in that order,
    cached: the compare page's table, its list of what is not compared and its chart all
    read one set, which costs a second of CPU to work out at national scale."""
    from .comparability import comparison_sets

    return comparison_sets(observations(ref, filters), list(filters.institutions), period)


@st.cache_data(**_CACHE)
def awards(ref: WarehouseRef, filters: Filters, limit: int | None = None, categories: tuple[str, ...] = ()) -> pd.DataFrame:
    """Award rows under the filters (the first `limit` of them when given: at national
    scale a page lists a few hundred of 700,000), of the given categories (all when
    empty). Awards are results, so the actual/target filter keeps them unless only
    targets are asked for."""
    where_i, params = _institution_clause(filters)
    where_p, period_params = _period_clause(filters, "a")
    results_wanted = "TRUE" if "actual" in filters.kinds else "FALSE"
    params = _place_params(ref) + params + period_params + [list(categories), list(categories)]
    limited = ""
    if limit is not None:
        limited = "LIMIT ?"
        params.append(int(limit))
    return query(
        ref,
        f"""
        WITH {_PLACE_CTE}
        SELECT a.institution_id, i.name_zh AS institution_zh, i.name_en AS institution_en, i.type, i.province,
               a.period, a.period_end, a.period_type, a.competition, a.competition_en, a.category,
               a.level, a.level_scope, a.grade, a.recipient, a.count, a.unit, a.qualifier, a.is_total,
               a.derivation, a.source_id, s.title AS source_title, s.title_en AS source_title_en,
               a.evidence, a.notes, a.conflict
        FROM awards a
        JOIN institutions i ON i.institution_id = a.institution_id
        JOIN place pl ON pl.institution_id = a.institution_id
        JOIN sources s ON s.source_id = a.source_id
        WHERE {where_i} AND {where_p} AND {results_wanted} AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], a.category))
        ORDER BY pl.place, a.institution_id, a.period,
                 array_position(['international', 'national', 'provincial', 'municipal', 'school'], a.level),
                 a.competition, a.grade
        {limited}
        """,
        params,
    )


def _figures_cte(filters: Filters, scope_columns: str = "institution_id") -> tuple[str, list]:
    """CTEs `scope` (institutions in scope, with scope_columns) and `counted` (figures
    per institution and theme under the filters; award rows count under competition)."""
    where_i, params = _institution_clause(filters)
    where_po, params_po = _period_clause(filters, "o")
    where_pa, params_pa = _period_clause(filters, "a")
    award_kind = "TRUE" if "actual" in filters.kinds else "FALSE"
    return (
        f"""scope AS (SELECT {scope_columns} FROM institutions i WHERE {where_i}),
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
        )""",
        params + params_po + [list(filters.kinds)] + params_pa,
    )


@st.cache_data(**_CACHE)
def figures_per_theme(ref: WarehouseRef, filters: Filters) -> pd.DataFrame:
    """Figures per institution and theme (awards rows count under competition)."""
    counted, params = _figures_cte(filters)
    return query(
        ref,
        f"""
        WITH {counted}
        SELECT institution_id, theme, sum(figures)::BIGINT AS figures FROM counted GROUP BY ALL
        """,
        params,
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
        "indicators": query(ref, "SELECT indicator_id, unit, CAST(comparable AS VARCHAR) AS comparable FROM indicators"),
    }


@st.cache_data(**_CACHE)
def loaded_bases(ref: WarehouseRef) -> pd.DataFrame:
    """Each comparable indicator's basis in the warehouse, so an upload of another basis
    is refused when checked, not by the next build."""
    return query(ref, """
        SELECT DISTINCT o.indicator_id, o.basis FROM observations o
        JOIN indicators i USING (indicator_id) WHERE i.comparable AND o.basis IS NOT NULL
    """)


@st.cache_data(**_CACHE)
def indicator_evidence(ref: WarehouseRef, per_indicator: int = 20) -> pd.DataFrame:
    """Up to per_indicator evidence excerpts of each indicator (the Curate page's
    suggestions learn from them), a bounded read however large the warehouse."""
    return query(
        ref,
        """
        SELECT indicator_id, source_id, evidence FROM (
            SELECT indicator_id, source_id, evidence,
                   row_number() OVER (PARTITION BY indicator_id ORDER BY source_id, period) AS n
            FROM observations)
        WHERE n <= ?
        """,
        [int(per_indicator)],
    )


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


# --- national scale: aggregates pushed into SQL ----------------------------------------
#
# At 11,000 institutions a page cannot pull every figure into pandas. These queries return
# one row per indicator, per bin, per ranked or chosen institution, or per page of rows.
#
# Which figures a distribution counts (said on the page too): actual figures only, each
# institution's latest in the period; exact and approximate (≈) values are counted, the
# approximate ones counted apart; lower bounds (>, ≥) are left out of the values and
# counted; targets are never mixed in (institutions with targets only are counted).

COUNTED_QUALIFIERS = ("exact", "approx")
BOUND_QUALIFIERS = ("more_than", "at_least")
HISTOGRAM_BINS = 30
PEER_GROUPS = ("type", "province", "type_province", "field", "custom")


def _field_clause(filters: Filters, alias: str = "i") -> tuple[str, list]:
    """The population a distribution is drawn over: the type and province filters, not the
    institutions filter (those are the institutions marked on it)."""
    field = Filters(types=filters.types, provinces=filters.provinces)
    where, params = _institution_clause(field, alias)
    return where, params


def _latest_cte(ref: WarehouseRef, filters: Filters, indicator_ids: tuple[str, ...]) -> tuple[str, list]:
    """CTE `latest`: each institution's latest actual figure per indicator in the period
    (latest end, then latest start, then the exact one; a remaining tie goes to the row
    loaded last, so the choice is stable for a given warehouse file).

    When the period filter spans every year, that is the ETL's table latest_actual, built
    by the same rule. A narrower period computes it here:

    The choice is packed into one BIGINT per row (period key × 2³² + rowid) whose max per
    group names the winning row: at national scale this is about twice as fast as
    arg_max over a struct and five times a row_number() window. The warehouse is written
    once and never updated, so rowids are stable; 2³² rows is far beyond any warehouse.
    """
    span = options(ref)
    if (filters.period_from or span.first_year) <= span.first_year and (filters.period_to or span.last_year) >= span.last_year:
        return (
            "latest AS (SELECT * FROM latest_actual WHERE list_contains(?, indicator_id))",
            [list(indicator_ids)],
        )
    where_p, params = _period_clause(filters, "o")
    return (
        f"""latest_row AS (
            SELECT max(((coalesce(o.period_end, o.period) * 10000 + o.period) * 10
                        + (o.qualifier = 'exact')::INTEGER)::BIGINT * 4294967296 + o.rowid) % 4294967296 AS row_id
            FROM observations o
            WHERE o.kind = 'actual' AND list_contains(?, o.indicator_id) AND {where_p}
            GROUP BY o.institution_id, o.indicator_id
        ),
        latest AS MATERIALIZED (
            SELECT o.institution_id, o.indicator_id, o.value, o.qualifier, o.period, o.period_end,
                   o.period_type, o.basis, o.since, o.as_of, o.source_id
            FROM observations o JOIN latest_row r ON o.rowid = r.row_id
        )""",
        [list(indicator_ids)] + params,
    )


# What makes two latest figures like for like (dashboard.comparability.LIKE_FIELDS, less
# kind: these are all actual figures).
_LIKE = ("period", "period_end", "period_type", "basis", "since", "as_of")


def _common_cte(source: str) -> str:
    """CTE `common`: per indicator, the like-for-like key (period, its end and type, basis,
    start year, measurement date) that most of `source`'s figures share, the latest on a
    tie. A distribution, a ranking or a percentile is drawn over those figures only: a
    2019 figure is never ranked against 2024 ones, nor a cumulative count against a flow."""
    key = ", ".join(_LIKE)
    return f"""common AS (
            SELECT indicator_id,
                   arg_max(struct_pack({key}), n * 10000 + coalesce(period_end, period)) AS like_key
            FROM (SELECT indicator_id, {key}, count(*) AS n FROM {source} GROUP BY ALL)
            GROUP BY indicator_id
        )"""


def _is_common(alias: str) -> str:
    """SQL: the row `alias` has its indicator's common like-for-like key (join `common` first)."""
    return " AND ".join(f"{alias}.{field} IS NOT DISTINCT FROM struct_extract(common.like_key, '{field}')" for field in _LIKE)


@st.cache_data(**_CACHE)
def distribution(
    ref: WarehouseRef, filters: Filters, indicator_ids: tuple[str, ...], bins: int = HISTOGRAM_BINS
) -> pd.DataFrame:
    """Per indicator, the spread of the latest actual values over the field, and a histogram.

    One row per indicator and bin (bin is NULL for an indicator with no counted value).
    Columns: indicator_id, n (counted values), n_approx, n_bound, n_target_only, n_field,
    min, q1, median, q3, p99, max, first_period, last_period, n_academic, whole, log_scale,
    bin, lo, hi, overflow, institutions.

    Bins (transforms.histogram follows the same rule for values already in pandas):
    - whole numbers spanning fewer than `bins` values (meetings, classes): one bin per
      number, lo/hi half a unit either side, so no empty slivers fall between integers;
    - else equal widths from min to p99, on a log scale when the values are positive,
      p99 is at least 20 × min and the unit is not a percentage (people and money are
      skewed: a linear scale would put most institutions in the first bin);
    - values above p99 share one last bin (overflow), lo = p99, hi = max.
    """
    where_f, params_f = _field_clause(filters)
    latest, params_l = _latest_cte(ref, filters, indicator_ids)
    where_p, params_p = _period_clause(filters, "o")
    targets_wanted = "TRUE" if "target" in filters.kinds else "FALSE"
    actual_wanted = "TRUE" if "actual" in filters.kinds else "FALSE"
    return query(
        ref,
        f"""
        WITH {latest},
        setting AS (SELECT ?::INTEGER AS bins),
        field AS (SELECT institution_id FROM institutions i WHERE {where_f}),
        in_field AS MATERIALIZED (
            SELECT l.* FROM latest l
            WHERE l.institution_id IN (SELECT institution_id FROM field) AND {actual_wanted}
        ),
        {_common_cte("in_field")},
        mine AS MATERIALIZED (
            SELECT l.*, list_contains(?, l.qualifier) AND {_is_common("l")} AS counted,
                   NOT ({_is_common("l")}) AS other_period
            FROM in_field l JOIN common USING (indicator_id)
        ),
        targets_only AS (
            SELECT o.indicator_id, count(DISTINCT o.institution_id) AS n_target_only
            FROM observations o
            WHERE o.kind = 'target' AND {targets_wanted} AND list_contains(?, o.indicator_id) AND {where_p}
              AND o.institution_id IN (SELECT institution_id FROM field)
              AND NOT EXISTS (SELECT 1 FROM mine m WHERE m.institution_id = o.institution_id AND m.indicator_id = o.indicator_id)
            GROUP BY ALL
        ),
        stats AS (
            SELECT d.indicator_id, d.unit,
                   count(m.value) FILTER (m.counted) AS n,
                   count(m.value) FILTER (m.counted AND m.qualifier = 'approx') AS n_approx,
                   count(m.value) FILTER (NOT m.counted AND NOT m.other_period) AS n_bound,
                   count(m.value) FILTER (m.other_period) AS n_other_period,
                   min(m.value) FILTER (m.counted) AS min,
                   quantile_cont(m.value, [0.25, 0.5, 0.75, 0.99]) FILTER (m.counted) AS q,
                   max(m.value) FILTER (m.counted) AS max,
                   min(m.period) FILTER (m.counted) AS first_period,
                   max(coalesce(m.period_end, m.period)) FILTER (m.counted) AS last_period,
                   count(m.value) FILTER (m.counted AND m.period_type = 'academic_year') AS n_academic,
                   coalesce(bool_and(m.value = floor(m.value)) FILTER (m.counted), FALSE) AS whole_values
            FROM indicators d LEFT JOIN mine m USING (indicator_id)
            WHERE list_contains(?, d.indicator_id)
            GROUP BY ALL
        ),
        edges AS (
            SELECT s.* EXCLUDE (q), s.q[1] AS q1, s.q[2] AS median, s.q[3] AS q3, s.q[4] AS p99, t.bins,
                   (SELECT count(*) FROM field) AS n_field
            FROM stats s CROSS JOIN setting t
        ),
        rules AS (
            SELECT *, whole_values AND p99 - min < bins AS whole,
                   NOT (whole_values AND p99 - min < bins) AND min > 0 AND p99 >= 20 * min AND unit <> 'percent' AS log_scale
            FROM edges
        ),
        ends AS (
            SELECT *, CASE WHEN log_scale THEN ln(min) ELSE min END AS a,
                      CASE WHEN log_scale THEN ln(p99) ELSE p99 END AS b
            FROM rules
        ),
        binned AS (
            SELECT m.indicator_id,
                   CASE WHEN m.value > e.p99 THEN e.bins
                        WHEN e.whole THEN (m.value - e.min)::INTEGER
                        WHEN e.b <= e.a THEN 0
                        ELSE least(e.bins - 1, floor(((CASE WHEN e.log_scale THEN ln(m.value) ELSE m.value END) - e.a)
                                                     / (e.b - e.a) * e.bins))::INTEGER
                   END AS bin,
                   count(*) AS institutions
            FROM mine m JOIN ends e ON e.indicator_id = m.indicator_id
            WHERE m.counted
            GROUP BY ALL
        )
        SELECT e.indicator_id, e.n, e.n_approx, e.n_bound, e.n_other_period, coalesce(t.n_target_only, 0) AS n_target_only, e.n_field,
               e.min, e.q1, e.median, e.q3, e.p99, e.max, e.first_period, e.last_period, e.n_academic,
               e.whole, e.log_scale,
               b.bin,
               CASE WHEN b.bin = e.bins THEN e.p99
                    WHEN e.whole THEN e.min + b.bin - 0.5
                    WHEN e.b <= e.a THEN e.min
                    WHEN e.log_scale THEN exp(e.a + (e.b - e.a) * b.bin / e.bins)
                    ELSE e.a + (e.b - e.a) * b.bin / e.bins END AS lo,
               CASE WHEN b.bin = e.bins THEN e.max
                    WHEN e.whole THEN e.min + b.bin + 0.5
                    WHEN e.b <= e.a THEN e.max
                    WHEN e.log_scale THEN exp(e.a + (e.b - e.a) * (b.bin + 1) / e.bins)
                    ELSE e.a + (e.b - e.a) * (b.bin + 1) / e.bins END AS hi,
               coalesce(b.bin = e.bins, FALSE) AS overflow,
               coalesce(b.institutions, 0) AS institutions
        FROM ends e
        LEFT JOIN binned b ON b.indicator_id = e.indicator_id
        LEFT JOIN targets_only t ON t.indicator_id = e.indicator_id
        ORDER BY e.indicator_id, b.bin
        """,
        params_l + [int(bins)] + params_f + [list(COUNTED_QUALIFIERS), list(indicator_ids)] + params_p + [list(indicator_ids)],
    )


_LATEST_COLUMNS = """
    l.institution_id, i.name_zh AS institution_zh, i.name_en AS institution_en, i.type, i.province,
    l.indicator_id, l.value, l.qualifier, l.period, l.period_end, l.period_type, l.basis, l.since, l.as_of,
    l.source_id, s.title AS source_title, s.title_en AS source_title_en
"""


@st.cache_data(**_CACHE)
def ranked(ref: WarehouseRef, filters: Filters, indicator_ids: tuple[str, ...], n: int = 10) -> pd.DataFrame:
    """Per indicator, the first and last n institutions of the field by latest counted
    value (exact or ≈). 'top' is the best end: the largest values, or the smallest where
    lower is better; with no stated direction, simply the largest. Ties share a rank
    (rank 1, 1, 3) and are listed by institution id.

    Columns: indicator_id, end ('top' / 'bottom'), rank (1 = best or largest), n (values
    ranked), institution columns, value, qualifier, period, period_end, period_type, source.
    """
    where_f, params_f = _field_clause(filters)
    latest, params_l = _latest_cte(ref, filters, indicator_ids)
    actual_wanted = "TRUE" if "actual" in filters.kinds else "FALSE"
    return query(
        ref,
        f"""
        WITH {latest},
        in_field AS MATERIALIZED (
            SELECT l.* FROM latest l JOIN institutions i ON i.institution_id = l.institution_id
            WHERE {where_f} AND {actual_wanted}
        ),
        {_common_cte("in_field")},
        scored AS (
            SELECT l.*, CASE WHEN d.higher_is_better = FALSE THEN l.value ELSE -l.value END AS badness
            FROM in_field l
            JOIN common USING (indicator_id)
            JOIN indicators d ON d.indicator_id = l.indicator_id
            WHERE list_contains(?, l.qualifier) AND {_is_common("l")}
        ),
        ordered AS (
            -- One sort, on the value and the id (sorting by name as well doubled the cost);
            -- the rank is the first place in a run of equal values, so ties share it.
            SELECT *, row_number() OVER (PARTITION BY indicator_id ORDER BY badness, institution_id) AS from_top,
                      count(*) OVER (PARTITION BY indicator_id) AS n
            FROM scored
        ),
        picked AS (
            SELECT *, min(from_top) OVER (PARTITION BY indicator_id, badness) AS rank
            FROM ordered
            QUALIFY from_top <= ? OR from_top > n - ?
        )
        SELECT r.indicator_id, CASE WHEN r.from_top <= ? THEN 'top' ELSE 'bottom' END AS "end",
               r.rank, r.n, r.from_top,
               r.institution_id, i.name_zh AS institution_zh, i.name_en AS institution_en, i.type, i.province,
               r.value, r.qualifier, r.period, r.period_end, r.period_type,
               r.source_id, s.title AS source_title, s.title_en AS source_title_en
        FROM picked r
        JOIN institutions i ON i.institution_id = r.institution_id
        JOIN sources s ON s.source_id = r.source_id
        ORDER BY r.indicator_id, r.from_top
        """,
        params_l + params_f + [list(COUNTED_QUALIFIERS), n, n, n],
    )


def _peer_condition(peer: str) -> str:
    """How a peer p relates to a chosen institution c (both joined to institutions)."""
    return {
        "type": "pi.type = ci.type",
        "province": "pi.province = ci.province",
        "type_province": "pi.type = ci.type AND pi.province = ci.province",
        "field": "p.institution_id IN (SELECT institution_id FROM field)",
        "custom": "(list_contains(?, p.institution_id) OR p.institution_id = c.institution_id)",
    }[peer]


@st.cache_data(**_CACHE)
def peer_positions(
    ref: WarehouseRef,
    filters: Filters,
    indicator_ids: tuple[str, ...],
    chosen: tuple[str, ...],
    peer: str = "type",
    custom: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Where each chosen institution's latest actual value sits among its peers.

    One row per chosen institution and indicator it has a latest actual figure for.
    Peer groups (the institution itself always belongs): 'type' same type, 'province' same
    province, 'type_province' both, 'field' the institutions the type and province filters
    allow, 'custom' a given list. Peers count only with a counted value (exact or ≈) of the
    same period, basis and measurement date as the institution's own figure.
    Columns: institution columns, indicator_id, value, qualifier, period…, source, and
    peer_n, below, equal, above (peers with a smaller, equal, larger value; equal includes
    the institution itself). NULL counts when its own value is a bound (>, ≥): its place
    is not known. transforms.percentiles turns the counts into a percentile.
    """
    if peer not in PEER_GROUPS:
        raise ValueError(f"unknown peer group {peer!r}")
    where_f, params_f = _field_clause(filters)
    latest, params_l = _latest_cte(ref, filters, indicator_ids)
    actual_wanted = "TRUE" if "actual" in filters.kinds else "FALSE"
    custom_params = [list(custom)] if peer == "custom" else []
    return query(
        ref,
        f"""
        WITH {latest},
        field AS (SELECT institution_id FROM institutions i WHERE {where_f}),
        chosen AS (SELECT * FROM latest WHERE list_contains(?, institution_id) AND {actual_wanted}),
        counts AS (
            SELECT c.institution_id, c.indicator_id,
                   count(*) AS peer_n,
                   count(*) FILTER (p.value < c.value) AS below,
                   count(*) FILTER (p.value = c.value) AS equal,
                   count(*) FILTER (p.value > c.value) AS above
            FROM chosen c
            JOIN institutions ci ON ci.institution_id = c.institution_id
            JOIN latest p ON p.indicator_id = c.indicator_id
            JOIN institutions pi ON pi.institution_id = p.institution_id
            WHERE list_contains(?, c.qualifier) AND list_contains(?, p.qualifier) AND {_peer_condition(peer)}
              AND {" AND ".join(f"p.{field} IS NOT DISTINCT FROM c.{field}" for field in _LIKE)}
            GROUP BY ALL
        )
        SELECT {_LATEST_COLUMNS}, k.peer_n, k.below, k.equal, k.above
        FROM chosen l
        JOIN institutions i ON i.institution_id = l.institution_id
        JOIN sources s ON s.source_id = l.source_id
        LEFT JOIN counts k ON k.institution_id = l.institution_id AND k.indicator_id = l.indicator_id
        ORDER BY l.indicator_id, list_position(?, l.institution_id)
        """,
        params_l + params_f + [list(chosen), list(COUNTED_QUALIFIERS), list(COUNTED_QUALIFIERS)] + custom_params + [list(chosen)],
    )


@st.cache_data(**_CACHE)
def peer_sizes(ref: WarehouseRef, filters: Filters, chosen: tuple[str, ...], peer: str = "type", custom: tuple[str, ...] = ()) -> pd.DataFrame:
    """How many institutions each chosen institution's peer group holds (whether or not
    they report): institution_id, peers."""
    if peer not in PEER_GROUPS:
        raise ValueError(f"unknown peer group {peer!r}")
    where_f, params_f = _field_clause(filters)
    condition = _peer_condition(peer).replace("p.institution_id", "pi.institution_id").replace("c.institution_id", "ci.institution_id")
    return query(
        ref,
        f"""
        WITH field AS (SELECT institution_id FROM institutions i WHERE {where_f})
        SELECT ci.institution_id, count(*) AS peers
        FROM institutions ci JOIN institutions pi ON {condition}
        WHERE list_contains(?, ci.institution_id)
        GROUP BY ALL
        """,
        params_f + ([list(custom)] if peer == "custom" else []) + [list(chosen)],
    )


@st.cache_data(**_CACHE)
def trend(
    ref: WarehouseRef,
    filters: Filters,
    indicator_id: str,
    chosen: tuple[str, ...],
    peer: str = "type",
    custom: tuple[str, ...] = (),
) -> pd.DataFrame:
    """One indicator over the years: the chosen institutions' actual figures, and the
    median of each of their peer groups per period.

    Academic-year and calendar-year periods stay apart (period_type is part of every
    series key), never merged. Peer medians count exact and ≈ values, one per institution
    and period (the exact one first, then the greater source id).
    Columns: series ('institution' / 'median'), institution_id (for a median: the chosen
    institution whose peer group it is; NULL for the field), group_key (type, province,
    'field' or 'custom'), period, period_end, period_type, value, qualifier, source_id,
    source_title, source_title_en, peers (values behind a median).
    """
    if peer not in PEER_GROUPS:
        raise ValueError(f"unknown peer group {peer!r}")
    where_f, params_f = _field_clause(filters)
    where_p, params_p = _period_clause(filters, "o")
    group_key = {
        "type": "pi.type", "province": "pi.province", "type_province": "pi.type || ' · ' || pi.province",
        "field": "'field'", "custom": "'custom'",
    }[peer]
    chosen_key = group_key.replace("pi.", "ci.")
    if peer == "field":
        membership = "p.institution_id IN (SELECT institution_id FROM field)"
    elif peer == "custom":
        membership = "(list_contains(?, p.institution_id) OR list_contains(?, p.institution_id))"
    else:
        membership = f"{group_key} IN (SELECT key FROM wanted)"
    custom_params = [list(custom), list(chosen)] if peer == "custom" else []
    actual_wanted = "TRUE" if "actual" in filters.kinds else "FALSE"
    return query(
        ref,
        f"""
        WITH field AS (SELECT institution_id FROM institutions i WHERE {where_f}),
        wanted AS (SELECT DISTINCT {chosen_key} AS key FROM institutions ci WHERE list_contains(?, ci.institution_id)),
        per_year AS (
            SELECT o.institution_id, o.period, o.period_end, o.period_type,
                   arg_max(o.value, (o.qualifier = 'exact', o.source_id)) AS value
            FROM observations o
            WHERE o.indicator_id = ? AND o.kind = 'actual' AND {actual_wanted} AND {where_p}
              AND list_contains(?, o.qualifier)
            GROUP BY ALL
        ),
        medians AS (
            SELECT {group_key} AS group_key, p.period, p.period_end, p.period_type,
                   quantile_cont(p.value, 0.5) AS value, count(*) AS peers
            FROM per_year p JOIN institutions pi ON pi.institution_id = p.institution_id
            WHERE {membership}
            GROUP BY ALL
        )
        SELECT 'institution' AS series, o.institution_id, {chosen_key} AS group_key, o.period, o.period_end, o.period_type,
               o.value, o.qualifier, o.source_id, s.title AS source_title, s.title_en AS source_title_en, NULL::BIGINT AS peers
        FROM observations o
        JOIN institutions ci ON ci.institution_id = o.institution_id
        JOIN sources s ON s.source_id = o.source_id
        WHERE o.indicator_id = ? AND o.kind = 'actual' AND {actual_wanted} AND {where_p}
          AND list_contains(?, o.institution_id)
        UNION ALL
        SELECT 'median', NULL, m.group_key, m.period, m.period_end, m.period_type, m.value, 'exact', NULL, NULL, NULL, m.peers
        FROM medians m
        ORDER BY series DESC, institution_id, period_type, period, period_end
        """,
        params_f + [list(chosen), indicator_id] + params_p + [list(COUNTED_QUALIFIERS)] + custom_params
        + [indicator_id] + params_p + [list(chosen)],
    )


def _observation_where(
    filters: Filters, themes: tuple[str, ...], indicator_ids: tuple[str, ...], search: str
) -> tuple[str, list]:
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
    if search:
        # contains(), not LIKE: the user's % and _ are plain characters. The term is matched
        # in each field on its own, names and titles in their small tables first: one
        # lowered concatenation of every field over 1.6 million rows took 3 s, this 75 ms.
        clauses.append("""(
            o.institution_id IN (SELECT institution_id FROM institutions
                                 WHERE contains(lower(concat_ws(' ', institution_id, name_zh, name_en, province, province_en)), lower(?)))
            OR o.indicator_id IN (SELECT indicator_id FROM indicators
                                  WHERE contains(lower(concat_ws(' ', indicator_id, name_zh, name_en)), lower(?)))
            OR o.source_id IN (SELECT source_id FROM sources WHERE contains(lower(concat_ws(' ', title, title_en)), lower(?)))
            OR contains(lower(coalesce(o.evidence, '') || ' ' || coalesce(o.notes, '')), lower(?))
        )""")
        params += [search] * 4
    return " AND ".join(clauses), params


@st.cache_data(**_CACHE)
def observation_count(
    ref: WarehouseRef, filters: Filters, themes: tuple[str, ...] = (), indicator_ids: tuple[str, ...] = (), search: str = ""
) -> int:
    """How many figures match: what the Data page says before it shows the first rows."""
    where, params = _observation_where(filters, themes, indicator_ids, search)
    # The joins only narrow when a filter names their columns (every figure has its
    # institution and indicator: the build checks it), so they are left out otherwise.
    joins = ""
    if filters.types or filters.provinces or filters.institutions:
        joins += " JOIN institutions i ON i.institution_id = o.institution_id"
    if themes:
        joins += " JOIN indicators d ON d.indicator_id = o.indicator_id"
    frame = query(ref, f"SELECT count(*) AS n FROM observations o{joins} WHERE {where}", params)
    return int(frame.iloc[0]["n"])


# How the Data page may sort its rows (the keys are the only ones accepted; each maps to
# fixed SQL). After the chosen key the rows keep the usual order: theme, indicator, place.
DATA_SORTS = ("default", "value", "institution", "period")
_SORT_SQL = {
    "default": [],
    "value": ["o.value"],
    "institution": ["pl.place"],
    "period": ["coalesce(o.period_end, o.period)", "o.period"],
}
_USUAL_ORDER = [
    "array_position(['employment', 'training', 'competition', 'party_building', 'other'], d.theme)",
    "o.indicator_id", "pl.place", "o.institution_id", "o.period", "o.kind", "o.source_id", "o.rowid",
]


@st.cache_data(**_CACHE)
def observations_page(
    ref: WarehouseRef,
    filters: Filters,
    themes: tuple[str, ...] = (),
    indicator_ids: tuple[str, ...] = (),
    search: str = "",
    limit: int = 1000,
    offset: int = 0,
    sort: str = "default",
    descending: bool = False,
) -> pd.DataFrame:
    """The tidy table (as observations()), narrowed, searched and sorted in SQL over every
    matching row, `limit` rows from `offset`. Search matches institution (id, names,
    province), indicator (id, names), source title, evidence or notes, case-insensitively,
    as plain text within one field. sort: a key of DATA_SORTS (then the usual order)."""
    if sort not in _SORT_SQL:
        raise ValueError(f"unknown sort {sort!r}")
    where, params = _observation_where(filters, themes, indicator_ids, search)
    keys = _SORT_SQL[sort] + _USUAL_ORDER
    directions = ["DESC" if descending else "ASC"] * len(_SORT_SQL[sort]) + ["ASC"] * len(_USUAL_ORDER)
    picked = ", ".join(f"{expr} AS k{n}" for n, expr in enumerate(keys))
    inner = ", ".join(f"k{n} {direction}" for n, direction in enumerate(directions))
    outer = ", ".join(f"p.k{n} {direction}" for n, direction in enumerate(directions))
    # The page's rows are picked first, by rowid, and only they are joined to their
    # sources and given every column: the sort no longer carries a million wide rows.
    return query(
        ref,
        f"""
        WITH {_PLACE_CTE},
        page AS (
            SELECT o.rowid AS row_id, {picked} FROM observations o
            JOIN institutions i ON i.institution_id = o.institution_id
            JOIN place pl ON pl.institution_id = o.institution_id
            JOIN indicators d ON d.indicator_id = o.indicator_id
            WHERE {where}
            ORDER BY {inner}
            LIMIT ? OFFSET ?
        )
        SELECT {_OBSERVATION_COLUMNS}
        FROM page p
        JOIN observations o ON o.rowid = p.row_id
        JOIN institutions i ON i.institution_id = o.institution_id
        JOIN indicators d ON d.indicator_id = o.indicator_id
        JOIN sources s ON s.source_id = o.source_id
        ORDER BY {outer}
        """,
        _place_params(ref) + params + [int(limit), int(offset)],
    )


@st.cache_data(**_CACHE)
def standard_coverage(ref: WarehouseRef, filters: Filters, by: str = "institution") -> pd.DataFrame:
    """How much of each national standard set the scope reports: per institution (by =
    'institution') or per institution type ('type'), per set: `reported` (standard
    indicators with at least one actual figure under the filters, per institution;
    for a type, the mean per institution), `total` (standard indicators in the set),
    `institutions` (in the group)."""
    if by not in ("institution", "type"):
        raise ValueError(f"unknown grouping {by!r}")
    group = "i.institution_id" if by == "institution" else "i.type"
    where_i, params = _institution_clause(filters)
    where_p, params_p = _period_clause(filters, "o")
    return query(
        ref,
        f"""
        WITH scope AS (SELECT institution_id, type FROM institutions i WHERE {where_i}),
        sets AS (SELECT "set", count(*) AS total FROM standards GROUP BY "set"),
        reported AS (
            SELECT o.institution_id, s."set", count(DISTINCT d.standard) AS reported
            FROM observations o JOIN indicators d USING (indicator_id) JOIN standards s ON s.standard_id = d.standard
            WHERE o.institution_id IN (SELECT institution_id FROM scope) AND o.kind = 'actual' AND {where_p}
            GROUP BY ALL
        ),
        grid AS (
            SELECT i.institution_id, i.type, z."set", z.total, coalesce(r.reported, 0) AS reported
            FROM scope i CROSS JOIN sets z
            LEFT JOIN reported r ON r.institution_id = i.institution_id AND r."set" = z."set"
        )
        SELECT {group.replace("i.", "")} AS "group", "set", any_value(total) AS total,
               avg(reported)::DOUBLE AS reported, count(*) AS institutions
        FROM grid i GROUP BY ALL ORDER BY 1, 2
        """,
        params + params_p,
    )


@st.cache_data(**_CACHE)
def scope_counts(ref: WarehouseRef, filters: Filters) -> dict[str, int]:
    """The overview's numbers, counted in SQL: institutions, sources, figures, award rows, and
    competition awards in items and in person-times (counted as the competition page does)."""
    where_i, params = _institution_clause(filters)
    where_po, params_po = _period_clause(filters, "o")
    where_pa, params_pa = _period_clause(filters, "a")
    awards_wanted = "TRUE" if "actual" in filters.kinds else "FALSE"
    frame = query(
        ref,
        f"""
        WITH scope AS (SELECT institution_id FROM institutions i WHERE {where_i})
        SELECT (SELECT count(*) FROM scope) AS institutions,
               (SELECT count(*) FROM sources s WHERE s.institution_id IN (SELECT institution_id FROM scope)) AS sources,
               (SELECT count(*) FROM observations o WHERE o.institution_id IN (SELECT institution_id FROM scope)
                    AND {where_po} AND list_contains(?, o.kind)) AS figures,
               (SELECT count(*) FROM awards a WHERE a.institution_id IN (SELECT institution_id FROM scope)
                    AND {where_pa} AND {awards_wanted}) AS award_rows,
               -- Awards, not rows: competition awards counted as the competition page counts
               -- them (a report's total and its own items never both), items and
               -- person-times apart (never added).
               (SELECT coalesce(sum(a.count), 0) FROM award_counted a WHERE a.institution_id IN (SELECT institution_id FROM scope)
                    AND {where_pa} AND {awards_wanted} AND a.category = 'competition' AND a.unit = 'items') AS award_items,
               (SELECT coalesce(sum(a.count), 0) FROM award_counted a WHERE a.institution_id IN (SELECT institution_id FROM scope)
                    AND {where_pa} AND {awards_wanted} AND a.category = 'competition' AND a.unit = 'person_times') AS award_person_times
        """,
        params + params_po + [list(filters.kinds)] + params_pa + params_pa + params_pa,
    )
    return {key: int(value) for key, value in frame.iloc[0].items()}


@st.cache_data(**_CACHE)
def figures_per_theme_by(ref: WarehouseRef, filters: Filters, by: str = "type") -> pd.DataFrame:
    """Figures per theme summed over a group of institutions (type or province), with the
    group's institution count: group, theme, figures, institutions. For scopes too large
    for a bar per institution."""
    column = {"type": "i.type", "province": "i.province"}[by]
    counted, params = _figures_cte(filters, f"institution_id, {column} AS grp")
    return query(
        ref,
        f"""
        WITH {counted},
        sizes AS (SELECT grp, count(*) AS institutions FROM scope GROUP BY grp)
        SELECT s.grp AS "group", c.theme, sum(c.figures)::BIGINT AS figures, z.institutions
        FROM counted c JOIN scope s USING (institution_id) JOIN sizes z ON z.grp = s.grp
        GROUP BY ALL
        ORDER BY "group", c.theme
        """,
        params,
    )


@st.cache_data(**_CACHE)
def completeness_status(ref: WarehouseRef, filters: Filters, theme: str) -> pd.DataFrame:
    """Per institution in scope and indicator of the theme that it reported: its status,
    with the rule of transforms.completeness ('exact' if an actual exact figure, else
    'approx' if any actual, else 'target'). Unlisted pairs are missing."""
    where_i, params = _institution_clause(filters)
    where_p, params_p = _period_clause(filters, "o")
    return query(
        ref,
        f"""
        SELECT o.institution_id, o.indicator_id,
               CASE WHEN bool_or(o.kind = 'actual' AND o.qualifier = 'exact') THEN 'exact'
                    WHEN bool_or(o.kind = 'actual') THEN 'approx'
                    ELSE 'target' END AS status
        FROM observations o
        JOIN institutions i ON i.institution_id = o.institution_id
        JOIN indicators d ON d.indicator_id = o.indicator_id
        WHERE {where_i} AND {where_p} AND list_contains(?, o.kind) AND d.theme = ?
        GROUP BY ALL
        """,
        params + params_p + [list(filters.kinds), theme],
    )


@st.cache_data(**_CACHE)
def completeness_counts(ref: WarehouseRef, filters: Filters, theme: str) -> pd.DataFrame:
    """Per indicator of the theme: how many institutions in scope have each status
    (exact / approx / target / missing): indicator_id, status, institutions, scope_n."""
    where_i, params = _institution_clause(filters)
    where_p, params_p = _period_clause(filters, "o")
    return query(
        ref,
        f"""
        WITH scope AS (SELECT institution_id FROM institutions i WHERE {where_i}),
        status AS (
            SELECT o.institution_id, o.indicator_id,
                   CASE WHEN bool_or(o.kind = 'actual' AND o.qualifier = 'exact') THEN 'exact'
                        WHEN bool_or(o.kind = 'actual') THEN 'approx'
                        ELSE 'target' END AS status
            FROM observations o JOIN indicators d ON d.indicator_id = o.indicator_id
            WHERE o.institution_id IN (SELECT institution_id FROM scope) AND {where_p}
              AND list_contains(?, o.kind) AND d.theme = ?
            GROUP BY ALL
        ),
        counted AS (SELECT indicator_id, status, count(*) AS institutions FROM status GROUP BY ALL),
        n AS (SELECT count(*) AS scope_n FROM scope)
        SELECT d.indicator_id, c.status, c.institutions::BIGINT AS institutions, n.scope_n
        FROM indicators d CROSS JOIN n JOIN counted c USING (indicator_id)
        WHERE d.theme = ?
        UNION ALL
        SELECT d.indicator_id, 'missing', (n.scope_n - coalesce(sum(c.institutions), 0))::BIGINT, n.scope_n
        FROM indicators d CROSS JOIN n LEFT JOIN counted c USING (indicator_id)
        WHERE d.theme = ?
        GROUP BY d.indicator_id, n.scope_n
        ORDER BY indicator_id, status
        """,
        params + params_p + [list(filters.kinds), theme, theme, theme],
    )


def _counted_awards_cte(filters: Filters, field_only: bool) -> tuple[str, list]:
    """CTEs `scope` and `counted`: the awards to count in scope, from the ETL's table
    award_counted (a report's total replaces its itemised rows of the same source, period,
    level, recipient and unit; rows summed, award_rows saying how many each sum stands for),
    with the tier of transforms.TIER_OF_GRADE."""
    if field_only:
        where_i, params = _field_clause(filters)
    else:
        where_i, params = _institution_clause(filters)
    where_p, params_p = _period_clause(filters, "a")
    results_wanted = "TRUE" if "actual" in filters.kinds else "FALSE"
    tier = """CASE a.grade WHEN 'gold' THEN 'tier1' WHEN 'first' THEN 'tier1'
                           WHEN 'silver' THEN 'tier2' WHEN 'second' THEN 'tier2'
                           WHEN 'bronze' THEN 'tier3' WHEN 'third' THEN 'tier3'
                           ELSE a.grade END"""
    return (
        f"""scope AS (SELECT institution_id, type, province FROM institutions i WHERE {where_i}),
        counted AS (
            SELECT a.*, {tier} AS tier FROM award_counted a
            WHERE a.institution_id IN (SELECT institution_id FROM scope) AND {where_p} AND {results_wanted}
              AND a.category = 'competition'  -- honours and prizes are not competitions
        )""",
        params + params_p,
    )


@st.cache_data(**_CACHE)
def award_breakdown(ref: WarehouseRef, filters: Filters) -> pd.DataFrame:
    """Counted awards of the scope per institution type and level, tier and recipient, in
    one pass (grouping sets: the counting rule runs once, not three times):
    dimension ('level' / 'tier' / 'recipient'), type, key, unit, count, type_n (institutions
    of the type in scope, what the page divides by). The competition page's stacked
    bars when a bar per institution is too many."""
    counted, params = _counted_awards_cte(filters, field_only=False)
    return query(
        ref,
        f"""
        WITH {counted},
        sizes AS (SELECT type, count(*) AS type_n FROM scope GROUP BY type),
        grouped AS (
            SELECT CASE WHEN grouping(c.level) = 0 THEN 'level' WHEN grouping(c.tier) = 0 THEN 'tier' ELSE 'recipient' END AS dimension,
                   s.type, coalesce(c.level, c.tier, c.recipient) AS key, c.unit,
                   sum(c.count)::DOUBLE AS count
            FROM counted c JOIN scope s USING (institution_id)
            GROUP BY GROUPING SETS ((s.type, c.level, c.unit), (s.type, c.tier, c.unit), (s.type, c.recipient, c.unit))
        )
        SELECT g.*, z.type_n FROM grouped g JOIN sizes z USING (type)
        ORDER BY dimension, type, key, unit
        """,
        params,
    )


@st.cache_data(**_CACHE)
def award_scores(
    ref: WarehouseRef,
    filters: Filters,
    level_weights: tuple[tuple[str, float], ...],
    tier_weights: tuple[tuple[str, float], ...],
    unit: str = "items",
    recipient_weights: tuple[tuple[str, float], ...] = (("student", 1.0), ("teacher", 1.0), ("institution", 1.0)),
) -> pd.DataFrame:
    """Σ count × level weight × tier weight × recipient weight per institution of the field
    (type and province filters) that has counted competition awards in `unit` (items and
    person-times are never added): institution_id, name_zh, name_en, type, province,
    score, award_rows. Institutions without such rows are absent: no score, not zero."""
    counted, params = _counted_awards_cte(filters, field_only=True)
    levels, level_w = [k for k, _ in level_weights], [float(w) for _, w in level_weights]
    tiers, tier_w = [k for k, _ in tier_weights], [float(w) for _, w in tier_weights]
    recipients, recipient_w = [k for k, _ in recipient_weights], [float(w) for _, w in recipient_weights]
    return query(
        ref,
        f"""
        WITH {counted},
        -- Summed per institution before the names are joined: grouping by the name
        -- columns too took twice as long at national scale.
        per AS (
            SELECT institution_id,
                   sum(count * coalesce(list_extract(?::DOUBLE[], list_position(?, level)), 0)
                             * coalesce(list_extract(?::DOUBLE[], list_position(?, tier)), 0)
                             * coalesce(list_extract(?::DOUBLE[], list_position(?, recipient)), 0)) AS score,
                   sum(award_rows)::BIGINT AS award_rows
            FROM counted WHERE unit = ? GROUP BY institution_id
        )
        SELECT p.institution_id, i.name_zh, i.name_en, i.type, i.province, p.score, p.award_rows
        FROM per p JOIN institutions i USING (institution_id)
        ORDER BY p.institution_id
        """,
        params + [level_w, levels, tier_w, tiers, recipient_w, recipients, unit],
    )


@st.cache_data(**_CACHE)
def award_count(ref: WarehouseRef, filters: Filters, categories: tuple[str, ...] = ()) -> int:
    """How many award rows awards() would list (of the given categories; all when empty)."""
    where_i, params = _institution_clause(filters)
    where_p, params_p = _period_clause(filters, "a")
    results_wanted = "TRUE" if "actual" in filters.kinds else "FALSE"
    frame = query(
        ref,
        f"""SELECT count(*) AS n FROM awards a JOIN institutions i USING (institution_id)
            WHERE {where_i} AND {where_p} AND {results_wanted}
              AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], a.category))""",
        params + params_p + [list(categories), list(categories)],
    )
    return int(frame.iloc[0]["n"])


@st.cache_data(**_CACHE)
def source_count(ref: WarehouseRef, filters: Filters) -> int:
    where, params = _institution_clause(filters)
    frame = query(ref, f"SELECT count(*) AS n FROM sources s JOIN institutions i USING (institution_id) WHERE {where}", params)
    return int(frame.iloc[0]["n"])


@st.cache_data(**_CACHE)
def sources_page(ref: WarehouseRef, filters: Filters, limit: int = 500, source_ids: tuple[str, ...] = ()) -> pd.DataFrame:
    """The first `limit` rows of sources() (only those in `source_ids` when given), same
    columns and order; the figure and award counts are made for those rows only."""
    where, params = _institution_clause(filters)
    if source_ids:
        where += " AND list_contains(?, s.source_id)"
        params.append(list(source_ids))
    return query(
        ref,
        f"""
        WITH {_PLACE_CTE},
        page AS (
            SELECT s.source_id, s.institution_id, i.name_zh AS institution_zh, i.name_en AS institution_en,
                   s.title, s.title_en, s.kind, s.published, s.period_label, s.period_label_en,
                   s.document, s.url, s.is_synthetic, s.notes, pl.place
            FROM sources s JOIN institutions i USING (institution_id) JOIN place pl ON pl.institution_id = s.institution_id
            WHERE {where}
            ORDER BY pl.place, s.source_id
            LIMIT ?
        ),
        figures AS (SELECT source_id, count(*) AS figures FROM observations
                    WHERE source_id IN (SELECT source_id FROM page) GROUP BY ALL),
        award_rows AS (SELECT source_id, count(*) AS award_rows FROM awards
                       WHERE source_id IN (SELECT source_id FROM page) GROUP BY ALL)
        SELECT p.source_id, p.institution_id, p.institution_zh, p.institution_en, p.title, p.title_en, p.kind,
               p.published, p.period_label, p.period_label_en, p.document, p.url, p.is_synthetic, p.notes,
               coalesce(f.figures, 0) AS figures, coalesce(a.award_rows, 0) AS award_rows
        FROM page p LEFT JOIN figures f USING (source_id) LEFT JOIN award_rows a USING (source_id)
        ORDER BY p.place, p.source_id
        """,
        _place_params(ref) + params + [int(limit)],
    )


@st.cache_data(**_CACHE)
def profile_trends(ref: WarehouseRef, filters: Filters, institution_id: str) -> pd.DataFrame:
    """One institution's actual figures on every indicator it reports in two or more
    periods, and per period the median of the institutions of its type (nationwide) that
    report the same indicator like for like (same period, its end and type, basis, start
    year and date). Exact and ≈ values count; one value per institution and period (the
    exact one first, then the greater source id).

    Columns: series ('institution' / 'median'), indicator_id, period, period_end,
    period_type, basis, since, as_of, value, qualifier, source_id, peers (values behind a
    median)."""
    where_p, params_p = _period_clause(filters, "o")
    actual_wanted = "TRUE" if "actual" in filters.kinds else "FALSE"
    return query(
        ref,
        f"""
        WITH me AS (SELECT type FROM institutions WHERE institution_id = ?),
        mine AS (
            SELECT o.indicator_id, o.period, o.period_end, o.period_type, o.basis, o.since, o.as_of,
                   arg_max(o.value, (o.qualifier = 'exact', o.source_id)) AS value,
                   arg_max(o.qualifier, (o.qualifier = 'exact', o.source_id)) AS qualifier,
                   arg_max(o.source_id, (o.qualifier = 'exact', o.source_id)) AS source_id
            FROM observations o
            WHERE o.institution_id = ? AND o.kind = 'actual' AND {actual_wanted} AND {where_p}
            GROUP BY ALL
        ),
        kept AS (
            SELECT * FROM mine
            WHERE indicator_id IN (SELECT indicator_id FROM mine GROUP BY indicator_id HAVING count(DISTINCT period) >= 2)
        ),
        peers AS (
            SELECT o.institution_id, o.indicator_id, o.period, o.period_end, o.period_type, o.basis, o.since, o.as_of,
                   arg_max(o.value, (o.qualifier = 'exact', o.source_id)) AS value
            FROM observations o JOIN institutions i ON i.institution_id = o.institution_id
            WHERE i.type = (SELECT type FROM me) AND o.kind = 'actual' AND {where_p}
              AND list_contains(?, o.qualifier)
              AND o.indicator_id IN (SELECT indicator_id FROM kept)
            GROUP BY ALL
        ),
        medians AS (
            SELECT p.indicator_id, p.period, p.period_end, p.period_type, p.basis, p.since, p.as_of,
                   quantile_cont(p.value, 0.5) AS value, count(*) AS peers
            FROM peers p
            WHERE EXISTS (SELECT 1 FROM kept k WHERE k.indicator_id = p.indicator_id AND k.period = p.period
                          AND k.period_end IS NOT DISTINCT FROM p.period_end AND k.period_type = p.period_type
                          AND k.basis IS NOT DISTINCT FROM p.basis AND k.since IS NOT DISTINCT FROM p.since
                          AND k.as_of IS NOT DISTINCT FROM p.as_of)
            GROUP BY ALL
        )
        SELECT 'institution' AS series, indicator_id, period, period_end, period_type, basis, since, as_of, value,
               qualifier, source_id, NULL::BIGINT AS peers FROM kept
        UNION ALL
        SELECT 'median', indicator_id, period, period_end, period_type, basis, since, as_of, value, 'exact', NULL, peers
        FROM medians
        ORDER BY indicator_id, series DESC, period_type, period
        """,
        [institution_id, institution_id] + params_p + params_p + [list(COUNTED_QUALIFIERS)],
    )
