"""Content negotiation for the problem pages: HTML for people, JSON for programs."""

from enum import StrEnum

from fastapi import Request

HTML = "text/html"
JSON = "application/json"


class Representation(StrEnum):
    """What a problem page is answered as."""

    HTML = "html"
    JSON = "json"


def _media_ranges(accept: str) -> list[tuple[str, str, float]]:
    """(type, subtype, q) of each well-formed media range of an `Accept` header."""
    ranges = []
    for part in accept.split(","):
        media, *params = part.split(";")
        kind, slash, subtype = media.strip().lower().partition("/")
        if not slash or not kind or not subtype:
            continue  # a malformed range is ignored, as if it were absent
        quality = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((kind, subtype, quality))
    return ranges


def quality(ranges: list[tuple[str, str, float]], media_type: str) -> float:
    """The q the most specific matching range gives `media_type` (RFC 9110 §12.5.1); 0 if none."""
    kind, _, subtype = media_type.partition("/")
    best, best_q = -1, 0.0
    for range_kind, range_subtype, q in ranges:
        if (range_kind, range_subtype) == (kind, subtype):
            specificity = 2
        elif (range_kind, range_subtype) == (kind, "*"):
            specificity = 1
        elif (range_kind, range_subtype) == ("*", "*"):
            specificity = 0
        else:
            continue
        if specificity > best:
            best, best_q = specificity, q
    return best_q


def representation(request: Request) -> Representation:
    """JSON when `Accept` prefers `application/json` to `text/html`; HTML otherwise.

    HTML wins ties and headers that accept neither: the page is what a person following a
    problem's `type` in a browser should see, and RFC 9110 lets a server ignore `Accept`
    rather than answer 406.
    """
    ranges = _media_ranges(request.headers.get("accept", ""))
    if quality(ranges, JSON) > quality(ranges, HTML):
        return Representation.JSON
    return Representation.HTML
