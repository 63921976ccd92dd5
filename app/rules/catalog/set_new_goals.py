"""Set new goals: after many rejections, step back, re-aim and set weekly goals you control."""

from datetime import timedelta

from app.rules.base import Reason, Recommendation, StepText, rule, scenario
from app.rules.context import RuleContext, Window

MANY_REJECTIONS = 10
MANY_WINDOW_DAYS = 90
WEEKLY_APPLICATIONS_GOAL = {
    "title": "Apply to 5 well-matched roles a week",
    "kind": "applications",
    "target": 5,
    "unit": "applications",
    "period": "week",
}


def render(ctx: RuleContext) -> StepText:
    """Name the company and role, the count, and the roles the seeker is aiming for."""
    event = ctx.event
    count = ctx.history.window(MANY_WINDOW_DAYS).total
    roles = ctx.profile.target_roles
    aim = f"roles such as {', '.join(roles)}" if roles else f"roles like {event.role}"
    return StepText(
        title=f"Reset your search plan after {count} rejections",
        body=(
            f"{event.company}'s answer on the {event.role} role makes {count} rejections in "
            f"{MANY_WINDOW_DAYS} days. Check whether {aim} are still the right target at the "
            "right level, then set a weekly goal you control, such as a number of well-matched "
            "applications."
        ),
    )


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
    render=render,
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
            f"You have had {count} rejections in the last {MANY_WINDOW_DAYS} days.",
            {"rejections": count, "window_days": MANY_WINDOW_DAYS, "threshold": MANY_REJECTIONS},
            suggested_goal=dict(WEEKLY_APPLICATIONS_GOAL),
        )
    return None
