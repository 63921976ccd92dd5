"""Rejections: the events that drive everything else."""

from datetime import datetime
from enum import StrEnum
from typing import Any, Self

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, model_validator
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from app.core.db import UTCDateTime, owned_by
from app.core.fields import (
    ExternalId,
    IdRef,
    LongText,
    Mood,
    Name,
    SourceName,
    TagList,
    Timestamp,
)
from app.next_step.models import NextStepPublic


class Stage(StrEnum):
    """How far the seeker got before the rejection."""

    APPLICATION_REVIEW = "application_review"
    PHONE_SCREEN = "phone_screen"
    ASSESSMENT = "assessment"
    INTERVIEW = "interview"
    FINAL_ROUND = "final_round"
    OFFER = "offer"


class EndedBy(StrEnum):
    """Who ended the process."""

    EMPLOYER = "employer"
    CANDIDATE = "candidate"
    UNKNOWN = "unknown"


class Reason(StrEnum):
    """Why it ended, as far as anyone said."""

    LACKS_SKILLS = "lacks_skills"
    EXPERIENCE_LEVEL = "experience_level"
    OTHER_CANDIDATE = "other_candidate"
    POSITION_CLOSED = "position_closed"
    CULTURE_FIT = "culture_fit"
    LOGISTICS = "logistics"
    COMPENSATION = "compensation"
    PROCESS = "process"
    NO_RESPONSE = "no_response"
    UNSPECIFIED = "unspecified"


class RejectionBase(SQLModel):
    """Fields a client sends with a rejection."""

    company: Name = Field(sa_type=sa.String(200))
    role: Name = Field(sa_type=sa.String(200))
    application_id: IdRef | None = Field(
        default=None,
        sa_type=sa.String(40),
        description="The application this ends; its status becomes `rejected`",
    )
    stage: Stage = Field(sa_type=sa.String(32))
    ended_by: EndedBy = Field(default=EndedBy.EMPLOYER, sa_type=sa.String(16))
    reason: Reason = Field(default=Reason.UNSPECIFIED, sa_type=sa.String(32))
    reason_detail: LongText | None = Field(default=None, sa_type=sa.Text)
    feedback: LongText | None = Field(default=None, sa_type=sa.Text)
    contact_name: Name | None = Field(
        default=None,
        sa_type=sa.String(200),
        description="The person the seeker dealt with (a recruiter, a hiring manager), if known",
    )
    missing_skills: TagList = Field(default_factory=list, sa_type=sa.JSON)
    mood: Mood | None = Field(default=None, description="The seeker's own rating, 1-5")
    note: LongText | None = Field(default=None, sa_type=sa.Text)
    occurred_at: Timestamp | None = Field(
        default=None, sa_type=UTCDateTime, description="Defaults to now"
    )
    source: SourceName = Field(default="manual", sa_type=sa.String(64))
    external_id: ExternalId | None = Field(
        default=None,
        sa_type=sa.String(255),
        description="With `source`, unique per tenant: a repeat answers 200 with the stored one",
    )


class Rejection(RejectionBase, table=True):
    """A rejection row."""

    __tablename__ = "rejection"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "source", "external_id"),
        sa.Index("ix_rejection_seeker_id_id", "seeker_id", "id"),
        sa.Index("ix_rejection_seeker_id_occurred_at", "seeker_id", "occurred_at"),
    )

    id: str = Field(primary_key=True, max_length=40)
    tenant_id: str = owned_by("tenant.id")
    seeker_id: str = owned_by("seeker.id")
    application_id: str | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.String(40), sa.ForeignKey("application.id", ondelete="SET NULL"), nullable=True
        ),
    )
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)


class RejectionCreate(RejectionBase):
    """Body of `POST /v1/seekers/{seeker_id}/rejections`."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class RejectionBatchItem(RejectionCreate):
    """One item of `POST /v1/rejections/batch`: a rejection naming its seeker."""

    seeker_id: IdRef | None = None
    seeker_external_id: ExternalId | None = None

    @model_validator(mode="after")
    def _exactly_one_seeker_ref(self) -> Self:
        if (self.seeker_id is None) == (self.seeker_external_id is None):
            raise ValueError("name the seeker with exactly one of seeker_id or seeker_external_id")
        return self


class RejectionBatch(BaseModel):
    """Body of `POST /v1/rejections/batch`: items are validated one by one."""

    model_config = ConfigDict(extra="forbid")

    items: list[Any] = PydanticField(
        min_length=1,
        max_length=500,
        description="Each item is a RejectionBatchItem, validated on its own",
        # An item that is not a valid RejectionBatchItem fails alone, in a 200: any item is
        # accepted, and the schema names the shape that succeeds.
        json_schema_extra={
            "items": {
                "anyOf": [
                    {"$ref": "#/components/schemas/RejectionBatchItem"},
                    {"description": "Anything else: that item fails, the others go on"},
                ]
            }
        },
    )


class RejectionRecord(RejectionBase):
    """A rejection as the API shows it in lists, batches and exports."""

    id: str
    seeker_id: str
    occurred_at: datetime
    created_at: datetime


class RejectionPublic(RejectionRecord):
    """A rejection just recorded, with the next steps it produced."""

    next_steps: list[NextStepPublic] = Field(
        default_factory=list, description="What the rules produced for this event, in order"
    )


class BatchItemError(SQLModel):
    """Why one batch item failed."""

    status: int
    code: str
    detail: str
    errors: list[dict[str, str]] = Field(default_factory=list)


class BatchItemResult(SQLModel):
    """The outcome of one batch item, by its position in the request."""

    index: int
    outcome: str = Field(description="`created`, `duplicate` or `failed`")
    rejection: RejectionRecord | None = None
    error: BatchItemError | None = None


class BatchResult(SQLModel):
    """The outcome of a batch: one result per item, in order, and the counts."""

    created: int
    duplicates: int
    failed: int
    results: list[BatchItemResult]
