"""Tenants (integrating organisations) and their API keys."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.db import UTCDateTime, owned_by


class Scope(StrEnum):
    """What an API key may do; `*` grants everything."""

    ALL = "*"
    SEEKERS_READ = "seekers:read"
    SEEKERS_WRITE = "seekers:write"
    REJECTIONS_WRITE = "rejections:write"
    GOALS_READ = "goals:read"
    GOALS_WRITE = "goals:write"
    WEBHOOKS_MANAGE = "webhooks:manage"


class Tenant(SQLModel, table=True):
    """An organisation that integrates with Rebound; owns everything it records."""

    __tablename__ = "tenant"

    id: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=200, sa_column_kwargs={"unique": True})
    rate_limit: str | None = Field(
        default=None, max_length=64, description='per-key limit, e.g. "600/minute"; None: default'
    )
    created_at: datetime = Field(sa_type=UTCDateTime)


class ApiKey(SQLModel, table=True):
    """A tenant's API key: only its SHA-256 hash is stored; the key is shown once."""

    __tablename__ = "api_key"
    __table_args__ = (sa.Index("ix_api_key_tenant_id_id", "tenant_id", "id"),)

    id: str = Field(primary_key=True, max_length=40)
    tenant_id: str = owned_by("tenant.id")
    name: str = Field(max_length=200)
    prefix: str = Field(max_length=16)
    key_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    scopes: str = Field(max_length=500, description="space-separated scopes")
    created_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
