"""From stored history to a RuleContext, and from a context to suggestions (the pure engine)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.application import service as application_service
from app.application.models import Application
from app.core.errors import NotFound
from app.goal import service as goal_service
from app.recommendation.models import RecommendationPublic, RulePublic
from app.rejection import service as rejection_service
from app.rejection.service import PastRejection
from app.rules.context import (
    REFERRAL_SOURCES,
    WINDOWS,
    Event,
    GoalPace,
    History,
    Profile,
    RuleContext,
    Unanswered,
    Window,
)
from app.rules.engine import Suggestion, evaluate
from app.rules.registry import get_registry
from app.seeker.models import Seeker

MOOD_DAYS = 30


def _window(rows: list[PastRejection]) -> Window:
    cold = sum(
        r.stage == "application_review"
        and r.source not in REFERRAL_SOURCES
        and (r.application_source or "") not in REFERRAL_SOURCES
        for r in rows
    )
    return Window(
        total=len(rows),
        by_stage=dict(Counter(r.stage for r in rows)),
        by_reason=dict(Counter(r.reason for r in rows)),
        cold_screening=cold,
    )


def goal_pace(item: goal_service.Standing) -> GoalPace:
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
        expected=progress.expected,
        period=goal.period,
        period_start=progress.period_start,
        period_end=progress.period_end,
    )


def active_paces(standings: list[goal_service.Standing], day: date) -> tuple[GoalPace, ...]:
    """The goals that are really active on `day` (started, neither reached nor overdue)."""
    return tuple(goal_pace(s) for s in standings if s.status == "active" and s.goal.start_on <= day)


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _history_of(
    rows: list[PastRejection],
    event: Event,
    at: datetime,
    *,
    days_since_last_application: int | None = None,
    applications_7: int = 0,
    applications_30: int = 0,
    referral_applications_30: int = 0,
    last_application_on: date | None = None,
    active_goals: tuple[GoalPace, ...] = (),
) -> History:
    def within(days: int) -> list[PastRejection]:
        return [r for r in rows if r.occurred_at > at - timedelta(days=days)]

    def skills(days: int) -> dict[str, int]:
        # Rejections naming each skill: "dbt" and "DBT" in one rejection count once.
        named = ({s.lower() for s in r.missing_skills} for r in within(days))
        return dict(Counter(s for skills in named for s in skills))

    moods = [(r.occurred_at, r.mood) for r in rows if r.mood is not None]
    recent = [m for t, m in moods if t > at - timedelta(days=MOOD_DAYS)]
    before = [
        m
        for t, m in moods
        if at - timedelta(days=2 * MOOD_DAYS) < t <= at - timedelta(days=MOOD_DAYS)
    ]
    return History(
        windows={days: _window(within(days)) for days in WINDOWS},
        same_company_365=sum(r.company.casefold() == event.company.casefold() for r in rows),
        missing_skills_90=skills(90),
        missing_skills_all=skills(365),
        days_since_last_application=days_since_last_application,
        last_application_on=last_application_on,
        applications_7=applications_7,
        applications_30=applications_30,
        referral_applications_30=referral_applications_30,
        mood_recent=_mean(recent),
        mood_before=_mean(before),
        active_goals=active_goals,
    )


def build_context(
    session: Session, *, seeker: Seeker | None, event: Event, rejection_id: str | None
) -> RuleContext:
    """The context of `event` for `seeker` (or one with no history), in a fixed number of queries.

    The event itself is counted in the history whether or not it is stored yet, so a dry run and
    the real thing see the same numbers.
    """
    current = PastRejection(
        company=event.company,
        stage=event.stage,
        reason=event.reason,
        source=event.source,
        application_source=event.application_source,
        missing_skills=list(event.missing_skills),
        mood=event.mood,
        occurred_at=event.occurred_at,
    )
    if seeker is None:
        return RuleContext(event=event, history=_history_of([current], event, event.occurred_at))
    at = event.occurred_at
    past = rejection_service.history(
        session,
        seeker_id=seeker.id,
        since=at - timedelta(days=max(WINDOWS)),
        until=at,
        exclude_id=rejection_id,
    )
    local_day = at.astimezone(ZoneInfo(seeker.timezone)).date()
    last, in_7, in_30, referrals = application_service.activity(
        session, seeker_id=seeker.id, as_of=local_day, referral_sources=sorted(REFERRAL_SOURCES)
    )
    goals = goal_service.standing(session, seekers=[seeker], now=at)[seeker.id]
    history = _history_of(
        [*past, current],
        event,
        at,
        days_since_last_application=(local_day - last).days if last else None,
        applications_7=in_7,
        applications_30=in_30,
        referral_applications_30=referrals,
        last_application_on=last,
        active_goals=active_paces(goals, local_day),
    )
    return RuleContext(event=event, profile=_profile(seeker), history=history)


def _profile(seeker: Seeker) -> Profile:
    return Profile(
        display_name=seeker.display_name,
        timezone=seeker.timezone,
        strengths=tuple(seeker.strengths),
        skills=tuple(seeker.skills),
        target_roles=tuple(seeker.target_roles),
    )


@dataclass(frozen=True)
class Quiet:
    """What the sweep read about one seeker, for the rules that answer time passing."""

    today: date  # in the seeker's time zone
    goals: list[goal_service.Standing]  # stored-active goals, with the status they really have
    missed: list[goal_service.Standing]  # one-off goals the sweep has just stored as missed
    last_application_on: date | None
    waiting: list[Application]  # still at `applied`, oldest first
    acted_on: frozenset[str]


def time_context(seeker: Seeker, quiet: Quiet) -> RuleContext:
    """The context of a seeker when no event happened: only time has passed (no queries)."""
    last = quiet.last_application_on
    history = History(
        days_since_last_application=(quiet.today - last).days if last else None,
        last_application_on=last,
        active_goals=active_paces(quiet.goals, quiet.today),
        missed_goals=tuple(goal_pace(s) for s in quiet.missed),
        unanswered=tuple(
            Unanswered(a.id, a.company, a.role, a.applied_on, (quiet.today - a.applied_on).days)
            for a in quiet.waiting
        ),
        acted_on=quiet.acted_on,
    )
    return RuleContext(event=None, profile=_profile(seeker), history=history)


def suggest(
    session: Session, *, seeker: Seeker | None, event: Event, rejection_id: str | None
) -> list[Suggestion]:
    """What the rules make of `event`, in order, with explanations."""
    context = build_context(session, seeker=seeker, event=event, rejection_id=rejection_id)
    return evaluate(get_registry(), context)


class RecommendationNotFound(NotFound):
    """No recommendation with that key."""

    code = "recommendation_not_found"


def recommendations() -> list[RecommendationPublic]:
    """Every recommendation, in output order."""
    return [
        RecommendationPublic(
            key=r.key,
            title=r.title,
            summary=r.summary,
            guidance=r.guidance,
            actions=list(r.actions),
        )
        for r in get_registry().recommendations
    ]


def recommendation(key: str) -> RecommendationPublic:
    """One recommendation, or RecommendationNotFound."""
    for found in recommendations():
        if found.key == key:
            return found
    raise RecommendationNotFound(f"No recommendation {key!r}.")


def rules() -> list[RulePublic]:
    """Every rule, grouped by recommendation."""
    return [
        RulePublic(
            id=r.id,
            recommendation_key=r.recommendation_key,
            version=r.version,
            description=r.description,
            triggers=sorted(r.on),
        )
        for r in get_registry().rules
    ]
