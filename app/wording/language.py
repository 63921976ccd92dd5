"""How numbers, lists, names and quoted words read in a sentence: once, for every template.

Pure functions over plain values; what CLDR knows (list patterns, plural categories, decimal
formats) comes from Babel for the reader's locale, and what it does not (English possessives,
count words, stage names) is written here once. Nothing here builds a whole sentence: that is the
template catalogs' job (`app/wording/catalogs/`).
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from babel.numbers import format_decimal

DEFAULT_LOCALE = "en"
# The house style for plain "en" is British punctuation ("A, B and C"); a seeker whose locale
# names a region (en-US) gets that region's CLDR pattern instead.
HOUSE_STYLE = {"en": "en_GB"}
STAGES = {
    "application_review": "application review",
    "phone_screen": "phone screen",
    "assessment": "assessment",
    "interview": "interview",
    "final_round": "final round",
    "offer": "offer",
}
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
EXCERPT_CHARS = 240
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=64)
def cldr(locale: str | None) -> Locale:
    """The Babel locale for a seeker's BCP 47 tag (`en`, `en-US`, `pt-BR`), or the default."""
    tag = (locale or DEFAULT_LOCALE).replace("-", "_")
    tag = HOUSE_STYLE.get(tag, tag)
    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(HOUSE_STYLE[DEFAULT_LOCALE])


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """The form two spellings are matched by: case, width and spacing ignored."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def spellings(values: Iterable[str]) -> dict[str, str]:
    """Folded form → display spelling: the most common spelling wins, ties go to the first seen."""
    counts: dict[
        str, dict[str, int]
    ] = {}  # folded → spelling → times (dicts keep first-seen order)
    for value in values:
        shown = clean(value)
        if shown:
            seen = counts.setdefault(fold(shown), {})
            seen[shown] = seen.get(shown, 0) + 1
    return {key: max(seen, key=seen.__getitem__) for key, seen in counts.items()}


def distinct(values: Iterable[str], shown: Mapping[str, str] | None = None) -> list[str]:
    """Values once each (matched case-insensitively), in first-seen order, in display spelling."""
    values = list(values)
    shown = shown if shown is not None else spellings(values)
    out: dict[str, str] = {}
    for value in values:
        key = fold(value)
        if key and key not in out:
            out[key] = shown.get(key, clean(value))
    return list(out.values())


def join(items: Sequence[str], locale: str | None = None) -> str:
    """Items as prose: "A", "A and B", "A, B and C" (the locale's pattern)."""
    items = [i for i in items if i]
    if not items:
        return ""
    return format_list(list(items), locale=cldr(locale))


def join_or(items: Sequence[str], locale: str | None = None) -> str:
    """Items as alternatives: "A or B", "A, B or C"."""
    items = [i for i in items if i]
    if not items:
        return ""
    return format_list(list(items), style="or", locale=cldr(locale))


def plural(count: float, one: str, other: str, locale: str | None = None) -> str:
    """`one` or `other` by the locale's plural rule for `count` (the form, not the number)."""
    return one if cldr(locale).plural_form(count) == "one" else other


def count_of(count: int, one: str, other: str, locale: str | None = None) -> str:
    """A count with its noun: "one rejection", "two rejections", "12 rejections"."""
    return f"{number_word(count)} {plural(count, one, other, locale)}"


def number_word(count: int) -> str:
    """Small counts as words ("two"), larger ones as digits ("12")."""
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


def times(count: int) -> str:
    """How often: "once", "twice", "three times", "12 times"."""
    if count == 1:
        return "once"
    if count == 2:
        return "twice"
    return f"{number_word(count)} times"


def amount(value: float, locale: str | None = None) -> str:
    """A figure a person reads: whole numbers as they are, others to one decimal ("2.5")."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return format_decimal(int(rounded), locale=cldr(locale))
    return format_decimal(rounded, format="#,##0.#", locale=cldr(locale))


def about(value: float, locale: str | None = None) -> str:
    """An estimate: "3" when it is whole, "about 3" when it was rounded to get there."""
    whole = round(value)
    shown = format_decimal(whole, locale=cldr(locale))
    return shown if abs(value - whole) < 0.05 else f"about {shown}"


def possessive(name: str) -> str:
    """English possessive of a name: "Acme's", "Siemens'", "Bending Spoons'"."""
    name = clean(name)
    if name.casefold().endswith(("'s", "\u2019s")):  # "Lowe's" already reads as a possessive
        return name
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


_AN_LETTERS = frozenset("AEFHILMNORSX")  # letters whose names start with a vowel sound ("an HR")
_A_PREFIXES = ("uni", "use", "usu", "eu", "one", "once")  # vowel letters read as a consonant


def indefinite(phrase: str) -> str:
    """English "a" or "an" before `phrase`, by how its first word is said ("an HR role")."""
    word = clean(phrase).split(" ", 1)[0] if clean(phrase) else ""
    if not word:
        return "a"
    if word.isupper() and len(word) > 1:  # read out letter by letter
        return "an" if word[0] in _AN_LETTERS else "a"
    lower = word.casefold()
    if lower.startswith(_A_PREFIXES):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"


def stage(value: str) -> str:
    """A stage as a person says it: "final round", never `final_round`."""
    return STAGES.get(value, value.replace("_", " "))


@lru_cache(maxsize=4096)
def clean(text: str) -> str:
    """Client text fit to quote: control characters gone, spacing collapsed, ends trimmed."""
    if text.isprintable() and "  " not in text and text == text.strip():
        return text  # the usual case, checked in C (rendering calls this hundreds of times)
    printable = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)
    return _SPACE.sub(" ", printable).strip()


def excerpt(text: str, sentences: int = 2, limit: int = EXCERPT_CHARS) -> str:
    """The first sentence or two of client text, cut at a word near `limit` with "…"."""
    text = clean(text)
    short = " ".join(_SENTENCE_END.split(text)[:sentences])
    if len(short) <= limit:
        return short
    cut = short[:limit].rsplit(" ", 1)[0].rstrip(",;:-")
    return f"{cut}…"


def sentence_case(text: str) -> str:
    """The first letter upper-cased (templates may start with a client's lower-case word)."""
    return text[:1].upper() + text[1:] if text else text
