"""The app shell: language switch, shared sidebar filters kept in the URL, page list, and
the page shown when the warehouse is missing or unreadable."""
from __future__ import annotations

import contextlib
import gc
import hashlib
import html
import json
import os
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from . import access, pickers, queries
from . import filters as flt
from .charts import chart_config, drawn_points, for_slide, institution_colours, split_rows, story
from .db import WarehouseRef, WarehouseUnavailable, current_ref
from .i18n import DEFAULT_LANGUAGE, LANGUAGES, t, v
from .office import export_time_text
from .palette import selection_first
from .safe_text import for_markdown

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
KIND_CHOICES = ("both", "actual", "target")
ROOT = Path(__file__).resolve().parent.parent
# The tab icon, served by the app itself: a Material icon name would make the browser fetch
# it from Google's font server on every run, which fails offline and on an intranet.
ICON = Path(__file__).resolve().parent / "static" / "favicon.png"
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
    ("validate", "page_validate", ":material/fact_check:"),
    ("curate", "page_curate", ":material/edit_note:"),
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
    # Institutions the type and province filters allow (the institutions pick aside): the
    # population a theme page's distributions are drawn over.
    field: pd.DataFrame | None = None


_current = threading.local()


@contextlib.contextmanager
def serving(ctx: Context, *, presenting: bool = False):
    """Make ctx the context of the page run inside this block. When presenting, the
    page's charts are collected into a deck instead of drawn."""
    _current.context = ctx
    _current.deck = [] if presenting else None
    try:
        yield ctx
    finally:
        _current.context = None
        _current.deck = None


def collect(fig, key: str) -> bool:
    """In presentation mode, keep the chart for the deck and return True (do not draw)."""
    deck = getattr(_current, "deck", None)
    if deck is None:
        return False
    deck.append((fig, key))
    return True


def _presenting_requested() -> bool:
    if "present" in st.session_state:
        return bool(st.session_state["present"])
    return st.query_params.get("present") == "1"


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
    """The app: page config, access gate, language, warehouse check, navigation, filters,
    the page.

    Runs under the entrypoint's script hash whoever calls it (app.py, or a page script
    Streamlit ran directly), so the sidebar widgets keep one identity across reruns.
    """
    script = get_script_run_ctx()
    entrypoint = script.run_with_active_hash(script.pages_manager.main_script_hash) if script else contextlib.nullcontext()
    with entrypoint:
        presenting = _presenting_requested()
        st.set_page_config(
            page_title="VocDash 职业院校对比看板", page_icon=str(ICON), layout="wide",
            initial_sidebar_state="collapsed" if presenting else "auto",
        )
        wanted_lang = st.session_state.get("lang") or flt.parse_language(st.query_params)
        if not access.gate(wanted_lang):
            # Signed out: the sign-in form only. The pages are declared (so a deep link
            # survives signing in) but hidden and never run; nothing has read the warehouse.
            st.navigation(pages(wanted_lang), position="hidden")
            return
        lang = language()
        try:
            ref = current_ref()
            options = queries.options(ref)
        except WarehouseUnavailable as error:
            warehouse_unavailable(error, lang)
            return
        page = st.navigation(pages(lang))
        try:
            ctx = sidebar_filters(ref, options, lang)
            presenting = presentation_switch(lang)
            if not presenting:
                # Streamlit's own running indicator is a small icon in the top corner; a
                # rerun of a second or two otherwise shows only faded content. A spinner
                # shows after half a second of running, above the page.
                with serving(ctx), st.spinner(t("loading", lang), show_time=True):
                    page.run()
                _freeze_once()
                return
            # A page that calls st.stop() (校验 before an upload) ends the whole run: nothing
            # can be drawn after it. So an exit button goes up first; a page that runs to
            # its end replaces it with the slides and their own bar.
            early_exit = st.empty()
            early_exit.button(t("present_exit", lang), on_click=_leave_presentation, icon=":material/close:",
                              key="present_exit_early")
            holder = st.empty()
            with serving(ctx, presenting=True):
                with holder.container():
                    page.run()
                deck = list(_current.deck)
            early_exit.empty()
            holder.empty()
            present(deck, page.title, lang)  # with no chart: says so, with the exit button
        except WarehouseUnavailable as error:
            warehouse_unavailable(error, lang)


_FROZEN = False


def _freeze_once() -> None:
    """After the first full run in this server process, move everything alive (modules,
    caches, the warehouse connection) out of the garbage collector's sight: Streamlit runs
    a full collection after every script run, and walking those objects each time was
    25–57 % of a warm rerun's CPU (docs/benchmarks.md measures it). VOCDASH_GC_FREEZE=0
    leaves it off, for that measurement."""
    global _FROZEN
    if _FROZEN or os.environ.get("VOCDASH_GC_FREEZE", "1") == "0":
        return
    _FROZEN = True
    gc.collect()
    gc.freeze()


# Presentation mode fills the screen, whatever its size: the page is one screen tall, the
# chart stretches into what the controls, takeaway and sources leave (st.plotly_chart
# height="stretch"), and charts with more rows than a slide holds are split over slides
# (charts.split_rows), so every slide fits 1366x768 and 1920x1080 with its controls.
PRESENTATION_CSS = """<style>
html { font-size: 17px; }
[data-testid="stMainBlockContainer"] { max-width: 100%; height: 100vh; box-sizing: border-box; display: flex; flex-direction: column;
  padding: 0.5rem 2.5rem 0.6rem 3.2rem; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { flex: 1 1 auto; min-height: 0; gap: 0.5rem; }
[data-testid="stHeader"] { background: transparent; height: 2.5rem; }
/* The header lies over the slide's control bar: clicks pass through it except on its own buttons. */
[data-testid="stHeader"], [data-testid="stHeader"] > div { pointer-events: none; }
[data-testid="stHeader"] button, [data-testid="stHeader"] a, [data-testid="stHeader"] [role="button"] { pointer-events: auto; }
/* Keyed containers sit in a layout wrapper: the wrapper is the flex item that must grow or keep its size. */
.st-key-present_chart, [data-testid="stLayoutWrapper"]:has(> .st-key-present_chart) { flex: 1 1 auto; min-height: 0; }
.st-key-present_bar, .st-key-present_story,
[data-testid="stLayoutWrapper"]:has(> .st-key-present_bar), [data-testid="stLayoutWrapper"]:has(> .st-key-present_story) { flex: 0 0 auto; }
.st-key-present_story h3 { font-size: 1.35rem; padding: 0; margin: 0; line-height: 1.35; }
.st-key-present_story [data-testid="stCaptionContainer"] p { font-size: 0.85rem; margin: 0;
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.st-key-present_bar p { margin: 0; }
/* Streamlit pulls text up with a -1rem bottom margin: a slide measures its text as it is. */
.st-key-present_story [data-testid="stMarkdownContainer"], .st-key-present_story [data-testid="stCaptionContainer"] { margin-bottom: 0; }
</style>"""

# Paging from the keyboard and from a presenter's clicker (which sends PageDown/PageUp or the
# arrow keys): the keys click the Previous/Next buttons, so paging runs the same callback as
# a click. Installed once into the page; it does nothing where those buttons are absent and
# leaves keys alone while the focus is in a text field. A fixed script: no data goes into it.
PRESENTATION_KEYS = """<script>
(function () {
  if (window.vocdashPresentKeys) { return; }
  window.vocdashPresentKeys = true;
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target || {};
    var tag = (target.tagName || "").toUpperCase();
    if (target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    var space = event.key === " " || event.key === "Spacebar";
    // Space on a focused button or box already activates it.
    if (space && target.closest && target.closest("button, [role=button], [role=checkbox], label")) { return; }
    var next = event.key === "ArrowRight" || event.key === "PageDown" || (space && !event.shiftKey);
    var back = event.key === "ArrowLeft" || event.key === "PageUp" || (space && event.shiftKey);
    if (!next && !back) { return; }
    var button = document.querySelector(next ? ".st-key-present_next button" : ".st-key-present_back button");
    if (!button) { return; }
    event.preventDefault();
    if (!button.disabled) { button.click(); }
  }, true);
})();
</script>"""

# A chart drawing fewer figures than this is near-empty (one college's figure): left out
# of the slides by default, and offered in the chooser.
NEAR_EMPTY_BELOW = 2


def presentation_switch(lang: str) -> bool:
    """The sidebar switch for presentation mode, kept in the URL (?present=1)."""
    if "present" not in st.session_state:
        st.session_state["present"] = st.query_params.get("present") == "1"
    with st.sidebar:
        st.toggle(t("present_mode", lang), key="present", help=t("present_help", lang))
    presenting = bool(st.session_state["present"])
    if presenting:
        st.query_params["present"] = "1"
    elif "present" in st.query_params:
        del st.query_params["present"]
        st.query_params.pop("slide", None)
    return presenting


def _slide_key(title: str) -> str:
    return f"slide::{title}"


def _move(key: str, step: int, count: int) -> None:
    st.session_state[key] = max(0, min(count - 1, st.session_state.get(key, 0) + step))


def _leave_presentation() -> None:
    st.session_state["present"] = False


@dataclass
class Slide:
    fig: object
    key: str
    label: str
    near_empty: bool


def slides_of(deck: list) -> list[Slide]:
    """The page's charts as slides: the same chart drawn twice (a section's chart and the
    'any indicator' pick of it) once, a chart of more rows than a slide holds split, and
    each marked near-empty when it draws fewer than NEAR_EMPTY_BELOW figures."""
    seen, slides = set(), []
    for fig, key in deck:
        fingerprint = hashlib.sha1(json.dumps(
            {"data": [trace.to_plotly_json() for trace in fig.data], "title": fig.layout.title.text},
            sort_keys=True, default=str).encode()).hexdigest()
        if fingerprint in seen:
            continue
        seen.add(fingerprint)
        near_empty = drawn_points(fig) < NEAR_EMPTY_BELOW
        parts = split_rows(fig)
        for number, part in enumerate(parts, start=1):
            title = html.unescape(re.sub(r"<[^>]+>", "", part.layout.title.text or key))
            slides.append(Slide(part, key if len(parts) == 1 else f"{key}__{number}", title, near_empty))
    return slides


def _chosen(slides: list[Slide], page_title: str, lang: str) -> list[Slide]:
    """The chooser: a box per slide, near-empty ones unticked by default."""
    for slide in slides:
        key = f"present_pick::{page_title}::{slide.key}"
        if key not in st.session_state:
            st.session_state[key] = not slide.near_empty
    picked = [slide for slide in slides if st.session_state[f"present_pick::{page_title}::{slide.key}"]]
    with st.popover(t("present_choose", lang, k=len(picked), n=len(slides)), icon=":material/checklist:"):
        st.caption(t("present_choose_help", lang))
        for slide in slides:
            label = slide.label + (t("present_near_empty", lang) if slide.near_empty else "")
            st.checkbox(for_markdown(label), key=f"present_pick::{page_title}::{slide.key}")
    return picked


def present(deck: list, page_title: str, lang: str) -> None:
    """Slides of the page's charts, one per screen: a bar with the page, the position,
    previous / next (also from the keyboard and a clicker), the chooser and exit; the
    chart; its takeaway and sources. A page with no chart to show says so, with exit."""
    st.html(PRESENTATION_CSS)
    slides = slides_of(deck)
    key = _slide_key(page_title)
    with st.container(horizontal=True, vertical_alignment="center", key="present_bar", gap="small"):
        heading = st.empty()
        picked = _chosen(slides, page_title, lang) if slides else []
        count = len(picked)
        if key not in st.session_state:
            wanted = flt.parse_position(st.query_params.get("slide"))
            st.session_state[key] = wanted - 1 if wanted else 0
        index = max(0, min(count - 1, st.session_state[key])) if count else 0
        st.session_state[key] = index
        st.button(t("present_previous", lang), on_click=_move, args=(key, -1, count), disabled=index == 0 or not count,
                  icon=":material/arrow_back:", key="present_back")
        st.button(t("present_next", lang), on_click=_move, args=(key, 1, count), disabled=index >= count - 1,
                  icon=":material/arrow_forward:", key="present_next")
        st.button(t("present_exit", lang), on_click=_leave_presentation, icon=":material/close:", key="present_exit")
        st.html(PRESENTATION_KEYS, unsafe_allow_javascript=True)
    position = f" · {index + 1} / {count}" if count else ""
    heading.markdown(f"**{for_markdown(page_title)}**{position}")
    if not count:
        st.info(t("present_nothing", lang) if not slides else t("present_none_chosen", lang))
        return
    st.query_params["slide"] = str(index + 1)
    slide = picked[index]
    takeaway, sources = story(slide.fig)
    title = slide.fig.layout.title.text or page_title
    with st.container(key="present_chart", height="stretch"):
        st.plotly_chart(for_slide(slide.fig), theme=None, key=f"present_{slide.key}", height="stretch",
                        config=chart_config(title))
    with st.container(key="present_story", gap="small"):
        if takeaway:
            st.subheader(for_markdown(takeaway), anchor=False)  # names from the data: text, not Markdown
        if sources:
            st.caption(for_markdown(sources))  # two lines at most on screen; the deck lists them all


# Choice widgets whose options are shown through a language's labels (format_func).
RELABELLED = ("f_type", "f_province", "f_institutions", "f_kind", "compare", "compare_period", "mark", "peer",
              "peer_custom", "profile", "data_themes", "data_indicators", "data_sort", "award_unit", "weight_preset",
              "completeness_theme")


def _relabel() -> None:
    """After a language switch, hand each choice widget its value again: the browser kept
    showing a chosen option in the old language (高职院校 in the English sidebar) while a
    fresh tab of the same link showed it in English."""
    for key in RELABELLED:
        if key in st.session_state:
            value = st.session_state[key]
            st.session_state[key] = list(value) if isinstance(value, (list, tuple)) else value


def language() -> str:
    """The language switch, first in the sidebar; read from the URL on a session's first run."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = flt.parse_language(st.query_params)
    with st.sidebar:
        st.segmented_control(
            ":material/translate: 语言 / Language", LANGUAGES, key="lang", required=True,
            format_func=LANGUAGE_NAMES.get, on_change=_relabel,
        )
    return st.session_state.get("lang") or DEFAULT_LANGUAGE


# The overview is the default page, served at the root; Streamlit still reserves the default
# page's own path, so it is declared under this one and /overview is a hidden second entry
# for the same script (a link to /overview would otherwise open "Page not found").
DEFAULT_PAGE_PATH = "home"


def pages(lang: str) -> list:
    listed = [
        st.Page(ROOT / "pages" / f"{name}.py", title=t(key, lang), icon=icon,
                url_path=DEFAULT_PAGE_PATH if name == "overview" else name, default=(name == "overview"))
        for name, key, icon in PAGES
    ]
    alias = st.Page(ROOT / "pages" / "overview.py", title=t("page_overview", lang), icon=PAGES[0][2],
                    url_path="overview", visibility="hidden")
    return [*listed, alias]


WAREHOUSE_RECHECK_SECONDS = 3


def warehouse_unavailable(error: WarehouseUnavailable, lang: str) -> None:
    """A clear page instead of a traceback, saying how to build the warehouse. It looks
    again every few seconds and reloads the app once the file has changed, so people
    left on it see the data come back after a rebuild without doing anything."""
    st.title(t("app_title", lang))
    st.error(t("wh_missing_title" if error.kind == "missing" else "wh_broken_title", lang), icon=":material/error:")
    st.write(t("wh_how_to_build", lang))
    st.code("make warehouse\n# or: python -m etl build --data-dir data/curated --db " + error.path, language="bash")
    st.caption(f"{t('wh_path', lang)}: `{error.path}`" + (f" · {t('wh_detail', lang)}: {for_markdown(error.detail)}" if error.detail else ""))
    _recheck_warehouse(error.stamp)


@st.fragment(run_every=WAREHOUSE_RECHECK_SECONDS)
def _recheck_warehouse(failed_stamp: tuple[int, int, int] | None) -> None:
    """Rerun the whole app when the warehouse file is a different version from the one
    that failed. Only a stat() per check; an unchanged broken file is not retried, so a
    file that stays broken never loops."""
    try:
        stamp = current_ref().stamp
    except WarehouseUnavailable:
        return
    if stamp != failed_stamp:
        st.rerun(scope="app")


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


def built_at_text(stamp: str, lang: str) -> str:
    """The build time the ETL records (ISO, UTC) in Beijing time, labelled as such, as the
    exports say it; an unreadable stamp is shown as it is."""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return export_time_text(lang, when)


def sidebar_filters(ref: WarehouseRef, options: flt.Options, lang: str) -> Context:
    """Render the shared filters; return the page context."""
    _start_from_url(options)
    everyone = queries.institutions(ref)
    names, province_names = queries.institution_labels(ref, lang)
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
        allowed_set = set(names) if allowed is everyone else set(allowed["institution_id"].tolist())
        st.session_state["f_institutions"] = [i for i in st.session_state.get("f_institutions", []) if i in allowed_set]
        offered = pickers.options_for("f_institutions", allowed, lang)
        chosen = st.multiselect(
            t("filter_institutions", lang), offered, key="f_institutions", placeholder=t("all", lang),
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
            st.caption(f"{t('data_built', lang)}: {built_at_text(info['built_at'], lang)}")

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
    # Colours in the order of selection: the colleges picked first, then the rest in view.
    order = selection_first(chosen_filters.institutions, scope["institution_id"].tolist() + list(names))
    return Context(
        ref=ref, options=options, filters=chosen_filters, lang=lang, scope=scope,
        institutions=everyone, colours=institution_colours(order), field=allowed,
    )
