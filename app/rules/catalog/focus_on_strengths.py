"""Focus on your strengths: write down the evidence of what you do well, and lead with it."""

import re
from datetime import timedelta

from app.rules.base import Reason, Recommendation, rule, scenario
from app.rules.context import RuleContext, Window

LATE_STAGES = ("final_round", "offer")
RUN_REJECTIONS = 5
RUN_WINDOW_DAYS = 14


RECOMMENDATION = Recommendation(
    key="focus_on_strengths",
    title="Focus on your strengths",
    summary="Collect the evidence of what you do well, and lead with it next time.",
    guidance=(
        "A string of no's makes it easy to lose sight of the proof that you are good at what you "
        "do. Putting that proof on paper is not vanity; it is the raw material for your next CV, "
        "cover letter and interview answers.\n\n"
        "Go through recent jobs and projects and note concrete outcomes: money saved, time cut, "
        "users served, problems that stopped because of you. Ask a former colleague what they "
        "would come to you for; other people often name strengths you take for granted.\n\n"
        "A late-stage rejection is itself evidence, because the employer judged you strong "
        "enough to shortlist. Carry that into the next application and open with the two or "
        "three strengths that match the role best."
    ),
    actions=(
        "List five achievements from the last few years, each with a number or concrete result",
        "Ask two people who have worked with you what they see as your strongest skills",
        "Record your strengths in your profile so your next steps can use them",
        "Open your next cover letter with the strength that best fits the role",
        "Reread the list before every interview",
    ),
    priority=35,
    due_after=timedelta(days=1),
)


@rule(
    fires=[scenario(stage="final_round"), scenario(stage="offer")],
    silent=[scenario(stage="interview"), scenario(stage="application_review")],
)
def late_stage(ctx: RuleContext) -> Reason | None:
    """A rejection at the final round or offer stage still shows you were a strong candidate."""
    stage = ctx.rejection.stage
    if stage in LATE_STAGES:
        return Reason(
            "",
            {"stage": stage, "company": ctx.rejection.company},
        )
    return None


@rule(
    fires=[scenario(windows={14: Window(total=5)}), scenario(windows={14: Window(total=8)})],
    silent=[scenario(windows={14: Window(total=4)}), scenario()],
)
def rejection_run(ctx: RuleContext) -> Reason | None:
    """Five or more rejections within 14 days wear confidence down; time to take stock."""
    count = ctx.history.window(RUN_WINDOW_DAYS).total
    if count >= RUN_REJECTIONS:
        return Reason(
            "",
            {"rejections": count, "window_days": RUN_WINDOW_DAYS, "threshold": RUN_REJECTIONS},
        )
    return None


PRAISE = (  # stems of words employers praise with
    "loved",
    "liked",
    "impress",
    "great",
    "excellent",
    "strong",
    "enjoyed",
    "appreciat",
    "valued",
    "outstanding",
    "well done",
    "stood out",
)
CLAUSE_BREAK = re.compile(r"[.;!?]\s*|,\s*(?:but|however|although|though)\b|\s+but\s+", re.I)


def praised_clause(feedback: str | None) -> str | None:
    """The part of the employer's words that praises something, without the criticism beside it."""
    for clause in CLAUSE_BREAK.split(feedback or ""):
        text = clause.strip(" ,")
        if any(word in text.casefold() for word in PRAISE):
            return text
    return None


def praised(feedback: str | None) -> bool:
    """Whether the employer's words praise something (worth keeping as evidence of a strength)."""
    return praised_clause(feedback) is not None


@rule(
    fires=[
        scenario(stage="interview", feedback="The panel loved your roadmap presentation."),
        scenario(stage="phone_screen", feedback="Strong communicator; we need more SQL."),
    ],
    silent=[scenario(feedback="We need more SQL."), scenario()],
)
def praised_in_feedback(ctx: RuleContext) -> Reason | None:
    """The employer's feedback praised something: that is evidence of a strength to keep."""
    event = ctx.rejection
    if praised(event.feedback):
        return Reason("", {"praise": praised_clause(event.feedback)})
    return None
