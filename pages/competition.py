import pandas as pd
import streamlit as st

from dashboard import charts, queries, sections, transforms, ui, urlstate
from dashboard.i18n import t, v
from dashboard.shell import context

ctx = context()
lang = ctx.lang
ui.header(ctx, "page_competition", "competition_intro")
if ctx.scope.empty:
    st.info(t("no_match", lang))
    st.stop()

many = ui.many(ctx)
span = f"{ctx.filters.period_from}–{ctx.filters.period_to}"
if many:
    # Thousands of institutions: awards are counted in SQL and shown per institution type;
    # scores are a distribution with the marked institutions on it.
    field_filters = ui.field_filters(ctx)
    field_n = len(ctx.field)
    st.info(t("dist_mode", lang, n=f"{field_n:,}", limit=ui.DISTRIBUTION_ABOVE), icon=":material/bar_chart:")
    marked = ui.marked_institutions(ctx)
    peer, custom, top_n = ui.peer_controls(ctx)
    colours = ui.marked_colours(ctx, marked)
    breakdown = queries.award_breakdown(ctx.ref, field_filters)
    breakdowns = {by: breakdown[breakdown["dimension"] == by] for by in ("level", "tier", "recipient")}
    units = [unit for unit in ("items", "person_times") if unit in set(breakdowns["level"]["unit"])] or ["items"]
else:
    # Competitions only: honours, research and product prizes are on each profile.
    awards = queries.awards(ctx.ref, ctx.filters, categories=("competition",))
    counted = transforms.counted_awards(awards)
    units = [unit for unit in ("items", "person_times") if unit in set(counted["unit"])] or ["items"]
urlstate.start("award_unit", "unit", urlstate.one_of(units), units[0])
if st.session_state.get("award_unit") not in units:
    st.session_state["award_unit"] = units[0]
unit = st.segmented_control(
    t("award_unit", lang), units, key="award_unit", required=True,
    format_func=lambda value: v("award_unit", value, lang), persist_state="session",
)
urlstate.write("unit", unit, units[0])
unit_label = v("award_unit", unit, lang)

if many:
    vocabularies = {"level": charts.LEVEL_COLOURS, "tier": charts.TIER_COLOURS, "recipient": charts.RECIPIENT_COLOURS}
    # One below the other, full width, as the per-institution layout.
    for by, colours_by in vocabularies.items():
        frame = breakdowns[by]
        frame = frame[frame["unit"] == unit].rename(columns={"type": "group"})
        frame = frame.assign(per_institution=frame["count"] / frame["type_n"])
        labels = {key: f"{v('type', key, lang)}（{n:,}）" for key, n in zip(frame["group"], frame["type_n"])}
        ui.chart(charts.group_stack(
            frame, labels, "key", {key: v(by, key, lang) for key in colours_by}, colours_by, "per_institution", lang,
            t("awards_by_type", lang, what=t(f"by_{by}", lang), unit=unit_label, span=span), t("per_institution", lang),
        ), f"by_{by}")
else:
    in_unit = counted[counted["unit"] == unit]
    # Each breakdown full width, one below the other: side by side, half a page left the
    # plots squeezed by long college names and the tier legend (five entries) wrapped onto
    # the sources under it (seen in the screenshots, in both languages).
    title = f"{t('awards_by_level', lang)}（{unit_label}，{span}）" if lang == "zh" else f"{t('awards_by_level', lang)} ({unit_label}, {span})"
    ui.chart(charts.award_stack(in_unit, ctx.scope, "level", lang, title), "by_level")
    title = f"{t('awards_by_tier', lang)}（{unit_label}，{span}）" if lang == "zh" else f"{t('awards_by_tier', lang)} ({unit_label}, {span})"
    ui.chart(charts.award_stack(in_unit, ctx.scope, "tier", lang, title), "by_tier")
    title = f"{t('awards_by_recipient', lang)}（{unit_label}，{span}）" if lang == "zh" else f"{t('awards_by_recipient', lang)} ({unit_label}, {span})"
    ui.chart(charts.award_stack(in_unit, ctx.scope, "recipient", lang, title), "by_recipient")

st.subheader(t("award_score", lang))
st.caption(t("award_score_formula", lang, unit=unit_label))


def _apply_preset() -> None:
    levels, tiers, recipients = transforms.WEIGHT_PRESETS[st.session_state["weight_preset"]]
    for level, weight in levels.items():
        st.session_state[f"w_level_{level}"] = weight
    for tier, weight in tiers.items():
        st.session_state[f"w_tier_{tier}"] = weight
    for recipient, weight in recipients.items():
        st.session_state[f"w_recipient_{recipient}"] = weight


# The preset and every weight are kept in the URL: ?preset=… and ?w=level.national:6 for
# each weight that differs from the preset's.
WEIGHT_KEYS = {
    **{f"level.{k}": f"w_level_{k}" for k in transforms.DEFAULT_LEVEL_WEIGHTS},
    **{f"tier.{k}": f"w_tier_{k}" for k in transforms.DEFAULT_TIER_WEIGHTS},
    **{f"recipient.{k}": f"w_recipient_{k}" for k in transforms.DEFAULT_RECIPIENT_WEIGHTS},
}


def _preset_weights(name: str) -> dict[str, float]:
    levels, tiers, recipients = transforms.WEIGHT_PRESETS[name]
    return {**{f"level.{k}": w for k, w in levels.items()}, **{f"tier.{k}": w for k, w in tiers.items()},
            **{f"recipient.{k}": w for k, w in recipients.items()}}


urlstate.start("weight_preset", "preset", urlstate.one_of(list(transforms.WEIGHT_PRESETS)), "default")
if any(key not in st.session_state for key in WEIGHT_KEYS.values()):
    wanted = _preset_weights(st.session_state["weight_preset"])
    for item in st.query_params.get_all("w"):
        for part in item.split(","):
            name, _, number = part.partition(":")
            value = urlstate.number([number.strip()])
            if name.strip() in WEIGHT_KEYS and value is not None:
                wanted[name.strip()] = value
    for name, key in WEIGHT_KEYS.items():
        st.session_state.setdefault(key, float(wanted[name]))

st.selectbox(
    t("weight_preset", lang), list(transforms.WEIGHT_PRESETS), key="weight_preset", on_change=_apply_preset,
    format_func=lambda name: t(f"weight_preset_{name}", lang), persist_state="session",
)
weights_left, weights_middle, weights_right, mapping = st.columns([1, 1, 1, 1.2])
level_weights, tier_weights, recipient_weights = {}, {}, {}
with weights_left:
    st.markdown(f"**{t('level_weights', lang)}**")
    for level, default in transforms.DEFAULT_LEVEL_WEIGHTS.items():
        level_weights[level] = st.number_input(
            v("level", level, lang), min_value=0.0, max_value=100.0, step=0.5,
            key=f"w_level_{level}", persist_state="session",
        )
with weights_middle:
    st.markdown(f"**{t('tier_weights', lang)}**")
    for tier, default in transforms.DEFAULT_TIER_WEIGHTS.items():
        tier_weights[tier] = st.number_input(
            v("tier", tier, lang), min_value=0.0, max_value=100.0, step=0.25,
            key=f"w_tier_{tier}", persist_state="session",
        )
with weights_right:
    st.markdown(f"**{t('recipient_weights', lang)}**")
    for recipient, default in transforms.DEFAULT_RECIPIENT_WEIGHTS.items():
        recipient_weights[recipient] = st.number_input(
            v("recipient", recipient, lang), min_value=0.0, max_value=100.0, step=0.25,
            key=f"w_recipient_{recipient}", persist_state="session",
        )
with mapping:
    st.markdown(f"**{t('tier_mapping', lang)}**")
    ui.show_table(
        pd.DataFrame({
            t("grade", lang): [v("grade", grade, lang) for grade in transforms.TIER_OF_GRADE],
            t("tier", lang): [v("tier", tier, lang) for tier in transforms.TIER_OF_GRADE.values()],
        }),
        key="tier_mapping",
    )
weights_text = transforms.weights_text(level_weights, tier_weights, recipient_weights, lang)
preset = st.session_state["weight_preset"]
urlstate.write("preset", preset, "default")
chosen_weights = {**{f"level.{k}": w for k, w in level_weights.items()}, **{f"tier.{k}": w for k, w in tier_weights.items()},
                  **{f"recipient.{k}": w for k, w in recipient_weights.items()}}
urlstate.write("w", [f"{name}:{weight:g}" for name, weight in chosen_weights.items() if weight != _preset_weights(preset)[name]])

title = f"{t('award_score', lang)}（{unit_label}，{span}）" if lang == "zh" else f"{t('award_score', lang)} ({unit_label}, {span})"
if many:
    scores = queries.award_scores(ctx.ref, field_filters, tuple(level_weights.items()), tuple(tier_weights.items()), unit,
                                  tuple(recipient_weights.items()))
    ui.score_distribution(ctx, scores, marked, peer, custom, top_n, colours, t("score_distribution", lang, unit=unit_label, span=span))
else:
    scores = transforms.award_scores(awards, ctx.scope, level_weights, tier_weights, unit, recipient_weights)
    ui.chart(charts.with_story(charts.score_bars(scores, ctx.scope, lang, ctx.colours, title), "", weights_text), "score")
st.caption(weights_text)

st.subheader(t("competitions_table", lang))
if many:
    # The first rows only, and how many there are: a browser table of 700,000 rows helps no one.
    award_total = queries.award_count(ctx.ref, ctx.filters, categories=("competition",))
    awards = queries.awards(ctx.ref, ctx.filters, limit=ui.PAGE_ROWS, categories=("competition",))
    if award_total > len(awards):
        st.caption(t("rows_first", lang, n=f"{award_total:,}", shown=f"{len(awards):,}"))
if awards.empty:
    st.info(t("no_figures", lang))
else:
    ui.show_table(transforms.awards_table(awards, lang), key="competitions")
st.caption(t("competitions_only", lang))

st.subheader(t("hosting", lang))
if many:
    ids = sections.COMPETITION_HOSTING
    indexed = queries.indicators(ctx.ref).set_index("indicator_id")
    stats, bins = transforms.split_distribution(queries.distribution(ctx.ref, ctx.filters, ids))
    ranked = ui.with_indicators(queries.ranked(ctx.ref, ctx.filters, ids, top_n), indexed)
    positions = ui.marked_positions(ctx, ids, marked, peer, custom)
    ui.distribution_section(ctx, ids, "hosting", stats, bins, positions, ranked, colours, top_n)
    if marked:
        sizes = queries.peer_sizes(ctx.ref, ctx.filters, marked, peer, custom)
        ui.peer_table(ctx, positions, ids, sizes, key="hosting_peers")
else:
    # Like the other theme pages: indicators two or more colleges report in one overview,
    # those only one reports in a table.
    obs = queries.observations(ctx.ref, ctx.filters, themes=("competition",))
    cells, single = transforms.theme_matrix(obs, ctx.scope["institution_id"].tolist(), lang)
    if not cells.empty:
        ui.chart(charts.theme_matrix(cells, ctx.scope, lang, f"{t('hosting', lang)}（{span}）" if lang == "zh" else f"{t('hosting', lang)} ({span})"), "hosting")
    if not single.empty:
        st.caption(t("single_reporter_help", lang))
        ui.show_table(transforms.single_reporter_table(single, lang), key="hosting_single")
    if cells.empty and single.empty:
        st.info(t("no_figures", lang))
