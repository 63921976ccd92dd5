"""Figures as a person reads them on a chart and in its description: rounded, never raw floats.

A goal's target is any float in (0, 1,000,000] and its totals add up check-ins without bound, so
`repr`-style output (`2.8600000000000003`, `5e-324`, 309 digits for 1e308) is always one input
away. Every figure a chart shows goes through `number` or `percent`:

- below a million: at most two decimals, thousands grouped (`3`, `2.5`, `12,500.25`); a positive
  amount that would round to 0 is `under 0.01` (it is not nothing: a target is never 0);
- from a million: three significant figures and a word (`1.25 million`, `3 billion`,
  `40 trillion`), then a power of ten with a times sign and
  a superscript exponent (`1.8`, U+00D7, `10`, `³⁰⁸`);
- shares: whole percents (`65%`), but `under 1%` and `over 99%` rather than `0%` or `100%` for
  something that is neither none nor all.
"""

import math

FINEST = 0.01  # the smallest step `number` writes, so the finest an axis is ever divided
_SCALES = {6: "million", 9: "billion", 12: "trillion"}  # by the power of ten they start at
TIMES = "\u00d7"  # the multiplication sign, as a power of ten is written
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def number(value: float) -> str:
    """A count or amount as people write it: 3, 2.5, 1.71, 12,500, 3.2 million, under 0.01."""
    if not math.isfinite(value):
        raise ValueError(f"a chart has no figure for {value!r}")
    sign, size = ("-" if value < 0 else ""), abs(value)
    rounded = round(size, 2)
    if rounded == 0:
        return "0" if size == 0 else f"{sign}under 0.01"
    if rounded < 1_000_000:
        return sign + f"{rounded:,.2f}".rstrip("0").rstrip(".")
    # Three significant figures from the string, not a float: rounding 1.79e308 up overflows.
    mantissa, exponent = f"{size:.2e}".split("e")
    power = int(exponent)
    if power < 15:
        scale = power - power % 3
        return f"{sign}{float(mantissa) * 10 ** (power - scale):.3g} {_SCALES[scale]}"
    digits = mantissa.rstrip("0").rstrip(".")
    return f"{sign}{digits} {TIMES} 10{str(power).translate(_SUPERSCRIPT)}"


def percent(part: float, whole: float) -> str:
    """`part` of `whole` in whole percents; `under 1%` / `over 99%` for nearly none / all.

    From the two amounts, not their ratio: 5e-324 of 2 underflows to a ratio of 0, yet is not 0%.
    """
    if math.isnan(part) or not whole > 0:
        raise ValueError(f"a chart has no share of {part!r} in {whole!r}")
    if part <= 0:
        return "0%"
    if part >= whole:
        return "100%"
    share = round(100 * (part / whole))
    return "under 1%" if share < 1 else "over 99%" if share > 99 else f"{share}%"
