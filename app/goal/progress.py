"""Goal progress: pure arithmetic over local dates (no database, no clock: `today` is a parameter).

Definitions:

- Weeks run Monday-Sunday; months are calendar months; "none" is one period from start_on to
  due_on. A period is clipped to start on start_on (a goal started mid-week has a short first week)
  and to end on due_on if set. Every day belongs to the seeker's timezone (`local_day`).
- A clipped period's target is pro-rated: target * days_in_clipped_period / days_in_full_period,
  rounded to 2 decimals (and never below 0.01); "none" is never pro-rated.
- Entries are (local date, value); entries before start_on or after due_on count for nothing.
  A period's total is rounded to 6 decimals (0.1 + 0.2 reads 0.3, not 0.30000000000000004).
- The current period is the one containing today; if today is after due_on, the last period; if
  before start_on, the first (with current 0).
- current = total of the current period; target = the goal's target, always;
  period_target = the current period's target (pro-rated when the period is clipped, else equal
  to target). Everything below measures the current period, so it uses period_target:
  percent = min(100, round(100 * current / period_target, 1)) (and never below 0).
- elapsed = days from the period's start through today inclusive (clamped to 0..period_days);
  expected = round(period_target * elapsed / period_days, 2).
- pace: "behind" if current < expected (by more than 1e-9); "ahead" if current >= expected +
  period_target / period_days (a full day ahead of the line) or current >= period_target;
  otherwise "on_track".
- safe_days: if current >= period_target, the days left in the period after today; otherwise the
  number of further days the pace line stays at or below current:
  max(0, floor(current * period_days / period_target + 1e-9) - elapsed), capped at the days left
  in the period after today.
- met: total >= the period's target. streak: the number of consecutive met periods counting back
  from the most recent completed period (one ending before today), plus 1 if the current period
  is already met (a period that is both current and completed, after due_on, is counted once).
  For "none" the streak is 1 if met else 0.
- Comparisons of totals with targets allow 1e-9 for floating-point error.
"""

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, get_args
from zoneinfo import ZoneInfo

Period = Literal["week", "month", "none"]
Pace = Literal["ahead", "on_track", "behind"]
PERIODS: tuple[str, ...] = get_args(Period)
EPSILON = 1e-9
TOTAL_DECIMALS = 6  # sums of floats lose their last-digit noise; any real input survives
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class GoalSpec:
    """What a goal asks for: a target per period (for "none": in total) from start_on."""

    target: float
    period: str
    start_on: date
    due_on: date | None = None

    def __post_init__(self) -> None:
        if not self.target > 0:
            raise ValueError("target must be > 0")
        if self.period not in PERIODS:
            raise ValueError(f"period must be one of {', '.join(PERIODS)}")
        if self.period == "none" and self.due_on is None:
            raise ValueError('a goal with period "none" needs a due_on')
        if self.due_on is not None and self.due_on < self.start_on:
            raise ValueError("due_on must not be before start_on")


@dataclass(frozen=True)
class PeriodTotal:
    """One period of a goal (inclusive local dates): its target, its total, whether it was met."""

    start: date
    end: date
    target: float
    total: float
    met: bool


@dataclass(frozen=True)
class Progress:
    """How a goal is going in its current period."""

    current: float
    target: float  # the goal's own target
    period_target: float  # the current period's: pro-rated when the period is cut short
    percent: float
    expected: float
    pace: str
    safe_days: int
    streak: int
    period_start: date
    period_end: date


def local_day(at: datetime, timezone: str) -> date:
    """The calendar day of an aware datetime in an IANA timezone."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("local_day needs an aware datetime")
    return at.astimezone(ZoneInfo(timezone)).date()


def _full_bounds(spec: GoalSpec, day: date) -> tuple[date, date]:
    """The unclipped period containing `day`."""
    if spec.period == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if spec.period == "month":
        first = day.replace(day=1)
        next_first = (first + timedelta(days=31)).replace(day=1)
        return first, next_first - _DAY
    assert spec.due_on is not None  # checked by GoalSpec
    return spec.start_on, spec.due_on


def _days(start: date, end: date) -> int:
    """The number of days in the inclusive range start..end."""
    return (end - start).days + 1


def period_bounds(spec: GoalSpec, day: date) -> tuple[date, date]:
    """The period containing `day` (clamped into start_on..due_on), clipped to start_on..due_on."""
    day = max(day, spec.start_on)
    if spec.due_on is not None:
        day = min(day, spec.due_on)
    start, end = _full_bounds(spec, day)
    start = max(start, spec.start_on)
    if spec.due_on is not None:
        end = min(end, spec.due_on)
    return start, end


def _period_target(spec: GoalSpec, start: date, end: date) -> float:
    """The target of the period start..end, pro-rated when it is clipped (never for "none")."""
    if spec.period == "none":
        return spec.target
    full_start, full_end = _full_bounds(spec, start)
    clipped, full = _days(start, end), _days(full_start, full_end)
    if clipped == full:
        return spec.target
    return max(0.01, round(spec.target * clipped / full, 2))


def periods(
    spec: GoalSpec, entries: Sequence[tuple[date, float]], today: date
) -> list[PeriodTotal]:
    """Every period from start_on through the one containing today (or due_on), oldest first."""
    _, last_end = period_bounds(spec, today)
    bounds: list[tuple[date, date]] = []
    day = spec.start_on
    while day <= last_end:
        start, end = period_bounds(spec, day)
        bounds.append((start, end))
        day = end + _DAY
    starts = [start for start, _ in bounds]
    values: list[list[float]] = [[] for _ in bounds]
    for on, value in entries:
        if spec.start_on <= on <= last_end:
            values[bisect_right(starts, on) - 1].append(value)
    result = []
    for (start, end), vals in zip(bounds, values, strict=True):
        target = _period_target(spec, start, end)
        total = round(math.fsum(vals), TOTAL_DECIMALS)
        result.append(PeriodTotal(start, end, target, total, total + EPSILON >= target))
    return result


def progress(spec: GoalSpec, entries: Sequence[tuple[date, float]], today: date) -> Progress:
    """The current period's current, targets, percent, expected, pace, safe days and streak."""
    history = periods(spec, entries, today)
    now = history[-1]
    before_start = today < spec.start_on
    current = 0.0 if before_start else now.total
    period_target = now.target  # the pace of the current period is measured on its own figure
    met = current + EPSILON >= period_target
    period_days = _days(now.start, now.end)
    elapsed = min(max(_days(now.start, today), 0), period_days)
    days_left = max(0, (now.end - today).days)

    percent = max(0.0, min(100.0, round(100 * current / period_target, 1)))
    expected = round(period_target * elapsed / period_days, 2)
    if current < expected - EPSILON:
        pace = "behind"
    elif met or current + EPSILON >= expected + period_target / period_days:
        pace = "ahead"
    else:
        pace = "on_track"

    if met:
        safe_days = days_left
    else:
        on_line = math.floor(current * period_days / period_target + EPSILON)
        safe_days = min(max(0, on_line - elapsed), days_left)

    if spec.period == "none":
        streak = 1 if met else 0
    else:
        completed = [p for p in history if p.end < today]
        streak = 0
        for past in reversed(completed):
            if not past.met:
                break
            streak += 1
        if now.end >= today and met:
            streak += 1
    return Progress(
        current=current,
        target=spec.target,
        period_target=period_target,
        percent=percent,
        expected=expected,
        pace=pace,
        safe_days=safe_days,
        streak=streak,
        period_start=now.start,
        period_end=now.end,
    )
