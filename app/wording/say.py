"""`Say`: a template catalog and the language helpers of one locale, for composers to write with.

`say("seek_feedback.title", company=...)` picks the template and fills it in; with `count=`, the
locale's plural rule picks the form. A missing template or value raises, so a composer bug is
found by the tests (and, in production, logged and the step falls back to plain words) rather
than shipped as "{company}".
"""

from collections.abc import Sequence
from typing import Any

from app.wording import language
from app.wording.catalogs import DEFAULT_LANGUAGE, catalog, languages


class _Values(dict[str, Any]):
    def __missing__(self, key: str) -> Any:
        raise KeyError(f"no value for {{{key}}}")


class Say:
    """Writing in one locale."""

    def __init__(self, locale: str | None) -> None:
        # Lists, plurals and numbers follow the language the words are written in: a seeker whose
        # language has no catalog yet reads English, with English punctuation ("A, B and C").
        written = language.cldr(locale).language
        self.locale = locale if written in languages() else None
        self.language = written if written in languages() else DEFAULT_LANGUAGE
        self.templates = catalog(self.language)

    def __call__(self, key: str, /, **values: Any) -> str:
        """The template `key` filled with `values`; a number `count` picks the plural form."""
        template = self.templates[key]
        count = values.get("count")
        if isinstance(count, int | float):
            values["count"] = language.amount(count, self.locale)
        else:
            count = None
        if not isinstance(template, str):
            if count is None:
                raise KeyError(f"{key!r} counts something: pass count=")
            form = language.cldr(self.locale).plural_form(count)
            template = template.get(form, template["other"])
        for name, value in values.items():
            if not isinstance(value, str | int):
                raise TypeError(f"{name}: template values are prepared text, not {type(value)}")
        return template.format_map(_Values(values))  # in C: rendering fills dozens per request

    def has(self, key: str) -> bool:
        """Whether the catalog has this key."""
        return key in self.templates

    def sentences(self, parts: Sequence[str]) -> str:
        """Sentences one after another, each starting with a capital."""
        return " ".join(language.sentence_case(p) for p in parts if p)

    def join(self, items: Sequence[str]) -> str:
        """Items as prose in this locale: "A, B and C"."""
        return language.join(items, self.locale)

    def join_or(self, items: Sequence[str]) -> str:
        """Alternatives in this locale: "A, B or C"."""
        return language.join_or(items, self.locale)

    def amount(self, value: float) -> str:
        """A figure a person reads, rounded."""
        return language.amount(value, self.locale)

    def about(self, value: float) -> str:
        """An estimate: "about 3"."""
        return language.about(value, self.locale)
