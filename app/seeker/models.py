"""Seekers: the job seekers a tenant coaches."""

from datetime import datetime

import sqlalchemy as sa
from pydantic import ConfigDict
from sqlmodel import Field, SQLModel

from app.core.db import UTCDateTime, owned_by, version_column, versioned
from app.core.fields import ExternalId, Locale, Name, PatchModel, TagList, TimeZoneName


class SeekerBase(SQLModel):
    """Fields a client sets on a seeker."""

    external_id: ExternalId | None = Field(
        default=None, sa_type=sa.String(255), description="The client's own id, unique per tenant"
    )
    display_name: Name | None = Field(default=None, sa_type=sa.String(200))
    timezone: TimeZoneName = Field(
        default="UTC", sa_type=sa.String(64), description="IANA zone; goal weeks start Monday here"
    )
    locale: Locale | None = Field(default=None, sa_type=sa.String(35))
    target_roles: TagList = Field(default_factory=list, sa_type=sa.JSON)
    strengths: TagList = Field(default_factory=list, sa_type=sa.JSON)
    skills: TagList = Field(default_factory=list, sa_type=sa.JSON)


_SEEKER_VERSION = version_column()


class Seeker(SeekerBase, table=True):
    """A seeker row; everything about them is erased with it."""

    __tablename__ = "seeker"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "external_id"),
        sa.Index("ix_seeker_tenant_id_id", "tenant_id", "id"),
    )

    id: str = Field(primary_key=True, max_length=40)
    tenant_id: str = owned_by("tenant.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = Field(default=1, sa_column=_SEEKER_VERSION)
    __mapper_args__ = versioned(_SEEKER_VERSION)


class SeekerCreate(SeekerBase):
    """Body of `POST /v1/seekers`."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class SeekerUpdate(PatchModel):
    """Body of `PATCH /v1/seekers/{seeker_id}`: only the fields sent change; `null` clears."""

    not_nullable = frozenset({"timezone", "target_roles", "strengths", "skills"})

    external_id: ExternalId | None = None
    display_name: Name | None = None
    timezone: TimeZoneName | None = None
    locale: Locale | None = None
    target_roles: TagList | None = None
    strengths: TagList | None = None
    skills: TagList | None = None


class SeekerPublic(SeekerBase):
    """A seeker as the API shows it."""

    id: str
    created_at: datetime
    updated_at: datetime
    version: int
