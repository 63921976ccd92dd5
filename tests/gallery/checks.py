"""Reading the replayed corpus as a reviewer would: each text a seeker reads, by sentence."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tests.gallery.model import History, Reject
from tests.gallery.replay import Replayed

CARE_KEYS = frozenset(
    {"acknowledge_feelings", "avoid_taking_it_personally", "maintain_positive_attitude"}
)
DAY = timedelta(hours=24)
NUMBER_WORDS = {
    "once": 1,
    "one": 1,
    "twice": 2,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


@dataclass(frozen=True)
class Text:
    """One piece of text a seeker reads, and where it comes from (for failure messages)."""

    history: History
    key: str
    text: str

    def __str__(self) -> str:
        return f"{self.history.slug} / {self.key}: {self.text!r}"


def step_texts(step: dict[str, Any]) -> Iterator[str]:
    """Every string of a step a seeker reads: title, body, actions, draft, reasons, goal."""
    yield step["title"]
    yield step["body"]
    yield from step["actions"]
    if step["draft_message"]:
        yield step["draft_message"]
    yield from (entry["reason"] for entry in step["explanation"])
    if step["suggested_goal"]:
        yield step["suggested_goal"]["title"]


def texts(results: list[Replayed], *, final_only: bool = False) -> Iterator[Text]:
    """Each distinct text read at the end of each history (and, unless `final_only`, after
    every rejection on the way)."""
    for result in results:
        seen: set[tuple[str, str]] = set()
        snapshots = [] if final_only else [s.steps for s in result.snapshots]
        for steps in [*snapshots, result.steps]:
            for step in steps:
                for text in step_texts(step):
                    if (step["recommendation_key"], text) not in seen:
                        seen.add((step["recommendation_key"], text))
                        yield Text(result.history, step["recommendation_key"], text)


def sentences(text: str) -> list[str]:
    """The text cut into sentences (and lines: drafts and lists are line-shaped)."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def mentions(term: str, text: str, *, ignore_case: bool = False) -> list[str]:
    """How `term` is spelled wherever it stands alone in `text` (not inside a longer word)."""
    flags = re.IGNORECASE if ignore_case else 0
    pattern = rf"(?<![\w+#]){re.escape(term)}(?![\w+#])"
    return [m.group(0) for m in re.finditer(pattern, text, flags)]


def count_word(token: str) -> int | None:
    """The number a count word or numeral stands for ("twice" is 2), if it is one."""
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token.lower())


def kept_rejections(history: History) -> list[Reject]:
    """The rejections still recorded at the end (deleted ones left out)."""
    return [r for r in history.rejections if r.ref is None or r.ref not in history.deleted]


def due_within_a_day(steps: list[dict[str, Any]], at: datetime) -> list[dict[str, Any]]:
    """The steps due by 24 h after `at`, overdue ones included: what lands on the seeker now.

    A step due exactly 24 h later counts: "tomorrow" is within the day a seeker plans.
    """
    return [s for s in steps if datetime.fromisoformat(s["due_at"]) <= at + DAY]


def spellings(history: History) -> dict[str, str]:
    """Each skill the client named (casefolded) -> the spelling that should be shown.

    The most common spelling wins, ties going to the one sent first (profile, then events).
    """
    sent = list(history.profile.skills)
    sent += [s for r in kept_rejections(history) for s in r.missing_skills]
    counts: dict[str, dict[str, int]] = {}
    for spelling in sent:
        forms = counts.setdefault(spelling.casefold(), {})
        forms[spelling] = forms.get(spelling, 0) + 1
    return {key: max(forms, key=lambda f: forms[f]) for key, forms in counts.items()}
