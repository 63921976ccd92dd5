"""The coach's view: which seekers need attention, and why (`GET /v1/insights/seekers`)."""

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field


class Signal(StrEnum):
    """A reason a seeker needs a coach's attention (definitions and points in the README)."""

    REJECTION_RUN = "rejection_run"
    LOW_MOOD = "low_mood"
    GOALS_BEHIND = "goals_behind"
    INACTIVE = "inactive"


class AttentionSignal(BaseModel):
    """One reason, with the points it adds and the facts behind it."""

    signal: Signal
    points: int
    detail: str = Field(description="The facts in words, for a coach")
    facts: dict[str, int | float | str | None]


class SeekerAttention(BaseModel):
    """A seeker, how much they need attention now, and why."""

    seeker_id: str
    display_name: str | None
    external_id: str | None
    score: int = Field(description="The sum of the signals' points; higher first")
    signals: list[AttentionSignal]
    last_activity_on: date | None = Field(
        description="The last day (UTC) with an application, a rejection or a check-in"
    )
