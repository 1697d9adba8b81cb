import pandas as pd
import streamlit as st

from dashboard import charts, queries, transforms, ui
from dashboard.i18n import name_column, t, v
from dashboard.shell import context

ctx = context()
lang = ctx.lang
ui.header(ctx, "page_overview", "overview_intro")

obs = queries.observations(ctx.ref, ctx.filters)
awards = queries.awards(ctx.ref, ctx.filters)
sources = queries.sources(ctx.ref, ctx.filters)
indicators = queries.indicators(ctx.ref)

first, second, third, fourth = st.columns(4)
first.metric(t("institutions", lang), len(ctx.scope))
second.metric(t("sources", lang), len(sources))
third.metric(t("figures", lang), len(obs))
fourth.metric(t("award_rows", lang), len(awards))

if ctx.scope.empty:
    st.info(t("no_match", lang))
    st.stop()

left, right = st.columns(2)
by_type = ctx.scope.groupby("type").size().reset_index(name="count")
by_type["label"] = [v("type", value, lang) for value in by_type["type"]]
with left:
    ui.chart(charts.count_bars(by_type, "label", t("by_type", lang) + ("（所）" if lang == "zh" else " (count)"), lang), "by_type")
by_province = ctx.scope.groupby(["province", "province_en"]).size().reset_index(name="count")
by_province["label"] = by_province["province_en" if lang == "en" else "province"]
with right:
    ui.chart(charts.count_bars(by_province, "label", t("by_province", lang) + ("（所）" if lang == "zh" else " (count)"), lang, colour="#009E73"), "by_province")

ui.chart(charts.figures_per_theme(queries.figures_per_theme(ctx.ref, ctx.filters), ctx.scope, lang), "per_theme")

st.subheader(t("headline_figures", lang))
ui.marks_legend(ctx)
st.dataframe(transforms.headline_table(obs, awards, ctx.scope, indicators, lang), hide_index=True, key="headline")

st.subheader(t("completeness", lang))
st.caption(t("completeness_help", lang))
themes = list(transforms.THEMES)
theme = st.segmented_control(
    t("theme_select", lang), themes, default="employment", key="completeness_theme", required=True,
    format_func=lambda value: v("theme", value, lang), persist_state="session",
)
on_theme = indicators[indicators["theme"] == theme]
grid = transforms.completeness(obs[obs["theme"] == theme], on_theme, ctx.scope)
title = f"{t('completeness', lang)} · {v('theme', theme, lang)}"
ui.chart(charts.completeness_heatmap(grid, on_theme, ctx.scope, lang, title), "completeness")
