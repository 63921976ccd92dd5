"""Goals and check-ins: create, track progress in the seeker's time zone, close when done."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, or_
from sqlalchemy.exc import InvalidRequestError
from sqlmodel import Session, col, select

from app.application import service as application_service
from app.core import subjects
from app.core.clock import utc_now
from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.ids import new_id
from app.core.pagination import PageParams, paginate, paginate_kept
from app.goal import progress as tracking
from app.goal.models import (
    CheckIn,
    CheckInCreate,
    Goal,
    GoalCreate,
    GoalKind,
    GoalPeriod,
    GoalPublic,
    GoalStatus,
    GoalUpdate,
    PeriodPublic,
    ProgressPublic,
    unit_for,
)
from app.seeker import service as seeker_service
from app.seeker.models import Seeker
from app.webhook import service as webhook_service

SUGGESTED_ONE_OFF_DAYS = timedelta(days=30)


class GoalNotFound(NotFound):
    """No goal with that id for this tenant."""

    code = "goal_not_found"


class GoalAlreadyClosed(Conflict):
    """The goal is no longer active."""

    code = "goal_closed"


def _invalid(pointer: str, detail: str) -> Unprocessable:
    return Unprocessable.at(pointer, detail, "The goal has invalid fields.")


def create_goal(
    session: Session,
    *,
    seeker: Seeker,
    goal_in: GoalCreate,
    next_step_id: str | None = None,
) -> Goal:
    """Create a goal; it starts today in the seeker's time zone unless told otherwise."""
    now = utc_now()
    start_on = goal_in.start_on or tracking.local_day(now, seeker.timezone)
    if goal_in.due_on is not None and goal_in.due_on < start_on:
        raise _invalid("/due_on", "must not be before start_on")
    goal = Goal(
        id=new_id("gol"),
        tenant_id=seeker.tenant_id,
        seeker_id=seeker.id,
        title=goal_in.title,
        kind=goal_in.kind.value,
        target=goal_in.target,
        unit=unit_for(goal_in.kind, goal_in.unit),
        period=goal_in.period.value,
        start_on=start_on,
        due_on=goal_in.due_on,
        recommendation_key=goal_in.recommendation_key,
        next_step_id=next_step_id,
        created_at=now,
        updated_at=now,
    )
    session.add(goal)
    session.flush()
    return goal


def get_goal(session: Session, *, tenant_id: str, goal_id: str) -> Goal:
    """A goal of this tenant, or GoalNotFound."""
    goal = session.exec(select(Goal).where(Goal.id == goal_id, Goal.tenant_id == tenant_id)).first()
    if goal is None:
        raise GoalNotFound(f"No goal {goal_id!r}.")
    subjects.concern(session, [goal.seeker_id])
    return goal


def goal_for_step(session: Session, *, next_step_id: str) -> Goal | None:
    """The goal already created from a next step, if any."""
    return session.exec(select(Goal).where(Goal.next_step_id == next_step_id)).first()


def list_goals(
    session: Session,
    *,
    seeker: Seeker,
    params: PageParams,
    status: GoalStatus | None,
    kind: GoalKind | None,
) -> tuple[Sequence[Goal], bool, str | None]:
    """A page of the seeker's goals, newest first, by (effective) status and kind.

    The status a goal is listed under is the one it is served with: a one-off goal that was
    reached or whose due date passed counts as achieved or missed before that is stored.
    """
    stmt = select(Goal).where(Goal.seeker_id == seeker.id)
    if kind is not None:
        stmt = stmt.where(Goal.kind == kind.value)
    scope = f"goals:{seeker.id}:{status}:{kind}"
    if status is None:
        return paginate(session, stmt, col(Goal.id), params, scope)
    settling = (GoalStatus.ACTIVE.value, GoalStatus.MISSED.value)  # may still change
    one_off_settling = and_(
        col(Goal.period) == GoalPeriod.NONE.value, col(Goal.status).in_(settling)
    )
    stmt = stmt.where(or_(col(Goal.status) == status.value, one_off_settling))
    today = today_for(seeker)

    def keep(rows: list[Goal]) -> list[Goal]:
        unsettled = [g for g in rows if g.period == GoalPeriod.NONE.value and g.status in settling]
        progress = progress_of(session, seeker=seeker, goals=unsettled)
        return [
            g
            for g in rows
            if (effective_status(g, progress[g.id], today) if g.id in progress else g.status)
            == status.value
        ]

    return paginate_kept(session, stmt, col(Goal.id), params, scope, keep)


def update_goal(session: Session, *, goal: Goal, goal_in: GoalUpdate) -> Goal:
    """Change title, target or due date, or abandon the goal."""
    _hold(session, goal)
    changes: dict[str, Any] = goal_in.model_dump(exclude_unset=True)
    if "status" in changes and changes["status"] is not GoalStatus.ABANDONED:
        raise _invalid("/status", "only `abandoned` can be set; the rest follows from progress")
    if "due_on" in changes:
        due = changes["due_on"]
        if due is None and goal.period == GoalPeriod.NONE.value:
            raise _invalid("/due_on", "a one-off goal needs a due_on")
        if due is not None and due < goal.start_on:
            raise _invalid("/due_on", "must not be before start_on")
    if not changes:
        return goal
    if "status" in changes:
        changes["status"] = GoalStatus.ABANDONED.value
    elif (
        goal.status == GoalStatus.MISSED.value
        and changes.get("due_on") is not None
        and changes["due_on"] >= today_for(owner_of(session, goal))
    ):
        changes["status"] = GoalStatus.ACTIVE.value  # given more time, a missed goal is back on
    goal.sqlmodel_update(changes)
    goal.updated_at = utc_now()
    session.add(goal)
    session.flush()
    return goal


def _hold(session: Session, goal: Goal) -> None:
    """Take the seeker's lock (the sweep settles goals under it) and re-read the goal."""
    seeker_service.lock(session, seeker_ids=[goal.seeker_id])
    try:
        session.refresh(goal)
    except InvalidRequestError as exc:  # erased (with its seeker) while we waited for the lock
        raise GoalNotFound(f"No goal {goal.id!r}.") from exc


def delete_goal(session: Session, *, goal: Goal) -> None:
    """Delete a goal and its check-ins."""
    _hold(session, goal)
    session.delete(goal)
    session.flush()


def add_check_in(
    session: Session, *, goal: Goal, seeker: Seeker, check_in_in: CheckInCreate
) -> CheckIn:
    """Record progress on a goal; a one-off goal that reaches its target is achieved.

    Check-ins go to active and missed goals, dated (in the seeker's zone) no later than the due
    date: progress logged late can still make a missed goal achieved.
    """
    _hold(session, goal)
    now = utc_now()
    occurred_at = check_in_in.occurred_at or now
    day = tracking.local_day(occurred_at, seeker.timezone)
    if goal.status not in (GoalStatus.ACTIVE.value, GoalStatus.MISSED.value):
        raise GoalAlreadyClosed(f"The goal is {goal.status}; it takes no more check-ins.")
    if goal.due_on is not None and day > goal.due_on:
        raise GoalAlreadyClosed(
            f"The goal ended on {goal.due_on}; a check-in dated {day} counts for nothing."
        )
    check_in = CheckIn(
        id=new_id("chk"),
        tenant_id=goal.tenant_id,
        goal_id=goal.id,
        value=check_in_in.value,
        occurred_at=occurred_at,
        note=check_in_in.note,
        created_at=now,
    )
    session.add(check_in)
    session.flush()
    today = tracking.local_day(now, seeker.timezone)
    status = effective_status(
        goal, progress_of(session, seeker=seeker, goals=[goal])[goal.id], today
    )
    if status == GoalStatus.ACHIEVED.value and goal.status != status:
        goal.status = status
        goal.updated_at = now
        session.add(goal)
        session.flush()
        public = public_goals(session, seeker=seeker, goals=[goal])[0]
        webhook_service.emit(session, tenant_id=goal.tenant_id, events=[("goal.achieved", public)])
    return check_in


def export_goals(session: Session, *, seeker: Seeker) -> tuple[list[GoalPublic], list[CheckIn]]:
    """Every goal of one seeker with its progress, and every check-in, oldest first (exports)."""
    goals = session.exec(select(Goal).where(Goal.seeker_id == seeker.id).order_by(col(Goal.id)))
    check_ins = select(CheckIn).join(Goal, col(Goal.id) == col(CheckIn.goal_id))
    check_ins = check_ins.where(Goal.seeker_id == seeker.id).order_by(col(CheckIn.id))
    return public_goals(session, seeker=seeker, goals=list(goals)), list(session.exec(check_ins))


def list_check_ins(
    session: Session, *, goal: Goal, params: PageParams
) -> tuple[Sequence[CheckIn], bool, str | None]:
    """A page of a goal's check-ins, newest recorded first."""
    stmt = select(CheckIn).where(CheckIn.goal_id == goal.id)
    return paginate(session, stmt, col(CheckIn.id), params, f"check_ins:{goal.id}")


def _spec(goal: Goal) -> tracking.GoalSpec:
    return tracking.GoalSpec(
        target=goal.target, period=goal.period, start_on=goal.start_on, due_on=goal.due_on
    )


_CHECK_INS = select(CheckIn.goal_id, CheckIn.occurred_at, CheckIn.value).where(
    col(CheckIn.goal_id).in_(sa.bindparam("goal_ids", expanding=True))
)


def _entries(
    session: Session,
    *,
    goals: Sequence[Goal],
    seekers: Mapping[str, Seeker],
    today: Mapping[str, date],
) -> dict[str, list[tuple[date, float]]]:
    """Every goal's dated values (local days of their seekers), in two queries for any number.

    Applications count from their `applied_on` up to the seeker's `today`, never ahead of it.
    """
    entries: dict[str, list[tuple[date, float]]] = defaultdict(list)
    if not goals:
        return entries
    zone = {g.id: seekers[g.seeker_id].timezone for g in goals}
    for goal_id, occurred_at, value in session.exec(_CHECK_INS, params={"goal_ids": list(zone)}):
        entries[goal_id].append((tracking.local_day(occurred_at, zone[goal_id]), value))
    counted = [g for g in goals if g.kind == GoalKind.APPLICATIONS.value]
    if counted:
        days = application_service.applied_days(
            session,
            seeker_ids=sorted({g.seeker_id for g in counted}),
            since=min(g.start_on for g in counted),
            until=max(today.values()),
        )
        for goal in counted:
            until = today[goal.seeker_id]
            entries[goal.id] += [(day, 1.0) for day in days[goal.seeker_id] if day <= until]
    return entries


def today_for(seeker: Seeker, now: datetime | None = None) -> date:
    """Today (or `now`) in the seeker's time zone."""
    return tracking.local_day(now or utc_now(), seeker.timezone)


def progress_of(
    session: Session, *, seeker: Seeker, goals: Sequence[Goal], now: datetime | None = None
) -> dict[str, tracking.Progress]:
    """Each goal's progress today (in the seeker's zone), in a fixed number of queries."""
    today = today_for(seeker, now)
    entries = _entries(session, goals=goals, seekers={seeker.id: seeker}, today={seeker.id: today})
    return {g.id: tracking.progress(_spec(g), entries[g.id], today) for g in goals}


@dataclass(frozen=True)
class Standing:
    """A goal that is stored as active, its progress as of a seeker's day, and its real status."""

    goal: Goal
    progress: tracking.Progress
    status: str


# Built once (every rejection reads goals): building a statement costs more than running it.
_STANDING_GOALS = (
    select(Goal)
    .where(
        col(Goal.seeker_id).in_(sa.bindparam("seeker_ids", expanding=True)),
        col(Goal.status).in_([GoalStatus.ACTIVE.value, GoalStatus.MISSED.value]),
    )
    .order_by(col(Goal.id))
)


def standing(
    session: Session, *, seekers: Sequence[Seeker], now: datetime | Mapping[str, datetime]
) -> dict[str, list[Standing]]:
    """Each seeker's stored-active goals with progress as of `now` in their own time zone.

    `now` is one moment for all, or each seeker's own (a batch of rejections coaches each seeker
    as of their event). Three queries for any number of seekers (goals, check-ins,
    applications); the sweep and the rule context both read goals through here.
    """
    by_id = {s.id: s for s in seekers}
    result: dict[str, list[Standing]] = {s.id: [] for s in seekers}
    if not seekers:
        return result
    goals = list(session.exec(_STANDING_GOALS, params={"seeker_ids": list(by_id)}).all())
    days = {s.id: today_for(s, now if isinstance(now, datetime) else now[s.id]) for s in seekers}
    entries = _entries(session, goals=goals, seekers=by_id, today=days)
    for goal in goals:
        today = days[goal.seeker_id]
        progress = tracking.progress(_spec(goal), entries[goal.id], today)
        status = effective_status(goal, progress, today)
        result[goal.seeker_id].append(Standing(goal, progress, status))
    return result


def settle(session: Session, *, standings: Sequence[Standing], now: datetime) -> list[Standing]:
    """Store the status of one-off goals that were reached or whose due date passed; the changed."""
    changed = [s for s in standings if s.status != s.goal.status]
    for item in changed:
        item.goal.status = item.status
        item.goal.updated_at = now
        session.add(item.goal)
    session.flush()
    return changed


def effective_status(goal: Goal, progress: tracking.Progress, today: date) -> str:
    """A one-off goal is achieved once reached, and missed once its due date passes unreached.

    A goal stored as missed still becomes achieved if late check-ins reach its target.
    """
    open_statuses = (GoalStatus.ACTIVE.value, GoalStatus.MISSED.value)
    if goal.status not in open_statuses or goal.period != GoalPeriod.NONE.value:
        return goal.status
    if progress.current >= progress.period_target:  # a one-off goal's one period: its target
        return GoalStatus.ACHIEVED.value
    if goal.due_on is not None and today > goal.due_on:
        return GoalStatus.MISSED.value
    return goal.status


def periods_of(session: Session, *, seeker: Seeker, goal: Goal) -> list[PeriodPublic]:
    """Each period of the goal so far, with its total and whether it was met."""
    today = today_for(seeker)
    entries = _entries(
        session, goals=[goal], seekers={seeker.id: seeker}, today={seeker.id: today}
    )[goal.id]
    return [
        PeriodPublic(start=p.start, end=p.end, target=p.target, total=p.total, met=p.met)
        for p in tracking.periods(_spec(goal), entries, today)
    ]


def daily_totals(session: Session, *, seeker: Seeker, goal: Goal) -> dict[date, float]:
    """The goal's total per local day that counts (start_on to due_on), days with none left out."""
    today = today_for(seeker)
    entries = _entries(
        session, goals=[goal], seekers={seeker.id: seeker}, today={seeker.id: today}
    )[goal.id]
    totals: dict[date, float] = defaultdict(float)
    for day, value in entries:
        if day >= goal.start_on and (goal.due_on is None or day <= goal.due_on):
            totals[day] += value
    return dict(totals)


def to_public(goal: Goal, progress: tracking.Progress, today: date) -> GoalPublic:
    """The API view of a goal with its progress and effective status."""
    return GoalPublic(
        id=goal.id,
        seeker_id=goal.seeker_id,
        title=goal.title,
        kind=GoalKind(goal.kind),
        target=goal.target,
        unit=goal.unit,
        period=GoalPeriod(goal.period),
        start_on=goal.start_on,
        due_on=goal.due_on,
        recommendation_key=goal.recommendation_key,
        status=GoalStatus(effective_status(goal, progress, today)),
        progress=ProgressPublic(**vars(progress)),
        created_at=goal.created_at,
        updated_at=goal.updated_at,
        version=goal.version,
    )


def owner_of(session: Session, goal: Goal) -> Seeker:
    """The seeker a goal belongs to (for their time zone)."""
    seeker = session.get(Seeker, goal.seeker_id)
    assert seeker is not None  # the foreign key guarantees it
    return seeker


def public_goals(session: Session, *, seeker: Seeker, goals: Sequence[Goal]) -> list[GoalPublic]:
    """Goals with their progress, in a fixed number of queries whatever their number."""
    progress = progress_of(session, seeker=seeker, goals=goals)
    today = today_for(seeker)
    return [to_public(g, progress[g.id], today) for g in goals]


def accept_step_goal(
    session: Session, *, seeker: Seeker, next_step_id: str, suggested: dict[str, Any], key: str
) -> tuple[Goal, bool]:
    """The goal a next step suggested: created once, returned as it is when accepted again."""
    existing = goal_for_step(session, next_step_id=next_step_id)
    if existing is not None:
        return existing, False
    fields = {**suggested, "recommendation_key": key}
    if fields.get("period") == GoalPeriod.NONE.value and not fields.get("due_on"):
        fields["due_on"] = today_for(seeker) + SUGGESTED_ONE_OFF_DAYS  # rules have no clock
    goal_in = GoalCreate.model_validate(fields)
    return create_goal(session, seeker=seeker, goal_in=goal_in, next_step_id=next_step_id), True
