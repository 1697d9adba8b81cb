import pandas as pd
import streamlit as st

from dashboard import charts, pickers, queries, transforms, ui
from dashboard.filters import Filters
from dashboard.i18n import t, v
from dashboard.safe_text import for_markdown as md
from dashboard.shell import context

ctx = context()
lang = ctx.lang
ui.header(ctx, "page_profile")
if ctx.scope.empty:
    st.info(t("no_match", lang))
    st.stop()

names = dict(zip(ctx.scope["institution_id"].tolist(), ctx.scope["name_en" if lang == "en" else "name_zh"].tolist()))
if "profile" not in st.session_state:
    wanted = st.query_params.get("id")
    st.session_state["profile"] = wanted if wanted in names else next(iter(names))
if st.session_state["profile"] not in names:
    st.session_state["profile"] = next(iter(names))
offered = pickers.options_for("profile", ctx.scope, lang)
institution_id = st.selectbox(
    t("profile_pick", lang), offered, key="profile", format_func=names.get, persist_state="session",
)
st.query_params["id"] = institution_id
me = ctx.scope.set_index("institution_id").loc[institution_id]

st.header(md(me["name_en" if lang == "en" else "name_zh"]))
facts = [
    f"{t('type', lang)}：{v('type', me['type'], lang)}" if lang == "zh" else f"{t('type', lang)}: {v('type', me['type'], lang)}",
    (f"{t('province', lang)}：{md(me['province'])} · {t('city', lang)}：{md(me['city'])}" if lang == "zh"
     else f"{t('province', lang)}: {md(me['province_en'])} · {t('city', lang)}: {md(me['city_en'])}"),
]
alt = me["alt_name_en" if lang == "en" else "alt_name_zh"]
if pd.notna(alt) and alt:
    second = f"（{v('type', me['secondary_type'], lang)}）" if pd.notna(me["secondary_type"]) else ""
    facts.append(f"{t('also_known_as', lang)}：{md(alt)}{second}" if lang == "zh" else f"{t('also_known_as', lang)}: {md(alt)}{second}")
st.markdown("  \n".join(facts))

only_me = Filters(
    institutions=(institution_id,), period_from=ctx.filters.period_from, period_to=ctx.filters.period_to,
    kinds=ctx.filters.kinds,
)
st.subheader(t("profile_trends", lang))
trends = queries.profile_trends(ctx.ref, ctx.filters, institution_id)
if trends.empty:
    st.caption(t("profile_trends_none", lang))
else:
    st.caption(t("profile_trends_help", lang))
    title = f"{me['name_en' if lang == 'en' else 'name_zh']}：{t('profile_trends', lang)}" if lang == "zh" else f"{me['name_en']}: {t('profile_trends', lang)}"
    ui.chart(charts.profile_trends(trends, queries.indicators(ctx.ref).set_index("indicator_id"), lang,
                                   ctx.colours.get(institution_id, charts.PALETTE[0]), me["name_en" if lang == "en" else "name_zh"], title),
             "profile_trends")

st.subheader(t("profile_sources", lang))
sources = queries.sources(ctx.ref, only_me)
ui.show_table(pd.DataFrame({
    t("source", lang): sources["title_en"].fillna(sources["title"]) if lang == "en" else sources["title"],
    t("type", lang): [v("source_kind", kind, lang) for kind in sources["kind"]],
    t("period", lang): sources["period_label_en"].fillna(sources["period_label"]) if lang == "en" else sources["period_label"],
    t("published", lang): sources["published"].astype("string").fillna(t("unknown_date", lang)),
    t("document", lang): sources["document"],
    t("figures", lang): sources["figures"],
    t("award_rows", lang): sources["award_rows"],
    t("notes", lang): sources["notes"],
}), key="profile_sources")

obs = transforms.describe(queries.observations(ctx.ref, only_me), lang)
awards = queries.awards(ctx.ref, only_me)
st.subheader(t("profile_figures", lang))
if obs.empty and awards.empty:
    st.warning(t("profile_no_figures", lang), icon=":material/info:")
else:
    ui.marks_legend(ctx)
    themes = [theme for theme in transforms.THEMES if theme in set(obs["theme"])]
    if themes:
        tabs = st.tabs([f"{v('theme', theme, lang)}（{(obs['theme'] == theme).sum()}）" for theme in themes])
        for tab, theme in zip(tabs, themes):
            with tab:
                ui.figures_table(ctx, obs[obs["theme"] == theme], key=f"profile_{theme}")

conflicts = int(awards["conflict"].fillna("").ne("").sum()) + (int(obs["conflict"].fillna("").ne("").sum()) if not obs.empty else 0)
if conflicts:
    st.warning(t("profile_conflicts", lang, n=conflicts), icon=":material/warning:")
st.subheader(t("profile_competitions", lang))
won = transforms.competitions(awards)
if won.empty:
    st.info(t("not_reported_long", lang))
else:
    ui.show_table(transforms.awards_table(won, lang, with_institution=False), key="profile_awards")
honoured = transforms.honours(awards)
if not honoured.empty:
    st.subheader(t("profile_honours", lang))
    ui.show_table(transforms.awards_table(honoured, lang, with_institution=False), key="profile_honours")
