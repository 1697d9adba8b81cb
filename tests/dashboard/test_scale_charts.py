"""Distribution, trend, completeness-share and grouped figure builders."""
import pandas as pd
import pytest

from dashboard import charts, db, queries, transforms, ui
from dashboard.filters import Filters

IDS = ("emp_destination_rate", "oth_graduates")


@pytest.fixture(scope="module")
def synth(synth_db):
    ref = db.current_ref(synth_db)
    table = queries.indicators(ref)
    indexed = table.set_index("indicator_id")
    stats, bins = transforms.split_distribution(queries.distribution(ref, Filters(), IDS))
    marked = ("syn00001", "syn00002")
    raw = queries.peer_positions(ref, Filters(), IDS, marked, "type")
    positions = transforms.describe(transforms.percentiles(ui.with_indicators(raw, indexed), table), "zh")
    positions["peer_text"] = [transforms.peer_cell(row, "zh") for _, row in positions.iterrows()]
    return {"ref": ref, "indexed": indexed, "stats": stats.set_index("indicator_id"), "bins": bins,
            "positions": positions, "marked": marked, "colours": {"syn00001": "#0072B2", "syn00002": "#E69F00"}}


def histogram(synth, indicator_id, lang="zh", marked=True):
    indicator = synth["indexed"].loc[indicator_id].copy()
    indicator["indicator_id"] = indicator_id
    stats = synth["stats"].loc[indicator_id]
    rows = synth["positions"][synth["positions"]["indicator_id"] == indicator_id] if marked else synth["positions"].iloc[0:0]
    rows = rows[rows["qualifier"].isin(["exact", "approx"])]
    title = charts.distribution_title(indicator, stats, lang)
    return charts.distribution_histogram(synth["bins"][synth["bins"]["indicator_id"] == indicator_id], stats, indicator,
                                         rows, lang, synth["colours"], title), rows, stats


@pytest.mark.parametrize("indicator_id", IDS)
def test_histogram_counts_every_counted_institution(synth, indicator_id):
    fig, rows, stats = histogram(synth, indicator_id)
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert sum(sum(trace.y) for trace in bars) == stats["n"]
    marks = [trace for trace in fig.data if trace.type == "scatter"]
    # Each marked institution is named in the legend, with its value.
    assert [trace.name for trace in marks] == [f"{r.institution} {r.value_text}" for r in rows.itertuples()]
    assert fig.layout.showlegend
    for trace, (_, row) in zip(marks, rows.iterrows()):
        assert trace.marker.color == synth["colours"][row["institution_id"]]
        assert trace.text[0] == row["value_text"]  # its value by the marker, with its mark
        assert row["source"] in trace.customdata[0]  # hover: source
        # hover: its percentile among peers, as data (text from the data never enters a template)
        assert row["peer_text"] in trace.customdata[0] and "P" in row["peer_text"]
        assert "%{customdata[7]}" in trace.hovertemplate
    lines = [shape for shape in fig.layout.shapes if shape.type == "line"]
    assert len(lines) == len(rows) + 1  # one per marked institution, one for the median


def test_histogram_title_and_scale(synth):
    fig, _, stats = histogram(synth, "oth_graduates")
    title = fig.layout.title.text
    assert "人" in title and "各院校最新实际值" in title and str(int(stats["last_period"])) in title
    assert "对数刻度" in fig.layout.xaxis.title.text  # skewed: log scale, said on the axis
    assert fig.layout.xaxis.ticktext  # real numbers on the ticks, not log10 values
    fig, _, _ = histogram(synth, "emp_destination_rate", lang="en")
    assert "log" not in fig.layout.xaxis.title.text and fig.layout.xaxis.title.text == "%"
    assert "latest actual per institution" in fig.layout.title.text


def test_histogram_takeaway_says_what_was_left_out():
    stats = pd.Series({"n": 100, "n_approx": 4, "n_bound": 3, "n_target_only": 2, "n_academic": 10,
                       "median": 50.0, "q1": 40.0, "q3": 60.0})
    indicator = pd.Series({"unit": "persons"})
    text = charts.distribution_takeaway(stats, indicator, "zh")
    assert "100 所" in text and "约数（≈）4" in text and "下限" in text and "仅有目标值" in text and "学年" in text
    assert charts.distribution_takeaway(pd.Series({"n": 0}), indicator, "en") == "not reported (not zero)"


def test_histogram_without_marks(synth):
    fig, _, _ = histogram(synth, "emp_destination_rate", marked=False)
    assert not [trace for trace in fig.data if trace.type == "scatter"]


def test_trend_lines_keep_period_types_apart():
    rows = pd.DataFrame({
        "series": ["median"] * 4 + ["institution"] * 3,
        "institution_id": [None] * 4 + ["a", "a", "a"],
        "group_key": ["t1"] * 4 + ["t1"] * 3,
        "period": [2021, 2022, 2021, 2022, 2021, 2022, 2023],
        "period_end": [pd.NA] * 7,
        "period_type": ["calendar_year", "calendar_year", "academic_year", "academic_year"] + ["calendar_year"] * 3,
        "value": [10.0, 12, 11, 13, 9, 10, 14],
        "qualifier": ["exact"] * 6 + ["approx"],
        "peers": [40, 41, 5, 6, None, None, None],
        "institution": [None] * 4 + ["甲校"] * 3,
        "value_text": [None] * 4 + ["9人", "10人", "≈14人"],
        "unit_text": [None] * 4 + ["人"] * 3,
        "period_text": [None] * 4 + ["2021年", "2022年", "2023年"],
        "qualifier_text": [None] * 4 + ["确数", "确数", "约数"],
        "kind_text": [None] * 4 + ["实际"] * 3,
        "source": [None] * 4 + ["甲校2021年报", "甲校2022年报", "甲校2023年报"],
        "source_short": [None] * 4 + ["2021年报", "2022年报", "2023年报"],
    })
    indicator = pd.Series({"unit": "persons", "name_zh": "毕业生数", "name_en": "Graduates"})
    fig = charts.trend_lines(rows, indicator, "zh", {"a": "#0072B2"}, {"t1": "高职院校"}, "标题")
    names = [trace.name for trace in fig.data]
    assert names == ["中位数 · 高职院校（年）", "中位数 · 高职院校（学年）", "甲校（年）"]
    calendar, academic, mine = fig.data
    assert list(calendar.y) == [10, 12] and list(academic.y) == [11, 13]  # never merged
    assert calendar.line.dash != academic.line.dash and calendar.marker.symbol != academic.marker.symbol
    assert list(mine.text) == ["", "", "≈14人"]  # marks on non-exact values
    assert mine.line.color == "#0072B2"
    assert "甲校2023年报" in mine.customdata[2]


def test_completeness_shares_add_up():
    counts = pd.DataFrame({
        "indicator_id": ["x", "x", "x", "y"], "status": ["exact", "approx", "missing", "missing"],
        "institutions": [60, 20, 20, 100], "scope_n": [100] * 4,
    })
    indicators = pd.DataFrame({"indicator_id": ["x", "y"], "name_zh": ["甲", "乙"], "name_en": ["X", "Y"]})
    fig = charts.completeness_shares(counts, indicators, "zh", "完整性")
    assert [trace.name for trace in fig.data] == ["已报告（确数）", "已报告（约数）", "仅有目标", "未报告"]
    totals = [sum(trace.x[i] for trace in fig.data) for i in range(2)]
    assert totals == [pytest.approx(100), pytest.approx(100)]
    assert list(fig.data[3].x) == [20, 100]


def test_group_stack():
    frame = pd.DataFrame({"group": ["a", "a", "b"], "theme": ["employment", "training", "employment"],
                          "value": [2.0, 3.0, 4.0], "institutions": [10, 10, 5]})
    fig = charts.group_stack(frame, {"a": "A（10）", "b": "B（5）"}, "theme", {"employment": "就业", "training": "培训"},
                             {"employment": "#000", "training": "#111"}, "value", "zh", "题", "平均每所院校")
    assert [trace.name for trace in fig.data] == ["就业", "培训"]
    assert list(fig.data[0].y) == ["A（10）", "B（5）"]


def test_count_bars_ticks_scale():
    small = charts.count_bars(pd.DataFrame({"label": ["a"], "count": [3]}), "label", "t", "zh")
    big = charts.count_bars(pd.DataFrame({"label": ["a"], "count": [6937]}), "label", "t", "zh")
    assert small.layout.xaxis.dtick == 1 and big.layout.xaxis.dtick is None
