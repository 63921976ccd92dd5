"""Rejections: record (de-duplicated by source and external id), read, list and delete."""

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import tuple_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.application import service as application_service
from app.application.models import Application, ApplicationStatus
from app.core import external, subjects
from app.core.clock import utc_now
from app.core.csv_export import csv_chunks, each_batch
from app.core.errors import NotFound, Unprocessable
from app.core.ids import new_id
from app.core.pagination import PageParams, paginate
from app.rejection.models import (
    EndedBy,
    Rejection,
    RejectionBase,
    RejectionCreate,
    RejectionRecord,
)
from app.seeker.models import Seeker

CLOCK_SKEW = timedelta(minutes=5)
_TABLE = Rejection.__table__  # type: ignore[attr-defined]


class RejectionNotFound(NotFound):
    """No rejection with that id for this tenant."""

    code = "rejection_not_found"


def _invalid(pointer: str, detail: str) -> Unprocessable:
    return Unprocessable.at(pointer, detail, "The rejection has invalid fields.")


def _checked(
    seeker: Seeker,
    rejection_in: RejectionCreate,
    applications: dict[str, Application],
    now: datetime,
) -> dict[str, Any]:
    """The row's fields (but `tenant_id`), once what needs the database's answers is checked."""
    occurred_at = rejection_in.occurred_at or now
    if occurred_at > now + CLOCK_SKEW:
        raise _invalid("/occurred_at", "must not be in the future")
    if rejection_in.application_id is not None:
        application = applications.get(rejection_in.application_id)
        if application is None or application.seeker_id != seeker.id:
            raise _invalid("/application_id", "no application with this id for this seeker")
    fields = rejection_in.model_dump(exclude={"seeker_id", "seeker_external_id"})
    fields.update(id=new_id("rej"), seeker_id=seeker.id, occurred_at=occurred_at, created_at=now)
    return fields


def build_rejection(
    seeker: Seeker,
    rejection_in: RejectionCreate,
    applications: dict[str, Application],
    now: datetime,
) -> Rejection:
    """Check what needs the database's answers and build the row (not yet added)."""
    fields = _checked(seeker, rejection_in, applications, now)
    return Rejection.model_validate({**fields, "tenant_id": seeker.tenant_id})


def build_record(
    seeker: Seeker,
    rejection_in: RejectionCreate,
    applications: dict[str, Application],
    now: datetime,
) -> RejectionRecord:
    """Check as `build_rejection` does, but build the API view of the row (for batches).

    Every field was validated with `rejection_in` and the rest are the server's own, so the
    table model's second validation would find nothing, yet it cost more than the INSERT.
    """
    return RejectionRecord.model_construct(**_checked(seeker, rejection_in, applications, now))


def _end_application(
    session: Session, rejection: RejectionBase, applications: dict[str, Application]
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


def insert_records(
    session: Session,
    records: Sequence[RejectionRecord],
    *,
    tenant_id: str,
    applications: dict[str, Application],
) -> bool:
    """Insert rows in one round trip, ending their applications; False (nothing kept) on a clash.

    A Core INSERT of plain values: ORM objects for hundreds of rows that this request never
    changes again would cost more than the statement.
    """
    if not records:
        return True
    try:
        with session.begin_nested():
            values = [{**r.model_dump(), "tenant_id": tenant_id} for r in records]
            session.execute(sa.insert(_TABLE), values)
            for record in records:
                _end_application(session, record, applications)
    except IntegrityError:
        return False
    return True


def insert_rejection(
    session: Session, row: Rejection, applications: dict[str, Application], *, alone: bool = False
) -> tuple[Rejection, bool]:
    """Insert one row; a concurrent twin stored first is returned instead, with False.

    `alone`: the row is the whole request (see `external.insert_one`).
    """
    stage = lambda r: _end_application(session, r, applications)  # noqa: E731
    return external.insert_one(session, row, stage, alone=alone)


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
    return insert_rejection(session, rejection, applications, alone=True)


def to_public(rejection: Rejection) -> RejectionRecord:
    """The API view of a rejection (without its next steps)."""
    return RejectionRecord.model_validate(rejection, from_attributes=True)


def get_rejection(session: Session, *, tenant_id: str, rejection_id: str) -> Rejection:
    """A rejection of this tenant, or RejectionNotFound."""
    stmt = select(Rejection).where(Rejection.id == rejection_id, Rejection.tenant_id == tenant_id)
    rejection = session.exec(stmt).first()
    if rejection is None:
        raise RejectionNotFound(f"No rejection {rejection_id!r}.")
    subjects.concern(session, [rejection.seeker_id])
    return rejection


def list_rejections(
    session: Session, *, seeker: Seeker, params: PageParams
) -> tuple[Sequence[Rejection], bool, str | None]:
    """A page of the seeker's rejections, newest recorded first."""
    stmt = select(Rejection).where(Rejection.seeker_id == seeker.id)
    return paginate(session, stmt, col(Rejection.id), params, f"rejections:{seeker.id}")


CSV_COLUMNS = (
    "occurred_at",
    "company",
    "role",
    "stage",
    "ended_by",
    "reason",
    "reason_detail",
    "feedback",
    "missing_skills",
    "mood",
    "note",
    "source",
    "external_id",
    "application_id",
    "id",
    "seeker_id",
    "created_at",
)


def export_rejections(session: Session, *, seeker: Seeker) -> Iterator[str]:
    """The whole list of `list_rejections` (same filters, same order) as CSV text, in batches."""

    def read_page(params: PageParams) -> tuple[Sequence[Any], bool, str | None]:
        return list_rejections(session, seeker=seeker, params=params)

    return csv_chunks(CSV_COLUMNS, each_batch(read_page))


def by_ids(session: Session, *, tenant_id: str, ids: Sequence[str]) -> Sequence[Rejection]:
    """The tenant's rejections with these ids (those that exist), in one query."""
    if not ids:
        return []
    stmt = select(Rejection).where(Rejection.tenant_id == tenant_id, col(Rejection.id).in_(ids))
    return session.exec(stmt).all()


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
    """What the rules need of one earlier rejection (or withdrawal: see `counts`)."""

    company: str
    stage: str
    reason: str
    source: str
    application_source: str | None  # None: it names no stored application (theirs is never None)
    missing_skills: list[str]
    mood: int | None
    occurred_at: datetime
    ended_by: str = EndedBy.EMPLOYER.value

    @property
    def counts(self) -> bool:
        """Whether it counts as a rejection: the seeker's own withdrawal never does."""
        return self.ended_by != EndedBy.CANDIDATE.value

    @property
    def unrecorded_application(self) -> bool:
        """Whether it implies an application that was never recorded (it names none stored)."""
        return self.application_source is None


# Built once: every rejection runs it, and building it costs several times more than running it.
_HISTORY = (
    sa.select(
        col(Rejection.id),
        col(Rejection.seeker_id),
        col(Rejection.company),
        col(Rejection.stage),
        col(Rejection.reason),
        col(Rejection.source),
        col(Application.source),
        col(Rejection.missing_skills),
        col(Rejection.mood),
        col(Rejection.occurred_at),
        col(Rejection.ended_by),
    )
    .outerjoin(Application, col(Application.id) == col(Rejection.application_id))
    .where(
        col(Rejection.seeker_id).in_(sa.bindparam("seeker_ids", expanding=True)),
        col(Rejection.occurred_at) > sa.bindparam("since"),
        col(Rejection.occurred_at) <= sa.bindparam("until"),
    )
)


def histories(
    session: Session,
    *,
    windows: Mapping[str, tuple[datetime, datetime]],
    exclude_ids: Collection[str] = (),
) -> dict[str, list[PastRejection]]:
    """Each seeker's rejections (withdrawals too) in their own (since, until], with sources.

    One query for every seeker, on the (seeker_id, occurred_at) index: it reads from the earliest
    `since` to the latest `until`, and each seeker keeps their own window, so its cost follows the
    windows, not the histories. Rejections in `exclude_ids` (the events being evaluated) are left
    out.
    """
    found: dict[str, list[PastRejection]] = {seeker_id: [] for seeker_id in windows}
    if not windows:
        return found
    params = {
        "seeker_ids": list(windows),
        "since": min(since for since, _ in windows.values()),
        "until": max(until for _, until in windows.values()),
    }
    for rejection_id, seeker_id, *fields in session.execute(_HISTORY, params).all():
        since, until = windows[seeker_id]
        past = PastRejection(*fields)
        if since < past.occurred_at <= until and rejection_id not in exclude_ids:
            found[seeker_id].append(past)
    return found
