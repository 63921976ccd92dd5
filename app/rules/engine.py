"""evaluate(registry, ctx): the ordered, explained suggestions for one trigger; deterministic.

A suggestion says which recommendation applies and why (each rule that fired, with its message
key and facts); it carries no words. The step it becomes is written by the text layer from those
facts and the event's (`app/wording/`), so the same facts always read the same way.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.rules.context import RuleContext
from app.rules.registry import Registry
from app.wording.language import fold


@dataclass(frozen=True)
class Hit:
    """One rule that fired: which, which version, the message key of its explanation, its facts."""

    rule_id: str
    rule_version: int
    key: str
    facts: Mapping[str, Any]


@dataclass(frozen=True)
class Suggestion:
    """A recommendation that applies to one trigger, with the rules that made it apply."""

    recommendation_key: str
    priority: int
    due_after: timedelta
    hits: tuple[Hit, ...]
    care: bool = False
    scope: str = ""  # the company a per-company step is about (folded); "" for one per seeker
    suggested_goal: Mapping[str, Any] | None = None
    findings: tuple[str, ...] = ()  # what time-triggered rules acted on (see Reason.findings)


SCOPE_MAX = 200  # next_step.scope's width


def evaluate(registry: Registry, ctx: RuleContext) -> list[Suggestion]:
    """Run the rules that answer ctx's trigger; one suggestion per recommendation that fired.

    A rejection the candidate ended produces no rejection coaching.
    """
    if not ctx.employer_ended:
        return []
    suggestions = []
    for recommendation in registry.recommendations:
        hits = []
        goal = None
        findings: list[str] = []
        for rule in registry.rules_for(recommendation.key):
            if ctx.trigger not in rule.on:
                continue
            reason = rule.evaluate(ctx)
            if reason is None:
                continue
            key = f"{rule.id}.{reason.key}" if reason.key else rule.id
            hits.append(Hit(rule.id, rule.version, key, dict(reason.facts)))
            goal = goal or reason.suggested_goal
            findings += reason.findings
        if not hits:
            continue
        scope = ""
        if recommendation.per_company and ctx.event is not None:
            scope = fold(ctx.event.company)[:SCOPE_MAX]  # folding can lengthen ("ß" → "ss")
        suggestions.append(
            Suggestion(
                recommendation_key=recommendation.key,
                priority=recommendation.priority,
                due_after=recommendation.due_after,
                hits=tuple(hits),
                care=recommendation.care,
                scope=scope,
                suggested_goal=goal,
                findings=tuple(findings),
            )
        )
    return suggestions
