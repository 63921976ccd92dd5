"""Coaching: a rejection and the next steps it produces are recorded in one transaction."""

from collections.abc import Sequence
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
    RejectionBase,
    RejectionBatch,
    RejectionCreate,
    RejectionPublic,
    RejectionRecord,
)
from app.rules.context import LOW_MOOD, Event
from app.seeker import service as seeker_service
from app.seeker.models import Seeker
from app.webhook import service as webhook_service
from app.wording.facts import EventFacts

PREVIEW_ID = "rej_dry_run"  # stands in for the rejection a dry run does not record


def events_for(
    session: Session, tenant_id: str, rejections: Sequence[tuple[RejectionBase, datetime]]
) -> list[Event]:
    """The rule engine's view of each (rejection, when it happened), in one query for all.

    The query finds how the seeker applied, and whom they dealt with, for the rejections that
    name their application.
    """
    sources = application_service.sources_by_id(
        session,
        tenant_id=tenant_id,
        ids={r.application_id for r, _ in rejections if r.application_id},
    )
    unknown: tuple[str | None, str | None] = (None, None)
    return [
        Event(
            application_source=sources.get(rejection.application_id or "", unknown)[0],
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
            # the person named on the rejection, else the one the application names
            contact_name=rejection.contact_name
            or sources.get(rejection.application_id or "", unknown)[1],
        )
        for rejection, occurred_at in rejections
    ]


def facts_of(event: Event) -> EventFacts:
    """What a step keeps of the event it rests on (the text layer's view of it)."""
    return EventFacts(
        company=event.company,
        role=event.role,
        stage=event.stage,
        ended_by=event.ended_by,
        reason=event.reason,
        reason_detail=event.reason_detail,
        feedback=event.feedback,
        missing_skills=event.missing_skills,
        mood=event.mood,
        contact_name=event.contact_name,
    )


def stored_facts(session: Session, tenant_id: str, ids: list[str]) -> dict[str, EventFacts]:
    """The text layer's view of stored rejections, by id (to word a step again after a delete)."""
    found = rejection_service.by_ids(session, tenant_id=tenant_id, ids=ids)
    events = events_for(session, tenant_id, [(r, r.occurred_at) for r in found])
    return {r.id: facts_of(e) for r, e in zip(found, events, strict=True)}


def event_of(
    session: Session, tenant_id: str, rejection: RejectionBase, occurred_at: datetime
) -> Event:
    """The rule engine's view of a rejection (with how the seeker applied, if it names that)."""
    return events_for(session, tenant_id, [(rejection, occurred_at)])[0]


def _coach_all(
    session: Session,
    *,
    tenant_id: str,
    latest: Sequence[tuple[Seeker, Rejection | RejectionRecord]],
) -> list[NextStepPublic]:
    """Coach each seeker for one stored rejection, in a fixed number of queries for all of them."""
    seeker_ids = [seeker.id for seeker, _ in latest]
    seeker_service.lock(session, seeker_ids=seeker_ids)  # one writer of a seeker's steps at once
    events = events_for(session, tenant_id, [(r, r.occurred_at) for _, r in latest])
    cases = [
        recommendation_service.Case(seeker, event, rejection.id)
        for (seeker, rejection), event in zip(latest, events, strict=True)
    ]
    suggestions = recommendation_service.suggest_all(session, cases=cases)
    active = next_step_service.active_for(session, seeker_ids=seeker_ids)
    writes = next_step_service.StepWrites()  # sent once for all of them, below
    now = utc_now()
    steps: list[NextStepPublic] = []
    for (seeker, rejection), event, found in zip(latest, events, suggestions, strict=True):
        steps += next_step_service.record(
            session,
            tenant_id=tenant_id,
            seeker_id=seeker.id,
            seeker=next_step_service.seeker_facts(seeker),
            rejection_id=rejection.id,
            event=facts_of(event),
            at=rejection.occurred_at,
            suggestions=found,
            now=now,
            active=active[seeker.id],
            writes=writes,
            low_mood=event.mood is not None and event.mood <= LOW_MOOD,
        )
    writes.send(session)
    return steps


def _coach(session: Session, seeker: Seeker, rejection: Rejection) -> list[NextStepPublic]:
    return _coach_all(session, tenant_id=seeker.tenant_id, latest=[(seeker, rejection)])


def _with_steps(
    rejection: Rejection, steps: Sequence[NextStep | NextStepPublic]
) -> RejectionPublic:
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
        steps = [
            next_step_service.to_public(s)
            for s in next_step_service.supported_by(
                session, rejection_id=rejection.id, seeker_id=seeker.id
            )
        ]
    return _with_steps(rejection, steps), created


def import_batch(session: Session, *, tenant_id: str, batch: RejectionBatch) -> BatchResult:
    """Record a batch, then coach each seeker once: for their latest new rejection in it.

    A batch is usually history an integration catches up on. Coaching every item would write a
    seeker's steps once per item and read a growing history each time (quadratic); coaching the
    latest event sees all the others in its history and leaves the seeker with the steps that
    matter now. Results do not embed steps: read them from the seeker's next-steps list.

    All seekers are coached together, in a fixed number of queries whatever their number.
    """
    result, seekers = batch_service.store_batch(session, tenant_id=tenant_id, batch=batch)
    created = [i.rejection for i in result.results if i.outcome == "created" and i.rejection]
    latest: dict[str, RejectionRecord] = {}
    for record in sorted(created, key=lambda r: (r.occurred_at, r.id)):
        latest[record.seeker_id] = record
    steps = _coach_all(
        session,
        tenant_id=tenant_id,
        latest=[(seekers[seeker_id], latest[seeker_id]) for seeker_id in sorted(latest)],
    )
    events: list[tuple[str, BaseModel]] = [("rejection.created", r) for r in created]
    events += next_step_service.events_of(steps)
    webhook_service.emit(session, tenant_id=tenant_id, events=events)
    return result


def delete_rejection(session: Session, *, rejection: Rejection) -> None:
    """Remove a rejection; the steps it supported are worded again from what remains, and those
    that nothing else supports are retracted."""
    tenant_id = rejection.tenant_id
    seeker_service.lock(session, seeker_ids=[rejection.seeker_id])  # as coaching does
    seeker = seeker_service.get_seeker(session, tenant_id=tenant_id, seeker_id=rejection.seeker_id)
    changed = next_step_service.retract(
        session,
        seeker_id=rejection.seeker_id,
        rejection_id=rejection.id,
        now=utc_now(),
        seeker=next_step_service.seeker_facts(seeker),
        older=next_step_service.OlderEvidence(
            session, lambda ids: stored_facts(session, tenant_id, ids)
        ),
    )
    events: list[tuple[str, BaseModel]] = [
        ("rejection.deleted", rejection_service.to_public(rejection))
    ]
    events += next_step_service.events_of(changed)
    rejection_service.delete_rejection(session, rejection=rejection)
    webhook_service.emit(session, tenant_id=tenant_id, events=events)


def dry_run(
    session: Session, *, tenant_id: str, seeker_id: str | None, rejection_in: RejectionCreate
) -> list[NextStepPublic]:
    """The steps a rejection would produce or change, exactly as recording it would (for the
    seeker's history and steps, or for none); nothing is written."""
    seeker = (
        seeker_service.get_seeker(session, tenant_id=tenant_id, seeker_id=seeker_id)
        if seeker_id
        else None
    )
    now = utc_now()
    at = rejection_in.occurred_at or now
    event = event_of(session, tenant_id, rejection_in, at)
    suggestions = recommendation_service.suggest(
        session, seeker=seeker, event=event, rejection_id=None
    )
    active = next_step_service.active_for(session, seeker_ids=[seeker.id]) if seeker else {}
    steps = next_step_service.record(
        session,
        tenant_id=tenant_id,
        seeker_id=seeker.id if seeker else "",
        seeker=next_step_service.seeker_facts(seeker),
        rejection_id=PREVIEW_ID,
        event=facts_of(event),
        at=at,
        suggestions=suggestions,
        now=now,
        active=active.get(seeker.id, {}) if seeker else {},
        writes=next_step_service.StepWrites(),  # never sent: a dry run writes nothing
        low_mood=event.mood is not None and event.mood <= LOW_MOOD,
    )
    return [_unstored(step) for step in steps]


def _unstored(step: NextStepPublic) -> NextStepPublic:
    """A previewed step names no rejection for the event that was not recorded."""
    explanation = [
        e.model_copy(update={"rejection_id": None}) if e.rejection_id == PREVIEW_ID else e
        for e in step.explanation
    ]
    ids = [r for r in step.rejection_ids if r != PREVIEW_ID]
    new = step.version == 1
    return step.model_copy(
        update={
            "id": "" if new else step.id,
            "version": 0 if new else step.version,
            "rejection_ids": ids,
            "explanation": explanation,
        }
    )


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
