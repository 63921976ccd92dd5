"""Next steps: recommendations made concrete for one seeker, with the reasons they were made."""

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlmodel import Field, SQLModel

from app.core.db import UTCDateTime, owned_by, version_column, versioned
from app.core.fields import Timestamp


class StepStatus(StrEnum):
    """Where a next step stands."""

    OPEN = "open"
    DONE = "done"
    DISMISSED = "dismissed"
    SNOOZED = "snoozed"
    RETRACTED = "retracted"


ACTIVE = (StepStatus.OPEN.value, StepStatus.SNOOZED.value)


class Explanation(BaseModel):
    """One reason the step was made: a rule, said once, with how many events it applied to."""

    rule_id: str
    rule_version: int
    reason: str
    facts: dict[str, Any] = Field(description="What the rule used, for its latest event")
    count: int = Field(default=1, description="Supporting events this reason applied to")
    rejection_id: str | None = None  # its latest rejection; None when time passing made it
    trigger: Literal["rejection", "time"] = "rejection"


class NextStepSupport(SQLModel, table=True):
    """A rejection that supports a step, and what its rules found (the step keeps 20 in full)."""

    __tablename__ = "next_step_support"
    __table_args__ = (
        sa.Index("ix_next_step_support_rejection_id", "rejection_id"),
        sa.Index("ix_next_step_support_next_step_id_occurred_at", "next_step_id", "occurred_at"),
    )

    next_step_id: str = Field(
        sa_column=sa.Column(
            sa.String(40), sa.ForeignKey("next_step.id", ondelete="CASCADE"), primary_key=True
        )
    )
    rejection_id: str = Field(
        sa_column=sa.Column(
            sa.String(40), sa.ForeignKey("rejection.id", ondelete="CASCADE"), primary_key=True
        )
    )
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    hits: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)


class StepFinding(SQLModel, table=True):
    """Something time alone revealed that a step already acted on (the sweep's memory).

    `key` names the finding ("unanswered:<application id>", "missed:<goal id>"); the sweep never
    acts twice on one key for a seeker, whatever happened to the step since.
    """

    __tablename__ = "step_finding"
    __table_args__ = (sa.Index("ix_step_finding_next_step_id", "next_step_id"),)

    seeker_id: str = Field(
        sa_column=sa.Column(
            sa.String(40), sa.ForeignKey("seeker.id", ondelete="CASCADE"), primary_key=True
        )
    )
    key: str = Field(primary_key=True, max_length=120)
    next_step_id: str = owned_by("next_step.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


_NEXTSTEP_VERSION = version_column()


class NextStep(SQLModel, table=True):
    """A next step row; at most one active (open or snoozed) per seeker and recommendation."""

    __tablename__ = "next_step"
    __table_args__ = (
        sa.Index(
            "uq_next_step_active_recommendation",
            "seeker_id",
            "recommendation_key",
            "scope",
            unique=True,
            sqlite_where=sa.text("status IN ('open', 'snoozed')"),
            postgresql_where=sa.text("status IN ('open', 'snoozed')"),
        ),
        sa.Index("ix_next_step_seeker_id_status_priority", "seeker_id", "status", "priority"),
    )

    id: str = Field(primary_key=True, max_length=40)
    tenant_id: str = owned_by("tenant.id")
    seeker_id: str = owned_by("seeker.id")
    recommendation_key: str = Field(max_length=64)
    # Server defaults fill the rows that existed before these columns (migration 0009).
    scope: str = Field(  # the company of a per-company step
        default="", max_length=200, sa_column_kwargs={"server_default": sa.text("''")}
    )
    title: str = Field(max_length=300)
    body: str = Field(sa_type=sa.Text)
    actions: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    priority: int
    due_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=StepStatus.OPEN.value, max_length=16)
    snoozed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    rejection_ids: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    explanation: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    rejection_count: int = Field(  # supporting rejections, all of them (rejection_ids lists 20)
        default=0, sa_column_kwargs={"server_default": sa.text("0")}
    )
    evidence: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=sa.JSON, sa_column_kwargs={"server_default": sa.text("'[]'")}
    )
    tally: dict[str, int] = Field(
        default_factory=dict, sa_type=sa.JSON, sa_column_kwargs={"server_default": sa.text("'{}'")}
    )
    draft_message: str | None = Field(default=None, sa_type=sa.Text)
    suggested_goal: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = Field(default=1, sa_column=_NEXTSTEP_VERSION)
    __mapper_args__ = versioned(_NEXTSTEP_VERSION)


# `snoozed_until` goes with `snoozed` and with nothing else (it must also be in the future,
# which no schema can say).
_SNOOZE_RULE: dict[str, Any] = {
    "if": {"properties": {"status": {"const": "snoozed"}}},
    "then": {"required": ["snoozed_until"], "properties": {"snoozed_until": {"type": "string"}}},
    "else": {"properties": {"snoozed_until": {"type": "null"}}},
}


class NextStepUpdate(BaseModel):
    """Body of `PATCH /v1/next-steps/{next_step_id}`: a new status (and, to snooze, until when)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"allOf": [_SNOOZE_RULE]})

    status: StepStatus
    snoozed_until: Timestamp | None = None


class NextStepPublic(BaseModel):
    """A next step as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    seeker_id: str
    recommendation_key: str
    title: str
    body: str
    actions: list[str]
    priority: int
    due_at: datetime
    status: StepStatus
    snoozed_until: datetime | None
    rejection_ids: list[str] = Field(description="The 20 most recent supporting rejections")
    rejection_count: int = Field(description="How many rejections support the step in all")
    explanation: list[Explanation]
    draft_message: str | None
    suggested_goal: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime
    version: int
