"""Evaluate your application: when rejections cluster at one stage, look hard at that stage."""

from datetime import timedelta
from difflib import SequenceMatcher

from app.rules.base import Reason, Recommendation, rule, scenario
from app.rules.context import RuleContext, Window

SCREENING_REJECTIONS = 3
SCREENING_WINDOW_DAYS = 30
INTERVIEW_REJECTIONS = 2
INTERVIEW_WINDOW_DAYS = 60
INTERVIEW_STAGES = ("interview", "final_round")
LEVEL_REASON = "experience_level"
EARLY_STAGES = ("application_review", "phone_screen")
OVERQUALIFIED = ("overqualif", "over-qualif", "too senior", "too experienced")


RECOMMENDATION = Recommendation(
    key="evaluate_application",
    title="Evaluate your application",
    summary="A run of rejections at the same stage shows where your application needs work.",
    guidance=(
        "One rejection says little, but several at the same stage are a signal. Stopping at the "
        "CV review points to how your written material matches the posting; stopping after "
        "interviews points to how you come across in conversation.\n\n"
        "Put the job ad next to what you sent. Check whether the top third of your CV makes the "
        "match obvious in seconds: the title, the key tools and one measurable result the ad asks "
        "for. Tailor it to each kind of role rather than sending one version everywhere.\n\n"
        "For interviews, jot down the questions you remember within a day and draft better "
        "answers at leisure. Rehearse them aloud, ideally with someone who will interrupt you, "
        "and keep two or three short stories ready: the situation, what you did, what changed."
    ),
    actions=(
        "Lay the posting beside your CV and mark every requirement you did not clearly address",
        "Rewrite your CV summary and most recent role for the jobs you are targeting",
        "List the interview questions you remember and draft a stronger answer to each",
        "Prepare three short stories about your work, each ending with a measurable result",
        "Do one mock interview with a friend, mentor or careers service",
        "Check that the seniority of the roles you apply to matches your years and scope",
    ),
    priority=30,
    due_after=timedelta(days=2),
)


@rule(
    version=2,
    fires=[
        scenario(windows={30: Window(total=3, by_stage={"application_review": 3})}),
        scenario(windows={30: Window(total=5, by_stage={"application_review": 4, "interview": 1})}),
        scenario(
            windows={30: Window(total=3, by_stage={"phone_screen": 2, "application_review": 1})}
        ),
    ],
    silent=[
        scenario(windows={30: Window(total=2, by_stage={"application_review": 2})}),
        scenario(windows={30: Window(total=3, by_stage={"application_review": 2, "interview": 1})}),
    ],
)
def screening_pattern(ctx: RuleContext) -> Reason | None:
    """Three or more rejections at the application review or phone screen within 30 days: the
    CV and the first call are where the search stops."""
    window = ctx.history.window(SCREENING_WINDOW_DAYS)
    reviews, screens = window.stage("application_review"), window.stage("phone_screen")
    if reviews + screens >= SCREENING_REJECTIONS:
        key = "screens" if screens > reviews else ""
        return Reason(
            key,
            {
                "stages": list(EARLY_STAGES),
                "rejections": reviews + screens,
                "application_review_rejections": reviews,
                "phone_screen_rejections": screens,
                "window_days": SCREENING_WINDOW_DAYS,
                "threshold": SCREENING_REJECTIONS,
            },
        )
    return None


@rule(
    fires=[
        scenario(windows={60: Window(total=2, by_stage={"interview": 1, "final_round": 1})}),
        scenario(windows={60: Window(total=2, by_stage={"interview": 2})}),
    ],
    silent=[
        scenario(windows={60: Window(total=1, by_stage={"final_round": 1})}),
        scenario(windows={60: Window(total=3, by_stage={"interview": 1, "phone_screen": 2})}),
    ],
)
def interview_pattern(ctx: RuleContext) -> Reason | None:
    """Two or more rejections after interviews or final rounds within 60 days: practise those."""
    count = ctx.history.window(INTERVIEW_WINDOW_DAYS).stage(*INTERVIEW_STAGES)
    if count >= INTERVIEW_REJECTIONS:
        return Reason(
            "",
            {
                "stages": list(INTERVIEW_STAGES),
                "rejections": count,
                "window_days": INTERVIEW_WINDOW_DAYS,
                "threshold": INTERVIEW_REJECTIONS,
            },
        )
    return None


@rule(
    version=2,
    fires=[
        scenario(reason="experience_level"),
        scenario(reason="experience_level", reason_detail="Overqualified"),
    ],
    silent=[scenario(reason="lacks_skills"), scenario(reason="unspecified")],
)
def level_mismatch(ctx: RuleContext) -> Reason | None:
    """The employer cited experience level, so check the seniority you are aiming at."""
    event = ctx.rejection
    if event.reason == LEVEL_REASON:
        said = " ".join(filter(None, (event.reason_detail, event.feedback))).casefold()
        over = any(word in said for word in OVERQUALIFIED)
        return Reason(
            "overqualified" if over else "",
            {"reason": event.reason, "overqualified": over},
        )
    return None


SENIORITY = frozenset({"senior", "junior", "lead", "principal", "staff", "head", "of", "i", "ii"})


def _words(role: str) -> frozenset[str]:
    cleaned = "".join(c if c.isalnum() else " " for c in role.casefold())
    return frozenset(cleaned.split()) - SENIORITY


def _near(a: str, b: str) -> bool:
    # "aktuar" and "actuary", "analyste" and "analyst": the same word in another language
    return a == b or (min(len(a), len(b)) >= 4 and SequenceMatcher(None, a, b).ratio() >= 0.7)


def on_target(role: str, targets: tuple[str, ...]) -> bool:
    """Whether a role may be one of the seeker's targets: it shares a word, or nearly one, with
    one of them. Unsure counts as on target: noticing a role as off target must be right."""
    words = _words(role)
    return any(_near(w, t) for t_role in targets for t in _words(t_role) for w in words)


@rule(
    fires=[
        scenario(role="Business Analyst", target_roles=("Data Scientist",)),
        scenario(role="Sales Manager", target_roles=("Data Scientist", "ML Engineer")),
    ],
    silent=[
        scenario(role="Senior Data Scientist", target_roles=("data scientist",)),
        scenario(role="Data Scientist", target_roles=("Data Scientist", "ML Engineer")),
        scenario(role="Business Analyst"),
        scenario(role="Aktuar Leben", target_roles=("actuary",)),
        scenario(role="Distribution Supervisor", target_roles=("operations supervisor",)),
    ],
)
def outside_target(ctx: RuleContext) -> Reason | None:
    """The role was not one of the seeker's target roles: notice it, and point back at them."""
    targets = ctx.profile.target_roles
    event = ctx.rejection
    if targets and not on_target(event.role, targets):
        return Reason("", {"role": event.role, "target_roles": list(targets)})
    return None
