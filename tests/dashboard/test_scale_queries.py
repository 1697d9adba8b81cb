"""The national-scale queries, checked against the same answers worked out in pandas from
queries.observations / queries.awards on a small ETL-built synthetic warehouse."""
import numpy as np
import pandas as pd
import pytest

from dashboard import db, queries, transforms
from dashboard.filters import Filters

EVERYTHING = Filters()
SKEWED, PERCENT = "oth_graduates", "emp_destination_rate"
LOWER, NO_DIRECTION = "pb_warning_education_meetings", "oth_papers_published"
IDS = (PERCENT, SKEWED, LOWER, NO_DIRECTION, "emp_job_fairs")


@pytest.fixture(scope="module")
def sref(synth_db):
    return db.current_ref(synth_db)


@pytest.fixture(scope="module")
def latest(sref):
    """Each institution's latest actual figure per indicator, worked out in pandas."""
    obs = queries.observations(sref, EVERYTHING)
    actual = obs[obs["kind"] == "actual"].copy()
    actual["end"] = actual["period_end"].fillna(actual["period"])
    actual["is_exact"] = actual["qualifier"].eq("exact")
    actual = actual.sort_values(["end", "period", "is_exact", "source_id"])
    return actual.groupby(["institution_id", "indicator_id"]).tail(1)


LIKE = ["period", "period_end", "period_type", "basis", "since", "as_of"]


def like_key(row) -> tuple:
    return tuple(None if pd.isna(row[field]) else row[field] for field in LIKE)


def common(latest, indicator_id):
    """The figures of the like-for-like key most latest figures share (the latest on a tie):
    a distribution or a ranking is drawn over these only."""
    rows = latest[latest["indicator_id"] == indicator_id]
    keys = pd.Series([like_key(row) for _, row in rows.iterrows()], index=rows.index, dtype=object)
    sizes = keys.value_counts()
    end = lambda key: key[1] if key[1] is not None else key[0]
    best = max(sizes.index, key=lambda key: (sizes[key], end(key)))
    return rows[keys == best], rows[keys != best]


def counted(latest, indicator_id):
    rows, _ = common(latest, indicator_id)
    return rows[rows["qualifier"].isin(["exact", "approx"])]


def test_distribution_counts_what_it_says(sref, latest):
    stats, bins = transforms.split_distribution(queries.distribution(sref, EVERYTHING, IDS))
    for indicator_id in IDS:
        mine, other_period = common(latest, indicator_id)
        values = counted(latest, indicator_id)["value"]
        row = stats.set_index("indicator_id").loc[indicator_id]
        assert row["n"] == len(values)
        assert row["n_other_period"] == len(other_period)
        assert row["n_approx"] == (mine["qualifier"] == "approx").sum()
        assert row["n_bound"] == mine["qualifier"].isin(["more_than", "at_least"]).sum()
        assert row["n_field"] == 60
        assert row["median"] == pytest.approx(values.median())
        assert row["q1"] == pytest.approx(values.quantile(0.25))
        assert row["n_academic"] == (counted(latest, indicator_id)["period_type"] == "academic_year").sum()
        assert bins.loc[bins["indicator_id"] == indicator_id, "institutions"].sum() == len(values)


def test_histogram_bins_hold_their_values(sref, latest):
    stats, bins = transforms.split_distribution(queries.distribution(sref, EVERYTHING, IDS))
    for indicator_id in IDS:
        mine = bins[bins["indicator_id"] == indicator_id]
        values = counted(latest, indicator_id)["value"]
        for _, b in mine.iterrows():
            inside = values[(values >= b["lo"] - 1e-9) & (values <= b["hi"] + 1e-9)]
            assert len(inside) >= b["institutions"]
    flags = stats.set_index("indicator_id")["log_scale"]
    assert bool(flags[SKEWED]) and not bool(flags[PERCENT])  # skewed counts: log; percentages never


@pytest.mark.parametrize(("indicator_id", "unit", "rule"), [
    (SKEWED, "persons", "log_scale"), ("emp_job_fairs", "times", "whole"), (PERCENT, "percent", None),
])
def test_pandas_histogram_matches_sql(sref, latest, indicator_id, unit, rule):
    """transforms.histogram (for award scores) follows the SQL rule exactly."""
    stats, bins = transforms.split_distribution(queries.distribution(sref, EVERYTHING, (indicator_id,)))
    mine_stats, mine_bins = transforms.histogram(counted(latest, indicator_id)["value"], unit=unit)
    assert mine_stats["median"] == pytest.approx(stats.iloc[0]["median"])
    for flag in ("log_scale", "whole"):
        assert bool(mine_stats[flag]) == bool(stats.iloc[0][flag]) == (flag == rule)
    assert list(mine_bins["bin"]) == list(bins["bin"])
    assert list(mine_bins["institutions"]) == list(bins["institutions"])
    assert np.allclose(mine_bins["lo"], bins["lo"])


def test_distribution_is_over_the_field_not_the_institutions_pick(sref, latest):
    picked = Filters(institutions=("syn00001", "syn00002"))
    assert queries.distribution(sref, picked, (PERCENT,)).iloc[0]["n"] == len(counted(latest, PERCENT))
    kind = "secondary_vocational"
    typed = queries.distribution(sref, Filters(types=(kind,)), (PERCENT,)).iloc[0]
    ids = set(queries.institutions(sref).query("type == @kind")["institution_id"])
    assert typed["n"] == counted(latest, PERCENT)["institution_id"].isin(ids).sum()
    assert typed["n_field"] == len(ids)


def test_targets_never_enter_a_distribution(sref):
    only_targets = queries.distribution(sref, Filters(kinds=("target",)), IDS)
    assert (only_targets.drop_duplicates("indicator_id")["n"] == 0).all()


@pytest.mark.parametrize("indicator_id", [PERCENT, LOWER, NO_DIRECTION])
def test_ranked_top_and_bottom_follow_direction(sref, latest, indicator_id):
    ranked = queries.ranked(sref, EVERYTHING, (indicator_id,), 5)
    values = counted(latest, indicator_id)
    ascending = indicator_id == LOWER  # lower is better: best is smallest; no direction: largest first
    ordered = values.sort_values("value", ascending=ascending)["value"].tolist()
    top = ranked[ranked["end"] == "top"]
    bottom = ranked[ranked["end"] == "bottom"]
    assert top["value"].tolist() == ordered[:5]
    assert bottom["value"].tolist() == ordered[-5:]
    assert top.iloc[0]["rank"] == 1 and (top["n"] == len(values)).all()
    # Ties share the better rank.
    for _, row in ranked.iterrows():
        better = (values["value"] < row["value"]).sum() if ascending else (values["value"] > row["value"]).sum()
        assert row["rank"] == better + 1


@pytest.mark.parametrize("peer", ["type", "province", "type_province", "field", "custom"])
def test_peer_positions_count_peers(sref, latest, peer):
    chosen = ("syn00001", "syn00002", "syn00003")
    custom = ("syn00010", "syn00011", "syn00012", "syn00013")
    positions = queries.peer_positions(sref, EVERYTHING, IDS, chosen, peer, custom)
    info = queries.institutions(sref).set_index("institution_id")
    for _, row in positions.iterrows():
        # Peers of the same period, basis and date as the institution's own figure.
        mine = latest[(latest["indicator_id"] == row["indicator_id"]) & latest["qualifier"].isin(["exact", "approx"])]
        same = [like_key(peer) == like_key(row) for _, peer in mine.iterrows()]
        values = mine[same].set_index("institution_id")["value"]
        me = info.loc[row["institution_id"]]
        members = {
            "type": set(info.index[info["type"] == me["type"]]),
            "province": set(info.index[info["province"] == me["province"]]),
            "type_province": set(info.index[(info["type"] == me["type"]) & (info["province"] == me["province"])]),
            "field": set(info.index),
            "custom": set(custom) | {row["institution_id"]},
        }[peer]
        peers = values[values.index.isin(members)]
        if row["qualifier"] in ("more_than", "at_least"):
            assert pd.isna(row["peer_n"])  # a bound has no known place
            continue
        assert row["peer_n"] == len(peers)
        assert row["below"] == (peers < row["value"]).sum()
        assert row["equal"] == (peers == row["value"]).sum() >= 1
        assert row["above"] == (peers > row["value"]).sum()


def test_peer_sizes(sref):
    sizes = queries.peer_sizes(sref, EVERYTHING, ("syn00001",), "type").iloc[0]
    info = queries.institutions(sref).set_index("institution_id")
    assert sizes["peers"] == (info["type"] == info.loc["syn00001", "type"]).sum()
    custom = queries.peer_sizes(sref, EVERYTHING, ("syn00001",), "custom", ("syn00002", "syn00003")).iloc[0]
    assert custom["peers"] == 3


def test_trend_keeps_calendar_and_academic_years_apart(sref):
    obs = queries.observations(sref, EVERYTHING, indicator_ids=(SKEWED,))
    actual = obs[(obs["kind"] == "actual") & obs["qualifier"].isin(["exact", "approx"])]
    chosen = tuple(sorted(set(actual["institution_id"])))[:2]
    rows = queries.trend(sref, EVERYTHING, SKEWED, chosen, "field")
    mine = rows[rows["series"] == "institution"]
    expected = obs[(obs["kind"] == "actual") & obs["institution_id"].isin(chosen)]
    assert len(mine) == len(expected)
    medians = rows[rows["series"] == "median"]
    per_year = actual.sort_values(["qualifier"], key=lambda s: s.eq("exact")).groupby(
        ["institution_id", "period", "period_type"]).tail(1)
    for (period, period_type), group in per_year.groupby(["period", "period_type"]):
        hit = medians[(medians["period"] == period) & (medians["period_type"] == period_type)]
        assert len(hit) == 1, (period, period_type)
        assert hit.iloc[0]["value"] == pytest.approx(group["value"].median())
        assert hit.iloc[0]["peers"] == len(group)
    assert set(medians["period_type"]) == {"calendar_year", "academic_year"}


def test_trend_medians_per_peer_group(sref):
    info = queries.institutions(sref)
    chosen = (info[info["type"] == "secondary_vocational"].iloc[0]["institution_id"],
              info[info["type"] == "technician_college"].iloc[0]["institution_id"])
    rows = queries.trend(sref, EVERYTHING, PERCENT, chosen, "type")
    assert set(rows.loc[rows["series"] == "median", "group_key"]) == {"secondary_vocational", "technician_college"}


def test_observation_page_and_count(sref):
    everything = queries.observations(sref, EVERYTHING, themes=("employment",))
    assert queries.observation_count(sref, EVERYTHING, ("employment",)) == len(everything)
    page = queries.observations_page(sref, EVERYTHING, ("employment",), limit=50, offset=10)
    assert len(page) == 50
    assert set(page["theme"]) == {"employment"}
    one = queries.observations_page(sref, EVERYTHING, (), (PERCENT,), "", limit=10_000)
    assert len(one) == len(queries.observations(sref, EVERYTHING, indicator_ids=(PERCENT,)))


def test_search_is_plain_text_in_sql(sref):
    assert queries.observation_count(sref, EVERYTHING, search="%") == 0  # not a wildcard
    assert queries.observation_count(sref, EVERYTHING, search="'; DROP TABLE observations; --") == 0
    by_id = queries.observation_count(sref, EVERYTHING, search="SYN00007")
    assert by_id == len(queries.observations(sref, Filters(institutions=("syn00007",))))
    assert queries.observation_count(sref, EVERYTHING, search="初次就业率") == len(
        queries.observations(sref, EVERYTHING, indicator_ids=("emp_initial_rate",)))


def test_scope_counts(sref):
    counts = queries.scope_counts(sref, Filters(types=("technician_college",)))
    f = Filters(types=("technician_college",))
    awards = transforms.competitions(transforms.counted_awards(queries.awards(sref, f)))
    assert counts == {
        "institutions": len(queries.institutions_in_scope(sref, f)),
        "sources": len(queries.sources(sref, f)),
        "figures": len(queries.observations(sref, f)),
        "award_rows": len(queries.awards(sref, f)),
        "award_items": int(awards.loc[awards["unit"] == "items", "count"].sum()),
        "award_person_times": int(awards.loc[awards["unit"] == "person_times", "count"].sum()),
    }


def test_completeness_counts_fold_the_grid(sref):
    indicators = queries.indicators(sref)
    on_theme = indicators[indicators["theme"] == "employment"]
    obs = queries.observations(sref, EVERYTHING, themes=("employment",))
    grid = transforms.completeness(obs, on_theme, queries.institutions_in_scope(sref, EVERYTHING))
    expected = grid.groupby(["indicator_id", "status"]).size()
    counts = queries.completeness_counts(sref, EVERYTHING, "employment")
    got = counts[counts["institutions"] > 0].set_index(["indicator_id", "status"])["institutions"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    status = queries.completeness_status(sref, EVERYTHING, "employment")
    assert len(status) == (grid["status"] != "missing").sum()


def test_figures_per_theme_by_type(sref):
    per = queries.figures_per_theme(sref, EVERYTHING)
    by = queries.figures_per_theme_by(sref, EVERYTHING, "type")
    assert by["figures"].sum() == per["figures"].sum()
    info = queries.institutions(sref)
    sizes = by.drop_duplicates("group").set_index("group")["institutions"]
    assert sizes.to_dict() == info.groupby("type").size().to_dict()


def test_award_queries_match_the_pandas_rules(sref):
    awards = queries.awards(sref, EVERYTHING)
    scope = queries.institutions_in_scope(sref, EVERYTHING)
    expected = transforms.award_scores(awards, scope).dropna(subset=["score"]).set_index("institution_id")
    scores = queries.award_scores(
        sref, EVERYTHING, tuple(transforms.DEFAULT_LEVEL_WEIGHTS.items()), tuple(transforms.DEFAULT_TIER_WEIGHTS.items())
    ).set_index("institution_id")
    assert set(scores.index) == set(expected.index)
    assert np.allclose(scores.loc[expected.index, "score"], expected["score"])
    counted = transforms.competitions(transforms.counted_awards(awards))  # the page counts competitions only
    breakdown = queries.award_breakdown(sref, EVERYTHING)
    for by, column in (("level", "level"), ("tier", "tier"), ("recipient", "recipient")):
        part = breakdown[breakdown["dimension"] == by]
        assert part.groupby(["key", "unit"])["count"].sum().to_dict() == \
            counted.groupby([column, "unit"])["count"].sum().astype(float).to_dict()
    sizes = queries.institutions(sref).groupby("type").size()
    assert (breakdown["type_n"] == breakdown["type"].map(sizes)).all()
    assert queries.award_count(sref, EVERYTHING) == len(awards)
    page = queries.awards(sref, EVERYTHING, limit=20)
    pd.testing.assert_frame_equal(queries.awards(sref, EVERYTHING).head(20).reset_index(drop=True), page)


def test_sources_page_is_the_first_rows_of_sources(sref):
    everything = queries.sources(sref, EVERYTHING)
    page = queries.sources_page(sref, EVERYTHING, limit=25)
    pd.testing.assert_frame_equal(everything.head(25).reset_index(drop=True), page, check_dtype=False)
    assert queries.source_count(sref, EVERYTHING) == len(everything)


def test_unknown_peer_group_is_refused(sref):
    with pytest.raises(ValueError):
        queries.peer_positions(sref, EVERYTHING, IDS, ("syn00001",), "anything'; --")


def test_award_totals_replace_their_items_in_sql_as_in_pandas(ref):
    """The curated data have report totals beside itemised rows; SQL must count them as
    transforms.counted_awards does (the synthetic data have none)."""
    awards = queries.awards(ref, EVERYTHING)
    assert awards["is_total"].any()
    counted = transforms.competitions(transforms.counted_awards(awards))
    breakdown = queries.award_breakdown(ref, EVERYTHING)
    levels = breakdown[breakdown["dimension"] == "level"].groupby(["key", "unit"])["count"].sum()
    assert levels.to_dict() == counted.groupby(["level", "unit"])["count"].sum().astype(float).to_dict()
    scope = queries.institutions_in_scope(ref, EVERYTHING)
    expected = transforms.award_scores(awards, scope).dropna(subset=["score"]).set_index("institution_id")
    scores = queries.award_scores(
        ref, EVERYTHING, tuple(transforms.DEFAULT_LEVEL_WEIGHTS.items()), tuple(transforms.DEFAULT_TIER_WEIGHTS.items())
    ).set_index("institution_id")
    assert np.allclose(scores.loc[expected.index, "score"], expected["score"])
    assert (scores.loc[expected.index, "award_rows"] == expected["award_rows"]).all()
    for unit in ("items", "person_times"):
        expected = transforms.award_scores(awards, scope, unit=unit).dropna(subset=["score"]).set_index("institution_id")
        scores = queries.award_scores(
            ref, EVERYTHING, tuple(transforms.DEFAULT_LEVEL_WEIGHTS.items()),
            tuple(transforms.DEFAULT_TIER_WEIGHTS.items()), unit,
        ).set_index("institution_id")
        assert set(scores.index) == set(expected.index)
        assert np.allclose(scores.loc[expected.index, "score"], expected["score"])


def test_a_narrower_period_picks_the_latest_figure_within_it(sref):
    """The full span reads the ETL's latest_actual; a narrower one computes the same rule
    in the query. Both must agree with pandas."""
    span = queries.options(sref)
    narrow = Filters(period_from=span.first_year, period_to=span.last_year - 1)
    obs = queries.observations(sref, narrow)
    actual = obs[obs["kind"] == "actual"].copy()
    actual["end"] = actual["period_end"].fillna(actual["period"])
    actual["is_exact"] = actual["qualifier"].eq("exact")
    expected = actual.sort_values(["end", "period", "is_exact", "source_id"]).groupby(["institution_id", "indicator_id"]).tail(1)
    stats, _ = transforms.split_distribution(queries.distribution(sref, narrow, IDS))
    for indicator_id in IDS:
        values = counted(expected, indicator_id)["value"]
        row = stats.set_index("indicator_id").loc[indicator_id]
        assert row["n"] == len(values)
        assert row["median"] == pytest.approx(values.median())
        assert row["last_period"] <= span.last_year - 1
