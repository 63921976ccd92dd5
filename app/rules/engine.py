"""evaluate(registry, ctx): the ordered, explained suggestions for one trigger; deterministic."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.rules.base import Recommendation, StepText
from app.rules.context import RuleContext
from app.rules.registry import Registry


@dataclass(frozen=True)
class Explanation:
    """One rule that fired: which, which version, why, and the facts it used."""

    rule_id: str
    rule_version: int
    reason: str
    facts: Mapping[str, Any]


@dataclass(frozen=True)
class Suggestion:
    """A recommendation made concrete for one event."""

    recommendation_key: str
    title: str
    body: str
    actions: tuple[str, ...]
    priority: int
    due_after: timedelta
    explanation: tuple[Explanation, ...]
    draft_message: str | None = None
    suggested_goal: Mapping[str, Any] | None = None
    findings: tuple[str, ...] = ()  # what time-triggered rules acted on (see Reason.findings)


def _text(recommendation: Recommendation, ctx: RuleContext) -> StepText:
    if recommendation.render is not None:
        return recommendation.render(ctx)
    event = ctx.event
    if event is None:
        return StepText(title=recommendation.title, body=recommendation.summary)
    return StepText(
        title=recommendation.title,
        body=f"After {event.company} ({event.role}): {recommendation.summary}",
    )


def evaluate(registry: Registry, ctx: RuleContext) -> list[Suggestion]:
    """Run the rules that answer ctx's trigger; one suggestion per recommendation that fired.

    A rejection the candidate ended produces no rejection coaching.
    """
    if not ctx.employer_ended:
        return []
    suggestions = []
    for recommendation in registry.recommendations:
        explanation = []
        goal = None
        findings: list[str] = []
        for rule in registry.rules_for(recommendation.key):
            if ctx.trigger not in rule.on:
                continue
            reason = rule.evaluate(ctx)
            if reason is None:
                continue
            explanation.append(Explanation(rule.id, rule.version, reason.text, dict(reason.facts)))
            goal = goal or reason.suggested_goal
            findings += reason.findings
        if not explanation:
            continue
        text = _text(recommendation, ctx)
        suggestions.append(
            Suggestion(
                recommendation_key=recommendation.key,
                title=text.title,
                body=text.body,
                actions=recommendation.actions,
                priority=recommendation.priority,
                due_after=recommendation.due_after,
                explanation=tuple(explanation),
                draft_message=text.draft_message,
                suggested_goal=goal,
                findings=tuple(findings),
            )
        )
    return suggestions
