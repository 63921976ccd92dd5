"""Which of a tenant's seekers need a coach's attention now, ranked, in one statement per page.

Insights are read-only views across domains, so this module reads other domains' tables (as
correlated subqueries on their per-seeker indexes) instead of asking each service for rows: the
ranking has to happen in the database, or a tenant of 10,000 seekers would be loaded into memory
to sort one page. Every window is in UTC days counted back from now; the signals, their
thresholds and points are defined below and in the README.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from app.application.models import Application
from app.attention.models import AttentionSignal, SeekerAttention, Signal
from app.core.clock import utc_now
from app.core.pagination import PageParams, decode_values, encode_values
from app.goal.models import CheckIn, Goal, GoalStatus
from app.next_step.models import StepFinding
from app.rejection.models import EndedBy, Rejection
from app.seeker.models import Seeker

RUN_DAYS, MOOD_DAYS, BEHIND_DAYS, MISSED_DAYS = 14, 30, 7, 30
RUN_MIN = 3  # rejections within RUN_DAYS that make a run
INACTIVE_TIERS = ((60, 40), (30, 30), (14, 20))  # (days without activity, points), longest first
MOOD_TIERS = ((1.5, 40), (2.0, 30), (2.5, 20))  # (mean mood at most, points), lowest first
BEHIND_POINTS, MISSED_POINTS = 15, 10


@dataclass(frozen=True)
class Filters:
    """What the coach asked for: one signal only, and a score floor."""

    signal: Signal | None
    min_score: int


def _rejections_since(seeker_id: Any, since: datetime) -> Any:
    return col(Rejection.seeker_id) == seeker_id, col(Rejection.occurred_at) > since


def _run_since(seeker_id: Any, since: datetime) -> Any:
    # The seeker's own withdrawals make no run (their mood still counts, and they are activity).
    return (
        *_rejections_since(seeker_id, since),
        col(Rejection.ended_by) != EndedBy.CANDIDATE.value,
    )


def _columns(now: datetime) -> list[Any]:
    """Per-seeker facts as correlated subqueries, each one range probe on a per-seeker index."""
    sid = col(Seeker.id)
    run_since, mood_since = now - timedelta(days=RUN_DAYS), now - timedelta(days=MOOD_DAYS)
    finding_since = now - timedelta(days=BEHIND_DAYS)
    key = col(StepFinding.key)
    return [
        sid.label("seeker_id"),
        col(Seeker.display_name).label("display_name"),
        col(Seeker.external_id).label("external_id"),
        col(Seeker.created_at).label("created_at"),
        sa.select(sa.func.count())
        .where(*_run_since(sid, run_since))
        .scalar_subquery()
        .label("run"),
        sa.select(sa.cast(sa.func.avg(col(Rejection.mood)), sa.Float))
        .where(*_rejections_since(sid, mood_since))
        .scalar_subquery()
        .label("mood"),
        sa.select(sa.func.count(col(Rejection.mood)))
        .where(*_rejections_since(sid, mood_since))
        .scalar_subquery()
        .label("rated"),
        # The sweep stores a finding `behind:<goal id>:<period start>` once per goal and period
        # in which it found the goal behind its pace. LIKE, not a key range: ':' and ';' sort
        # the other way round under most PostgreSQL collations. (`_` in an id matches itself;
        # the seeker's findings are few, found by the primary key's prefix.)
        sa.select(sa.func.count(sa.distinct(col(Goal.id))))
        .select_from(StepFinding)
        .join(
            Goal,
            (col(Goal.seeker_id) == col(StepFinding.seeker_id))
            & key.like(sa.literal("behind:") + col(Goal.id) + sa.literal(":%")),
        )
        .where(
            col(StepFinding.seeker_id) == sid,
            col(StepFinding.created_at) > finding_since,
            col(Goal.status) == GoalStatus.ACTIVE.value,
        )
        .scalar_subquery()
        .label("behind"),
        sa.select(sa.func.count())
        .where(
            col(Goal.seeker_id) == sid,
            col(Goal.status) == GoalStatus.MISSED.value,
            col(Goal.updated_at) > now - timedelta(days=MISSED_DAYS),
        )
        .scalar_subquery()
        .label("missed"),
        sa.select(sa.func.max(col(Rejection.occurred_at)))
        .where(col(Rejection.seeker_id) == sid)
        .scalar_subquery()
        .label("last_rejection"),
        sa.select(sa.func.max(col(Application.applied_on)))
        .where(col(Application.seeker_id) == sid)
        .scalar_subquery()
        .label("last_application"),
        sa.select(sa.func.max(col(CheckIn.occurred_at)))
        .join(Goal, col(Goal.id) == col(CheckIn.goal_id))
        .where(col(Goal.seeker_id) == sid)
        .scalar_subquery()
        .label("last_check_in"),
    ]


def _points(facts: Any, now: datetime) -> dict[Signal, Any]:
    """Each signal's points as a SQL expression over the facts (so the database can rank)."""
    run = sa.case((facts.c.run >= 5, 50), (facts.c.run >= RUN_MIN, facts.c.run * 10), else_=0)
    mood = sa.case(
        *[
            ((facts.c.rated > 0) & (facts.c.mood <= ceiling), points)
            for ceiling, points in MOOD_TIERS
        ],
        else_=0,
    )
    goals = facts.c.behind * BEHIND_POINTS + facts.c.missed * MISSED_POINTS

    def quiet_for(days: int) -> Any:
        since = now - timedelta(days=days)
        return (
            (facts.c.created_at < since)
            & ((facts.c.last_rejection.is_(None)) | (facts.c.last_rejection < since))
            & ((facts.c.last_check_in.is_(None)) | (facts.c.last_check_in < since))
            & ((facts.c.last_application.is_(None)) | (facts.c.last_application < since.date()))
        )

    inactive = sa.case(*[(quiet_for(days), points) for days, points in INACTIVE_TIERS], else_=0)
    return {
        Signal.REJECTION_RUN: run,
        Signal.LOW_MOOD: mood,
        Signal.GOALS_BEHIND: goals,
        Signal.INACTIVE: inactive,
    }


def ranked(
    session: Session, *, tenant_id: str, filters: Filters, params: PageParams
) -> tuple[list[SeekerAttention], bool, str | None]:
    """A page of the tenant's seekers, most in need of attention first (score, then id).

    Later pages are scored as of the first page's moment (carried in the cursor), so the windows
    do not slide between pages; what was recorded meanwhile still counts.
    """
    scope = f"attention:{tenant_id}:{filters.signal}:{filters.min_score}"
    after: tuple[int, str] | None = None
    now = utc_now()
    if params.cursor is not None:
        last_score, last_id, as_of = decode_values(params.cursor, scope)
        after, now = (int(last_score), str(last_id)), datetime.fromisoformat(str(as_of))
    # Materialised, so that each seeker's probes run once, not once per use of the score (the
    # filter, the cursor and the sort); SQLite and PostgreSQL both honour the hint.
    facts = (
        sa.select(*_columns(now))
        .where(col(Seeker.tenant_id) == tenant_id)
        .cte("facts")
        .prefix_with("MATERIALIZED")
    )
    points = _points(facts, now)
    score = sum(points.values(), sa.literal(0))
    scored = (
        sa.select(
            facts, *[p.label(f"points_{s.value}") for s, p in points.items()], score.label("score")
        )
        .cte("scored")
        .prefix_with("MATERIALIZED")
    )
    stmt = sa.select(scored).where(scored.c.score >= filters.min_score)
    if filters.signal is not None:
        stmt = stmt.where(scored.c[f"points_{filters.signal.value}"] > 0)
    if after is not None:
        stmt = stmt.where(
            (scored.c.score < after[0])
            | ((scored.c.score == after[0]) & (scored.c.seeker_id > after[1]))
        )
    stmt = stmt.order_by(scored.c.score.desc(), scored.c.seeker_id).limit(params.limit + 1)
    rows = session.execute(stmt).all()
    has_more = len(rows) > params.limit
    page = [_public(row._mapping, now) for row in rows[: params.limit]]
    last = page[-1] if has_more else None
    cursor = encode_values([last.score, last.seeker_id, now.isoformat()], scope) if last else None
    return page, has_more, cursor


def _day(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return value.astimezone(UTC).date()
    return value


def _public(row: Any, now: datetime) -> SeekerAttention:
    days = [d for d in map(_day, (row["last_rejection"], row["last_application"])) if d]
    days += [d for d in [_day(row["last_check_in"])] if d]
    last = max(days, default=None)
    quiet = (now.date() - (last or row["created_at"].date())).days
    mood = round(row["mood"], 2) if row["mood"] is not None else None
    facts: dict[Signal, tuple[str, dict[str, int | float | str | None]]] = {
        Signal.REJECTION_RUN: (
            f"{row['run']} rejections in the last {RUN_DAYS} days",
            {"rejections": row["run"], "days": RUN_DAYS},
        ),
        Signal.LOW_MOOD: (
            f"mood averaged {mood} over {row['rated']} rated rejections in {MOOD_DAYS} days",
            {"mean_mood": mood, "rated": row["rated"], "days": MOOD_DAYS},
        ),
        Signal.GOALS_BEHIND: (
            f"{row['behind']} goals behind pace this week, {row['missed']} missed this month",
            {"behind": row["behind"], "missed": row["missed"]},
        ),
        Signal.INACTIVE: (
            f"no application, rejection or check-in for {quiet} days",
            {"days": quiet, "last_activity_on": last.isoformat() if last else None},
        ),
    }
    signals = [
        AttentionSignal(signal=s, points=row[f"points_{s.value}"], detail=detail, facts=f)
        for s, (detail, f) in facts.items()
        if row[f"points_{s.value}"] > 0
    ]
    signals.sort(key=lambda s: (-s.points, s.signal.value))
    return SeekerAttention(
        seeker_id=row["seeker_id"],
        display_name=row["display_name"],
        external_id=row["external_id"],
        score=row["score"],
        signals=signals,
        last_activity_on=last,
    )
