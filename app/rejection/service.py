"""Rejections: record one or a batch (de-duplicated by source and external id), read, delete."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.application import service as application_service
from app.application.models import Application, ApplicationStatus
from app.core.clock import utc_now
from app.core.errors import AppError, NotFound, ProblemError, Unprocessable, validation_problems
from app.core.ids import new_id
from app.core.pagination import PageParams, paginate
from app.rejection.models import (
    BatchItemError,
    BatchItemResult,
    BatchResult,
    EndedBy,
    Rejection,
    RejectionBatch,
    RejectionBatchItem,
    RejectionCreate,
    RejectionPublic,
)
from app.seeker import service as seeker_service
from app.seeker.models import Seeker

CLOCK_SKEW = timedelta(minutes=5)


class RejectionNotFound(NotFound):
    """No rejection with that id for this tenant."""

    code = "rejection_not_found"


def _invalid(pointer: str, detail: str) -> Unprocessable:
    return Unprocessable(
        "The rejection has invalid fields.", errors=[ProblemError(pointer=pointer, detail=detail)]
    )


def _build(
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


def _insert(
    session: Session, rejection: Rejection, applications: dict[str, Application]
) -> tuple[Rejection, bool]:
    """Insert in a savepoint; if the same external id won a race, answer with the stored one."""
    try:
        with session.begin_nested():
            session.add(rejection)
            _end_application(session, rejection, applications)
    except IntegrityError:
        if rejection.external_id is None:
            raise
        stored = find_by_external_id(
            session,
            tenant_id=rejection.tenant_id,
            source=rejection.source,
            external_id=rejection.external_id,
        )
        if stored is None:
            raise
        return stored, False
    return rejection, True


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
    rejection = _build(seeker, rejection_in, applications, utc_now())
    return _insert(session, rejection, applications)


def _item_error(exc: AppError | ValidationError) -> BatchItemError:
    if isinstance(exc, ValidationError):
        errors, _ = validation_problems([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()])
        exc = Unprocessable("The item has invalid fields.", errors=errors)
    return BatchItemError(
        status=exc.status,
        code=exc.code,
        detail=exc.detail,
        errors=[e.model_dump(exclude_none=True) for e in exc.errors or []],
    )


def _parse_items(raw: Sequence[dict[str, Any]]) -> list[RejectionBatchItem | BatchItemError]:
    parsed: list[RejectionBatchItem | BatchItemError] = []
    for item in raw:
        try:
            parsed.append(RejectionBatchItem.model_validate(item))
        except ValidationError as exc:
            parsed.append(_item_error(exc))
    return parsed


def import_batch(session: Session, *, tenant_id: str, batch: RejectionBatch) -> BatchResult:
    """Record many rejections; each item succeeds or fails alone, and each gets a result."""
    parsed = _parse_items(batch.items)
    items = [p for p in parsed if isinstance(p, RejectionBatchItem)]
    by_id, by_external = seeker_service.seekers_by_ref(
        session,
        tenant_id=tenant_id,
        ids=[i.seeker_id for i in items if i.seeker_id],
        external_ids=[i.seeker_external_id for i in items if i.seeker_external_id],
    )
    applications = application_service.applications_by_id(
        session, tenant_id=tenant_id, ids=[i.application_id for i in items if i.application_id]
    )
    now = utc_now()
    seen: dict[tuple[str, str], Rejection] = {}
    results: list[BatchItemResult] = []
    for index, item in enumerate(parsed):
        if isinstance(item, BatchItemError):
            results.append(BatchItemResult(index=index, outcome="failed", error=item))
            continue
        try:
            results.append(
                _import_one(session, index, item, by_id, by_external, applications, seen, now)
            )
        except AppError as exc:
            results.append(BatchItemResult(index=index, outcome="failed", error=_item_error(exc)))
    counts = {o: sum(r.outcome == o for r in results) for o in ("created", "duplicate", "failed")}
    return BatchResult(
        created=counts["created"],
        duplicates=counts["duplicate"],
        failed=counts["failed"],
        results=results,
    )


def _import_one(
    session: Session,
    index: int,
    item: RejectionBatchItem,
    by_id: dict[str, Seeker],
    by_external: dict[str, Seeker],
    applications: dict[str, Application],
    seen: dict[tuple[str, str], Rejection],
    now: datetime,
) -> BatchItemResult:
    seeker = (
        by_id.get(item.seeker_id)
        if item.seeker_id
        else by_external.get(item.seeker_external_id or "")
    )
    if seeker is None:
        raise seeker_service.SeekerNotFound("No such seeker for this tenant.")
    key = (item.source, item.external_id) if item.external_id else None
    stored = seen.get(key) if key else None
    if stored is None:
        stored = _existing(session, seeker.tenant_id, item)
    if stored is not None:
        return BatchItemResult(index=index, outcome="duplicate", rejection=to_public(stored))
    rejection, created = _insert(session, _build(seeker, item, applications, now), applications)
    if key:
        seen[key] = rejection
    outcome = "created" if created else "duplicate"
    return BatchItemResult(index=index, outcome=outcome, rejection=to_public(rejection))


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
