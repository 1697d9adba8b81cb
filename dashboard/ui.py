"""Streamlit helpers the pages share: headers, charts, tables, theme sections."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from . import charts, pickers, queries, shell, transforms, urlstate
from .filters import Filters
from .i18n import name_column, t, v
from .safe_text import for_markdown
from .shell import Context


def show_table(frame: pd.DataFrame, key: str, **kwargs) -> None:
    """st.dataframe without index and without the word None in empty cells."""
    st.dataframe(transforms.without_none(frame), hide_index=True, key=key, **kwargs)


def header(ctx: Context, title_key: str, intro_key: str | None = None) -> None:
    st.title(t(title_key, ctx.lang))
    if intro_key:
        st.caption(t(intro_key, ctx.lang))


def chart(fig: go.Figure, key: str) -> None:
    """A figure with the PNG export set to 3× and named after its title; in presentation
    mode it joins the deck instead."""
    if shell.collect(fig, key):
        return
    title = fig.layout.title.text or key
    # The sources drawn under the plot, on screen and in the PNG export alike.
    st.plotly_chart(charts.with_source_note(go.Figure(fig)), theme=None, key=key, config=charts.chart_config(title))


def marks_legend(ctx: Context) -> None:
    st.caption(t("marks_legend", ctx.lang) + " " + t("download_png_hint", ctx.lang))


def indicator_charts(ctx: Context, described: pd.DataFrame, indicator_ids, key: str, per_row: int = 2) -> None:
    """One bar chart per indicator, two to a row. An indicator no institution in scope
    reported gets a line saying so instead of an empty chart; indicators the warehouse
    lacks are skipped."""
    table = queries.indicators(ctx.ref).set_index("indicator_id")
    in_scope = set(ctx.scope["institution_id"])
    reported = set(described.loc[described["institution_id"].isin(in_scope), "indicator_id"]) if not described.empty else set()
    known = [i for i in indicator_ids if i in table.index and i in reported]
    silent = [i for i in indicator_ids if i in table.index and i not in reported]
    if silent:
        names = table.loc[silent, "name_en" if ctx.lang == "en" else "name_zh"]
        joined = ("、" if ctx.lang == "zh" else "; ").join(names)
        st.caption(t("none_reported", ctx.lang, names=for_markdown(joined)))
    for start in range(0, len(known), per_row):
        columns = st.columns(per_row)
        for column, indicator_id in zip(columns, known[start:start + per_row]):
            indicator = table.loc[indicator_id].copy()
            indicator["indicator_id"] = indicator_id
            # A rank (名次) is drawn as ranks, 1st at the top; anything else as bars.
            draw = charts.rank_chart if indicator["unit"] == "rank" else charts.indicator_bars
            with column:
                chart(draw(described, indicator, ctx.scope, ctx.lang, ctx.colours), f"{key}_{indicator_id}")


def figures_table(ctx: Context, described: pd.DataFrame, key: str, height: int | None = None) -> None:
    """Figures as a table with source and evidence columns."""
    lang = ctx.lang
    conflict = described["conflict"].fillna("") if "conflict" in described.columns else pd.Series("", index=described.index)
    frame = pd.DataFrame({
        t("institution", lang): described["institution"],
        t("indicator", lang): described["indicator"],
        t("period", lang): described["period_text"],
        t("value", lang): [("⚠ " if text else "") + value for value, text in zip(described["value_text"], conflict)],
        t("kind", lang): described["kind_text"],
        t("basis", lang): described["basis_text"] if "basis_text" in described.columns else "",
        t("qualifier", lang): described["qualifier_text"],
        t("source", lang): described["source"],
        t("evidence", lang): described["evidence"],
        t("notes", lang): described["notes"].fillna(""),
        t("conflict", lang): conflict,
    })
    if not conflict.ne("").any():
        frame = frame.drop(columns=t("conflict", lang))
    show_table(frame, key=key, height=height or "auto", column_config={
        t("evidence", lang): st.column_config.TextColumn(width="large"),
        t("source", lang): st.column_config.TextColumn(width="medium"),
    })


def theme_page(ctx: Context, theme: str, sections, extra_themes: tuple[str, ...] = ()) -> pd.DataFrame:
    """The body shared by the theme pages: first the overview of the theme (every indicator
    two or more colleges report against every chosen college, like for like), the
    indicators only one college reports as a table, then one indicator the user picks in
    detail, and the full table. With more than DISTRIBUTION_ABOVE institutions in the
    field: distribution_page."""
    lang = ctx.lang
    if many(ctx):
        distribution_page(ctx, theme, sections, extra_themes)
        return pd.DataFrame()
    obs = queries.observations(ctx.ref, ctx.filters, themes=(theme, *extra_themes))
    if ctx.scope.empty:
        st.info(t("no_match", lang))
        return transforms.describe(obs, lang)
    on_theme = obs[obs["theme"] == theme] if not obs.empty else obs
    chosen = ctx.scope["institution_id"].tolist()
    cells, single = transforms.theme_matrix(on_theme, chosen, lang)
    theme_name = v("theme", theme, lang)

    st.subheader(t("theme_overview", lang))
    if on_theme.empty:
        # Nothing on the theme at all: say which indicators, so a gap is never read as zero.
        table_ = queries.indicators(ctx.ref).set_index("indicator_id")
        listed = [i for _, ids in sections for i in ids if i in table_.index]
        names = ("、" if lang == "zh" else "; ").join(table_.loc[listed, name_column(lang)])
        st.info(t("none_reported", lang, names=for_markdown(names)))
    elif cells.empty:
        st.info(t("theme_overview_none", lang, theme=theme_name))
    else:
        st.caption(t("theme_overview_help", lang))
        span = f"{ctx.filters.period_from}–{ctx.filters.period_to}"
        title = (f"{theme_name}：各校指标一览（{span}）" if lang == "zh" else f"{theme_name}: every indicator by college ({span})")
        chart(charts.theme_matrix(cells, ctx.scope, lang, title), f"{theme}_matrix")
    if not single.empty:
        st.subheader(t("single_reporter", lang))
        st.caption(t("single_reporter_help", lang))
        show_table(transforms.single_reporter_table(single, lang), key=f"{theme}_single")

    st.subheader(t("indicator_detail", lang))
    described = transforms.describe(obs, lang)
    indicator_detail(ctx, theme, described, cells, single)

    st.subheader(t("all_theme_figures", lang))
    shown = described[described["theme"] == theme] if not described.empty else described
    if shown.empty:
        st.info(t("no_figures", lang))
    else:
        figures_table(ctx, shown, key=f"table_{theme}")
    return described


def _theme_indicator_order(ctx: Context, theme: str, sections) -> list[str]:
    """The theme's indicators: those the page's sections name first, in their order, then the rest."""
    table = queries.indicators(ctx.ref)
    listed = [i for _, ids in sections for i in ids]
    rest = [i for i in table.loc[table["theme"] == theme, "indicator_id"] if i not in listed]
    known = set(table["indicator_id"])
    return [i for i in dict.fromkeys(listed + rest) if i in known]


def indicator_pick(ctx: Context, theme: str, choices: list[str], key: str) -> str | None:
    """The indicator the detail shows, kept in the URL (?ind=)."""
    lang = ctx.lang
    if not choices:
        st.info(t("indicator_detail_none", lang))
        return None
    names = dict(zip(queries.indicators(ctx.ref)["indicator_id"], queries.indicators(ctx.ref)[name_column(lang)]))
    urlstate.start(key, "ind", urlstate.one_of(choices), choices[0])
    if st.session_state.get(key) not in choices:
        st.session_state[key] = choices[0]
    picked = st.selectbox(t("indicator_detail_pick", lang), choices, key=key, persist_state="session",
                          format_func=lambda value: names.get(value, value))
    urlstate.write("ind", picked, choices[0])
    return picked


def indicator_detail(ctx: Context, theme: str, described: pd.DataFrame, cells: pd.DataFrame, single: pd.DataFrame) -> None:
    """One indicator: its bars across the chosen colleges (a rank as a rank), and, where
    years exist, each college's figures over them."""
    lang = ctx.lang
    shared = list(dict.fromkeys(cells["indicator_id"])) if not cells.empty else []
    alone = list(dict.fromkeys(single["indicator_id"])) if not single.empty else []
    picked = indicator_pick(ctx, theme, shared + [i for i in alone if i not in shared], key=f"pick_{theme}")
    if picked is None:
        return
    if picked not in shared:
        st.info(t("indicator_detail_single", lang))
        return
    table_ = queries.indicators(ctx.ref).set_index("indicator_id")
    indicator = table_.loc[picked].copy()
    indicator["indicator_id"] = picked
    marks_legend(ctx)
    if indicator["unit"] == "rank":
        chart(charts.rank_chart(described, indicator, ctx.scope, lang, ctx.colours), f"{theme}_detail")
    else:
        chart(charts.indicator_bars(described, indicator, ctx.scope, lang, ctx.colours), f"{theme}_detail")
    mine = described[(described["indicator_id"] == picked) & (described["kind"] == "actual")]
    if not mine.empty and mine.groupby("institution_id")["period"].nunique().max() >= 2:  # a college with years
        rows = mine.assign(series="institution", group_key=mine["type"], peers=pd.NA)
        title = t("trend_title", lang, name=indicator[name_column(lang)], unit=v("unit", indicator["unit"], lang))
        chart(charts.trend_lines(rows, indicator, lang, ctx.colours, {}, title), f"{theme}_trend")


# --- national scale ---------------------------------------------------------------------

# More institutions than this in the field and an indicator shows its distribution, not a
# bar per institution: past a few dozen bars no one can read the labels.
DISTRIBUTION_ABOVE = 30
TOP_N_DEFAULT = 10
MAX_MARKED = 8
PAGE_ROWS = 500  # rows a table shows before saying how many more match


def many(ctx: Context) -> bool:
    """Whether the theme pages draw distributions: the field is larger than DISTRIBUTION_ABOVE."""
    field = ctx.field if ctx.field is not None else ctx.scope
    return len(field) > DISTRIBUTION_ABOVE


def _names(ctx: Context) -> dict[str, str]:
    """Institution id -> name in the page's language: one shared lookup per warehouse and
    language (read only), not 11,000 names converted on every call."""
    return queries.institution_labels(ctx.ref, ctx.lang)[0]


def marked_institutions(ctx: Context) -> tuple[str, ...]:
    """The institutions marked on distributions: those picked in the sidebar, or else a
    pick made here, shared by the theme pages and kept in the URL (?mark=)."""
    lang = ctx.lang
    if ctx.filters.institutions:
        st.caption(t("marked_from_sidebar", lang) + (
            " " + t("marked_first", lang, n=MAX_MARKED) if len(ctx.filters.institutions) > MAX_MARKED else ""))
        return tuple(ctx.filters.institutions[:MAX_MARKED])
    field = ctx.field if ctx.field is not None else ctx.scope
    allowed = field["institution_id"].tolist()
    allowed_set = set(allowed)
    if "mark" not in st.session_state:
        # Repeated (?mark=a&mark=b) or comma-separated (?mark=a,b), as the shared filters.
        wanted = [part for item in st.query_params.get_all("mark") for part in item.split(",")]
        st.session_state["mark"] = list(dict.fromkeys(i for i in wanted if i in allowed_set))[:MAX_MARKED]
    st.session_state["mark"] = [i for i in st.session_state["mark"] if i in allowed_set]
    names = _names(ctx)
    offered = pickers.options_for("mark", field, lang)
    picked = st.multiselect(
        t("mark_pick", lang), offered, key="mark", max_selections=MAX_MARKED,
        format_func=lambda value: names.get(value, value), help=t("mark_help", lang, n=MAX_MARKED),
        placeholder=t("mark_placeholder", lang), persist_state="session",
    )
    if picked:
        st.query_params["mark"] = picked
    elif "mark" in st.query_params:
        del st.query_params["mark"]
    return tuple(picked)


def marked_colours(ctx: Context, marked: tuple[str, ...]) -> dict[str, str]:
    """Each marked institution's usual colour, unless an earlier one has it already (14
    colours cannot tell 11,000 institutions apart; the few marked ones must differ)."""
    colours, used = {}, set()
    spare = [colour for colour in charts.PALETTE if colour not in charts.PALE]
    for iid in marked:
        colour = ctx.colours.get(iid, charts.PALETTE[0])
        if colour in used or colour in charts.PALE:
            colour = next((c for c in spare if c not in used), colour)
        colours[iid] = colour
        used.add(colour)
    return colours


def peer_controls(ctx: Context) -> tuple[str, tuple[str, ...], int]:
    """Peer group, custom peers and N of the ranked lists (shared by the theme pages), each
    kept in the URL (?peer=, peers=, n=)."""
    lang = ctx.lang
    ids = list(_names(ctx))
    urlstate.start("peer", "peer", urlstate.one_of(queries.PEER_GROUPS), "type")
    urlstate.start("peer_custom", "peers", urlstate.some_of(ids), [])
    urlstate.start("top_n", "n", lambda values: (lambda x: x if x and x <= 50 else None)(urlstate.position(values)), TOP_N_DEFAULT)
    # Five peer groups need the row's width; the custom list and N go below.
    peer = st.segmented_control(
        t("peer_group", lang), queries.PEER_GROUPS, key="peer", required=True,
        format_func=lambda value: t(f"peer_{value}", lang), persist_state="session",
    )
    left, right = st.columns([5, 1])
    custom: tuple[str, ...] = ()
    if peer == "custom":
        names = _names(ctx)
        with left:
            offered = pickers.options_for("peer_custom", ctx.institutions, lang)
            custom = tuple(st.multiselect(
                t("peer_custom_pick", lang), offered, key="peer_custom",
                format_func=lambda value: names.get(value, value), persist_state="session",
                placeholder=t("mark_placeholder", lang),
            ))
    with right:
        n = st.number_input(t("top_n", lang), min_value=1, max_value=50, step=1, key="top_n", persist_state="session")
    urlstate.write("peer", peer, "type")
    urlstate.write("peers", list(custom) if peer == "custom" else None)
    urlstate.write("n", int(n), TOP_N_DEFAULT)
    return peer or "type", custom, int(n)


def with_indicators(frame: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Indicator names, unit and direction on rows that carry only indicator_id, and
    kind 'actual', so transforms.describe can label them."""
    info = table.reset_index()[["indicator_id", "theme", "name_zh", "name_en", "unit", "higher_is_better", "comparable"]]
    info = info.rename(columns={"name_zh": "indicator_zh", "name_en": "indicator_en"})
    return frame.merge(info, on="indicator_id", how="left").assign(kind="actual")


def ranked_table(ctx: Context, rows: pd.DataFrame, end: str) -> pd.DataFrame:
    lang = ctx.lang
    part = transforms.describe(rows[rows["end"] == end], lang)
    if end == "bottom":
        part = part.iloc[::-1]
    return pd.DataFrame({
        t("rank", lang): part["rank"].astype(int).to_numpy(),
        t("institution", lang): part["institution"].to_numpy(),
        t("value", lang): part["value_text"].to_numpy(),
        t("period", lang): part["period_text"].to_numpy(),
    })


def distribution_section(
    ctx: Context, indicator_ids, key: str, stats: pd.DataFrame, bins: pd.DataFrame,
    marked: pd.DataFrame, ranked: pd.DataFrame, colours: dict[str, str], n: int,
) -> None:
    """Per indicator: the histogram with the marked institutions, and its ranked lists."""
    lang = ctx.lang
    table = queries.indicators(ctx.ref).set_index("indicator_id")
    counted = set(stats.loc[stats["n"] > 0, "indicator_id"])
    known = [i for i in indicator_ids if i in table.index and i in counted]
    silent = [i for i in indicator_ids if i in table.index and i not in counted]
    if silent:
        names = table.loc[silent, "name_en" if lang == "en" else "name_zh"]
        st.caption(t("none_reported", lang, names=for_markdown(("、" if lang == "zh" else "; ").join(names))))
    stats = stats.set_index("indicator_id")
    for indicator_id in known:
        indicator = table.loc[indicator_id].copy()
        indicator["indicator_id"] = indicator_id
        row = stats.loc[indicator_id]
        mine = marked[marked["indicator_id"] == indicator_id] if not marked.empty else marked
        mine = mine[mine["qualifier"].isin(queries.COUNTED_QUALIFIERS)] if not mine.empty else mine
        figure_column, list_column = st.columns([3, 2])
        with figure_column:
            fig = charts.distribution_histogram(
                bins[bins["indicator_id"] == indicator_id], row, indicator, mine, lang, colours,
                charts.distribution_title(indicator, row, lang),
            )
            chart(fig, f"{key}_{indicator_id}")
            st.caption(for_markdown(fig.layout.meta["takeaway"]))
        with list_column:
            direction = transforms.direction_of(indicator["higher_is_better"])
            mine_ranked = ranked[ranked["indicator_id"] == indicator_id]
            top_label = t("highest_list" if direction == "none" else "top_list", lang, n=n)
            bottom_label = t("lowest_list" if direction == "none" else "bottom_list", lang, n=n)
            top_tab, bottom_tab = st.tabs([top_label, bottom_label])
            with top_tab:
                show_table(ranked_table(ctx, mine_ranked, "top"), key=f"{key}_{indicator_id}_top")
            with bottom_tab:
                show_table(ranked_table(ctx, mine_ranked, "bottom"), key=f"{key}_{indicator_id}_bottom")


def peer_table(ctx: Context, positions: pd.DataFrame, indicator_ids, sizes: pd.DataFrame, key: str) -> None:
    """Indicator rows × marked institution columns: value and percentile among peers."""
    lang = ctx.lang
    if positions.empty:
        return
    rows = positions[positions["indicator_id"].isin(list(indicator_ids))]
    if rows.empty:
        return
    names = _names(ctx)
    peers = dict(zip(sizes["institution_id"], sizes["peers"])) if not sizes.empty else {}
    frame = {}
    order = [i for i in indicator_ids if i in set(rows["indicator_id"])]
    first = rows.drop_duplicates("indicator_id").set_index("indicator_id")
    frame[t("indicator", lang)] = [first.loc[i, "indicator"] for i in order]
    for iid in dict.fromkeys(rows["institution_id"]):
        mine = rows[rows["institution_id"] == iid].set_index("indicator_id")
        label = f"{names.get(iid, iid)}（{t('peer_n', lang)} {peers.get(iid, '–')}）" if lang == "zh" else f"{names.get(iid, iid)} ({t('peer_n', lang)}: {peers.get(iid, '–')})"
        frame[label] = [
            f"{mine.loc[i, 'value_text']}（{mine.loc[i, 'period_text']}）· {transforms.peer_cell(mine.loc[i], lang)}" if i in mine.index
            else t("not_reported", lang)
            for i in order
        ]
    show_table(pd.DataFrame(frame), key=key)


def distribution_page(ctx: Context, theme: str, sections, extra_themes: tuple[str, ...] = ()) -> None:
    """A theme page when the field is too large for a bar per institution: the overview is
    every indicator's distribution with the chosen colleges marked (small multiples, one
    figure), then their places among peers (a table), then one indicator in detail."""
    lang = ctx.lang
    field_n = len(ctx.field) if ctx.field is not None else len(ctx.scope)
    st.info(t("dist_mode", lang, n=f"{field_n:,}", limit=DISTRIBUTION_ABOVE), icon=":material/bar_chart:")
    with st.expander(t("dist_rules_title", lang), icon=":material/rule:"):
        st.markdown(t("dist_rules", lang))
        st.markdown(t("peer_method", lang))
    if "actual" not in ctx.filters.kinds:
        st.info(t("dist_actuals_only", lang))
        return
    marked = marked_institutions(ctx)
    peer, custom, n = peer_controls(ctx)
    colours = marked_colours(ctx, marked)
    table_ = queries.indicators(ctx.ref)
    indexed = table_.set_index("indicator_id")
    ids = tuple(_theme_indicator_order(ctx, theme, sections))
    stats, bins = transforms.split_distribution(queries.distribution(ctx.ref, ctx.filters, ids))
    positions = marked_positions(ctx, ids, marked, peer, custom)
    counted = positions[positions["qualifier"].isin(queries.COUNTED_QUALIFIERS)] if not positions.empty else positions

    st.subheader(t("dist_overview", lang))
    st.caption(t("dist_overview_help", lang) + " " + t("marks_legend", lang))
    span = f"{ctx.filters.period_from}–{ctx.filters.period_to}"
    title = (f"{v('theme', theme, lang)}：各指标分布（最新实际数字，{span}）" if lang == "zh"
             else f"{v('theme', theme, lang)}: every indicator's distribution (latest actual, {span})")
    reported = [i for i in ids if i in set(stats.loc[stats["n"] > 0, "indicator_id"])]
    if reported:
        chart(charts.distribution_grid(stats, bins, indexed.loc[reported], counted, lang, colours, title), f"{theme}_grid")
    else:
        st.info(t("no_figures", lang))
    if marked:
        sizes = queries.peer_sizes(ctx.ref, ctx.filters, marked, peer, custom)
        peer_table(ctx, positions, ids, sizes, key=f"{theme}_peers")

    st.subheader(t("indicator_detail", lang))
    picked = indicator_pick(ctx, theme, reported, key=f"trend_{theme}")
    if picked:
        ranked = with_indicators(queries.ranked(ctx.ref, ctx.filters, (picked,), n), indexed)
        distribution_section(ctx, [picked], f"{theme}_detail", stats, bins, positions, ranked, colours, n)
        trend_chart(ctx, picked, marked, peer, custom, colours, key=f"{theme}_trend")

    st.subheader(t("all_theme_figures", lang))
    figures_of_marked(ctx, theme, extra_themes, marked, key=f"table_{theme}")


def trend_chart(ctx: Context, indicator_id: str, marked, peer: str, custom, colours, key: str) -> None:
    """The marked institutions over the years with their peer-group median; with nothing
    marked, the field's median."""
    lang = ctx.lang
    table = queries.indicators(ctx.ref).set_index("indicator_id")
    indicator = table.loc[indicator_id].copy()
    indicator["indicator_id"] = indicator_id
    use_peer = peer if marked else "field"
    rows = queries.trend(ctx.ref, ctx.filters, indicator_id, tuple(marked), use_peer, tuple(custom))
    mine = rows[rows["series"] == "institution"]
    medians = rows[rows["series"] == "median"]
    if medians["period"].nunique() < 2 and mine["period"].nunique() < 2:
        st.caption(t("trend", lang) + ("：只有一个时期。" if lang == "zh" else ": one period only."))
        return
    if not mine.empty:
        described = transforms.describe(with_indicators(mine.drop(columns=["series", "group_key", "peers"]).assign(indicator_id=indicator_id), table)
                                        .merge(ctx.institutions[["institution_id", "name_zh", "name_en"]]
                                               .rename(columns={"name_zh": "institution_zh", "name_en": "institution_en"}),
                                               on="institution_id", how="left"), lang)
        described["series"] = "institution"
        described["group_key"] = mine["group_key"].to_numpy()
        described["peers"] = pd.NA
        rows = pd.concat([medians, described], ignore_index=True)
    group_names = {
        **{key_: v("type", key_, lang) for key_ in ctx.options.types},
        **queries.institution_labels(ctx.ref, lang)[1],
        "field": t("peer_field", lang), "custom": t("peer_custom", lang),
    }
    for combined in rows.loc[rows["series"] == "median", "group_key"].dropna().unique():
        if " · " in str(combined):
            kind, province = str(combined).split(" · ", 1)
            group_names[combined] = f"{v('type', kind, lang)} · {group_names.get(province, province)}"
    name = indicator["name_en" if lang == "en" else "name_zh"]
    title = t("trend_title", lang, name=name, unit=v("unit", indicator["unit"], lang))
    chart(charts.trend_lines(rows, indicator, lang, colours, group_names, title), key)


def figures_of_marked(ctx: Context, theme: str, extra_themes, marked, key: str) -> None:
    """The full-figures table, bounded: the marked institutions' figures, or the first
    PAGE_ROWS of the field with the count of all that match."""
    lang = ctx.lang
    themes = (theme, *extra_themes)
    if marked:
        only = Filters(institutions=tuple(marked), period_from=ctx.filters.period_from,
                       period_to=ctx.filters.period_to, kinds=ctx.filters.kinds)
        shown = transforms.describe(queries.observations(ctx.ref, only, themes=(theme,)), lang)
        if shown.empty:
            st.info(t("no_figures", lang))
        else:
            figures_table(ctx, shown, key=key)
        return
    total = queries.observation_count(ctx.ref, ctx.filters, (theme,))
    shown = transforms.describe(queries.observations_page(ctx.ref, ctx.filters, (theme,), limit=PAGE_ROWS), lang)
    if shown.empty:
        st.info(t("no_figures", lang))
        return
    st.caption(t("rows_first", lang, n=f"{total:,}", shown=f"{len(shown):,}"))
    figures_table(ctx, shown, key=key, height=400)


def score_distribution(ctx: Context, scores: pd.DataFrame, marked, peer: str, custom, n: int, colours, title: str) -> None:
    """Weighted award scores of the field: histogram with the marked institutions and
    their percentile among peers, and the top and bottom n. No award rows, no score."""
    lang = ctx.lang
    field = ctx.field if ctx.field is not None else ctx.scope
    values = scores.rename(columns={"score": "value"})
    stats, bins = transforms.histogram(values["value"])
    stats["first_period"], stats["last_period"] = ctx.filters.period_from, ctx.filters.period_to
    indicator = pd.Series({"indicator_id": "award_score", "unit": "points", "name_zh": t("award_score", "zh"),
                           "name_en": t("award_score", "en"), "higher_is_better": True})
    names = _names(ctx)
    positions = transforms.peer_positions_of(values, tuple(marked), peer, tuple(custom), set(field["institution_id"]))
    marked_rows = pd.DataFrame()
    if not positions.empty:
        positions["direction"] = "higher"
        positions = positions.assign(indicator_id="award_score", higher_is_better=True)
        positions = transforms.percentiles(positions, pd.DataFrame({"indicator_id": ["award_score"], "higher_is_better": [True]}))
        marked_rows = pd.DataFrame({
            "institution_id": positions["institution_id"],
            "institution": [names.get(i, i) for i in positions["institution_id"]],
            "value": positions["value"],
            "value_text": [f"{x:,.1f}" for x in positions["value"]],
            "unit_text": t("score", lang), "period_text": f"{ctx.filters.period_from}–{ctx.filters.period_to}",
            "qualifier_text": "", "kind_text": "", "source": "",
            "peer_text": [transforms.peer_cell(row, lang) for _, row in positions.iterrows()],
        })
    figure_column, list_column = st.columns([3, 2])
    with figure_column:
        fig = charts.distribution_histogram(bins, stats, indicator, marked_rows, lang, colours, title)
        chart(fig, "score")
        missing = len(field) - len(values)
        st.caption(for_markdown(fig.layout.meta["takeaway"]) + (" " + t("score_no_awards", lang, n=f"{missing:,}") if missing > 0 else ""))
    with list_column:
        ordered = values.sort_values(["value", "name_zh"], ascending=[False, True])
        ordered = ordered.assign(rank=ordered["value"].rank(method="min", ascending=False).astype(int))
        name_col = "name_en" if lang == "en" else "name_zh"
        top_tab, bottom_tab = st.tabs([t("top_list", lang, n=n), t("bottom_list", lang, n=n)])
        for tab, part, key in ((top_tab, ordered.head(n), "top"), (bottom_tab, ordered.tail(n).iloc[::-1], "bottom")):
            with tab:
                show_table(pd.DataFrame({
                    t("rank", lang): part["rank"].to_numpy(), t("institution", lang): part[name_col].to_numpy(),
                    t("score", lang): [f"{x:,.1f}" for x in part["value"]],
                }), key=f"score_{key}")
    if not marked_rows.empty:
        show_table(pd.DataFrame({
            t("institution", lang): marked_rows["institution"], t("score", lang): marked_rows["value_text"],
            t("peer_group", lang): t(f"peer_{peer}", lang), t("peer_n", lang): positions["peer_n"].to_numpy(),
            t("peer_positions", lang): marked_rows["peer_text"],
        }), key="score_peers")


def field_filters(ctx: Context) -> Filters:
    """The filters without the institutions pick: the field distributions are drawn over."""
    f = ctx.filters
    return Filters(types=f.types, provinces=f.provinces, period_from=f.period_from, period_to=f.period_to, kinds=f.kinds)


def marked_positions(ctx: Context, ids, marked, peer: str, custom) -> pd.DataFrame:
    """The marked institutions' latest figures, described, with percentile and peer text."""
    if not marked:
        return pd.DataFrame()
    table = queries.indicators(ctx.ref)
    raw = queries.peer_positions(ctx.ref, ctx.filters, tuple(ids), tuple(marked), peer, tuple(custom))
    positions = transforms.describe(transforms.percentiles(with_indicators(raw, table.set_index("indicator_id")), table), ctx.lang)
    if not positions.empty:
        positions["peer_text"] = [transforms.peer_cell(row, ctx.lang) for _, row in positions.iterrows()]
    return positions
