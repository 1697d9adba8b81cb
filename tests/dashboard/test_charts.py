"""Figure builders, tested directly: AppTest's plotly element is untyped."""
import pandas as pd
import pytest

from dashboard import charts, queries, transforms
from dashboard.filters import Filters


@pytest.fixture(scope="module")
def setup(ref):
    everything = Filters()
    indicators = queries.indicators(ref).set_index("indicator_id")
    scope = queries.institutions_in_scope(ref, everything)
    return {
        "obs": queries.observations(ref, everything),
        "awards": queries.awards(ref, everything),
        "indicators": indicators,
        "scope": scope,
        "colours": charts.institution_colours(scope["institution_id"]),
    }


def bars_for(setup, indicator_id, lang="zh"):
    indicator = setup["indicators"].loc[indicator_id].copy()
    indicator["indicator_id"] = indicator_id
    described = transforms.describe(setup["obs"], lang)
    return charts.indicator_bars(described, indicator, setup["scope"], lang, setup["colours"])


def test_indicator_bars_values_and_not_reported(setup):
    fig = bars_for(setup, "emp_destination_rate")
    kinds = {trace.type for trace in fig.data}
    assert kinds == {"bar", "scatter"}
    bar = next(trace for trace in fig.data if trace.type == "bar")
    assert list(bar.x) == [96.08] and list(bar.text) == ["96.08%"]
    missing = next(trace for trace in fig.data if trace.type == "scatter")
    assert len(missing.y) == 4 and set(missing.text) == {"未报告"}
    assert list(missing.x) == [0, 0, 0, 0] and missing.mode == "text"  # a label, not a zero bar
    assert fig.layout.title.text == "毕业去向落实率（%，2021年）"
    assert max(fig.layout.xaxis.tickvals) == 100  # a rate's axis never shows a tick past 100%


def test_hover_shows_value_unit_period_qualifier_and_source(setup):
    bar = next(trace for trace in bars_for(setup, "emp_order_class_graduates").data if trace.type == "bar")
    institution, value, unit, period, qualifier, kind, source = bar.customdata[0]
    # The unit is in the value already: the tooltip does not say it twice (≈400人（人）).
    assert (value, unit, period, qualifier, kind) == ("≈400人", "", "2021年", "约数", "实际")
    assert source.startswith("大连职业技术学院")
    for field in ("数值", "时期", "数值性质", "来源"):
        assert field in bar.hovertemplate


@pytest.mark.parametrize(
    ("indicator_id", "label"),
    [("emp_order_classes", "≈30个"), ("emp_hired_by_partners", ">1,400人"), ("emp_jobs_per_graduate", "≥7:1")],
)
def test_qualifier_marks_in_labels(setup, indicator_id, label):
    bar = next(trace for trace in bars_for(setup, indicator_id).data if trace.type == "bar")
    assert list(bar.text) == [label]


def test_targets_are_drawn_hatched_and_named(setup):
    fig = bars_for(setup, "pb_course_ideopolitics_courses_built")
    actual, target = (trace for trace in fig.data if trace.type == "bar")
    assert actual.name == "实际" and target.name == "目标"
    assert list(actual.x) == [20] and list(target.x) == [40]
    assert target.marker.pattern.shape == "/" and actual.marker.pattern.shape is None
    assert target.text[0].startswith("目标")
    assert any("目标" in category for category in target.y)


def test_lower_is_better_is_said_in_the_title(setup):
    fig = bars_for(setup, "pb_ideopolitical_assessment_rank")
    assert "名次越小越好" in fig.layout.title.text
    assert "2019–2020" in fig.layout.title.text


def test_english_labels(setup):
    fig = bars_for(setup, "emp_destination_rate", lang="en")
    assert fig.layout.title.text == "Graduate destination rate (%, 2021)"
    assert "not reported" in next(trace for trace in fig.data if trace.type == "scatter").text


def test_png_export_is_3x_and_named_after_the_title():
    config = charts.chart_config("毕业去向落实率（%，2021年）")
    assert config["toImageButtonOptions"]["scale"] == 3
    assert config["toImageButtonOptions"]["format"] == "png"
    assert config["toImageButtonOptions"]["filename"] == "vocdash_毕业去向落实率_%_2021年"


def test_colours_follow_the_order_given():
    # By the order of selection, not by place in the full list: six chosen always differ.
    assert charts.institution_colours(["c", "a", "b"]) == dict(zip("cab", charts.PALETTE))


def test_award_stack_and_scores(setup):
    # Competition awards only: Dalian's honours (名师工作室, 兴辽卓越院校) are provincial items too,
    # but they are not competition wins.
    competitions = setup["awards"][setup["awards"]["category"] == "competition"]
    counted = transforms.counted_awards(competitions)
    fig = charts.award_stack(counted[counted["unit"] == "items"], setup["scope"], "level", "zh", "t")
    names = {trace.name for trace in fig.data if trace.type == "bar"}
    assert names == {"国家级", "省级", "市级"}
    provincial = next(trace for trace in fig.data if trace.name == "省级")
    assert dict(zip(provincial.y, provincial.x))["大连职业技术学院"] == 110  # 互联网+ 11 + 20 + 29 + 50
    assert "湖北开放大学" in next(trace for trace in fig.data if trace.type == "scatter").y
    scores = transforms.award_scores(setup["awards"], setup["scope"])
    fig = charts.score_bars(scores, setup["scope"], "zh", setup["colours"], "score")
    bar = fig.data[0]
    assert "湖北开放大学" not in bar.y and len(bar.y) == 4
    assert list(fig.data[1].y) == ["湖北开放大学"]


def test_completeness_heatmap_codes(setup):
    indicators = setup["indicators"].reset_index()
    on_theme = indicators[indicators["theme"] == "employment"]
    grid = transforms.completeness(setup["obs"], on_theme, setup["scope"])
    fig = charts.completeness_heatmap(grid, on_theme, setup["scope"], "zh", "t")
    z = pd.DataFrame(fig.data[0].z, index=fig.data[0].y, columns=fig.data[0].x)
    assert z.loc["毕业去向落实率", "大连职业技术学院"] == charts.STATUS_ORDER.index("exact")
    assert (z["湖北开放大学"] == charts.STATUS_ORDER.index("missing")).all()


def test_normalised_bars_leave_gaps(setup):
    chosen = ["dalian_vtc", "tianjin_livtc", "jiaxing_vtc"]
    norm = transforms.describe(transforms.normalised(setup["obs"], chosen), "zh")
    picked = setup["scope"].set_index("institution_id").loc[chosen].reset_index()
    fig = charts.normalised_bars(norm, picked, "zh", setup["colours"], "t")
    assert len(fig.data) == 3
    dalian = fig.data[0]
    assert dalian.orientation == "h"
    assert max(dalian.x) <= 1 and "聘请合作单位技术指导专家及兼职教师数" not in list(dalian.y)  # Dalian did not report it


def test_normalised_bars_hatch_and_name_a_target():
    norm = pd.DataFrame({
        "institution_id": ["a", "b"], "institution": ["甲", "乙"], "indicator_id": ["x", "x"], "indicator": ["指标", "指标"],
        "scaled": [1.0, 0.5], "value": [10.0, 5.0], "value_text": ["10个", "5个"], "unit_text": ["个", "个"],
        "period_text": ["2021年", "2021年"], "qualifier_text": ["确数", "确数"], "kind": ["actual", "target"],
        "kind_text": ["实际", "目标"], "source": ["s", "s"], "source_short": ["s", "s"], "period": [2021, 2021],
        "period_end": [pd.NA, pd.NA], "period_type": ["calendar_year"] * 2,
    })
    chosen = pd.DataFrame({"institution_id": ["a", "b"], "name_zh": ["甲", "乙"], "name_en": ["A", "B"]})
    fig = charts.normalised_bars(norm, chosen, "zh", {"a": "#000000", "b": "#111111"}, "t")
    actual, target = fig.data
    assert list(actual.marker.pattern.shape) == [""] and list(target.marker.pattern.shape) == ["/"]
    assert target.text[0].startswith("目标") and actual.text[0] == "10个"


# --- the PNG export: source, period and a margin inside the figure ----------------------

def test_png_figure_carries_its_source_and_period_below_the_plot(setup):
    import plotly.graph_objects as go

    plain = bars_for(setup, "emp_destination_rate")
    before_bottom, before_height = plain.layout.margin.b, plain.layout.height
    fig = charts.with_source_note(go.Figure(plain))
    notes = [a for a in fig.layout.annotations if "来源" in (a.text or "")]
    assert len(notes) == 1
    note = notes[0]
    # The source report, the college and the period of the figure drawn, all in the image.
    assert "大连职业技术学院" in note.text and "2021年" in note.text and "《" in note.text
    # Under the plot and its axis: anchored at the plot's foot, shifted past the old margin.
    assert (note.xref, note.yref, note.y, note.yanchor) == ("paper", "paper", 0, "top")
    assert note.yshift <= -before_bottom
    lines = note.text.count("<br>") + 1
    assert fig.layout.margin.b >= before_bottom + 18 * lines  # room for every line
    assert fig.layout.height == before_height + fig.layout.margin.b - before_bottom  # the plot keeps its size
    assert all(charts.display_width(line) <= 62 for line in note.text.split("<br>"))  # wrapped, not run off


def test_png_figure_title_clears_the_left_edge(setup):
    import plotly.graph_objects as go

    fig = charts.with_source_note(go.Figure(bars_for(setup, "emp_destination_rate")))
    assert fig.layout.title.xref == "container" and fig.layout.title.x > 0 and fig.layout.title.pad.l >= 8
    assert fig.layout.margin.l >= 16


def test_png_figure_in_english_and_without_sources(setup):
    import plotly.graph_objects as go

    english = charts.with_source_note(go.Figure(bars_for(setup, "emp_destination_rate", "en")), "en")
    note = next(a for a in english.layout.annotations if (a.text or "").startswith("Sources:"))
    assert "2021" in note.text
    bare = charts.with_source_note(go.Figure(go.Bar(x=[1], y=["a"])))
    assert not bare.layout.annotations and bare.layout.margin.l >= 16


@pytest.mark.parametrize("indicator_id", ["emp_destination_rate", "emp_order_class_graduates", "emp_jobs_per_graduate"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tooltip_never_repeats_the_unit(setup, indicator_id, lang):
    """96.08%（%）: the unit once, in the value; where the value lacks it (English counts) in brackets."""
    bar = next(trace for trace in bars_for(setup, indicator_id, lang).data if trace.type == "bar")
    for row in bar.customdata:
        value, suffix = row[1], row[2]
        assert not (suffix and suffix.strip(" （）()") in value), (value, suffix)
    assert "%{customdata[1]}%{customdata[2]}" in bar.hovertemplate


def test_profile_trend_labels_keep_clear_of_the_title():
    """A long English indicator name wraps over three lines above its panel: the top margin
    grows with it, so the label never runs into the chart's title."""
    import pandas as pd

    indicators = pd.DataFrame([{
        "indicator_id": "pb_rank", "name_zh": "名次", "unit": "rank",
        "name_en": "Rank in the city's student ideological-education assessment of the year",
    }]).set_index("indicator_id")
    rows = pd.DataFrame({
        "indicator_id": ["pb_rank", "pb_rank"], "series": ["institution", "institution"], "period_type": ["calendar_year"] * 2,
        "period": [2019, 2020], "period_end": [None, None], "value": [14.0, 3.0], "qualifier": ["exact"] * 2, "peers": [1, 1],
    })
    fig = charts.profile_trends(rows, indicators, "en", "#0072B2", "A college", "A college: over the years")
    label = next(a for a in fig.layout.annotations if "Rank in" in (a.text or ""))
    lines = label.text.count("<br>") + 1
    assert lines >= 3
    assert fig.layout.margin.t >= 40 + 15 * lines  # title above, then every line of the label
