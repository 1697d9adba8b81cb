import os
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import curate, queries, ui
from dashboard.i18n import t, v
from dashboard.shell import ROOT, context
from etl.extract import ExtractError, Options, extract_bytes, load_catalogue
from etl.spec import INSTITUTION_TYPES, PERIOD_TYPES, SOURCE_KINDS, THEMES, UNITS

ctx = context()
lang = ctx.lang
ui.header(ctx, "page_curate", "curate_intro")
state = st.session_state

# The shared reports sit beside the repository; VOCDASH_SOURCES points elsewhere.
shared = Path(os.environ.get("VOCDASH_SOURCES") or ROOT.parent / "shared" / "sources")
shared_files = sorted(p.name for p in shared.glob("*") if p.suffix.lower() in (".txt", ".docx", ".pdf")) if shared.is_dir() else []
modes = ["upload", "shared"] if shared_files else ["upload"]
mode = st.radio(t("curate_from", lang), modes, key="curate_mode", horizontal=True,
                format_func=lambda m: t(f"curate_from_{m}", lang))
raw, name = None, None
if mode == "upload":
    upload = st.file_uploader(t("curate_upload", lang, mb=curate.MAX_MB), type=["txt", "docx", "pdf", "doc"], key="curate_file")
    if upload is not None:
        raw, name = upload.getvalue(), upload.name  # in memory only; never written to disk
else:
    name = st.selectbox(t("curate_pick", lang), shared_files, key="curate_shared")
    raw = (shared / name).read_bytes() if name else None
if raw is None:
    st.caption(t("curate_nothing_written", lang))
    st.stop()
if len(raw) > curate.MAX_MB * 1024 * 1024:
    st.error(t("curate_too_big", lang, mb=curate.MAX_MB), icon=":material/block:")
    st.stop()

# Who and what the report is: an institution and a source, new ones described here.
reference = queries.upload_reference(ctx.ref)
names = dict(zip(ctx.institutions["institution_id"], ctx.institutions["name_en" if lang == "en" else "name_zh"]))
new = curate.NewRows()
left, right = st.columns(2)
with left:
    chosen = st.selectbox(t("curate_institution", lang), ["", *names], key="curate_institution",
                          format_func=lambda i: t("curate_new_institution", lang) if i == "" else f"{names[i]} ({i})")
    place = ctx.institutions.set_index("institution_id").loc[chosen] if chosen else None
    if not chosen:
        institution_id = st.text_input(t("curate_institution_id", lang), key="curate_new_iid").strip()
        a, b = st.columns(2)
        name_zh = a.text_input(t("curate_name_zh", lang), key="curate_new_name_zh")
        name_en = b.text_input(t("curate_name_en", lang), key="curate_new_name_en")
        kind = st.selectbox(t("curate_type", lang), INSTITUTION_TYPES, key="curate_new_type", format_func=lambda x: v("type", x, lang))
        a, b = st.columns(2)
        province, province_en = a.text_input(t("curate_province", lang), key="curate_new_province"), b.text_input(" ", key="curate_new_province_en")
        city, city_en = a.text_input(t("curate_city", lang), key="curate_new_city"), b.text_input("  ", key="curate_new_city_en")
        new.institutions.append(dict(institution_id=institution_id, name_zh=name_zh, name_en=name_en, type=kind, province=province,
                                     province_en=province_en, city=city, city_en=city_en, is_synthetic="false"))
    else:
        institution_id, province, city = chosen, place["province"], place["city"]
with right:
    source_id = st.text_input(t("curate_source_id", lang), key="curate_source_id").strip()
    period = st.selectbox(t("curate_period", lang), [None, *range(2030, 2009, -1)], key="curate_period",
                          format_func=lambda y: t("curate_auto", lang) if y is None else str(y))
    period_type = st.selectbox(t("curate_period_type", lang), [None, *PERIOD_TYPES], key="curate_period_type",
                               format_func=lambda p: t("curate_auto", lang) if p is None else v("period_type", p, lang))
    if source_id and source_id not in set(reference["sources"]["source_id"]):
        st.caption(t("curate_new_source", lang))
        title = st.text_input(t("curate_title", lang), key="curate_new_title", value=Path(name).stem)
        source_kind = st.selectbox(t("curate_kind", lang), SOURCE_KINDS, key="curate_new_kind", format_func=lambda x: v("source_kind", x, lang))
        label = st.text_input(t("curate_period_label", lang), key="curate_new_label", value=str(period or ""))
        new.sources.append(dict(source_id=source_id, institution_id=institution_id, title=title, kind=source_kind,
                                period_label=label, document=name, is_synthetic="false"))
if not (curate.slug_ok(institution_id) and curate.slug_ok(source_id)):
    st.info(t("curate_need_ids", lang))
    st.stop()


@st.cache_resource(max_entries=4, show_spinner=False)
def _catalogue(ref):
    indicators = queries.indicators(ref).astype(str).to_dict("records")
    return load_catalogue(None, indicators=indicators, observations=queries.indicator_evidence(ref).to_dict("records"))


options = Options(institution_id, source_id, period, period_type, str(province or ""), str(city or ""))
key = curate.report_key(raw, name, tuple(options.__dict__.values()))
if state.get("curate_key") != key:  # a new report or new options: new candidates
    try:
        extraction = extract_bytes(raw, name, options, _catalogue(ctx.ref))
    except ExtractError as error:
        st.error(str(error), icon=":material/block:")
        st.stop()
    state["curate_key"], state["curate_extraction"] = key, extraction
    for table in ("observations", "awards"):
        state[f"curate_{table}"] = curate.review_frame(extraction, table)
        state[f"curate_{table}_v"] = 0
    state.pop("curate_checked", None)
extraction = state["curate_extraction"]
st.success(t("curate_found", lang, obs=len(extraction.observations), awards=len(extraction.awards),
             period=f"{extraction.period or '?'} {v('period_type', extraction.period_type, lang)}"), icon=":material/search:")

with st.expander(t("curate_text", lang), expanded=False):
    with st.container(height=420):
        for line, markdown in curate.highlighted(extraction):
            st.markdown(f":gray[{t('curate_line', lang, line=line)}] {markdown}")

# The curator's decisions live in session state: each edit is folded into the stored
# table, and the editor is drawn afresh from it (a rerun or a language switch loses nothing).
indicator_ids = [*queries.indicators(ctx.ref)["indicator_id"], *(row["indicator_id"] for row in state.get("curate_new_indicators", []))]


def _fold(table: str, widget: str) -> None:
    state[f"curate_{table}"] = curate.apply_edits(state[f"curate_{table}"], state.get(widget))
    state[f"curate_{table}_v"] += 1
    state.pop("curate_checked", None)


def _bulk(table: str, accept: bool) -> None:
    frame = state[f"curate_{table}"]
    state[f"curate_{table}"] = curate.accept_suggested(frame, table) if accept else frame.assign(accept=False)
    state[f"curate_{table}_v"] += 1
    state.pop("curate_checked", None)


for table, label in (("observations", "curate_review_obs"), ("awards", "curate_review_awards")):
    st.subheader(t(label, lang), anchor=False)
    a, b, _ = st.columns([2, 2, 4])
    a.button(t("curate_accept_all", lang), key=f"curate_all_{table}", on_click=_bulk, args=(table, True), icon=":material/done_all:")
    b.button(t("curate_accept_none", lang), key=f"curate_none_{table}", on_click=_bulk, args=(table, False), icon=":material/remove_done:")
    widget = f"curate_editor_{table}_{state[f'curate_{table}_v']}"
    config = {
        "accept": st.column_config.CheckboxColumn(t("curate_accept", lang)),
        "confidence": st.column_config.ProgressColumn(t("curate_confidence", lang), min_value=0.0, max_value=1.0, format="%.2f"),
        "suggestions": st.column_config.TextColumn(t("curate_suggestions", lang), disabled=True),
        "line": st.column_config.NumberColumn(t("curate_line", lang, line="").strip(), disabled=True),
    }
    if table == "observations":
        config["indicator_id"] = st.column_config.SelectboxColumn("indicator_id", options=["", *indicator_ids])
    st.data_editor(state[f"curate_{table}"], key=widget, hide_index=True, column_config=config, num_rows="fixed",
                   on_change=_fold, args=(table, widget), height=360)

with st.expander(t("curate_new_indicator", lang)):
    with st.form("curate_indicator_form", clear_on_submit=True):
        a, b = st.columns(2)
        new_id = a.text_input(t("curate_indicator_id", lang))
        theme = b.selectbox(t("curate_theme", lang), THEMES, format_func=lambda x: v("theme", x, lang))
        name_zh, name_en = a.text_input(t("curate_name_zh", lang)), b.text_input(t("curate_name_en", lang))
        unit = a.selectbox(t("curate_unit", lang), UNITS, format_func=lambda x: v("unit", x, lang))
        definition_zh = st.text_area(t("curate_definition_zh", lang))
        definition_en = st.text_area(t("curate_definition_en", lang))
        if st.form_submit_button(t("curate_add_indicator", lang)) and curate.slug_ok(new_id.strip()):
            state.setdefault("curate_new_indicators", []).append(dict(
                indicator_id=new_id.strip(), theme=theme, name_zh=name_zh, name_en=name_en, unit=unit,
                definition_zh=definition_zh, definition_en=definition_en, higher_is_better="", comparable="true"))
            st.success(t("curate_indicator_added", lang, id=new_id.strip()))
new.indicators.extend(state.get("curate_new_indicators", []))

if st.button(t("curate_check", lang), type="primary", icon=":material/fact_check:", key="curate_check"):
    frames = {table: state[f"curate_{table}"] for table in ("observations", "awards")}
    existing = {table: queries.existing_keys(ctx.ref, table, (institution_id,)) for table in ("observations", "awards")}
    existing.update({table: queries.existing_keys(ctx.ref, table, ()) for table in ("institutions", "sources", "indicators")})
    state["curate_checked"] = curate.check(frames, reference, existing, new, queries.loaded_bases(ctx.ref))
checked = state.get("curate_checked")
if checked is not None:
    if checked.problems.empty and not checked.ok:
        st.info(t("curate_nothing_accepted", lang))
    elif not checked.problems.empty:
        st.error(t("curate_problems", lang, n=len(checked.problems)), icon=":material/error:")
        st.dataframe(checked.problems.rename(columns={
            "file": t("curate_file", lang), "row": t("validate_row", lang), "column": t("validate_column", lang),
            "reason": t("validate_reason", lang)}), hide_index=True, key="curate_problems")
    else:
        st.success(t("curate_ok", lang, obs=len(checked.rows["observations"]), awards=len(checked.rows["awards"])),
                   icon=":material/check_circle:")
        a, b = st.columns(2)
        stem = f"vocdash_{source_id}"
        a.download_button(t("curate_download_zip", lang), curate.zip_bytes(checked.rows), file_name=f"{stem}.zip",
                          mime="application/zip", on_click="ignore", key="curate_zip", icon=":material/folder_zip:")
        b.download_button(t("curate_download_xlsx", lang), curate.xlsx_bytes(checked.rows), file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                          key="curate_xlsx", icon=":material/table:")
st.caption(t("curate_nothing_written", lang))
