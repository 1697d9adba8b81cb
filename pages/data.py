import pandas as pd
import streamlit as st

from dashboard import exports, office, queries, transforms
from dashboard.i18n import t, v
from dashboard.shell import context
from dashboard import ui

DOWNLOAD_CAP = 200_000  # rows in one CSV download (about 60 MB); narrow the filters for more
XLSX_CAP = 50_000  # rows in one workbook: writing a styled sheet is far slower than a CSV

ctx = context()
lang = ctx.lang
ui.header(ctx, "page_data", "data_intro")

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

# Filtering, searching and paging happen in SQL: at national scale the filters can match
# over a million figures, which no browser table shows and no session should hold.
narrowed = (ctx.ref, ctx.filters, tuple(themes), tuple(picked), search)
total = queries.observation_count(*narrowed)
table = transforms.tidy_table(queries.observations_page(*narrowed, limit=ui.PAGE_ROWS), lang)
if total > len(table):
    st.caption(t("rows_first", lang, n=f"{total:,}", shown=f"{len(table):,}"))
else:
    st.caption(t("rows_shown", lang, n=total))
st.dataframe(table, hide_index=True, key="tidy", column_config={
    t("evidence", lang): st.column_config.TextColumn(width="large"),
})
if total <= XLSX_CAP:
    st.caption(t("download_all_rows", lang, n=f"{total:,}"))
else:
    csv_rows = t("download_all_rows_csv", lang, n=f"{total:,}") if total <= DOWNLOAD_CAP else t("download_capped", lang, cap=f"{DOWNLOAD_CAP:,}")
    st.caption(csv_rows + " " + t("download_xlsx_capped", lang, cap=f"{XLSX_CAP:,}"))
what = t("file_data", lang)
about = exports.data_about(ctx.filters, ctx.institutions, lang, themes=themes,
                           indicators=[names.get(x, x) for x in picked], search=search)
span = about[t("filter_period", lang)]
few_sources = queries.source_count(ctx.ref, ctx.filters) <= ui.PAGE_ROWS

# A deferred file is built when its button is clicked, in Streamlit's download thread (no
# st.* element calls in there), from every matching row up to its cap.


def _rows(limit: int) -> pd.DataFrame:
    return transforms.tidy_table(queries.observations_page(*narrowed, limit=limit), lang)


def _csv() -> bytes:
    return exports.csv_bytes(_rows(DOWNLOAD_CAP))


def _workbook() -> bytes:
    rows = _rows(XLSX_CAP)
    # Definitions of the indicators in its rows; its sources are those behind its rows, or,
    # for a small scope, every source under the filters (one that gave no figure included).
    in_rows = indicators[indicators["indicator_id"].isin(set(rows["indicator_id"]))]
    sources = (queries.sources_page(ctx.ref, ctx.filters, limit=ui.PAGE_ROWS) if few_sources
               else queries.sources_page(ctx.ref, ctx.filters, limit=XLSX_CAP, source_ids=tuple(sorted(set(rows["source_id"])))))
    return office.xlsx_bytes(rows, in_rows, sources, lang, t("xlsx_title", lang, span=span), about=about)


with st.container(horizontal=True):
    # When the table on screen holds every matching row, its CSV costs milliseconds: made
    # now, the bytes are there at the click. Only a larger CSV waits for the click.
    st.download_button(
        t("download_csv", lang), exports.csv_bytes(table) if total <= len(table) else _csv,
        file_name=exports.download_name(what, ctx.filters, "csv"),
        mime="text/csv", on_click="ignore", icon=":material/download:", key="download_csv",
    )
    st.download_button(
        t("download_xlsx", lang), _workbook, file_name=exports.download_name(what, ctx.filters, "xlsx"),
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
sources = queries.sources_page(ctx.ref, ctx.filters, limit=ui.PAGE_ROWS)
source_total = queries.source_count(ctx.ref, ctx.filters)
if source_total > len(sources):
    st.caption(t("rows_first", lang, n=f"{source_total:,}", shown=f"{len(sources):,}"))
st.dataframe(pd.DataFrame({
    t("institution", lang): sources["institution_en" if lang == "en" else "institution_zh"],
    t("source", lang): sources["title_en"].fillna(sources["title"]) if lang == "en" else sources["title"],
    t("period", lang): sources["period_label_en"].fillna(sources["period_label"]) if lang == "en" else sources["period_label"],
    t("published", lang): sources["published"].astype("string").fillna(t("unknown_date", lang)),
    t("document", lang): sources["document"],
    t("figures", lang): sources["figures"],
    t("award_rows", lang): sources["award_rows"],
}), hide_index=True, key="sources")
