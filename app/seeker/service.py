"""Seekers: create, read, list, update and erase, always within one tenant."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.core import subjects
from app.core.clock import utc_now
from app.core.errors import Conflict, NotFound
from app.core.ids import new_id
from app.core.pagination import PageParams, paginate
from app.idempotency import service as idempotency_service
from app.seeker.models import Seeker, SeekerCreate, SeekerUpdate
from app.webhook import service as webhook_service


class SeekerNotFound(NotFound):
    """No seeker with that id for this tenant."""

    code = "seeker_not_found"


class SeekerConflict(Conflict):
    """Another seeker of this tenant already has that external id."""

    code = "seeker_external_id_taken"


def _ensure_external_id_free(
    session: Session, tenant_id: str, external_id: str | None, *, except_id: str | None = None
) -> None:
    if external_id is None:
        return
    stmt = select(Seeker.id).where(Seeker.tenant_id == tenant_id, Seeker.external_id == external_id)
    existing = session.exec(stmt).first()
    if existing is not None and existing != except_id:
        raise SeekerConflict(f"Seeker {existing} already has external_id {external_id!r}.")


def _flush_or_conflict(session: Session, seeker: Seeker) -> None:
    try:
        with session.begin_nested():
            session.add(seeker)
    except IntegrityError as exc:  # a concurrent request took the external id first
        raise SeekerConflict(f"external_id {seeker.external_id!r} is already taken.") from exc


def create_seeker(session: Session, *, tenant_id: str, seeker_in: SeekerCreate) -> Seeker:
    """Create a seeker; `external_id` must be free within the tenant."""
    _ensure_external_id_free(session, tenant_id, seeker_in.external_id)
    now = utc_now()
    seeker = Seeker.model_validate(
        seeker_in,
        update={"id": new_id("skr"), "tenant_id": tenant_id, "created_at": now, "updated_at": now},
    )
    _flush_or_conflict(session, seeker)
    subjects.concern(session, [seeker.id])
    return seeker


# Built once: every request naming a seeker runs it, and building a statement (and its cache key)
# costs several times more than running it.
_OWNED_SEEKER = select(Seeker).where(
    col(Seeker.id) == sa.bindparam("seeker_id"), col(Seeker.tenant_id) == sa.bindparam("tenant_id")
)


def get_seeker(session: Session, *, tenant_id: str, seeker_id: str) -> Seeker:
    """A seeker of this tenant, or SeekerNotFound (also for other tenants' ids)."""
    params = {"seeker_id": seeker_id, "tenant_id": tenant_id}
    seeker = session.exec(_OWNED_SEEKER, params=params).first()
    if seeker is None:
        raise SeekerNotFound(f"No seeker {seeker_id!r}.")
    subjects.concern(session, [seeker.id])
    return seeker


def seekers_by_ref(
    session: Session, *, tenant_id: str, ids: Sequence[str], external_ids: Sequence[str]
) -> tuple[dict[str, Seeker], dict[str, Seeker]]:
    """Seekers of this tenant by id and by external id, in one query (for batches)."""
    if not ids and not external_ids:
        return {}, {}
    stmt = select(Seeker).where(
        Seeker.tenant_id == tenant_id,
        col(Seeker.id).in_(list(ids)) | col(Seeker.external_id).in_(list(external_ids)),
    )
    found = session.exec(stmt).all()
    subjects.concern(session, (s.id for s in found))
    by_id = {s.id: s for s in found}
    by_external = {s.external_id: s for s in found if s.external_id is not None}
    return by_id, by_external


def list_seekers(
    session: Session, *, tenant_id: str, params: PageParams, external_id: str | None = None
) -> tuple[Sequence[Seeker], bool, str | None]:
    """A page of the tenant's seekers, newest first, optionally by external id."""
    stmt = select(Seeker).where(Seeker.tenant_id == tenant_id)
    scope = f"seekers:{tenant_id}"
    if external_id is not None:
        stmt = stmt.where(Seeker.external_id == external_id)
        scope += f":{external_id}"
    return paginate(session, stmt, col(Seeker.id), params, scope)


def update_seeker(session: Session, *, seeker: Seeker, seeker_in: SeekerUpdate) -> Seeker:
    """Apply the fields that were sent; a sent `null` clears optional fields."""
    changes: dict[str, Any] = seeker_in.model_dump(exclude_unset=True)
    if "external_id" in changes:
        _ensure_external_id_free(
            session, seeker.tenant_id, changes["external_id"], except_id=seeker.id
        )
    if not changes:
        return seeker
    seeker.sqlmodel_update(changes)
    seeker.updated_at = utc_now()
    _flush_or_conflict(session, seeker)
    return seeker


def delete_seeker(session: Session, *, seeker: Seeker) -> None:
    """Erase the seeker; the database cascades to everything recorded about them."""
    tenant_id, seeker_id = seeker.tenant_id, seeker.id
    session.delete(seeker)
    session.flush()
    webhook_service.forget_seeker(session, tenant_id=tenant_id, seeker_id=seeker_id)
    idempotency_service.forget_seeker(session, tenant_id=tenant_id, seeker_id=seeker_id)


def lock(session: Session, *, seeker_ids: Sequence[str]) -> None:
    """Hold these seekers until the transaction ends, so their next steps change one at a time.

    `FOR NO KEY UPDATE` (PostgreSQL) leaves inserts of rows that reference the seeker free; ids are
    locked in sorted order so that two batches never wait on each other in a circle. SQLite has a
    single writer already (a writing session begins `IMMEDIATE`), so nothing is sent there.
    """
    if seeker_ids and session.get_bind().dialect.name != "sqlite":
        stmt = (
            select(Seeker.id)
            .where(col(Seeker.id).in_(sorted(set(seeker_ids))))
            .order_by(col(Seeker.id))
            .with_for_update(key_share=True)
        )
        session.exec(stmt).all()


def claim_after(session: Session, *, after: str, limit: int) -> list[Seeker]:
    """The next `limit` seekers by id after `after`, locked for this transaction.

    On PostgreSQL, seekers that another transaction holds (a request coaching them right now) are
    skipped rather than waited for (`SKIP LOCKED`); the next pass picks them up.
    """
    stmt = (
        select(Seeker)
        .where(col(Seeker.id) > after)
        .order_by(col(Seeker.id))
        .limit(limit)
        .with_for_update(key_share=True, skip_locked=True)
    )
    return list(session.exec(stmt).all())
