import pandas as pd
import streamlit as st

from dashboard import exports, queries, ui
from dashboard.i18n import t
from dashboard.shell import context
from dashboard.uploads import MAX_MB, MAX_ROWS, read_upload
from etl.spec import TABLES, TABLES_BY_NAME
from etl.validate import check_upload

ctx = context()
lang = ctx.lang
ui.header(ctx, "page_validate", "validate_intro")

names = [table.name for table in TABLES]
chosen = st.selectbox(
    t("validate_table", lang), ["auto", *names], key="validate_table", persist_state="session",
    format_func=lambda name: t("validate_auto", lang) if name == "auto" else f"{name}.csv",
)
with st.expander(t("validate_template", lang, file="…")):
    for table in TABLES:
        st.download_button(
            t("validate_template", lang, file=table.file_name),
            exports.csv_bytes(pd.DataFrame(columns=list(table.column_names))),
            file_name=table.file_name, mime="text/csv", on_click="ignore", key=f"template_{table.name}",
        )

upload = st.file_uploader(
    t("validate_upload", lang, mb=MAX_MB, rows=f"{MAX_ROWS:,}"), type=["csv", "xlsx"], key="validate_file",
)
if upload is None:
    st.stop()
try:
    # In memory only; never written to disk. The same read path as `python -m etl build`.
    read = read_upload(upload.getvalue(), upload.name, None if chosen == "auto" else chosen)
except Exception as error:  # a bug, never bad data: say so, never a traceback
    st.error(t("validate_internal_error", lang, error=type(error).__name__), icon=":material/error:")
    st.stop()
if read.refusal:
    key, values = read.refusal
    st.error(t(key, lang, **values), icon=":material/block:")
    st.stop()
frame, problems = read.frame, read.problems


def _detect(columns) -> str | None:
    required = {name: {c.name for c in table.columns if not c.optional} for name, table in TABLES_BY_NAME.items()}
    matches = [name for name, needed in required.items() if needed <= set(columns)]
    return max(matches, key=lambda name: len(required[name])) if matches else None


table_name = chosen
if frame is not None and chosen == "auto":
    table_name = _detect(frame.columns)
    if table_name is None:
        st.warning(t("validate_unknown_table", lang))
        st.stop()
    st.caption(t("validate_detected", lang, table=f"{table_name}.csv"))

notes = list(read.notes)
rows = None
if frame is not None and table_name != "auto":
    institutions = tuple(sorted(set(frame["institution_id"]))) if "institution_id" in frame.columns else ()
    try:
        rows, problems, checked = check_upload(
            table_name, frame, queries.upload_reference(ctx.ref),
            queries.existing_keys(ctx.ref, table_name, institutions), label=read.label,
            loaded_bases=queries.loaded_bases(ctx.ref) if table_name == "observations" else None,
        )
    except Exception as error:  # a bug, never bad data: say so, never a traceback
        st.error(t("validate_internal_error", lang, error=type(error).__name__), icon=":material/error:")
        st.stop()
    notes += checked

if problems:
    st.error(t("validate_problems", lang, n=len(problems), file=read.label), icon=":material/error:")
    ui.show_table(pd.DataFrame({
        t("validate_row", lang): [p.line or "" for p in problems],
        t("validate_column", lang): [p.column for p in problems],
        t("validate_reason", lang): [p.reason(lang) for p in problems],
    }), key="validate_problems")
elif rows is not None:
    st.success(t("validate_ok", lang, n=len(rows), file=f"{table_name}.csv"), icon=":material/check_circle:")
    ui.show_table(rows, key="validate_preview")
    st.download_button(
        t("validate_download_rows", lang), exports.csv_bytes(rows.astype("string").fillna("")),
        file_name=f"{table_name}.csv", mime="text/csv", on_click="ignore", key="validate_rows",
    )
if notes:
    st.info(t("validate_notes", lang) + ("：" if lang == "zh" else ": ") + ("；" if lang == "zh" else "; ").join(
        note.text(lang) for note in notes))
st.caption(t("validate_nothing_written", lang))
