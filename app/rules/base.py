"""The vocabulary of the rule engine: recommendations, rules, their examples and what they produce.

A catalog module (`rules/catalog/<key>.py`) defines one `RECOMMENDATION` and any number of rules:
plain functions decorated with `@rule`, taking a RuleContext and returning a `Reason` (the rule
fired, with the facts it used) or None. Each rule carries examples that must fire and examples that
must stay silent; one generic test runs them all.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.rules.context import (
    Event,
    GoalPace,
    History,
    Profile,
    RuleContext,
    Trigger,
    Unanswered,
    Window,
)

REJECTION_ONLY: frozenset[Trigger] = frozenset({"rejection"})


@dataclass(frozen=True)
class Recommendation:
    """One of the recommendations: advice in general, and how its steps are scheduled.

    The words of a step are not written here: rules say *what* happened (a message key and the
    facts it rests on) and the text layer (`app/wording/`) writes the step from those facts.
    `care` marks the steps that look after the seeker rather than the search (with a low mood,
    only those are due at once); `per_company` lets one step stay open per company (a feedback
    request is written to one employer).
    """

    key: str
    title: str
    summary: str
    guidance: str
    actions: tuple[str, ...]
    priority: int  # lower comes first
    due_after: timedelta = timedelta(0)
    care: bool = False
    per_company: bool = False


@dataclass(frozen=True)
class Reason:
    """Why a rule fired: a message key (which explanation to give) and every fact it used.

    `key` names a variant of the rule's explanation ("" for the rule's own, "named" for
    `<rule id>.named`); the text layer words it. `findings` name what a time-triggered rule
    acted on ("unanswered:app_1"); the sweep stores them and passes them back in
    `History.acted_on`, so the same finding never nudges twice.
    """

    key: str
    facts: Mapping[str, Any] = field(default_factory=dict)
    suggested_goal: Mapping[str, Any] | None = None
    findings: tuple[str, ...] = ()


RuleFunction = Callable[[RuleContext], Reason | None]


@dataclass(frozen=True)
class RuleSpec:
    """What `@rule` attaches to a rule function."""

    version: int
    fires: tuple[RuleContext, ...]
    silent: tuple[RuleContext, ...]
    on: frozenset[Trigger] = REJECTION_ONLY


@dataclass(frozen=True)
class Rule:
    """A discovered rule: `<recommendation_key>.<function name>`."""

    id: str
    recommendation_key: str
    version: int
    description: str
    evaluate: RuleFunction
    fires: tuple[RuleContext, ...]
    silent: tuple[RuleContext, ...]
    on: frozenset[Trigger] = REJECTION_ONLY


def rule(
    *,
    version: int = 1,
    fires: list[RuleContext],
    silent: list[RuleContext],
    on: tuple[Trigger, ...] = ("rejection",),
) -> Callable[[RuleFunction], RuleFunction]:
    """Mark a catalog function as a rule, with examples that fire and examples that stay silent.

    `on` lists what the rule answers: a new rejection, time passing (the sweep), or both.
    """

    def mark(function: RuleFunction) -> RuleFunction:
        spec = RuleSpec(version, tuple(fires), tuple(silent), frozenset(on))
        function.__rule__ = spec  # type: ignore[attr-defined]
        return function

    return mark


EXAMPLE_TIME = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)  # a Wednesday
EXAMPLE_DAY = EXAMPLE_TIME.date()


def scenario(
    *,
    windows: Mapping[int, Window] | None = None,
    strengths: tuple[str, ...] = (),
    skills: tuple[str, ...] = (),
    target_roles: tuple[str, ...] = (),
    same_company_365: int = 1,
    missing_skills_90: Mapping[str, int] | None = None,
    days_since_last_application: int | None = 2,
    last_application_on: date | None = None,
    applications_7: int = 1,
    applications_30: int = 4,
    active_goals: tuple[GoalPace, ...] = (),
    missed_goals: tuple[GoalPace, ...] = (),
    unanswered: tuple[Unanswered, ...] = (),
    acted_on: frozenset[str] = frozenset(),
    trigger: Trigger = "rejection",
    **event: Any,
) -> RuleContext:
    """A context for examples: the event's fields as keywords, history and profile by name.

    With `trigger="time"` there is no event (the sweep's view of a seeker).
    """
    fields = {"company": "Acme", "role": "Data Analyst", "stage": "interview", **event}
    fields.setdefault("occurred_at", EXAMPLE_TIME)
    fields["missing_skills"] = tuple(fields.get("missing_skills", ()))
    return RuleContext(
        event=Event(**fields) if trigger == "rejection" else None,
        profile=Profile(strengths=strengths, skills=skills, target_roles=target_roles),
        history=History(
            windows=dict(windows or {}),
            same_company_365=same_company_365,
            missing_skills_90=dict(missing_skills_90 or {}),
            days_since_last_application=days_since_last_application,
            last_application_on=last_application_on
            or (
                None
                if days_since_last_application is None
                else EXAMPLE_TIME.date() - timedelta(days=days_since_last_application)
            ),
            applications_7=applications_7,
            applications_30=applications_30,
            active_goals=active_goals,
            missed_goals=missed_goals,
            unanswered=unanswered,
            acted_on=acted_on,
        ),
    )
