"""From stored history to RuleContexts, and from contexts to suggestions (the pure engine)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.application import service as application_service
from app.application.models import Application
from app.core.errors import NotFound
from app.goal import service as goal_service
from app.recommendation.context import (
    active_paces,
    as_past,
    goal_pace,
    history_of,
    profile_of,
)
from app.recommendation.models import RecommendationPublic, RulePublic
from app.rejection import service as rejection_service
from app.rules.context import (
    REFERRAL_SOURCES,
    WINDOWS,
    Event,
    History,
    RuleContext,
    Unanswered,
)
from app.rules.engine import Suggestion, evaluate
from app.rules.registry import get_registry
from app.seeker.models import Seeker


@dataclass(frozen=True)
class Case:
    """One event to evaluate: whose it is (None: no history) and its stored id, if stored."""

    seeker: Seeker | None
    event: Event
    rejection_id: str | None = None


def build_contexts(session: Session, *, cases: Sequence[Case]) -> list[RuleContext]:
    """Each case's context, in a fixed number of queries whatever the number of seekers.

    The event itself is counted in its history whether or not it is stored yet, so a dry run and
    the real thing see the same numbers. Each seeker may appear in one case at most (their
    history, activity and goals are read as of that case's event).
    """
    seekers = {c.seeker.id: c.seeker for c in cases if c.seeker is not None}
    if len(seekers) != sum(c.seeker is not None for c in cases):
        raise ValueError("a seeker appears in more than one case")
    at = {c.seeker.id: c.event.occurred_at for c in cases if c.seeker is not None}
    day = {sid: at[sid].astimezone(ZoneInfo(s.timezone)).date() for sid, s in seekers.items()}
    past = rejection_service.histories(
        session,
        windows={sid: (t - timedelta(days=max(WINDOWS)), t) for sid, t in at.items()},
        exclude_ids={c.rejection_id for c in cases if c.rejection_id is not None},
    )
    activity = application_service.activities(session, as_of=day, referral_sources=REFERRAL_SOURCES)
    goals = goal_service.standing(session, seekers=list(seekers.values()), now=at)
    contexts = []
    for case in cases:
        rows = [as_past(case.event)]
        if case.seeker is None:
            contexts.append(RuleContext(event=case.event, history=history_of(rows, case.event)))
            continue
        sid = case.seeker.id
        history = history_of(
            [*past[sid], *rows],
            case.event,
            day=day[sid],
            zone=ZoneInfo(case.seeker.timezone),
            activity=activity[sid],
            active_goals=active_paces(goals[sid], day[sid]),
        )
        contexts.append(
            RuleContext(event=case.event, profile=profile_of(case.seeker), history=history)
        )
    return contexts


def build_context(
    session: Session, *, seeker: Seeker | None, event: Event, rejection_id: str | None
) -> RuleContext:
    """The context of `event` for `seeker` (or one with no history): `build_contexts` of one."""
    return build_contexts(session, cases=[Case(seeker, event, rejection_id)])[0]


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
    return RuleContext(event=None, profile=profile_of(seeker), history=history)


def suggest_all(session: Session, *, cases: Sequence[Case]) -> list[list[Suggestion]]:
    """What the rules make of each case's event, in order, with explanations."""
    registry = get_registry()
    return [evaluate(registry, context) for context in build_contexts(session, cases=cases)]


def suggest(
    session: Session, *, seeker: Seeker | None, event: Event, rejection_id: str | None
) -> list[Suggestion]:
    """What the rules make of `event`, in order, with explanations: `suggest_all` of one."""
    return suggest_all(session, cases=[Case(seeker, event, rejection_id)])[0]


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
