"""Rejections: record (de-duplicated by source and external id), read, list and delete."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import tuple_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.application import service as application_service
from app.application.models import Application, ApplicationStatus
from app.core.clock import utc_now
from app.core.errors import NotFound, ProblemError, Unprocessable
from app.core.ids import new_id
from app.core.pagination import PageParams, paginate
from app.rejection.models import (
    EndedBy,
    Rejection,
    RejectionCreate,
    RejectionPublic,
)
from app.seeker.models import Seeker

CLOCK_SKEW = timedelta(minutes=5)


class RejectionNotFound(NotFound):
    """No rejection with that id for this tenant."""

    code = "rejection_not_found"


def _invalid(pointer: str, detail: str) -> Unprocessable:
    return Unprocessable(
        "The rejection has invalid fields.", errors=[ProblemError(pointer=pointer, detail=detail)]
    )


def build_rejection(
    seeker: Seeker,
    rejection_in: RejectionCreate,
    applications: dict[str, Application],
    now: datetime,
) -> Rejection:
    """Check what needs the database's answers and build the row (not yet added)."""
    # Normalised here, not only on bind: the 201 body is served from this object, not a re-read.
    occurred_at = (rejection_in.occurred_at or now).astimezone(UTC)
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


def find_by_external_id(
    session: Session, *, tenant_id: str, source: str, external_id: str
) -> Rejection | None:
    """The rejection already stored under (source, external_id), if any."""
    stmt = select(Rejection).where(
        Rejection.tenant_id == tenant_id,
        Rejection.source == source,
        Rejection.external_id == external_id,
    )
    return session.exec(stmt).first()


def _existing(session: Session, tenant_id: str, rejection_in: RejectionCreate) -> Rejection | None:
    if rejection_in.external_id is None:
        return None
    return find_by_external_id(
        session,
        tenant_id=tenant_id,
        source=rejection_in.source,
        external_id=rejection_in.external_id,
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


def _add(session: Session, rows: Sequence[Rejection], applications: dict[str, Application]) -> None:
    session.add_all(rows)
    for rejection in rows:
        _end_application(session, rejection, applications)
    session.flush()


def insert_rejections(
    session: Session, rows: Sequence[Rejection], applications: dict[str, Application]
) -> list[tuple[Rejection, bool]]:
    """Insert rows, all in one round trip when nothing races; each comes back with `created`.

    A row whose (source, external_id) another request stored first is answered with that stored
    row and False, as a retry would be. Only rows with an external id can clash, so only they
    pay for a savepoint.
    """
    if not any(r.external_id for r in rows):
        _add(session, rows, applications)
        return [(r, True) for r in rows]
    try:
        with session.begin_nested():
            _add(session, rows, applications)
        return [(r, True) for r in rows]
    except IntegrityError:
        if len(rows) > 1:  # find which ones lost the race, one savepoint each
            return [insert_rejections(session, [r], applications)[0] for r in rows]
        (rejection,) = rows
        stored = find_by_external_id(
            session,
            tenant_id=rejection.tenant_id,
            source=rejection.source,
            external_id=rejection.external_id or "",
        )
        if stored is None:
            raise
        return [(stored, False)]


def create_rejection(
    session: Session, *, seeker: Seeker, rejection_in: RejectionCreate
) -> tuple[Rejection, bool]:
    """Record a rejection; a repeated (source, external_id) returns the stored one and False."""
    existing = _existing(session, seeker.tenant_id, rejection_in)
    if existing is not None:
        return existing, False
    ids = [rejection_in.application_id] if rejection_in.application_id else []
    applications = application_service.applications_by_id(
        session, tenant_id=seeker.tenant_id, ids=ids
    )
    rejection = build_rejection(seeker, rejection_in, applications, utc_now())
    return insert_rejections(session, [rejection], applications)[0]


def to_public(rejection: Rejection) -> RejectionPublic:
    """The API view of a rejection."""
    return RejectionPublic.model_validate(rejection, from_attributes=True)


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
