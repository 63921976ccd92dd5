"""The data-subject documents: what an export contains."""

from datetime import datetime

from sqlmodel import SQLModel

from app.application.models import ApplicationPublic
from app.next_step.models import NextStepPublic
from app.rejection.models import RejectionRecord
from app.seeker.models import SeekerPublic


class SeekerExport(SQLModel):
    """Everything recorded about one seeker."""

    exported_at: datetime
    seeker: SeekerPublic
    applications: list[ApplicationPublic]
    rejections: list[RejectionRecord]
    next_steps: list[NextStepPublic]
