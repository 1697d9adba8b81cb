"""Figure builders: DataFrames in, Plotly Figures out. No Streamlit, no database.

Conventions every builder keeps:
- a value that is not exact carries its mark in the label (≈ approximate, > more than,
  ≥ at least); a target is drawn hatched and named as a target;
- a missing figure is never drawn as zero: the chart leaves a gap and says "未报告";
- hovering a bar shows the value, unit, period, qualifier and source title;
- titles state the unit and the period; fonts can draw Chinese;
- text from the data goes in through safe_text.for_plotly, so Plotly shows it as typed
  instead of reading it as its HTML subset (layout.meta, read by Streamlit, stays raw).
"""
from __future__ import annotations

import html
import re
import unicodedata

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .i18n import format_value, period_label, t, v
from .palette import PALETTE, colours_for
from .safe_text import for_plotly, for_plotly_all

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
# The colleges' colours live in dashboard/palette.py (PALETTE is re-exported here).
MISSING_COLOUR = "#8a8a8a"
# Too pale to mark one institution on a light histogram (the palette has none such now).
PALE: frozenset[str] = frozenset()
LEVEL_COLOURS = {
    "international": "#4B0082", "national": "#0072B2", "provincial": "#009E73",
    "municipal": "#E69F00", "school": "#999999",
}
TIER_COLOURS = {"tier1": "#C9A227", "tier2": "#9DA3A6", "tier3": "#B0703C", "excellent": "#56B4E9", "other": "#CCCCCC"}
RECIPIENT_COLOURS = {"student": "#0072B2", "teacher": "#D55E00", "institution": "#009E73"}
STATUS_COLOURS = {"exact": "#1b7837", "approx": "#a6dba0", "target": "#c2a5cf", "missing": "#f0f0f0"}
STATUS_ORDER = ("exact", "approx", "target", "missing")
THEME_COLOURS = {
    "employment": "#0072B2", "training": "#009E73", "competition": "#E69F00",
    "party_building": "#D55E00", "other": "#999999",
}


def institution_colours(institution_ids) -> dict[str, str]:
    """One colour per institution, by its place in the order given: pass the chosen
    colleges first, in the order chosen (palette.selection_first), so up to six of them
    always differ (palette.colours_for)."""
    return colours_for(institution_ids)


def chart_config(title: str) -> dict:
    """Plotly config: PNG export at 3× with a file name made from the chart title."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", title))
    stem = re.sub(r'[\\/:*?"<>|\s（）()，,、]+', "_", plain).strip("_") or "chart"
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": f"vocdash_{stem}"[:120], "scale": 3},
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }


# The look of plotly_white, layout only, registered once as the default template. Naming
# plotly_white on each figure deep-copied and validated its 7 KB (mostly trace defaults we
# override anyway) per figure and sent it with every chart; this one is a few hundred bytes.
_TEMPLATE = go.layout.Template(layout={
    "font": {"color": "#2a3f5f"}, "paper_bgcolor": "white", "plot_bgcolor": "white", "hovermode": "closest",
    "hoverlabel": {"align": "left"}, "colorway": list(PALETTE),
    "xaxis": {"automargin": True, "gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "ticks": "", "zerolinecolor": "#EBF0F8",
              "zerolinewidth": 2, "title": {"standoff": 15}},
    "yaxis": {"automargin": True, "gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "ticks": "", "zerolinecolor": "#EBF0F8",
              "zerolinewidth": 2, "title": {"standoff": 15}},
})
pio.templates["vocdash"] = _TEMPLATE
pio.templates.default = "vocdash"


def _layout(fig: go.Figure, title: str, height: int, **extra) -> go.Figure:
    fig.update_layout(
        title={"text": for_plotly(title), "x": 0, "xanchor": "left", "font": {"size": 15}},
        font={"family": FONT_FAMILY, "size": 13},
        height=height,
        margin={"l": 10, "r": 30, "t": 56, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        **extra,
    )
    return fig


def with_story(fig: go.Figure, takeaway: str, sources: str = "") -> go.Figure:
    """Attach the one-line takeaway and the source caption that presentation mode shows
    under the chart (kept in layout.meta, which Plotly carries but does not draw)."""
    fig.update_layout(meta={"takeaway": takeaway, "sources": sources})
    return fig


def story(fig: go.Figure) -> tuple[str, str]:
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    return meta.get("takeaway", ""), meta.get("sources", "")


def sources_caption(rows: pd.DataFrame, lang: str) -> str:
    """来源：《title》（period）; … for the figures drawn."""
    if rows.empty:
        return ""
    column = "source_short" if "source_short" in rows.columns else "source"
    parts = []
    for (institution, title), group in rows.groupby(["institution", column], sort=False):
        periods = ("、" if lang == "zh" else ", ").join(dict.fromkeys(group["period_text"]))
        parts.append(f"{institution}《{title}》（{periods}）" if lang == "zh" else f"{institution}, {title} ({periods})")
    return ("来源：" + "；".join(parts)) if lang == "zh" else ("Sources: " + "; ".join(parts))


def _indicator_takeaway(shown: pd.DataFrame, indicator: pd.Series, missing: list, lang: str) -> str:
    actual = shown[shown["kind"] == "actual"] if not shown.empty else shown
    gaps = len(missing)
    if actual.empty:
        return t("not_reported_long", lang) if shown.empty else (
            "仅有目标值，尚无实际数字。" if lang == "zh" else "Targets only; no actual figure yet."
        )
    direction = indicator.get("higher_is_better")
    lower = pd.notna(direction) and not bool(direction)
    best = actual.loc[actual["value"].idxmin() if lower else actual["value"].idxmax()]
    if actual["institution_id"].nunique() == 1:
        text = (f"仅{best['institution']}报告：{best['value_text']}（{best['period_text']}）" if lang == "zh"
                else f"Only {best['institution']} reports it: {best['value_text']} ({best['period_text']})")
    else:
        word = ("最好" if lower else "最高") if lang == "zh" else ("best" if lower else "highest")
        text = (f"{best['institution']}{word}：{best['value_text']}（{best['period_text']}）" if lang == "zh"
                else f"{best['institution']} is {word}: {best['value_text']} ({best['period_text']})")
    if gaps:
        text += f"；{gaps}所院校未报告" if lang == "zh" else f"; {gaps} not reported"
    return text + ("。" if lang == "zh" else ".")


def _hover(lang: str, with_kind: bool = True) -> str:
    kind = "<br>" + ("类型" if lang == "zh" else "Kind") + "：%{customdata[5]}" if with_kind else ""
    if lang == "en":
        kind = kind.replace("：", ": ")
        return (
            "<b>%{customdata[0]}</b><br>Value: %{customdata[1]}%{customdata[2]}"
            "<br>Period: %{customdata[3]}<br>Qualifier: %{customdata[4]}" + kind +
            "<br>Source: %{customdata[6]}<extra></extra>"
        )
    return (
        "<b>%{customdata[0]}</b><br>数值：%{customdata[1]}%{customdata[2]}"
        "<br>时期：%{customdata[3]}<br>数值性质：%{customdata[4]}" + kind +
        "<br>来源：%{customdata[6]}<extra></extra>"
    )


_HOVER_COLUMNS = ["institution", "value_text", "unit_text", "period_text", "qualifier_text", "kind_text", "source"]


def _unit_suffix(value_text: str, unit_text: str, lang: str) -> str:
    """The unit after a value in a tooltip, unless the value already says it (96.08%, 3,447人)."""
    if not unit_text or unit_text in str(value_text):
        return ""
    return f"（{unit_text}）" if lang == "zh" else f" ({unit_text})"


def _hover_data(frame: pd.DataFrame, lang: str) -> np.ndarray:
    """customdata for _hover: the _HOVER_COLUMNS, the unit given only where the value lacks it."""
    data = frame[_HOVER_COLUMNS].map(for_plotly)
    data["unit_text"] = [_unit_suffix(value, unit, lang) for value, unit in zip(data["value_text"], data["unit_text"])]
    return data.to_numpy()


def period_span(frame: pd.DataFrame, lang: str) -> str:
    """'2021' or '2019–2021' over the figures in frame (period_text already localised)."""
    if frame.empty:
        return ""
    starts = frame["period"].astype(int)
    ends = frame["period_end"].fillna(frame["period"]).astype(int)
    first, last = starts.min(), ends.max()
    academic = (frame["period_type"] == "academic_year").all()
    if first == last:
        return ("、" if lang == "zh" else " / ").join(dict.fromkeys(frame["period_text"]))
    suffix = "学年" if academic and lang == "zh" else ""
    return f"{first}–{last}{suffix}"


def indicator_title(indicator: pd.Series, frame: pd.DataFrame, lang: str) -> str:
    name = indicator["name_en"] if lang == "en" else indicator["name_zh"]
    unit = v("unit", indicator["unit"], lang)
    parts = [unit]
    span = period_span(frame, lang)
    if span:
        parts.append(span)
    direction = indicator.get("higher_is_better")
    if pd.notna(direction) and not bool(direction):
        parts.append(t("lower_is_better", lang))
    joined = "，".join(parts) if lang == "zh" else ", ".join(parts)
    return f"{name}（{joined}）" if lang == "zh" else f"{name} ({joined})"


def indicator_bars(
    described: pd.DataFrame,
    indicator: pd.Series,
    scope: pd.DataFrame,
    lang: str,
    colours: dict[str, str],
) -> go.Figure:
    """One indicator across the institutions in scope: a horizontal bar per figure, a
    'not reported' gap for each institution without one.

    described: rows of this indicator from transforms.describe(); scope: institutions to
    show, in order.
    """
    name_col = "name_en" if lang == "en" else "name_zh"
    rows = described[described["indicator_id"] == indicator["indicator_id"]]
    categories, actual, target, missing = [], [], [], []
    for _, institution in scope.iterrows():
        mine = rows[rows["institution_id"] == institution["institution_id"]].sort_values(["period", "kind"])
        label = for_plotly(institution[name_col])
        if mine.empty:
            categories.append(label)
            missing.append(label)
            continue
        many = len(mine) > 1
        for _, figure in mine.iterrows():
            category = label
            if many:
                category = f"{label} · {for_plotly(figure['period_text'])}"
                if figure["kind"] == "target":
                    category += f" · {for_plotly(figure['kind_text'])}"
            categories.append(category)
            (target if figure["kind"] == "target" else actual).append((category, figure))

    fig = go.Figure()
    # Figures of different periods, bases or dates never stand side by side unmarked.
    drawn = [figure for _, figure in actual + target]
    mixed = len({figure["period_text"] for figure in drawn}) > 1
    for series, is_target in ((actual, False), (target, True)):
        if not series:
            continue
        cats = [category for category, _ in series]
        figures = pd.DataFrame([figure for _, figure in series])
        colour = [colours.get(iid, PALETTE[0]) for iid in figures["institution_id"]]
        text = for_plotly_all(figures["value_text"])
        if mixed:  # where the row label does not already name the period
            text = [value if for_plotly(period) in category else f"{value} · {for_plotly(period)}"
                    for value, period, category in zip(text, figures["period_text"], cats)]
        if is_target:
            text = [f"{t('legend_target', lang)} {value}" for value in text]
        fig.add_bar(
            x=figures["value"], y=cats, orientation="h",
            name=t("legend_target" if is_target else "legend_actual", lang),
            text=text, textposition="outside", cliponaxis=False, constraintext="none",
            customdata=_hover_data(figures, lang),
            hovertemplate=_hover(lang),
            marker={
                "color": "white" if is_target else colour,
                "line": {"color": colour, "width": 1.5},
                "pattern": {"shape": "/", "fgcolor": colour, "solidity": 0.45} if is_target else None,
            },
        )
    if missing:
        fig.add_scatter(
            x=[0] * len(missing), y=missing, mode="text",
            name=t("not_reported", lang),
            text=[t("not_reported", lang)] * len(missing), textposition="middle right",
            textfont={"color": MISSING_COLOUR}, showlegend=False,
            customdata=missing,
            hovertemplate="<b>%{customdata}</b><br>" + t("not_reported_long", lang) + "<extra></extra>",
        )
    shown = pd.DataFrame([figure for _, figure in actual + target]) if actual or target else rows.iloc[0:0]
    top = float(shown["value"].max()) if not shown.empty else 1.0
    if indicator["unit"] == "percent":
        # Room after 100 for the value labels, but no tick past 100: no rate exceeds it.
        x_range, ticks = [0, 116.0], list(range(0, 101, 20))
    else:
        x_range, ticks = [0, top * 1.3 or 1], None
    fig.update_xaxes(range=x_range, tickvals=ticks, title=v("unit", indicator["unit"], lang), rangemode="tozero", fixedrange=True)
    fig.update_yaxes(categoryorder="array", categoryarray=categories, autorange="reversed", automargin=True, fixedrange=True)
    _layout(fig, indicator_title(indicator, shown, lang), height=90 + 34 * len(categories), barmode="group", showlegend=bool(target))
    return with_story(fig, _indicator_takeaway(shown, indicator, missing, lang), sources_caption(shown, lang))


def count_bars(counts: pd.DataFrame, label_column: str, title: str, lang: str, colour: str = PALETTE[0]) -> go.Figure:
    """Simple counts (institutions by type or province)."""
    fig = go.Figure(go.Bar(
        x=counts["count"], y=for_plotly_all(counts[label_column]), orientation="h", marker_color=colour,
        text=counts["count"], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True, fixedrange=True)
    # Whole-number ticks for a handful of institutions; Plotly's own past that (dtick=1
    # over 7,000 would draw 7,000 ticks).
    small = counts.empty or counts["count"].max() <= 10
    fig.update_xaxes(rangemode="tozero", fixedrange=True, dtick=1 if small else None)
    return _layout(fig, title, height=90 + 34 * max(len(counts), 1), showlegend=False)


def figures_per_theme(counts: pd.DataFrame, scope: pd.DataFrame, lang: str) -> go.Figure:
    """Stacked figures per theme for each institution; an institution with none says so."""
    name_col = "name_en" if lang == "en" else "name_zh"
    names = scope.set_index("institution_id")[name_col].map(for_plotly)
    order = list(names)
    fig = go.Figure()
    for theme, colour in THEME_COLOURS.items():
        part = counts[counts["theme"] == theme]
        if part.empty:
            continue
        fig.add_bar(
            x=part["figures"], y=part["institution_id"].map(names), orientation="h",
            name=v("theme", theme, lang), marker_color=colour,
            hovertemplate="%{y}<br>" + v("theme", theme, lang) + ": %{x}<extra></extra>",
        )
    empty = [names[iid] for iid in scope["institution_id"] if iid not in set(counts["institution_id"])]
    if empty:
        fig.add_scatter(
            x=[0] * len(empty), y=empty, mode="text", name=t("not_reported", lang),
            text=[("无数字（来源未给出）" if lang == "zh" else "no figures in its sources")] * len(empty),
            textposition="middle right", textfont={"color": MISSING_COLOUR}, hoverinfo="skip", showlegend=False,
        )
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed", automargin=True, fixedrange=True)
    fig.update_xaxes(title=t("figures", lang), rangemode="tozero", fixedrange=True)
    title = t("figures_per_theme", lang) + ("（条）" if lang == "zh" else " (count)")
    return _layout(fig, title, height=110 + 36 * len(order), barmode="stack")


def completeness_heatmap(grid: pd.DataFrame, indicators: pd.DataFrame, scope: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Institution × indicator status grid with four discrete colours."""
    name_col = "name_en" if lang == "en" else "name_zh"
    inst_names = scope.set_index("institution_id")[name_col]
    ind_names = indicators.set_index("indicator_id")[name_col]
    codes = {status: index for index, status in enumerate(STATUS_ORDER)}
    wide = grid.pivot(index="indicator_id", columns="institution_id", values="status")
    wide = wide.reindex(index=indicators["indicator_id"], columns=scope["institution_id"])
    z = wide.apply(lambda column: column.map(codes)).to_numpy()
    labels = wide.apply(lambda column: column.map(lambda s: v("status", s, lang))).to_numpy()
    n = len(STATUS_ORDER)
    scale = []
    for index, status in enumerate(STATUS_ORDER):
        scale += [[index / n, STATUS_COLOURS[status]], [(index + 1) / n, STATUS_COLOURS[status]]]
    fig = go.Figure(go.Heatmap(
        z=z, x=[for_plotly(inst_names[i]) for i in wide.columns], y=[for_plotly(ind_names.get(i, i)) for i in wide.index],
        zmin=-0.5, zmax=n - 0.5, colorscale=scale, customdata=labels, xgap=2, ygap=2,
        hovertemplate="%{x}<br>%{y}<br><b>%{customdata}</b><extra></extra>",
        colorbar={
            "tickvals": list(range(n)), "ticktext": [v("status", s, lang) for s in STATUS_ORDER],
            "title": "", "len": min(1.0, 300 / max(300, 22 * len(wide.index))), "y": 1, "yanchor": "top",
        },
    ))
    # The college names above the grid, under the title, never on it: level when they fit a
    # column, else slanted at 30°, with the top margin sized from the longest name (Plotly's
    # automargin grew the margin for the names but left the title where they landed).
    longest = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(inst_names[i])) for i in wide.columns), default=0) * 6.5
    level = longest <= 700 / max(len(wide.columns), 1) - 8
    top = 52 + (22 if level else int(longest * 0.5) + 22)
    fig.update_yaxes(autorange="reversed", automargin=True, fixedrange=True)
    fig.update_xaxes(side="top", automargin=False, fixedrange=True, tickangle=0 if level else -30)
    _layout(fig, title, height=top + 40 + 22 * len(wide.index))
    fig.update_layout(margin={"t": top}, title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}})
    return fig


def award_stack(counted: pd.DataFrame, scope: pd.DataFrame, by: str, lang: str, title: str) -> go.Figure:
    """Counted awards per institution (a horizontal bar each), stacked by level, tier or
    recipient. An institution without award rows is labelled, not drawn as zero."""
    name_col = "name_en" if lang == "en" else "name_zh"
    names = scope.set_index("institution_id")[name_col]
    shown = names.map(for_plotly)
    vocab, colours = {
        "level": ("level", LEVEL_COLOURS),
        "tier": ("tier", TIER_COLOURS),
        "recipient": ("recipient", RECIPIENT_COLOURS),
    }[by]
    fig = go.Figure()
    grouped = counted.groupby(["institution_id", by], as_index=False)["count"].sum() if not counted.empty else counted
    for key, colour in colours.items():
        part = grouped[grouped[by] == key] if not grouped.empty else grouped
        if part.empty:
            continue
        label = v(vocab, key, lang)
        fig.add_bar(
            x=part["count"], y=part["institution_id"].map(shown), orientation="h", name=label,
            marker_color=colour, text=part["count"], textposition="inside", insidetextanchor="middle",
            hovertemplate="%{y}<br>" + label + ": %{x}<extra></extra>",
        )
    reported = set(grouped["institution_id"]) if not grouped.empty else set()
    empty = [shown[iid] for iid in scope["institution_id"] if iid not in reported]
    if empty:
        fig.add_scatter(
            x=[0] * len(empty), y=empty, mode="text", name=t("not_reported", lang),
            text=[t("not_reported", lang)] * len(empty), textposition="middle right",
            textfont={"color": MISSING_COLOUR}, hoverinfo="skip", showlegend=False,
        )
    fig.update_yaxes(categoryorder="array", categoryarray=list(shown), autorange="reversed", automargin=True, fixedrange=True)
    fig.update_xaxes(rangemode="tozero", fixedrange=True)
    fig = _layout(fig, title, height=150 + 40 * len(names), barmode="stack")
    if not grouped.empty:
        totals = grouped.groupby("institution_id")["count"].sum()
        leader = totals.idxmax()
        takeaway = (f"{names.get(leader, leader)}计数最多：{int(totals.max())}" if lang == "zh"
                    else f"{names.get(leader, leader)} counts the most: {int(totals.max())}")
        if empty:
            takeaway += f"；{len(empty)}所院校未报告" if lang == "zh" else f"; {len(empty)} not reported"
        with_story(fig, takeaway + ("。" if lang == "zh" else "."), _award_sources(counted, lang))
    # Legends of five entries wrap; below the plot they never cover the title.
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0}, margin={"b": 70})
    return fig


def _award_sources(counted: pd.DataFrame, lang: str) -> str:
    if counted.empty:
        return ""
    titles = counted["source_title_en"].fillna(counted["source_title"]) if lang == "en" else counted["source_title"]
    listed = list(dict.fromkeys(titles))
    return ("来源：" + "；".join(f"《{title}》" for title in listed)) if lang == "zh" else ("Sources: " + "; ".join(listed))


def score_bars(scores: pd.DataFrame, scope: pd.DataFrame, lang: str, colours: dict[str, str], title: str) -> go.Figure:
    """Weighted award score per institution; no award rows means no bar, not zero."""
    name_col = "name_en" if lang == "en" else "name_zh"
    merged = scope[["institution_id", name_col]].merge(scores, on="institution_id", how="left")
    has = merged[merged["score"].notna()]
    fig = go.Figure()
    fig.add_bar(
        x=has["score"], y=for_plotly_all(has[name_col]), orientation="h",
        marker_color=[colours.get(i, PALETTE[0]) for i in has["institution_id"]],
        text=[f"{s:,.1f}" for s in has["score"]], textposition="outside", cliponaxis=False,
        name=t("score", lang), hovertemplate="%{y}<br>" + t("score", lang) + ": %{x:,.1f}<extra></extra>",
    )
    gaps = merged[merged["score"].isna()]
    if not gaps.empty:
        fig.add_scatter(
            x=[0] * len(gaps), y=for_plotly_all(gaps[name_col]), mode="text", name=t("not_reported", lang),
            text=[t("not_reported", lang)] * len(gaps), textposition="middle right",
            textfont={"color": MISSING_COLOUR}, hoverinfo="skip", showlegend=False,
        )
    top = float(has["score"].max()) if not has.empty else 1.0
    fig.update_xaxes(range=[0, top * 1.2 or 1], fixedrange=True, title=t("score", lang))
    fig.update_yaxes(categoryorder="array", categoryarray=for_plotly_all(merged[name_col]), autorange="reversed", automargin=True, fixedrange=True)
    _layout(fig, title, height=100 + 36 * len(merged), showlegend=False)
    if has.empty:
        return with_story(fig, t("not_reported_long", lang))
    leader = has.loc[has["score"].idxmax()]
    takeaway = (f"按当前权重，{leader[name_col]}得分最高（{leader['score']:,.1f}）" if lang == "zh"
                else f"With these weights {leader[name_col]} scores highest ({leader['score']:,.1f})")
    if not gaps.empty:
        takeaway += f"；{len(gaps)}所院校无获奖记录" if lang == "zh" else f"; {len(gaps)} with no award rows"
    return with_story(fig, takeaway + ("。" if lang == "zh" else "."))


def normalised_bars(norm: pd.DataFrame, chosen: pd.DataFrame, lang: str, colours: dict[str, str], title: str) -> go.Figure:
    """Grouped horizontal bars: a row per comparable indicator, a bar per chosen
    institution, scaled so the best is 1, each labelled with its figure. A missing figure
    leaves a gap. Horizontal, as in the PowerPoint deck: long Chinese indicator names read
    across, and twenty indicators × six institutions of labels never overlap."""
    name_col = "name_en" if lang == "en" else "name_zh"
    norm = norm.assign(row_label=normalised_labels(norm, lang)) if not norm.empty else norm.assign(row_label=[])
    indicator_order = for_plotly_all(dict.fromkeys(norm["row_label"])) if not norm.empty else []
    fig = go.Figure()
    for _, institution in chosen.iterrows():
        mine = norm[norm["institution_id"] == institution["institution_id"]]
        colour = colours.get(institution["institution_id"], PALETTE[0])
        target = (mine["kind"] == "target").tolist() if "kind" in mine else [False] * len(mine)
        like = mine["like"].tolist() if "like" in mine.columns else [True] * len(mine)
        text = [f"{t('legend_target', lang)} {value}" if is_target else value
                for value, is_target in zip(for_plotly_all(mine["value_text"]), target)]
        # A figure of another period carries its period on the bar.
        text = [value if same else f"{value} · {for_plotly(period)}"
                for value, same, period in zip(text, like, mine["period_text"])]
        fig.add_bar(
            x=mine["scaled"], y=for_plotly_all(mine["row_label"]), orientation="h", name=for_plotly(institution[name_col]),
            # A target (shown only where a college has no result) is hatched, as elsewhere.
            marker={"color": colour, "line": {"color": colour, "width": 1},
                    "pattern": {"shape": ["/" if is_target else "" for is_target in target], "fgcolor": "white", "solidity": 0.5}},
            text=text, textposition="outside", cliponaxis=False, constraintext="none",
            customdata=_hover_data(mine, lang) if not mine.empty else None,
            hovertemplate=_hover(lang),
        )
    fig.update_yaxes(categoryorder="array", categoryarray=indicator_order, autorange="reversed", automargin=True, fixedrange=True)
    fig.update_xaxes(range=[0, 1.3], title=t("scaled_value", lang), fixedrange=True, tickvals=[0, 0.25, 0.5, 0.75, 1])
    height = 130 + max(len(indicator_order), 1) * (18 * max(len(chosen), 1) + 14)
    _layout(fig, title, height=height, barmode="group", bargap=0.25, bargroupgap=0.05)
    if norm.empty:
        return fig
    return with_story(fig, normalised_takeaway(norm, lang), sources_caption(norm, lang))


def normalised_labels(norm: pd.DataFrame, lang: str) -> list[str]:
    """Each row's label: the indicator and the period its like-for-like set is in."""
    periods = norm[norm["like"].astype(bool)].groupby("indicator_id")["period_text"].first() if "like" in norm.columns else pd.Series(dtype=str)
    return [f"{name}（{periods[iid]}）" if iid in periods.index and lang == "zh"
            else f"{name} ({periods[iid]})" if iid in periods.index else name
            for iid, name in zip(norm["indicator_id"], norm["indicator"])]


def normalised_takeaway(norm: pd.DataFrame, lang: str) -> str:
    """Who leads on how many like-for-like indicators (same period, basis and date; with a
    better direction). Figures of other periods never count."""
    from .transforms import leaders

    won = leaders(norm)
    like_rows = norm["like"].astype(bool) if "like" in norm.columns else pd.Series(True, index=norm.index)
    directed = norm["higher_is_better"].notna() if "higher_is_better" in norm.columns else pd.Series(False, index=norm.index)
    like = norm[like_rows & directed]["indicator_id"].nunique()
    if won.empty:
        return t("no_like_for_like_lead", lang)
    name = norm.drop_duplicates("institution_id").set_index("institution_id")["institution"].get(won.index[0], won.index[0])
    return t("leads_like_for_like", lang, name=name, n=int(won.iloc[0]), total=like)


def for_projection(fig: go.Figure, height: int = 700) -> go.Figure:
    """The same chart, sized and lettered to be read from the back of a meeting room: at
    least `height` tall, taller for a chart of many rows, within what a 1080p screen holds
    beside the title, takeaway and buttons."""
    big = go.Figure(fig)
    big.update_layout(
        height=int(min(max(height, (fig.layout.height or 0) * 1.25), 820)),
        font={"size": 22},
        title={"font": {"size": 30}},
        legend={"font": {"size": 20}},
        margin={"l": 20, "r": 60, "t": 90, "b": 70},
        hoverlabel={"font": {"size": 18}},
    )
    # Bar labels a size smaller than the axes: grouped bars are thinner than 22 px text.
    big.update_traces(textfont={"size": 19}, selector={"type": "bar"})
    big.update_traces(textfont={"size": 20}, selector={"type": "scatter"})
    if fig.layout.legend.yanchor == "bottom" and (fig.layout.legend.y or 0) >= 1:
        # A legend over the plot: in large type it would run into the title, so it goes
        # on a line of its own between the two.
        big.update_layout(legend={"x": 0, "xanchor": "left", "y": 1.01, "yanchor": "bottom"},
                          title={"y": 0.99, "yanchor": "top", "yref": "container"}, margin={"t": 150})
    return big


# --- national scale: distributions and trends -------------------------------------------

BIN_COLOUR = "#9ecae1"
OVERFLOW_COLOUR = "#c6dbef"
MEDIAN_COLOUR = "#444444"


def _log_ticks(low: float, high: float) -> list[float]:
    """1-2-5 ticks between low and high (both > 0), for an axis drawn in log10 units."""
    ticks = []
    for exponent in range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1):
        for step in (1, 2, 5):
            value = step * 10.0 ** exponent
            if low <= value <= high:
                ticks.append(value)
    return ticks or [low, high]


def _short_number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:,.2g}"


def distribution_histogram(
    bins: pd.DataFrame,
    stats: pd.Series,
    indicator: pd.Series,
    marked: pd.DataFrame,
    lang: str,
    colours: dict[str, str],
    title: str,
) -> go.Figure:
    """How many institutions have each value of one indicator (latest actual, exact or ≈),
    with the chosen institutions marked and the median drawn.

    bins: rows of queries.distribution for this indicator (bin, lo, hi, overflow,
    institutions); stats: its stats row; marked: chosen institutions' rows (described,
    with an optional peer_text column), one per institution. A log-scale histogram is
    drawn on an axis of log10 values with real numbers on the ticks, so bar widths stay
    right. Values above p99 share one last bar, set apart and labelled; a chosen
    institution there is drawn on it with its real value.
    """
    log_scale = bool(stats.get("log_scale", False))
    to_x = (lambda value: np.log10(value)) if log_scale else (lambda value: value)
    unit_text = v("unit", indicator["unit"], lang)
    regular = bins[~bins["overflow"].astype(bool)]
    overflow = bins[bins["overflow"].astype(bool)]
    per = "所" if lang == "zh" else " institutions"
    fig = go.Figure()
    if not regular.empty:
        left = np.array([to_x(x) for x in regular["lo"]], dtype=float)
        right = np.array([to_x(x) for x in regular["hi"]], dtype=float)
        width = np.where(right > left, right - left, 1.0)
        if bool(stats.get("whole", False)):
            ranges = [f"{lo + 0.5:,.0f}" for lo in regular["lo"]]  # one bar per whole number
        else:
            ranges = [f"{_short_number(lo)}–{_short_number(hi)}" for lo, hi in zip(regular["lo"], regular["hi"])]
        fig.add_bar(
            x=left + width / 2, y=regular["institutions"], width=width, name=t("institutions", lang),
            marker={"color": BIN_COLOUR, "line": {"color": "white", "width": 0.5}},
            customdata=ranges, showlegend=False,
            hovertemplate="%{customdata} " + unit_text + "<br>%{y:,}" + per + "<extra></extra>",
        )
    edge = float(np.nanmax([to_x(x) for x in regular["hi"]])) if not regular.empty else 0.0
    step = float(np.nanmedian(width)) if not regular.empty else 1.0
    if not overflow.empty:
        row = overflow.iloc[0]
        label = (f"> {_short_number(row['lo'])}（最高 {_short_number(row['hi'])}）" if lang == "zh"
                 else f"> {_short_number(row['lo'])} (max {_short_number(row['hi'])})")
        fig.add_bar(
            x=[edge + step * 1.5], y=[row["institutions"]], width=[step], name=label,
            marker={"color": OVERFLOW_COLOUR, "line": {"color": BIN_COLOUR, "width": 1}, "pattern": {"shape": "."}},
            text=[f"> {_short_number(row['lo'])}"], textposition="outside", cliponaxis=False, showlegend=False,
            hovertemplate=label + " " + unit_text + "<br>%{y:,}" + per + "<extra></extra>",
        )
    top = float(bins["institutions"].max()) if not bins.empty else 1.0

    def position(value: float) -> float:
        if not overflow.empty and value > float(overflow.iloc[0]["lo"]):
            return edge + step * 1.5
        return to_x(value) if (not log_scale or value > 0) else to_x(float(stats["min"]))

    if pd.notna(stats.get("median")):
        fig.add_vline(x=position(float(stats["median"])), line={"color": MEDIAN_COLOUR, "dash": "dash", "width": 1.5})
        fig.add_annotation(
            x=position(float(stats["median"])), y=1.0, yref="paper", yanchor="bottom", showarrow=False,
            text=f"{t('median', lang)} {format_value(float(stats['median']), indicator['unit'], 'exact', lang)}",
            font={"color": MEDIAN_COLOUR, "size": 11},
        )
    for index, (_, row) in enumerate(marked.iterrows()):
        colour = colours.get(row["institution_id"], PALETTE[index % len(PALETTE)])
        x = position(float(row["value"]))
        fig.add_vline(x=x, line={"color": colour, "width": 2})
        peer = row.get("peer_text") if "peer_text" in row else None
        extra = "<br>%{customdata[7]}" if peer is not None and pd.notna(peer) else ""
        # The value by the marker; the name in the legend, where long names cannot collide.
        # Text from the data goes in as data (customdata, names), never into the template.
        fig.add_scatter(
            x=[x], y=[top * (1.06 + 0.08 * (index % 3))], mode="markers+text",
            name=for_plotly(f"{row['institution']} {row['value_text']}"),
            marker={"symbol": "triangle-down", "size": 12, "color": colour},
            text=[for_plotly(row["value_text"])], textposition="middle right",
            textfont={"color": colour, "size": 11}, cliponaxis=False,
            customdata=[[*_hover_data(pd.DataFrame([row]), lang)[0].tolist(), for_plotly(peer) if extra else ""]],
            hovertemplate=_hover(lang, with_kind=False).replace("<extra></extra>", extra + "<extra></extra>"),
        )
    if log_scale and not regular.empty:
        ticks = _log_ticks(float(regular["lo"].min()), float(regular["hi"].max()))
        fig.update_xaxes(tickvals=[np.log10(x) for x in ticks], ticktext=[_short_number(x) for x in ticks])
    axis_title = unit_text + (("（对数刻度）" if lang == "zh" else " (log scale)") if log_scale else "")
    fig.update_xaxes(title=axis_title, fixedrange=True, showgrid=False)
    fig.update_yaxes(title=t("institutions", lang), rangemode="tozero", fixedrange=True, range=[0, top * 1.35 or 1])
    _layout(fig, title, height=340 + 22 * len(marked), bargap=0.02, showlegend=not marked.empty)
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.22, "xanchor": "left", "x": 0},
                      margin={"b": 60 + 22 * len(marked)})
    return with_story(fig, distribution_takeaway(stats, indicator, lang))


def distribution_takeaway(stats: pd.Series, indicator: pd.Series, lang: str) -> str:
    """n, median and quartiles, and what was left out: the sentence under a distribution."""
    n = int(stats.get("n", 0) or 0)
    if n == 0:
        return t("not_reported_long", lang)
    unit = indicator["unit"]
    median = format_value(float(stats["median"]), unit, "exact", lang)
    q1, q3 = (format_value(float(stats[k]), unit, "exact", lang) for k in ("q1", "q3"))
    text = t("dist_summary", lang, n=f"{n:,}", median=median, q1=q1, q3=q3)
    notes = []
    if int(stats.get("n_approx", 0) or 0):
        notes.append(t("dist_approx", lang, n=f"{int(stats['n_approx']):,}"))
    if int(stats.get("n_bound", 0) or 0):
        notes.append(t("dist_bounds", lang, n=f"{int(stats['n_bound']):,}"))
    if int(stats.get("n_target_only", 0) or 0):
        notes.append(t("dist_targets", lang, n=f"{int(stats['n_target_only']):,}"))
    if int(stats.get("n_other_period", 0) or 0):
        notes.append(t("dist_other_period", lang, n=f"{int(stats['n_other_period']):,}"))
    if int(stats.get("n_academic", 0) or 0):
        notes.append(t("dist_academic", lang, n=f"{int(stats['n_academic']):,}"))
    sep = "；" if lang == "zh" else "; "
    return text + (sep + sep.join(notes) if notes else "") + ("。" if lang == "zh" else ".")


def distribution_title(indicator: pd.Series, stats: pd.Series, lang: str) -> str:
    """Indicator（unit，latest actual per institution，first–last）."""
    name = indicator["name_en"] if lang == "en" else indicator["name_zh"]
    parts = [v("unit", indicator["unit"], lang), t("dist_latest", lang)]
    if pd.notna(stats.get("first_period")):
        first, last = int(stats["first_period"]), int(stats["last_period"])
        parts.append(str(first) if first == last else f"{first}–{last}")
    if direction_label := _direction_note(indicator, lang):
        parts.append(direction_label)
    joined = "，".join(parts) if lang == "zh" else ", ".join(parts)
    return f"{name}（{joined}）" if lang == "zh" else f"{name} ({joined})"


def _direction_note(indicator: pd.Series, lang: str) -> str:
    direction = indicator.get("higher_is_better")
    if direction is None or pd.isna(direction):
        return t("no_direction", lang)
    return "" if bool(direction) else t("lower_is_better", lang)


_PERIOD_SYMBOLS = {"calendar_year": "circle", "academic_year": "diamond"}
_PERIOD_DASH = {"calendar_year": "dash", "academic_year": "dot"}


def trend_lines(
    rows: pd.DataFrame,
    indicator: pd.Series,
    lang: str,
    colours: dict[str, str],
    group_names: dict[str, str],
    title: str,
) -> go.Figure:
    """One indicator over the years: a line per chosen institution and a dashed line per
    peer-group median. Calendar-year and academic-year figures are separate series with
    their own marker and legend entry (学年 / AY), never joined into one line; x is the
    year a period starts.

    rows: queries.trend rows, described (institution, value_text, period_text, …) for the
    institution series; group_names: group_key → label of its peer group.
    """
    fig = go.Figure()
    period_word = {key: v("period_type", key, lang) for key in _PERIOD_SYMBOLS}
    medians = rows[rows["series"] == "median"]
    for (group_key, period_type), part in medians.groupby(["group_key", "period_type"], sort=False):
        part = part.sort_values("period")
        label = f"{t('median', lang)} · {group_names.get(group_key, group_key)}（{period_word[period_type]}）"
        if lang == "en":
            label = label.replace("（", " (").replace("）", ")")
        label = for_plotly(label)  # a peer group can be named after a province from the data
        values = [format_value(float(x), indicator["unit"], "exact", lang) for x in part["value"]]
        periods = [period_label(p, e, period_type, lang) for p, e in zip(part["period"], part["period_end"])]
        fig.add_scatter(
            x=part["period"], y=part["value"], mode="lines+markers", name=label,
            line={"color": MEDIAN_COLOUR, "dash": _PERIOD_DASH[period_type], "width": 1.5},
            marker={"symbol": _PERIOD_SYMBOLS[period_type], "size": 6, "color": MEDIAN_COLOUR},
            customdata=np.column_stack([values, periods, part["peers"].astype("Int64").astype(str)]),
            hovertemplate="<b>%{fullData.name}</b><br>%{customdata[0]} · %{customdata[1]}<br>"
            + ("院校数" if lang == "zh" else "Institutions") + ": %{customdata[2]}<extra></extra>",
        )
    mine = rows[rows["series"] == "institution"]
    for (institution_id, period_type), part in mine.groupby(["institution_id", "period_type"], sort=False):
        part = part.sort_values(["period", "qualifier"])
        colour = colours.get(institution_id, PALETTE[0])
        label = f"{part['institution'].iloc[0]}（{period_word[period_type]}）"
        if lang == "en":
            label = label.replace("（", " (").replace("）", ")")
        fig.add_scatter(
            x=part["period"], y=part["value"], mode="lines+markers+text", name=for_plotly(label),
            line={"color": colour, "width": 2.5}, marker={"symbol": _PERIOD_SYMBOLS[period_type], "size": 8, "color": colour},
            text=[for_plotly(value) if qualifier != "exact" else "" for value, qualifier in zip(part["value_text"], part["qualifier"])],
            textposition="top center", cliponaxis=False,
            customdata=_hover_data(part, lang), hovertemplate=_hover(lang, with_kind=False),
        )
    fig.update_xaxes(dtick=1, tickformat="d", title=t("period_start", lang), fixedrange=True)
    # Lines, not bars: the axis fits the values, so a rate moving between 92 and 96 shows.
    fig.update_yaxes(title=v("unit", indicator["unit"], lang), fixedrange=True)
    _layout(fig, title, height=380)
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.3, "xanchor": "left", "x": 0}, margin={"b": 110})
    return with_story(fig, "", sources_caption(mine, lang) if not mine.empty else "")


def completeness_shares(counts: pd.DataFrame, indicators: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Per indicator, the share of institutions in scope that reported it exactly,
    approximately, as a target only, or not at all: 100 % stacked bars, the grid of
    completeness_heatmap folded over institutions."""
    name_col = "name_en" if lang == "en" else "name_zh"
    names = indicators.set_index("indicator_id")[name_col]
    order = [i for i in indicators["indicator_id"] if i in set(counts["indicator_id"])]
    fig = go.Figure()
    for status in STATUS_ORDER:
        part = counts[counts["status"] == status].set_index("indicator_id").reindex(order)
        share = (part["institutions"].fillna(0) / part["scope_n"].fillna(1)).fillna(0) * 100
        fig.add_bar(
            x=share, y=[for_plotly(names.get(i, i)) for i in order], orientation="h", name=v("status", status, lang),
            marker={"color": STATUS_COLOURS[status], "line": {"color": "#bbbbbb", "width": 0.5} if status == "missing" else None},
            text=[f"{s:.0f}%" if s >= 6 else "" for s in share], textposition="inside", insidetextanchor="middle",
            customdata=np.column_stack([part["institutions"].fillna(0).astype(int), part["scope_n"].fillna(0).astype(int)]),
            hovertemplate="%{y}<br>" + v("status", status, lang) + ": %{x:.1f}%（%{customdata[0]:,} / %{customdata[1]:,}）<extra></extra>",
        )
    # The share is said by the title and the % ticks; no axis title for the legend to run into.
    fig.update_xaxes(range=[0, 100], ticksuffix="%", fixedrange=True)
    fig.update_yaxes(autorange="reversed", automargin=True, fixedrange=True)
    _layout(fig, title, height=150 + 30 * max(len(order), 1), barmode="stack")
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.06, "xanchor": "left", "x": 0,
                              "traceorder": "normal"}, margin={"b": 60})
    return fig


def group_stack(frame: pd.DataFrame, group_labels: dict[str, str], key_column: str, key_labels: dict[str, str],
                key_colours: dict[str, str], value_column: str, lang: str, title: str, axis_title: str) -> go.Figure:
    """Stacked horizontal bars, one per group (institution type or province), one colour
    per key (theme, level, tier, recipient): the per-institution charts folded into groups
    when the scope is too large for a bar each. frame: group, key column, value column."""
    order = list(dict.fromkeys(frame["group"]))
    fig = go.Figure()
    for key, colour in key_colours.items():
        part = frame[frame[key_column] == key]
        if part.empty:
            continue
        label = for_plotly(key_labels.get(key, key))
        fig.add_bar(
            x=part[value_column], y=[for_plotly(group_labels.get(g, g)) for g in part["group"]], orientation="h", name=label,
            marker_color=colour,
            hovertemplate="%{y}<br>%{fullData.name}: %{x:,.1f}（" + axis_title + "）<extra></extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=[for_plotly(group_labels.get(g, g)) for g in order], autorange="reversed",
                     automargin=True, fixedrange=True)
    fig.update_xaxes(rangemode="tozero", fixedrange=True)
    _layout(fig, f"{title}", height=170 + 40 * max(len(order), 1), barmode="stack")
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.1, "xanchor": "left", "x": 0,
                              "traceorder": "normal"}, margin={"b": 70})
    return fig


# --- presentation, export captions and ranks (issue 14) ----------------------------------

# One slot of a horizontal bar chart on a slide: a row label in slide type (18 px) needs
# about 28 px, and at 1366x768 the chart gets about 420 px of plot. Charts taller than this
# are split over several slides instead of squeezed.
SLIDE_ROW_SLOTS = 14


def drawn_points(fig: go.Figure) -> int:
    """How many figures a chart draws: bars with a value, markers of lines and dots, cells
    of a heatmap. The 'not reported' text marks do not count."""
    count = 0
    for trace in fig.data:
        if trace.type == "bar":
            values = trace.x if trace.orientation == "h" else trace.y
            count += sum(1 for value in (values if values is not None else []) if value is not None and not pd.isna(value))
        elif trace.type == "scatter" and "markers" in (trace.mode or "") and trace.y is not None:
            count += sum(1 for value in trace.y if value is not None and not pd.isna(value))
        elif trace.type in ("heatmap", "histogram"):
            count += 2  # a distribution or a grid is never near-empty
    return count


def _slots_per_category(fig: go.Figure) -> float:
    bars = [trace for trace in fig.data if trace.type == "bar" and trace.orientation == "h"]
    if fig.layout.barmode == "group" and len(bars) > 1:
        return len(bars) + 0.5  # a slot per trace, and the gap between groups
    return 1.0


def _categories(fig: go.Figure) -> list:
    order = list(fig.layout.yaxis.categoryarray or [])
    if order:
        return order
    seen: dict = {}
    for trace in fig.data:
        for value in (trace.y if trace.y is not None else []):
            seen.setdefault(value, None)
    return list(seen)


def split_rows(fig: go.Figure, slots: int = SLIDE_ROW_SLOTS) -> list[go.Figure]:
    """A horizontal bar chart (or a heatmap) of more rows than a slide holds, as several
    charts of consecutive rows, titled (1/n)...; any other chart, or one that fits, as is."""
    horizontal = any(trace.type == "bar" and trace.orientation == "h" for trace in fig.data)
    heatmap = any(trace.type == "heatmap" for trace in fig.data)
    if not (horizontal or heatmap):
        return [fig]
    categories = _categories(fig)
    per = max(1, int(slots // (_slots_per_category(fig) if horizontal else 0.6)))
    if len(categories) <= per:
        return [fig]
    chunks = [categories[i:i + per] for i in range(0, len(categories), per)]
    parts = []
    for number, chunk in enumerate(chunks, start=1):
        keep = set(chunk)
        part = go.Figure(fig)
        for trace in part.data:
            if trace.y is None:
                continue
            if trace.type == "heatmap":
                rows = [i for i, y in enumerate(trace.y) if y in keep]
                trace.update(y=[trace.y[i] for i in rows], z=[trace.z[i] for i in rows],
                             customdata=[trace.customdata[i] for i in rows] if trace.customdata is not None else None)
                continue
            rows = [i for i, y in enumerate(trace.y) if y in keep]
            update = {}
            for field in ("x", "y", "text", "customdata"):
                values = getattr(trace, field)
                if values is not None and not isinstance(values, str) and len(values) == len(trace.y):
                    update[field] = [values[i] for i in rows]
            marker_colour = trace.marker.color if hasattr(trace, "marker") else None
            if marker_colour is not None and not isinstance(marker_colour, str) and len(marker_colour) == len(trace.y):
                update["marker_color"] = [marker_colour[i] for i in rows]
            trace.update(**update)
        part.update_yaxes(categoryorder="array", categoryarray=chunk)
        title = fig.layout.title.text or ""
        part.update_layout(title={"text": f"{title}（{number}/{len(chunks)}）" if re.search(r"[\u4e00-\u9fff]", title)
                                  else f"{title} ({number}/{len(chunks)})"})
        parts.append(part)
    return parts


def for_slide(fig: go.Figure) -> go.Figure:
    """A chart as presentation mode shows it: as tall as the space the slide leaves (no
    fixed height; the page stretches it), in type read from the back of a room."""
    big = go.Figure(fig)
    big.update_layout(
        height=None, autosize=True,
        font={"size": 18}, title={"font": {"size": 24}}, legend={"font": {"size": 16}},
        margin={"l": 24, "r": 40, "t": 70, "b": 50}, hoverlabel={"font": {"size": 16}},
    )
    big.update_traces(textfont={"size": 17}, selector={"type": "bar"})
    big.update_traces(textfont={"size": 17}, selector={"type": "scatter"})
    legend_shown = fig.layout.showlegend is not False and sum(1 for trace in fig.data if trace.showlegend is not False) > 1
    if legend_shown and fig.layout.legend.yanchor == "bottom" and (fig.layout.legend.y or 0) >= 1:
        # A legend over the plot would run into the larger title: a line of its own.
        big.update_layout(legend={"x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
                          title={"y": 0.98, "yanchor": "top", "yref": "container"}, margin={"t": 110})
    elif fig.layout.legend.yanchor == "top" and fig.layout.margin.b:
        big.update_layout(margin={"b": fig.layout.margin.b})  # a legend below the plot keeps its room
    return big


def with_source_note(fig: go.Figure, lang: str | None = None, note: str | None = None) -> go.Figure:
    """The source and period drawn into the figure, below the plot, so a PNG pasted into
    a report still says where it came from; and a left margin so the title clears the edge.
    `note` defaults to the figure's own sources caption (with_story); shown in the app and
    in the PNG alike."""
    _, sources = story(fig)
    text = note if note is not None else sources
    fig.update_layout(title={"x": 0.01, "xref": "container", "pad": {"l": 8}})
    margin = fig.layout.margin
    left = max(margin.l or 0, 16)
    if not text:
        fig.update_layout(margin={"l": left})
        return fig
    english = lang == "en" if lang else not re.search(r"[\u4e00-\u9fff]", text)
    lines = _wrap(text, 110 if english else 60)
    bottom = (margin.b or 40) + 18 * len(lines) + 10
    fig.add_annotation(
        text="<br>".join(for_plotly(line) for line in lines), xref="paper", yref="paper", x=0, y=0,
        # Below the bottom margin the chart had (its axis title and ticks live there).
        xanchor="left", yanchor="top", yshift=-(margin.b or 40) - 4, showarrow=False, align="left",
        font={"size": 11, "color": "#555555"},
    )
    height = fig.layout.height
    fig.update_layout(margin={"l": left, "b": bottom}, height=(height + bottom - (margin.b or 40)) if height else None)
    return fig


def display_width(text) -> int:
    """Width in character cells: CJK (wide and full-width) characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in str(text))


def _wrap(text: str, width: int) -> list[str]:
    """Lines of about `width` display cells (CJK counts double), broken at separators."""
    lines, current = [], ""
    for piece in re.split(r"(?<=[；;，,、 ])", text):
        if current and display_width(current + piece) > width:
            lines.append(current)
            current = piece
        else:
            current += piece
        while display_width(current) > width * 1.5:  # a piece with no separator: cut it
            cut = 0
            while display_width(current[:cut + 1]) <= width:
                cut += 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines[:6] + (["…"] if len(lines) > 6 else [])


def rank_chart(described: pd.DataFrame, indicator: pd.Series, scope: pd.DataFrame, lang: str,
               colours: dict[str, str]) -> go.Figure:
    """A rank (名次, smaller is better) as ranks: a dot per figure on a reversed axis, 1st
    at the top, joined over the years per college (a slope chart), so rising from 14th
    to 3rd goes up. Colleges in scope without a figure are named in the takeaway."""
    name_col = "name_en" if lang == "en" else "name_zh"
    rows = described[(described["indicator_id"] == indicator["indicator_id"]) & (described["kind"] == "actual")]
    fig = go.Figure()
    missing = []
    for _, institution in scope.iterrows():
        mine = rows[rows["institution_id"] == institution["institution_id"]].sort_values("period")
        if mine.empty:
            missing.append(institution[name_col])
            continue
        colour = colours.get(institution["institution_id"], PALETTE[0])
        fig.add_scatter(
            x=mine["period"], y=mine["value"], mode="lines+markers+text", name=for_plotly(institution[name_col]),
            line={"color": colour, "width": 2.5}, marker={"color": colour, "size": 12},
            text=for_plotly_all(mine["value_text"]), textposition="middle right", cliponaxis=False,
            customdata=mine[_HOVER_COLUMNS].map(for_plotly).to_numpy(), hovertemplate=_hover(lang, with_kind=False),
        )
    top = float(rows["value"].max()) if not rows.empty else 1.0
    fig.update_yaxes(autorange=False, range=[top + 1, 0.5], dtick=1 if top <= 20 else None, title=t("rank", lang),
                     fixedrange=True, zeroline=False)
    fig.update_xaxes(dtick=1, tickformat="d", title=t("period_start", lang), fixedrange=True)
    _layout(fig, indicator_title(indicator, rows, lang), height=320)
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.25, "xanchor": "left", "x": 0},
                      margin={"b": 100})
    if rows.empty:
        return with_story(fig, t("not_reported_long", lang))
    best = rows.loc[rows["value"].idxmin()]
    text = (f"{best['institution']}名次最前：{best['value_text']}（{best['period_text']}）" if lang == "zh"
            else f"{best['institution']} ranks highest: {best['value_text']} ({best['period_text']})")
    if missing:
        text += f"；{len(missing)}所院校未报告" if lang == "zh" else f"; {len(missing)} not reported"
    return with_story(fig, text + ("。" if lang == "zh" else "."), sources_caption(rows, lang))

# --- theme overview (issue 15) -----------------------------------------------------------

MATRIX_SCALE = [[0.0, "#eef4fa"], [1.0, "#6fa8d6"]]  # light enough for black text on every cell
MATRIX_APART = "#e6e6e6"  # a figure outside its like-for-like set: plain, never shaded


def wrap_label(text: str, width: int = 16) -> str:
    """A long name over several lines (<br>) so it is never cut or squeezes the plot: CJK
    characters count double."""
    text = str(text)
    lines, line, used = [], "", 0
    for word in (re.split(r"(\s+)", text) if text.isascii() else list(text)):
        size = sum(2 if ord(ch) > 0x2E80 else 1 for ch in word)
        if used + size > width and line.strip():
            lines.append(line.strip())
            line, used = "", 0
        if word.isspace() and not line:
            continue
        line += word
        used += size
    if line.strip():
        lines.append(line.strip())
    return "<br>".join(lines)


def theme_matrix(cells: pd.DataFrame, scope: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Every indicator two or more chosen colleges report (rows) against every chosen college
    (columns), in one figure. A cell shows the figure; within an indicator's like-for-like
    set (same period, basis and date) its shade is its size against the set's largest (for a
    rank, rank 1 darkest) — size, not merit. A figure outside the set stands in grey with
    its period and why (⚠); a college without the figure shows — (not reported, not 0).

    cells: transforms.theme_matrix; scope: the columns, in order."""
    from .transforms import matrix_cell_text

    name_col = "name_en" if lang == "en" else "name_zh"
    columns = scope["institution_id"].tolist()
    column_labels = [wrap_label(for_plotly(name), 18 if lang == "en" else 14) for name in scope[name_col]]
    rows = list(dict.fromkeys(cells["indicator_id"]))
    row_labels = []
    for indicator_id in rows:
        part = cells[cells["indicator_id"] == indicator_id]
        label = f"{part['indicator'].iloc[0]}（{part['unit_text'].iloc[0]}）" if lang == "zh" else f"{part['indicator'].iloc[0]} ({part['unit_text'].iloc[0]})"
        row_labels.append(wrap_label(for_plotly(label), 40))
    shade = np.full((len(rows), len(columns)), np.nan)
    apart = np.full((len(rows), len(columns)), np.nan)
    text = np.full((len(rows), len(columns)), "—", dtype=object)
    hover = np.full((len(rows), len(columns)), t("not_reported_long", lang), dtype=object)
    where = {iid: n for n, iid in enumerate(columns)}
    for r, indicator_id in enumerate(rows):
        for _, cell in cells[cells["indicator_id"] == indicator_id].iterrows():
            c = where.get(cell["institution_id"])
            if c is None:
                continue
            said = for_plotly(matrix_cell_text(cell, lang))
            # Value, then its period, then why it is apart: one short line each.
            if lang == "zh":
                said = said.replace("（", "<br>", 1).replace("，", "<br>", 1).rstrip("）")
            else:
                said = said.replace(" (", "<br>", 1).replace("; ", "<br>", 1).rstrip(")")
            text[r, c] = said
            if pd.notna(cell["shade"]):
                shade[r, c] = float(cell["shade"])
            else:
                apart[r, c] = 1.0
            hover[r, c] = (f"{for_plotly(cell['value_text'])}<br>{t('period', lang)}：{for_plotly(cell['period_text'])}"
                           f"<br>{t('qualifier', lang)}：{for_plotly(cell['qualifier_text'])}"
                           f"<br>{t('source', lang)}：{for_plotly(cell['source'])}")
            if lang == "en":
                hover[r, c] = hover[r, c].replace("：", ": ")
    fig = go.Figure()
    common = dict(x=column_labels, y=row_labels, xgap=3, ygap=3, showscale=False, hoverongaps=False)
    fig.add_heatmap(z=apart, colorscale=[[0, MATRIX_APART], [1, MATRIX_APART]], zmin=0, zmax=1, hoverinfo="skip", **common)
    fig.add_heatmap(
        z=shade, colorscale=MATRIX_SCALE, zmin=0, zmax=1, text=text, texttemplate="%{text}",
        textfont={"size": 12, "color": "#1a1a1a"}, customdata=hover,
        hovertemplate="<b>%{x}</b><br>%{y}<br>%{customdata}<extra></extra>", **common,
    )
    # Cells without a shade still need their text: a transparent layer carries it.
    fig.add_heatmap(
        z=np.where(np.isnan(shade), 0.0, np.nan), colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        text=text, texttemplate="%{text}", textfont={"size": 12, "color": "#333333"}, customdata=hover,
        hovertemplate="<b>%{x}</b><br>%{y}<br>%{customdata}<extra></extra>", **common,
    )
    label_lines = max((label.count("<br>") + 1 for label in column_labels), default=1)
    top = 64 + 17 * label_lines  # the title, then the college names under it: never on top of each other
    fig.update_xaxes(side="top", tickangle=0, automargin=False, fixedrange=True, showgrid=False)
    fig.update_yaxes(autorange="reversed", automargin=True, fixedrange=True, showgrid=False)
    lines = max((str(x).count("<br>") + 1 for x in text.ravel()), default=1)
    _layout(fig, title, height=top + 30 + (22 + 15 * lines) * max(len(rows), 1), showlegend=False)
    fig.update_layout(margin={"l": 10, "r": 10, "t": top, "b": 10}, plot_bgcolor="white",
                      title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}})
    takeaway = t("matrix_takeaway", lang, rows=len(rows), colleges=len(columns))
    return with_story(fig, takeaway, sources_caption(cells[cells["in_set"].astype(bool)], lang))


def _bin_position(value: float, bins: pd.DataFrame, log_scale: bool) -> float | None:
    """Where a value falls on a histogram drawn with one unit per bin (bin i spans i..i+1):
    inside its bin in proportion (on a log scale in log units); above p99 on the overflow bar."""
    if bins.empty or pd.isna(value):
        return None
    regular = bins[~bins["overflow"].astype(bool)].sort_values("bin")
    overflow = bins[bins["overflow"].astype(bool)]
    if not overflow.empty and value > float(overflow.iloc[0]["lo"]):
        return float(overflow.iloc[0]["bin"]) + 0.5
    for _, row in regular.iterrows():
        lo, hi = float(row["lo"]), float(row["hi"])
        if lo <= value <= hi or value < lo:
            if value < lo or hi <= lo:
                return float(row["bin"]) + (0.0 if value < lo else 0.5)
            if log_scale and lo > 0:
                share = (np.log(value) - np.log(lo)) / (np.log(hi) - np.log(lo))
            else:
                share = (value - lo) / (hi - lo)
            return float(row["bin"]) + float(share)
    return float(regular["bin"].max()) + 1.0 if not regular.empty else None


def distribution_grid(
    stats: pd.DataFrame, bins: pd.DataFrame, indicators: pd.DataFrame, marked: pd.DataFrame,
    lang: str, colours: dict[str, str], title: str, columns: int = 4,
) -> go.Figure:
    """Small multiples: each indicator's distribution over the field (latest actual, like
    for like, as queries.distribution counts it) with the marked colleges as coloured lines
    and the median dashed. One small histogram per indicator, bins drawn one unit wide
    (a log-scaled indicator says so in its panel title); the detail below has the axis.

    stats / bins: transforms.split_distribution; indicators: indexed by indicator_id, in the
    order to draw; marked: rows with institution_id, indicator_id, value, institution."""
    shown = [i for i in indicators.index if i in set(stats.loc[stats["n"] > 0, "indicator_id"])]
    stats = stats.set_index("indicator_id")
    rows = max(1, -(-len(shown) // columns))
    gap_x, gap_y = 0.04, 0.5 / rows if rows > 1 else 0
    width = (1 - gap_x * (columns - 1)) / columns
    panel_h = 150
    height = 70 + rows * (panel_h + 46) + (40 if not marked.empty else 0)
    unit_y = 1 / rows
    layout: dict = {"annotations": [], "shapes": []}
    data = []
    name_col = "name_en" if lang == "en" else "name_zh"
    legend_done: set[str] = set()
    for n, indicator_id in enumerate(shown):
        r, c = divmod(n, columns)
        axis = "" if n == 0 else str(n + 1)
        x0 = c * (width + gap_x)
        top = 1 - r * unit_y
        bottom = top - unit_y * panel_h / (panel_h + 46)
        layout[f"xaxis{axis}"] = {"domain": [x0, x0 + width], "anchor": f"y{axis}", "showticklabels": False,
                                  "fixedrange": True, "showgrid": False, "zeroline": False}
        layout[f"yaxis{axis}"] = {"domain": [bottom, top - 0.02 * unit_y], "anchor": f"x{axis}", "fixedrange": True,
                                  "showgrid": False, "showticklabels": False, "zeroline": False, "rangemode": "tozero"}
        part = bins[bins["indicator_id"] == indicator_id].sort_values("bin")
        row = stats.loc[indicator_id]
        indicator = indicators.loc[indicator_id]
        log_scale = bool(row.get("log_scale", False))
        regular = part[~part["overflow"].astype(bool)]
        data.append({
            "type": "bar", "x": (part["bin"].astype(float) + 0.5).tolist(), "y": part["institutions"].tolist(),
            "width": 1.0, "xaxis": f"x{axis}", "yaxis": f"y{axis}", "showlegend": False,
            "marker": {"color": [OVERFLOW_COLOUR if o else BIN_COLOUR for o in part["overflow"].astype(bool)]},
            "customdata": [f"{_short_number(lo)}–{_short_number(hi)}" for lo, hi in zip(part["lo"], part["hi"])],
            "hovertemplate": "%{customdata}<br>%{y:,}" + ("所" if lang == "zh" else " institutions") + "<extra></extra>",
        })
        name = indicator[name_col]
        label = wrap_label(for_plotly(name), 26) + ("（对数）" if lang == "zh" and log_scale else " (log)" if log_scale else "")
        layout["annotations"].append({
            "text": f"{label}<br><span style='color:#666'>n={int(row['n']):,} · {t('median', lang)} "
                    f"{format_value(float(row['median']), indicator['unit'], 'exact', lang)}</span>",
            "x": x0, "xref": "paper", "xanchor": "left", "y": top, "yref": "paper", "yanchor": "bottom",
            "showarrow": False, "align": "left", "font": {"size": 11},
        })
        median_at = _bin_position(float(row["median"]), part, log_scale)
        if median_at is not None:
            layout["shapes"].append({"type": "line", "xref": f"x{axis}", "yref": f"y{axis} domain", "x0": median_at,
                                     "x1": median_at, "y0": 0, "y1": 1, "line": {"color": MEDIAN_COLOUR, "dash": "dash", "width": 1}})
        mine = marked[marked["indicator_id"] == indicator_id] if not marked.empty else marked
        for _, mark in mine.iterrows():
            at = _bin_position(float(mark["value"]), part, log_scale)
            if at is None:
                continue
            colour = colours.get(mark["institution_id"], PALETTE[0])
            layout["shapes"].append({"type": "line", "xref": f"x{axis}", "yref": f"y{axis} domain", "x0": at, "x1": at,
                                     "y0": 0, "y1": 1, "line": {"color": colour, "width": 2}})
            first = mark["institution_id"] not in legend_done
            legend_done.add(mark["institution_id"])
            data.append({
                "type": "scatter", "mode": "markers", "x": [at], "y": [float(part["institutions"].max()) * 1.05],
                "xaxis": f"x{axis}", "yaxis": f"y{axis}", "marker": {"symbol": "triangle-down", "size": 9, "color": colour},
                "name": for_plotly(mark["institution"]), "legendgroup": mark["institution_id"], "showlegend": first,
                "customdata": [[for_plotly(mark["institution"]), for_plotly(mark.get("value_text", ""))]],
                "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
            })
        if not regular.empty:
            layout[f"xaxis{axis}"]["range"] = [0, float(part["bin"].max()) + 1]
    layout.update({
        "height": height, "bargap": 0, "showlegend": bool(legend_done),
        # Under the panels: never on the title or the panels' own titles.
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.01, "x": 0, "xanchor": "left"},
        "margin": {"l": 10, "r": 10, "t": 64, "b": 50 if legend_done else 10},
        "title": {"text": for_plotly(title), "x": 0, "xanchor": "left", "font": {"size": 15},
                  "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
        "font": {"family": FONT_FAMILY, "size": 13}, "hoverlabel": {"font": {"family": FONT_FAMILY}},
    })
    # Built as a plain spec and wrapped without validation: dozens of panels through
    # make_subplots and the validators cost far more server time than drawing them.
    fig = go.Figure({"data": data, "layout": layout}, skip_invalid=False, _validate=False)
    return with_story(fig, t("grid_takeaway", lang, n=len(shown)))


def profile_trends(rows: pd.DataFrame, indicators: pd.DataFrame, lang: str, colour: str, name: str, title: str,
                   columns: int = 3) -> go.Figure:
    """Small multiples: each indicator one college reports in two or more periods, its
    figures over the years (solid, its colour) against the median of colleges of its type
    reporting the same indicator like for like (dashed grey). Calendar and academic years
    are separate lines. rows: queries.profile_trends; indicators: indexed by indicator_id."""
    name_col = "name_en" if lang == "en" else "name_zh"
    shown = [i for i in dict.fromkeys(rows.loc[rows["series"] == "institution", "indicator_id"]) if i in indicators.index]
    count = max(1, -(-len(shown) // columns))
    gap_x, panel_h, head = 0.05, 150, 44
    width = (1 - gap_x * (columns - 1)) / columns
    unit_y = 1 / count
    layout: dict = {"annotations": []}
    data = []
    first_row_lines = 1
    for n, indicator_id in enumerate(shown):
        r, c = divmod(n, columns)
        axis = "" if n == 0 else str(n + 1)
        x0 = c * (width + gap_x)
        top = 1 - r * unit_y
        bottom = top - unit_y * panel_h / (panel_h + head)
        layout[f"xaxis{axis}"] = {"domain": [x0, x0 + width], "anchor": f"y{axis}", "dtick": 1, "tickformat": "d",
                                  "fixedrange": True, "showgrid": False, "tickfont": {"size": 10}}
        layout[f"yaxis{axis}"] = {"domain": [bottom, top - 0.02 * unit_y], "anchor": f"x{axis}", "fixedrange": True,
                                  "tickfont": {"size": 10}, "gridcolor": "#eeeeee"}
        indicator = indicators.loc[indicator_id]
        unit = indicator["unit"]
        if unit == "rank":
            layout[f"yaxis{axis}"]["autorange"] = "reversed"  # a rank as a rank: 1st at the top
        part = rows[rows["indicator_id"] == indicator_id]
        for (series, period_type), line in part.groupby(["series", "period_type"], sort=False):
            line = line.sort_values("period")
            is_me = series == "institution"
            texts = [format_value(float(x), unit, q if is_me else "exact", lang) for x, q in zip(line["value"], line["qualifier"])]
            periods = [period_label(p, e, period_type, lang) for p, e in zip(line["period"], line["period_end"])]
            who = for_plotly(name) if is_me else (t("peer_median", lang) + (f"（{int(line['peers'].max())}）" if lang == "zh" else f" ({int(line['peers'].max())})"))
            data.append({
                "type": "scatter", "mode": "lines+markers", "x": line["period"].astype(int).tolist(), "y": line["value"].astype(float).tolist(),
                "xaxis": f"x{axis}", "yaxis": f"y{axis}", "showlegend": n == 0 and period_type == part["period_type"].iloc[0],
                "name": who, "legendgroup": series,
                "line": {"color": colour if is_me else MEDIAN_COLOUR, "width": 2.5 if is_me else 1.5, "dash": "solid" if is_me else "dash"},
                "marker": {"size": 6, "color": colour if is_me else MEDIAN_COLOUR,
                           "symbol": "diamond" if period_type == "academic_year" else "circle"},
                "customdata": [[who if is_me else t("peer_median", lang), text, period] for text, period in zip(texts, periods)],
                "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}<extra></extra>",
            })
        label = f"{indicator[name_col]}（{v('unit', unit, lang)}）" if lang == "zh" else f"{indicator[name_col]} ({v('unit', unit, lang)})"
        wrapped = wrap_label(for_plotly(label), 30)
        if r == 0:  # the first row's labels stand in the top margin, under the title
            first_row_lines = max(first_row_lines, wrapped.count("<br>") + 1)
        layout["annotations"].append({"text": wrapped, "x": x0, "xref": "paper", "xanchor": "left",
                                      "y": top, "yref": "paper", "yanchor": "bottom", "showarrow": False, "align": "left",
                                      "font": {"size": 11}})
    layout.update({
        "height": 60 + count * (panel_h + head) + 40 + 15 * (first_row_lines - 1), "showlegend": bool(shown),
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0, "xanchor": "left"},
        # The title (about 40 px) above the first row's labels (15 px a line): never over them.
        "margin": {"l": 40, "r": 10, "t": 49 + 15 * first_row_lines, "b": 60},
        "title": {"text": for_plotly(title), "x": 0, "xanchor": "left", "font": {"size": 15},
                  "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
        "font": {"family": FONT_FAMILY, "size": 13}, "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "plot_bgcolor": "white",
    })
    fig = go.Figure({"data": data, "layout": layout}, _validate=False)
    return with_story(fig, t("profile_trends_takeaway", lang, n=len(shown)))
