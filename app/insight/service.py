"""Insights: what a seeker's history says over the last `days` days, in a fixed number of queries.

Definitions (the window is `since`..`until`, local days in the seeker's zone, `until` = today):

- A rejection is in the window when `occurred_at` falls on one of its local days. Weeks start on
  Monday (local); every week overlapping the window is listed, oldest first, zeros included.
- Withdrawals (`ended_by: candidate`) are the seeker's own decision, not rejections: they count in
  none of the rejection figures (`rejections`, `by_stage`, `by_reason`, `by_week`,
  `most_rejections_at`, `missing_skills`, `repeat_companies`). They are still applications that
  got somewhere, so the funnel and the last application count them like any other ending.
- Funnel: an attempt is an application with `applied_on` in the window, or a rejection (or
  withdrawal) in the window not linked to an application (it implies one). Its furthest stage is
  the furthest stage of the rejections and withdrawals linked to it (whenever they occurred), else
  its status: applied, withdrawn and rejected → application_review, screening → phone_screen,
  interviewing → interview, offer and hired → offer. Steps count attempts that reached
  application_review (all), phone_screen (screens: assessment counts), interview, final_round and
  offer; conversion = reached / the previous step's reached, rounded to 4 decimals (null first, or
  after 0). A linked rejection whose application was sent before the window counts in `by_stage`
  but is no attempt of this window.
- `missing_skills`: lower-cased, each counted once per rejection, top 10 by count then name.
- `repeat_companies`: grouped by lower-cased name, shown with the most recent rejection's
  spelling, more than one rejection in the window, by count then lower-cased name.
- `days_since_last_application`: today minus the latest `applied_on` not after today, any time,
  or the local day of the latest rejection or withdrawal not linked to an application, when later
  (it implies an application sent that day at the latest).
- `next_steps`: every step (not only the window's) by recommendation; a snoozed step whose time
  has passed is open; retracted steps are left out.
- `goals`: goals whose effective status is active, with their current period's pace.

Lower-casing is SQL's `lower()`: ASCII only on SQLite, Unicode-aware on PostgreSQL.
"""

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import ColumnElement, bindparam, case, func, select
from sqlmodel import Session

from app.application import service as application_service
from app.application.models import Application, ApplicationStatus
from app.core.clock import utc_now
from app.goal import service as goal_service
from app.goal.models import GoalKind, GoalStatus
from app.insight.models import (
    CompanyCount,
    Funnel,
    FunnelStep,
    GoalPaceInsight,
    SeekerInsights,
    SkillCount,
    StepTally,
    WeekCount,
)
from app.next_step.models import NextStep, StepStatus
from app.rejection.models import EndedBy, Reason, Rejection, Stage
from app.seeker.models import Seeker

TOP_SKILLS = 10
TALLIED = ("open", "snoozed", "done", "dismissed")  # StepTally's counts; retracted steps are not
# Every zone's UTC offset since 1970 is a whole number of quarter hours (Kolkata +5:30, Kathmandu
# +5:45), so no local midnight falls inside a UTC quarter hour: all of a bucket is on one local day.
BUCKET_SECONDS = 900
STAGES = list(Stage)  # in the order a process goes
FUNNEL_STEPS = (
    ("applications", Stage.APPLICATION_REVIEW),
    ("screens", Stage.PHONE_SCREEN),
    ("interviews", Stage.INTERVIEW),
    ("final_rounds", Stage.FINAL_ROUND),
    ("offers", Stage.OFFER),
)
STATUS_STAGE = {  # how far an application got, by its status, when no rejection says more
    ApplicationStatus.SCREENING: Stage.PHONE_SCREEN,
    ApplicationStatus.INTERVIEWING: Stage.INTERVIEW,
    ApplicationStatus.OFFER: Stage.OFFER,
    ApplicationStatus.HIRED: Stage.OFFER,
}

R = Rejection.__table__  # type: ignore[attr-defined]
A = Application.__table__  # type: ignore[attr-defined]
N = NextStep.__table__  # type: ignore[attr-defined]
# Constants as SQL literals, and grouping by name (`by_label`): PostgreSQL matches a GROUP BY
# expression to the select list's by its text, and two bind parameters of one value differ.
BUCKET: ColumnElement[int] = sa.literal_column(str(BUCKET_SECONDS))


def by_label(column: sa.Label[Any]) -> ColumnElement[Any]:
    """A select-list column by its name, to GROUP BY an expression that holds bind parameters."""
    return sa.literal_column(column.name)


def _window() -> tuple[ColumnElement[bool], ...]:
    return (
        R.c.seeker_id == bindparam("seeker_id"),
        R.c.occurred_at >= bindparam("lo"),
        R.c.occurred_at < bindparam("hi"),
    )


def _rejected() -> tuple[ColumnElement[bool], ...]:
    """The window's rejections: the seeker's own withdrawals are none."""
    return (*_window(), R.c.ended_by != EndedBy.CANDIDATE.value)


def _rank(column: Any, stages: Mapping[str, Stage]) -> ColumnElement[int]:
    """A stage (by the value of `column`) as its position in STAGES; anything else is 0."""
    whens: dict[str, ColumnElement[int]] = {
        value: sa.literal_column(str(STAGES.index(stage))) for value, stage in stages.items()
    }
    return case(whens, value=column, else_=sa.literal_column("0"))


def _bucket(dialect: str) -> ColumnElement[int]:
    """The UTC quarter hour of `occurred_at`, as seconds since 1970 // BUCKET_SECONDS."""
    if dialect == "postgresql":
        return sa.cast(func.floor(sa.extract("epoch", R.c.occurred_at) / BUCKET), sa.BigInteger)
    # SQLite keeps UTC text, '%s' truncates it to whole seconds; plain `/` truncates too, which is
    # floor after 1970 (SQLAlchemy's `//` renders FLOOR(), missing from SQLites without math).
    seconds = sa.cast(func.strftime(sa.literal_column("'%s'"), R.c.occurred_at), sa.Integer)
    return seconds.op("/")(BUCKET)


def _by_name(expr: ColumnElement[str], dialect: str) -> ColumnElement[str]:
    # Byte order on both backends, so ties break the same way whatever PostgreSQL's locale is.
    return sa.collate(expr, "C") if dialect == "postgresql" else expr


def _statements(dialect: str) -> dict[str, sa.Select[Any]]:
    """The queries, built once per dialect (building a statement costs more than running it)."""
    stage_rank = _rank(R.c.stage, {s.value: s for s in Stage})
    by_reason = select(R.c.stage, R.c.reason, func.count()).where(*_rejected())
    bucket = _bucket(dialect).label("bucket")
    by_bucket = select(bucket, func.count()).where(*_rejected()).group_by(by_label(bucket))

    elements = func.json_each if dialect == "sqlite" else func.json_array_elements_text
    named = elements(R.c.missing_skills).table_valued("value", joins_implicitly=True)
    skill = func.lower(named.c.value)
    rejections = func.count(sa.distinct(R.c.id))
    skills = (
        select(skill, rejections)
        .select_from(R, named)
        .where(*_rejected())
        .group_by(skill)
        .order_by(rejections.desc(), _by_name(skill, dialect))
        .limit(TOP_SKILLS)
    )

    key = func.lower(R.c.company)
    latest = (R.c.occurred_at.desc(), R.c.id.desc())
    spelled = (  # each rejection with its company's count and its rank from the latest
        select(
            R.c.company,
            key.label("key"),
            func.count().over(partition_by=key).label("n"),
            func.row_number().over(partition_by=key, order_by=latest).label("nth"),
        )
        .where(*_rejected())
        .subquery()
    )
    companies = (
        select(spelled.c.company, spelled.c.n)
        .where(spelled.c.nth == sa.literal_column("1"), spelled.c.n > sa.literal_column("1"))
        .order_by(spelled.c.n.desc(), _by_name(spelled.c.key, dialect))
    )

    linked = (
        select(R.c.application_id, func.max(stage_rank).label("rank"))
        .where(R.c.seeker_id == bindparam("seeker_id"), R.c.application_id.is_not(None))
        .group_by(R.c.application_id)
        .subquery()
    )
    from_status = _rank(A.c.status, {s.value: stage for s, stage in STATUS_STAGE.items()})
    attempts = sa.union_all(
        select(func.coalesce(linked.c.rank, from_status).label("rank"))
        .select_from(A.outerjoin(linked, linked.c.application_id == A.c.id))
        .where(
            A.c.seeker_id == bindparam("seeker_id"),
            A.c.applied_on >= bindparam("since"),
            A.c.applied_on <= bindparam("until"),
        ),
        select(stage_rank).where(*_window(), R.c.application_id.is_(None)),
    ).subquery()
    reached = [
        func.coalesce(
            func.sum(case((attempts.c.rank >= STAGES.index(s), 1), else_=0)),
            sa.literal_column("0"),
        )
        for _, s in FUNNEL_STEPS
    ]
    funnel = select(*reached).select_from(attempts)

    woke = sa.and_(
        N.c.status == StepStatus.SNOOZED.value,
        N.c.snoozed_until.is_not(None),
        N.c.snoozed_until <= bindparam("now"),
    )
    status = case((woke, StepStatus.OPEN.value), else_=N.c.status).label("effective_status")
    steps = (
        select(N.c.recommendation_key, status, func.count())
        .where(N.c.seeker_id == bindparam("seeker_id"), N.c.status != StepStatus.RETRACTED.value)
        .group_by(N.c.recommendation_key, by_label(status))
    )
    return {
        "by_reason": by_reason.group_by(R.c.stage, R.c.reason),
        "by_bucket": by_bucket,
        "skills": skills,
        "companies": companies,
        "funnel": funnel,
        "steps": steps,
    }


_STATEMENTS = {dialect: _statements(dialect) for dialect in ("sqlite", "postgresql")}


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    # A midnight skipped by a DST change resolves (fold=0) to the first instant of that day.
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def _weeks(rows: list[Any], zone: ZoneInfo, since: date, until: date) -> list[WeekCount]:
    """Quarter-hour counts folded into local Monday weeks, every week of the window listed.

    Bucketing by local week in SQL would need each instant's UTC offset, which changes with DST;
    SQL only groups by UTC quarter hour (at most one row per quarter hour with rejections, so the
    rows are bounded by the window, not the history) and each bucket gets its local day here.
    """
    first = since - timedelta(days=since.weekday())
    counts = {first + timedelta(weeks=i): 0 for i in range((until - first).days // 7 + 1)}
    for bucket, count in rows:
        day = datetime.fromtimestamp(int(bucket) * BUCKET_SECONDS, UTC).astimezone(zone).date()
        counts[day - timedelta(days=day.weekday())] += count
    return [WeekCount(week_start=week, rejections=n) for week, n in counts.items()]


def _funnel(reached: list[int], by_stage: Mapping[Stage, int]) -> Funnel:
    steps, previous = [], None
    for (name, _), count in zip(FUNNEL_STEPS, reached, strict=True):
        conversion: float | None = round(count / previous, 4) if previous else None
        steps.append(FunnelStep(step=name, reached=count, conversion=conversion))
        previous = count
    most = max(by_stage.values(), default=0)
    # STAGES is in process order and max() keeps the first of equals: ties go to the earliest.
    worst = max(STAGES, key=lambda s: by_stage[s]) if most else None
    return Funnel(steps=steps, most_rejections_at=worst)


def _tallies(rows: list[Any]) -> list[StepTally]:
    counts: dict[str, dict[str, int]] = {}
    for key, status, count in rows:
        counts.setdefault(key, {})[status] = count
    return [
        StepTally(recommendation_key=key, **{s: counts[key].get(s, 0) for s in TALLIED})
        for key in sorted(counts)
    ]


def _goals(session: Session, seeker: Seeker, now: datetime) -> list[GoalPaceInsight]:
    standings = goal_service.standing(session, seekers=[seeker], now=now)[seeker.id]
    return [
        GoalPaceInsight(
            goal_id=s.goal.id,
            title=s.goal.title,
            kind=GoalKind(s.goal.kind),
            pace=s.progress.pace,
            current=s.progress.current,
            expected=s.progress.expected,
            target=s.progress.target,
            period_target=s.progress.period_target,
            period_start=s.progress.period_start,
            period_end=s.progress.period_end,
        )
        for s in standings
        if s.status == GoalStatus.ACTIVE.value
    ]


def seeker_insights(session: Session, *, seeker: Seeker, days: int) -> SeekerInsights:
    """The seeker's insights for the last `days` local days, today included."""
    now = utc_now()
    zone = ZoneInfo(seeker.timezone)
    until = goal_service.today_for(seeker, now)
    since = until - timedelta(days=days - 1)
    params = {
        "seeker_id": seeker.id,
        "lo": _local_midnight(since, zone),
        "hi": _local_midnight(until + timedelta(days=1), zone),
        "since": since,
        "until": until,
        "now": now,
    }
    dialect = session.get_bind().dialect.name
    queries = _STATEMENTS["postgresql" if dialect == "postgresql" else "sqlite"]

    def run(name: str) -> list[Any]:
        return list(session.execute(queries[name], params).all())

    by_stage, by_reason = dict.fromkeys(Stage, 0), dict.fromkeys(Reason, 0)
    for stage, reason, count in run("by_reason"):
        if stage in by_stage:
            by_stage[Stage(stage)] += count
        if reason in by_reason:
            by_reason[Reason(reason)] += count
    last = application_service.last_applied(session, seekers=[seeker], now=now)[seeker.id]
    return SeekerInsights(
        seeker_id=seeker.id,
        days=days,
        since=since,
        until=until,
        timezone=seeker.timezone,
        rejections=sum(by_stage.values()),
        by_stage=by_stage,
        by_reason=by_reason,
        by_week=_weeks(run("by_bucket"), zone, since, until),
        funnel=_funnel([int(n) for n in run("funnel")[0]], by_stage),
        missing_skills=[SkillCount(skill=s, rejections=n) for s, n in run("skills")],
        repeat_companies=[CompanyCount(company=c, rejections=n) for c, n in run("companies")],
        days_since_last_application=(until - last).days if last else None,
        next_steps=_tallies(run("steps")),
        goals=_goals(session, seeker, now),
    )
