"""What a seeker's history says over a window of days (`GET /v1/seekers/{id}/insights`)."""

from datetime import date

from pydantic import BaseModel, Field

from app.goal.models import GoalKind
from app.rejection.models import Reason, Stage

DEFAULT_DAYS = 90
MAX_DAYS = 730


class WeekCount(BaseModel):
    """Rejections in one week (Monday to Sunday in the seeker's time zone)."""

    week_start: date
    rejections: int


class FunnelStep(BaseModel):
    """How many attempts reached a step, and what share of the step before did."""

    step: str = Field(description="applications, screens, interviews, final_rounds or offers")
    reached: int
    conversion: float | None = Field(
        description="reached / the previous step's reached (0..1); null for the first step or "
        "when the previous step reached none"
    )


class Funnel(BaseModel):
    """Attempts from applying to an offer, and the stage where most rejections came."""

    steps: list[FunnelStep]
    most_rejections_at: Stage | None


class SkillCount(BaseModel):
    """A skill employers said was missing, and in how many rejections."""

    skill: str
    rejections: int


class CompanyCount(BaseModel):
    """A company that rejected the seeker more than once in the window."""

    company: str
    rejections: int


class StepTally(BaseModel):
    """The seeker's next steps for one recommendation, by status."""

    recommendation_key: str
    open: int
    snoozed: int
    done: int
    dismissed: int


class GoalPaceInsight(BaseModel):
    """An active goal and how its current period is going."""

    goal_id: str
    title: str
    kind: GoalKind
    pace: str
    current: float
    expected: float
    target: float = Field(description="The goal's own target")
    period_target: float = Field(
        description="What the current period asks for (less when cut short)"
    )
    period_start: date
    period_end: date


class SeekerInsights(BaseModel):
    """Everything `GET /v1/seekers/{seeker_id}/insights` reports (definitions in the README)."""

    seeker_id: str
    days: int
    since: date = Field(description="first day of the window, in the seeker's time zone")
    until: date = Field(description="last day of the window (today), in the seeker's time zone")
    timezone: str
    rejections: int
    by_stage: dict[Stage, int]
    by_reason: dict[Reason, int]
    by_week: list[WeekCount]
    funnel: Funnel
    missing_skills: list[SkillCount]
    repeat_companies: list[CompanyCount]
    days_since_last_application: int | None
    next_steps: list[StepTally]
    goals: list[GoalPaceInsight]
