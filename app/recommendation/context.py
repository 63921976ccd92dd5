"""From facts already read to a RuleContext's parts: pure assembly, no queries and no clock.

`service.build_contexts` reads the facts for many seekers at once; everything here works on one
seeker's share of them, so the single and the bulk paths compute the same numbers the same way.
"""

from collections.abc import Iterable
from datetime import UTC, date, timedelta, tzinfo

from app.application.service import Activity
from app.goal.service import Standing
from app.rejection.service import PastRejection
from app.rules.context import (
    REFERRAL_SOURCES,
    WINDOWS,
    Event,
    GoalPace,
    History,
    Profile,
    Window,
)
from app.seeker.models import Seeker
from app.wording.language import fold, spellings

MOOD_DAYS = 30


def as_past(event: Event) -> PastRejection:
    """The event as one row of its own history (counted whether or not it is stored yet)."""
    return PastRejection(
        company=event.company,
        stage=event.stage,
        reason=event.reason,
        source=event.source,
        application_source=event.application_source,
        missing_skills=list(event.missing_skills),
        mood=event.mood,
        occurred_at=event.occurred_at,
        ended_by=event.ended_by,
    )


def _tally(values: Iterable[str]) -> dict[str, int]:
    # What Counter does, without its cost on the few values of one window (one per seeker).
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _window(rows: list[PastRejection]) -> Window:
    cold = sum(
        r.stage == "application_review"
        and r.source not in REFERRAL_SOURCES
        and (r.application_source or "") not in REFERRAL_SOURCES
        for r in rows
    )
    return Window(
        total=len(rows),
        by_stage=_tally(r.stage for r in rows),
        by_reason=_tally(r.reason for r in rows),
        cold_screening=cold,
    )


def goal_pace(item: Standing) -> GoalPace:
    """The rule engine's view of a goal and its current period."""
    goal, progress = item.goal, item.progress
    return GoalPace(
        goal_id=goal.id,
        title=goal.title,
        kind=goal.kind,
        pace=progress.pace,
        unit=goal.unit,
        current=progress.current,
        target=progress.target,
        period_target=progress.period_target,
        expected=progress.expected,
        period=goal.period,
        period_start=progress.period_start,
        period_end=progress.period_end,
    )


def active_paces(standings: list[Standing], day: date) -> tuple[GoalPace, ...]:
    """The goals that are really active on `day` (started, neither reached nor overdue)."""
    return tuple(goal_pace(s) for s in standings if s.status == "active" and s.goal.start_on <= day)


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def last_application(rows: list[PastRejection], activity: Activity, zone: tzinfo) -> date | None:
    """The latest day an application went out, as far as the record shows.

    A rejection (or withdrawal) that names no recorded application implies one, sent on the
    rejection's own local day at the latest. That day is the latest the record allows, so a quiet
    spell counted from it is never longer than the record proves; no lead time is guessed from the
    stage. A rejection that names its application counts through that application's `applied_on`.
    """
    days = [activity.last_on] if activity.last_on else []
    implied = [r.occurred_at for r in rows if r.unrecorded_application]
    if implied:
        days.append(max(implied).astimezone(zone).date())
    return max(days, default=None)


def history_of(
    rows: list[PastRejection],
    event: Event,
    *,
    day: date | None = None,
    zone: tzinfo = UTC,
    activity: Activity | None = None,
    active_goals: tuple[GoalPace, ...] = (),
) -> History:
    """Aggregates of `rows` (the event included) as of the event; `day` is its date in `zone`.

    Withdrawals (`ended_by: candidate`) are no rejections: they count in no window, company or
    skill tally, only in the mood averages (the mood is the seeker's own) and as activity.
    """
    at = event.occurred_at
    day = day or at.astimezone(zone).date()
    activity = activity or Activity()
    last = last_application(rows, activity, zone)
    rejections = [r for r in rows if r.counts]

    def within(days: int) -> list[PastRejection]:
        return [r for r in rejections if r.occurred_at > at - timedelta(days=days)]

    def skills(days: int) -> dict[str, int]:
        # Rejections naming each skill: "dbt" and "DBT" in one rejection count once.
        named = ({fold(s) for s in r.missing_skills} for r in within(days))
        return _tally(s for skills in named for s in skills)

    moods = [(r.occurred_at, r.mood) for r in rows if r.mood is not None]
    recent = [m for t, m in moods if t > at - timedelta(days=MOOD_DAYS)]
    before = [
        m
        for t, m in moods
        if at - timedelta(days=2 * MOOD_DAYS) < t <= at - timedelta(days=MOOD_DAYS)
    ]
    return History(
        windows={days: _window(within(days)) for days in WINDOWS},
        same_company_365=sum(r.company.casefold() == event.company.casefold() for r in rejections),
        missing_skills_90=skills(90),
        missing_skills_all=skills(365),
        skill_spellings=spellings(s for r in rows for s in r.missing_skills),
        days_since_last_application=(day - last).days if last else None,
        last_application_on=last,
        applications_7=activity.in_7,
        applications_30=activity.in_30,
        referral_applications_30=activity.referrals_30,
        mood_recent=_mean(recent),
        mood_before=_mean(before),
        active_goals=active_goals,
    )


def profile_of(seeker: Seeker) -> Profile:
    """What the rules may know of the seeker themselves."""
    return Profile(
        display_name=seeker.display_name,
        timezone=seeker.timezone,
        strengths=tuple(seeker.strengths),
        skills=tuple(seeker.skills),
        target_roles=tuple(seeker.target_roles),
    )
