"""The colours that tell colleges apart: one palette for the app, the chart PNGs and the deck.

Colours are handed out in the order the colleges were chosen (the first chosen is blue,
the second vermillion, ...), never by a college's place in the full list: six chosen
colleges always get six different colours, and the same choice in the same order gets the
same colours on every page, in every PNG and in the deck.

The first six are Okabe–Ito colours (blue, vermillion, bluish green, reddish purple) plus a
deep violet and a dark grey, picked so that on white, on a washed-out projector and for
colour-blind readers any two still differ (tests/dashboard/test_palette.py measures it):
- pairwise CIEDE2000 ≥ 20 in normal vision and ≥ 10 under simulated deuteranopia and
  protanopia (Machado 2009, full severity), the common forms;
- no two chromatic colours within 35° of hue (OKLCh): no light/dark blue pair, no
  vermillion/orange pair, which a projector reduces to one colour;
- each at least 3:1 against white (WCAG 2.2, 1.4.11 for graphics), so no pale yellow.
Okabe–Ito's orange and sky blue are left out for the last two rules. Past six (theme pages
of many colleges, distributions marking up to eight) two more follow, distinct in normal
vision only; after that colours repeat.
"""
from __future__ import annotations

from collections.abc import Iterable

SELECTION = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#4B0092",  # deep violet
    "#404040",  # dark grey
)
EXTRA = (
    "#999933",  # olive
    "#8C510A",  # brown
)
PALETTE = SELECTION + EXTRA
DISTINCT = len(SELECTION)  # how many colleges are guaranteed distinct colours


def colours_for(institution_ids: Iterable[str]) -> dict[str, str]:
    """institution id -> colour, by position in the order given (the order of selection).
    An id given twice keeps its first colour."""
    ordered = list(dict.fromkeys(institution_ids))
    return {iid: PALETTE[index % len(PALETTE)] for index, iid in enumerate(ordered)}


def selection_first(chosen: Iterable[str], everyone: Iterable[str]) -> list[str]:
    """The chosen ids in their order, then everyone else in theirs: the order to colour a
    page by, so the chosen colleges get the first, most distinct colours."""
    chosen = list(dict.fromkeys(chosen))
    picked = set(chosen)
    return chosen + [iid for iid in everyone if iid not in picked]
