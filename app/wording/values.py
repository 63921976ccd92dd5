"""Facts as template values: display text, never raw enum values or unrounded numbers."""

from collections.abc import Mapping
from typing import Any

from app.wording import language
from app.wording.facts import EventFacts
from app.wording.say import Say


def event_values(
    event: EventFacts | None, say: Say, shown: Mapping[str, str] | None = None
) -> dict[str, str]:
    """An event's facts as template values (display text), empty for time passing."""
    if event is None:
        return {}
    values = {
        "company": language.clean(event.company),
        "companys": language.possessive(event.company),
        "role": language.clean(event.role),
        "stage": language.stage(event.stage),
        "missing_skills": say.join(language.distinct(event.missing_skills, shown)),
    }
    if event.contact_name:
        values["contact_name"] = language.clean(event.contact_name)
    if event.feedback:
        values["feedback"] = language.excerpt(event.feedback)
    if event.reason_detail:
        values["reason_detail"] = language.excerpt(event.reason_detail, sentences=1, limit=120)
    if event.mood is not None:
        values["mood"] = str(event.mood)
    return values


def fact_values(facts: Mapping[str, Any], say: Say) -> dict[str, str]:
    """A rule's facts as template values: numbers rounded, lists joined, stages human."""
    values: dict[str, str] = {}
    for name, value in facts.items():
        if isinstance(value, bool) or value is None or isinstance(value, dict):
            continue
        if isinstance(value, int):
            values[name] = str(value)
            values[f"{name}_word"] = language.number_word(value)
            values[f"{name}_times"] = language.times(value)
        elif isinstance(value, float):
            values[name] = say.amount(value)
            values[f"{name}_about"] = say.about(value)
        elif isinstance(value, str):
            values[name] = language.stage(value) if name == "stage" else language.clean(value)
        elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            values[name] = say.join(language.distinct(value))
    return values
