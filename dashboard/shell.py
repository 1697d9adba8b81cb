"""The app shell: language switch, shared sidebar filters kept in the URL, page list, and
the page shown when the warehouse is missing or unreadable."""
from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from . import filters as flt
from . import queries
from .charts import institution_colours
from .db import WarehouseRef, WarehouseUnavailable, current_ref
from .i18n import DEFAULT_LANGUAGE, LANGUAGES, t, v

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
KIND_CHOICES = ("both", "actual", "target")
ROOT = Path(__file__).resolve().parent.parent
_STARTED = "_vocdash_started"
_MANAGED = (flt.P_LANG, flt.P_TYPE, flt.P_PROVINCE, flt.P_INSTITUTION, flt.P_FROM, flt.P_TO, flt.P_KIND)

PAGES = (
    ("overview", "page_overview", ":material/dashboard:"),
    ("employment", "page_employment", ":material/work:"),
    ("training", "page_training", ":material/school:"),
    ("competition", "page_competition", ":material/emoji_events:"),
    ("party_building", "page_party_building", ":material/flag:"),
    ("compare", "page_compare", ":material/compare_arrows:"),
    ("profile", "page_profile", ":material/apartment:"),
    ("data", "page_data", ":material/table_view:"),
)


@dataclass
class Context:
    """What every page needs, prepared once per run by the shell."""

    ref: WarehouseRef
    options: flt.Options
    filters: flt.Filters
    lang: str
    scope: pd.DataFrame  # institutions the filters allow, in display order
    institutions: pd.DataFrame  # every institution
    colours: dict[str, str]


_current = threading.local()


@contextlib.contextmanager
def serving(ctx: Context):
    """Make ctx the context of the page that app.py runs inside this block."""
    _current.context = ctx
    try:
        yield ctx
    finally:
        _current.context = None


def context() -> Context:
    """The context app.py prepared for this very run.

    With a pages/ folder beside app.py, Streamlit may run a page script directly, without
    app.py: the first session after start-up when it opens a deep link (/employment), and
    every AppTest rerun. Then no context is being served: run app.py here instead, which
    declares the navigation (ending that legacy mode) and runs this page properly.
    """
    ctx = getattr(_current, "context", None)
    if ctx is None:
        main()
        st.stop()
    return ctx


def main() -> None:
    """The app: page config, language, warehouse check, navigation, filters, the page.

    Runs under the entrypoint's script hash whoever calls it (app.py, or a page script
    Streamlit ran directly), so the sidebar widgets keep one identity across reruns.
    """
    script = get_script_run_ctx()
    entrypoint = script.run_with_active_hash(script.pages_manager.main_script_hash) if script else contextlib.nullcontext()
    with entrypoint:
        st.set_page_config(page_title="VocDash 职业院校对比看板", page_icon=":material/insights:", layout="wide")
        lang = language()
        try:
            ref = current_ref()
            options = queries.options(ref)
        except WarehouseUnavailable as error:
            warehouse_unavailable(error, lang)
            return
        page = st.navigation(pages(lang))
        try:
            with serving(sidebar_filters(ref, options, lang)):
                page.run()
        except WarehouseUnavailable as error:
            warehouse_unavailable(error, lang)


def language() -> str:
    """The language switch, first in the sidebar; read from the URL on a session's first run."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = flt.parse_language(st.query_params)
    with st.sidebar:
        st.segmented_control(
            ":material/translate: 语言 / Language", LANGUAGES, key="lang", required=True,
            format_func=LANGUAGE_NAMES.get,
        )
    return st.session_state.get("lang") or DEFAULT_LANGUAGE


def pages(lang: str) -> list:
    return [
        st.Page(ROOT / "pages" / f"{name}.py", title=t(key, lang), icon=icon, url_path=name, default=(name == "overview"))
        for name, key, icon in PAGES
    ]


def warehouse_unavailable(error: WarehouseUnavailable, lang: str) -> None:
    """A clear page instead of a traceback, saying how to build the warehouse."""
    st.title(t("app_title", lang))
    st.error(t("wh_missing_title" if error.kind == "missing" else "wh_broken_title", lang), icon=":material/error:")
    st.write(t("wh_how_to_build", lang))
    st.code("make warehouse\n# or: python -m etl build --data-dir data/curated --db " + error.path, language="bash")
    st.caption(f"{t('wh_path', lang)}: `{error.path}`" + (f" · {t('wh_detail', lang)}: {error.detail}" if error.detail else ""))


def _start_from_url(options: flt.Options) -> None:
    """On a session's first run, set the filter widgets from the URL."""
    if st.session_state.get(_STARTED):
        return
    parsed = flt.parse(st.query_params, options)
    st.session_state["f_type"] = list(parsed.types)
    st.session_state["f_province"] = list(parsed.provinces)
    st.session_state["f_institutions"] = list(parsed.institutions)
    st.session_state["f_period"] = (parsed.period_from or options.first_year, parsed.period_to or options.last_year)
    st.session_state["f_kind"] = "both" if len(parsed.kinds) == 2 else parsed.kinds[0]
    st.session_state[_STARTED] = True


def _reset(options: flt.Options) -> None:
    st.session_state["f_type"] = []
    st.session_state["f_province"] = []
    st.session_state["f_institutions"] = []
    st.session_state["f_period"] = (options.first_year, options.last_year)
    st.session_state["f_kind"] = "both"


def _sync_url(params: dict) -> None:
    """Write the shared filters into the URL, leaving page-specific parameters alone."""
    for key in _MANAGED:
        wanted = params.get(key)
        if wanted is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get_all(key) != (wanted if isinstance(wanted, list) else [wanted]):
            st.query_params[key] = wanted


def sidebar_filters(ref: WarehouseRef, options: flt.Options, lang: str) -> Context:
    """Render the shared filters; return the page context."""
    _start_from_url(options)
    everyone = queries.institutions(ref)
    province_names = dict(zip(everyone["province"], everyone["province_en" if lang == "en" else "province"]))
    with st.sidebar:
        st.header(t("filters", lang), divider="gray")
        types = st.multiselect(
            t("filter_type", lang), options.types, key="f_type", placeholder=t("all", lang),
            format_func=lambda value: v("type", value, lang),
        )
        provinces = st.multiselect(
            t("filter_province", lang), options.provinces, key="f_province", placeholder=t("all", lang),
            format_func=lambda value: province_names.get(value, value),
        )
        allowed = everyone
        if types:
            allowed = allowed[allowed["type"].isin(types)]
        if provinces:
            allowed = allowed[allowed["province"].isin(provinces)]
        allowed_ids = list(allowed["institution_id"])
        names = dict(zip(everyone["institution_id"], everyone["name_en" if lang == "en" else "name_zh"]))
        st.session_state["f_institutions"] = [i for i in st.session_state.get("f_institutions", []) if i in set(allowed_ids)]
        chosen = st.multiselect(
            t("filter_institutions", lang), allowed_ids, key="f_institutions", placeholder=t("all", lang),
            format_func=lambda value: names.get(value, value), help=t("filter_institutions_help", lang),
        )
        if options.first_year < options.last_year:
            # The default declares a range slider, so reruns read back a (from, to) pair.
            period = st.select_slider(
                t("filter_period", lang), options=list(range(options.first_year, options.last_year + 1)),
                value=(options.first_year, options.last_year), key="f_period",
            )
        else:
            period = (options.first_year, options.last_year)
        kind_choice = st.segmented_control(
            t("filter_kind", lang), KIND_CHOICES, key="f_kind", required=True,
            format_func=lambda value: t("all", lang) if value == "both" else v("kind", value, lang),
        )
        st.button(t("reset_filters", lang), on_click=_reset, args=(options,), icon=":material/restart_alt:")
        st.caption(t("link_hint", lang))
        info = queries.build_info(ref)
        if info.get("built_at"):
            st.caption(f"{t('data_built', lang)}: {info['built_at'].replace('T', ' ').replace('+00:00', ' UTC')}")

    chosen_filters = flt.Filters(
        types=tuple(types),
        provinces=tuple(provinces),
        institutions=tuple(chosen),
        period_from=int(period[0]),
        period_to=int(period[1]),
        kinds=flt.KINDS if kind_choice in (None, "both") else (kind_choice,),
    )
    _sync_url(flt.to_params(chosen_filters, lang, options))
    scope = queries.institutions_in_scope(ref, chosen_filters)
    return Context(
        ref=ref, options=options, filters=chosen_filters, lang=lang, scope=scope,
        institutions=everyone, colours=institution_colours(everyone["institution_id"]),
    )
