import pandas as pd
import streamlit as st

from dashboard import exports, office, queries, transforms
from dashboard.i18n import t, v
from dashboard.shell import context
from dashboard import ui

ctx = context()
lang = ctx.lang
ui.header(ctx, "page_data", "data_intro")

obs = queries.observations(ctx.ref, ctx.filters)
indicators = queries.indicators(ctx.ref)
st.subheader(t("data_table", lang))
left, middle, right = st.columns([1, 2, 2])
themes = left.multiselect(
    t("data_theme", lang), list(transforms.THEMES), key="data_themes", placeholder=t("all", lang),
    format_func=lambda value: v("theme", value, lang), persist_state="session",
)
names = dict(zip(indicators["indicator_id"], indicators["name_en" if lang == "en" else "name_zh"]))
offered = [i for i in indicators["indicator_id"] if not themes or i in set(indicators.loc[indicators["theme"].isin(themes), "indicator_id"])]
picked = middle.multiselect(
    t("data_indicator", lang), offered, key="data_indicators", placeholder=t("all", lang),
    format_func=lambda value: names.get(value, value), persist_state="session",
)
search = right.text_input(t("data_search", lang), key="data_search", persist_state="session").strip()

shown = obs
if themes:
    shown = shown[shown["theme"].isin(themes)]
if picked:
    shown = shown[shown["indicator_id"].isin(picked)]
table = transforms.tidy_table(shown, lang)
if search:
    haystack = table.astype("string").fillna("").agg(" ".join, axis=1)
    table = table[haystack.str.contains(search, case=False, regex=False)]
st.caption(t("rows_shown", lang, n=len(table)))
st.dataframe(table, hide_index=True, key="tidy", column_config={
    t("evidence", lang): st.column_config.TextColumn(width="large"),
})
what = t("file_data", lang)
# The workbook's definitions cover the indicators in its rows; its sources are the list
# shown below, every source behind those rows included.
in_table = indicators[indicators["indicator_id"].isin(set(table["indicator_id"]))]
sources = queries.sources(ctx.ref, ctx.filters)
about = exports.data_about(ctx.filters, ctx.institutions, lang, themes=themes,
                           indicators=[names.get(x, x) for x in picked], search=search)
span = about[t("filter_period", lang)]


def workbook() -> bytes:
    # Built on click, in Streamlit's download thread: no st.* calls in here.
    return office.xlsx_bytes(table, in_table, sources, lang, t("xlsx_title", lang, span=span), about=about)


with st.container(horizontal=True):
    st.download_button(
        t("download_csv", lang), exports.csv_bytes(table), file_name=exports.download_name(what, ctx.filters, "csv"),
        mime="text/csv", on_click="ignore", icon=":material/download:", key="download_csv",
    )
    st.download_button(
        t("download_xlsx", lang), workbook, file_name=exports.download_name(what, ctx.filters, "xlsx"),
        mime=office.XLSX_MIME, on_click="ignore", icon=":material/table_view:", key="download_xlsx",
        help=t("download_xlsx_help", lang),
    )

st.subheader(t("glossary", lang))
st.dataframe(pd.DataFrame({
    t("theme", lang): [v("theme", x, lang) for x in indicators["theme"]],
    t("indicator", lang): indicators["name_en" if lang == "en" else "name_zh"],
    t("unit", lang): [v("unit", x, lang) for x in indicators["unit"]],
    t("definition", lang): indicators["definition_en" if lang == "en" else "definition_zh"],
    t("higher_is_better", lang): [
        t("no_direction", lang) if pd.isna(x) else t("yes" if x else "no", lang) for x in indicators["higher_is_better"]
    ],
    t("comparable", lang): [t("yes" if x else "no", lang) for x in indicators["comparable"]],
    "indicator_id": indicators["indicator_id"],
}), hide_index=True, key="glossary", column_config={
    t("definition", lang): st.column_config.TextColumn(width="large"),
})

st.subheader(t("source_list", lang))
st.dataframe(pd.DataFrame({
    t("institution", lang): sources["institution_en" if lang == "en" else "institution_zh"],
    t("source", lang): sources["title_en"].fillna(sources["title"]) if lang == "en" else sources["title"],
    t("period", lang): sources["period_label_en"].fillna(sources["period_label"]) if lang == "en" else sources["period_label"],
    t("published", lang): sources["published"].astype("string").fillna(t("unknown_date", lang)),
    t("document", lang): sources["document"],
    t("figures", lang): sources["figures"],
    t("award_rows", lang): sources["award_rows"],
}), hide_index=True, key="sources")
