"""Properties of the pure renderers over everything valid: any target in (0, 1,000,000], totals
from nothing to the largest float, weekly, monthly and one-off goals over one day or a thousand
years, any title and unit, any insights. Each draws a well-formed, self-contained, described SVG
whose figures are rounded as a person writes them."""

import itertools
import math
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.chart import drawing, service
from app.chart.figures import number
from app.goal import progress as tracking
from app.goal.models import Goal, GoalPeriod, PeriodPublic
from app.insight.models import Funnel, FunnelStep, SeekerInsights, WeekCount
from app.rejection.models import Stage
from tests.chart.checks import (
    LABEL,
    NS,
    SHARE,
    axis_labels,
    drawn_figures,
    labels_overlapping,
    raw_figures,
    shown,
    well_formed,
    words,
)
from tests.chart.strategies import FIRST, LAST, days_done, goal_fields

BOUNDED = settings(max_examples=60, deadline=None, derandomize=True)


@st.composite
def goals(draw: st.DrawFn, *periods: GoalPeriod) -> Goal:
    """A goal row as GoalCreate lets one be made."""
    fields = draw(goal_fields(periods))
    now = datetime(2026, 9, 1, tzinfo=UTC)
    ids = {"id": "gol_1", "tenant_id": "ten_1", "seeker_id": "skr_1"}
    kind, period = fields.pop("kind").value, fields.pop("period").value
    return Goal(**ids, **fields, kind=kind, period=period, created_at=now, updated_at=now)


def _today(draw: st.DrawFn, goal: Goal) -> date:
    end = goal.due_on or goal.start_on + timedelta(days=60)
    near = st.dates(max(FIRST, goal.start_on - timedelta(days=3)), min(LAST, end + timedelta(3)))
    return draw(st.one_of(near, st.dates(FIRST, LAST)))


def _user_words(goal: Goal) -> tuple[str, ...]:
    """Where a description quotes the title and the unit (figures in them are the user's)."""
    unit = shown(goal.unit)
    return (f"“{shown(goal.title)}”", f"{drawing.capitalized(unit)} per ", f" {unit} from ")


def _assert_figures_read_well(
    root: ET.Element, desc: str, besides: tuple[str, ...] = (), axis: str = "y"
) -> list[str]:
    assert raw_figures(desc, besides) == []
    assert not root.findall(f".//{NS}g[@class='guides']/{NS}title")  # pygal's raw hover titles
    drawn = drawn_figures(root, axis)
    assert all(LABEL.fullmatch(text) for text in drawn), drawn
    if axis == "y":  # dates along the bottom, however wide the figures beside them
        assert labels_overlapping(root) == []
    return drawn


@BOUNDED
@given(st.data())
def test_periods_svg_draws_any_weekly_or_monthly_goal(data: st.DataObject) -> None:
    goal = data.draw(goals(GoalPeriod.WEEK, GoalPeriod.MONTH))
    today = _today(data.draw, goal)
    spec = tracking.GoalSpec(goal.target, goal.period, goal.start_on, goal.due_on)
    done = data.draw(days_done(goal.start_on, goal.due_on or today))
    periods = [PeriodPublic(**vars(p)) for p in tracking.periods(spec, done, today)]
    root = well_formed(service.periods_svg(goal, periods, today))
    title, desc = words(root)
    per = goal.period
    assert title == shown(f"{goal.title}: {goal.unit} per {per}")
    assert f"target {number(goal.target)} a {per}" in desc
    drawn = _assert_figures_read_well(root, desc, _user_words(goal))
    ticks = axis_labels(root)
    assert len(set(ticks)) == len(ticks), ticks  # no two ticks read the same
    if periods[0].start <= today:  # some bars: the target is drawn too
        assert f"Target {number(goal.target)}" in drawn


@BOUNDED
@given(st.data())
def test_one_off_svg_draws_any_one_off_goal(data: st.DataObject) -> None:
    goal = data.draw(goals(GoalPeriod.NONE))
    assert goal.due_on is not None
    today = _today(data.draw, goal)
    daily: dict[date, float] = {}
    for day, value in data.draw(days_done(goal.start_on, goal.due_on)):
        daily[day] = daily.get(day, 0.0) + value
    root = well_formed(service.one_off_svg(goal, daily, today))
    title, desc = words(root)
    target, unit = number(goal.target), goal.unit
    assert title == shown(f"{goal.title}: progress towards {target} {unit} by {goal.due_on}")
    assert desc.startswith(shown(f"Progress towards {target} {unit} from {goal.start_on} to "))
    current = math.fsum(daily.values())
    reached = current >= goal.target or math.isclose(current, goal.target, rel_tol=1e-9)
    assert ("target reached on" in desc) == reached
    if today >= goal.start_on:
        share = desc.split("(")[-1].split(")")[0]
        assert number(current) in desc
        assert (share == "100%") == reached and (share == "0%") == (current == 0)
    drawn = _assert_figures_read_well(root, desc, _user_words(goal))
    assert f"Target {target}" in drawn


WEEK_COUNTS = st.one_of(st.just(0), st.integers(0, 60), st.integers(0, 2**63 - 1))


@st.composite
def insights(draw: st.DrawFn) -> SeekerInsights:
    """Insights over 1 to 730 days (the route's bounds) with any counts SQL can return."""
    days = draw(st.integers(1, 730))
    until = draw(st.dates(FIRST + timedelta(days=730), LAST))
    since = until - timedelta(days=days - 1)
    monday = since - timedelta(days=since.weekday())
    weeks = [monday + timedelta(weeks=i) for i in range((until - monday).days // 7 + 1)]
    counts = draw(st.lists(WEEK_COUNTS, min_size=len(weeks), max_size=len(weeks)))
    reached = sorted(draw(st.lists(WEEK_COUNTS, min_size=5, max_size=5)), reverse=True)
    names = ["applications", "screens", "interviews", "final_rounds", "offers"]
    steps, previous = [], 0
    for name, n in zip(names, reached, strict=True):
        conversion = round(n / previous, 4) if previous else None  # as the insight service does
        steps.append(FunnelStep(step=name, reached=n, conversion=conversion))
        previous = n
    return SeekerInsights(
        seeker_id="skr_1",
        days=days,
        since=since,
        until=until,
        timezone="UTC",
        rejections=sum(counts),
        by_stage={},
        by_reason={},
        by_week=[WeekCount(week_start=w, rejections=n) for w, n in zip(weeks, counts, strict=True)],
        funnel=Funnel(steps=steps, most_rejections_at=draw(st.none() | st.sampled_from(Stage))),
        missing_skills=[],
        repeat_companies=[],
        days_since_last_application=None,
        next_steps=[],
        goals=[],
    )


@BOUNDED
@given(insights())
def test_insights_charts_draw_any_insights(found: SeekerInsights) -> None:
    weekly = well_formed(service.rejections_by_week_svg(found))
    title, desc = words(weekly)
    assert title == f"Rejections per week, {found.since} to {found.until}"
    total = sum(w.rejections for w in found.by_week)
    assert (f"{number(total)} in all" if total else f"none in these {found.days} days") in desc
    _assert_figures_read_well(weekly, desc)
    funnel = well_formed(service.funnel_svg(found))
    title, desc = words(funnel)
    steps = found.funnel.steps
    pairs = [(a.reached, b.reached) for b, a in itertools.pairwise(steps) if b.reached]
    shares = re.findall(r"\(([^()]*) of the step before\)", desc)
    assert len(shares) == (len(pairs) if steps[0].reached else 0)
    for share, (reached, before) in zip(shares, pairs, strict=False):
        assert re.fullmatch(SHARE, share), share
        assert (share == "100%") == (reached == before) and (share == "0%") == (reached == 0)
    names = axis_labels(funnel, "y")  # the steps, drawn sideways
    assert all(re.fullmatch(rf"[A-Z][a-z ]+(?: \({SHARE}\))?", n) for n in names), names
    _assert_figures_read_well(funnel, desc, axis="x")  # drawn sideways
