"""Rejections: record (de-duplicated by source and external id), read, list and delete."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from app.application import service as application_service
from app.application.models import Application, ApplicationStatus
from app.core import external
from app.core.clock import utc_now
from app.core.errors import NotFound, Unprocessable
from app.core.ids import new_id
from app.core.pagination import PageParams, paginate
from app.rejection.models import (
    EndedBy,
    Rejection,
    RejectionCreate,
    RejectionRecord,
)
from app.seeker.models import Seeker

CLOCK_SKEW = timedelta(minutes=5)


class RejectionNotFound(NotFound):
    """No rejection with that id for this tenant."""

    code = "rejection_not_found"


def _invalid(pointer: str, detail: str) -> Unprocessable:
    return Unprocessable.at(pointer, detail, "The rejection has invalid fields.")


def build_rejection(
    seeker: Seeker,
    rejection_in: RejectionCreate,
    applications: dict[str, Application],
    now: datetime,
) -> Rejection:
    """Check what needs the database's answers and build the row (not yet added)."""
    occurred_at = rejection_in.occurred_at or now
    if occurred_at > now + CLOCK_SKEW:
        raise _invalid("/occurred_at", "must not be in the future")
    if rejection_in.application_id is not None:
        application = applications.get(rejection_in.application_id)
        if application is None or application.seeker_id != seeker.id:
            raise _invalid("/application_id", "no application with this id for this seeker")
    fields = rejection_in.model_dump(exclude={"seeker_id", "seeker_external_id"})
    fields.update(
        id=new_id("rej"),
        tenant_id=seeker.tenant_id,
        seeker_id=seeker.id,
        occurred_at=occurred_at,
        created_at=now,
    )
    return Rejection.model_validate(fields)


def _end_application(
    session: Session, rejection: Rejection, applications: dict[str, Application]
) -> None:
    if rejection.application_id is None:
        return
    status = (
        ApplicationStatus.WITHDRAWN
        if rejection.ended_by == EndedBy.CANDIDATE
        else ApplicationStatus.REJECTED
    )
    application_service.mark_ended(
        session, application=applications[rejection.application_id], status=status
    )


def stored_by_key(
    session: Session, *, tenant_id: str, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], Rejection]:
    """Rejections already stored under any of these (source, external_id) pairs, in one query."""
    if not keys:
        return {}
    stmt = select(Rejection).where(
        Rejection.tenant_id == tenant_id,
        tuple_(col(Rejection.source), col(Rejection.external_id)).in_(list(set(keys))),
    )
    return {(r.source, r.external_id or ""): r for r in session.exec(stmt).all()}


def insert_rejections(
    session: Session, rows: Sequence[Rejection], applications: dict[str, Application]
) -> bool:
    """Insert rows in one round trip, ending their applications; False (nothing kept) on a clash."""
    return external.insert_all(session, rows, lambda r: _end_application(session, r, applications))


def insert_rejection(
    session: Session, row: Rejection, applications: dict[str, Application]
) -> tuple[Rejection, bool]:
    """Insert one row; a concurrent twin stored first is returned instead, with False."""
    return external.insert_one(session, row, lambda r: _end_application(session, r, applications))


def create_rejection(
    session: Session, *, seeker: Seeker, rejection_in: RejectionCreate
) -> tuple[Rejection, bool]:
    """Record a rejection; a repeated (source, external_id) returns the stored one and False."""
    stored = external.stored_for(
        session,
        Rejection,
        seeker=seeker,
        source=rejection_in.source,
        external_id=rejection_in.external_id,
    )
    if stored is not None:
        return stored, False
    ids = [rejection_in.application_id] if rejection_in.application_id else []
    applications = application_service.applications_by_id(
        session, tenant_id=seeker.tenant_id, ids=ids
    )
    rejection = build_rejection(seeker, rejection_in, applications, utc_now())
    return insert_rejection(session, rejection, applications)


def to_public(rejection: Rejection) -> RejectionRecord:
    """The API view of a rejection (without its next steps)."""
    return RejectionRecord.model_validate(rejection, from_attributes=True)


def get_rejection(session: Session, *, tenant_id: str, rejection_id: str) -> Rejection:
    """A rejection of this tenant, or RejectionNotFound."""
    stmt = select(Rejection).where(Rejection.id == rejection_id, Rejection.tenant_id == tenant_id)
    rejection = session.exec(stmt).first()
    if rejection is None:
        raise RejectionNotFound(f"No rejection {rejection_id!r}.")
    return rejection


def list_rejections(
    session: Session, *, seeker: Seeker, params: PageParams
) -> tuple[Sequence[Rejection], bool, str | None]:
    """A page of the seeker's rejections, newest recorded first."""
    stmt = select(Rejection).where(Rejection.seeker_id == seeker.id)
    return paginate(session, stmt, col(Rejection.id), params, f"rejections:{seeker.id}")


def list_all_for_seeker(session: Session, *, seeker_id: str) -> Sequence[Rejection]:
    """Every rejection of one seeker, oldest first (for exports)."""
    stmt = select(Rejection).where(Rejection.seeker_id == seeker_id)
    return session.exec(stmt.order_by(col(Rejection.id))).all()


def delete_rejection(session: Session, *, rejection: Rejection) -> None:
    """Remove a rejection (the "unreject")."""
    session.delete(rejection)
    session.flush()


@dataclass(frozen=True)
class PastRejection:
    """What the rules need of one earlier rejection."""

    company: str
    stage: str
    reason: str
    source: str
    application_source: str | None
    missing_skills: list[str]
    mood: int | None
    occurred_at: datetime


def history(
    session: Session, *, seeker_id: str, since: datetime, until: datetime, exclude_id: str | None
) -> list[PastRejection]:
    """The seeker's rejections in (since, until], with their application's source: one query.

    Rides the (seeker_id, occurred_at) index, so its cost follows the window, not the history.
    """
    stmt = (
        sa.select(
            col(Rejection.company),
            col(Rejection.stage),
            col(Rejection.reason),
            col(Rejection.source),
            col(Application.source),
            col(Rejection.missing_skills),
            col(Rejection.mood),
            col(Rejection.occurred_at),
        )
        .outerjoin(Application, col(Application.id) == col(Rejection.application_id))
        .where(
            col(Rejection.seeker_id) == seeker_id,
            col(Rejection.occurred_at) > since,
            col(Rejection.occurred_at) <= until,
        )
    )
    if exclude_id is not None:
        stmt = stmt.where(col(Rejection.id) != exclude_id)
    return [PastRejection(*row) for row in session.execute(stmt).all()]
