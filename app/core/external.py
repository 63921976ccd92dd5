"""Integration references: what a job board pushes under (`source`, `external_id`) is stored once.

Rejections and applications share these rules. A repeat of a stored pair answers with the stored
row (integrations retry); the same pair under another seeker is a conflict, never someone else's
record; and a concurrent request that stored the pair first wins, found through the unique index.
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.core.errors import Conflict

Row = TypeVar("Row", bound=Any)  # a table model with tenant_id, seeker_id, source, external_id


class ExternalIdConflict(Conflict):
    """The (source, external_id) pair is already recorded for another seeker."""

    code = "external_id_conflict"


class RecordVanished(Conflict):
    """What the row refers to was deleted while the request ran (a concurrent erasure)."""

    code = "concurrently_deleted"


def find_stored(
    session: Session, model: type[Row], *, tenant_id: str, source: str, external_id: str
) -> Row | None:
    """The row of `model` this tenant already stored under (source, external_id), if any."""
    stmt = select(model).where(
        model.tenant_id == tenant_id, model.source == source, model.external_id == external_id
    )
    found: Row | None = session.exec(stmt).first()
    return found


def for_seeker(stored: Row, seeker_id: str) -> Row:
    """The stored row, if it belongs to this seeker; otherwise ExternalIdConflict."""
    if stored.seeker_id != seeker_id:
        raise ExternalIdConflict(
            f"{stored.source}/{stored.external_id} is already recorded for another seeker "
            f"({stored.seeker_id})."
        )
    return stored


def stored_for(
    session: Session, model: type[Row], *, seeker: Any, source: str, external_id: str | None
) -> Row | None:
    """The row `seeker` already has under (source, external_id), or None; another's is a 409."""
    if external_id is None:
        return None
    stored = find_stored(
        session, model, tenant_id=seeker.tenant_id, source=source, external_id=external_id
    )
    return for_seeker(stored, seeker.id) if stored is not None else None


def insert_all(session: Session, rows: Sequence[Row], stage: Callable[[Row], None]) -> bool:
    """Insert `rows` (and what `stage` adds for each) in one savepoint; False if any clashed."""
    try:
        with session.begin_nested():
            session.add_all(rows)
            session.flush()  # first: a twin stored concurrently clashes here, before `stage` writes
            for row in rows:
                stage(row)
    except IntegrityError:
        return False
    return True


def insert_one(
    session: Session, row: Row, stage: Callable[[Row], None], *, alone: bool = False
) -> tuple[Row, bool]:
    """Insert `row`; if a concurrent request stored its pair first, that row and False.

    `alone`: the row is all the request writes, so if it fails the request fails with it.
    """
    if alone and row.external_id is None:
        # Nothing to find on a clash and nothing else to keep, so no savepoint to come back to:
        # only a foreign key can fail, and then the whole transaction is given up.
        try:
            session.add(row)
            session.flush()
            stage(row)
        except IntegrityError as exc:
            raise _vanished() from exc
        return row, True
    if insert_all(session, [row], stage):
        return row, True
    if row.external_id is not None:
        stored = find_stored(
            session,
            type(row),
            tenant_id=row.tenant_id,
            source=row.source,
            external_id=row.external_id,
        )
        if stored is not None:
            return for_seeker(stored, row.seeker_id), False
    raise _vanished()  # only a foreign key is left to explain the clash


def _vanished() -> RecordVanished:
    return RecordVanished("The seeker or application was deleted while this was being recorded.")
