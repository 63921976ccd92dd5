"""render(step) -> the words of a step and its explanation, from the facts it rests on.

Rendering is pure and deterministic. A composer bug must never fail the request that changed the
step: it is logged, and the step reads its recommendation's own title, summary and actions until
the next change renders it again.
"""

import logging
from dataclasses import dataclass

from app.wording import language
from app.wording.advice import composers
from app.wording.facts import Evidence, HitFacts, Line, StepFacts, Words
from app.wording.say import Say
from app.wording.values import event_values, fact_values

MAX_LINES = 10
logger = logging.getLogger("rebound.wording")


@dataclass(frozen=True)
class Rendered:
    """What a seeker reads of one step."""

    words: Words
    explanation: tuple[Line, ...]


def render(step: StepFacts) -> Rendered:
    """The step's words and explanation in the seeker's locale."""
    say = Say(step.seeker.locale)
    try:
        compose = composers().get(step.key)
        words = compose(step, say) if compose else _plain(step, say)
        return Rendered(_finished(words), explain(step, say))
    except Exception:
        logger.exception("rendering a step failed", extra={"recommendation_key": step.key})
        fallback = step.fallback
        words = Words(fallback.title, fallback.summary, fallback.actions)
        lines = tuple(
            Line(h.rule_id, h.rule_version, fallback.summary, dict(h.facts), 1, e.rejection_id)
            for e, h in _distinct_hits(step)
        )
        return Rendered(words, lines)


def _plain(step: StepFacts, say: Say) -> Words:
    latest = step.latest
    body = step.fallback.summary
    if latest is not None:
        body = say("plain.body", company=language.clean(latest.company), summary=body)
    return Words(step.fallback.title, body, step.fallback.actions)


def _finished(words: Words) -> Words:
    """Sentences start with a capital; no action is listed twice."""
    actions = tuple(dict.fromkeys(language.sentence_case(a) for a in words.actions if a))
    return Words(
        language.sentence_case(words.title),
        language.sentence_case(words.body),
        actions,
        words.draft_message,
    )


def _distinct_hits(step: StepFacts) -> list[tuple[Evidence, HitFacts]]:
    seen: dict[str, tuple[Evidence, HitFacts]] = {}
    for evidence in step.evidence:
        for hit in evidence.hits:
            seen.setdefault(hit.rule_id, (evidence, hit))
    return list(seen.values())


def explain(step: StepFacts, say: Say) -> tuple[Line, ...]:
    """Each rule that fired, once, newest facts first, with how many events it fired for."""
    lines = []
    # One spelling per skill for the whole step, as its words use (the first sent wins a tie).
    shown = language.spellings(
        s for e in reversed(step.evidence) if e.event for s in e.event.missing_skills
    )
    for evidence, hit in _distinct_hits(step)[:MAX_LINES]:
        count = step.count(hit.rule_id)
        # The event's own facts win over a rule's copy of them (one spelling per skill).
        values = {**fact_values(hit.facts, say), **event_values(evidence.event, say, shown)}
        values["count_word"] = language.number_word(count)
        values["count_times"] = language.times(count)
        key = f"explain.{hit.key}"
        if say.has(key):
            reason = language.sentence_case(say(key, count=count, **values))
        else:  # a rule without a template of its own (a new catalog module) says what it checks
            reason = step.fallback.descriptions.get(hit.rule_id) or step.fallback.summary
        facts = dict(hit.facts)
        lines.append(
            Line(hit.rule_id, hit.rule_version, reason, facts, count, evidence.rejection_id)
        )
    return tuple(lines)
