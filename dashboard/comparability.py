"""Which figures may stand side by side: like for like, or say why not.

Two figures are like for like when they measure the same indicator, of the same kind
(actual or target), over the same period of the same type, on the same basis (flow, stock,
cumulative since the same year) and, where a measurement date is given, on the same date.
A 2023学年 rate beside a 2019 one, a two-year count beside a one-year count, or a rate of
9月1日 beside one of 12月26日 are not.

For each indicator, `comparison_sets` picks one such set among the chosen institutions:
by default the latest period all of them report, else the one most of them report (at
least two); a period the user asks for overrides that. Every institution with a figure
on the indicator but outside the set keeps its nearest figure, marked with the reason it
is outside, so a page can show it with its own period or leave it out and say why.
Pure pandas: no Streamlit, no database.
"""
from __future__ import annotations

import pandas as pd

# The fields that make two figures like for like, after indicator and institution.
LIKE_FIELDS = ("kind", "period_type", "period", "period_end", "basis", "since", "as_of")
# Why a figure is outside its indicator's set, in the order they are named: the first
# field that differs from the set is the reason.
REASON_OF_FIELD = {
    "kind": "other_kind",
    "period_type": "other_period_type",
    "period": "other_period",
    "period_end": "other_period",
    "basis": "other_basis",
    "since": "other_basis",
    "as_of": "other_date",
}
REASONS = ("other_period", "other_period_type", "other_basis", "other_date", "other_kind", "only_one")
_BLANK = "\x00"  # stands for a missing field, so that missing equals missing


def _keyed(obs: pd.DataFrame) -> pd.DataFrame:
    """obs with text key columns (k_<field>) in which a blank equals a blank, and the end
    year of each figure."""
    out = obs.copy()
    for field in LIKE_FIELDS:
        column = out[field] if field in out.columns else pd.Series(pd.NA, index=out.index)
        out[f"k_{field}"] = column.astype("string").fillna(_BLANK).astype(object)
    ends = out["period_end"] if "period_end" in out.columns else pd.Series(pd.NA, index=out.index)
    out["end_year"] = ends.fillna(out["period"]).astype(int)
    out["start_year"] = out["period"].astype(int)
    return out


def _one_per_institution(rows: pd.DataFrame) -> pd.DataFrame:
    """Where an institution has two figures in one set (two sources), the exact one, then
    the one listed last."""
    exact = rows["qualifier"].eq("exact") if "qualifier" in rows.columns else pd.Series(True, index=rows.index)
    ranked = rows.assign(_exact=exact, _order=range(len(rows)))
    ranked = ranked.sort_values(["institution_id", "_exact", "_order"], ascending=[True, False, False])
    return ranked.drop_duplicates("institution_id").drop(columns=["_exact", "_order"])


def comparison_sets(obs: pd.DataFrame, institutions, period: int | None = None) -> pd.DataFrame:
    """One row per indicator and institution (of `institutions`) that has a figure on it:
    the figure in the indicator's like-for-like set, or the institution's nearest other
    figure. Adds:
      in_set     whether the figure is in its indicator's set
      set_size   how many institutions the set holds (0: no set)
      left_out   '' in the set, else a key of REASONS
      set_period, set_period_end, set_period_type, set_basis, set_since, set_as_of,
      set_kind   the set's fields (to say what the set is, on the page)
    period: compare in the figures ending in that year (their end year); None picks the
    latest period all institutions report, else the one most report.
    """
    chosen = list(dict.fromkeys(institutions))
    mine = obs[obs["institution_id"].isin(chosen)]
    set_columns = ["set_period", "set_period_end", "set_period_type", "set_basis", "set_since", "set_as_of", "set_kind"]
    if mine.empty:
        return mine.assign(in_set=pd.Series(dtype=bool), set_size=pd.Series(dtype=int),
                           left_out=pd.Series(dtype=str), **{c: pd.Series(dtype=object) for c in set_columns})
    keyed = _keyed(mine)
    key = [f"k_{field}" for field in LIKE_FIELDS]
    groups = (keyed.groupby(["indicator_id", *key], sort=False, dropna=False)
              .agg(n=("institution_id", "nunique"), end_year=("end_year", "max"), start_year=("start_year", "max"))
              .reset_index())
    if period is not None:
        groups = groups[groups["end_year"] == int(period)]
    # Results before targets, then sets of two or more, then the most institutions, then the latest.
    groups = groups.assign(actual=groups["k_kind"].eq("actual"), shared=groups["n"] >= 2)
    groups = groups.sort_values(["indicator_id", "actual", "shared", "n", "end_year", "start_year"],
                                ascending=[True, False, False, False, False, False])
    best = groups.drop_duplicates("indicator_id").set_index("indicator_id")

    # Vectorised over all indicators at once (a loop per indicator cost seconds per rerun).
    best_key = best[[*key, "n"]].rename(columns={k: f"b_{k[2:]}" for k in key} | {"n": "set_size"})
    keyed = keyed.assign(_position=range(len(keyed))).join(best_key, on="indicator_id")
    has_set = keyed["set_size"].notna()
    inside = has_set.copy()
    for field in LIKE_FIELDS:
        inside &= keyed[f"k_{field}"].eq(keyed[f"b_{field}"])
    exact = keyed["qualifier"].eq("exact") if "qualifier" in keyed.columns else pd.Series(True, index=keyed.index)
    in_rows = (keyed[inside].assign(_exact=exact[inside])
               .sort_values(["indicator_id", "institution_id", "_exact", "_position"], ascending=[True, True, False, False])
               .drop_duplicates(["indicator_id", "institution_id"]).drop(columns="_exact"))
    in_rows = in_rows.assign(in_set=True, left_out="")
    pairs = pd.MultiIndex.from_frame(in_rows[["indicator_id", "institution_id"]])
    outside = keyed[~inside]
    outside = outside[~pd.MultiIndex.from_frame(outside[["indicator_id", "institution_id"]]).isin(pairs)]
    # The nearest other figure: a result before a target, then the latest.
    others = (outside.assign(_actual=outside["kind"].eq("actual"))
              .sort_values(["indicator_id", "institution_id", "_actual", "end_year", "start_year"],
                           ascending=[True, True, False, False, False])
              .drop_duplicates(["indicator_id", "institution_id"]).drop(columns="_actual"))
    reason = pd.Series("", index=others.index, dtype=object)
    for field in LIKE_FIELDS:  # the first field that differs names the reason
        differs = reason.eq("") & others[f"k_{field}"].ne(others[f"b_{field}"])
        reason[differs] = REASON_OF_FIELD[field]
    reason[reason.eq("") | others["set_size"].isna()] = "other_period"
    others = others.assign(in_set=False, left_out=reason)
    out = pd.concat([in_rows, others])
    out["set_size"] = out["set_size"].fillna(0).astype(int)
    out.loc[out["in_set"] & out["set_size"].eq(1), "left_out"] = "only_one"
    for field in LIKE_FIELDS:
        out[f"set_{field}"] = pd.Series([None if pd.isna(v) or v == _BLANK else v for v in out[f"b_{field}"]],
                                         index=out.index, dtype=object)
    out["in_set"] = out["in_set"].astype(bool)
    # Indicators in their first-seen order, institutions in the order chosen.
    first_seen = {iid: position for position, iid in enumerate(dict.fromkeys(mine["indicator_id"]))}
    order = {iid: position for position, iid in enumerate(chosen)}
    out = out.assign(_indicator=out["indicator_id"].map(first_seen), _institution=out["institution_id"].map(order))
    out = out.sort_values(["_indicator", "_institution"], kind="stable")
    drop = ["_indicator", "_institution", "_position", "end_year", "start_year", *key, *(f"b_{f}" for f in LIKE_FIELDS)]
    return out.drop(columns=drop).reset_index(drop=True)


def like_for_like(sets: pd.DataFrame, comparable_only: bool = True) -> pd.DataFrame:
    """The figures that may be drawn against each other: in a set of two or more (and of
    an indicator marked comparable, unless comparable_only is False)."""
    rows = sets[sets["in_set"] & (sets["set_size"] >= 2)]
    if comparable_only and "comparable" in rows.columns:
        rows = rows[rows["comparable"].fillna(True).astype(bool)]
    return rows


def periods_on_offer(obs: pd.DataFrame) -> list[int]:
    """End years the figures cover, newest first: the periods a user may compare in."""
    if obs.empty:
        return []
    ends = obs["period_end"].fillna(obs["period"]).astype(int)
    return sorted(set(ends.tolist()), reverse=True)
