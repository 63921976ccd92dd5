"""Set new goals: after many rejections, step back, re-aim and set weekly goals you control."""

import math
from datetime import timedelta

from app.rules.base import Reason, Recommendation, rule, scenario
from app.rules.context import GoalPace, RuleContext, Window

MANY_REJECTIONS = 10
MANY_WINDOW_DAYS = 90
WEEKLY_APPLICATIONS_GOAL = {
    "title": "Apply to 5 well-matched roles a week",
    "kind": "applications",
    "target": 5,
    "unit": "applications",
    "period": "week",
}


def missed_goals(ctx: RuleContext) -> list[GoalPace]:
    """One-off goals whose due date passed unreached, not acted on yet."""
    return [g for g in ctx.history.missed_goals if _missed_key(g) not in ctx.history.acted_on]


def _missed_key(goal: GoalPace) -> str:
    return f"missed:{goal.goal_id}:{goal.period_end.isoformat()}"  # a new due date, a new miss


def _retry(goal: GoalPace) -> dict[str, object]:
    """The rest of a missed goal, as a fresh one-off goal (its due date is set on acceptance)."""
    return {
        "title": goal.title,  # the same goal again, for the part still to do
        "kind": goal.kind,
        "target": max(1, math.ceil(goal.target - goal.current)),
        "unit": goal.unit,
        "period": "none",
    }


RECOMMENDATION = Recommendation(
    key="set_new_goals",
    title="Set new goals",
    summary="Step back from single applications, re-check your target and set weekly goals.",
    guidance=(
        "Ten or more rejections in a few months is a good moment to look at the search as a "
        "whole rather than one application at a time. The question is not whether to keep "
        "going but whether the direction and the method still fit.\n\n"
        "Check your target: are the roles at the right level, in sectors that are hiring, and "
        "close enough to your experience that a screener sees the match quickly? A neighbouring "
        "title, a smaller company or a contract role can be a better bridge to where you want "
        "to be.\n\n"
        "Then turn the plan into goals you control and can count each week: well-matched "
        "applications, conversations with people in the field, a course finished. Review them "
        "once a week and set the numbers to what is realistic rather than heroic."
    ),
    actions=(
        "Write down the two or three kinds of role you are really aiming for, and why",
        "Compare your recent rejections with those targets and drop the ones that do not fit",
        "Set a weekly goal for well-matched applications",
        "Add one networking or learning goal alongside it",
        "Review your progress every week and adjust the targets",
    ),
    priority=60,
    due_after=timedelta(days=3),
)


@rule(
    fires=[scenario(windows={90: Window(total=10)}), scenario(windows={90: Window(total=14)})],
    silent=[scenario(windows={90: Window(total=9)}), scenario()],
)
def many_rejections(ctx: RuleContext) -> Reason | None:
    """Ten or more rejections within 90 days call for re-targeting and a weekly goal."""
    count = ctx.history.window(MANY_WINDOW_DAYS).total
    if count >= MANY_REJECTIONS:
        return Reason(
            "",
            {"rejections": count, "window_days": MANY_WINDOW_DAYS, "threshold": MANY_REJECTIONS},
            suggested_goal=dict(WEEKLY_APPLICATIONS_GOAL),
        )
    return None


@rule(
    fires=[scenario(), scenario(windows={90: Window(total=12)})],
    silent=[scenario(active_goals=(GoalPace("gol_1", "Meet 3 people", "networking", "ahead"),))],
)
def no_active_goal(ctx: RuleContext) -> Reason | None:
    """A rejection arrives and the seeker has no active goal: suggest 5 applications a week."""
    if ctx.history.active_goals:
        return None
    return Reason(
        "",
        {"active_goals": 0},
        suggested_goal=dict(WEEKLY_APPLICATIONS_GOAL),
    )


MISSED = GoalPace(
    goal_id="gol_9",
    title="Finish the SQL course",
    kind="learning",
    pace="behind",
    unit="courses",
    current=0,
    target=1,
    period="none",
)


@rule(
    on=("time",),
    fires=[scenario(trigger="time", missed_goals=(MISSED,))],
    silent=[
        scenario(trigger="time"),
        scenario(
            trigger="time",
            missed_goals=(MISSED,),
            acted_on=frozenset({"missed:gol_9:2026-03-08"}),
        ),
    ],
)
def missed_goal(ctx: RuleContext) -> Reason | None:
    """A one-off goal's due date passed before it was reached: suggest setting the rest again."""
    goals = missed_goals(ctx)
    if not goals:
        return None
    goal = goals[0]
    return Reason(
        "",
        {
            "goals": [
                {"goal_id": g.goal_id, "title": g.title, "unit": g.unit}
                | {"current": g.current, "target": g.target}
                for g in goals
            ]
        },
        suggested_goal=_retry(goal),
        findings=tuple(_missed_key(g) for g in goals),
    )
