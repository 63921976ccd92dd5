"""Avoid taking it personally: many decisions turn on the employer's situation, not on you."""

from datetime import timedelta

from app.rules.base import Reason, Recommendation, rule, scenario
from app.rules.context import RuleContext

EXTERNAL_REASONS = ("other_candidate", "position_closed", "process", "compensation", "logistics")
REPEAT_COMPANY_REJECTIONS = 2
REPEAT_COMPANY_WINDOW_DAYS = 365  # the span History.same_company_365 covers

REASON_WORDS = {
    "other_candidate": "they picked another candidate",
    "position_closed": "the position was closed",
    "process": "it came down to their internal process",
    "compensation": "it came down to pay expectations",
    "logistics": "it came down to logistics such as location or timing",
}


RECOMMENDATION = Recommendation(
    key="avoid_taking_it_personally",
    title="Don't take it personally",
    summary="Hiring decisions often turn on the employer's circumstances more than on you.",
    guidance=(
        "A hiring decision weighs you against a brief, a budget and a handful of other people at "
        "one moment in time. Most of those inputs are invisible from outside, and many have "
        "nothing to do with how capable you are.\n\n"
        "Roles get frozen, filled internally, re-scoped or re-priced halfway through a process. "
        "When the stated reason is one of these, read it as news about the employer and resist "
        "combing through your own answers for the fault.\n\n"
        "Hearing no more than once from the same organisation is not a grudge either. Large "
        "employers run many separate searches; another team, another level or a better-timed "
        "application can end differently."
    ),
    actions=(
        "Reread the stated reason and sort it: about the employer, about the fit, or unknown",
        "Describe what happened in neutral words in your notes, without verdicts on yourself",
        "Keep a record of evidence of your ability (results, praise, finished work) and reread it",
        "Before reapplying to the same company, note which teams and levels you already tried",
    ),
    priority=15,
    due_after=timedelta(0),
    care=True,
)


@rule(
    fires=[
        scenario(reason="other_candidate"),
        scenario(reason="position_closed"),
        scenario(reason="compensation"),
    ],
    silent=[scenario(reason="lacks_skills"), scenario(reason="unspecified")],
)
def external_reason(ctx: RuleContext) -> Reason | None:
    """The stated reason lies with the employer: another hire, a closed role, pay or process."""
    reason = ctx.rejection.reason
    if reason in EXTERNAL_REASONS:
        return Reason(
            "",
            {"reason": reason},
        )
    return None


@rule(
    fires=[scenario(same_company_365=2), scenario(same_company_365=4)],
    silent=[scenario(same_company_365=1)],
)
def repeat_company(ctx: RuleContext) -> Reason | None:
    """The same company has turned you down at least twice within a year."""
    count = ctx.history.same_company_365
    if count >= REPEAT_COMPANY_REJECTIONS:
        return Reason(
            "",
            {
                "company": ctx.rejection.company,
                "same_company_rejections": count,
                "window_days": REPEAT_COMPANY_WINDOW_DAYS,
                "threshold": REPEAT_COMPANY_REJECTIONS,
            },
        )
    return None
