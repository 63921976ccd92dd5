"""The pure renderers on hand-built models: what they say, what they draw, how small it stays."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest

from app.chart import drawing, service
from app.goal.models import Goal, PeriodPublic
from app.insight.models import Funnel, FunnelStep, SeekerInsights, WeekCount
from app.rejection.models import Stage

NS = "{http://www.w3.org/2000/svg}"
SINCE, UNTIL = date(2026, 9, 1), date(2026, 11, 28)
STEPS = ["applications", "screens", "interviews", "final_rounds", "offers"]


def _insights(counts: list[int], reached: list[int], worst: Stage | None = None) -> SeekerInsights:
    monday = SINCE - timedelta(days=SINCE.weekday())
    weeks = [
        WeekCount(week_start=monday + timedelta(weeks=i), rejections=n)
        for i, n in enumerate(counts)
    ]
    steps, previous = [], None
    for name, n in zip(STEPS, reached, strict=True):
        steps.append(
            FunnelStep(
                step=name, reached=n, conversion=round(n / previous, 4) if previous else None
            )
        )
        previous = n
    return SeekerInsights(
        seeker_id="skr_1",
        days=(UNTIL - SINCE).days + 1,
        since=SINCE,
        until=UNTIL,
        timezone="UTC",
        rejections=sum(counts),
        by_stage={},
        by_reason={},
        by_week=weeks,
        funnel=Funnel(steps=steps, most_rejections_at=worst),
        missing_skills=[],
        repeat_companies=[],
        days_since_last_application=None,
        next_steps=[],
        goals=[],
    )


def _parse(svg: bytes) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert root[0].tag == f"{NS}title" and root[1].tag == f"{NS}desc"
    assert b"<script" not in svg and b"<!--" not in svg
    assert not re.search(rb"https?://", re.sub(rb'xmlns(:\w+)?="[^"]*"', b"", svg))
    return root


def _desc(svg: bytes) -> str | None:
    return _parse(svg)[1].text


def _texts(svg: bytes) -> list[str]:
    return [t.text or "" for t in _parse(svg).iter(f"{NS}text")]


def _values(svg: bytes) -> list[str]:
    """The values printed on the bars."""
    texts = _parse(svg).iter(f"{NS}text")
    return [t.text for t in texts if t.get("class") == "value" and t.text]


WEEKS = [0, 1, 2, 0, 4, 1, 0, 2, 1, 0, 1, 0, 0]


def test_rejections_by_week_svg_names_the_busiest_week() -> None:
    svg = service.rejections_by_week_svg(_insights(WEEKS, [0] * 5))
    assert _desc(svg) == (
        "Rejections per week from 2026-09-01 to 2026-11-28: 12 in all, most (4) in the week of "
        "2026-09-28."
    )
    labels = [t for t in _texts(svg) if re.fullmatch(r"[A-Z][a-z]{2} \d+", t)]
    assert labels == ["Aug 31", "Sep 21", "Oct 12", "Nov 2", "Nov 23"]  # every third of 13


def test_rejections_by_week_svg_counts_weeks_that_tie() -> None:
    svg = service.rejections_by_week_svg(_insights([0, 2, 0, 2, 2, 1], [0] * 5))
    assert _desc(svg) == (
        "Rejections per week from 2026-09-01 to 2026-11-28: 7 in all, most (2) in 3 weeks, first "
        "in the week of 2026-09-07."
    )


def test_rejections_by_week_svg_of_no_rejections_says_so() -> None:
    svg = service.rejections_by_week_svg(_insights([0] * 13, [0] * 5))
    assert _desc(svg) == "Rejections per week from 2026-09-01 to 2026-11-28: none in these 89 days."
    assert "No rejections in these 89 days" in _texts(svg)


def test_funnel_svg_says_each_step_and_where_most_rejections_came() -> None:
    svg = service.funnel_svg(_insights(WEEKS, [20, 8, 4, 1, 0], Stage.FINAL_ROUND))
    assert _desc(svg) == (
        "Attempts from 2026-09-01 to 2026-11-28 by the furthest step reached: applications 20, "
        "screens 8 (40% of the step before), interviews 4 (50% of the step before), final rounds "
        "1 (25% of the step before), offers 0 (0% of the step before). Most rejections came at "
        "the final round stage."
    )
    texts = _texts(svg)
    drawn = ["Offers (0%)", "Final rounds (25%)", "Interviews (50%)", "Screens (40%)"]
    assert [t for t in texts if t in [*drawn, "Applications"]] == [*drawn, "Applications"]
    assert _values(svg) == ["0", "1", "4", "8", "20"]  # written on the bars, bottom up


def _goal(**fields: object) -> Goal:
    now = datetime(2026, 9, 1, tzinfo=UTC)
    defaults: dict[str, object] = {"id": "gol_1", "tenant_id": "ten_1", "seeker_id": "skr_1"}
    defaults |= {"title": "Apply to five roles", "kind": "applications", "target": 5}
    defaults |= {"unit": "applications", "period": "week", "start_on": date(2026, 6, 1)}
    defaults |= {"created_at": now, "updated_at": now}
    return Goal(**(defaults | fields))


def _weeks(totals: list[float], first: date = date(2026, 6, 1)) -> list[PeriodPublic]:
    return [
        PeriodPublic(
            start=first + timedelta(weeks=i),
            end=first + timedelta(weeks=i, days=6),
            target=5,
            total=t,
            met=t >= 5,
        )
        for i, t in enumerate(totals)
    ]


def test_periods_svg_shows_the_last_26_weeks_of_a_long_goal() -> None:
    periods = _weeks([5, 2] * 20)  # 40 weeks, the last one current
    today = periods[-1].start + timedelta(days=2)
    svg = service.periods_svg(_goal(), periods, today)
    assert _desc(svg) == (
        "Applications per week for the goal “Apply to five roles”, target 5 a week, 40 weeks "
        "from 2026-06-01 to 2027-03-07: target met in 20 of 39 finished weeks; this week so far "
        "2 of 5; the chart shows the last 26."
    )
    texts = _texts(svg)
    assert {"Met", "Missed", "In progress", "Target 5"} <= set(texts)
    assert 2 <= len([t for t in texts if re.fullmatch(r"[A-Z][a-z]{2} \d+ \d{4}", t)]) <= 4
    assert _values(svg) == []  # 26 bars are too many to write their values on


def test_periods_svg_of_a_finished_goal_has_no_current_period() -> None:
    periods = _weeks([6, 1.5])
    svg = service.periods_svg(_goal(due_on=date(2026, 6, 14)), periods, date(2026, 7, 1))
    assert _desc(svg) == (
        "Applications per week for the goal “Apply to five roles”, target 5 a week, 2 weeks from "
        "2026-06-01 to 2026-06-14: target met in 1 of 2 finished weeks."
    )
    assert {"Met", "Missed"} <= set(_texts(svg))
    assert _values(svg) == ["6", "1.5"]
    assert "In progress" not in _texts(svg)


def test_one_off_svg_of_an_ended_goal_says_how_it_ended() -> None:
    goal = _goal(period="none", target=10, due_on=date(2026, 6, 30))
    daily = {date(2026, 6, 5): 4.0, date(2026, 6, 20): 2.5}
    svg = service.one_off_svg(goal, daily, date(2026, 8, 1))
    assert _desc(svg) == (
        "Progress towards 10 applications from 2026-06-01 to 2026-06-30: ended with 6.5 (65%)."
    )
    assert {"Done", "Even pace", "Target 10"} <= set(_texts(svg))


def test_one_off_svg_of_a_long_goal_draws_a_bounded_number_of_points() -> None:
    goal = _goal(period="none", target=100, due_on=date(2030, 6, 1))  # four years
    svg = service.one_off_svg(goal, {date(2026, 7, 1): 3.0}, date(2026, 9, 1))
    paths = re.findall(rb'<path d="M([^"]+)" class="line reactive nofill', svg)
    assert len(paths) == 2
    assert all(len(p.split(b" ")) <= 2 * (service.MAX_POINTS + 2) for p in paths)
    assert len(svg) < 60_000


def test_render_is_deterministic_and_ids_differ_by_content() -> None:
    one = service.rejections_by_week_svg(_insights(WEEKS, [0] * 5))
    assert one == service.rejections_by_week_svg(_insights(WEEKS, [0] * 5))
    other = service.rejections_by_week_svg(_insights([1, *WEEKS[1:]], [0] * 5))
    assert _parse(one).attrib["id"] != _parse(other).attrib["id"]


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (4, [0, 1, 2, 3, 4]),
        (7, [0, 2, 4, 6, 8]),
        (24, [0, 5, 10, 15, 20, 25]),
    ],
)
def test_value_ticks_are_round_numbers_from_zero(top: float, ticks: list[float]) -> None:
    assert drawing.value_ticks(top) == ticks
