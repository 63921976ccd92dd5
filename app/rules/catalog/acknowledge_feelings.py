"""Acknowledge your feelings: give the disappointment a short, deliberate pause before planning."""

from datetime import timedelta
from typing import Protocol

from app.rules.base import Reason, Recommendation, rule, scenario
from app.rules.context import LOW_MOOD, RuleContext, is_silent

RECOMMENDATION = Recommendation(
    key="acknowledge_feelings",
    title="Acknowledge how you feel",
    summary="Give the disappointment a short, deliberate pause before you plan the next move.",
    guidance=(
        "A rejection often lands harder than expected, because an application carries hopes "
        "about money, routine and who you want to become. Feeling flat, irritated or anxious "
        "afterwards is an ordinary response, not a sign that something is wrong with you.\n\n"
        "Pushing the feeling away tends to make it linger. Set a limit instead: an evening or a "
        "day in which you let it be what it is. Saying it out loud to someone you trust, or "
        "writing a few lines about it, turns a vague weight into something you can look at.\n\n"
        "When the pause is over, close it on purpose with one small practical task, such as "
        "updating your tracker. That marks the switch from reacting to planning, and keeps a "
        "single setback from colouring the whole week."
    ),
    actions=(
        "Give yourself a set time, such as the rest of today, before you analyse what went wrong",
        "Write two or three sentences about how the news made you feel",
        "Tell one person you trust what happened",
        "Do one thing that reliably restores you: a walk, exercise, a meal with a friend",
        "End the pause with one small task, like marking the application closed in your tracker",
    ),
    priority=10,
    due_after=timedelta(0),
    care=True,
)


class Ended(Protocol):
    """What says how a process ended (a rule's event, or the facts a step keeps of it)."""

    @property
    def stage(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def ended_by(self) -> str: ...


def situation(event: Ended) -> str:
    """How the process ended: silence, a withdrawn offer, a closed role, or a decision ("")."""
    if is_silent(event.reason, event.ended_by):
        return "silent"
    if event.stage == "offer":
        return "rescinded"
    return "closed" if event.reason == "position_closed" else ""


@rule(
    fires=[
        scenario(stage="application_review"),
        scenario(stage="offer", ended_by="unknown"),
    ],
    silent=[scenario(stage="interview", ended_by="candidate")],
)
def after_rejection(ctx: RuleContext) -> Reason | None:
    """Every rejection the employer (or nobody in particular) ended deserves a moment first."""
    event = ctx.rejection
    if not ctx.employer_ended:
        return None
    return Reason(
        situation(event),
        {
            "company": event.company,
            "role": event.role,
            "stage": event.stage,
            "ended_by": event.ended_by,
        },
    )


@rule(
    fires=[scenario(mood=2), scenario(mood=1)],
    silent=[scenario(mood=3), scenario(mood=None)],
)
def low_mood(ctx: RuleContext) -> Reason | None:
    """A mood rating of 2 or lower calls for some care before anything else."""
    mood = ctx.rejection.mood
    if mood is not None and mood <= LOW_MOOD:
        return Reason(
            "",
            {"mood": mood, "threshold": LOW_MOOD},
        )
    return None
