"""Figure builders: DataFrames in, Plotly Figures out. No Streamlit, no database.

Conventions every builder keeps:
- a value that is not exact carries its mark in the label (≈ approximate, > more than,
  ≥ at least); a target is drawn hatched and named as a target;
- a missing figure is never drawn as zero: the chart leaves a gap and says "未报告";
- hovering a bar shows the value, unit, period, qualifier and source title;
- titles state the unit and the period; fonts can draw Chinese.
"""
from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from .i18n import t, v

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
# Colour-blind-safe qualitative palette (Okabe–Ito, then Tableau for more).
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#4E79A7", "#F28E2B", "#59A14F", "#B07AA1", "#9C755F", "#76B7B2",
)
MISSING_COLOUR = "#8a8a8a"
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
    """One colour per institution, fixed by its place in the full list, so every page
    paints an institution alike."""
    return {iid: PALETTE[index % len(PALETTE)] for index, iid in enumerate(sorted(institution_ids))}


def chart_config(title: str) -> dict:
    """Plotly config: PNG export at 3× with a file name made from the chart title."""
    plain = re.sub(r"<[^>]+>", " ", title)
    stem = re.sub(r'[\\/:*?"<>|\s（）()，,、]+', "_", plain).strip("_") or "chart"
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": f"vocdash_{stem}"[:120], "scale": 3},
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }


def _layout(fig: go.Figure, title: str, height: int, **extra) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        font={"family": FONT_FAMILY, "size": 13},
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 30, "t": 56, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        **extra,
    )
    return fig


def _hover(lang: str, with_kind: bool = True) -> str:
    kind = "<br>" + ("类型" if lang == "zh" else "Kind") + "：%{customdata[5]}" if with_kind else ""
    if lang == "en":
        kind = kind.replace("：", ": ")
        return (
            "<b>%{customdata[0]}</b><br>Value: %{customdata[1]} (%{customdata[2]})"
            "<br>Period: %{customdata[3]}<br>Qualifier: %{customdata[4]}" + kind +
            "<br>Source: %{customdata[6]}<extra></extra>"
        )
    return (
        "<b>%{customdata[0]}</b><br>数值：%{customdata[1]}（%{customdata[2]}）"
        "<br>时期：%{customdata[3]}<br>限定：%{customdata[4]}" + kind +
        "<br>来源：%{customdata[6]}<extra></extra>"
    )


_HOVER_COLUMNS = ["institution", "value_text", "unit_text", "period_text", "qualifier_text", "kind_text", "source"]


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
        label = institution[name_col]
        if mine.empty:
            categories.append(label)
            missing.append(label)
            continue
        many = len(mine) > 1
        for _, figure in mine.iterrows():
            category = label
            if many:
                category = f"{label} · {figure['period_text']}"
                if figure["kind"] == "target":
                    category += f" · {figure['kind_text']}"
            categories.append(category)
            (target if figure["kind"] == "target" else actual).append((category, figure))

    fig = go.Figure()
    for series, is_target in ((actual, False), (target, True)):
        if not series:
            continue
        cats = [category for category, _ in series]
        figures = pd.DataFrame([figure for _, figure in series])
        colour = [colours.get(iid, PALETTE[0]) for iid in figures["institution_id"]]
        text = figures["value_text"].tolist()
        if is_target:
            text = [f"{t('legend_target', lang)} {value}" for value in text]
        fig.add_bar(
            x=figures["value"], y=cats, orientation="h",
            name=t("legend_target" if is_target else "legend_actual", lang),
            text=text, textposition="outside", cliponaxis=False,
            customdata=figures[_HOVER_COLUMNS].to_numpy(),
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
    x_range = [0, max(100.0, top * 1.25)] if indicator["unit"] == "percent" else [0, top * 1.3 or 1]
    fig.update_xaxes(range=x_range, title=v("unit", indicator["unit"], lang), rangemode="tozero", fixedrange=True)
    fig.update_yaxes(categoryorder="array", categoryarray=categories, autorange="reversed", automargin=True, fixedrange=True)
    return _layout(fig, indicator_title(indicator, shown, lang), height=90 + 34 * len(categories), barmode="group", showlegend=bool(target))


def count_bars(counts: pd.DataFrame, label_column: str, title: str, lang: str, colour: str = PALETTE[0]) -> go.Figure:
    """Simple counts (institutions by type or province)."""
    fig = go.Figure(go.Bar(
        x=counts["count"], y=counts[label_column], orientation="h", marker_color=colour,
        text=counts["count"], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True, fixedrange=True)
    fig.update_xaxes(rangemode="tozero", fixedrange=True, dtick=1)
    return _layout(fig, title, height=90 + 34 * max(len(counts), 1), showlegend=False)


def figures_per_theme(counts: pd.DataFrame, scope: pd.DataFrame, lang: str) -> go.Figure:
    """Stacked figures per theme for each institution; an institution with none says so."""
    name_col = "name_en" if lang == "en" else "name_zh"
    names = scope.set_index("institution_id")[name_col]
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
        z=z, x=[inst_names[i] for i in wide.columns], y=[ind_names.get(i, i) for i in wide.index],
        zmin=-0.5, zmax=n - 0.5, colorscale=scale, customdata=labels, xgap=2, ygap=2,
        hovertemplate="%{x}<br>%{y}<br><b>%{customdata}</b><extra></extra>",
        colorbar={
            "tickvals": list(range(n)), "ticktext": [v("status", s, lang) for s in STATUS_ORDER],
            "title": "", "len": min(1.0, 300 / max(300, 22 * len(wide.index))), "y": 1, "yanchor": "top",
        },
    ))
    fig.update_yaxes(autorange="reversed", automargin=True, fixedrange=True)
    fig.update_xaxes(side="top", automargin=True, fixedrange=True)
    return _layout(fig, title, height=140 + 22 * len(wide.index))


def award_stack(counted: pd.DataFrame, scope: pd.DataFrame, by: str, lang: str, title: str) -> go.Figure:
    """Counted awards per institution (a horizontal bar each), stacked by level, tier or
    recipient. An institution without award rows is labelled, not drawn as zero."""
    name_col = "name_en" if lang == "en" else "name_zh"
    names = scope.set_index("institution_id")[name_col]
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
            x=part["count"], y=part["institution_id"].map(names), orientation="h", name=label,
            marker_color=colour, text=part["count"], textposition="inside", insidetextanchor="middle",
            hovertemplate="%{y}<br>" + label + ": %{x}<extra></extra>",
        )
    reported = set(grouped["institution_id"]) if not grouped.empty else set()
    empty = [names[iid] for iid in scope["institution_id"] if iid not in reported]
    if empty:
        fig.add_scatter(
            x=[0] * len(empty), y=empty, mode="text", name=t("not_reported", lang),
            text=[t("not_reported", lang)] * len(empty), textposition="middle right",
            textfont={"color": MISSING_COLOUR}, hoverinfo="skip", showlegend=False,
        )
    fig.update_yaxes(categoryorder="array", categoryarray=list(names), autorange="reversed", automargin=True, fixedrange=True)
    fig.update_xaxes(rangemode="tozero", fixedrange=True)
    fig = _layout(fig, title, height=150 + 40 * len(names), barmode="stack")
    # Legends of five entries wrap; below the plot they never cover the title.
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0}, margin={"b": 70})
    return fig


def score_bars(scores: pd.DataFrame, scope: pd.DataFrame, lang: str, colours: dict[str, str], title: str) -> go.Figure:
    """Weighted award score per institution; no award rows means no bar, not zero."""
    name_col = "name_en" if lang == "en" else "name_zh"
    merged = scope[["institution_id", name_col]].merge(scores, on="institution_id", how="left")
    has = merged[merged["score"].notna()]
    fig = go.Figure()
    fig.add_bar(
        x=has["score"], y=has[name_col], orientation="h",
        marker_color=[colours.get(i, PALETTE[0]) for i in has["institution_id"]],
        text=[f"{s:,.1f}" for s in has["score"]], textposition="outside", cliponaxis=False,
        name=t("score", lang), hovertemplate="%{y}<br>" + t("score", lang) + ": %{x:,.1f}<extra></extra>",
    )
    gaps = merged[merged["score"].isna()]
    if not gaps.empty:
        fig.add_scatter(
            x=[0] * len(gaps), y=gaps[name_col], mode="text", name=t("not_reported", lang),
            text=[t("not_reported", lang)] * len(gaps), textposition="middle right",
            textfont={"color": MISSING_COLOUR}, hoverinfo="skip", showlegend=False,
        )
    top = float(has["score"].max()) if not has.empty else 1.0
    fig.update_xaxes(range=[0, top * 1.2 or 1], fixedrange=True, title=t("score", lang))
    fig.update_yaxes(categoryorder="array", categoryarray=list(merged[name_col]), autorange="reversed", automargin=True, fixedrange=True)
    return _layout(fig, title, height=100 + 36 * len(merged), showlegend=False)


def normalised_bars(norm: pd.DataFrame, chosen: pd.DataFrame, lang: str, colours: dict[str, str], title: str) -> go.Figure:
    """Grouped bars: comparable indicators on the x axis, one bar per chosen institution,
    scaled so the best is 1. A missing figure leaves a gap."""
    name_col = "name_en" if lang == "en" else "name_zh"
    indicator_order = list(dict.fromkeys(norm["indicator"])) if not norm.empty else []
    fig = go.Figure()
    for _, institution in chosen.iterrows():
        mine = norm[norm["institution_id"] == institution["institution_id"]]
        fig.add_bar(
            x=mine["indicator"], y=mine["scaled"], name=institution[name_col],
            marker_color=colours.get(institution["institution_id"], PALETTE[0]),
            text=mine["value_text"], textposition="outside", cliponaxis=False,
            customdata=mine[_HOVER_COLUMNS].to_numpy() if not mine.empty else None,
            hovertemplate=_hover(lang),
        )
    fig.update_xaxes(categoryorder="array", categoryarray=indicator_order, automargin=True, fixedrange=True, tickangle=-30)
    fig.update_yaxes(range=[0, 1.25], title=t("scaled_value", lang), fixedrange=True)
    return _layout(fig, title, height=480, barmode="group")
