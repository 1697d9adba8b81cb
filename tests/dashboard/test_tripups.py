"""Small things users tripped over (issue 15, section 4), each pinned here."""
from __future__ import annotations

import os
import subprocess
import tomllib

import pandas as pd
import pytest

from dashboard import queries, transforms
from dashboard.filters import Filters
from dashboard.i18n import TEXT, VOCAB, t, v
from tests.conftest import ROOT


def test_build_time_is_beijing_time_and_says_so():
    from dashboard.shell import built_at_text

    assert built_at_text("2026-12-01T20:11:13+00:00", "zh") == "2026-12-02 04:11（北京时间）"
    assert built_at_text("2026-12-01T20:11:13+00:00", "en") == "2026-12-02 04:11 (UTC+8)"
    assert built_at_text("not a time", "zh") == "not a time"
    assert not any("UTC" in text for pair in TEXT.values() for text in pair[:1])


def test_make_run_serves_the_warehouse_vocdash_db_names(tmp_path):
    """VOCDASH_DB=… make run serves that file and never rebuilds it from the curated data."""
    other = tmp_path / "national.duckdb"
    env = {**os.environ, "VOCDASH_DB": str(other)}
    planned = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    assert f"VOCDASH_DB={other} " in planned
    assert "etl build" not in planned
    env.pop("VOCDASH_DB")
    planned = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    assert "VOCDASH_DB=data/warehouse.duckdb " in planned


def test_light_theme_is_fixed():
    """Charts are drawn on white: the app's theme is light whatever the system's."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["theme"]["base"] == "light"


def test_bureau_wording():
    """Words a bureau reader stumbled on are gone from the Chinese interface."""
    chinese = "\n".join(pair[0] for pair in TEXT.values()) + "\n".join(
        pair[0] for vocabulary in VOCAB.values() for pair in vocabulary.values())
    for unclear in ("整洁数据表", "限定", "背景"):
        assert unclear not in chinese, unclear
    assert t("page_profile", "zh") == "院校档案"
    assert v("theme", "other", "zh") == "基本情况"
    assert t("qualifier", "zh") == "数值性质"


def test_tables_show_blanks_not_none():
    frame = pd.DataFrame({
        "text": ["a", None], "missing": [pd.NA, "x"], "number": [1.5, float("nan")], "whole": pd.array([2021, None], dtype="Int64"),
        "full": [1.0, 2.0],
    })
    shown = transforms.without_none(frame)
    assert shown["text"].tolist() == ["a", ""]
    assert shown["missing"].tolist() == ["", "x"]
    assert shown["number"].tolist() == ["1.5", ""]
    assert shown["whole"].tolist() == ["2021", ""]
    assert shown["full"].dtype.kind == "f"  # no gap: stays a number, sorts by value


def test_a_date_column_with_gaps_shows_dates_and_blanks():
    """Not Timestamps mixed with blank strings: the browser's table cannot carry that mix
    (Streamlit logged a traceback and re-typed the column on every run of the data page)."""
    import pyarrow as pa

    frame = pd.DataFrame({"as_of": pd.to_datetime(["2023-09-01", None, "2022-12-26 08:30"], format="ISO8601")})
    shown = transforms.without_none(frame)
    assert shown["as_of"].tolist() == ["2023-09-01", "", "2022-12-26 08:30:00"]
    pa.Table.from_pandas(shown)  # converts cleanly


def test_provinces_in_the_standard_order_and_names_by_pinyin(ref):
    assert queries.PROVINCE_ORDER[:4] == ("北京", "天津", "河北", "山西")
    ordered = sorted(["上海", "云南", "内蒙古", "北京", "浙江", "新疆", "天津"], key=queries.province_sort_key)
    assert ordered == ["北京", "天津", "内蒙古", "上海", "浙江", "云南", "新疆"]
    assert list(queries.options(ref).provinces) == ["天津", "辽宁", "浙江", "湖北"]
    institutions = queries.institutions(ref)
    assert institutions["province"].tolist() == ["天津", "辽宁", "浙江", "浙江", "湖北"]
    # Within 浙江: 嘉兴 (jiāxīng) before 宁波 (níngbō), by pinyin.
    assert institutions["name_zh"].tolist()[2:4] == ["嘉兴职业技术学院", "宁波第二技师学院"]


def test_names_sort_by_pinyin():
    """长沙 is chángshā and 重庆 chóngqìng (read as phrases): pinyin, not code points, and not
    ICU's single reading of 长 (zhǎng)."""
    from dashboard.order import place_order, sort_names

    names = ["重庆职院", "长沙职院", "安徽职院", "北京职院", "上海职院", "云南职院", "长春职院"]
    assert sort_names(names) == ["安徽职院", "北京职院", "长春职院", "长沙职院", "重庆职院", "上海职院", "云南职院"]
    frame = pd.DataFrame({"province": ["浙江", "北京", "浙江"], "name_zh": ["宁波学院", "北京学院", "嘉兴学院"],
                          "institution_id": ["c", "b", "a"]})
    assert frame.iloc[place_order(frame)]["institution_id"].tolist() == ["b", "a", "c"]


def test_awards_card_counts_awards_not_rows(ref):
    """The overview's card counts competition awards, items apart from person-times, with
    the total rule; not award rows."""
    counts = queries.scope_counts(ref, Filters())
    awards = transforms.competitions(transforms.counted_awards(queries.awards(ref, Filters())))
    assert counts["award_items"] == int(awards.loc[awards["unit"] == "items", "count"].sum())
    assert counts["award_person_times"] == int(awards.loc[awards["unit"] == "person_times", "count"].sum())
    assert counts["award_items"] != counts["award_rows"]
    assert "项" in t("award_items", "zh") and "不与项数相加" in t("award_items_help", "zh", rows=1, person_times=2)
