"""Stay proactive: keep applications in flight so that no single answer carries the whole search."""

from dataclasses import replace
from datetime import timedelta

from app.rules.base import (
    EXAMPLE_DAY,
    Reason,
    Recommendation,
    rule,
    scenario,
)
from app.rules.context import GoalPace, RuleContext, Unanswered

MOMENTUM_REASONS = ("other_candidate", "position_closed")
QUIET_DAYS = 7  # no application in the last 7 days (today included) counts as a lull
DRY_SPELL_DAYS = 14  # with no rejection either, the sweep nudges after 14 quiet days
UNANSWERED_DAYS = 30  # no answer after 30 days: the seeker was probably ghosted; follow up once


def behind_goals(ctx: RuleContext) -> list[GoalPace]:
    """Applications goals more than a day's worth behind their pace line (not yet acted on)."""
    return [
        g
        for g in ctx.history.active_goals
        if g.kind == "applications"
        and g.pace == "behind"
        and g.expected - g.current >= g.this_period / g.period_days - 1e-9
        and _behind_key(g) not in ctx.history.acted_on
    ]


def _behind_key(goal: GoalPace) -> str:
    return f"behind:{goal.goal_id}:{goal.period_start.isoformat()}"


def unanswered(ctx: RuleContext) -> list[Unanswered]:
    """Applications with no answer for UNANSWERED_DAYS or more, not followed up yet."""
    return [
        a
        for a in ctx.history.unanswered
        if a.days_waiting >= UNANSWERED_DAYS and _unanswered_key(a) not in ctx.history.acted_on
    ]


def _unanswered_key(application: Unanswered) -> str:
    return f"unanswered:{application.application_id}"


def _dry_spell_key(ctx: RuleContext) -> str | None:
    last = ctx.history.last_application_on
    days = ctx.history.days_since_last_application
    if last is None or days is None or days < DRY_SPELL_DAYS:
        return None
    key = f"dry_spell:{last.isoformat()}"
    return None if key in ctx.history.acted_on else key


def _goal_line(goal: GoalPace) -> str:
    return (
        f"{goal.title!r}: {goal.current:g} of {goal.target:g} {goal.unit} this {goal.period}, "
        f"where a steady pace would be at {goal.expected:g} by now"
    )


def _follow_up_draft(application: Unanswered) -> str:
    return (
        f"Hello, I applied for the {application.role} role at {application.company} on "
        f"{application.applied_on:%d %B %Y} and wanted to check whether it is still open. "
        "I remain very interested and would be glad to send anything that helps. "
        "Thank you for your time."
    )


RECOMMENDATION = Recommendation(
    key="stay_proactive",
    title="Stay proactive",
    summary="Keep a few applications in flight so no single answer decides your week.",
    guidance=(
        "A search moves forward through steady activity and what you learn from it. Long gaps "
        "make each rejection weigh more, because nothing else is in flight; a few live "
        "applications at any time keep one answer from feeling like the only one.\n\n"
        "When a role is closed or goes to someone else, there was little you could have "
        "changed, so the best reply is simply the next application. Keep a short list of target "
        "employers and postings so you never start from a blank page.\n\n"
        "Aim for a pace you can hold for months rather than a burst you cannot sustain. A fixed "
        "weekly slot for searching and applying, and a tracker that shows what is in progress, "
        "make the habit easier to keep on a bad week."
    ),
    actions=(
        "Send at least one well-matched application in the next two days",
        "Keep a list of ten employers you would like to join and check their openings weekly",
        "Set up saved searches or job alerts for your target roles",
        "Block a fixed weekly slot in your calendar for searching and applying",
        "Track every application and its stage so you can see what is still in play",
    ),
    priority=45,
    due_after=timedelta(days=2),
)


@rule(
    fires=[
        scenario(reason="other_candidate"),
        scenario(reason="position_closed"),
        scenario(reason="unspecified", days_since_last_application=7),
        scenario(reason="lacks_skills", days_since_last_application=None),
    ],
    silent=[
        scenario(reason="lacks_skills", days_since_last_application=6),
        scenario(reason="unspecified", days_since_last_application=2),
    ],
)
def keep_momentum(ctx: RuleContext) -> Reason | None:
    """The role went to someone else or was closed, or you have not applied in the last 7 days."""
    reason = ctx.rejection.reason
    days = ctx.history.days_since_last_application
    quiet = days is None or days >= QUIET_DAYS
    if reason not in MOMENTUM_REASONS and not quiet:
        return None
    key = reason if reason in MOMENTUM_REASONS else ("quiet" if days is not None else "no_record")
    if key in MOMENTUM_REASONS and ctx.rejection.stage == "offer":
        key = "offer_withdrawn"
    return Reason(
        key, {"reason": reason, "days_since_last_application": days, "quiet_days": QUIET_DAYS}
    )


BEHIND = GoalPace(
    goal_id="gol_1",
    title="Apply to 5 roles a week",
    kind="applications",
    pace="behind",
    current=1,
    target=5,
    expected=3.57,
)
SLIGHTLY_BEHIND = replace(BEHIND, current=3)  # 0.57 behind: less than a day's worth


@rule(
    on=("rejection", "time"),
    fires=[
        scenario(active_goals=(BEHIND,)),
        scenario(trigger="time", active_goals=(BEHIND,)),
    ],
    silent=[
        scenario(active_goals=(SLIGHTLY_BEHIND,)),
        scenario(active_goals=(GoalPace("gol_2", "Meet 3 people", "networking", "behind"),)),
        scenario(
            trigger="time", active_goals=(BEHIND,), acted_on=frozenset({"behind:gol_1:2026-03-02"})
        ),
    ],
)
def behind_on_goal(ctx: RuleContext) -> Reason | None:
    """An applications goal is more than a day's worth behind its pace line this period."""
    goals = behind_goals(ctx)
    if not goals:
        return None
    first = goals[0]
    return Reason(
        "",
        {
            "title": first.title,
            "current": float(first.current),
            "target": float(first.target),
            "period_target": float(first.this_period),
            "unit": first.unit,
            "goals": [
                {
                    "goal_id": g.goal_id,
                    "title": g.title,
                    "unit": g.unit,
                    "period": g.period,
                    "current": g.current,
                    "expected": g.expected,
                    "target": g.target,
                    "period_target": g.this_period,
                    "period_start": g.period_start.isoformat(),
                    "period_end": g.period_end.isoformat(),
                }
                for g in goals
            ],
        },
        findings=tuple(_behind_key(g) for g in goals),
    )


def _waiting(days: int, application_id: str = "app_1") -> Unanswered:
    return Unanswered(application_id, "Globex", "Analyst", EXAMPLE_DAY - timedelta(days=days), days)


@rule(
    on=("time",),
    fires=[
        scenario(trigger="time", unanswered=(_waiting(30),)),
        scenario(trigger="time", unanswered=(_waiting(45), _waiting(31, "app_2"))),
    ],
    silent=[
        scenario(trigger="time", unanswered=(_waiting(29),)),
        scenario(
            trigger="time", unanswered=(_waiting(40),), acted_on=frozenset({"unanswered:app_1"})
        ),
    ],
)
def follow_up_unanswered(ctx: RuleContext) -> Reason | None:
    """An application has had no answer for 30 days or more: follow up once, then move on."""
    waiting = unanswered(ctx)
    if not waiting:
        return None
    return Reason(
        "",
        {
            "threshold_days": UNANSWERED_DAYS,
            "applications": [
                {
                    "application_id": a.application_id,
                    "company": a.company,
                    "role": a.role,
                    "applied_on": a.applied_on.isoformat(),
                    "days_waiting": a.days_waiting,
                }
                for a in waiting
            ],
        },
        findings=tuple(_unanswered_key(a) for a in waiting),
    )


@rule(
    on=("time",),
    fires=[
        scenario(trigger="time", days_since_last_application=14),
        scenario(trigger="time", days_since_last_application=60),
    ],
    silent=[
        scenario(trigger="time", days_since_last_application=13),
        scenario(trigger="time", days_since_last_application=None),
        scenario(
            trigger="time",
            days_since_last_application=20,
            acted_on=frozenset({"dry_spell:2026-02-12"}),
        ),
    ],
)
def dry_spell(ctx: RuleContext) -> Reason | None:
    """No application in the last 14 days (once per last application)."""
    key = _dry_spell_key(ctx)
    if key is None:
        return None
    days = ctx.history.days_since_last_application
    return Reason(
        "",
        {
            "days_since_last_application": days,
            "last_application_on": str(ctx.history.last_application_on),
            "threshold_days": DRY_SPELL_DAYS,
        },
        findings=(key,),
    )
