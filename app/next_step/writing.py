"""Writing next steps: suggestions become new steps or extend active ones, in Core statements.

Coaching runs on every rejection and in every sweep batch, so steps are read as rows and written
with one INSERT and one UPDATE (executemany) for however many seekers; building ORM objects
first cost more than the statements (PERFORMANCE.md). Steps come back as the API's model, built
once for both the response and the outbox.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import bindparam, insert, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from app.core.ids import new_id
from app.next_step.models import ACTIVE, NextStep, NextStepPublic, StepStatus
from app.rules.engine import Suggestion

MAX_EXPLANATION_ENTRIES = 50


def effective_status(step: NextStep | NextStepPublic, now: datetime) -> StepStatus:
    """A snoozed step whose time has come is open again (no background job needed to see it)."""
    if step.status == StepStatus.SNOOZED and step.snoozed_until and step.snoozed_until <= now:
        return StepStatus.OPEN
    return StepStatus(step.status)


def public_at(step: NextStep | NextStepPublic, now: datetime) -> NextStepPublic:
    """The API view of a step at `now`, with its effective status."""
    public = NextStepPublic.model_validate(step)
    status = effective_status(step, now)
    if status != public.status:
        public = public.model_copy(update={"status": status, "snoozed_until": None})
    return public


TABLE = NextStep.__table__  # type: ignore[attr-defined]
_PUBLIC_FIELDS = tuple(NextStepPublic.model_fields)
_RETRACT_SETS = ("rejection_ids", "explanation", "status", "snoozed_until", "updated_at", "version")


_ACTIVE = sa.select(TABLE).where(
    TABLE.c.seeker_id.in_(sa.bindparam("seeker_ids", expanding=True)), TABLE.c.status.in_(ACTIVE)
)
_INSERT = insert(TABLE)
_UPDATE = update(TABLE).where(  # the rest of each row's values are its SET clause
    TABLE.c.id == bindparam("step_id"), TABLE.c.version == bindparam("read_version")
)


def _active(session: Session, seeker_id: str) -> dict[str, dict[str, Any]]:
    return active_for(session, seeker_ids=[seeker_id])[seeker_id]


def active_for(
    session: Session, *, seeker_ids: Sequence[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    """Each seeker's active steps by recommendation key, in one query for all of them.

    Rows, not ORM objects: coaching reads them on every rejection, and `record` writes them back
    with Core statements (ORM objects for the same steps would then be stale).
    """
    found: dict[str, dict[str, dict[str, Any]]] = {seeker_id: {} for seeker_id in seeker_ids}
    if seeker_ids:
        for row in session.execute(_ACTIVE, {"seeker_ids": list(seeker_ids)}):
            step = row._asdict()
            found[step["seeker_id"]][step["recommendation_key"]] = step
    return found


def record(
    session: Session,
    *,
    tenant_id: str,
    seeker_id: str,
    rejection_id: str | None,
    suggestions: Sequence[Suggestion],
    now: datetime,
    active: dict[str, dict[str, Any]] | None = None,
    writes: "StepWrites | None" = None,
) -> list[NextStepPublic]:
    """Create a step per suggestion, or extend the seeker's active one for that recommendation.

    `rejection_id` is the rejection that triggered the suggestions, or None when time alone did
    (the sweep). Returns the steps as the API shows them. A caller handling many seekers passes
    their `active` steps (see `active_for`) and one `StepWrites` for all, then sends it once.
    """
    if active is None:
        active = _active(session, seeker_id)
    trigger = "rejection" if rejection_id else "time"
    pending = StepWrites() if writes is None else writes
    steps = []
    for suggestion in suggestions:
        explanation = [
            {**vars(e), "facts": dict(e.facts), "rejection_id": rejection_id, "trigger": trigger}
            for e in suggestion.explanation
        ]
        fresh = {
            "title": suggestion.title,
            "body": suggestion.body,
            "actions": list(suggestion.actions),
            "draft_message": suggestion.draft_message,
            "suggested_goal": dict(suggestion.suggested_goal)
            if suggestion.suggested_goal
            else None,
            "updated_at": now,
        }
        row = active.get(suggestion.recommendation_key)
        if row is None:
            values = {
                "id": new_id("nst"),
                "tenant_id": tenant_id,
                "seeker_id": seeker_id,
                "recommendation_key": suggestion.recommendation_key,
                "priority": suggestion.priority,
                "due_at": now + suggestion.due_after,
                "status": StepStatus.OPEN.value,
                "snoozed_until": None,
                "rejection_ids": [rejection_id] if rejection_id else [],
                # The newest entries explain a step; a seeker with hundreds of rejections must
                # not make every later write re-serialise all of them.
                "explanation": explanation[-MAX_EXPLANATION_ENTRIES:],
                "created_at": now,
                "version": 1,
                **fresh,
            }
            pending.inserts.append(values)
            active[suggestion.recommendation_key] = values  # a second record extends this one
        else:
            values = {
                **row,
                **fresh,
                "rejection_ids": [*row["rejection_ids"], *([rejection_id] if rejection_id else [])],
                "explanation": [*row["explanation"], *explanation][-MAX_EXPLANATION_ENTRIES:],
                "version": row["version"] + 1,
            }
            pending.updates.append(
                {
                    "step_id": row["id"],
                    "read_version": row["version"],
                    **{k: values[k] for k in (*fresh, "rejection_ids", "explanation", "version")},
                }
            )
            active[suggestion.recommendation_key] = values  # a second record sees this one
        steps.append(as_public(values, now))
    if writes is None:
        pending.send(session)
    return steps


@dataclass
class StepWrites:
    """Step rows `record` has prepared for one or many seekers, sent in one statement per kind.

    An update names the version it read; a step changed since (which the seeker lock should make
    impossible) fails the whole write as a concurrent change, as the ORM's version check would.
    """

    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)

    def send(self, session: Session) -> None:
        """Insert the new steps and update the extended ones, then forget them."""
        if self.inserts:
            session.execute(_INSERT, self.inserts)
        if self.updates:
            result = session.execute(_UPDATE, self.updates)
            missed = len(self.updates) - cast(CursorResult[Any], result).rowcount
            if missed:
                raise StaleDataError(f"{missed} next step(s) changed since they were read")
        self.inserts, self.updates = [], []


def as_public(values: dict[str, Any], now: datetime) -> NextStepPublic:
    """A step row (as a dict) as the API shows it."""
    step = NextStepPublic.model_validate({name: values[name] for name in _PUBLIC_FIELDS})
    return public_at(step, now)


def retract(
    session: Session, *, seeker_id: str, rejection_id: str, now: datetime
) -> list[NextStepPublic]:
    """Take a deleted rejection out of active steps; one that nothing else supports is retracted.

    Returns the steps it changed.
    """
    writes, changed = StepWrites(), []
    for row in _active(session, seeker_id).values():
        if rejection_id not in row["rejection_ids"]:
            continue
        values = {
            **row,
            "rejection_ids": [r for r in row["rejection_ids"] if r != rejection_id],
            "explanation": [e for e in row["explanation"] if e.get("rejection_id") != rejection_id],
            "updated_at": now,
            "version": row["version"] + 1,
        }
        if not values["rejection_ids"] and not values["explanation"]:  # nor a sweep finding
            values["status"], values["snoozed_until"] = StepStatus.RETRACTED.value, None
        writes.updates.append(
            {"step_id": row["id"], "read_version": row["version"]}
            | {k: values[k] for k in _RETRACT_SETS}
        )
        changed.append(values)
    writes.send(session)
    return [as_public(values, now) for values in changed]
