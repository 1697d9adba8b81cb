"""The colleges' colours: distinct for six, for colour-blind readers and on a projector,
handed out in the order of selection (issue 14: 71% of random sets of six shared a colour)."""
import random
from itertools import combinations

import pytest
from coloraide import Color

from dashboard import palette

SIX = palette.SELECTION
# Full-severity simulations: Machado et al. 2009 for the red-green forms, Brettel 1997 for tritanopia.
SIMULATIONS = {"deuteranopia": ("deutan", "machado"), "protanopia": ("protan", "machado")}


def _seen(colour: str, simulation: str | None) -> Color:
    if simulation is None:
        return Color(colour)
    kind, method = SIMULATIONS[simulation]
    return Color(colour).filter(kind, method=method).convert("srgb").clip()


def _closest(colours, simulation=None) -> float:
    seen = [_seen(c, simulation) for c in colours]
    return min(a.delta_e(b, method="2000") for a, b in combinations(seen, 2))


def test_six_distinct_colours():
    assert len(SIX) == palette.DISTINCT == 6
    assert len(set(c.upper() for c in palette.PALETTE)) == len(palette.PALETTE)


def test_six_differ_in_normal_vision():
    assert _closest(SIX) >= 20  # CIEDE2000


@pytest.mark.parametrize("simulation", sorted(SIMULATIONS))
def test_six_differ_for_colour_blind_readers(simulation):
    assert _closest(SIX, simulation) >= 10


def test_six_differ_under_tritanopia_too():
    # Rare (about 1 in 10,000); the bar is lower, but no two may merge.
    seen = [Color(c).filter("tritan", method="brettel").convert("srgb").clip() for c in SIX]
    assert min(a.delta_e(b, method="2000") for a, b in combinations(seen, 2)) >= 5


def test_no_two_of_one_hue_family():
    """A projector washes out lightness: light and dark blue, or vermillion and orange,
    become one colour. Chromatic colours stay 35 degrees of OKLCh hue apart."""
    chromatic = []
    for colour in SIX:
        lch = Color(colour).convert("oklch").normalize(nans=False)
        if lch["chroma"] > 0.04:
            chromatic.append((colour, lch["hue"]))
    for (a, ha), (b, hb) in combinations(chromatic, 2):
        gap = abs(ha - hb) % 360
        assert min(gap, 360 - gap) >= 35, (a, b)


def test_every_colour_stands_out_on_white():
    for colour in palette.PALETTE:
        assert Color.contrast(Color(colour), Color("white")) >= 3, colour  # WCAG 1.4.11


def test_the_two_extra_colours_still_differ_in_normal_vision():
    assert _closest(palette.PALETTE) >= 15


def test_colours_follow_the_order_of_selection():
    assert palette.colours_for(["c", "a", "b"]) == {"c": SIX[0], "a": SIX[1], "b": SIX[2]}
    assert palette.colours_for(["a", "b", "a"]) == {"a": SIX[0], "b": SIX[1]}
    assert palette.selection_first(["x", "b"], ["a", "b", "c", "x"]) == ["x", "b", "a", "c"]


def test_any_six_chosen_from_many_get_six_colours():
    everyone = [f"college_{n:05d}" for n in range(500)]
    draw = random.Random(14)
    for _ in range(200):
        chosen = draw.sample(everyone, 6)
        colours = palette.colours_for(palette.selection_first(chosen, everyone))
        assert len({colours[iid] for iid in chosen}) == 6
