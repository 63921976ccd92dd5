"""Stay proactive: keep applications in flight so that no single answer carries the whole search."""

from datetime import timedelta

from app.rules.base import Reason, Recommendation, StepText, rule, scenario
from app.rules.context import RuleContext

MOMENTUM_REASONS = ("other_candidate", "position_closed")
QUIET_DAYS = 7  # no application in the last 7 days (today included) counts as a lull


def render(ctx: RuleContext) -> StepText:
    """Name the company and role, and how long it has been since the last application."""
    event = ctx.event
    days = ctx.history.days_since_last_application
    if days is None:
        opening = "There is no application on record yet, so the next one starts the pipeline."
    elif days >= QUIET_DAYS:
        opening = (
            f"Your last application went out {days} days ago; time to fill the pipeline again."
        )
    else:
        opening = f"{event.company}'s outcome for the {event.role} role was outside your control."
    return StepText(
        title=f"Keep applying after {event.company}",
        body=(
            f"{opening} Send another well-matched application in the next couple of days, "
            f"ideally for a role like {event.role}, so there is always something in play."
        ),
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
    render=render,
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
    reason = ctx.event.reason
    days = ctx.history.days_since_last_application
    quiet = days is None or days >= QUIET_DAYS
    if reason not in MOMENTUM_REASONS and not quiet:
        return None
    if reason in MOMENTUM_REASONS:
        text = f"The reason given ({reason.replace('_', ' ')}) was outside your control."
    elif days is None:
        text = "No application is on record yet."
    else:
        text = f"Your last application was {days} days ago."
    return Reason(
        text,
        {"reason": reason, "days_since_last_application": days, "quiet_days": QUIET_DAYS},
    )
