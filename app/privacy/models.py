"""The data-subject documents: what an export contains."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import SQLModel

from app.application.models import ApplicationPublic
from app.goal.models import CheckInPublic, GoalPublic
from app.next_step.models import NextStepPublic
from app.rejection.models import RejectionRecord
from app.seeker.models import SeekerPublic


class FindingPublic(BaseModel):
    """Something the sweep noticed about the seeker over time, and the step it led to."""

    model_config = ConfigDict(from_attributes=True)

    key: str = Field(
        description="What was found: `unanswered:<application id>`, `missed:<goal id>`, …"
    )
    next_step_id: str
    created_at: datetime


class StoredResponsePublic(BaseModel):
    """A response kept for 24 hours so that a retry with its `Idempotency-Key` replays it."""

    idempotency_key: str
    status: int
    body: Any = Field(description="The response as it was sent")
    created_at: datetime
    expires_at: datetime


class SeekerExport(SQLModel):
    """Everything recorded about one seeker."""

    exported_at: datetime
    seeker: SeekerPublic
    applications: list[ApplicationPublic]
    rejections: list[RejectionRecord]
    next_steps: list[NextStepPublic]
    goals: list[GoalPublic]
    check_ins: list[CheckInPublic]
    findings: list[FindingPublic]
    stored_responses: list[StoredResponsePublic]
