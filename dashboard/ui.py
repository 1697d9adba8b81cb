"""Streamlit helpers the pages share: headers, charts, tables, theme sections."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from . import charts, queries, shell, transforms
from .i18n import t, v
from .safe_text import for_markdown
from .shell import Context


def header(ctx: Context, title_key: str, intro_key: str | None = None) -> None:
    st.title(t(title_key, ctx.lang))
    if intro_key:
        st.caption(t(intro_key, ctx.lang))


def chart(fig: go.Figure, key: str) -> None:
    """A figure with the PNG export set to 3× and named after its title; in presentation
    mode it joins the deck instead."""
    if shell.collect(fig, key):
        return
    title = fig.layout.title.text or key
    st.plotly_chart(fig, theme=None, key=key, config=charts.chart_config(title))


def marks_legend(ctx: Context) -> None:
    st.caption(t("marks_legend", ctx.lang) + " " + t("download_png_hint", ctx.lang))


def indicator_charts(ctx: Context, described: pd.DataFrame, indicator_ids, key: str, per_row: int = 2) -> None:
    """One bar chart per indicator, two to a row. An indicator no institution in scope
    reported gets a line saying so instead of an empty chart; indicators the warehouse
    lacks are skipped."""
    table = queries.indicators(ctx.ref).set_index("indicator_id")
    in_scope = set(ctx.scope["institution_id"])
    reported = set(described.loc[described["institution_id"].isin(in_scope), "indicator_id"]) if not described.empty else set()
    known = [i for i in indicator_ids if i in table.index and i in reported]
    silent = [i for i in indicator_ids if i in table.index and i not in reported]
    if silent:
        names = table.loc[silent, "name_en" if ctx.lang == "en" else "name_zh"]
        joined = ("、" if ctx.lang == "zh" else "; ").join(names)
        st.caption(t("none_reported", ctx.lang, names=for_markdown(joined)))
    for start in range(0, len(known), per_row):
        columns = st.columns(per_row)
        for column, indicator_id in zip(columns, known[start:start + per_row]):
            indicator = table.loc[indicator_id].copy()
            indicator["indicator_id"] = indicator_id
            with column:
                chart(charts.indicator_bars(described, indicator, ctx.scope, ctx.lang, ctx.colours), f"{key}_{indicator_id}")


def figures_table(ctx: Context, described: pd.DataFrame, key: str, height: int | None = None) -> None:
    """Figures as a table with source and evidence columns."""
    lang = ctx.lang
    frame = pd.DataFrame({
        t("institution", lang): described["institution"],
        t("indicator", lang): described["indicator"],
        t("period", lang): described["period_text"],
        t("value", lang): described["value_text"],
        t("kind", lang): described["kind_text"],
        t("qualifier", lang): described["qualifier_text"],
        t("source", lang): described["source"],
        t("evidence", lang): described["evidence"],
        t("notes", lang): described["notes"],
    })
    st.dataframe(frame, hide_index=True, key=key, height=height or "auto", column_config={
        t("evidence", lang): st.column_config.TextColumn(width="large"),
        t("source", lang): st.column_config.TextColumn(width="medium"),
    })


def theme_page(ctx: Context, theme: str, sections, extra_themes: tuple[str, ...] = ()) -> pd.DataFrame:
    """The body shared by the theme pages: charted sections, any-indicator chart, full table."""
    lang = ctx.lang
    obs = queries.observations(ctx.ref, ctx.filters, themes=(theme, *extra_themes))
    described = transforms.describe(obs, lang)
    if ctx.scope.empty:
        st.info(t("no_match", lang))
        return described
    marks_legend(ctx)
    for label_key, ids in sections:
        st.subheader(t(label_key, lang))
        indicator_charts(ctx, described, ids, key=f"{theme}_{label_key}")

    st.subheader(t("any_indicator", lang))
    table = queries.indicators(ctx.ref)
    on_theme = table[table["theme"] == theme]
    reported = on_theme[on_theme["indicator_id"].isin(set(obs["indicator_id"]))]
    choices = list(reported["indicator_id"]) or list(on_theme["indicator_id"])
    names = dict(zip(table["indicator_id"], table["name_en" if lang == "en" else "name_zh"]))
    if choices:
        picked = st.selectbox(
            t("indicator", lang), choices, key=f"pick_{theme}", persist_state="session",
            format_func=lambda value: names.get(value, value),
        )
        if picked:
            indicator_charts(ctx, described, [picked], key=f"{theme}_any", per_row=1)

    st.subheader(t("all_theme_figures", lang))
    shown = described[described["theme"] == theme] if not described.empty else described
    if shown.empty:
        st.info(t("no_figures", lang))
    else:
        figures_table(ctx, shown, key=f"table_{theme}")
    return described
