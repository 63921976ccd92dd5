"""The catalog and the rules as the API shows them, and the dry-run request."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.fields import IdRef
from app.next_step.models import NextStepPublic
from app.rejection.models import RejectionCreate


class RecommendationPublic(BaseModel):
    """One of the recommendations, with practical guidance and concrete actions."""

    key: str
    title: str
    summary: str
    guidance: str
    actions: list[str]


class RulePublic(BaseModel):
    """One rule: which recommendation it supports, its version and what makes it fire."""

    id: str
    recommendation_key: str
    version: int
    description: str
    triggers: list[Literal["rejection", "time"]] = Field(
        description="What runs it: a new rejection, and/or time passing (`rebound sweep`)."
    )


class RuleEvaluation(BaseModel):
    """Body of `POST /v1/rules/evaluate`: a rejection, and optionally whose history to use."""

    model_config = ConfigDict(extra="forbid")

    seeker_id: IdRef | None = None
    rejection: RejectionCreate


class EvaluationResult(BaseModel):
    """The next steps the rejection would produce; nothing was written."""

    next_steps: list[NextStepPublic]
