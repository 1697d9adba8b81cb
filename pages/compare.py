import streamlit as st

from dashboard import charts, comparability, exports, office, palette, pickers, queries, transforms, ui
from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.shell import context

ctx = context()
lang = ctx.lang
ui.header(ctx, "page_compare", "compare_intro")
if ctx.scope.empty:
    st.info(t("no_match", lang))
    st.stop()

# .tolist(): stepping through thousands of Arrow-backed strings one by one is slow.
names = dict(zip(ctx.scope["institution_id"].tolist(), ctx.scope["name_en" if lang == "en" else "name_zh"].tolist()))
if "compare" not in st.session_state:
    from_url = [i for i in st.query_params.get_all("cmp") if i in names][:6]
    if from_url:
        st.session_state["compare"] = from_url
    else:
        # The default pair: of the colleges chosen in the sidebar (or the first few in
        # range), the two that share the most indicators like for like; said on the page.
        candidates = list(ctx.filters.institutions) or ctx.scope["institution_id"].tolist()[:ui.DISTRIBUTION_ABOVE]
        pair, like, shared = queries.default_pair(ctx.ref, Filters(
            institutions=tuple(candidates), period_from=ctx.filters.period_from, period_to=ctx.filters.period_to,
            kinds=ctx.filters.kinds))
        st.session_state["compare"] = pair
        st.session_state["compare_default"] = (tuple(pair), like, shared, len(candidates))
st.session_state["compare"] = [i for i in st.session_state["compare"] if i in names]
offered = pickers.options_for("compare", ctx.scope, lang)
chosen = st.multiselect(
    t("compare_pick", lang), offered, key="compare", max_selections=6,
    format_func=lambda value: names.get(value, value), persist_state="session", placeholder=t("mark_placeholder", lang),
)
st.query_params["cmp"] = chosen
default = st.session_state.get("compare_default")
if default and tuple(chosen) == default[0]:
    pair, like, shared, among = default
    key = "compare_default_like" if like else ("compare_default_shared" if shared else "compare_default_none")
    st.caption(t(key, lang, a=names.get(pair[0], pair[0]), b=names.get(pair[1], pair[1]) if len(pair) > 1 else "",
                 like=like, shared=shared, n=among))
if len(chosen) < 2:
    st.info(t("compare_need_two", lang))
    st.stop()

# Only the chosen institutions' figures: the scope may hold thousands.
of_chosen = Filters(
    institutions=tuple(chosen), period_from=ctx.filters.period_from, period_to=ctx.filters.period_to,
    kinds=ctx.filters.kinds,
)
obs = queries.observations(ctx.ref, of_chosen)
picked = ctx.scope.set_index("institution_id").loc[chosen].reset_index()

# Which period to compare in: by default each indicator in the latest period all the
# chosen colleges report; a year the user picks overrides it (kept in the URL).
offered = ["auto", *(str(year) for year in comparability.periods_on_offer(obs))]
if "compare_period" not in st.session_state:
    wanted = st.query_params.get("cmp_period", "auto")
    st.session_state["compare_period"] = wanted if wanted in offered else "auto"
if st.session_state["compare_period"] not in offered:
    st.session_state["compare_period"] = "auto"
picked_period = st.selectbox(
    t("compare_period", lang), offered, key="compare_period",
    format_func=lambda value: t("compare_period_auto", lang) if value == "auto" else t("compare_period_year", lang, year=value),
)
st.query_params["cmp_period"] = picked_period
period = None if picked_period == "auto" else int(picked_period)
sets = queries.comparison(ctx.ref, of_chosen, period)


def deck() -> bytes:
    # Built on click, in Streamlit's download thread: no st.* calls in here. Every
    # institution goes in as the name and colour list, so each keeps its on-screen colour.
    subtitle = exports.deck_subtitle(ctx.filters, ctx.institutions, lang, office.export_time_text(lang))
    return office.pptx_bytes(obs, chosen, ctx.institutions, lang, t("deck_title", lang), subtitle, period)


st.download_button(
    t("download_pptx", lang), deck, file_name=exports.download_name(t("file_compare", lang), ctx.filters, "pptx", (tuple(chosen), picked_period)),
    mime=office.PPTX_MIME, on_click="ignore", icon=":material/slideshow:", key="download_pptx",
    help=t("download_pptx_help", lang),
)

st.subheader(t("compare_shared", lang))
st.caption(t("compare_shared_help", lang))
table = transforms.compare_table(obs, chosen, ctx.scope, lang, period, sets)
if table.empty:
    st.info(t("compare_none_shared", lang))
else:
    ui.show_table(table, key="compare_table")
apart = transforms.not_compared(obs, chosen, lang, period, sets)
if not apart.empty:
    with st.expander(f"{t('compare_not_compared', lang)}（{len(apart)}）" if lang == "zh" else f"{t('compare_not_compared', lang)} ({len(apart)})"):
        st.caption(t("compare_not_compared_help", lang))
        ui.show_table(apart, key="compare_not_compared")

st.subheader(t("compare_normalised", lang))
st.caption(t("compare_normalised_help", lang) + " " + t("marks_legend", lang))
norm = transforms.describe(transforms.normalised(obs, chosen, period, sets), lang)
if norm.empty:
    st.info(t("compare_none_shared", lang))
else:
    span = f"{ctx.filters.period_from}–{ctx.filters.period_to}"
    title = f"{t('compare_normalised', lang)}（{span}）" if lang == "zh" else f"{t('compare_normalised', lang)} ({span})"
    # Colours in the order these colleges were picked, as in the deck.
    ui.chart(charts.normalised_bars(norm, picked, lang, palette.colours_for(chosen), title), "normalised")
