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
from app.core.db import UTCDateTime
from app.core.errors import NotFound
from app.core.ids import new_id
from app.core.pagination import PageParams, paginate
from app.rejection.models import Rejection
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


def sources_by_id(
    session: Session, *, tenant_id: str, ids: Collection[str]
) -> dict[str, tuple[str, str | None]]:
    """How the seeker applied (`source`), and whom they dealt with (`contact_name`), for each of
    this tenant's applications among `ids`."""
    if not ids:
        return {}
    stmt = select(Application.id, Application.source, Application.contact_name).where(
        Application.tenant_id == tenant_id, col(Application.id).in_(list(ids))
    )
    return {row[0]: (row[1], row[2]) for row in session.exec(stmt).all()}


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


def _last_applied_statement() -> sa.CompoundSelect[Any]:
    seeker_ids: sa.BindParameter[list[str]] = sa.bindparam("seeker_ids", expanding=True)
    applied_on = col(Application.applied_on)
    no_day, no_time = sa.cast(sa.null(), sa.Date), sa.cast(sa.null(), UTCDateTime)
    near = sa.select(col(Application.seeker_id), applied_on, no_time).where(
        col(Application.seeker_id).in_(seeker_ids),
        applied_on >= sa.bindparam("first"),
        applied_on <= sa.bindparam("last"),
    )
    before = (
        sa.select(col(Application.seeker_id), func.max(applied_on), no_time)
        .where(col(Application.seeker_id).in_(seeker_ids), applied_on < sa.bindparam("first"))
        .group_by(col(Application.seeker_id))
    )
    # One correlated MAX per seeker, not a GROUP BY: each is a backward probe of the
    # (seeker_id, occurred_at) index that stops at the first rejection naming no application.
    latest = (
        sa.select(func.max(col(Rejection.occurred_at)))
        .where(
            col(Rejection.seeker_id) == col(Seeker.id),
            col(Rejection.application_id).is_(None),
            col(Rejection.occurred_at) <= sa.bindparam("now"),
        )
        .scalar_subquery()
    )
    implied = sa.select(col(Seeker.id), no_day, latest).where(col(Seeker.id).in_(seeker_ids))
    return sa.union_all(near, before, implied)


# Built once: every sweep batch and every insights request runs it.
_LAST_APPLIED = _last_applied_statement()


def last_applied(
    session: Session, *, seekers: Sequence[Seeker], now: datetime
) -> dict[str, date | None]:
    """Each seeker's last application day as of `now` (their local today included).

    That is the latest `applied_on` not after their today, or, when later, the local day of their
    latest rejection (or withdrawal) that names no application: it implies one, sent that day at
    the latest (see `recommendation.context.last_application`). A rejection that names its
    application counts through that application. One statement for all seekers: it reads the
    rejection table too, since asking the rejection domain would cost a second one.
    """
    zones = {s.id: ZoneInfo(s.timezone) for s in seekers}
    today = {seeker_id: now.astimezone(zone).date() for seeker_id, zone in zones.items()}
    last: dict[str, date | None] = dict.fromkeys(today)
    if not seekers:
        return last
    params = {
        "seeker_ids": list(today),
        "first": min(today.values()),
        "last": max(today.values()),
        "now": now,
    }
    for seeker_id, applied_on, rejected_at in session.execute(_LAST_APPLIED, params).all():
        # Seekers of a batch have different todays: one's may lie after another's.
        day = applied_on if rejected_at is None else rejected_at.astimezone(zones[seeker_id]).date()
        if day is not None and day <= today[seeker_id]:
            last[seeker_id] = max(day, last[seeker_id] or day)
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
