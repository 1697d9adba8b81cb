"""Like for like: which figures may stand side by side, and why the rest may not."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard import transforms
from dashboard.comparability import comparison_sets, like_for_like, periods_on_offer


def figure(institution, value, period, *, indicator="trn_x", period_end=None, period_type="calendar_year",
           basis="flow", since=None, as_of=None, kind="actual", qualifier="exact", comparable=True, higher=True):
    return {
        "institution_id": institution, "indicator_id": indicator, "value": float(value), "period": period,
        "period_end": period_end, "period_type": period_type, "basis": basis, "since": since, "as_of": as_of,
        "kind": kind, "qualifier": qualifier, "comparable": comparable, "higher_is_better": higher,
    }


def sets_of(*rows, chosen=("a", "b", "c"), period=None):
    return comparison_sets(pd.DataFrame(rows), list(chosen), period).set_index("institution_id")


def test_the_latest_period_everyone_reports_wins_over_a_newer_one_only_some_report():
    out = sets_of(figure("a", 10, 2021), figure("a", 12, 2022), figure("b", 20, 2021), figure("c", 30, 2021))
    assert out["in_set"].all() and (out["set_size"] == 3).all()
    assert out.loc["a", "value"] == 10  # 2021, which all three report; not a's newer 2022
    assert set(out["set_period"]) == {"2021"}


def test_without_a_shared_period_the_most_shared_latest_one_and_the_rest_say_why():
    out = sets_of(figure("a", 10, 2021), figure("b", 20, 2021), figure("c", 30, 2019))
    assert out.loc[["a", "b"], "in_set"].all()
    assert not out.loc["c", "in_set"] and out.loc["c", "left_out"] == "other_period"
    assert out.loc["c", "value"] == 30  # shown with its own period, never dropped silently


def test_a_two_year_count_is_not_set_beside_a_one_year_count():
    # Jiaxing's 近两年 (2020-2021) beside Tianjin's 2020.
    out = sets_of(figure("a", 41, 2020, period_end=2021), figure("b", 6, 2020), chosen=("a", "b"))
    assert not (out["in_set"] & (out["set_size"] >= 2)).any()
    assert like_for_like(comparison_sets(pd.DataFrame([figure("a", 41, 2020, period_end=2021), figure("b", 6, 2020)]), ["a", "b"])).empty


def test_rates_of_different_measurement_dates_are_not_like_for_like():
    out = sets_of(figure("a", 86.31, 2021, basis="stock", as_of="2021-09-01"),
                  figure("b", 97.42, 2021, basis="stock", as_of="2021-12-26"),
                  figure("c", 95.0, 2021, basis="stock", as_of="2021-12-26"))
    assert out.loc[["b", "c"], "in_set"].all()
    assert out.loc["a", "left_out"] == "other_date"


def test_academic_and_calendar_years_and_bases_differ():
    out = sets_of(figure("a", 1, 2021), figure("b", 2, 2021), figure("c", 3, 2021, period_type="academic_year"))
    assert out.loc["c", "left_out"] == "other_period_type"
    out = sets_of(figure("a", 1, 2021), figure("b", 2, 2021), figure("c", 3, 2021, basis="cumulative", since=2019))
    assert out.loc["c", "left_out"] == "other_basis"


def test_results_come_before_targets_and_a_target_is_never_set_beside_a_result():
    out = sets_of(figure("a", 1, 2022, kind="target"), figure("b", 2, 2022, kind="target"),
                  figure("a", 5, 2021), figure("b", 6, 2021), figure("c", 7, 2022, kind="target"))
    assert (out["kind"] == "actual").loc[["a", "b"]].all()
    assert out.loc["c", "left_out"] == "other_kind"


def test_a_period_the_user_picks_overrides_the_default():
    rows = [figure("a", 10, 2021), figure("a", 12, 2022), figure("b", 20, 2021), figure("b", 22, 2022)]
    out = sets_of(*rows, chosen=("a", "b"), period=2022)
    assert out["in_set"].all() and out.loc["a", "value"] == 12
    assert periods_on_offer(pd.DataFrame(rows)) == [2022, 2021]
    # A period nobody reports: nothing is in a set, and everyone says why.
    out = sets_of(*rows, chosen=("a", "b"), period=2019)
    assert not out["in_set"].any() and (out["left_out"] == "other_period").all()


def test_a_set_of_one_is_not_a_comparison():
    out = sets_of(figure("a", 10, 2021), chosen=("a", "b"))
    assert out.loc["a", "left_out"] == "only_one"
    assert like_for_like(comparison_sets(pd.DataFrame([figure("a", 10, 2021)]), ["a", "b"])).empty


@pytest.fixture
def mixed_periods() -> pd.DataFrame:
    base = {"theme": "training", "indicator_zh": "培训", "indicator_en": "Training", "unit": "persons",
            "institution_zh": "", "institution_en": "", "source_title": "报告", "source_title_en": "Report",
            "source_id": "s", "evidence": "", "notes": ""}
    rows = [figure("a", 10, 2021), figure("b", 20, 2021), figure("c", 30, 2019)]
    for row, name in zip(rows, ("甲校", "乙校", "丙校")):
        row.update(base, institution_zh=name, institution_en=name)
    return pd.DataFrame(rows)


def test_compare_table_marks_a_figure_of_another_period(mixed_periods):
    scope = pd.DataFrame({"institution_id": ["a", "b", "c"], "name_zh": ["甲校", "乙校", "丙校"], "name_en": ["A", "B", "C"]})
    table = transforms.compare_table(mixed_periods, ["a", "b", "c"], scope, "zh")
    assert table.loc[0, "比较口径（时期）"] == "2021年"
    assert table.loc[0, "丙校"].startswith("⚠ 30人（2019年") and "时期不同" in table.loc[0, "丙校"]
    assert not table.loc[0, "甲校"].startswith("⚠")


def test_normalised_draws_another_period_marked_and_the_headline_counts_only_like_for_like(mixed_periods):
    norm = transforms.normalised(mixed_periods, ["a", "b", "c"]).set_index("institution_id")
    assert norm["like"].to_dict() == {"a": True, "b": True, "c": False}
    assert norm["scaled"].to_dict() == {"a": 10 / 30, "b": 20 / 30, "c": 1.0}
    # c's 30 (2019) is the largest drawn, but only b leads: it is best of the 2021 set.
    assert transforms.leaders(norm.reset_index()).to_dict() == {"b": 1}


def test_a_figure_of_another_basis_is_never_drawn(mixed_periods):
    other = mixed_periods.copy()
    other.loc[2, ["basis", "since", "period"]] = ["cumulative", 2015, 2021]
    assert set(transforms.normalised(other, ["a", "b", "c"])["institution_id"]) == {"a", "b"}
