"""Seek constructive feedback: ask the employer, politely, what would have made the difference."""

from datetime import timedelta

from app.rules.base import Reason, Recommendation, StepText, rule, scenario
from app.rules.context import RuleContext

PAST_SCREENING = ("phone_screen", "assessment", "interview", "final_round", "offer")
INTERVIEWED = ("interview", "final_round", "offer")


def render(ctx: RuleContext) -> StepText:
    """Name the company and role, and draft the request."""
    event = ctx.rejection
    name = ctx.profile.display_name or "[your name]"
    draft = (
        f"Dear {event.company} hiring team,\n\n"
        f"Thank you for considering me for the {event.role} role and for the time you spent "
        "with me. I understand you have chosen another direction. If you are able to share it, "
        "I would value one or two pointers on what would have made my application stronger; "
        "I am working on improving and would take any feedback to heart.\n\n"
        f"Kind regards,\n{name}"
    )
    return StepText(
        title=f"Ask {event.company} for feedback on the {event.role} process",
        body=(
            f"You reached the {event.stage.replace('_', ' ')} stage at {event.company}, so they "
            "know your work well. A short, gracious note asking what would have made the "
            "difference often gets a useful answer, and keeps the door open for later roles."
        ),
        draft_message=draft,
    )


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
    render=render,
)


@rule(
    fires=[scenario(stage="interview"), scenario(stage="final_round"), scenario(stage="offer")],
    silent=[
        scenario(stage="interview", feedback="We went with someone with more dbt experience."),
        scenario(stage="application_review"),
        scenario(stage="phone_screen"),
    ],
)
def after_interview(ctx: RuleContext) -> Reason | None:
    """After an interview, final round or offer stage with no feedback given, ask for it."""
    event = ctx.rejection
    if event.stage in INTERVIEWED and not event.feedback:
        return Reason(
            f"You were rejected at the {event.stage} stage and {event.company} gave no feedback.",
            {"stage": event.stage, "feedback_given": False},
        )
    return None


@rule(
    fires=[scenario(stage="phone_screen", reason="unspecified")],
    silent=[
        scenario(stage="application_review", reason="unspecified"),
        scenario(stage="phone_screen", reason="other_candidate"),
        scenario(stage="phone_screen", reason="unspecified", feedback="Not enough SQL."),
    ],
)
def vague_reason(ctx: RuleContext) -> Reason | None:
    """Past the application review, with no reason and no feedback, ask what it was."""
    event = ctx.rejection
    if event.stage in PAST_SCREENING and event.reason == "unspecified" and not event.feedback:
        return Reason(
            "No reason was given, although you got past the application review.",
            {"stage": event.stage, "reason": event.reason, "feedback_given": False},
        )
    return None
