"""RuleContext: everything a rule may look at, frozen, computed as of the event.

Pure data: no database, no clock. Counts in `History` include the event being evaluated, so "3
rejections in 7 days" means this one and two before it. Windows are measured back from the
event's `occurred_at`.

Two things trigger an evaluation: a rejection (`event` is set) and time passing with no event (the
sweep; `event` is None, and the history is computed as of the sweep). A rule declares which
triggers it answers (`@rule(on=...)`); rejection rules read the event through `ctx.rejection`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Trigger = Literal["rejection", "time"]

WINDOWS = (7, 14, 30, 60, 90, 365)
LOW_MOOD = 2  # on the seeker's own 1-5 scale, 1 and 2 are the low end
SILENT_REASONS = frozenset({"no_response"})  # nobody said no: the employer stopped answering
SILENT_ENDINGS = frozenset({"unknown"})


def is_silent(reason: str, ended_by: str) -> bool:
    """Whether an ending was silence rather than a decision (never to be called a "no")."""
    return reason in SILENT_REASONS or ended_by in SILENT_ENDINGS


REFERRAL_SOURCES = frozenset({"referral", "network", "internal"})


@dataclass(frozen=True)
class Event:
    """The rejection being evaluated."""

    company: str
    role: str
    stage: str
    occurred_at: datetime
    ended_by: str = "employer"
    reason: str = "unspecified"
    reason_detail: str | None = None
    feedback: str | None = None
    missing_skills: tuple[str, ...] = ()
    mood: int | None = None
    source: str = "manual"
    application_source: str | None = None  # how the seeker applied, when the application is known
    contact_name: str | None = None  # the person the seeker dealt with, when known

    @property
    def silent(self) -> bool:
        """The employer went quiet instead of deciding (see `is_silent`)."""
        return is_silent(self.reason, self.ended_by)


@dataclass(frozen=True)
class Profile:
    """What the seeker told us about themselves."""

    display_name: str | None = None
    timezone: str = "UTC"
    strengths: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    target_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Window:
    """Rejections within one window before the event (the event included)."""

    total: int = 0
    by_stage: Mapping[str, int] = field(default_factory=dict)
    by_reason: Mapping[str, int] = field(default_factory=dict)
    cold_screening: int = 0  # application_review rejections from non-referral sources

    def stage(self, *stages: str) -> int:
        """How many ended at any of `stages`."""
        return sum(self.by_stage.get(s, 0) for s in stages)


@dataclass(frozen=True)
class GoalPace:
    """A goal of the seeker and how its current period is going (in the seeker's time zone)."""

    goal_id: str
    title: str
    kind: str
    pace: str  # ahead | on_track | behind
    unit: str = "applications"
    current: float = 0.0
    target: float = 1.0
    expected: float = 0.0
    period_target: float | None = None  # the current period's share when it is cut short
    period: str = "week"
    period_start: date = date(2026, 3, 2)
    period_end: date = date(2026, 3, 8)

    @property
    def this_period(self) -> float:
        """What the current period asks for: the target, or its share of a period cut short."""
        return self.target if self.period_target is None else self.period_target

    @property
    def period_days(self) -> int:
        """Days in the current period, both ends included."""
        return (self.period_end - self.period_start).days + 1


@dataclass(frozen=True)
class Unanswered:
    """An application still waiting for an answer."""

    application_id: str
    company: str
    role: str
    applied_on: date
    days_waiting: int


@dataclass(frozen=True)
class History:
    """Aggregates over the seeker's history, as of the event."""

    windows: Mapping[int, Window] = field(default_factory=dict)
    same_company_365: int = 1
    missing_skills_90: Mapping[str, int] = field(default_factory=dict)
    missing_skills_all: Mapping[str, int] = field(default_factory=dict)
    skill_spellings: Mapping[str, str] = field(default_factory=dict)  # folded → as most often sent
    days_since_last_application: int | None = None
    last_application_on: date | None = None
    applications_7: int = 0
    applications_30: int = 0
    referral_applications_30: int = 0
    mood_recent: float | None = None  # mean mood over the last 30 days
    mood_before: float | None = None  # mean mood over the 30 days before that
    active_goals: tuple[GoalPace, ...] = ()
    missed_goals: tuple[GoalPace, ...] = ()  # one-off goals whose due date passed unreached
    unanswered: tuple[Unanswered, ...] = ()  # oldest first
    acted_on: frozenset[str] = frozenset()  # findings of earlier sweeps (see Reason.findings)

    def spelling(self, skill: str) -> str:
        """A skill as the seeker's employers most often spelled it ("C++", not "c++")."""
        return self.skill_spellings.get(skill, skill)

    def window(self, days: int) -> Window:
        """The window of `days` (one of WINDOWS)."""
        return self.windows.get(days, Window())


@dataclass(frozen=True)
class RuleContext:
    """A rule's whole world: the event (None when time alone triggers), profile and history."""

    event: Event | None
    profile: Profile = field(default_factory=Profile)
    history: History = field(default_factory=History)

    @property
    def trigger(self) -> Trigger:
        """What started this evaluation."""
        return "rejection" if self.event is not None else "time"

    @property
    def rejection(self) -> Event:
        """The rejection being evaluated; only rules answering the rejection trigger may ask."""
        if self.event is None:
            raise ValueError("this evaluation was triggered by time, not by a rejection")
        return self.event

    @property
    def employer_ended(self) -> bool:
        """Whether the employer (or nobody in particular) ended it, not the candidate."""
        return self.event is None or self.event.ended_by != "candidate"
