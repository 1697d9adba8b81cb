import math

import pandas as pd
import pytest

from dashboard import queries, transforms
from dashboard.filters import Filters


@pytest.fixture(scope="module")
def data(ref):
    everything = Filters()
    return {
        "obs": queries.observations(ref, everything),
        "awards": queries.awards(ref, everything),
        "scope": queries.institutions_in_scope(ref, everything),
        "indicators": queries.indicators(ref),
    }


def test_completeness_statuses(data):
    grid = transforms.completeness(data["obs"], data["indicators"], data["scope"]).set_index(["institution_id", "indicator_id"])["status"]
    assert grid[("dalian_vtc", "emp_destination_rate")] == "exact"
    assert grid[("dalian_vtc", "emp_order_class_graduates")] == "approx"  # 近400
    assert grid[("tianjin_livtc", "emp_initial_rate_increase")] == "target"
    assert grid[("hubei_ou", "emp_destination_rate")] == "missing"
    assert (grid.xs("hubei_ou", level="institution_id") == "missing").all()


def test_totals_are_never_added_to_the_items_inside_them(data):
    counted = transforms.counted_awards(data["awards"])
    mine = lambda institution, **cells: counted[(counted["institution_id"] == institution) & pd.concat(
        [counted[name] == value for name, value in cells.items()], axis=1).all(axis=1)]
    # Ningbo's 8 national awards hold its itemised national student awards: 8 in all.
    ningbo_national = mine("ningbo_tc2", level="national", recipient="student", unit="items", category="competition")
    assert ningbo_national["count"].sum() == 8
    assert (ningbo_national["grade"] != "other").sum() >= 1  # the items keep their grades
    # Jiaxing's 111 provincial-or-higher competition awards (2020-2021) hold its four
    # national 2021 prizes: 111, not 115.
    jiaxing = mine("jiaxing_vtc", category="competition", recipient="student", unit="items")
    assert jiaxing["count"].sum() == 111
    assert jiaxing.loc[jiaxing["level"] == "national", "count"].sum() == 4
    dalian = mine("dalian_vtc", category="competition")
    assert sorted(dalian["count"]) == [11, 20, 29, 50]  # no total: every item counts
    assert set(counted["tier"]) <= set(transforms.TIERS)


def competitions(awards):
    """The award score ranks competition results; honours and prizes are not competition wins."""
    return awards[awards["category"] == "competition"]


def test_award_score_formula_and_missing_is_not_zero(data):
    scores = transforms.award_scores(competitions(data["awards"]), data["scope"]).set_index("institution_id")["score"]
    # Dalian: provincial (3) × (11 gold × 3 + 20 silver × 2 + 29 bronze × 1 + 50 excellent × 0.5)
    assert scores["dalian_vtc"] == pytest.approx(3 * (33 + 40 + 29 + 25))
    assert math.isnan(scores["hubei_ou"])
    doubled = transforms.award_scores(competitions(data["awards"]), data["scope"], level_weights={"provincial": 6}).set_index("institution_id")["score"]
    assert doubled["dalian_vtc"] == pytest.approx(2 * scores["dalian_vtc"])


def test_award_score_never_adds_items_to_person_times(data):
    """Tianjin reports some awards in items and its totals in person-times: each unit gets
    its own score, and an institution with nothing in a unit gets none (not zero)."""
    counted = transforms.counted_awards(competitions(data["awards"]))
    tianjin = counted[counted["institution_id"] == "tianjin_livtc"]
    assert set(tianjin["unit"]) == {"items", "person_times"}
    items = transforms.award_scores(competitions(data["awards"]), data["scope"], unit="items").set_index("institution_id")["score"]
    persons = transforms.award_scores(competitions(data["awards"]), data["scope"], unit="person_times").set_index("institution_id")["score"]
    for unit, scores in (("items", items), ("person_times", persons)):
        rows = tianjin[tianjin["unit"] == unit]
        expected = (rows["count"] * rows["level"].map(transforms.DEFAULT_LEVEL_WEIGHTS)
                    * rows["tier"].map(transforms.DEFAULT_TIER_WEIGHTS)).sum()
        assert scores["tianjin_livtc"] == pytest.approx(expected)
    assert math.isnan(persons["dalian_vtc"])  # Dalian's competition awards are all items


def test_headline_awards_list_each_unit_apart(data):
    table = transforms.headline_table(data["obs"], data["awards"], data["scope"], data["indicators"], "zh")
    tianjin = table[table["院校"] == "天津轻工职业技术学院"].iloc[0]
    # Competition items (1 teacher third prize, 2 student bronzes) and the report's
    # person-times totals (1 student, 20 teachers): listed, never added. The institution's
    # product prize and national honours are not competitions and are not counted here.
    assert tianjin["国家级及以上竞赛获奖"] == "3项；21人次"
    english = transforms.headline_table(data["obs"], data["awards"], data["scope"], data["indicators"], "en")
    assert "National+ competition awards" in english.columns


def test_headline_table_says_not_reported(data):
    table = transforms.headline_table(data["obs"], data["awards"], data["scope"], data["indicators"], "zh")
    hubei = table[table["院校"] == "湖北开放大学"].iloc[0]
    assert set(hubei.drop("院校")) == {"未报告"}
    dalian = table[table["院校"] == "大连职业技术学院"].iloc[0]
    assert dalian["毕业去向落实率"] == "96.08%（2021年）"


def test_figures_of_different_years_are_not_compared_and_say_why(data):
    # Dalian reports 2021, Tianjin's report reviews 2020: the same indicator, not like for like.
    table = transforms.compare_table(data["obs"], ["dalian_vtc", "tianjin_livtc"], data["scope"], "zh")
    assert table.empty or "社会培训人次" not in set(table["指标"])
    apart = transforms.not_compared(data["obs"], ["dalian_vtc", "tianjin_livtc"], "zh").set_index("指标")
    row = apart.loc["社会培训人次"]
    assert row["原因"] == "时期不同"
    assert "10,599人次（2021年）" in row["各校数字"] and "28,408人次（2020年）" in row["各校数字"]


def test_award_score_counts_competitions_only(data):
    """Tianjin's 精模奖 is an industry product award: listed on its profile, never scored."""
    awards = data["awards"]
    assert "product_prize" in set(awards.loc[awards["institution_id"] == "tianjin_livtc", "category"])
    scores = transforms.award_scores(awards, data["scope"]).set_index("institution_id")["score"]
    only = transforms.award_scores(transforms.competitions(awards), data["scope"]).set_index("institution_id")["score"]
    assert scores["tianjin_livtc"] == pytest.approx(only["tianjin_livtc"])
    teachers_up = transforms.award_scores(awards, data["scope"], recipient_weights={"teacher": 2.0}).set_index("institution_id")["score"]
    assert teachers_up["tianjin_livtc"] > scores["tianjin_livtc"]  # its 金微课 third prize is a teacher's
    assert teachers_up["dalian_vtc"] == pytest.approx(scores["dalian_vtc"])  # students only


def test_normalised_scales_to_the_best_and_respects_direction():
    obs = pd.DataFrame({
        "institution_id": ["a", "b", "a", "b"],
        "indicator_id": ["count", "count", "rank", "rank"],
        "kind": ["actual"] * 4,
        "period": [2021] * 4,
        "value": [10.0, 5.0, 2.0, 8.0],
        "comparable": [True] * 4,
        "higher_is_better": pd.array([True, True, False, False], dtype="boolean"),
    })
    scaled = transforms.normalised(obs, ["a", "b"]).set_index(["indicator_id", "institution_id"])["scaled"]
    assert scaled[("count", "a")] == 1 and scaled[("count", "b")] == 0.5
    assert scaled[("rank", "a")] == 1 and scaled[("rank", "b")] == 0.25


def test_normalised_leaves_out_incomparable_indicators():
    obs = pd.DataFrame({
        "institution_id": ["a", "b"], "indicator_id": ["x", "x"], "kind": ["actual"] * 2,
        "period": [2021] * 2, "value": [1.0, 2.0], "comparable": [False, False],
        "higher_is_better": pd.array([True, True], dtype="boolean"),
    })
    assert transforms.normalised(obs, ["a", "b"]).empty


def test_latest_prefers_actual_then_the_newest(data):
    tianjin = data["obs"][(data["obs"]["institution_id"] == "tianjin_livtc") & (data["obs"]["indicator_id"] == "pb_course_ideopolitics_courses_built")]
    assert set(tianjin["kind"]) == {"actual", "target"}
    assert transforms.latest(tianjin).iloc[0]["value"] == 20  # the 2020 result, not the 2021 target
    rank = data["obs"][data["obs"]["indicator_id"] == "pb_ideopolitical_assessment_rank"]
    assert transforms.latest(rank).iloc[0]["period"] == 2020


def test_tidy_table_headers_follow_the_language(data):
    zh = transforms.tidy_table(data["obs"].head(3), "zh")
    en = transforms.tidy_table(data["obs"].head(3), "en")
    assert "院校" in zh.columns and "Institution" in en.columns
    assert "institution_id" in zh.columns and "evidence" not in zh.columns and "原文摘录" in zh.columns


def test_awards_table_labels_columns_and_leaves_out_the_institution_on_a_profile():
    awards = pd.DataFrame({
        "institution_zh": ["甲院"], "institution_en": ["A"], "period": [2021], "competition": ["大赛"],
        "competition_en": [None], "level": ["national"], "grade": ["gold"], "recipient": ["student"], "count": [2],
        "unit": ["items"], "is_total": [False], "source_title": ["总结"], "source_title_en": ["Summary"],
        "evidence": ["获金奖2项"], "notes": [None],
    })
    full = transforms.awards_table(awards, "zh")
    assert list(full.columns)[:2] == ["院校", "时期"] and full.iloc[0]["院校"] == "甲院"
    profile = transforms.awards_table(awards, "en", with_institution=False)
    assert "Institution" not in profile.columns and profile.iloc[0]["Competition"] == "大赛"  # no English name: the Chinese one
