"""Coaching: a rejection and the next steps it produces are recorded in one transaction."""

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session

from app.application import service as application_service
from app.core.clock import utc_now
from app.core.errors import Conflict
from app.goal import service as goal_service
from app.goal.models import GoalPublic
from app.next_step import service as next_step_service
from app.next_step.models import NextStep, NextStepPublic, StepStatus
from app.recommendation import service as recommendation_service
from app.rejection import batch as batch_service
from app.rejection import service as rejection_service
from app.rejection.models import (
    BatchResult,
    Rejection,
    RejectionBatch,
    RejectionCreate,
    RejectionPublic,
)
from app.rules.context import Event
from app.seeker import service as seeker_service
from app.seeker.models import Seeker
from app.webhook import service as webhook_service


def event_of(
    session: Session, tenant_id: str, rejection: Rejection | RejectionCreate, occurred_at: datetime
) -> Event:
    """The rule engine's view of a rejection (with how the seeker applied, if it names that)."""
    ids = [rejection.application_id] if rejection.application_id else []
    applications = application_service.applications_by_id(session, tenant_id=tenant_id, ids=ids)
    application = applications.get(rejection.application_id or "")
    return Event(
        application_source=application.source if application else None,
        company=rejection.company,
        role=rejection.role,
        stage=str(rejection.stage),
        occurred_at=occurred_at,
        ended_by=str(rejection.ended_by),
        reason=str(rejection.reason),
        reason_detail=rejection.reason_detail,
        feedback=rejection.feedback,
        missing_skills=tuple(rejection.missing_skills),
        mood=rejection.mood,
        source=rejection.source,
    )


def _coach(session: Session, seeker: Seeker, rejection: Rejection) -> list[NextStep]:
    seeker_service.lock(session, seeker_ids=[seeker.id])  # one writer of a seeker's steps at once
    suggestions = recommendation_service.suggest(
        session,
        seeker=seeker,
        event=event_of(session, seeker.tenant_id, rejection, rejection.occurred_at),
        rejection_id=rejection.id,
    )
    return next_step_service.record(
        session,
        tenant_id=seeker.tenant_id,
        seeker_id=seeker.id,
        rejection_id=rejection.id,
        suggestions=suggestions,
        now=utc_now(),
    )


def _with_steps(rejection: Rejection, steps: list[NextStep]) -> RejectionPublic:
    now = utc_now()
    return RejectionPublic(
        **rejection_service.to_public(rejection).model_dump(),
        next_steps=[next_step_service.to_public(s, now) for s in steps],
    )


def record_rejection(
    session: Session, *, seeker: Seeker, rejection_in: RejectionCreate
) -> tuple[RejectionPublic, bool]:
    """Record a rejection and its next steps; a repeat returns the stored one and its steps."""
    rejection, created = rejection_service.create_rejection(
        session, seeker=seeker, rejection_in=rejection_in
    )
    if created:
        steps = _coach(session, seeker, rejection)
        events: list[tuple[str, BaseModel]] = [
            ("rejection.created", rejection_service.to_public(rejection))
        ]
        events += next_step_service.events_of(steps)
        webhook_service.emit(session, tenant_id=seeker.tenant_id, events=events)
    else:
        steps = next_step_service.supported_by(
            session, rejection_id=rejection.id, seeker_id=seeker.id
        )
    return _with_steps(rejection, steps), created


def import_batch(session: Session, *, tenant_id: str, batch: RejectionBatch) -> BatchResult:
    """Record a batch, then coach each seeker once: for their latest new rejection in it.

    A batch is usually history an integration catches up on. Coaching every item would write a
    seeker's steps once per item and read a growing history each time (quadratic); coaching the
    latest event sees all the others in its history and leaves the seeker with the steps that
    matter now. Results do not embed steps: read them from the seeker's next-steps list.
    """
    result = batch_service.import_batch(session, tenant_id=tenant_id, batch=batch)
    latest: dict[str, str] = {}
    for item in sorted(
        (i.rejection for i in result.results if i.outcome == "created" and i.rejection),
        key=lambda r: (r.occurred_at, r.id),
    ):
        latest[item.seeker_id] = item.id
    seeker_service.lock(session, seeker_ids=list(latest))  # all of them, in one order
    events: list[tuple[str, BaseModel]] = [
        ("rejection.created", i.rejection)
        for i in result.results
        if i.outcome == "created" and i.rejection
    ]
    for seeker_id, rejection_id in sorted(latest.items()):
        rejection = rejection_service.get_rejection(
            session, tenant_id=tenant_id, rejection_id=rejection_id
        )
        seeker = seeker_service.get_seeker(session, tenant_id=tenant_id, seeker_id=seeker_id)
        events += next_step_service.events_of(_coach(session, seeker, rejection))
    webhook_service.emit(session, tenant_id=tenant_id, events=events)
    return result


def delete_rejection(session: Session, *, rejection: Rejection) -> None:
    """Remove a rejection and retract the active steps that only it supported."""
    changed = next_step_service.retract(
        session, seeker_id=rejection.seeker_id, rejection_id=rejection.id, now=utc_now()
    )
    events: list[tuple[str, BaseModel]] = [
        ("rejection.deleted", rejection_service.to_public(rejection))
    ]
    events += next_step_service.events_of(changed)
    rejection_service.delete_rejection(session, rejection=rejection)
    webhook_service.emit(session, tenant_id=rejection.tenant_id, events=events)


def dry_run(
    session: Session, *, tenant_id: str, seeker_id: str | None, rejection_in: RejectionCreate
) -> list[NextStepPublic]:
    """The steps a rejection would produce (for a seeker's history, or none); nothing is written."""
    seeker = (
        seeker_service.get_seeker(session, tenant_id=tenant_id, seeker_id=seeker_id)
        if seeker_id
        else None
    )
    now = utc_now()
    event = event_of(session, tenant_id, rejection_in, rejection_in.occurred_at or now)
    suggestions = recommendation_service.suggest(
        session, seeker=seeker, event=event, rejection_id=None
    )
    return [
        next_step_service.preview(s, seeker_id=seeker.id if seeker else None, now=now)
        for s in suggestions
    ]


class NoSuggestedGoal(Conflict):
    """The next step does not suggest a goal."""

    code = "no_suggested_goal"


def accept_goal(session: Session, *, step: NextStep) -> tuple[GoalPublic, bool]:
    """Create the goal a step suggests and mark the step done; accepting again changes nothing."""
    if not step.suggested_goal:
        raise NoSuggestedGoal("This next step does not suggest a goal.")
    if step.status == StepStatus.RETRACTED.value:
        raise NoSuggestedGoal("This next step was retracted; its goal is no longer suggested.")
    seeker = seeker_service.get_seeker(session, tenant_id=step.tenant_id, seeker_id=step.seeker_id)
    goal, created = goal_service.accept_step_goal(
        session,
        seeker=seeker,
        next_step_id=step.id,
        suggested=dict(step.suggested_goal),
        key=step.recommendation_key,
    )
    if created:
        next_step_service.complete(session, step=step)
    return goal_service.public_goals(session, seeker=seeker, goals=[goal])[0], created
