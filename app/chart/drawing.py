"""pygal set up once for every chart: sized for a phone, self-contained, and described in words.

pygal draws the chart; one XML filter (pygal's own hook, run on the finished tree) then makes it
fit to serve as an image:

- responsive: `width="100%"` and pygal's `viewBox`, no fixed pixel size. The viewBox is about a
  phone's width in units, so the font sizes below are close to CSS pixels at ~360 px;
- self-contained: pygal's scripts (`js=[]` drops the CDN one; its inline config script goes too:
  the charts are static) and its comments (they carry pygal's web addresses) are removed, and
  the fonts are the device's own;
- accessible: `role="img"`, and `aria-labelledby` pointing at a `<title>` and a `<desc>` that say
  what the chart shows, first in the document (pygal's own `<title>` is replaced).

The chart's id (which scopes its CSS) is a hash of what it shows, so one chart renders to the same
bytes every time (its ETag is a hash of them).
"""

import hashlib
import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date
from typing import Any

from pygal.etree import etree
from pygal.style import Style

etree.to_etree()  # pygal builds with the standard library's ElementTree, even if lxml is installed

WIDTH, HEIGHT = 400, 320  # viewBox units
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
# Okabe-Ito colours: told apart with the common colour-vision deficiencies.
BLUE, SKY, GREEN, VERMILION = "#0072B2", "#56B4E9", "#009E73", "#D55E00"
GREY, BLACK = "#8C8C8C", "#222222"
MAX_X_LABELS = 5


def style(*colors: str) -> Style:
    """Large type, a white ground, and `colors` for the series in the order they are added."""
    return Style(
        font_family=FONT,
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#333333",
        foreground_strong="#111111",
        foreground_subtle="#666666",
        label_font_size=14,
        major_label_font_size=14,
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
        "margin": 12,
        "spacing": 10,
        "tooltip_border_radius": 4,
        **options,
    }


def every_nth(labels: Sequence[str], most: int = MAX_X_LABELS) -> list[str]:
    """The labels to show so that no more than `most` fit along the axis: every Nth, first kept."""
    step = max(1, math.ceil(len(labels) / most))
    return list(labels[::step])


def day_label(day: date, *, with_year: bool = False) -> str:
    """A short date for an axis: `Oct 12` (or `Oct 12 2026`)."""
    return f"{day:%b} {day.day}" + (f" {day.year}" if with_year else "")


def number(value: float) -> str:
    """A count or amount as people write it: 3, 2.5, 1.71."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def shorten(text: str, most: int = 48) -> str:
    """`text`, cut to `most` characters with an ellipsis (for a title drawn on the chart)."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def value_ticks(top: float, *, most: int = 5) -> list[float]:
    """Round numbers from 0 to at least `top`, no more than `most` + 1 of them."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / most
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if step < 1 and top >= 1:
        step = 1
    return [round(i * step, 6) for i in range(math.ceil(top / step - 1e-9) + 1)]


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
    # pygal fails on given y labels when there is no data
    empty = {} if chart.raw_series else {"y_labels": None, "y_labels_major": None}
    svg: bytes = chart.render(css=[*options.css, *extra], **empty)
    return svg


def _finish(root: Any, chart_id: str, title: str, desc: str) -> Any:
    for child in list(root):
        if callable(child.tag) or child.tag == "title":  # comments (pygal's links), old title
            root.remove(child)
    for parent in root.iter():
        for script in parent.findall("script"):
            parent.remove(script)
    root.set("width", "100%")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    title_node = ET.Element("title", id=f"{chart_id}-title")
    title_node.text = title
    desc_node = ET.Element("desc", id=f"{chart_id}-desc")
    desc_node.text = desc
    root.insert(0, title_node)
    root.insert(1, desc_node)
    return root
