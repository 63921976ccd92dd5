"""Next steps: created and extended from suggestions, listed, moved through their lifecycle."""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import and_, or_, tuple_, update
from sqlalchemy.exc import InvalidRequestError
from sqlmodel import Session, col, select

from app.core import subjects
from app.core.clock import utc_now
from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.pagination import PageParams, decode_values, encode_values
from app.next_step.models import (
    NextStep,
    NextStepPublic,
    NextStepUpdate,
    StepFinding,
    StepStatus,
)

# Writing steps lives in its own module; other domains reach it through this service.
from app.next_step.writing import (
    SUPPORT,
    TABLE,
    OlderEvidence,
    StepWrites,
    active_for,
    as_public,
    effective_status,
    public_at,
    record,
    retract,
    seeker_facts,
)
from app.seeker import service as seeker_service
from app.webhook import service as webhook_service

__all__ = [
    "OlderEvidence",
    "StepWrites",
    "active_for",
    "effective_status",
    "record",
    "retract",
    "seeker_facts",
]


def to_public(step: NextStep | NextStepPublic, now: datetime | None = None) -> NextStepPublic:
    """The API view of a step, with its effective status now (or at `now`)."""
    return public_at(step, now or utc_now())


MOVES = {  # status -> the statuses a client may move it to
    StepStatus.OPEN: {StepStatus.DONE, StepStatus.DISMISSED, StepStatus.SNOOZED},
    StepStatus.SNOOZED: {
        StepStatus.OPEN,
        StepStatus.DONE,
        StepStatus.DISMISSED,
        StepStatus.SNOOZED,
    },
    StepStatus.DONE: {StepStatus.OPEN},
    StepStatus.DISMISSED: {StepStatus.OPEN},
    StepStatus.RETRACTED: set(),
}


class NextStepNotFound(NotFound):
    """No next step with that id for this tenant."""

    code = "next_step_not_found"


class NextStepConflict(Conflict):
    """The status change is not allowed from where the step stands."""

    code = "invalid_transition"


def remember(
    session: Session, *, findings: Sequence[tuple[str, NextStepPublic]], now: datetime
) -> None:
    """Store which step acted on each finding of the sweep (after the steps are flushed)."""
    session.add_all(
        StepFinding(seeker_id=step.seeker_id, key=key, next_step_id=step.id, created_at=now)
        for key, step in findings
    )
    session.flush()


def acted_on(session: Session, *, seeker_ids: Sequence[str]) -> dict[str, frozenset[str]]:
    """The findings each seeker's steps have already acted on (see StepFinding)."""
    found: dict[str, set[str]] = {seeker_id: set() for seeker_id in seeker_ids}
    if seeker_ids:
        stmt = select(StepFinding.seeker_id, StepFinding.key).where(
            col(StepFinding.seeker_id).in_(list(seeker_ids))
        )
        for seeker_id, key in session.exec(stmt).all():
            found[seeker_id].add(key)
    return {seeker_id: frozenset(keys) for seeker_id, keys in found.items()}


def reopen_snoozed(session: Session, *, seeker_ids: Sequence[str], now: datetime) -> int:
    """Store as open the snoozed steps whose time has come (reads already show them open)."""
    if not seeker_ids:
        return 0
    stmt = (
        update(NextStep)
        .where(
            col(NextStep.seeker_id).in_(list(seeker_ids)),
            col(NextStep.status) == StepStatus.SNOOZED.value,
            col(NextStep.snoozed_until) <= now,
        )
        .values(
            status=StepStatus.OPEN.value,
            snoozed_until=None,
            updated_at=now,
            version=NextStep.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    result = session.exec(stmt)
    return int(result.rowcount)


def events_of(steps: Sequence[NextStep | NextStepPublic]) -> list[tuple[str, NextStepPublic]]:
    """Webhook events for steps just written: `next_step.created` for new ones, else updated."""
    now = utc_now()
    return [
        ("next_step.created" if s.version == 1 else "next_step.updated", to_public(s, now))
        for s in steps
    ]


def get_next_step(session: Session, *, tenant_id: str, next_step_id: str) -> NextStep:
    """A step of this tenant, or NextStepNotFound."""
    stmt = select(NextStep).where(NextStep.id == next_step_id, NextStep.tenant_id == tenant_id)
    step = session.exec(stmt).first()
    if step is None:
        raise NextStepNotFound(f"No next step {next_step_id!r}.")
    subjects.concern(session, [step.seeker_id])
    return step


def list_next_steps(
    session: Session, *, seeker_id: str, status: StepStatus, params: PageParams
) -> tuple[list[NextStepPublic], bool, str | None]:
    """A page of the seeker's steps in one status, by priority, then due time, then id.

    Read as rows straight into the API's model: building ORM objects first costs more than the
    query (PERFORMANCE.md).
    """
    now = utc_now()
    c = TABLE.c
    snoozed_due = and_(c.status == StepStatus.SNOOZED.value, c.snoozed_until <= now)
    if status is StepStatus.OPEN:
        where = or_(c.status == status.value, snoozed_due)
    elif status is StepStatus.SNOOZED:
        where = and_(c.status == status.value, c.snoozed_until > now)
    else:
        where = c.status == status.value
    order = (c.priority, c.due_at, c.id)
    scope = f"next_steps:{seeker_id}:{status.value}"
    stmt = sa.select(TABLE).where(c.seeker_id == seeker_id, where)
    if params.cursor is not None:
        priority, due_at, last_id = decode_values(params.cursor, scope)
        after = (int(priority), datetime.fromisoformat(str(due_at)), str(last_id))
        stmt = stmt.where(tuple_(*order) > tuple_(*after))
    rows = session.execute(stmt.order_by(*order).limit(params.limit + 1)).all()
    has_more = len(rows) > params.limit
    steps = [as_public(row._asdict(), now) for row in rows[: params.limit]]
    last = steps[-1] if steps and has_more else None
    cursor = (
        encode_values([last.priority, last.due_at.isoformat(), last.id], scope) if last else None
    )
    return steps, has_more, cursor


def update_next_step(session: Session, *, step: NextStep, step_in: NextStepUpdate) -> NextStep:
    """Move a step to a new status; an impossible move is a 409, a bad snooze a 422."""
    seeker_service.lock(session, seeker_ids=[step.seeker_id])  # not while a rejection coaches
    try:
        session.refresh(step)
    except InvalidRequestError as exc:  # erased with its seeker while we waited for the lock
        raise NextStepNotFound(f"No next step {step.id!r}.") from exc
    now = utc_now()
    current = effective_status(step, now)
    if step_in.status not in MOVES[current]:
        raise NextStepConflict(f"A {current.value} step cannot become {step_in.status.value}.")
    if step_in.status is StepStatus.SNOOZED:
        if step_in.snoozed_until is None or step_in.snoozed_until <= now:
            raise Unprocessable.at(
                "/snoozed_until", "must be in the future", "Snoozing needs a time in the future."
            )
    elif step_in.snoozed_until is not None:
        raise Unprocessable.at(
            "/snoozed_until", "only with status snoozed", "Only a snoozed step has snoozed_until."
        )
    if step_in.status is StepStatus.OPEN and current is not StepStatus.OPEN:
        other = active_for(session, seeker_ids=[step.seeker_id])[step.seeker_id].get(
            (step.recommendation_key, step.scope)
        )
        if other is not None and other["id"] != step.id:
            raise NextStepConflict(
                f"Step {other['id']} is already active for {step.recommendation_key}."
            )
    step.status = step_in.status.value
    step.snoozed_until = step_in.snoozed_until
    step.updated_at = now
    session.add(step)
    session.flush()
    webhook_service.emit(session, tenant_id=step.tenant_id, events=events_of([step]))
    return step


def supported_by(session: Session, *, rejection_id: str, seeker_id: str) -> list[NextStep]:
    """The seeker's steps that a rejection supports, in priority order."""
    ids = sa.select(SUPPORT.c.next_step_id).where(SUPPORT.c.rejection_id == rejection_id)
    stmt = select(NextStep).where(NextStep.seeker_id == seeker_id, col(NextStep.id).in_(ids))
    steps = session.exec(stmt).all()
    return sorted(steps, key=lambda s: (s.priority, s.due_at, s.id))


def list_all_for_seeker(session: Session, *, seeker_id: str) -> list[NextStep]:
    """Every step of one seeker, whatever its status, oldest first (for exports)."""
    stmt = select(NextStep).where(NextStep.seeker_id == seeker_id).order_by(col(NextStep.id))
    return list(session.exec(stmt).all())


def findings_of_seeker(session: Session, *, seeker_id: str) -> list[StepFinding]:
    """What the sweep found about one seeker and acted on, oldest first (for exports)."""
    stmt = select(StepFinding).where(StepFinding.seeker_id == seeker_id)
    return list(session.exec(stmt.order_by(col(StepFinding.created_at), col(StepFinding.key))))


def complete(session: Session, *, step: NextStep) -> None:
    """Mark a step done (its goal was accepted), whatever it was before."""
    step.status = StepStatus.DONE.value
    step.snoozed_until = None
    step.updated_at = utc_now()
    session.add(step)
    session.flush()
    webhook_service.emit(session, tenant_id=step.tenant_id, events=events_of([step]))
