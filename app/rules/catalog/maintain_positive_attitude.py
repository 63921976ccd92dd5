"""Maintain a positive attitude: look after your outlook when the news comes thick and fast."""

from datetime import timedelta

from app.rules.base import Reason, Recommendation, rule, scenario
from app.rules.context import RuleContext, Window

LOW_MOOD = 2  # on the seeker's own 1-5 scale
HARD_STRETCH_REJECTIONS = 3
HARD_STRETCH_WINDOW_DAYS = 7


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
    priority=18,  # a care step: with the other two, before anything about the search
    due_after=timedelta(0),
    care=True,
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
    return Reason(
        "low_mood" if low else "busy_week",
        {
            "mood": mood,
            "low_mood_threshold": LOW_MOOD,
            "rejections": recent,
            "window_days": HARD_STRETCH_WINDOW_DAYS,
            "threshold": HARD_STRETCH_REJECTIONS,
        },
    )
