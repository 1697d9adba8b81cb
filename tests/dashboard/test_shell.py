"""Presentation mode's slides from a page's charts (shell.slides_of): no chart twice, a
crowded chart split into slides that fit, one-college charts marked near-empty."""
import plotly.graph_objects as go

from dashboard import charts, shell


def _bars(rows: int, title: str = "图") -> go.Figure:
    fig = go.Figure(go.Bar(x=list(range(1, rows + 1)), y=[f"院校{i}" for i in range(rows)], orientation="h",
                           text=[f"{i}人" for i in range(1, rows + 1)]))
    fig.update_layout(title={"text": title})
    return fig


def test_the_same_chart_twice_is_one_slide():
    # A section's chart and the 'any indicator' pick of the same indicator: one slide.
    slides = shell.slides_of([(_bars(3, "甲"), "a"), (_bars(4, "乙"), "b"), (_bars(3, "甲"), "c")])
    assert [slide.label for slide in slides] == ["甲", "乙"]


def test_a_crowded_chart_is_split_into_slides_that_fit():
    rows = 2 * charts.SLIDE_ROW_SLOTS + 3
    slides = shell.slides_of([(_bars(rows, "党建指标"), "pb")])
    assert len(slides) == 3
    assert [slide.label[-5:] for slide in slides] == ["（1/3）", "（2/3）", "（3/3）"]
    assert len({slide.key for slide in slides}) == 3  # each slide keeps its own chart key
    shown = [y for slide in slides for y in slide.fig.data[0].y]
    assert shown == [f"院校{i}" for i in range(rows)]  # every row once, in order
    assert all(len(slide.fig.data[0].y) <= charts.SLIDE_ROW_SLOTS for slide in slides)
    # Labels stay with their bars.
    assert all(list(slide.fig.data[0].text) == [f"{x}人" for x in slide.fig.data[0].x] for slide in slides)


def test_one_college_charts_are_near_empty():
    one = _bars(1, "仅一所")
    slides = shell.slides_of([(one, "one"), (_bars(2, "两所"), "two")])
    assert [slide.near_empty for slide in slides] == [True, False]


def test_a_slide_chart_stretches_to_the_screen_in_large_type():
    big = charts.for_slide(_bars(3))
    assert big.layout.height is None and big.layout.autosize
    assert big.layout.font.size >= 18 and big.layout.title.font.size >= 24
    assert big.data[0].textfont.size >= 16
