"""What several composers say the same way: who the events were with, which skills they named,
how the seeker signs a message, and the recommendation's actions that fit the case."""

from collections.abc import Iterable, Sequence

from app.rules.context import is_silent
from app.wording import language
from app.wording.facts import EventFacts, Evidence, HitFacts, StepFacts
from app.wording.say import Say
from app.wording.values import event_values

MAX_NAMED = 3  # companies named in one sentence; the rest are counted


def silent(event: EventFacts) -> bool:
    """Nobody said no: the employer stopped answering (not to be called a rejection)."""
    return is_silent(event.reason, event.ended_by)


def companies(events: Iterable[EventFacts]) -> list[str]:
    """The companies of these events once each, newest first, in their most common spelling."""
    events = list(events)
    return language.distinct([e.company for e in events])


def named(say: Say, names: Sequence[str]) -> str:
    """Up to MAX_NAMED names as prose, the rest counted: "A, B and 2 others"."""
    if len(names) <= MAX_NAMED:
        return say.join(list(names))
    rest = len(names) - (MAX_NAMED - 1)
    return say.join(
        [*names[: MAX_NAMED - 1], say("common.others", count=rest, count_word=str(rest))]
    )


def fields(event: EventFacts, say: Say) -> dict[str, str]:
    """The event's facts as template values."""
    return event_values(event, say)


def skills_by_company(step: StepFacts) -> list[tuple[str, list[str]]]:
    """Each missing skill named by the supporting events kept, with the companies that named it:
    most companies first, then newest; skills in their most common spelling."""
    events = [e for _, e in step.events]
    # Oldest first, so that a tie goes to the spelling sent first, as the history's does.
    shown = language.spellings(s for e in reversed(events) for s in e.missing_skills)
    who: dict[str, list[str]] = {}
    for event in events:
        for skill in language.distinct(event.missing_skills, shown):
            key = language.fold(skill)
            names = who.setdefault(key, [])
            if language.fold(event.company) not in {language.fold(n) for n in names}:
                names.append(language.clean(event.company))
    order = {key: i for i, key in enumerate(who)}
    ranked = sorted(who, key=lambda k: (-len(who[k]), order[k]))
    return [(shown[k], who[k]) for k in ranked]


def signature(step: StepFacts, say: Say) -> str:
    """How the seeker signs a draft: their name, or a marker to fill in when we do not know it."""
    name = language.clean(step.seeker.display_name or "")
    return say("common.sign_off", name=name or say("common.your_name"))


def greeting(event: EventFacts, say: Say) -> str:
    """Dear <the person> when the seeker named one, else the company's hiring team."""
    if event.contact_name:
        return say("common.dear_person", contact_name=language.clean(event.contact_name))
    return say("common.dear_team", company=language.clean(event.company))


def first_hit(step: StepFacts, rule_id: str) -> tuple[Evidence, HitFacts] | None:
    """The newest evidence where a rule fired, with its hit."""
    found = step.hits(rule_id)
    return found[0] if found else None


def actions(step: StepFacts, say: Say, keys: Sequence[str]) -> tuple[str, ...]:
    """The catalog's actions for this step, in the order given, each once."""
    prefix = f"{step.key}.action."
    return tuple(dict.fromkeys(say(prefix + key) for key in keys))


def target_roles(step: StepFacts, say: Say) -> str | None:
    """The roles the seeker aims at, as alternatives ("data scientist or ML engineer")."""
    roles = language.distinct(step.seeker.target_roles)
    return say.join_or(roles) if roles else None


def a_target_role(step: StepFacts, say: Say) -> str | None:
    """The target roles after an article: "an HR generalist or people partner"."""
    roles = target_roles(step, say)
    return f"{language.indefinite(roles)} {roles}" if roles else None
