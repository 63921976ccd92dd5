"""Leverage your network: a person who vouches for you gets your application read."""

from datetime import timedelta

from app.rules.base import Reason, Recommendation, rule, scenario
from app.rules.context import RuleContext, Window

COLD_SCREENING_REJECTIONS = 5
COLD_WINDOW_DAYS = 30
LATE_STAGES = ("final_round", "offer")


RECOMMENDATION = Recommendation(
    key="leverage_network",
    title="Use your network",
    summary="An introduction from a real person gets an application read more carefully.",
    guidance=(
        "Many roles are filled with the help of a recommendation, and an application that "
        "arrives through a person tends to get a closer look than one from a job board. If your "
        "cold applications keep stopping at the first screen, a warm introduction is often the "
        "quickest way past it.\n\n"
        "Reaching out does not have to mean asking for a job. Ask people in roles you want for "
        "twenty minutes about their work, what their team looks for and what they would do in "
        "your place. Most are glad to help, and the talk often ends with a name or an opening.\n\n"
        "Stay in touch with the interviewers and recruiters you met, too. Getting far in a "
        "process means they already rate you; a friendly note and a connection request can put "
        "you first in line when the next role appears."
    ),
    actions=(
        "Write down ten people who work in or near the roles you want",
        "Ask two of them for a short call about their work this week",
        "Ask for a referral before you apply to a company where you know someone",
        "Connect with the interviewers and recruiters you met, with a short personal note",
        "Tell friends and former colleagues exactly which roles you are looking for",
    ),
    priority=50,
    due_after=timedelta(days=2),
)


@rule(
    fires=[
        scenario(
            windows={30: Window(total=5, by_stage={"application_review": 5}, cold_screening=5)}
        ),
        scenario(
            windows={30: Window(total=9, by_stage={"application_review": 8}, cold_screening=7)}
        ),
    ],
    silent=[
        scenario(
            windows={30: Window(total=6, by_stage={"application_review": 6}, cold_screening=4)}
        ),
        scenario(),
    ],
)
def cold_applications(ctx: RuleContext) -> Reason | None:
    """Five or more cold applications rejected at the application review within 30 days."""
    count = ctx.history.window(COLD_WINDOW_DAYS).cold_screening
    if count >= COLD_SCREENING_REJECTIONS:
        return Reason(
            "",
            {
                "cold_screening_rejections": count,
                "window_days": COLD_WINDOW_DAYS,
                "threshold": COLD_SCREENING_REJECTIONS,
            },
        )
    return None


@rule(
    version=2,
    fires=[scenario(stage="final_round"), scenario(stage="offer", reason="no_response")],
    silent=[
        scenario(stage="interview"),
        scenario(stage="phone_screen"),
        scenario(stage="offer", reason="position_closed"),
    ],
)
def late_stage(ctx: RuleContext) -> Reason | None:
    """After a final round (or an offer that went quiet), the people you met are worth keeping in
    touch with; an offer the employer withdrew is not the moment to network."""
    stage = ctx.rejection.stage
    withdrawn = stage == "offer" and not ctx.rejection.silent
    if stage in LATE_STAGES and not withdrawn:
        return Reason(
            "",
            {"stage": stage, "company": ctx.rejection.company},
        )
    return None
