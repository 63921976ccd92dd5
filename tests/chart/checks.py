"""What every chart must be, checked on its bytes, and how the figures in it must read."""

import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

NS = "{http://www.w3.org/2000/svg}"
# A figure as `number` writes it: two decimals at most, none trailing, thousands grouped; three
# significant figures with a word from a million; a power of ten beyond.
FIGURE = (
    r"(?:0|under 0\.01"
    r"|[1-9]\d{0,2}(?:,\d{3})*(?:\.\d?[1-9])?|0\.\d?[1-9]"
    r"|(?:[1-9]\d{0,2}|[1-9]\.\d?[1-9]|[1-9]\d\.[1-9]) (?:million|billion|trillion)"
    r"|[1-9](?:\.\d?[1-9])? \u00d7 10[¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
)
SHARE = r"(?:[1-9]?\d%|100%|under 1%|over 99%)"
LABEL = re.compile(rf"(?:Target )?{FIGURE}")
GRAPHIC = {"x", "y", "width", "height", "d", "transform", "viewBox", "cx", "cy", "r", "points"}
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # XML's Char
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
RAW = re.compile(r"[0-9](?:[0-9.,]*[0-9])?(?:[eE][+-]?[0-9]+)?")  # digits, however written


def well_formed(svg: bytes) -> ET.Element:
    """The parsed SVG, checked to be a self-contained, described image with real coordinates."""
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert root.tag == f"{NS}svg" and root.attrib["role"] == "img"
    title, desc = root[0], root[1]
    assert (title.tag, desc.tag) == (f"{NS}title", f"{NS}desc")
    assert root.attrib["aria-labelledby"] == f"{title.attrib['id']} {desc.attrib['id']}"
    assert title.text and desc.text
    assert b"<script" not in svg and b"<!--" not in svg
    assert not any(node.tag == f"{NS}script" for node in root.iter())
    assert not re.search(rb"https?://", re.sub(rb'xmlns(:\w+)?="[^"]*"', b"", svg))
    for node in root.iter():
        for name in GRAPHIC & set(node.attrib):
            assert not re.search(r"nan|inf", node.attrib[name]), (node.tag, name, node.attrib)
    return root


def shown(text: str) -> str:
    """`text` as it reads back from the chart: what XML cannot carry replaced, line ends as XML
    reads them."""
    return NOT_XML.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")


def words(root: ET.Element) -> tuple[str, str]:
    """The chart's title and description."""
    return root[0].text or "", root[1].text or ""


def raw_figures(text: str, besides: Iterable[str] = ()) -> list[str]:
    """The runs of digits in `text` that are not written as figures should be.

    `besides` (what the user wrote, with what delimits it so that no figure of ours is cut) and
    ISO dates are taken out first.
    """
    for words_given in besides:
        text = text.replace(words_given, " § ")
    text = DATE.sub(" § ", text)
    bad = [run for run in RAW.findall(text) if not re.fullmatch(FIGURE, run)]
    return bad + re.findall(r"\b(?:nan|inf)\b", text)


def axis_labels(root: ET.Element, axis: str = "y") -> list[str]:
    """The labels along one axis of the chart (and any hover titles pygal left on them)."""
    found = []
    for group in root.iter(f"{NS}g"):
        if {"axis", axis} <= set(group.get("class", "").split()):
            found += [t.text for t in group.iter() if t.tag in (f"{NS}text", f"{NS}title")]
    return [text for text in found if text]


def drawn_figures(root: ET.Element, axis: str = "y") -> list[str]:
    """The figures drawn on the chart: the value axis's labels, the values on bars and points."""
    values = [t.text for t in root.iter() if t.get("class") == "value" and t.text]
    return axis_labels(root, axis) + [text for text in values if text]


GLYPH = 7.0  # about half the 14-unit label size: an average letter or digit of a sans-serif


def labels_overlapping(root: ET.Element) -> list[tuple[str, str]]:
    """Neighbouring labels along the x axis whose text would run into each other."""
    placed = []
    for group in root.iter(f"{NS}g"):
        if {"axis", "x"} <= set(group.get("class", "").split()):
            placed += [(float(t.get("x", 0)), t.text or "") for t in group.iter(f"{NS}text")]
    placed.sort()
    return [
        (a, b)
        for (x, a), (y, b) in itertools.pairwise(placed)
        if y - x < GLYPH * (len(a) + len(b)) / 2 + 4
    ]
