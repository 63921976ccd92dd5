"""Hypothesis strategies for what charts are drawn from, over exactly the valid space: the bounds
of GoalCreate (target), CheckInCreate (value) and CalendarDate (dates)."""

import sys
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from app.goal.models import UNIT_MAX, GoalKind, GoalPeriod

FIRST, LAST = date(1970, 1, 1), date(2999, 12, 31)  # CalendarDate's bounds
TARGETS = st.one_of(
    st.sampled_from([5e-324, 1e-300, 0.004, 0.005, 0.015, 2.86, 999_999.996, 1_000_000.0]),
    st.floats(min_value=0, max_value=1_000_000, exclude_min=True),  # GoalCreate.target
)
CHECK_INS = st.floats(min_value=0, max_value=100_000, exclude_min=True)  # CheckInCreate.value
# What enough check-ins add up to, up to the largest float: drawing must not care how many.
HUGE = st.one_of(
    st.just(sys.float_info.max), st.floats(min_value=100_000, max_value=sys.float_info.max)
)


def names(most: int) -> st.SearchStrategy[str]:
    """What a `Name` field holds: any characters but NUL (control ones too), stripped, not empty."""
    chars = st.characters(exclude_characters="\x00")
    return st.text(chars, min_size=1, max_size=most).map(str.strip).filter(bool)


def units() -> st.SearchStrategy[str]:
    """What a goal's `unit` holds: the seeker's own word, one line, stripped, not empty."""
    chars = st.characters(exclude_categories=("Cc", "Cs"))
    return st.text(chars, min_size=1, max_size=UNIT_MAX).map(str.strip).filter(bool)


@st.composite
def spans(draw: st.DrawFn) -> tuple[date, date]:
    """start_on and due_on: one day, a few weeks, or anything up to the last valid day."""
    start = draw(st.dates(FIRST, LAST))
    days = draw(st.one_of(st.integers(0, 40), st.integers(0, (LAST - start).days)))
    return start, min(LAST, start + timedelta(days=days))


@st.composite
def goal_fields(draw: st.DrawFn, periods: tuple[GoalPeriod, ...] = tuple(GoalPeriod)) -> Any:
    """A goal's fields as GoalCreate accepts them (a one-off goal always has a due_on)."""
    period, kind = draw(st.sampled_from(periods)), draw(st.sampled_from(GoalKind))
    start, due = draw(spans())
    open_ended = period is not GoalPeriod.NONE and draw(st.booleans())
    return {
        "title": draw(names(200)),
        "kind": kind,
        "target": draw(TARGETS),
        "unit": draw(units()),
        "period": period,
        "start_on": start,
        "due_on": None if open_ended else due,
    }


@st.composite
def days_done(draw: st.DrawFn, start: date, end: date) -> list[tuple[date, float]]:
    """Check-ins dated from start to end, now and then with an enormous total among them."""
    days = st.dates(start, max(start, end))
    done = draw(st.lists(st.tuples(days, CHECK_INS), max_size=6))
    if draw(st.booleans()):
        done.append((draw(days), draw(HUGE)))
    return done
