"""The stored outcome of a POST made with an Idempotency-Key."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.db import UTCDateTime


class IdempotencyRecord(SQLModel, table=True):
    """One tenant's key, the request it was first used with, and the response to replay."""

    __tablename__ = "idempotency_record"
    __table_args__ = (sa.Index("ix_idempotency_record_expires_at", "expires_at"),)

    tenant_id: str = Field(
        sa_column=sa.Column(
            sa.String(40), sa.ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
        )
    )
    key: str = Field(primary_key=True, max_length=255)
    request_hash: str = Field(max_length=64)
    api_key_id: str | None = Field(default=None, max_length=40)  # only it may replay
    status_code: int
    body: bytes = Field(sa_type=sa.LargeBinary)
    headers: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class IdempotencySubject(SQLModel, table=True):
    """A seeker a stored response is about: erasing the seeker deletes the response.

    Written from the seekers the request loaded or created (`app/core/subjects.py`), one row each
    (a batch may name many); it goes with its record.
    """

    __tablename__ = "idempotency_subject"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["tenant_id", "key"],
            ["idempotency_record.tenant_id", "idempotency_record.key"],
            ondelete="CASCADE",
        ),
        sa.Index("ix_idempotency_subject_seeker_id", "seeker_id"),
    )

    tenant_id: str = Field(sa_column=sa.Column(sa.String(40), primary_key=True))
    key: str = Field(primary_key=True, max_length=255)
    seeker_id: str = Field(primary_key=True, max_length=40)
