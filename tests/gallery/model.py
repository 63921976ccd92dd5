"""The advice gallery's vocabulary: a seeker's profile and a timeline of what happened to them.

Times are days before MOMENT, the gallery's fixed "now" (fractions are parts of a day: 0.25 is
six hours), so the rendered document never moves. Fields marked *planned* are not in the API
yet; the replay sends only what the request schema accepts and reports the rest as pending.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MOMENT = datetime(2026, 10, 14, 16, 0, tzinfo=UTC)  # a Wednesday afternoon, mid goal-week


def at(days_ago: float) -> datetime:
    """The moment `days_ago` days before MOMENT."""
    return MOMENT - timedelta(days=days_ago)


@dataclass(frozen=True)
class Profile:
    """What the seeker tells the service about themselves."""

    display_name: str | None
    timezone: str = "UTC"
    locale: str | None = None
    target_roles: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class Apply:
    """An application sent; `ref` names it for a later rejection."""

    days_ago: float
    company: str
    role: str
    source: str = "manual"
    ref: str | None = None
    contact_name: str | None = None  # planned


@dataclass(frozen=True)
class Reject:
    """A rejection (or a withdrawal: `ended_by="candidate"`); `application` is an Apply's ref."""

    days_ago: float
    company: str
    role: str
    stage: str
    ended_by: str = "employer"
    reason: str = "unspecified"
    reason_detail: str | None = None
    feedback: str | None = None
    missing_skills: tuple[str, ...] = ()
    mood: int | None = None
    note: str | None = None
    application: str | None = None
    source: str = "manual"
    contact_name: str | None = None  # planned
    ref: str | None = None


@dataclass(frozen=True)
class Goal:
    """A goal set; it starts on the day it is set. One-off goals are due `due_in_days` later."""

    days_ago: float
    title: str
    kind: str
    target: float
    period: str = "week"
    unit: str | None = None
    due_in_days: int | None = None
    ref: str | None = None


@dataclass(frozen=True)
class CheckIn:
    """Progress reported against the goal whose ref is `goal`."""

    days_ago: float
    goal: str
    value: float = 1
    note: str | None = None


@dataclass(frozen=True)
class Delete:
    """The rejection whose ref is `rejection` is deleted (recorded by mistake, or undone)."""

    days_ago: float
    rejection: str
    why: str = "recorded by mistake"


@dataclass(frozen=True)
class Sweep:
    """The periodic sweep runs (what time alone changes)."""

    days_ago: float


Action = Apply | Reject | Goal | CheckIn | Delete | Sweep


@dataclass(frozen=True)
class History:
    """One seeker's story: what happened (`case`) and what a good coach would want them to read."""

    slug: str
    case: str
    expect: str
    profile: Profile
    timeline: tuple[Action, ...]

    def __post_init__(self) -> None:
        times = [a.days_ago for a in self.timeline]
        if not times or times != sorted(times, reverse=True):
            raise ValueError(f"{self.slug}: the timeline must be non-empty and in time order")

    @property
    def rejections(self) -> list[Reject]:
        """Its rejections and withdrawals, deleted ones included, in time order."""
        return [a for a in self.timeline if isinstance(a, Reject)]

    @property
    def deleted(self) -> set[str]:
        """Refs of the rejections it deletes."""
        return {a.rejection for a in self.timeline if isinstance(a, Delete)}
