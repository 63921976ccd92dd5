"""Applications: jobs a seeker applied to; they feed goals and the rules."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from pydantic import ConfigDict
from sqlmodel import Field, SQLModel

from app.core.db import UTCDateTime, owned_by, version_column, versioned
from app.core.fields import CalendarDate, ExternalId, Name, PatchModel, SourceName, Url


class ApplicationStatus(StrEnum):
    """Where an application stands."""

    APPLIED = "applied"
    SCREENING = "screening"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    HIRED = "hired"


class ApplicationBase(SQLModel):
    """Fields a client sets on an application."""

    company: Name = Field(sa_type=sa.String(200))
    role: Name = Field(sa_type=sa.String(200))
    applied_on: CalendarDate | None = Field(
        default=None, description="Defaults to today in the seeker's time zone"
    )
    source: SourceName = Field(
        default="manual", sa_type=sa.String(64), description="Where it came from, e.g. `linkedin`"
    )
    job_url: Url | None = Field(default=None, sa_type=sa.String(2048))
    contact_name: Name | None = Field(
        default=None,
        sa_type=sa.String(200),
        description="The person the seeker dealt with (a recruiter, a hiring manager), if known",
    )
    external_id: ExternalId | None = Field(
        default=None,
        sa_type=sa.String(255),
        description="Unique per tenant and source; pushing it again returns the stored application",
    )
    status: ApplicationStatus = Field(default=ApplicationStatus.APPLIED, sa_type=sa.String(20))


_APPLICATION_VERSION = version_column()


class Application(ApplicationBase, table=True):
    """An application row."""

    __tablename__ = "application"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "source", "external_id"),
        sa.Index("ix_application_seeker_id_id", "seeker_id", "id"),
        sa.Index("ix_application_seeker_id_applied_on", "seeker_id", "applied_on"),
    )

    id: str = Field(primary_key=True, max_length=40)
    tenant_id: str = owned_by("tenant.id")
    seeker_id: str = owned_by("seeker.id")
    applied_on: date = Field(sa_type=sa.Date)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = Field(default=1, sa_column=_APPLICATION_VERSION)
    __mapper_args__ = versioned(_APPLICATION_VERSION)


class ApplicationCreate(ApplicationBase):
    """Body of `POST /v1/seekers/{seeker_id}/applications`."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class ApplicationUpdate(PatchModel):
    """Body of `PATCH /v1/applications/{application_id}`: only the fields sent change."""

    not_nullable = frozenset({"company", "role", "applied_on", "status"})

    company: Name | None = None
    role: Name | None = None
    applied_on: CalendarDate | None = None
    job_url: Url | None = None
    contact_name: Name | None = None
    status: ApplicationStatus | None = None


class ApplicationPublic(ApplicationBase):
    """An application as the API shows it."""

    id: str
    seeker_id: str
    applied_on: date
    created_at: datetime
    updated_at: datetime
    version: int
