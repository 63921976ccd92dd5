"""How figures read (`number`, `percent`), the axis under them (`value_ticks`), and cut titles:
examples, then properties over every finite float."""

import itertools
import math
import re
import sys
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.chart import drawing, figures
from tests.chart.checks import FIGURE, SHARE

BOUNDED = settings(max_examples=200, deadline=None, derandomize=True)
SCALES = {"million": 10**6, "billion": 10**9, "trillion": 10**12}
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
AMOUNTS = st.one_of(
    st.sampled_from(
        [5e-324, 0.004999, 0.005, 2.8600000001, 999_999.996, 1e308, sys.float_info.max]
    ),
    st.floats(min_value=0, allow_nan=False, allow_infinity=False),
)


def _read(figure: str) -> Decimal:
    """The value a person reads in `figure` (written by `number`), exactly."""
    if figure == "under 0.01":
        return Decimal(0)
    if " \u00d7 10" in figure:
        mantissa, power = figure.split(" \u00d7 10")
        return Decimal(f"{mantissa}e{power.translate(SUPERSCRIPTS)}")
    digits, _, word = figure.partition(" ")
    return Decimal(digits.replace(",", "")) * SCALES.get(word, 1)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (3.0, "3"),
        (2.5, "2.5"),
        (1.714, "1.71"),
        (0.0, "0"),
        (2.8600000001, "2.86"),
        (0.05, "0.05"),
        (5e-324, "under 0.01"),
        (0.004999, "under 0.01"),
        (12_500.25, "12,500.25"),
        (999_999.99, "999,999.99"),
        (999_999.996, "1 million"),
        (1_000_000, "1 million"),
        (12_345_678, "12.3 million"),
        (3e9, "3 billion"),
        (4.56e13, "45.6 trillion"),
        (1e15, "1 \u00d7 10¹⁵"),
        (1e308, "1 \u00d7 10³⁰⁸"),
        (sys.float_info.max, "1.8 \u00d7 10³⁰⁸"),
        (-2.5, "-2.5"),
    ],
)
def test_number_writes_figures_as_people_do(value: float, written: str) -> None:
    assert figures.number(value) == written


@pytest.mark.parametrize(
    ("part", "whole", "written"),
    [
        (0, 4, "0%"),
        (5e-324, 2, "under 1%"),  # the ratio underflows to 0; the share is not 0%
        (1, 250, "under 1%"),
        (3, 4, "75%"),
        (2, 3, "67%"),
        (996, 1000, "over 99%"),
        (4, 4, "100%"),
        (sys.float_info.max, 5e-324, "100%"),
    ],
)
def test_percent_says_none_and_all_only_when_it_is(part: float, whole: float, written: str) -> None:
    assert figures.percent(part, whole) == written


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_number_refuses_what_is_not_a_figure(value: float) -> None:
    with pytest.raises(ValueError, match="no figure"):
        figures.number(value)


@BOUNDED
@given(AMOUNTS)
def test_number_of_any_amount_is_rounded_and_close(value: float) -> None:
    written = figures.number(value)
    assert re.fullmatch(FIGURE, written), written
    read, exact = _read(written), Decimal(value)
    if written == "under 0.01":
        assert 0 < value < 0.005
    elif read < 1_000_000:
        assert abs(read - exact) <= Decimal("0.005")  # two decimals
    else:
        assert abs(read - exact) <= Decimal("0.005") * exact  # three significant figures


@BOUNDED
@given(AMOUNTS, st.one_of(st.just(5e-324), st.floats(min_value=0, exclude_min=True)))
def test_percent_of_any_share_is_whole_and_never_overstated(part: float, whole: float) -> None:
    written = figures.percent(part, whole)
    assert re.fullmatch(SHARE, written), written
    assert (written == "100%") == (part >= whole)
    assert (written == "0%") == (part == 0)


@BOUNDED
@given(AMOUNTS)
def test_value_ticks_of_any_top_are_round_readable_and_cover_it(top: float) -> None:
    ticks = drawing.value_ticks(top)
    assert ticks[0] == 0 and 2 <= len(ticks) <= 6
    assert all(a < b for a, b in itertools.pairwise(ticks))
    assert all(math.isfinite(t) for t in ticks)
    # covers top (to rounding), not much more; no data at all gets 0 to 1
    assert top * (1 - 1e-9) <= ticks[-1] <= max(2.000001 * top, figures.FINEST if top else 1)
    labels = [figures.number(t) for t in ticks]
    assert len(set(labels)) == len(labels), labels  # each tick reads as itself
    if ticks[-1] < 1_000_000:
        assert [float(_read(label)) for label in labels] == pytest.approx(ticks)


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (5e-324, [0, 0.01]),
        (0.03, [0, 0.01, 0.02, 0.03]),
        (0.3, [0, 0.1, 0.2, 0.3]),
        (sys.float_info.max, [0, 5e307, 1e308, 1.5e308, sys.float_info.max]),
        (1.6e308, [0, 5e307, 1e308, 1.6e308]),  # not 1.5e308 too: it would read the same
    ],
)
def test_value_ticks_at_the_ends_of_the_floats(top: float, ticks: list[float]) -> None:
    assert drawing.value_ticks(top) == ticks


TEXTS = st.text(st.characters(exclude_characters="\x00"), max_size=120)


def _clings(char: str) -> bool:
    """Part of the character before it: an accent, a joiner, a variation selector, a skin tone."""
    return unicodedata.category(char).startswith("M") or char in "\u200d\ufe0f\U0001f3fd"


@BOUNDED
@given(TEXTS | st.sampled_from(["e\u0301" * 40, "a" * 47 + "\u0301x", "\u0301" * 60]))
def test_shorten_keeps_within_bounds_and_letters_whole(text: str) -> None:
    short = drawing.shorten(text)
    if len(text) <= 48:
        assert short == text
        return
    kept = short.removesuffix("…")
    assert short.endswith("…") and len(short) <= 48 and text.startswith(kept)
    clean_cut = [i for i in range(1, 48) if not _clings(text[i]) and text[:i].strip()]
    assert not _clings(text[len(kept)]) or not clean_cut  # no accent left behind its letter


def test_shorten_cuts_between_emoji_not_inside_one() -> None:
    coder = "\U0001f469\u200d\U0001f4bb"  # woman, joiner, laptop: one picture
    assert drawing.shorten(coder * 30) == coder * 15 + "…"
    assert drawing.shorten("e\u0301" * 40) == "e\u0301" * 23 + "…"
