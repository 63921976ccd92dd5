"""Seek constructive feedback: ask the employer, politely, what would have made the difference."""

from datetime import timedelta

from app.rules.base import Reason, Recommendation, rule, scenario
from app.rules.context import RuleContext

PAST_SCREENING = ("phone_screen", "assessment", "interview", "final_round", "offer")
INTERVIEWED = ("interview", "final_round", "offer")


RECOMMENDATION = Recommendation(
    key="seek_feedback",
    title="Ask for constructive feedback",
    summary="A brief, polite request can turn a rejection into concrete pointers.",
    guidance=(
        "Employers rarely volunteer reasons, but many will answer a short, courteous question, "
        "especially once you have met them in an interview. What they tell you is often the most "
        "precise information you will get about how you come across.\n\n"
        "Wait a day before you write, so that the message reads as calm rather than hurt. Thank "
        "them, accept the decision, and ask one focused question: what one thing would have made "
        "your application stronger? Do not argue with the answer.\n\n"
        "If nobody replies within a week, let it go. Silence is common and says nothing about you; "
        "your own review of the process is worth just as much."
    ),
    actions=(
        "Wait a day, then send a short thank-you note that asks for one or two pointers",
        "Address the person you spoke with, by name where you can",
        "Write down what they say, word for word, next to the role it came from",
        "Look for the same remark across several employers before acting on it",
    ),
    priority=20,
    due_after=timedelta(days=1),
    per_company=True,
)


def situation(ctx: RuleContext) -> str:
    """Which message fits the employer's answer: a decision (""), a closed or frozen role, a
    withdrawn offer, or silence."""
    event = ctx.rejection
    if event.silent:
        return "silent"
    if event.stage == "offer":  # an offer withdrawn, whatever the reason given
        return "rescinded"
    if event.reason == "position_closed":
        return "closed"
    return ""


@rule(
    version=2,
    fires=[
        scenario(stage="interview"),
        scenario(stage="final_round"),
        scenario(stage="offer"),
        scenario(stage="interview", reason="position_closed"),
    ],
    silent=[
        scenario(stage="interview", feedback="We went with someone with more dbt experience."),
        scenario(stage="application_review"),
        scenario(stage="phone_screen"),
        scenario(stage="interview", reason="no_response"),
    ],
)
def after_interview(ctx: RuleContext) -> Reason | None:
    """After an interview, final round or offer stage with no feedback given, write to them: a
    feedback request, a keep-in-touch note for a closed role, a question about a withdrawn offer."""
    event = ctx.rejection
    if event.stage in INTERVIEWED and not event.feedback and not event.silent:
        return Reason(situation(ctx), {"stage": event.stage, "feedback_given": False})
    return None


@rule(
    fires=[scenario(stage="phone_screen", reason="unspecified")],
    silent=[
        scenario(stage="application_review", reason="unspecified"),
        scenario(stage="phone_screen", reason="other_candidate"),
        scenario(stage="phone_screen", reason="unspecified", feedback="Not enough SQL."),
        scenario(stage="phone_screen", reason="unspecified", ended_by="unknown"),
    ],
)
def vague_reason(ctx: RuleContext) -> Reason | None:
    """Past the application review, with no reason and no feedback, ask what it was."""
    event = ctx.rejection
    if (
        event.stage in PAST_SCREENING
        and event.reason == "unspecified"
        and not event.feedback
        and not event.silent
    ):
        return Reason("", {"stage": event.stage, "reason": event.reason, "feedback_given": False})
    return None


@rule(
    fires=[
        scenario(stage="interview", reason="no_response"),
        scenario(stage="phone_screen", ended_by="unknown"),
    ],
    silent=[
        scenario(stage="application_review", reason="no_response"),
        scenario(stage="interview"),
    ],
)
def after_silence(ctx: RuleContext) -> Reason | None:
    """Past the application review, the employer stopped answering: follow up once, kindly."""
    event = ctx.rejection
    if event.stage in PAST_SCREENING and event.silent:
        return Reason("", {"stage": event.stage, "reason": event.reason})
    return None
