"""Pure transforms of query results: DataFrames in, DataFrames out, no Streamlit."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .comparability import comparison_sets, like_for_like
from .i18n import figure_period_label, format_value, name_column, period_label, t, v

THEMES = ("employment", "training", "competition", "party_building", "other")


def without_none(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as it is shown: a missing text cell is blank, not the word None; a number
    column with gaps becomes text with blanks (a column without gaps stays a number, so it
    sorts by value)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if not series.isna().any():
            continue
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            # A date with gaps: the date as written (2023-09-01), not Timestamps mixed with
            # blanks, which the browser's table cannot carry and Streamlit re-types per run.
            out[column] = ["" if pd.isna(x) else (x.strftime("%Y-%m-%d") if x == x.normalize() else x.isoformat(sep=" "))
                           for x in series]
        elif pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
            whole = series.dropna()
            whole = bool(len(whole)) and bool((whole == whole.round()).all())
            out[column] = [
                "" if pd.isna(x) else (f"{int(x)}" if whole else str(x)) for x in series
            ]
        else:
            out[column] = series.astype(object).where(series.notna(), "")
    return out


def institution_name(frame: pd.DataFrame, lang: str) -> pd.Series:
    return frame["institution_en" if lang == "en" else "institution_zh"]


def describe(obs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Add the labels people read: names, formatted value with its mark, period, source."""
    out = obs.copy()
    if out.empty:
        for column in ("institution", "indicator", "value_text", "period_text", "qualifier_text", "kind_text", "unit_text", "source", "source_short", "basis_text"):
            out[column] = pd.Series(dtype="string")
        return out
    out["institution"] = institution_name(out, lang)
    out["indicator"] = out["indicator_en" if lang == "en" else "indicator_zh"]
    out["value_text"] = [
        format_value(value, unit, qualifier, lang)
        for value, unit, qualifier in zip(out["value"], out["unit"], out["qualifier"])
    ]
    blank = pd.Series(pd.NA, index=out.index)
    out["period_text"] = [
        figure_period_label(period, end, kind, basis, since, as_of, lang)
        for period, end, kind, basis, since, as_of in zip(
            out["period"], out["period_end"], out["period_type"], out.get("basis", blank),
            out.get("since", blank), out.get("as_of", blank))
    ]
    out["qualifier_text"] = [v("qualifier", q, lang) for q in out["qualifier"]]
    out["basis_text"] = [v("basis", b, lang) if isinstance(b, str) else "" for b in out.get("basis", blank)]
    out["kind_text"] = [v("kind", k, lang) for k in out["kind"]]
    out["unit_text"] = [v("unit", u, lang) for u in out["unit"]]
    title = out["source_title_en"].fillna(out["source_title"]) if lang == "en" else out["source_title"]
    out["source"] = title
    out["source_short"] = [
        short_title(title_text, name) for title_text, name in zip(title, out["institution_zh"])
    ]
    return out


def short_title(title: str, institution_zh: str, limit: int = 24) -> str:
    """A source title without the institution's name in front, cut to fit a table cell."""
    text = str(title)
    if institution_zh and text.startswith(institution_zh):
        # Also drop a second name in brackets: 大连职业技术学院（大连开放大学）…
        text = re.sub(r"^\s*[（(][^）)]*[）)]", "", text[len(institution_zh):]).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Kept under their warehouse names after the labelled columns, for joining a download to other
# data (the same names as in data/curated/*.csv); every other heading is in the reader's language.
MACHINE_COLUMNS = (
    "institution_id", "indicator_id", "source_id", "period", "period_end", "period_type",
    "qualifier", "kind", "basis", "since", "as_of",
)


def tidy_table(obs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table users read and download: labelled columns, ids kept for machines."""
    shown = describe(obs, lang)
    columns = {
        "institution": t("institution", lang),
        "theme_text": t("theme", lang),
        "indicator": t("indicator", lang),
        "period_text": t("period", lang),
        "value": t("value", lang),
        "unit_text": t("unit", lang),
        "qualifier_text": t("qualifier", lang),
        "kind_text": t("kind", lang),
        "basis_text": t("basis", lang),
        "value_text": t("value", lang) + ("（含标记）" if lang == "zh" else " (marked)"),
        "source": t("source", lang),
        "evidence": t("evidence", lang),
        "derivation_text": t("derivation", lang),
        "notes": t("notes", lang),
        "conflict": t("conflict", lang),
        **{column: column for column in MACHINE_COLUMNS},
    }
    blank = pd.Series(pd.NA, index=shown.index, dtype="object")
    for column in ("basis", "since", "as_of", "conflict", "derivation", "period_end"):
        if column not in shown.columns:
            shown[column] = blank
    shown["derivation_text"] = [v("derivation", d, lang) if isinstance(d, str) and d else "" for d in shown["derivation"]]
    shown["theme_text"] = [v("theme", theme, lang) for theme in shown["theme"]] if len(shown) else []
    return shown[list(columns)].rename(columns=columns).reset_index(drop=True)


# --- overview --------------------------------------------------------------------------

def completeness(obs: pd.DataFrame, indicators: pd.DataFrame, scope: pd.DataFrame) -> pd.DataFrame:
    """Institution × indicator status: exact, approx (incl. more than / at least), target, missing.

    An institution with an actual exact figure in the period is 'exact'; with only
    approximate actual figures 'approx'; with only targets 'target'; else 'missing'.
    """
    grid = pd.MultiIndex.from_product(
        [scope["institution_id"], indicators["indicator_id"]], names=["institution_id", "indicator_id"]
    ).to_frame(index=False)
    if obs.empty:
        grid["status"] = "missing"
        return grid
    actual = obs[obs["kind"] == "actual"]
    exact = set(zip(actual.loc[actual["qualifier"] == "exact", "institution_id"], actual.loc[actual["qualifier"] == "exact", "indicator_id"]))
    approx = set(zip(actual["institution_id"], actual["indicator_id"])) - exact
    target = set(zip(obs.loc[obs["kind"] == "target", "institution_id"], obs.loc[obs["kind"] == "target", "indicator_id"])) - exact - approx
    keys = list(zip(grid["institution_id"], grid["indicator_id"]))
    grid["status"] = [
        "exact" if key in exact else "approx" if key in approx else "target" if key in target else "missing"
        for key in keys
    ]
    return grid


# Headline indicators on the overview, in the order shown.
HEADLINE_INDICATORS = (
    "oth_graduates",
    "emp_destination_rate",
    "emp_initial_rate",
    "trn_social_training_person_times",
    "pb_central_group_sessions",
    "pb_history_lectures",
)


def latest(obs: pd.DataFrame) -> pd.DataFrame:
    """Per institution and indicator, the latest actual figure, or the latest target when
    there is no actual one."""
    if obs.empty:
        return obs
    ranked = obs.assign(_actual=obs["kind"].eq("actual")).sort_values(
        ["institution_id", "indicator_id", "_actual", "period"], ascending=[True, True, False, False]
    )
    return ranked.drop_duplicates(["institution_id", "indicator_id"]).drop(columns="_actual")


def headline_table(obs: pd.DataFrame, awards: pd.DataFrame, scope: pd.DataFrame, indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per institution: its latest headline figures ('not reported' where missing)
    and its counted competition awards at national level or above (honours and prizes are
    other things, shown on the profile)."""
    chosen = latest(obs[obs["indicator_id"].isin(HEADLINE_INDICATORS)])
    names = indicators.set_index("indicator_id")[name_column(lang)]
    missing = t("not_reported", lang)
    rows = []
    counted = competitions(counted_awards(awards))
    label = t("headline_national_competitions", lang)
    for _, institution in scope.iterrows():
        row = {t("institution", lang): institution[name_column(lang)]}
        mine = chosen[chosen["institution_id"] == institution["institution_id"]]
        for indicator_id in HEADLINE_INDICATORS:
            hit = mine[mine["indicator_id"] == indicator_id]
            if hit.empty:
                row[names.get(indicator_id, indicator_id)] = missing
            else:
                figure = hit.iloc[0]
                text = format_value(figure["value"], figure["unit"], figure["qualifier"], lang)
                suffix = period_label(figure["period"], figure["period_end"], figure["period_type"], lang)
                if figure["kind"] == "target":
                    suffix += "，" + v("kind", "target", lang) if lang == "zh" else ", target"
                row[names.get(indicator_id, indicator_id)] = f"{text}（{suffix}）" if lang == "zh" else f"{text} ({suffix})"
        national = counted[(counted["institution_id"] == institution["institution_id"]) & counted["level"].isin(["international", "national"])]
        if national.empty:
            row[label] = missing
        else:
            parts = [
                f"{int(total)}{v('award_unit', unit, lang)}" if lang == "zh" else f"{int(total)} {v('award_unit', unit, lang)}"
                for unit, total in national.groupby("unit")["count"].sum().items()
            ]
            # Listed, not summed: items and person-times may count the same awards.
            row[label] = ("；" if lang == "zh" else "; ").join(parts)
        rows.append(row)
    return pd.DataFrame(rows)


def coverage_table(coverage: pd.DataFrame, scope: pd.DataFrame, lang: str, grouped: bool) -> pd.DataFrame:
    """Rows of institutions (or types, when grouped), a column per standard set: 'k / n'
    standard indicators reported (for a type, the mean per institution)."""
    if grouped:
        labels = {key: f"{v('type', key, lang)}（{n:,}）" if lang == "zh" else f"{v('type', key, lang)} ({n:,})"
                  for key, n in zip(coverage["group"], coverage["institutions"])}
    else:
        labels = dict(zip(scope["institution_id"], scope[name_column(lang)]))
    cells = coverage.assign(
        cell=[f"{reported:.1f} / {total}" if grouped else f"{int(reported)} / {total}"
              for reported, total in zip(coverage["reported"], coverage["total"])],
        set_label=[v("standard_set", key, lang) for key in coverage["set"]],
        row=[labels.get(key, key) for key in coverage["group"]],
    )
    table = cells.pivot(index="row", columns="set_label", values="cell")
    order = [labels[key] for key in labels if labels[key] in table.index]
    table = table.loc[order]
    table.index.name = t("type", lang) if grouped else t("institution", lang)
    return table.reset_index()


# --- awards ----------------------------------------------------------------------------

TIER_OF_GRADE = {
    "gold": "tier1", "first": "tier1",
    "silver": "tier2", "second": "tier2",
    "bronze": "tier3", "third": "tier3",
    "excellent": "excellent",
    "other": "other",
}
TIERS = ("tier1", "tier2", "tier3", "excellent", "other")
LEVELS = ("international", "national", "provincial", "municipal", "school")
DEFAULT_LEVEL_WEIGHTS = {"international": 10.0, "national": 5.0, "provincial": 3.0, "municipal": 1.5, "school": 0.5}
DEFAULT_TIER_WEIGHTS = {"tier1": 3.0, "tier2": 2.0, "tier3": 1.0, "excellent": 0.5, "other": 1.0}
DEFAULT_RECIPIENT_WEIGHTS = {"student": 1.0, "teacher": 1.0, "institution": 1.0}
# Weight sets a bureau can start from; each is shown beside the score it makes.
# "provincial_style": the proportions provinces use in award subsidies, as the issue states
# them (national first 400%, second 300%, third 200%, provincial first 100%), carried to the
# other cells by the same level x tier product, with teacher entries weighted up.
WEIGHT_PRESETS = {
    "default": (DEFAULT_LEVEL_WEIGHTS, DEFAULT_TIER_WEIGHTS, DEFAULT_RECIPIENT_WEIGHTS),
    "provincial_style": (
        {"international": 8.0, "national": 4.0, "provincial": 1.0, "municipal": 0.5, "school": 0.0},
        {"tier1": 1.0, "tier2": 0.75, "tier3": 0.5, "excellent": 0.25, "other": 0.5},
        {"student": 1.0, "teacher": 1.5, "institution": 1.0},
    ),
    "equal": (
        {level: 1.0 for level in DEFAULT_LEVEL_WEIGHTS},
        {tier: 1.0 for tier in DEFAULT_TIER_WEIGHTS},
        {recipient: 1.0 for recipient in DEFAULT_RECIPIENT_WEIGHTS},
    ),
}
# A total covers itemised rows that share these, whose years and level lie within its own.
_COVER_KEY = ["institution_id", "category", "recipient", "unit"]
LEVEL_RANK = {"school": 1, "municipal": 2, "provincial": 3, "national": 4, "international": 5}


def awards_table(awards: pd.DataFrame, lang: str, *, with_institution: bool = True) -> pd.DataFrame:
    """Award rows as people read them: labelled columns, names in the page's language,
    evidence and notes kept (the competition page lists every institution's; the profile
    one institution's, without the institution and source columns)."""
    english = lang == "en"
    columns = {}
    if with_institution:
        columns[t("institution", lang)] = awards["institution_en" if english else "institution_zh"]
    scopes = awards["level_scope"] if "level_scope" in awards.columns else pd.Series("exact", index=awards.index)
    columns |= {
        t("period", lang): [period_label(p, e, k, lang) for p, e, k in zip(
            awards["period"], awards.get("period_end", pd.Series(pd.NA, index=awards.index)),
            awards.get("period_type", pd.Series("calendar_year", index=awards.index)))],
        t("competition", lang): awards["competition_en"].fillna(awards["competition"]) if english else awards["competition"],
        t("category", lang): [v("category", x, lang) for x in awards.get("category", pd.Series("", index=awards.index))],
        t("level", lang): [v("level", x, lang) + (t("or_higher", lang) if scope == "or_higher" else "")
                           for x, scope in zip(awards["level"], scopes)],
        t("grade", lang): [v("grade", x, lang) for x in awards["grade"]],
        t("recipient", lang): [v("recipient", x, lang) for x in awards["recipient"]],
        t("count", lang): awards["count"],
        t("unit", lang): [v("award_unit", x, lang) for x in awards["unit"]],
        t("is_total", lang): awards["is_total"],
    }
    if with_institution:
        columns[t("source", lang)] = awards["source_title_en"].fillna(awards["source_title"]) if english else awards["source_title"]
    columns[t("evidence", lang)] = awards["evidence"]
    columns[t("notes", lang)] = awards["notes"].fillna("")
    if "conflict" in awards.columns:
        columns[t("conflict", lang)] = ["⚠ " + text if isinstance(text, str) and text else "" for text in awards["conflict"]]
    return pd.DataFrame(columns)


def weights_text(level_weights: dict, tier_weights: dict, recipient_weights: dict, lang: str) -> str:
    """The weights a score was made with, to stand beside it: 权重：级别 国家级 5、…；等次 …；获奖者 …"""
    sep, colon = ("、", "：") if lang == "zh" else (", ", ": ")
    def listed(vocabulary, weights):
        return sep.join(f"{v(vocabulary, key, lang)} {weight:g}" for key, weight in weights.items())
    parts = [f"{t('level_weights', lang)}{colon}{listed('level', level_weights)}",
             f"{t('tier_weights', lang)}{colon}{listed('tier', tier_weights)}",
             f"{t('recipient_weights', lang)}{colon}{listed('recipient', recipient_weights)}"]
    return t("weights_used", lang) + ("；" if lang == "zh" else "; ").join(parts)


def competitions(awards: pd.DataFrame) -> pd.DataFrame:
    """Only competition awards: what the competition page counts and scores. Honours,
    research and teaching-achievement prizes and product awards appear on the profile."""
    return awards[awards["category"] == "competition"] if "category" in awards.columns else awards


def honours(awards: pd.DataFrame) -> pd.DataFrame:
    return awards[awards["category"] != "competition"] if "category" in awards.columns else awards.iloc[0:0]


def counted_awards(awards: pd.DataFrame) -> pd.DataFrame:
    """The award rows to count (the ETL's award_counted, rule for rule): itemised rows at
    their own level and grade, and of each total only what its covered items leave over,
    at the total's level with grade 'other'. A total covers the itemised rows of its
    institution, category, recipient and unit whose years and level lie within its own, so
    a total and the items inside it are never added together."""
    if awards.empty:
        return awards.assign(tier=pd.Series(dtype="string"))
    is_total = awards["is_total"].astype(bool)
    items, totals = awards[~is_total], awards[is_total]
    if totals.empty:
        return items.assign(tier=items["grade"].map(TIER_OF_GRADE))
    first = lambda frame: frame["period"].astype(int)
    last = lambda frame: frame["period_end"].fillna(frame["period"]).astype(int)
    pairs = totals.assign(total_row=totals.index, t_first=first(totals), t_last=last(totals),
                          t_rank=totals["level"].map(LEVEL_RANK), t_scope=totals["level_scope"].fillna("exact"))[
        [*_COVER_KEY, "total_row", "t_first", "t_last", "t_rank", "t_scope"]
    ].merge(items.assign(i_first=first(items), i_last=last(items), i_rank=items["level"].map(LEVEL_RANK))[
        [*_COVER_KEY, "i_first", "i_last", "i_rank", "count"]], on=_COVER_KEY)
    inside = (pairs["i_first"] >= pairs["t_first"]) & (pairs["i_last"] <= pairs["t_last"]) & (
        (pairs["i_rank"] == pairs["t_rank"]) | ((pairs["t_scope"] == "or_higher") & (pairs["i_rank"] > pairs["t_rank"])))
    covered = pairs[inside].groupby("total_row")["count"].sum()
    left_over = totals.assign(count=totals["count"] - covered.reindex(totals.index, fill_value=0))
    kept = pd.concat([items, left_over[left_over["count"] > 0]]).copy()
    kept["tier"] = kept["grade"].map(TIER_OF_GRADE)
    return kept


def award_scores(
    awards: pd.DataFrame,
    scope: pd.DataFrame,
    level_weights: dict[str, float] | None = None,
    tier_weights: dict[str, float] | None = None,
    unit: str = "items",
    recipient_weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Σ count × level weight × tier weight × recipient weight per institution, over the
    competition awards counted in one unit: items and person-times are different measures
    and never added together, and honours, research and product prizes are not
    competitions. Institutions with no such awards get no score (NaN): not reported is not zero."""
    level_weights = {**DEFAULT_LEVEL_WEIGHTS, **(level_weights or {})}
    tier_weights = {**DEFAULT_TIER_WEIGHTS, **(tier_weights or {})}
    recipient_weights = {**DEFAULT_RECIPIENT_WEIGHTS, **(recipient_weights or {})}
    counted = competitions(counted_awards(awards))
    counted = counted[counted["unit"] == unit]
    out = scope[["institution_id"]].copy()
    if counted.empty:
        out["score"] = float("nan")
        out["award_rows"] = 0
        return out
    points = (counted["count"] * counted["level"].map(level_weights) * counted["tier"].map(tier_weights)
              * counted["recipient"].map(recipient_weights))
    per = counted.assign(points=points).groupby("institution_id").agg(score=("points", "sum"), award_rows=("count", "size"))
    out = out.merge(per, on="institution_id", how="left")
    out["award_rows"] = out["award_rows"].fillna(0).astype(int)
    return out


# --- compare ---------------------------------------------------------------------------

def shared_indicators(obs: pd.DataFrame, chosen: list[str], period: int | None = None) -> pd.DataFrame:
    """The like-for-like figures of the chosen institutions: per indicator, its comparison
    set (comparability.comparison_sets) when two or more institutions are in it."""
    return like_for_like(comparison_sets(obs, chosen, period), comparable_only=False)


def compare_table(obs: pd.DataFrame, chosen: list[str], scope: pd.DataFrame, lang: str,
                  period: int | None = None, sets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Indicator rows × institution columns, for indicators two or more chosen institutions
    report like for like. Each cell: value, period, qualifier, source. A figure outside
    the set (another period, basis or date) is shown with ⚠ and what differs; the column
    'compared in' says what the set is. sets: comparison_sets(obs, chosen, period), when
    the caller has it already (as not_compared and normalised take it)."""
    sets = comparison_sets(obs, chosen, period) if sets is None else sets
    shared_ids = set(sets.loc[sets["in_set"] & (sets["set_size"] >= 2), "indicator_id"])
    shown = describe(sets[sets["indicator_id"].isin(shared_ids)], lang)
    names = dict(zip(scope["institution_id"].tolist(), scope[name_column(lang)].tolist()))
    missing = t("not_reported", lang)
    # Plain records, grouped by indicator in order: selecting from the wide frame once per
    # indicator and institution cost most of a second per compare rerun.
    by_indicator: dict[str, list[dict]] = {}
    for record in shown.to_dict("records"):
        by_indicator.setdefault(record["indicator_id"], []).append(record)
    rows = []
    for group in by_indicator.values():
        first = next(record for record in group if record["in_set"])
        row = {t("theme", lang): v("theme", first["theme"], lang), t("indicator", lang): first["indicator"],
               t("unit", lang): first["unit_text"], t("compared_in", lang): first["period_text"]}
        of_institution: dict[str, dict] = {}
        for record in group:
            of_institution.setdefault(record["institution_id"], record)
        for institution_id in chosen:
            figure = of_institution.get(institution_id)
            if figure is None:
                row[names.get(institution_id, institution_id)] = missing
                continue
            kind = "" if figure["kind"] == "actual" else (f"，{figure['kind_text']}" if lang == "zh" else f", {figure['kind_text']}")
            if figure["in_set"]:
                cell = (f"{figure['value_text']}（{figure['qualifier_text']}{kind}）· {figure['source_short']}" if lang == "zh"
                        else f"{figure['value_text']} ({figure['qualifier_text']}{kind}) · {figure['source_short']}")
            else:
                why = t(f"left_out_{figure['left_out']}", lang)
                cell = (f"⚠ {figure['value_text']}（{figure['period_text']}{kind}；{why}）· {figure['source_short']}" if lang == "zh"
                        else f"⚠ {figure['value_text']} ({figure['period_text']}{kind}; {why}) · {figure['source_short']}")
            row[names.get(institution_id, institution_id)] = cell
        rows.append(row)
    return pd.DataFrame(rows)


def not_compared(obs: pd.DataFrame, chosen: list[str], lang: str, period: int | None = None,
                 sets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Indicators that two or more chosen institutions report but not like for like, or
    that are not comparable between colleges at all, each with why: what a page leaves
    out of its comparison says why."""
    sets = comparison_sets(obs, chosen, period) if sets is None else sets
    reporters = sets.groupby("indicator_id")["institution_id"].nunique()
    several = sets[sets["indicator_id"].isin(reporters[reporters >= 2].index)]
    rows = []
    for indicator_id, group in describe(several, lang).groupby("indicator_id", sort=False):
        first = group.iloc[0]
        comparable = bool(first["comparable"]) if pd.notna(first["comparable"]) else True
        if group["in_set"].sum() >= 2 and comparable:
            continue
        if not comparable:
            why = t("left_out_not_comparable", lang)
        else:
            reasons = [r for r in group["left_out"] if r and r != "only_one"]
            why = t(f"left_out_{reasons[0] if reasons else 'other_period'}", lang)
        figures = ("；" if lang == "zh" else "; ").join(
            f"{row['institution']} {row['value_text']}（{row['period_text']}）" if lang == "zh"
            else f"{row['institution']} {row['value_text']} ({row['period_text']})" for _, row in group.iterrows())
        rows.append({t("indicator", lang): first["indicator"], t("why_not_compared", lang): why, t("figures_each", lang): figures})
    return pd.DataFrame(rows, columns=[t("indicator", lang), t("why_not_compared", lang), t("figures_each", lang)])


# A figure of another period may be drawn beside the set, with its period on the bar;
# one of another basis, measurement date or kind may not.
DRAWN_OUTSIDE_SET = ("other_period", "other_period_type")


def normalised(obs: pd.DataFrame, chosen: list[str], period: int | None = None,
               sets: pd.DataFrame | None = None) -> pd.DataFrame:
    """For comparable indicators two or more chosen institutions report on one basis:
    each figure scaled so the largest drawn is 1 (for lower-is-better, the smallest).
    The figures of the indicator's like-for-like set come first; a figure of another
    period is drawn too, with `like` False so its period stands on its bar, and it never
    counts in a headline. Rows only for institutions with a figure; missing stays missing."""
    sets = comparison_sets(obs, chosen, period) if sets is None else sets
    if not sets.empty and "comparable" in sets.columns:
        sets = sets[sets["comparable"].fillna(True).astype(bool)]
    drawn = sets[(sets["in_set"] | sets["left_out"].isin(DRAWN_OUTSIDE_SET))]
    drawn = drawn.assign(like=drawn["in_set"] & (drawn["set_size"] >= 2))
    counts = drawn.groupby("indicator_id")["institution_id"].nunique()
    drawn = drawn[drawn["indicator_id"].isin(counts[counts >= 2].index)]
    if drawn.empty:
        return drawn.assign(scaled=pd.Series(dtype=float))
    parts = []
    for _, group in drawn.groupby("indicator_id", sort=False):
        values = group["value"].astype(float)
        direction = group["higher_is_better"].iloc[0]
        lower_better = pd.notna(direction) and not bool(direction)
        if lower_better:
            best = values.min()
            scaled = best / values.where(values > 0)
        else:
            best = values.max()
            scaled = values / best if best else values * 0
        parts.append(group.assign(scaled=scaled.to_numpy()))
    return pd.concat(parts, ignore_index=True)


def leaders(norm: pd.DataFrame) -> pd.Series:
    """Per institution, on how many indicators it is best within a like-for-like set of
    two or more, for indicators with a better direction: a figure of another period, or
    of an indicator where neither direction is better, never makes anyone 'lead'."""
    if norm.empty or "higher_is_better" not in norm.columns:
        return pd.Series(dtype=int)
    like_rows = norm["like"].astype(bool) if "like" in norm.columns else pd.Series(True, index=norm.index)
    like = norm[like_rows & norm["higher_is_better"].notna()]
    if like.empty:
        return pd.Series(dtype=int)
    # Vectorised (a loop over indicators cost a third of a second per compare rerun): the
    # best value per indicator, then its holders in indicator order, as ties are broken.
    higher = like["higher_is_better"].astype(bool).to_numpy()
    extremes = like.groupby("indicator_id", sort=False)["value"].agg(["min", "max"])
    top = np.where(higher, like["indicator_id"].map(extremes["max"]), like["indicator_id"].map(extremes["min"]))
    won = like[like["value"].to_numpy() == top]
    first_seen = {iid: n for n, iid in enumerate(dict.fromkeys(like["indicator_id"].tolist()))}
    won = won.assign(_indicator=won["indicator_id"].map(first_seen)).sort_values("_indicator", kind="stable")
    return won.groupby("institution_id", sort=False)["indicator_id"].nunique().sort_values(ascending=False, kind="stable")


# --- national scale: distributions, ranks, peer percentiles ------------------------------

def direction_of(higher_is_better) -> str:
    """'higher', 'lower' or 'none' (no stated direction: never call a value better)."""
    if higher_is_better is None or pd.isna(higher_is_better):
        return "none"
    return "higher" if bool(higher_is_better) else "lower"


def percentile_rank(below: int, equal: int, above: int, direction: str) -> tuple[float, int | None]:
    """Mid-rank percentile of one value among its peer group, and its rank.

    below / equal / above: peers with a smaller / equal / larger value (equal counts the
    institution itself, so n = below + equal + above ≥ 1). Percentile = 100 × (peers
    worse + ½ × peers tied) / n: tied institutions share one percentile, the middle of
    their block; alone in its group an institution sits at 50. For 'higher' worse means
    smaller, for 'lower' larger; for 'none' the percentile is simply the value's position
    from the smallest (nothing is called better) and no rank is given. Rank 1 is best;
    tied institutions share the better rank.
    """
    n = below + equal + above
    if n <= 0:
        raise ValueError("a peer group holds at least the institution itself")
    worse, better = (above, below) if direction == "lower" else (below, above)
    percentile = 100.0 * (worse + 0.5 * equal) / n
    rank = None if direction == "none" else better + 1
    return percentile, rank


def percentiles(positions: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Add direction, percentile and rank to queries.peer_positions rows. A value that is
    a bound (>, ≥), whose counts are NULL, gets no percentile."""
    out = positions.copy()
    directions = indicators.set_index("indicator_id")["higher_is_better"].map(direction_of)
    out["direction"] = out["indicator_id"].map(directions).fillna("none")
    pct, rank = [], []
    for below, equal, above, direction in zip(out["below"], out["equal"], out["above"], out["direction"]):
        if pd.isna(below):
            pct.append(float("nan"))
            rank.append(pd.NA)
            continue
        p, r = percentile_rank(int(below), int(equal), int(above), direction)
        pct.append(p)
        rank.append(pd.NA if r is None else r)
    out["percentile"] = pd.Series(pct, index=out.index, dtype="float64")
    out["rank"] = pd.Series(rank, index=out.index, dtype="Int64")
    return out


def split_distribution(dist: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """queries.distribution rows as (stats: one row per indicator, bins: one per bin)."""
    stat_columns = [c for c in dist.columns if c not in ("bin", "lo", "hi", "overflow", "institutions")]
    stats = dist.drop_duplicates("indicator_id")[stat_columns].reset_index(drop=True)
    bins = dist[dist["bin"].notna()][["indicator_id", "bin", "lo", "hi", "overflow", "institutions"]].reset_index(drop=True)
    return stats, bins


def histogram(values: pd.Series, unit: str = "", bins: int = 30) -> tuple[pd.Series, pd.DataFrame]:
    """The histogram queries.distribution computes in SQL, for values already in pandas
    (award scores): the same stats and the same bin rule (see queries.distribution:
    one bin per whole number when they span fewer than `bins`; else equal widths from min
    to p99, log scale when positive, p99 ≥ 20 × min and not a percentage; above p99 one
    overflow bin). Returns (stats, bins)."""
    values = pd.Series(values, dtype="float64").dropna()
    n = len(values)
    stats = {"n": n, "n_approx": 0, "n_bound": 0, "n_target_only": 0}
    if n == 0:
        stats.update(min=float("nan"), q1=float("nan"), median=float("nan"), q3=float("nan"), p99=float("nan"),
                     max=float("nan"), whole=False, log_scale=False)
        return pd.Series(stats), pd.DataFrame(columns=["bin", "lo", "hi", "overflow", "institutions"])
    # quantile_cont is linear interpolation, as pandas' default.
    low, p99 = float(values.min()), float(values.quantile(0.99))
    stats.update(min=low, q1=float(values.quantile(0.25)), median=float(values.quantile(0.5)),
                 q3=float(values.quantile(0.75)), p99=p99, max=float(values.max()))
    whole = bool((values == np.floor(values)).all() and p99 - low < bins)
    log_scale = bool(not whole and low > 0 and p99 >= 20 * low and unit != "percent")
    stats["whole"], stats["log_scale"] = whole, log_scale
    transform = np.log if log_scale else (lambda x: x)
    a, b = float(transform(low)), float(transform(p99))
    rows = []
    over = values[values > p99]
    inside = values[values <= p99]
    if whole:
        for number, count in zip(*np.unique((inside - low).astype(int), return_counts=True)):
            rows.append((int(number), low + number - 0.5, low + number + 0.5, False, int(count)))
    elif b <= a:
        rows.append((0, low, stats["max"] if over.empty else p99, False, len(inside)))
    else:
        index = np.minimum(bins - 1, np.floor((transform(inside.to_numpy()) - a) / (b - a) * bins)).astype(int)
        for number, count in zip(*np.unique(index, return_counts=True)):
            lo, hi = a + (b - a) * number / bins, a + (b - a) * (number + 1) / bins
            if log_scale:
                lo, hi = float(np.exp(lo)), float(np.exp(hi))
            rows.append((int(number), lo, hi, False, int(count)))
    if not over.empty:
        rows.append((bins, p99, stats["max"], True, len(over)))
    return pd.Series(stats), pd.DataFrame(rows, columns=["bin", "lo", "hi", "overflow", "institutions"])


def peer_cell(row: pd.Series, lang: str) -> str:
    """'P83 · 第 12 / 68 名' (or with no direction 'P83（按数值由小到大）'); bounds: why none."""
    if pd.isna(row.get("percentile")):
        return "下限值，不计百分位" if lang == "zh" else "a lower bound: no percentile"
    p = f"P{row['percentile']:.0f}"
    n = int(row["peer_n"])
    if row["direction"] == "none":
        return f"{p}（按数值由小到大，共 {n} 所）" if lang == "zh" else f"{p} (by value, smallest first; n = {n})"
    return f"{p} · 第 {int(row['rank'])} / {n} 名" if lang == "zh" else f"{p} · rank {int(row['rank'])} of {n}"


def headline_summary(stats: pd.DataFrame, indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The headline figures of many institutions: per headline indicator, how many report
    it and the median, quartiles and range of their latest actual figures (queries.distribution stats)."""
    table = indicators.set_index("indicator_id")
    rows = []
    for indicator_id in HEADLINE_INDICATORS:
        if indicator_id not in table.index:
            continue
        unit = table.loc[indicator_id, "unit"]
        hit = stats[stats["indicator_id"] == indicator_id]
        row = {t("indicator", lang): table.loc[indicator_id, name_column(lang)], t("unit", lang): v("unit", unit, lang)}
        if hit.empty or not int(hit.iloc[0]["n"]):
            row.update({t("reporting", lang): 0, t("median", lang): t("not_reported", lang),
                        t("quartiles", lang): "", t("range", lang): "", t("period", lang): ""})
        else:
            s = hit.iloc[0]
            fmt = lambda key: format_value(float(s[key]), unit, "exact", lang)  # noqa: E731
            first, last = int(s["first_period"]), int(s["last_period"])
            row.update({
                t("reporting", lang): int(s["n"]),
                t("median", lang): fmt("median"),
                t("quartiles", lang): f"{fmt('q1')} – {fmt('q3')}",
                t("range", lang): f"{fmt('min')} – {fmt('max')}",
                t("period", lang): str(first) if first == last else f"{first}–{last}",
            })
        rows.append(row)
    return pd.DataFrame(rows)


def peer_positions_of(values: pd.DataFrame, chosen: tuple[str, ...], peer: str, custom: tuple[str, ...] = (),
                      field: set | None = None) -> pd.DataFrame:
    """queries.peer_positions for values already in pandas (award scores): per chosen
    institution with a value, peer_n and the peers below, equal and above it.
    values: institution_id, type, province, value."""
    rows = []
    for iid in chosen:
        mine = values[values["institution_id"] == iid]
        if mine.empty:
            continue
        me = mine.iloc[0]
        if peer == "type":
            peers = values[values["type"] == me["type"]]
        elif peer == "province":
            peers = values[values["province"] == me["province"]]
        elif peer == "type_province":
            peers = values[(values["type"] == me["type"]) & (values["province"] == me["province"])]
        elif peer == "field":
            peers = values[values["institution_id"].isin(field or set()) | (values["institution_id"] == iid)]
        else:
            peers = values[values["institution_id"].isin(set(custom) | {iid})]
        rows.append({
            "institution_id": iid, "value": me["value"], "peer_n": len(peers),
            "below": int((peers["value"] < me["value"]).sum()),
            "equal": int((peers["value"] == me["value"]).sum()),
            "above": int((peers["value"] > me["value"]).sum()),
        })
    return pd.DataFrame(rows, columns=["institution_id", "value", "peer_n", "below", "equal", "above"])


# --- theme overview (issue 15): every indicator against every chosen college -------------

def theme_matrix(obs: pd.DataFrame, chosen: list[str], lang: str, period: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The theme's overview, like for like.

    Returns (cells, single):
    - cells: one row per indicator reported by two or more of `chosen` and per chosen
      institution with a figure on it (described), with `in_set`, `left_out`, `set_size`
      (comparability.comparison_sets) and `shade`: the figure's size against the largest of
      its like-for-like set (0–1; for a rank, rank 1 is 1), NaN outside the set or where
      the set holds one figure or the indicator is not comparable between colleges: such a
      cell is drawn plain, with its period and why.
    - single: figures of indicators only one chosen institution reports (described), for a
      table: a chart of one bar says nothing.
    """
    sets = comparison_sets(obs, chosen, period)
    if sets.empty:
        empty = describe(sets, lang)
        return empty.assign(shade=pd.Series(dtype=float)), empty
    reporters = sets.groupby("indicator_id")["institution_id"].nunique()
    several = reporters[reporters >= 2].index
    single = describe(sets[~sets["indicator_id"].isin(several)], lang)
    cells = describe(sets[sets["indicator_id"].isin(several)], lang)
    shade = pd.Series(float("nan"), index=cells.index)
    comparable = cells["comparable"].fillna(True).astype(bool) if "comparable" in cells.columns else pd.Series(True, index=cells.index)
    scaled = cells["in_set"].astype(bool) & (cells["set_size"] >= 2) & comparable
    for _, group in cells[scaled].groupby("indicator_id", sort=False):
        values = group["value"].astype(float)
        if (group["unit"] == "rank").all():
            shade[group.index] = values.min() / values.where(values > 0)  # rank 1 is the largest share
        elif values.max() > 0:
            shade[group.index] = values / values.max()
    return cells.assign(shade=shade), single


def matrix_cell_text(row: pd.Series, lang: str) -> str:
    """What a matrix cell says: the value; outside its like-for-like set also its period and
    why it is not compared (⚠), as the compare table says it."""
    value = row["value_text"]
    if row["kind"] == "target":
        value = f"{t('legend_target', lang)} {value}"
    if row["unit"] == "rank":
        value = t("rank_text", lang, n=value)
    if bool(row["in_set"]) and int(row["set_size"]) >= 2:
        return value
    if bool(row["in_set"]):  # its own period; the others on the row differ from it
        return f"⚠ {value}（{row['period_text']}）" if lang == "zh" else f"⚠ {value} ({row['period_text']})"
    why = t(f"left_out_{row['left_out'] or 'only_one'}", lang)
    return f"⚠ {value}（{row['period_text']}，{why}）" if lang == "zh" else f"⚠ {value} ({row['period_text']}; {why})"


def single_reporter_table(single: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Indicators one chosen institution reports: indicator, institution, value, period, source."""
    return pd.DataFrame({
        t("indicator", lang): single["indicator"],
        t("institution", lang): single["institution"],
        t("value", lang): single["value_text"],
        t("period", lang): single["period_text"],
        t("qualifier", lang): single["qualifier_text"],
        t("kind", lang): single["kind_text"],
        t("source", lang): single["source"],
    }).reset_index(drop=True)


def best_pair(obs: pd.DataFrame, candidates: list[str]) -> tuple[list[str], int, int]:
    """The two of `candidates` that share the most indicators like for like (a figure each of
    the same kind, period, basis and date); with none anywhere, the two that share the most
    indicators at all. Returns (pair, like-for-like shared, shared at all), the first count
    as the compare page's table will count it (comparability.comparison_sets). Ties go to
    the earlier pair in the candidates' order. Fewer than two candidates: them, 0, 0."""
    candidates = list(dict.fromkeys(candidates))
    if len(candidates) < 2:
        return candidates, 0, 0
    order = {iid: n for n, iid in enumerate(candidates)}
    mine = obs[obs["institution_id"].isin(order)]
    keyed = mine[["institution_id", "indicator_id"]].copy()
    for field in ("kind", "period_type", "period", "period_end", "basis", "since", "as_of"):
        column = mine[field] if field in mine.columns else pd.Series(pd.NA, index=mine.index)
        keyed[field] = column.astype("string").fillna("\x00")
    keyed = keyed.drop_duplicates()
    keyed["n"] = keyed["institution_id"].map(order)

    def pair_counts(on: list[str]) -> pd.Series:
        pairs = keyed.merge(keyed, on=on)
        pairs = pairs[pairs["n_x"] < pairs["n_y"]]
        return pairs.drop_duplicates(["n_x", "n_y", "indicator_id"]).groupby(["n_x", "n_y"]).size()

    like = pair_counts(["indicator_id", "kind", "period_type", "period", "period_end", "basis", "since", "as_of"])
    shared = pair_counts(["indicator_id"])
    if shared.empty:
        return candidates[:2], 0, 0
    ranked = pd.DataFrame({"shared": shared}).join(like.rename("like"), how="left").fillna({"like": 0})
    ranked = ranked.reset_index().sort_values(["like", "shared", "n_x", "n_y"], ascending=[False, False, True, True])
    top = ranked.iloc[0]
    pair = [candidates[int(top["n_x"])], candidates[int(top["n_y"])]]
    exact = like_for_like(comparison_sets(mine[mine["institution_id"].isin(pair)], pair), comparable_only=False)
    return pair, int(exact["indicator_id"].nunique()), int(top["shared"])
