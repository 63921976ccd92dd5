"""Continue upskilling: turn a named skill gap into a small, finished piece of learning."""

from datetime import timedelta

from app.rules.base import Reason, Recommendation, rule, scenario
from app.rules.context import RuleContext

SKILLS_REASON = "lacks_skills"
RECURRING_GAP_REJECTIONS = 2
RECURRING_GAP_WINDOW_DAYS = 90  # the span History.missing_skills_90 covers


def _recurring(ctx: RuleContext) -> list[tuple[str, int]]:
    """Skills named in enough recent rejections, most frequent first, ties alphabetically."""
    counts = ctx.history.missing_skills_90
    found = [(s, n) for s, n in counts.items() if n >= RECURRING_GAP_REJECTIONS]
    return sorted(found, key=lambda item: (-item[1], item[0]))


RECOMMENDATION = Recommendation(
    key="continue_upskilling",
    title="Keep building your skills",
    summary="Turn a skill gap an employer named into a small, finished piece of learning.",
    guidance=(
        "When an employer names a missing skill, the rejection carries some of the most "
        "actionable information you can get. When several employers name the same one, treat it "
        "as a priority rather than a coincidence.\n\n"
        "Pick one gap and a format that ends in something visible: a completed course, or better, "
        "a small project you can link to. One finished piece of work beats a pile of half-watched "
        "videos, and gives you something specific to talk about in an interview.\n\n"
        "Book regular time for it, even a few short sessions a week, and add the skill to your CV "
        "only once you could answer questions about it. Mention the effort when you reapply: "
        "employers notice people who close gaps on their own initiative."
    ),
    actions=(
        "Choose the one missing skill that appears most often in the roles you want",
        "Sign up for a single course or tutorial on it and put the sessions in your calendar",
        "Build a small project that uses the skill and publish it where employers can see it",
        "Add the skill to your profile once you can explain it in an interview",
        "Check two current postings to confirm the skill is still in demand",
    ),
    priority=40,
    due_after=timedelta(days=3),
)


@rule(
    fires=[
        scenario(reason="lacks_skills"),
        scenario(reason="unspecified", missing_skills=["dbt"]),
    ],
    silent=[scenario(reason="other_candidate"), scenario(reason="unspecified")],
)
def skills_gap(ctx: RuleContext) -> Reason | None:
    """The employer said skills were lacking or named the skills that were missing."""
    event = ctx.rejection
    if event.reason == SKILLS_REASON or event.missing_skills:
        return Reason(
            "named" if event.missing_skills else "",
            {"reason": event.reason, "missing_skills": list(event.missing_skills)},
        )
    return None


@rule(
    fires=[
        scenario(missing_skills_90={"dbt": 2}),
        scenario(missing_skills_90={"sql": 3, "airflow": 3, "dbt": 1}),
    ],
    silent=[scenario(missing_skills_90={"dbt": 1, "sql": 1}), scenario()],
)
def recurring_gap(ctx: RuleContext) -> Reason | None:
    """A missing skill named in two or more rejections within 90 days is worth a learning goal."""
    recurring = _recurring(ctx)
    if not recurring:
        return None
    folded, count = recurring[0]
    skill = ctx.history.spelling(folded)
    return Reason(
        "",
        {
            "skill": skill,
            "rejections": count,
            "missing_skills_90": dict(sorted(ctx.history.missing_skills_90.items())),
            "window_days": RECURRING_GAP_WINDOW_DAYS,
            "threshold": RECURRING_GAP_REJECTIONS,
        },
        suggested_goal={
            "title": f"Finish a course in {skill}",
            "kind": "learning",
            "target": 1,
            "unit": "course",
            "period": "none",
        },
    )
