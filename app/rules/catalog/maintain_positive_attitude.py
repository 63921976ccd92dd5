"""Maintain a positive attitude: look after your outlook when the news comes thick and fast."""

from datetime import timedelta

from app.rules.base import Reason, Recommendation, StepText, rule, scenario
from app.rules.context import RuleContext, Window

LOW_MOOD = 2  # on the seeker's own 1-5 scale
HARD_STRETCH_REJECTIONS = 3
HARD_STRETCH_WINDOW_DAYS = 7


def render(ctx: RuleContext) -> StepText:
    """Name the company and role, and what makes this stretch hard."""
    event = ctx.rejection
    recent = ctx.history.window(HARD_STRETCH_WINDOW_DAYS).total
    if recent >= HARD_STRETCH_REJECTIONS:
        opening = (
            f"{event.company}'s answer on the {event.role} role makes {recent} rejections in "
            f"{HARD_STRETCH_WINDOW_DAYS} days; a cluster like that bends how the whole search "
            "looks."
        )
    else:
        opening = (
            f"{event.company}'s answer on the {event.role} role came at a low moment, and low "
            "moods make the whole search look bleaker than it is."
        )
    return StepText(
        title="Look after your outlook this week",
        body=(
            f"{opening} Judge this week by what you did, not by the replies, and plan one thing "
            "each day that has nothing to do with job hunting."
        ),
    )


RECOMMENDATION = Recommendation(
    key="maintain_positive_attitude",
    title="Look after your outlook",
    summary="Judge your week by the effort you control, and protect the rest of your life.",
    guidance=(
        "Searching for work is a long game with uneven news, and a cluster of no's in a few days "
        "can bend your view of the whole picture. That feeling is a reaction to the pace of the "
        "news, not a forecast.\n\n"
        "Protect the parts of your week that have nothing to do with the search: sleep, "
        "movement, people, a hobby. Count what you control, such as applications sent, "
        "conversations held and skills practised, and give yourself credit for those; replies "
        "arrive on other people's schedules.\n\n"
        "If low mood lasts for weeks, or starts to affect sleep, appetite or the things you "
        "enjoy, talk to someone: a friend, a coach, a doctor or a counsellor. Asking for support "
        "early is a practical step, not a failure."
    ),
    actions=(
        "Write down three things that went well this week, search-related or not",
        "Plan at least one activity a day that has nothing to do with job hunting",
        "Measure your week by the effort you put in, not by the replies you received",
        "Spend time with someone who lifts your mood",
        "If you have felt low for more than two weeks, speak to a doctor or counsellor",
    ),
    priority=55,
    due_after=timedelta(0),
    render=render,
)


@rule(
    fires=[
        scenario(mood=2),
        scenario(mood=4, windows={7: Window(total=3)}),
        scenario(mood=None, windows={7: Window(total=5)}),
    ],
    silent=[
        scenario(mood=3, windows={7: Window(total=2)}),
        scenario(mood=None),
    ],
)
def hard_stretch(ctx: RuleContext) -> Reason | None:
    """A mood of 2 or lower, or three or more rejections within 7 days, makes for a hard stretch."""
    mood = ctx.rejection.mood
    recent = ctx.history.window(HARD_STRETCH_WINDOW_DAYS).total
    low = mood is not None and mood <= LOW_MOOD
    if not low and recent < HARD_STRETCH_REJECTIONS:
        return None
    text = (
        f"You rated your mood {mood} out of 5."
        if low
        else f"You have had {recent} rejections in the last {HARD_STRETCH_WINDOW_DAYS} days."
    )
    return Reason(
        text,
        {
            "mood": mood,
            "low_mood_threshold": LOW_MOOD,
            "rejections": recent,
            "window_days": HARD_STRETCH_WINDOW_DAYS,
            "threshold": HARD_STRETCH_REJECTIONS,
        },
    )
