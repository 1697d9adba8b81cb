"""Percentile maths (ties, direction), the pandas histogram, and the headline summary."""
import pandas as pd
import pytest

from dashboard import transforms


@pytest.mark.parametrize(
    ("below", "equal", "above", "direction", "percentile", "rank"),
    [
        (9, 1, 0, "higher", 95.0, 1),    # best of ten
        (0, 1, 9, "higher", 5.0, 10),    # worst of ten
        (0, 1, 9, "lower", 95.0, 1),     # smallest of ten, where lower is better
        (9, 1, 0, "lower", 5.0, 10),
        (0, 1, 0, "higher", 50.0, 1),    # alone in its group
        (2, 3, 5, "higher", 35.0, 6),    # three tied: the middle of their block, the better rank
        (5, 3, 2, "lower", 35.0, 6),
        (0, 10, 0, "higher", 50.0, 1),   # everyone tied
        (9, 1, 0, "none", 95.0, None),   # no direction: position by value, no rank
        (0, 1, 9, "none", 5.0, None),
    ],
)
def test_percentile_rank(below, equal, above, direction, percentile, rank):
    assert transforms.percentile_rank(below, equal, above, direction) == (pytest.approx(percentile), rank)


def test_ties_share_one_percentile():
    values = [10, 20, 20, 20, 30]
    results = {
        value: transforms.percentile_rank(sum(x < value for x in values), sum(x == value for x in values),
                                          sum(x > value for x in values), "higher")
        for value in values
    }
    assert results[20] == (pytest.approx(50.0), 2)
    assert results[10][0] < results[20][0] < results[30][0]


def test_empty_group_is_an_error():
    with pytest.raises(ValueError):
        transforms.percentile_rank(0, 0, 0, "higher")


def test_direction_of():
    assert transforms.direction_of(True) == "higher"
    assert transforms.direction_of(False) == "lower"
    assert transforms.direction_of(None) == "none"
    assert transforms.direction_of(pd.NA) == "none"


def test_percentiles_leave_bounds_without_a_place():
    positions = pd.DataFrame({
        "institution_id": ["a", "b", "c"], "indicator_id": ["x", "y", "x"],
        "below": [3, 0, None], "equal": [1, 1, None], "above": [0, 3, None], "peer_n": [4, 4, None],
    })
    indicators = pd.DataFrame({"indicator_id": ["x", "y"], "higher_is_better": [True, False]})
    out = transforms.percentiles(positions, indicators)
    assert out["percentile"].iloc[0] == pytest.approx(87.5) and out["rank"].iloc[0] == 1
    assert out["percentile"].iloc[1] == pytest.approx(87.5) and out["rank"].iloc[1] == 1  # smallest, lower is better
    assert pd.isna(out["percentile"].iloc[2])
    assert "下限" in transforms.peer_cell(out.iloc[2], "zh")
    assert transforms.peer_cell(out.iloc[0], "en") == "P88 · rank 1 of 4"
    none = out.iloc[0].copy()
    none["direction"] = "none"
    assert "rank" not in transforms.peer_cell(none, "en") and "smallest first" in transforms.peer_cell(none, "en")


def test_histogram_rules():
    stats, bins = transforms.histogram(pd.Series([90.0, 91, 92, 95, 99]), unit="percent")
    assert not stats["log_scale"] and bins["institutions"].sum() == 5
    skewed = pd.Series([1.0, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597] * 10 + [50_000])
    stats, bins = transforms.histogram(skewed)
    assert stats["log_scale"]
    assert bins["institutions"].sum() == len(skewed)
    assert bins["overflow"].any()  # above p99
    # Whole numbers over a short span: one bar per number, centred on it, no empty slivers.
    counts, count_bins = transforms.histogram(pd.Series([1.0, 1, 2, 3, 3, 3, 7]))
    assert counts["whole"] and not counts["log_scale"]
    regular = count_bins[~count_bins["overflow"]]
    assert list(regular["lo"] + 0.5) == [1, 2, 3] and list(regular["institutions"]) == [2, 1, 3]
    assert count_bins[count_bins["overflow"]]["institutions"].tolist() == [1]  # 7 is above p99
    same, same_bins = transforms.histogram(pd.Series([4.0, 4, 4]))
    assert len(same_bins) == 1 and same_bins.iloc[0]["institutions"] == 3
    nothing, no_bins = transforms.histogram(pd.Series([], dtype=float))
    assert nothing["n"] == 0 and no_bins.empty


def test_peer_positions_of_scores():
    values = pd.DataFrame({
        "institution_id": list("abcde"), "type": ["t1", "t1", "t1", "t2", "t2"],
        "province": ["p", "q", "p", "p", "q"], "value": [5.0, 5.0, 9.0, 1.0, 2.0],
    })
    out = transforms.peer_positions_of(values, ("a", "zzz"), "type").set_index("institution_id")
    assert list(out.index) == ["a"]  # no score, no row
    assert out.loc["a", ["peer_n", "below", "equal", "above"]].tolist() == [3, 0, 2, 1]
    province = transforms.peer_positions_of(values, ("a",), "province").iloc[0]
    assert (province["peer_n"], province["below"], province["above"]) == (3, 1, 1)
    custom = transforms.peer_positions_of(values, ("a",), "custom", ("d", "e")).iloc[0]
    assert (custom["peer_n"], custom["below"]) == (3, 2)


def test_headline_summary():
    stats = pd.DataFrame({
        "indicator_id": ["emp_destination_rate"], "n": [120], "median": [94.5], "q1": [92.0], "q3": [96.0],
        "min": [70.0], "max": [99.1], "first_period": [2020], "last_period": [2024],
    })
    indicators = pd.DataFrame({
        "indicator_id": ["emp_destination_rate", "oth_graduates"], "name_zh": ["毕业去向落实率", "毕业生数"],
        "name_en": ["Destination rate", "Graduates"], "unit": ["percent", "persons"],
    })
    table = transforms.headline_summary(stats, indicators, "zh").set_index("指标")
    assert table.loc["毕业去向落实率", "中位数"] == "94.5%"
    assert table.loc["毕业去向落实率", "报告院校数"] == 120
    assert table.loc["毕业生数", "中位数"] == "未报告"  # missing is said, not zero
