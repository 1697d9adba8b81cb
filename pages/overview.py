import streamlit as st

from dashboard import charts, queries, transforms, ui, urlstate
from dashboard.i18n import t, v
from dashboard.shell import context

ctx = context()
lang = ctx.lang
ui.header(ctx, "page_overview", "overview_intro")

counts = queries.scope_counts(ctx.ref, ctx.filters)
indicators = queries.indicators(ctx.ref)
first, second, third, fourth = st.columns(4)
first.metric(t("institutions", lang), f"{counts['institutions']:,}")
second.metric(t("sources", lang), f"{counts['sources']:,}")
third.metric(t("figures", lang), f"{counts['figures']:,}")
fourth.metric(
    t("award_items", lang), f"{counts['award_items']:,}",
    help=t("award_items_help", lang, rows=f"{counts['award_rows']:,}", person_times=f"{counts['award_person_times']:,}"),
)

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

grouped = len(ctx.scope) > ui.DISTRIBUTION_ABOVE
if grouped:
    # Too many for a bar, a table row or a heatmap column each: fold them by type.
    st.caption(t("grouped_note", lang, n=f"{len(ctx.scope):,}"))
    per_theme = queries.figures_per_theme_by(ctx.ref, ctx.filters, "type")
    per_theme = per_theme.assign(per_institution=per_theme["figures"] / per_theme["institutions"])
    ui.chart(charts.group_stack(
        per_theme, {key: f"{v('type', key, lang)}（{n:,}）" for key, n in zip(per_theme["group"], per_theme["institutions"])},
        "theme", {key: v("theme", key, lang) for key in charts.THEME_COLOURS}, charts.THEME_COLOURS,
        "per_institution", lang, t("figures_by_type", lang), t("per_institution", lang),
    ), "per_theme")
    st.subheader(t("headline_figures", lang))
    st.caption(t("headline_summary_help", lang))
    stats, _ = transforms.split_distribution(
        queries.distribution(ctx.ref, ctx.filters, tuple(transforms.HEADLINE_INDICATORS)))
    ui.show_table(transforms.headline_summary(stats, indicators, lang), key="headline")
else:
    obs = queries.observations(ctx.ref, ctx.filters)
    awards = queries.awards(ctx.ref, ctx.filters)
    ui.chart(charts.figures_per_theme(queries.figures_per_theme(ctx.ref, ctx.filters), ctx.scope, lang), "per_theme")
    st.subheader(t("headline_figures", lang))
    ui.marks_legend(ctx)
    ui.show_table(transforms.headline_table(obs, awards, ctx.scope, indicators, lang), key="headline")

st.subheader(t("completeness", lang))
st.caption(t("completeness_help", lang))
themes = list(transforms.THEMES)
urlstate.start("completeness_theme", "ctheme", urlstate.one_of(themes), "employment")
theme = st.segmented_control(
    t("theme_select", lang), themes, key="completeness_theme", required=True,
    format_func=lambda value: v("theme", value, lang), persist_state="session",
)
urlstate.write("ctheme", theme, "employment")
on_theme = indicators[indicators["theme"] == theme]
title = f"{t('completeness', lang)} · {v('theme', theme, lang)}"
if grouped:
    shares = queries.completeness_counts(ctx.ref, ctx.filters, theme)
    ui.chart(charts.completeness_shares(shares, on_theme, lang, title + (f"（{len(ctx.scope):,} 所）" if lang == "zh" else f" ({len(ctx.scope):,})")), "completeness")
else:
    grid = transforms.completeness(obs[obs["theme"] == theme], on_theme, ctx.scope)
    ui.chart(charts.completeness_heatmap(grid, on_theme, ctx.scope, lang, title), "completeness")

st.subheader(t("standard_coverage", lang))
st.caption(t("standard_coverage_help", lang))
coverage = queries.standard_coverage(ctx.ref, ctx.filters, "type" if grouped else "institution")
if coverage.empty:
    st.info(t("standard_none", lang))
else:
    ui.show_table(transforms.coverage_table(coverage, ctx.scope, lang, grouped), key="standard_coverage")
