"""The pages' data work at their default view, done three ways, with the same answers.

- duckdb: the app itself, dashboard.queries on the warehouse (Streamlit's cache cleared
  before every run, so each run is a cold view);
- pandas: how most Streamlit dashboards are written, DataFrames read once from the
  curated-format CSVs and filtered, grouped and sorted per view;
- sqlite: the engine behind Datasette, the same tables with the same keys plus indexes on
  what the pages filter by; SQL does the selecting and grouping, pandas the quantiles
  (SQLite has none).

Each workload returns a small summary (counts, medians, leading ids) and the harness
checks that the three engines agree before it compares their times.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from dashboard.order import place_order

from dashboard import sections, transforms

MARKED = 3  # institutions marked on a theme page
TOP_N = 10
PAGE_ROWS = 500
THEME_ORDER = ("employment", "training", "competition", "party_building", "other")
COUNTED = ("exact", "approx")
EMPLOYMENT_IDS = tuple(dict.fromkeys(i for _, ids in sections.EMPLOYMENT for i in ids))
WEIGHTS_LEVEL = tuple(transforms.DEFAULT_LEVEL_WEIGHTS.items())
WEIGHTS_TIER = tuple(transforms.DEFAULT_TIER_WEIGHTS.items())


@dataclass
class Workload:
    name: str  # the page it stands for
    what: str


WORKLOADS = (
    Workload("overview", "scope counts, figures per theme by type, completeness of one theme, headline medians"),
    Workload("employment", "per section: distribution (latest actual per college), top/bottom 10, 3 colleges' peer counts"),
    Workload("competition", "awards by type × level/tier/recipient after the total rule; weighted score per college"),
    Workload("compare", "two colleges' figures"),
    Workload("profile", "one college's figures, awards and sources"),
    Workload("data", "count of matching figures and the first 500 in display order"),
)


def _round(value) -> float:
    return round(float(value), 6)


# --- duckdb: the app's own queries -----------------------------------------------------

class DuckDBEngine:
    name = "duckdb"

    def __init__(self, db: Path):
        import streamlit as st

        from dashboard import db as dashboard_db
        from dashboard import queries
        from dashboard.filters import Filters

        self.st, self.q, self.Filters = st, queries, Filters
        self.ref = dashboard_db.current_ref(db)
        self.everything = Filters()

    def prepare(self) -> None:
        self.st.cache_data.clear()

    def overview(self, ctx) -> tuple:
        q, f = self.q, self.everything
        counts = q.scope_counts(self.ref, f)
        per_type = q.figures_per_theme_by(self.ref, f, "type")
        complete = q.completeness_counts(self.ref, f, "employment")
        stats, _ = transforms.split_distribution(q.distribution(self.ref, f, tuple(transforms.HEADLINE_INDICATORS)))
        exact = complete[complete["status"] == "exact"].set_index("indicator_id")["institutions"]
        return (counts["institutions"], counts["figures"], int(per_type["figures"].sum()),
                int(exact.get("emp_destination_rate", 0)),
                tuple(_round(x) for x in stats.set_index("indicator_id").loc[list(transforms.HEADLINE_INDICATORS), "median"].fillna(-1)))

    def employment(self, ctx) -> tuple:
        q, f = self.q, self.everything
        out = []
        for _, ids in sections.EMPLOYMENT:
            stats, _ = transforms.split_distribution(q.distribution(self.ref, f, tuple(ids)))
            ranked = q.ranked(self.ref, f, tuple(ids), TOP_N)
            peers = q.peer_positions(self.ref, f, tuple(ids), ctx["marked"], "type")
            out.append(summary_employment(stats.set_index("indicator_id"), ranked, peers, ids))
        return tuple(out)

    def competition(self, ctx) -> tuple:
        q, f = self.q, self.everything
        breakdown = q.award_breakdown(self.ref, f)
        scores = q.award_scores(self.ref, f, WEIGHTS_LEVEL, WEIGHTS_TIER, "items")
        level = breakdown[breakdown["dimension"] == "level"].groupby(["key", "unit"])["count"].sum()
        return summary_competition(level, scores)

    def compare(self, ctx) -> tuple:
        obs = self.q.observations(self.ref, self.Filters(institutions=ctx["compared"]))
        return (len(obs), _round(obs["value"].sum()))

    def profile(self, ctx) -> tuple:
        only = self.Filters(institutions=(ctx["profiled"],))
        obs, awards = self.q.observations(self.ref, only), self.q.awards(self.ref, only)
        sources = self.q.sources_page(self.ref, only, limit=PAGE_ROWS)
        return (len(obs), len(awards), len(sources))

    def data(self, ctx) -> tuple:
        narrowed = (self.ref, self.everything, (), (), "")
        total = self.q.observation_count(*narrowed)
        page = self.q.observations_page(*narrowed, limit=PAGE_ROWS)
        return (total, tuple(page["indicator_id"].head(3)), tuple(page["institution_id"].head(3)))


# --- the shared summaries ----------------------------------------------------------------

def summary_employment(stats: pd.DataFrame, ranked: pd.DataFrame, peers: pd.DataFrame, ids) -> tuple:
    present = [i for i in ids if i in stats.index]
    n = tuple(int(stats.loc[i, "n"]) for i in present)
    medians = tuple(_round(stats.loc[i, "median"]) if stats.loc[i, "n"] else None for i in present)
    top = ranked[(ranked["end"] == "top")].groupby("indicator_id")["value"].apply(lambda v: tuple(_round(x) for x in v))
    below = tuple(sorted((r.institution_id, r.indicator_id, None if pd.isna(r.below) else int(r.below),
                          None if pd.isna(r.peer_n) else int(r.peer_n)) for r in peers.itertuples()))
    return n, medians, tuple(sorted(top.items())), below


def summary_competition(level: pd.Series, scores: pd.DataFrame) -> tuple:
    leader = scores.sort_values(["score", "institution_id"], ascending=[False, True]).iloc[0]
    return (tuple((k, u, _round(v)) for (k, u), v in sorted(level.items())), leader["institution_id"], _round(leader["score"]),
            int(scores["award_rows"].sum()))


# --- pandas over the CSVs ----------------------------------------------------------------

class PandasEngine:
    name = "pandas"

    def __init__(self, csv_dir: Path):
        started = time.perf_counter()
        self.institutions = pd.read_csv(csv_dir / "institutions.csv")
        self.sources = pd.read_csv(csv_dir / "sources.csv")
        self.indicators = pd.read_csv(csv_dir / "indicators.csv")
        self.observations = pd.read_csv(csv_dir / "observations.csv")
        self.awards = pd.read_csv(csv_dir / "awards.csv")
        self.load_seconds = time.perf_counter() - started

    def prepare(self) -> None:
        pass

    def _latest(self, ids) -> pd.DataFrame:
        obs = self.observations
        actual = obs[(obs["kind"] == "actual") & obs["indicator_id"].isin(ids)]
        ordered = actual.assign(
            end=actual["period_end"].fillna(actual["period"]), exact=actual["qualifier"].eq("exact"), row=actual.index,
        ).sort_values(["institution_id", "indicator_id", "end", "period", "exact", "row"])
        return ordered.drop_duplicates(["institution_id", "indicator_id"], keep="last")

    def overview(self, ctx) -> tuple:
        obs, inst, ind = self.observations, self.institutions, self.indicators
        by_type = obs.merge(ind[["indicator_id", "theme"]], on="indicator_id").merge(inst[["institution_id", "type"]], on="institution_id")
        per_type = by_type.groupby(["type", "theme"]).size()
        awards_by_type = self.awards.merge(inst[["institution_id", "type"]], on="institution_id").groupby("type").size()
        employment = obs[obs["indicator_id"].isin(ind.loc[ind["theme"] == "employment", "indicator_id"])]
        flags = employment.assign(exact=(employment["kind"] == "actual") & (employment["qualifier"] == "exact"),
                                  actual=employment["kind"] == "actual")
        status = flags.groupby(["institution_id", "indicator_id"])[["exact", "actual"]].any()
        exact = status[status["exact"]].groupby("indicator_id").size()
        latest = _common(self._latest(transforms.HEADLINE_INDICATORS))
        counted = latest[latest["qualifier"].isin(COUNTED)]
        medians = counted.groupby("indicator_id")["value"].median()
        return (len(inst), len(obs), int(per_type.sum() + awards_by_type.sum()), int(exact.get("emp_destination_rate", 0)),
                tuple(_round(medians.get(i, -1)) for i in transforms.HEADLINE_INDICATORS))

    def employment(self, ctx) -> tuple:
        inst, ind = self.institutions.set_index("institution_id"), self.indicators.set_index("indicator_id")
        out = []
        for _, ids in sections.EMPLOYMENT:
            ids = [i for i in ids if i in ind.index]
            latest = self._latest(ids)
            common = _common(latest)
            counted = common[common["qualifier"].isin(COUNTED)]
            stats = _section_stats(counted, ids, ind)
            ranked = _rank(counted, ind)
            everyone = latest[latest["qualifier"].isin(COUNTED)]
            peers = _peers(latest, everyone, inst, ctx["marked"])
            out.append(summary_employment(stats, ranked, peers, ids))
        return tuple(out)

    def competition(self, ctx) -> tuple:
        counted = transforms.competitions(transforms.counted_awards(self.awards.assign(is_total=self.awards["is_total"].astype(bool))))
        typed = counted.merge(self.institutions[["institution_id", "type"]], on="institution_id")
        for by in ("level", "tier", "recipient"):
            typed.groupby(["type", by, "unit"])["count"].sum()
        level = typed.groupby(["level", "unit"])["count"].sum().astype(float)
        level.index = level.index.set_names(["key", "unit"])
        scores = transforms.award_scores(self.awards.assign(is_total=self.awards["is_total"].astype(bool)), self.institutions, unit="items")
        scores = scores[scores["score"].notna()]
        return summary_competition(level, scores)

    def _described(self, rows: pd.DataFrame) -> pd.DataFrame:
        """The columns queries.observations gives: institution, indicator and source joined."""
        return (rows.merge(self.institutions[["institution_id", "name_zh", "name_en", "type", "province"]], on="institution_id")
                .merge(self.indicators[["indicator_id", "theme", "name_zh", "name_en", "unit"]], on="indicator_id", suffixes=("", "_indicator"))
                .merge(self.sources[["source_id", "title", "title_en", "document"]], on="source_id")
                .sort_values(["indicator_id", "province", "name_zh", "period", "kind"]))

    def compare(self, ctx) -> tuple:
        obs = self._described(self.observations[self.observations["institution_id"].isin(ctx["compared"])])
        return (len(obs), _round(obs["value"].sum()))

    def profile(self, ctx) -> tuple:
        iid = ctx["profiled"]
        obs = self._described(self.observations[self.observations["institution_id"] == iid])
        awards = self.awards[self.awards["institution_id"] == iid].merge(self.sources[["source_id", "title"]], on="source_id")
        sources = self.sources[self.sources["institution_id"] == iid]
        return (len(obs), len(awards), len(sources))

    def data(self, ctx) -> tuple:
        # The app's place order: province in the standard order, then the name by pinyin.
        places = self.institutions[["institution_id", "province", "name_zh"]].reset_index(drop=True)
        places = places.assign(place=pd.Series(range(len(places)), index=place_order(places)).sort_index())
        obs = self.observations.merge(self.indicators[["indicator_id", "theme"]], on="indicator_id").merge(
            places[["institution_id", "place"]], on="institution_id")
        obs["theme_rank"] = obs["theme"].map({theme: rank for rank, theme in enumerate(THEME_ORDER)})
        page = obs.sort_values(["theme_rank", "indicator_id", "place", "institution_id", "period", "kind", "source_id"]).head(PAGE_ROWS)
        return (len(obs), tuple(page["indicator_id"].head(3)), tuple(page["institution_id"].head(3)))


LIKE = ["period", "period_end", "period_type", "basis", "since", "as_of"]


def _keys(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(list(zip(*(frame[field].astype("string").fillna("\x00") for field in LIKE))),
                     index=frame.index, dtype=object)


def _common(latest: pd.DataFrame) -> pd.DataFrame:
    """Per indicator, the latest figures of the like-for-like key most of them share (the
    latest on a tie): the app's rule for distributions and rankings (queries._common_cte)."""
    if latest.empty:
        return latest
    keyed = latest.assign(_key=_keys(latest), _end=latest["period_end"].fillna(latest["period"]).astype(int))
    sizes = keyed.groupby(["indicator_id", "_key"]).agg(n=("_key", "size"), end=("_end", "max")).reset_index()
    best = sizes.sort_values(["indicator_id", "n", "end"], ascending=[True, False, False]).drop_duplicates("indicator_id")
    kept = keyed.merge(best[["indicator_id", "_key"]], on=["indicator_id", "_key"])
    return kept.drop(columns=["_key", "_end"])


def _section_stats(counted: pd.DataFrame, ids, indicators: pd.DataFrame) -> pd.DataFrame:
    """The distribution's statistics per indicator, by the app's own pandas binning rule
    (transforms.histogram, which mirrors queries.distribution)."""
    rows = []
    for indicator_id in ids:
        values = counted.loc[counted["indicator_id"] == indicator_id, "value"]
        stats, _ = transforms.histogram(values, indicators.loc[indicator_id, "unit"])
        rows.append(stats.rename(indicator_id))
    return pd.DataFrame(rows)


def _rank(counted: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    lower = counted["indicator_id"].map(indicators["higher_is_better"]).eq(False)
    scored = counted.assign(badness=np.where(lower, counted["value"], -counted["value"]))
    ordered = scored.sort_values(["indicator_id", "badness", "institution_id"])
    top = ordered.groupby("indicator_id").head(TOP_N).assign(end="top")
    bottom = ordered.groupby("indicator_id").tail(TOP_N).assign(end="bottom")
    return pd.concat([top, bottom])


def _peers(latest: pd.DataFrame, counted: pd.DataFrame, institutions: pd.DataFrame, marked) -> pd.DataFrame:
    typed = counted.assign(type=counted["institution_id"].map(institutions["type"]))
    rows = []
    for _, me in latest[latest["institution_id"].isin(marked)].iterrows():
        if me["qualifier"] not in COUNTED:
            rows.append((me["institution_id"], me["indicator_id"], None, None))
            continue
        peers = typed[(typed["indicator_id"] == me["indicator_id"]) & (typed["type"] == institutions.loc[me["institution_id"], "type"])]
        peers = peers[_keys(peers) == _keys(me.to_frame().T).iloc[0]]  # same period, basis and date
        rows.append((me["institution_id"], me["indicator_id"], int((peers["value"] < me["value"]).sum()), len(peers)))
    return pd.DataFrame(rows, columns=["institution_id", "indicator_id", "below", "peer_n"])


# --- SQLite with the same schema -----------------------------------------------------------

SQLITE_INDEXES = (
    "CREATE INDEX obs_indicator ON observations (indicator_id, kind)",
    "CREATE INDEX obs_institution ON observations (institution_id)",
    "CREATE INDEX awards_institution ON awards (institution_id)",
    "CREATE INDEX awards_total ON awards (institution_id, category, recipient, unit)",
    "CREATE INDEX sources_institution ON sources (institution_id)",
    "CREATE INDEX institutions_type ON institutions (type)",
)


def build_sqlite(warehouse: Path, target: Path) -> float:
    """The warehouse's five tables in SQLite, with their declared keys (facts too) and
    indexes on what the pages filter by. Returns seconds taken."""
    import duckdb

    from etl.spec import TABLES

    started = time.perf_counter()
    target.unlink(missing_ok=True)
    lite = sqlite3.connect(target)
    source = duckdb.connect(str(warehouse), read_only=True)
    types = {"VARCHAR": "TEXT", "INTEGER": "INTEGER", "BIGINT": "INTEGER", "DOUBLE": "REAL", "DATE": "TEXT", "BOOLEAN": "INTEGER"}
    for table in TABLES:
        columns = ", ".join(f'"{c.name}" {types[c.sql_type]}' for c in table.columns)  # "set" is a keyword
        lite.execute(f"CREATE TABLE {table.name} ({columns}, PRIMARY KEY ({', '.join(table.primary_key)}))")
        reader = source.execute(f"SELECT {', '.join(chr(34) + name + chr(34) for name in table.column_names)} FROM {table.name}")
        marks = ", ".join("?" for _ in table.columns)
        while batch := reader.fetchmany(100_000):
            lite.executemany(f"INSERT INTO {table.name} VALUES ({marks})", [
                tuple(str(v) if hasattr(v, "isoformat") else v for v in row) for row in batch])
    for statement in SQLITE_INDEXES:
        lite.execute(statement)
    lite.execute("ANALYZE")
    lite.commit()
    lite.close()
    source.close()
    return time.perf_counter() - started


_LATEST_SQL = """
    WITH ranked AS (
        SELECT o.*, row_number() OVER (
            PARTITION BY institution_id, indicator_id
            ORDER BY coalesce(period_end, period) DESC, period DESC, qualifier = 'exact' DESC, rowid DESC) AS r
        FROM observations o WHERE kind = 'actual' AND indicator_id IN ({marks})
    )
    SELECT institution_id, indicator_id, value, qualifier, period, period_end, period_type, basis, since, as_of
    FROM ranked WHERE r = 1
"""
# The like-for-like key most latest figures of an indicator share (queries._common_cte).
_COMMON_SQL = """
    keyed AS (SELECT l.*, coalesce(l.period_end, l.period) AS end_year FROM latest l),
    sizes AS (
        SELECT indicator_id, period, period_end, period_type, basis, since, as_of, count(*) AS n, max(end_year) AS e
        FROM keyed GROUP BY 1, 2, 3, 4, 5, 6, 7),
    common AS (
        SELECT * FROM sizes s WHERE NOT EXISTS (
            SELECT 1 FROM sizes t WHERE t.indicator_id = s.indicator_id AND (t.n > s.n OR (t.n = s.n AND t.e > s.e)))),
    in_common AS (
        SELECT l.* FROM latest l JOIN common c ON c.indicator_id = l.indicator_id AND l.period IS c.period
            AND l.period_end IS c.period_end AND l.period_type IS c.period_type AND l.basis IS c.basis
            AND l.since IS c.since AND l.as_of IS c.as_of)
"""
_SAME_KEY = " AND ".join(f"p.{field} IS c.{field}" for field in LIKE)


class SQLiteEngine:
    name = "sqlite"

    def __init__(self, path: Path):
        self.con = sqlite3.connect(path, check_same_thread=False)
        self.indicators = pd.read_sql("SELECT * FROM indicators", self.con).set_index("indicator_id")
        self.institutions = pd.read_sql("SELECT institution_id, type FROM institutions", self.con).set_index("institution_id")
        # The app's place order (standard province order, then pinyin), once, as a table to
        # join: the app too orders its institutions once and caches them.
        places = pd.read_sql("SELECT institution_id, province, name_zh FROM institutions", self.con)
        self.con.execute("CREATE TEMP TABLE place (institution_id TEXT PRIMARY KEY, place INTEGER)")
        self.con.executemany("INSERT INTO place VALUES (?, ?)",
                             [(places["institution_id"][row], place) for place, row in enumerate(place_order(places))])

    def prepare(self) -> None:
        pass

    def _latest(self, ids) -> pd.DataFrame:
        ids = list(ids)
        return pd.read_sql(_LATEST_SQL.format(marks=", ".join("?" for _ in ids)), self.con, params=ids)

    def _common(self, ids) -> pd.DataFrame:
        ids = list(ids)
        return pd.read_sql(f"WITH latest AS ({_LATEST_SQL.format(marks=', '.join('?' for _ in ids))}), {_COMMON_SQL} "
                           "SELECT * FROM in_common", self.con, params=ids)

    def overview(self, ctx) -> tuple:
        con = self.con
        (institutions,), = con.execute("SELECT count(*) FROM institutions").fetchall()
        (figures,), = con.execute("SELECT count(*) FROM observations").fetchall()
        (per_type,), = con.execute("""
            SELECT sum(n) FROM (
                SELECT i.type, d.theme, count(*) AS n FROM observations o JOIN indicators d USING (indicator_id)
                JOIN institutions i USING (institution_id) GROUP BY 1, 2
                UNION ALL
                SELECT i.type, 'competition', count(*) FROM awards a JOIN institutions i USING (institution_id) GROUP BY 1)
        """).fetchall()
        (exact,), = con.execute("""
            SELECT count(*) FROM (
                SELECT institution_id FROM observations
                WHERE indicator_id = 'emp_destination_rate' AND kind = 'actual' AND qualifier = 'exact'
                GROUP BY institution_id)
        """).fetchall()
        con.execute("""
            SELECT o.indicator_id, o.institution_id, max(o.kind = 'actual' AND o.qualifier = 'exact'), max(o.kind = 'actual')
            FROM observations o JOIN indicators d USING (indicator_id) WHERE d.theme = 'employment' GROUP BY 1, 2
        """).fetchall()
        latest = self._common(transforms.HEADLINE_INDICATORS)
        medians = latest[latest["qualifier"].isin(COUNTED)].groupby("indicator_id")["value"].median()
        return (institutions, figures, int(per_type), exact, tuple(_round(medians.get(i, -1)) for i in transforms.HEADLINE_INDICATORS))

    def employment(self, ctx) -> tuple:
        ind = self.indicators
        out = []
        for _, ids in sections.EMPLOYMENT:
            ids = [i for i in ids if i in ind.index]
            common = self._common(ids)
            counted = common[common["qualifier"].isin(COUNTED)]
            stats = _section_stats(counted, ids, ind)
            marks = ", ".join("?" for _ in ids)
            ranked = pd.read_sql(f"""
                WITH latest AS ({_LATEST_SQL.format(marks=marks)}), {_COMMON_SQL},
                scored AS (
                    SELECT l.*, CASE WHEN d.higher_is_better = 0 THEN l.value ELSE -l.value END AS badness,
                           row_number() OVER (PARTITION BY l.indicator_id ORDER BY CASE WHEN d.higher_is_better = 0 THEN l.value ELSE -l.value END, l.institution_id) AS from_top,
                           count(*) OVER (PARTITION BY l.indicator_id) AS n
                    FROM in_common l JOIN indicators d USING (indicator_id) WHERE l.qualifier IN ('exact', 'approx'))
                SELECT *, CASE WHEN from_top <= ? THEN 'top' ELSE 'bottom' END AS "end" FROM scored
                WHERE from_top <= ? OR from_top > n - ? ORDER BY indicator_id, from_top
            """, self.con, params=[*ids, TOP_N, TOP_N, TOP_N])
            chosen = list(ctx["marked"])
            peers = pd.read_sql(f"""
                WITH latest AS ({_LATEST_SQL.format(marks=marks)}),
                chosen AS (SELECT * FROM latest WHERE institution_id IN ({", ".join("?" for _ in chosen)})),
                counts AS (
                    SELECT c.institution_id, c.indicator_id, count(*) AS peer_n, sum(p.value < c.value) AS below
                    FROM chosen c JOIN institutions ci ON ci.institution_id = c.institution_id
                    JOIN latest p ON p.indicator_id = c.indicator_id
                    JOIN institutions pi ON pi.institution_id = p.institution_id
                    WHERE c.qualifier IN ('exact', 'approx') AND p.qualifier IN ('exact', 'approx') AND pi.type = ci.type
                      AND {_SAME_KEY}
                    GROUP BY 1, 2)
                SELECT c.institution_id, c.indicator_id, k.below, k.peer_n FROM chosen c
                LEFT JOIN counts k ON k.institution_id = c.institution_id AND k.indicator_id = c.indicator_id
            """, self.con, params=[*ids, *chosen])
            out.append(summary_employment(stats, ranked, peers, ids))
        return tuple(out)

    def competition(self, ctx) -> tuple:
        # Competitions only; items count at their level, a total only for what its covered
        # items leave over (the ETL's award_counted rule).
        rank = ("CASE {a}.level WHEN 'school' THEN 1 WHEN 'municipal' THEN 2 WHEN 'provincial' THEN 3 "
                "WHEN 'national' THEN 4 WHEN 'international' THEN 5 END")
        counted = f"""
            WITH comp AS (SELECT rowid AS row_id, * FROM awards WHERE category = 'competition'),
            covered AS (
                SELECT t.row_id, sum(i.count) AS covered FROM comp t JOIN comp i
                  ON t.is_total AND NOT i.is_total AND i.institution_id = t.institution_id AND i.recipient = t.recipient
                 AND i.unit = t.unit AND i.period >= t.period
                 AND coalesce(i.period_end, i.period) <= coalesce(t.period_end, t.period)
                 AND ({rank.format(a='i')} = {rank.format(a='t')}
                      OR (t.level_scope = 'or_higher' AND {rank.format(a='i')} > {rank.format(a='t')}))
                GROUP BY t.row_id),
            kept AS (
                SELECT institution_id, level, grade, recipient, unit, count FROM comp WHERE NOT is_total
                UNION ALL
                SELECT t.institution_id, t.level, t.grade, t.recipient, t.unit, t.count - coalesce(c.covered, 0)
                FROM comp t LEFT JOIN covered c ON c.row_id = t.row_id
                WHERE t.is_total AND t.count - coalesce(c.covered, 0) > 0),
            counted AS (
                SELECT a.*, CASE a.grade WHEN 'gold' THEN 'tier1' WHEN 'first' THEN 'tier1' WHEN 'silver' THEN 'tier2'
                    WHEN 'second' THEN 'tier2' WHEN 'bronze' THEN 'tier3' WHEN 'third' THEN 'tier3' ELSE a.grade END AS tier
                FROM kept a)
        """
        breakdown = pd.read_sql(counted + """
            SELECT 'level' AS dimension, i.type, c.level AS key, c.unit, sum(c.count) AS count FROM counted c JOIN institutions i USING (institution_id) GROUP BY 2, 3, 4
            UNION ALL SELECT 'tier', i.type, c.tier, c.unit, sum(c.count) FROM counted c JOIN institutions i USING (institution_id) GROUP BY 2, 3, 4
            UNION ALL SELECT 'recipient', i.type, c.recipient, c.unit, sum(c.count) FROM counted c JOIN institutions i USING (institution_id) GROUP BY 2, 3, 4
        """, self.con)
        level_w = " ".join(f"WHEN '{k}' THEN {w}" for k, w in WEIGHTS_LEVEL)
        tier_w = " ".join(f"WHEN '{k}' THEN {w}" for k, w in WEIGHTS_TIER)
        scores = pd.read_sql(counted + f"""
            SELECT institution_id, sum(count * (CASE level {level_w} ELSE 0 END) * (CASE tier {tier_w} ELSE 0 END)) AS score,
                   count(*) AS award_rows
            FROM counted WHERE unit = 'items' GROUP BY institution_id
        """, self.con)
        level = breakdown[breakdown["dimension"] == "level"].groupby(["key", "unit"])["count"].sum().astype(float)
        return summary_competition(level, scores)

    _DESCRIBED = """
        SELECT o.*, i.name_zh AS institution_zh, i.name_en AS institution_en, i.type, i.province, d.theme,
               d.name_zh AS indicator_zh, d.name_en AS indicator_en, d.unit, s.title, s.title_en, s.document
        FROM observations o JOIN institutions i USING (institution_id) JOIN indicators d USING (indicator_id)
        JOIN sources s USING (source_id)
        WHERE o.institution_id IN ({marks})
        ORDER BY o.indicator_id, i.province, i.name_zh, o.period, o.kind
    """

    def compare(self, ctx) -> tuple:
        chosen = list(ctx["compared"])
        obs = pd.read_sql(self._DESCRIBED.format(marks=", ".join("?" for _ in chosen)), self.con, params=chosen)
        return (len(obs), _round(obs["value"].sum()))

    def profile(self, ctx) -> tuple:
        iid = ctx["profiled"]
        obs = pd.read_sql(self._DESCRIBED.format(marks="?"), self.con, params=[iid])
        awards = pd.read_sql("SELECT a.*, s.title FROM awards a JOIN sources s USING (source_id) WHERE a.institution_id = ?",
                             self.con, params=[iid])
        sources = pd.read_sql("SELECT * FROM sources WHERE institution_id = ?", self.con, params=[iid])
        return (len(obs), len(awards), len(sources))

    def data(self, ctx) -> tuple:
        (total,), = self.con.execute("SELECT count(*) FROM observations").fetchall()
        order = " ".join(f"WHEN '{theme}' THEN {rank}" for rank, theme in enumerate(THEME_ORDER))
        page = self.con.execute(f"""
            SELECT o.indicator_id, o.institution_id FROM observations o JOIN indicators d USING (indicator_id)
            JOIN place p USING (institution_id)
            ORDER BY CASE d.theme {order} END, o.indicator_id, p.place, o.institution_id, o.period, o.kind, o.source_id, o.rowid
            LIMIT ?
        """, [PAGE_ROWS]).fetchall()
        return (total, tuple(r[0] for r in page[:3]), tuple(r[1] for r in page[:3]))


def context(institutions: pd.DataFrame) -> dict:
    """Which colleges the workloads pick: the first ones of the largest type, as a user
    would mark a few of their own."""
    ids = sorted(institutions["institution_id"])
    return {"marked": tuple(ids[:MARKED]), "compared": tuple(ids[:2]), "profiled": ids[0]}


def run(engine, workload: str, ctx: dict) -> Callable[[], tuple]:
    method = getattr(engine, workload)

    def once():
        engine.prepare()
        return method(ctx)

    return once
