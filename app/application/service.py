"""Applications: record, read, list, update and delete a seeker's applications."""

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.application.models import (
    Application,
    ApplicationCreate,
    ApplicationStatus,
    ApplicationUpdate,
)
from app.core import external, subjects
from app.core.clock import utc_now
from app.core.csv_export import csv_chunks, each_batch
from app.core.errors import NotFound
from app.core.ids import new_id
from app.core.pagination import PageParams, paginate
from app.seeker.models import Seeker


class ApplicationNotFound(NotFound):
    """No application with that id for this tenant."""

    code = "application_not_found"


def create_application(
    session: Session, *, seeker: Seeker, application_in: ApplicationCreate
) -> tuple[Application, bool]:
    """Record an application; a repeated (source, external_id) returns the stored one, False."""
    stored = external.stored_for(
        session,
        Application,
        seeker=seeker,
        source=application_in.source,
        external_id=application_in.external_id,
    )
    if stored is not None:
        return stored, False
    now = utc_now()
    applied_on = application_in.applied_on or now.astimezone(ZoneInfo(seeker.timezone)).date()
    application = Application.model_validate(
        application_in,
        update={
            "id": new_id("app"),
            "tenant_id": seeker.tenant_id,
            "seeker_id": seeker.id,
            "applied_on": applied_on,
            "created_at": now,
            "updated_at": now,
        },
    )
    return external.insert_one(session, application, lambda _: None, alone=True)


def get_application(session: Session, *, tenant_id: str, application_id: str) -> Application:
    """An application of this tenant, or ApplicationNotFound."""
    stmt = select(Application).where(
        Application.id == application_id, Application.tenant_id == tenant_id
    )
    application = session.exec(stmt).first()
    if application is None:
        raise ApplicationNotFound(f"No application {application_id!r}.")
    subjects.concern(session, [application.seeker_id])
    return application


def applications_by_id(
    session: Session, *, tenant_id: str, ids: Sequence[str]
) -> dict[str, Application]:
    """This tenant's applications among `ids`, in one query."""
    if not ids:
        return {}
    stmt = select(Application).where(
        Application.tenant_id == tenant_id, col(Application.id).in_(list(ids))
    )
    return {a.id: a for a in session.exec(stmt).all()}


def list_applications(
    session: Session, *, seeker: Seeker, params: PageParams
) -> tuple[Sequence[Application], bool, str | None]:
    """A page of the seeker's applications, newest first."""
    stmt = select(Application).where(Application.seeker_id == seeker.id)
    return paginate(session, stmt, col(Application.id), params, f"applications:{seeker.id}")


CSV_COLUMNS = (
    "applied_on",
    "company",
    "role",
    "status",
    "source",
    "job_url",
    "external_id",
    "id",
    "seeker_id",
    "created_at",
    "updated_at",
    "version",
)


def export_applications(session: Session, *, seeker: Seeker) -> Iterator[str]:
    """The whole list of `list_applications` (same filters, same order) as CSV text, in batches."""

    def read_page(params: PageParams) -> tuple[Sequence[Any], bool, str | None]:
        return list_applications(session, seeker=seeker, params=params)

    return csv_chunks(CSV_COLUMNS, each_batch(read_page))


def list_all_for_seeker(session: Session, *, seeker_id: str) -> Sequence[Application]:
    """Every application of one seeker, oldest first (for exports)."""
    stmt = select(Application).where(Application.seeker_id == seeker_id)
    return session.exec(stmt.order_by(col(Application.id))).all()


def _touch(application: Application, now: datetime) -> None:
    application.updated_at = now


def update_application(
    session: Session, *, application: Application, application_in: ApplicationUpdate
) -> Application:
    """Apply the fields that were sent."""
    changes: dict[str, Any] = application_in.model_dump(exclude_unset=True)
    if changes:
        application.sqlmodel_update(changes)
        _touch(application, utc_now())
        session.add(application)
        session.flush()
    return application


def mark_ended(session: Session, *, application: Application, status: ApplicationStatus) -> None:
    """Record that a rejection (or the seeker) ended this application."""
    if application.status != status:
        application.status = status
        _touch(application, utc_now())
        session.add(application)


def delete_application(session: Session, *, application: Application) -> None:
    """Delete an application; rejections that named it keep their record, unlinked."""
    session.delete(application)
    session.flush()


@dataclass(frozen=True)
class Activity:
    """A seeker's applications as of one day: the last one, and how many in 7 and 30 days."""

    last_on: date | None = None
    in_7: int = 0
    in_30: int = 0
    referrals_30: int = 0


def _activity_statement() -> sa.CompoundSelect[Any]:
    seeker_ids = col(Application.seeker_id).in_(sa.bindparam("seeker_ids", expanding=True))
    applied_on = col(Application.applied_on)
    in_span = sa.select(col(Application.seeker_id), applied_on, col(Application.source)).where(
        seeker_ids, applied_on >= sa.bindparam("first"), applied_on <= sa.bindparam("last")
    )
    before = (
        sa.select(col(Application.seeker_id), func.max(applied_on), sa.null())
        .where(seeker_ids, applied_on < sa.bindparam("first"))
        .group_by(col(Application.seeker_id))
    )
    return sa.union_all(in_span, before)


# Built once: every rejection runs it, and building it costs several times more than running it.
_ACTIVITY = _activity_statement()


def activities(
    session: Session, *, as_of: Mapping[str, date], referral_sources: Collection[str]
) -> dict[str, Activity]:
    """Each seeker's activity as of their own day (7 and 30 days both end on it, inclusive).

    One statement for all seekers, on the (seeker_id, applied_on) index: every application from
    the month before the earliest day to the latest day, and each seeker's last one before that.
    """
    if not as_of:
        return {}
    first = min(as_of.values()) - timedelta(days=29)
    params = {"seeker_ids": list(as_of), "first": first, "last": max(as_of.values())}
    read: dict[str, list[tuple[date, str | None]]] = {seeker_id: [] for seeker_id in as_of}
    for seeker_id, day, source in session.execute(_ACTIVITY, params).all():
        read[seeker_id].append((day, source))
    found: dict[str, Activity] = {}
    for seeker_id, day in as_of.items():
        week, month = day - timedelta(days=6), day - timedelta(days=29)
        # Another seeker's later day may have read past this one's; the row from before the
        # span is older than every month, so it only ever counts as the last application.
        days = [(d, s) for d, s in read[seeker_id] if d <= day]
        found[seeker_id] = Activity(
            last_on=max((d for d, _ in days), default=None),
            in_7=sum(d >= week for d, _ in days),
            in_30=sum(d >= month for d, _ in days),
            referrals_30=sum(d >= month and s in referral_sources for d, s in days),
        )
    return found


def sources_by_id(session: Session, *, tenant_id: str, ids: Collection[str]) -> dict[str, str]:
    """How the seeker applied (`source`) for each of this tenant's applications among `ids`."""
    if not ids:
        return {}
    stmt = select(Application.id, Application.source).where(
        Application.tenant_id == tenant_id, col(Application.id).in_(list(ids))
    )
    return dict(session.exec(stmt).all())


_APPLIED_DAYS = select(Application.seeker_id, col(Application.applied_on)).where(
    col(Application.seeker_id).in_(sa.bindparam("seeker_ids", expanding=True)),
    col(Application.applied_on) >= sa.bindparam("since"),
    col(Application.applied_on) <= sa.bindparam("until"),
)


def applied_days(
    session: Session, *, seeker_ids: Sequence[str], since: date, until: date
) -> dict[str, list[date]]:
    """Each seeker's `applied_on` dates in [since, until], in one query for all of them."""
    days: dict[str, list[date]] = {seeker_id: [] for seeker_id in seeker_ids}
    if not seeker_ids:
        return days
    params = {"seeker_ids": list(seeker_ids), "since": since, "until": until}
    for seeker_id, applied_on in session.exec(_APPLIED_DAYS, params=params).all():
        days[seeker_id].append(applied_on)
    return days


def last_applied(session: Session, *, cutoffs: Mapping[str, date]) -> dict[str, date | None]:
    """Each seeker's latest `applied_on` on or before their own cutoff day (their today).

    One grouped query per distinct cutoff: seekers of a batch share at most a few local days.
    """
    last: dict[str, date | None] = dict.fromkeys(cutoffs)
    by_day: dict[date, list[str]] = {}
    for seeker_id, day in cutoffs.items():
        by_day.setdefault(day, []).append(seeker_id)
    for day, seeker_ids in sorted(by_day.items()):
        stmt = (
            select(Application.seeker_id, func.max(Application.applied_on))
            .where(col(Application.seeker_id).in_(seeker_ids), col(Application.applied_on) <= day)
            .group_by(col(Application.seeker_id))
        )
        for seeker_id, applied_on in session.exec(stmt).all():
            last[seeker_id] = applied_on
    return last


def awaiting_answer(
    session: Session, *, seeker_ids: Sequence[str], since: date, until: date
) -> dict[str, list[Application]]:
    """Per seeker, applications still at `applied` sent in [since, until], oldest first."""
    waiting: dict[str, list[Application]] = {seeker_id: [] for seeker_id in seeker_ids}
    if seeker_ids:
        stmt = (
            select(Application)
            .where(
                col(Application.seeker_id).in_(list(seeker_ids)),
                Application.status == ApplicationStatus.APPLIED.value,
                col(Application.applied_on) >= since,
                col(Application.applied_on) <= until,
            )
            .order_by(col(Application.applied_on), col(Application.id))
        )
        for application in session.exec(stmt).all():
            waiting[application.seeker_id].append(application)
    return waiting
