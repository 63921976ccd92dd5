"""Goals (what the seeker is working towards) and their check-ins."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
)
from pydantic_core import PydanticCustomError
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.core.db import UTCDateTime, owned_by, version_column, versioned
from app.core.fields import CalendarDate, LongText, Name, Number, PatchModel, Timestamp


class GoalKind(StrEnum):
    """What is being counted."""

    APPLICATIONS = "applications"
    NETWORKING = "networking"
    LEARNING = "learning"
    INTERVIEWS = "interviews"
    CUSTOM = "custom"


class GoalPeriod(StrEnum):
    """How the target repeats: per week (Monday first), per calendar month, or once."""

    WEEK = "week"
    MONTH = "month"
    NONE = "none"


class GoalStatus(StrEnum):
    """Where a goal stands."""

    ACTIVE = "active"
    ACHIEVED = "achieved"
    MISSED = "missed"
    ABANDONED = "abandoned"


DEFAULT_UNIT = {
    GoalKind.APPLICATIONS: "applications",
    GoalKind.NETWORKING: "people",
    GoalKind.LEARNING: "courses",
    GoalKind.INTERVIEWS: "interviews",
    GoalKind.CUSTOM: "times",
}
UNIT_MAX = 40  # the column's width


def _one_line(value: object, handler: ValidatorFunctionWrapHandler) -> str:
    """The pattern's verdict in words a person reads, instead of the pattern itself."""
    try:
        unit: str = handler(value)
    except ValidationError as exc:
        if any(e["type"] == "string_pattern_mismatch" for e in exc.errors()):
            raise PydanticCustomError(
                "control_character", "must be one line of text, without control characters"
            ) from None
        raise
    return unit


# One line of the seeker's own words: no control characters (NUL included), which no chart or
# sentence could show. Stripped first; at least one character must remain.
Unit = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=UNIT_MAX, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
    WrapValidator(_one_line),
]


_GOAL_VERSION = version_column()


class Goal(SQLModel, table=True):
    """A goal row."""

    __tablename__ = "goal"
    __table_args__ = (
        sa.Index("ix_goal_seeker_id_id", "seeker_id", "id"),
        sa.Index("ix_goal_seeker_id_status", "seeker_id", "status"),
        sa.UniqueConstraint("next_step_id"),
    )

    id: str = SQLField(primary_key=True, max_length=40)
    tenant_id: str = owned_by("tenant.id")
    seeker_id: str = owned_by("seeker.id")
    title: str = SQLField(max_length=200)
    kind: str = SQLField(max_length=20)
    target: float
    unit: str = SQLField(max_length=40)
    period: str = SQLField(max_length=10)
    start_on: date
    due_on: date | None = None
    recommendation_key: str | None = SQLField(default=None, max_length=64)
    next_step_id: str | None = SQLField(default=None, max_length=40)
    status: str = SQLField(default=GoalStatus.ACTIVE.value, max_length=16)
    created_at: datetime = SQLField(sa_type=UTCDateTime)
    updated_at: datetime = SQLField(sa_type=UTCDateTime)
    version: int = SQLField(default=1, sa_column=_GOAL_VERSION)
    __mapper_args__ = versioned(_GOAL_VERSION)


class CheckIn(SQLModel, table=True):
    """Progress reported against a goal."""

    __tablename__ = "goal_check_in"
    __table_args__ = (
        sa.Index("ix_goal_check_in_goal_id_occurred_at", "goal_id", "occurred_at"),
        sa.Index("ix_goal_check_in_goal_id_id", "goal_id", "id"),
    )

    id: str = SQLField(primary_key=True, max_length=40)
    tenant_id: str = owned_by("tenant.id")
    goal_id: str = owned_by("goal.id")
    value: float
    occurred_at: datetime = SQLField(sa_type=UTCDateTime)
    note: str | None = SQLField(default=None, sa_type=sa.Text)
    created_at: datetime = SQLField(sa_type=UTCDateTime)


def _goal_rules(schema: dict[str, Any]) -> None:
    """What the field validators below enforce, in the schema: a one-off goal's due date. (That
    `due_on` is not before `start_on`, today by default, no schema says.)"""
    rules: list[dict[str, Any]] = [
        {
            "if": {
                "properties": {"period": {"const": GoalPeriod.NONE.value}},
                "required": ["period"],
            },
            "then": {"required": ["due_on"], "properties": {"due_on": {"type": "string"}}},
        }
    ]
    schema["allOf"] = rules


class GoalCreate(BaseModel):
    """Body of `POST /v1/seekers/{seeker_id}/goals`."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_goal_rules)

    title: Name
    kind: GoalKind
    target: Number = Field(gt=0, le=1_000_000)
    unit: Unit | None = Field(
        default=None,
        description=(
            "What is counted, in the seeker's own words (e.g. `portfolio pieces`), whatever the "
            "kind. Absent or null: the kind's default (applications: `applications`, networking: "
            "`people`, learning: `courses`, interviews: `interviews`, custom: `times`)."
        ),
    )
    period: GoalPeriod = GoalPeriod.WEEK
    start_on: CalendarDate | None = Field(default=None, description="Default: today, seeker's zone")
    due_on: CalendarDate | None = Field(
        default=None, validate_default=True, description="Required when period is none"
    )
    recommendation_key: str | None = Field(default=None, max_length=64, pattern=r"^[a-z_]+$")

    # A field validator (not a model validator) so that the error points at its field.
    @field_validator("due_on")
    @classmethod
    def _due_on_fits(cls, due_on: date | None, info: ValidationInfo) -> date | None:
        if due_on is None and info.data.get("period") is GoalPeriod.NONE:
            raise ValueError("a one-off goal (period none) needs a due_on")
        start_on = info.data.get("start_on")
        if due_on is not None and start_on is not None and due_on < start_on:
            raise ValueError("due_on must not be before start_on")
        return due_on


class GoalUpdate(PatchModel):
    """Body of `PATCH /v1/goals/{goal_id}`: title, target, due date, or `abandoned`."""

    not_nullable = frozenset({"title", "target", "status"})

    title: Name | None = None
    target: Number | None = Field(default=None, gt=0, le=1_000_000)
    due_on: CalendarDate | None = None
    status: Literal[GoalStatus.ABANDONED] | None = Field(
        default=None, description="Only `abandoned` may be set; the rest follows from progress"
    )


class CheckInCreate(BaseModel):
    """Body of `POST /v1/goals/{goal_id}/check-ins`."""

    model_config = ConfigDict(extra="forbid")

    value: Number = Field(default=1, gt=0, le=100_000)
    occurred_at: Timestamp | None = Field(default=None, description="Defaults to now")
    note: LongText | None = None


class CheckInPublic(BaseModel):
    """A check-in as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    goal_id: str
    value: float
    occurred_at: datetime
    note: str | None
    created_at: datetime


class ProgressPublic(BaseModel):
    """How a goal is going in its current period (definitions in the README)."""

    current: float
    target: float = Field(description="The goal's target, always (per period, or in total)")
    period_target: float = Field(
        description=(
            "The current period's figure: the target pro-rated by days when the period is cut "
            "short by `start_on` or `due_on`, else equal to `target`. `percent`, `expected`, "
            "`pace` and `safe_days` measure the period against it."
        )
    )
    percent: float
    expected: float
    pace: str
    safe_days: int
    streak: int
    period_start: date
    period_end: date


class GoalPublic(BaseModel):
    """A goal as the API shows it, with its progress."""

    id: str
    seeker_id: str
    title: str
    kind: GoalKind
    target: float
    unit: str
    period: GoalPeriod
    start_on: date
    due_on: date | None
    recommendation_key: str | None
    status: GoalStatus
    progress: ProgressPublic
    created_at: datetime
    updated_at: datetime
    version: int


class PeriodPublic(BaseModel):
    """One period of a goal: its total and whether it was met."""

    start: date
    end: date
    target: float
    total: float
    met: bool


def unit_for(kind: GoalKind, unit: str | None) -> str:
    """The unit given, or the kind's default when none was."""
    return DEFAULT_UNIT[kind] if unit is None else unit
