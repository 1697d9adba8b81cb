"""Text from the data is shown as typed, never read as markup: the Plotly figures (whose
labels and hover text take a subset of HTML) and the Streamlit Markdown the pages write."""
from __future__ import annotations

import logging

import pandas as pd
import pytest

from dashboard import charts, queries, safe_text, transforms
from dashboard.filters import Filters
from tests.security.conftest import XSS_NAME, XSS_NAME_EN, XSS_PROVINCE, XSS_TITLE

logging.getLogger("streamlit").setLevel(logging.ERROR)

# Keys whose strings are the app's own templates or are read by Streamlit, not drawn.
TEMPLATE_KEYS = {"hovertemplate", "texttemplate", "meta"}


@pytest.fixture(scope="module")
def setup(hostile_ref):
    everything = Filters()
    indicators = queries.indicators(hostile_ref)
    scope = queries.institutions_in_scope(hostile_ref, everything)
    return {
        "ref": hostile_ref,
        "obs": queries.observations(hostile_ref, everything),
        "awards": queries.awards(hostile_ref, everything),
        "counts": queries.figures_per_theme(hostile_ref, everything),
        "indicators": indicators,
        "scope": scope,
        "colours": charts.institution_colours(scope["institution_id"]),
    }


def every_figure(setup, lang):
    """Each figure builder, fed as its page feeds it."""
    obs, scope, indicators = setup["obs"], setup["scope"], setup["indicators"]
    described = transforms.describe(obs, lang)
    figures = {}
    for indicator_id in ("emp_destination_rate", "pb_central_group_sessions"):
        indicator = indicators.set_index("indicator_id").loc[indicator_id].copy()
        indicator["indicator_id"] = indicator_id
        figures[f"bars_{indicator_id}"] = charts.indicator_bars(described, indicator, scope, lang, setup["colours"])
    by_province = scope.groupby(["province", "province_en"]).size().reset_index(name="count")
    by_province["label"] = by_province["province_en" if lang == "en" else "province"]
    figures["count_bars"] = charts.count_bars(by_province, "label", "<b>t</b>", lang)
    figures["per_theme"] = charts.figures_per_theme(setup["counts"], scope, lang)
    on_theme = indicators[indicators["theme"] == "employment"]
    grid = transforms.completeness(obs[obs["theme"] == "employment"], on_theme, scope)
    figures["heatmap"] = charts.completeness_heatmap(grid, on_theme, scope, lang, "t")
    counted = transforms.counted_awards(setup["awards"])
    for by in ("level", "tier", "recipient"):
        figures[f"awards_{by}"] = charts.award_stack(counted[counted["unit"] == "items"], scope, by, lang, "t")
    scores = transforms.award_scores(setup["awards"], scope)
    figures["score"] = charts.score_bars(scores, scope, lang, setup["colours"], "t")
    chosen = ["xss_college", "formula_college", "dalian_vtc"]
    norm = transforms.describe(transforms.normalised(obs, chosen), lang)
    picked = scope.set_index("institution_id").loc[chosen].reset_index()
    figures["normalised"] = charts.normalised_bars(norm, picked, lang, setup["colours"], "t")
    figures["projected"] = charts.for_projection(figures["normalised"])
    figures.update(national_figures(setup, lang))
    return figures


def national_figures(setup, lang):
    """The builders the pages switch to past 30 institutions, fed the hostile college."""
    ref, everything, indicators = setup["ref"], Filters(), setup["indicators"]
    indicator = indicators.set_index("indicator_id").loc["emp_destination_rate"].copy()
    indicator["indicator_id"] = "emp_destination_rate"
    stats, bins = transforms.split_distribution(queries.distribution(ref, everything, ("emp_destination_rate",)))
    obs = transforms.describe(setup["obs"], lang)
    marked = obs[(obs["institution_id"] == "xss_college") & (obs["indicator_id"] == "emp_destination_rate")]
    marked = marked.assign(peer_text=XSS_PROVINCE)
    figures = {"histogram": charts.distribution_histogram(
        bins, stats.set_index("indicator_id").loc["emp_destination_rate"], indicator, marked, lang, setup["colours"], "t")}
    trend = queries.trend(ref, everything, "emp_destination_rate", ("xss_college",), peer="province")
    mine = transforms.describe(marked.assign(series="institution", group_key=XSS_PROVINCE, peers=pd.NA), lang)
    rows = pd.concat([trend[trend["series"] == "median"], mine], ignore_index=True)
    figures["trend"] = charts.trend_lines(rows, indicator, lang, setup["colours"], {XSS_PROVINCE: XSS_PROVINCE}, "t")
    on_theme = indicators[indicators["theme"] == "employment"]
    figures["shares"] = charts.completeness_shares(
        queries.completeness_counts(ref, everything, "employment"), on_theme, lang, "t")
    frame = pd.DataFrame({"group": [XSS_PROVINCE], "theme": ["employment"], "value": [1.0]})
    figures["groups"] = charts.group_stack(frame, {XSS_PROVINCE: XSS_PROVINCE}, "theme", {"employment": XSS_NAME},
                                           {"employment": "#000000"}, "value", lang, "t", "x")
    return figures


def drawn_strings(node, key=""):
    """Every string Plotly would draw, with where it sits."""
    if key in TEMPLATE_KEYS:
        return
    if isinstance(node, str):
        yield key, node
    elif isinstance(node, dict):
        for name, value in node.items():
            yield from drawn_strings(value, name)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from drawn_strings(value, key)
    elif hasattr(node, "tolist"):  # numpy arrays (customdata)
        yield from drawn_strings(node.tolist(), key)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_figure_draws_markup_from_the_data(setup, lang):
    for name, fig in every_figure(setup, lang).items():
        raw = [(key, text) for key, text in drawn_strings(fig.to_plotly_json()) if "<" in text]
        assert raw == [], f"{name}: {raw[:3]}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_figures_keep_the_literal_text(setup, lang):
    """Escaped, not stripped: Plotly turns the entities back into the characters typed."""
    figures = every_figure(setup, lang)
    name = XSS_NAME if lang == "zh" else XSS_NAME_EN
    escaped = name.replace("&", "&amp;").replace("<", "&lt;")
    bars = figures["bars_emp_destination_rate"]
    bar = next(trace for trace in bars.data if trace.type == "bar")
    assert escaped in list(bar.y)
    hover = {tuple(row) for row in bar.customdata}
    assert any(row[0] == escaped for row in hover)
    assert any(row[6].startswith(XSS_TITLE.replace("<", "&lt;")[:20]) for row in hover)
    assert escaped in list(figures["per_theme"].layout.yaxis.categoryarray)
    assert escaped in list(figures["heatmap"].data[0].x)
    assert escaped in [trace.name for trace in figures["normalised"].data]
    # The takeaway is for Streamlit (escaped there for Markdown), so it stays raw here.
    takeaway, _ = charts.story(figures["score"])
    assert "&lt;" not in takeaway


def test_title_from_the_data_is_escaped_and_png_name_stays_plain():
    fig = charts.count_bars(pd.DataFrame({"label": ["<b>x</b>"], "count": [1]}), "label", "<i>A & B</i>", "zh")
    assert fig.layout.title.text == "&lt;i>A &amp; B&lt;/i>"
    assert list(fig.data[0].y) == ["&lt;b>x&lt;/b>"]
    assert charts.chart_config(fig.layout.title.text)["toImageButtonOptions"]["filename"] == "vocdash_i_A_&_B_i"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<b>粗体</b>", r"\<b\>粗体\<\/b\>"),
        ("**粗** [点我](javascript:x)", r"\*\*粗\*\* \[点我\]\(javascript\:x\)"),
        ("$x^2$ :red[红] :material/home:", r"\$x\^2\$ \:red\[红\] \:material\/home\:"),
        ("# 标题\n- 列表\n    代码", r"\# 标题 \- 列表 代码"),
        ("大连职业技术学院（大连开放大学）", "大连职业技术学院（大连开放大学）"),
        ("a\\b", r"a\\b"),
    ],
)
def test_markdown_escape(text, shown):
    assert safe_text.for_markdown(text) == shown


def test_plotly_escape_leaves_numbers_alone():
    assert safe_text.for_plotly(3.5) == 3.5
    assert safe_text.for_plotly(None) is None
    assert safe_text.for_plotly("A & <B> >1") == "A &amp; &lt;B> >1"
