import pandas as pd
import streamlit as st

from dashboard import exports, office, queries, transforms, urlstate
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
names = dict(zip(indicators["indicator_id"], indicators["name_en" if lang == "en" else "name_zh"]))
# Every control here is kept in the URL (?dtheme, dind, q, sort, desc, page) and read back.
urlstate.start("data_themes", "dtheme", urlstate.some_of(transforms.THEMES), [])
urlstate.start("data_indicators", "dind", urlstate.some_of(list(indicators["indicator_id"])), [])
urlstate.start("data_search", "q", urlstate.search_text, "", split=False)
urlstate.start("data_sort", "sort", urlstate.one_of(queries.DATA_SORTS), "default")
urlstate.start("data_descending", "desc", lambda values: values[:1] == ["1"] or None, False)
urlstate.start("data_page", "page", urlstate.position, 1)
left, middle, right = st.columns([1, 2, 2])
themes = left.multiselect(
    t("data_theme", lang), list(transforms.THEMES), key="data_themes", placeholder=t("all", lang),
    format_func=lambda value: v("theme", value, lang), persist_state="session",
)
in_themes = set(indicators.loc[indicators["theme"].isin(themes), "indicator_id"]) if themes else None
offered = [i for i in indicators["indicator_id"] if in_themes is None or i in in_themes]
st.session_state["data_indicators"] = [i for i in st.session_state.get("data_indicators", []) if i in set(offered)]
picked = middle.multiselect(
    t("data_indicator", lang), offered, key="data_indicators", placeholder=t("all", lang),
    format_func=lambda value: names.get(value, value), persist_state="session",
)
search = right.text_input(t("data_search", lang), key="data_search", persist_state="session", max_chars=urlstate.MAX_SEARCH).strip()

# Filtering, searching, sorting and paging happen in SQL over every matching row: at
# national scale the filters can match over a million figures, which no browser table
# shows and no session should hold.
narrowed = (ctx.ref, ctx.filters, tuple(themes), tuple(picked), search)
total = queries.observation_count(*narrowed)
pages = max(1, -(-total // ui.PAGE_ROWS))
sort_column, direction_column, page_column, _ = st.columns([2, 1, 1, 2], vertical_alignment="bottom")
sort = sort_column.selectbox(
    t("data_sort", lang), queries.DATA_SORTS, key="data_sort", format_func=lambda key: t(f"data_sort_{key}", lang),
    persist_state="session",
)
descending = direction_column.toggle(t("data_descending", lang), key="data_descending", persist_state="session",
                                     disabled=sort == "default")
st.session_state["data_page"] = min(max(1, int(st.session_state.get("data_page", 1))), pages)
page = page_column.number_input(t("data_page", lang, pages=f"{pages:,}"), min_value=1, max_value=pages, step=1,
                                key="data_page", persist_state="session")
urlstate.write("dtheme", themes)
urlstate.write("dind", picked)
urlstate.write("q", search)
urlstate.write("sort", sort, "default")
urlstate.write("desc", "1" if descending and sort != "default" else None)
urlstate.write("page", int(page), 1)
offset = (int(page) - 1) * ui.PAGE_ROWS
table = transforms.tidy_table(queries.observations_page(
    *narrowed, limit=ui.PAGE_ROWS, offset=offset, sort=sort, descending=bool(descending) and sort != "default"), lang)
if total > len(table):
    st.caption(t("rows_page", lang, n=f"{total:,}", first=f"{offset + 1:,}", last=f"{offset + len(table):,}"))
else:
    st.caption(t("rows_shown", lang, n=f"{total:,}"))
ui.show_table(table, key="tidy", column_config={
    t("evidence", lang): st.column_config.TextColumn(width="large"),
    t("value", lang): st.column_config.NumberColumn(format="localized"),
})
if total <= XLSX_CAP:
    st.caption(t("download_all_rows", lang, n=f"{total:,}"))
else:
    csv_rows = t("download_all_rows_csv", lang, n=f"{total:,}") if total <= DOWNLOAD_CAP else t("download_capped", lang, cap=f"{DOWNLOAD_CAP:,}")
    st.caption(csv_rows + " " + t("download_xlsx_capped", lang, cap=f"{XLSX_CAP:,}"))
what = t("file_data", lang)
# The page's own settings, for the file name: only those away from their defaults.
view = (tuple(themes), tuple(picked), search, sort if sort != "default" else "", bool(descending) and sort != "default")
about = exports.data_about(ctx.filters, ctx.institutions, lang, themes=themes,
                           indicators=[names.get(x, x) for x in picked], search=search)
span = about[t("filter_period", lang)]
few_sources = queries.source_count(ctx.ref, ctx.filters) <= ui.PAGE_ROWS

# A deferred file is built when its button is clicked, in Streamlit's download thread (no
# st.* element calls in there), from every matching row up to its cap.


def _rows(limit: int) -> pd.DataFrame:
    # Every matching row from the first, in the order on screen.
    return transforms.tidy_table(queries.observations_page(
        *narrowed, limit=limit, sort=sort, descending=bool(descending) and sort != "default"), lang)


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
        file_name=exports.download_name(what, ctx.filters, "csv", view),
        mime="text/csv", on_click="ignore", icon=":material/download:", key="download_csv",
    )
    st.download_button(
        t("download_xlsx", lang), _workbook, file_name=exports.download_name(what, ctx.filters, "xlsx", view),
        mime=office.XLSX_MIME, on_click="ignore", icon=":material/table_view:", key="download_xlsx",
        help=t("download_xlsx_help", lang),
    )

st.subheader(t("glossary", lang))
ui.show_table(pd.DataFrame({
    t("theme", lang): [v("theme", x, lang) for x in indicators["theme"]],
    t("indicator", lang): indicators["name_en" if lang == "en" else "name_zh"],
    t("unit", lang): [v("unit", x, lang) for x in indicators["unit"]],
    t("definition", lang): indicators["definition_en" if lang == "en" else "definition_zh"],
    t("higher_is_better", lang): [
        t("no_direction", lang) if pd.isna(x) else t("yes" if x else "no", lang) for x in indicators["higher_is_better"]
    ],
    t("comparable", lang): [t("yes" if x else "no", lang) for x in indicators["comparable"]],
    t("indicator_id", lang): indicators["indicator_id"],
}), key="glossary", column_config={
    t("definition", lang): st.column_config.TextColumn(width="large"),
})

st.subheader(t("source_list", lang))
sources = queries.sources_page(ctx.ref, ctx.filters, limit=ui.PAGE_ROWS)
source_total = queries.source_count(ctx.ref, ctx.filters)
if source_total > len(sources):
    st.caption(t("rows_first", lang, n=f"{source_total:,}", shown=f"{len(sources):,}"))
ui.show_table(pd.DataFrame({
    t("institution", lang): sources["institution_en" if lang == "en" else "institution_zh"],
    t("source", lang): sources["title_en"].fillna(sources["title"]) if lang == "en" else sources["title"],
    t("period", lang): sources["period_label_en"].fillna(sources["period_label"]) if lang == "en" else sources["period_label"],
    t("published", lang): sources["published"].astype("string").fillna(t("unknown_date", lang)),
    t("document", lang): sources["document"],
    t("figures", lang): sources["figures"],
    t("award_rows", lang): sources["award_rows"],
}), key="sources")
