"""pygal set up once for every chart: sized for a phone, self-contained, and described in words.

pygal draws the chart; one XML filter (pygal's own hook, run on the finished tree) then makes it
fit to serve as an image:

- responsive: `width="100%"` and pygal's `viewBox`, no fixed pixel size. The viewBox is about a
  phone's width in units, so the font sizes below are close to CSS pixels at ~360 px;
- self-contained: pygal's scripts (`js=[]` drops the CDN one; its inline config script goes too:
  the charts are static) and its comments (they carry pygal's web addresses) are removed, and
  the fonts are the device's own;
- accessible: `role="img"`, and `aria-labelledby` pointing at a `<title>` and a `<desc>` that say
  what the chart shows, first in the document (pygal's own `<title>` is replaced);
- well-formed whatever the user wrote: characters XML 1.0 cannot carry become U+FFFD.

Any valid goal draws: the value axis (`value_ticks`, `target_axis`) is ours, round numbers that
`figures.number` writes exactly from 0.01 up to the largest float, and pygal is told its range
rather than left to scale the data itself.

The chart's id (which scopes its CSS) is a hash of what it shows, so one chart renders to the same
bytes every time (its ETag is a hash of them).
"""

import hashlib
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pygal.etree import etree
from pygal.style import Style

from app.chart.figures import FINEST, number

etree.to_etree()  # pygal builds with the standard library's ElementTree, even if lxml is installed

WIDTH, HEIGHT = 400, 320  # viewBox units
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
# Okabe-Ito colours: told apart with the common colour-vision deficiencies.
BLUE, SKY, GREEN, VERMILION = "#0072B2", "#56B4E9", "#009E73", "#D55E00"
GREY, BLACK = "#8C8C8C", "#222222"
MAX_X_LABELS = 5
LABEL_SIZE, MARGIN, SPACING = 14, 12, 10  # axis labels' font size; pygal's margin and spacing
CHAR = 0.6 * LABEL_SIZE  # a character's width in a label, as pygal estimates it for its layout
_ZWJ = "\u200d"  # the zero-width joiner, which joins emoji into one picture
# pygal places a value at `height * (value - min) / range`: past this the product overflows and
# every coordinate is nan, so larger values are drawn in a power of ten (see `Axis`).
SAFE_TOP = 1e300
# What XML 1.0 cannot carry: a title may hold any character but NUL (a form feed, U+FFFE, a lone
# surrogate), and one of them in a <text> makes the whole image unreadable.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def style(*colors: str) -> Style:
    """Large type, a white ground, and `colors` for the series in the order they are added."""
    return Style(
        font_family=FONT,
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#333333",
        foreground_strong="#111111",
        foreground_subtle="#666666",
        label_font_size=LABEL_SIZE,
        major_label_font_size=LABEL_SIZE,
        value_font_size=14,
        value_label_font_size=13,
        title_font_size=18,
        legend_font_size=14,
        no_data_font_size=18,
        tooltip_font_size=14,
        guide_stroke_color="#dddddd",
        major_guide_stroke_color="#dddddd",
        opacity="1",
        opacity_hover="1",
        colors=colors or (BLUE,),
    )


def config(*colors: str, **options: Any) -> dict[str, Any]:
    """The options every chart shares, then `options`."""
    return {
        "style": style(*colors),
        "width": WIDTH,
        "height": HEIGHT,
        "js": [],
        "legend_at_bottom": True,
        "legend_box_size": 14,
        "truncate_legend": -1,
        "truncate_label": -1,
        "show_minor_x_labels": False,
        "show_x_guides": False,
        "margin": MARGIN,
        "spacing": SPACING,
        "tooltip_border_radius": 4,
        **options,
    }


def every_nth(labels: Sequence[str], most: int = MAX_X_LABELS) -> list[str]:
    """The labels to show so that no more than `most` fit along the axis: every Nth, first kept."""
    step = max(1, math.ceil(len(labels) / most))
    return list(labels[::step])


def x_labels_major(labels: Sequence[str], y_labels: Sequence[str], most: int) -> list[str]:
    """Every Nth of `labels` (see `every_nth`): at most `most`, and no more than fit side by side
    in the plot that the y labels leave (a target of 999,999.99 leaves room for two dates)."""
    plot = WIDTH - 2 * MARGIN - SPACING - CHAR * max(map(len, y_labels), default=1)
    each = CHAR * max(map(len, labels), default=1) + SPACING
    return every_nth(labels, max(1, min(most, int(plot // each))))


def day_label(day: date, *, with_year: bool = False) -> str:
    """A short date for an axis: `Oct 12` (or `Oct 12 2026`)."""
    return f"{day:%b} {day.day}" + (f" {day.year}" if with_year else "")


def shorten(text: str, most: int = 48) -> str:
    """`text`, cut to `most` characters with an ellipsis (for a title drawn on the chart).

    The cut moves back rather than part a letter from its accents or split an emoji sequence.
    """
    if len(text) <= most:
        return text
    cut = most - 1
    while cut > 0 and (_clings(text[cut]) or text[cut - 1] == _ZWJ):
        cut -= 1
    return (text[:cut].rstrip() or text[: most - 1]) + "…"  # all marks, or all spaces: cut anyway


def _clings(char: str) -> bool:
    """Whether `char` belongs to the character before it (accents, joiners, emoji modifiers)."""
    return (
        unicodedata.category(char) in {"Mn", "Mc", "Me"}
        or char == _ZWJ
        or "\ufe00" <= char <= "\ufe0f"  # variation selectors
        or "\U0001f3fb" <= char <= "\U0001f3ff"  # skin tones
    )


def capitalized(text: str) -> str:
    """`text` with its first letter upper case and the rest as written (`str.capitalize` lowers
    the rest: a unit "LinkedIn posts" would read "Linkedin posts")."""
    return text[:1].upper() + text[1:]


def value_ticks(top: float, *, most: int = 5) -> list[float]:
    """Round numbers from 0 to at least `top`, no more than `most` + 1 of them.

    Steps are 1, 2, 2.5 or 5 times a power of ten, never finer than the 0.01 that `number`
    writes (so every tick reads as itself, and a tiny `top` such as 5e-324 still gets an axis),
    and whole numbers once `top` reaches 1.
    """
    if not top > 0:
        return [0.0, 1.0]
    raw = max(top / most, FINEST)  # top / most underflows to 0 for the tiniest floats
    magnitude = 10.0 ** math.floor(math.log10(raw))
    # a step of 0.025 would put ticks on 0.025, 0.075, which two decimals cannot write
    factors = (1, 2, 5, 10) if magnitude < 0.1 else (1, 2, 2.5, 5, 10)
    step = next((m * magnitude for m in factors if m * magnitude >= raw), 10 * magnitude)
    if step < 1 and top >= 1:
        step = 1
    count = max(1, math.ceil(top / step - 1e-9))
    ticks = [round(i * step, 2) if step < 1 else i * step for i in range(count + 1)]
    if not math.isfinite(ticks[-1]):  # the round number above top is past the largest float
        ticks[-1] = top
        if len(ticks) > 2 and top - ticks[-2] < step / 2:  # would read as the tick below
            del ticks[-2]
    return ticks


@dataclass(frozen=True)
class Axis:
    """A value axis with a target: its labels and target in drawn units, `unit` to a drawn one."""

    unit: float
    labels: list[dict[str, float | str]]
    target: float
    top: float  # the last tick, drawn

    @property
    def range(self) -> tuple[float, float]:
        """pygal's `range`: without it pygal also scales the data on its own, and its scale of
        data under 1e-308 (a target of 5e-324 met exactly) divides by 10 ** -325, which is 0."""
        return (0.0, self.top)

    @property
    def names(self) -> list[str]:
        """The labels as written."""
        return [str(label["label"]) for label in self.labels]

    def drawn(self, values: Sequence[float | None]) -> list[float | None]:
        """`values` in drawn units."""
        return [None if v is None else v / self.unit for v in values]

    def label(self, drawn: float) -> str:
        """What a drawn value stands for, written as a figure (pygal's `value_formatter`)."""
        return number(drawn * self.unit)


def target_axis(top: float, target: float) -> Axis:
    """Round ticks from 0 past `top` and `target`, and the target labelled as such."""
    ticks = value_ticks(max(top, target))
    unit = 10.0 ** math.floor(math.log10(ticks[-1])) if ticks[-1] > SAFE_TOP else 1.0
    # A tick this close to the target (0 too, under a tiny target) would overlap its label.
    near = ticks[-1] * 0.08
    labels: list[dict[str, float | str]] = [
        {"value": t / unit, "label": number(t)} for t in ticks if abs(t - target) > near
    ]
    labels.append({"value": target / unit, "label": f"Target {number(target)}"})
    return Axis(unit, labels, target / unit, ticks[-1] / unit)


# Extra CSS for `render`; `#ID` stands for the chart's id.
TARGET_LINE = (  # the y axis's major guide (the target) as a bold dashed line, its label bold
    f"#ID .axis.y .major.guide.line{{stroke:{BLACK};stroke-width:2;stroke-dasharray:8,5}}"
    f"#ID .axis.y text.major{{fill:{BLACK};font-weight:bold}}"
)
SERIES_WIDTHS = "#ID .series .line.reactive{stroke-width:inherit}"  # a series' own stroke_style


def render(chart: Any, *, title: str, desc: str, css: Sequence[str] = ()) -> bytes:
    """The chart as a standalone SVG document, titled and described for screen readers."""
    options = chart.config
    seed = repr((type(chart).__name__, chart.raw_series, options.x_labels, options.y_labels))
    chart.uuid = hashlib.sha256(repr((seed, title, desc, css)).encode()).hexdigest()[:16]
    chart_id = f"chart-{chart.uuid}"
    extra = [f"inline:{rule.replace('#ID', '#' + chart_id)}" for rule in css]
    chart.add_xml_filter(lambda root: _finish(root, chart_id, title, desc))
    # pygal fails on given y labels when there is no data, and a range alone gets its own ticks
    empty = {} if chart.raw_series else {"y_labels": None, "y_labels_major": None, "range": None}
    svg: bytes = chart.render(css=[*options.css, *extra], **empty)
    return svg


def _finish(root: Any, chart_id: str, title: str, desc: str) -> Any:
    for node in root.iter():  # every string pygal drew, so no path for a title is missed
        node.text, node.tail = _xml_safe(node.text), _xml_safe(node.tail)
        for name, value in list(node.attrib.items()):
            node.set(name, _xml_safe(value))
    for child in list(root):
        if callable(child.tag) or child.tag == "title":  # comments (pygal's links), old title
            root.remove(child)
    for parent in root.iter():
        for script in parent.findall("script"):
            parent.remove(script)
        if parent.get("class") == "guides":
            # pygal's hover titles on an axis repeat its label, or on a category axis show the
            # category's position (0.1, 0.3): a raw number that means nothing to a reader
            for hover in parent.findall("title"):
                parent.remove(hover)
    root.set("width", "100%")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    title_node = ET.Element("title", id=f"{chart_id}-title")
    title_node.text = _xml_safe(title)
    desc_node = ET.Element("desc", id=f"{chart_id}-desc")
    desc_node.text = _xml_safe(desc)
    root.insert(0, title_node)
    root.insert(1, desc_node)
    return root


def _xml_safe(text: Any) -> Any:
    return NOT_XML.sub("\ufffd", text) if isinstance(text, str) else text
