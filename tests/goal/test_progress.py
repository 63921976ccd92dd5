"""Goal progress arithmetic at period, timezone and DST edges, plus hypothesis properties."""

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.goal.progress import GoalSpec, local_day, period_bounds, periods, progress

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


def weekly(target: float, start: str = "2024-06-03", due: str | None = None) -> GoalSpec:
    return GoalSpec(target, "week", d(start), d(due) if due else None)


# --- local days: a check-in at 23:30 local on a Sunday counts for that week ------------------


def test_new_york_sunday_2330_is_monday_in_utc_but_sunday_locally() -> None:
    at = utc("2024-06-10T03:30")  # Monday in UTC, 23:30 EDT on Sunday 9 June
    assert local_day(at, NEW_YORK) == d("2024-06-09")
    assert local_day(at, "UTC") == d("2024-06-10")
    spec = weekly(3)
    totals = periods(spec, [(local_day(at, NEW_YORK), 1.0)], d("2024-06-10"))
    assert [(p.start, p.end, p.total) for p in totals] == [
        (d("2024-06-03"), d("2024-06-09"), 1.0),
        (d("2024-06-10"), d("2024-06-16"), 0.0),
    ]


def test_berlin_sunday_2330_counts_for_that_week_and_0030_for_the_next() -> None:
    assert local_day(utc("2024-06-09T21:30"), BERLIN) == d("2024-06-09")  # 23:30 CEST Sunday
    assert local_day(utc("2024-06-09T22:30"), BERLIN) == d("2024-06-10")  # 00:30 CEST Monday
    at = datetime(2024, 6, 9, 23, 30, tzinfo=ZoneInfo(BERLIN))
    assert local_day(at, BERLIN) == d("2024-06-09")
    assert local_day(at, NEW_YORK) == d("2024-06-09")  # 17:30 EDT
    assert local_day(at, "Asia/Tokyo") == d("2024-06-10")  # 06:30 JST


def test_local_day_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_day(datetime(2024, 6, 9, 23, 30), BERLIN)


# --- DST: weeks stay 7 days, local days follow the offset change --------------------------


@pytest.mark.parametrize(
    ("tz", "sunday"),
    [
        (BERLIN, "2024-03-31"),  # spring forward
        (BERLIN, "2024-10-27"),  # fall back
        (NEW_YORK, "2024-03-10"),
        (NEW_YORK, "2024-11-03"),
    ],
)
def test_a_week_containing_a_dst_change_is_seven_days(tz: str, sunday: str) -> None:
    end = d(sunday)
    start = end - timedelta(days=6)
    spec = weekly(7, start="2024-01-01")
    assert period_bounds(spec, end) == (start, end)
    assert period_bounds(spec, start + timedelta(days=3)) == (start, end)
    # 23:30 local on the DST Sunday, expressed in UTC, is still that Sunday
    late = datetime.combine(end, datetime.min.time(), ZoneInfo(tz)).replace(hour=23, minute=30)
    assert local_day(late.astimezone(UTC), tz) == end
    result = progress(spec, [(end, 7.0)], end)
    assert (result.period_start, result.period_end) == (start, end)
    assert result.expected == 7.0
    assert result.target == 7.0


def test_local_day_across_the_berlin_changes() -> None:
    # spring forward, 31 March 2024: +01:00 before 01:00 UTC, +02:00 after
    assert local_day(utc("2024-03-30T22:30"), BERLIN) == d("2024-03-30")  # 23:30 CET Saturday
    assert local_day(utc("2024-03-30T23:30"), BERLIN) == d("2024-03-31")  # 00:30 CET Sunday
    assert local_day(utc("2024-03-31T21:30"), BERLIN) == d("2024-03-31")  # 23:30 CEST Sunday
    assert local_day(utc("2024-03-31T22:30"), BERLIN) == d("2024-04-01")  # 00:30 CEST Monday
    # fall back, 27 October 2024: +02:00 before 01:00 UTC, +01:00 after
    assert local_day(utc("2024-10-26T21:30"), BERLIN) == d("2024-10-26")  # 23:30 CEST Saturday
    assert local_day(utc("2024-10-27T22:30"), BERLIN) == d("2024-10-27")  # 23:30 CET Sunday
    assert local_day(utc("2024-10-27T23:30"), BERLIN) == d("2024-10-28")  # 00:30 CET Monday


def test_local_day_across_the_new_york_changes() -> None:
    assert local_day(utc("2024-03-11T03:30"), NEW_YORK) == d("2024-03-10")  # 23:30 EDT Sunday
    assert local_day(utc("2024-03-11T04:30"), NEW_YORK) == d("2024-03-11")  # 00:30 EDT Monday
    assert local_day(utc("2024-11-04T04:30"), NEW_YORK) == d("2024-11-03")  # 23:30 EST Sunday
    assert local_day(utc("2024-11-04T05:30"), NEW_YORK) == d("2024-11-04")  # 00:30 EST Monday


# --- a goal started mid-week ----------------------------------------------------------------


def test_a_goal_started_mid_week_has_a_short_pro_rated_first_week() -> None:
    spec = weekly(5, start="2024-06-05")  # a Wednesday: 5 of 7 days
    totals = periods(spec, [(d("2024-06-04"), 9.0), (d("2024-06-05"), 1.0)], d("2024-06-12"))
    assert [(p.start, p.end, p.target, p.total) for p in totals] == [
        (d("2024-06-05"), d("2024-06-09"), 3.57, 1.0),  # round(5 * 5 / 7, 2); the 4th is ignored
        (d("2024-06-10"), d("2024-06-16"), 5.0, 0.0),
    ]


@pytest.mark.parametrize(
    ("current", "pace", "safe_days"),
    [
        (1.0, "behind", 0),  # expected round(3.57 * 2 / 5, 2) = 1.43
        (2.0, "on_track", 0),  # tomorrow's line is 2.142
        (3.0, "ahead", 2),  # >= 1.43 + 3.57 / 5; the line passes 3 on day 5
        (3.57, "ahead", 3),  # met: every day left after today
    ],
)
def test_expected_and_safe_days_in_a_short_first_week(
    current: float, pace: str, safe_days: int
) -> None:
    spec = weekly(5, start="2024-06-05")
    result = progress(spec, [(d("2024-06-05"), current)], d("2024-06-06"))
    assert (result.period_start, result.period_end) == (d("2024-06-05"), d("2024-06-09"))
    assert (result.target, result.period_target) == (5.0, 3.57)  # the goal's, the week's
    assert result.expected == 1.43
    assert (result.pace, result.safe_days) == (pace, safe_days)


def test_a_weekly_goal_of_five_started_on_a_thursday() -> None:
    spec = weekly(5, start="2024-06-06")  # a Thursday: 4 of 7 days
    thursday = progress(spec, [], d("2024-06-06"))
    assert (thursday.period_start, thursday.period_end) == (d("2024-06-06"), d("2024-06-09"))
    assert (thursday.target, thursday.period_target) == (5.0, 2.86)  # round(5 * 4 / 7, 2)
    assert (thursday.expected, thursday.pace, thursday.percent) == (0.71, "behind", 0.0)
    entries = [(d("2024-06-06"), 2.0), (d("2024-06-08"), 1.0)]
    saturday = progress(spec, entries, d("2024-06-08"))
    assert (saturday.target, saturday.period_target) == (5.0, 2.86)
    assert (saturday.percent, saturday.pace, saturday.safe_days) == (100.0, "ahead", 1)
    assert saturday.streak == 1  # the short week is met at its own figure
    monday = progress(spec, entries, d("2024-06-10"))  # the first full week
    assert (monday.target, monday.period_target) == (5.0, 5.0)
    assert (monday.expected, monday.streak) == (0.71, 1)


def test_the_period_target_equals_the_target_when_nothing_is_cut() -> None:
    for spec in (weekly(5), GoalSpec(31, "month", d("2024-01-01")), weekly(3, due="2024-06-09")):
        result = progress(spec, [], d("2024-06-05"))
        assert result.period_target == result.target == spec.target


def test_a_last_week_cut_short_by_due_on_has_its_own_period_target() -> None:
    spec = weekly(7, due="2024-06-12")  # the second week ends on its Wednesday
    result = progress(spec, [(d("2024-06-10"), 1.0)], d("2024-06-11"))
    assert (result.target, result.period_target, result.expected) == (7.0, 3.0, 2.0)
    assert (result.percent, result.pace) == (33.3, "behind")


def test_sums_of_fractional_check_ins_read_as_typed() -> None:
    entries = [(d("2024-06-03"), 0.1), (d("2024-06-04"), 0.2)]
    assert progress(weekly(1), entries, d("2024-06-04")).current == 0.3  # not 0.30000000000000004
    assert periods(weekly(1), [(d("2024-06-03"), 0.1)] * 3, d("2024-06-04"))[0].total == 0.3


def test_clipped_at_both_ends_and_never_below_a_cent() -> None:
    spec = weekly(5, start="2024-06-05", due="2024-06-06")
    assert period_bounds(spec, d("2024-06-03")) == (d("2024-06-05"), d("2024-06-06"))
    assert periods(spec, [], d("2024-06-20"))[0].target == 1.43  # round(5 * 2 / 7, 2)
    tiny = GoalSpec(0.01, "week", d("2024-06-09"))  # a Sunday: 1 of 7 days
    assert periods(tiny, [], d("2024-06-09"))[0].target == 0.01


# --- months ---------------------------------------------------------------------------------


def test_a_month_goal_in_february() -> None:
    spec = GoalSpec(28, "month", d("2023-02-01"))
    assert period_bounds(spec, d("2023-02-14")) == (d("2023-02-01"), d("2023-02-28"))
    on_line = progress(spec, [(d("2023-02-03"), 14.0)], d("2023-02-14"))
    assert (on_line.expected, on_line.pace, on_line.safe_days) == (14.0, "on_track", 0)
    ahead = progress(spec, [(d("2023-02-03"), 15.0)], d("2023-02-14"))
    assert (ahead.pace, ahead.safe_days, ahead.percent) == ("ahead", 1, 53.6)
    leap = GoalSpec(29, "month", d("2024-02-01"))
    assert period_bounds(leap, d("2024-02-29")) == (d("2024-02-01"), d("2024-02-29"))
    assert progress(leap, [], d("2024-02-10")).expected == 10.0


def test_a_31_day_month_and_its_edges() -> None:
    spec = GoalSpec(31, "month", d("2024-01-16"))
    entries = [(d("2024-01-31"), 16.0), (d("2024-02-01"), 1.0), (d("2024-03-31"), 31.0)]
    totals = periods(spec, entries, d("2024-03-31"))
    assert [(p.start, p.end, p.target, p.total, p.met) for p in totals] == [
        (d("2024-01-16"), d("2024-01-31"), 16.0, 16.0, True),  # 31 * 16 / 31
        (d("2024-02-01"), d("2024-02-29"), 31.0, 1.0, False),
        (d("2024-03-01"), d("2024-03-31"), 31.0, 31.0, True),
    ]
    result = progress(spec, entries, d("2024-03-31"))
    assert (result.expected, result.safe_days, result.streak) == (31.0, 0, 1)
    mid = progress(spec, [(d("2024-03-01"), 10.0)], d("2024-03-10"))
    assert (mid.expected, mid.pace, mid.safe_days) == (10.0, "on_track", 0)


def test_a_month_goal_due_mid_month_pro_rates_its_last_month() -> None:
    spec = GoalSpec(31, "month", d("2024-02-01"), d("2024-03-10"))
    totals = periods(spec, [], d("2024-04-15"))
    assert [(p.start, p.end, p.target) for p in totals] == [
        (d("2024-02-01"), d("2024-02-29"), 31.0),
        (d("2024-03-01"), d("2024-03-10"), 10.0),
    ]


# --- one-off goals ("none") -----------------------------------------------------------------


def test_a_one_off_goal_follows_the_line_from_start_to_due() -> None:
    spec = GoalSpec(10, "none", d("2024-01-01"), d("2024-01-10"))
    on_line = progress(spec, [(d("2024-01-02"), 4.0)], d("2024-01-04"))
    assert (on_line.period_start, on_line.period_end) == (d("2024-01-01"), d("2024-01-10"))
    assert (on_line.expected, on_line.pace, on_line.safe_days) == (4.0, "on_track", 0)
    ahead = progress(spec, [(d("2024-01-02"), 6.0)], d("2024-01-04"))
    assert (ahead.pace, ahead.safe_days, ahead.streak) == ("ahead", 2, 0)


def test_a_one_off_goal_after_its_due_date() -> None:
    spec = GoalSpec(10, "none", d("2024-01-01"), d("2024-01-10"))
    entries = [(d("2023-12-31"), 5.0), (d("2024-01-05"), 8.0), (d("2024-01-11"), 5.0)]
    missed = progress(spec, entries, d("2024-01-20"))
    assert (missed.current, missed.expected, missed.percent) == (8.0, 10.0, 80.0)
    assert (missed.pace, missed.safe_days, missed.streak) == ("behind", 0, 0)
    assert missed.period_end == d("2024-01-10")
    done = progress(spec, [*entries, (d("2024-01-10"), 2.0)], d("2024-01-20"))
    assert (done.percent, done.pace, done.safe_days, done.streak) == (100.0, "ahead", 0, 1)
    assert len(periods(spec, entries, d("2024-01-20"))) == 1


def test_a_one_off_goal_is_never_pro_rated() -> None:
    spec = GoalSpec(10, "none", d("2024-01-03"), d("2024-01-04"))
    assert periods(spec, [], d("2024-01-03"))[0].target == 10.0


def test_before_start_on_the_first_period_shows_nothing_done() -> None:
    spec = weekly(7, start="2024-06-05")
    result = progress(spec, [(d("2024-06-05"), 3.0)], d("2024-06-01"))
    assert (result.period_start, result.period_end) == (d("2024-06-05"), d("2024-06-09"))
    assert (result.current, result.expected, result.percent) == (0.0, 0.0, 0.0)
    assert (result.pace, result.safe_days, result.streak) == ("on_track", 0, 0)


# --- pace and safe days ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "pace", "safe_days", "percent"),
    [
        (0.0, "behind", 0, 0.0),
        (2.0, "behind", 0, 28.6),
        (3.0 - 1e-12, "on_track", 0, 42.9),  # within the tolerance of the line
        (3.0, "on_track", 0, 42.9),  # exactly on the line: falls behind tomorrow
        (3.5, "on_track", 0, 50.0),
        (4.0, "ahead", 1, 57.1),  # a full day ahead
        (6.0, "ahead", 3, 85.7),
        (7.0, "ahead", 4, 100.0),  # met: every day left after today
        (12.0, "ahead", 4, 100.0),
    ],
)
def test_pace_and_safe_days_on_a_wednesday(
    current: float, pace: str, safe_days: int, percent: float
) -> None:
    result = progress(weekly(7), [(d("2024-06-03"), current)], d("2024-06-05"))
    assert result.expected == 3.0
    assert (result.pace, result.safe_days, result.percent) == (pace, safe_days, percent)


def test_safe_days_on_the_line_with_a_fractional_rate() -> None:
    result = progress(weekly(5), [(d("2024-06-03"), 2.0)], d("2024-06-04"))
    assert (result.expected, result.pace) == (1.43, "on_track")  # round(5 * 2 / 7, 2)
    assert result.safe_days == 0  # floor(2 * 7 / 5) - 2; day 3's line is 2.14
    result = progress(weekly(5), [(d("2024-06-03"), 2.15)], d("2024-06-04"))
    assert (result.pace, result.safe_days) == ("ahead", 1)


def test_floating_point_check_ins_still_meet_the_target() -> None:
    entries = [(d("2024-06-03"), 0.1)] * 7
    result = progress(weekly(0.7), entries, d("2024-06-04"))
    assert (result.percent, result.pace, result.streak) == (100.0, "ahead", 1)


# --- streaks --------------------------------------------------------------------------------

WEEKS = ["2024-06-03", "2024-06-10", "2024-06-17", "2024-06-24", "2024-07-01"]


def week_entries(*values: float) -> list[tuple[date, float]]:
    return [(d(monday), value) for monday, value in zip(WEEKS, values, strict=False)]


def test_a_missed_week_in_the_middle_breaks_the_streak() -> None:
    entries = week_entries(2, 1, 3, 2)
    assert [p.met for p in periods(weekly(2), entries, d("2024-07-03"))] == [
        True,
        False,
        True,
        True,
        False,
    ]
    assert progress(weekly(2), entries, d("2024-07-03")).streak == 2
    assert progress(weekly(2), week_entries(2, 2, 3, 0), d("2024-07-03")).streak == 0


def test_the_current_period_counts_once_met() -> None:
    assert progress(weekly(2), week_entries(2, 1, 3, 2, 1), d("2024-07-03")).streak == 2
    assert progress(weekly(2), week_entries(2, 1, 3, 2, 2), d("2024-07-03")).streak == 3
    assert progress(weekly(2), week_entries(2, 1, 3, 2, 5), d("2024-07-07")).streak == 3
    assert progress(weekly(2), week_entries(2, 1, 3, 0, 2), d("2024-07-03")).streak == 1
    # on Monday of the second week, with the first met and the second met already
    assert progress(weekly(2), week_entries(2, 2), d("2024-06-10")).streak == 2


def test_after_due_on_the_last_period_is_counted_once() -> None:
    spec = weekly(2, due="2024-06-19")  # the last week is Monday-Wednesday: round(2 * 3 / 7, 2)
    entries = week_entries(2, 2, 1)
    totals = periods(spec, entries, d("2024-07-15"))
    assert [(p.end, p.target, p.met) for p in totals] == [
        (d("2024-06-09"), 2.0, True),
        (d("2024-06-16"), 2.0, True),
        (d("2024-06-19"), 0.86, True),
    ]
    result = progress(spec, entries, d("2024-07-15"))
    assert (result.streak, result.safe_days, result.period_end) == (3, 0, d("2024-06-19"))


# --- validation -----------------------------------------------------------------------------


class Period(StrEnum):
    WEEK = "week"
    NONE = "none"


def test_a_str_enum_period_is_accepted() -> None:
    spec = GoalSpec(7, Period.WEEK, d("2024-06-03"))
    assert period_bounds(spec, d("2024-06-05")) == (d("2024-06-03"), d("2024-06-09"))


@pytest.mark.parametrize(
    ("target", "period", "due", "message"),
    [
        (0, "week", None, "target"),
        (-1, "week", None, "target"),
        (float("nan"), "week", None, "target"),
        (1, "day", None, "period"),
        (1, "none", None, "due_on"),
        (1, "month", "2024-06-02", "due_on"),
    ],
)
def test_invalid_specs_are_refused(
    target: float, period: str, due: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        GoalSpec(target, period, d("2024-06-03"), d(due) if due else None)


# --- properties -----------------------------------------------------------------------------

BASE = date(2024, 1, 1)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[GoalSpec, list[tuple[date, float]], date]:
    period = draw(st.sampled_from(["week", "month", "none"]))
    start = BASE + timedelta(days=draw(st.integers(0, 800)))
    length = draw(st.integers(0, 150))
    due = start + timedelta(days=length) if period == "none" or draw(st.booleans()) else None
    target = draw(st.one_of(st.integers(1, 30).map(float), st.floats(0.01, 50.0).map(round2)))
    spec = GoalSpec(target, period, start, due)
    today = start + timedelta(days=draw(st.integers(-10, 200)))
    offsets = st.integers(-20, 220).map(lambda n: start + timedelta(days=n))
    values = st.one_of(st.integers(0, 5).map(float), st.floats(0, 10).map(round2))
    entries = draw(st.lists(st.tuples(offsets, values), max_size=40))
    return spec, entries, today


def round2(value: float) -> float:
    return round(value, 2)


@settings(max_examples=200)
@given(scenarios())
def test_progress_stays_in_bounds(
    scenario: tuple[GoalSpec, list[tuple[date, float]], date],
) -> None:
    spec, entries, today = scenario
    result = progress(spec, entries, today)
    days_left = max(0, (result.period_end - today).days)
    assert 0 <= result.percent <= 100
    assert 0 <= result.safe_days <= days_left
    assert result.target == spec.target
    assert 0 <= result.expected <= result.period_target + 1e-9
    assert result.streak <= len(periods(spec, entries, today))
    assert (result.pace == "behind") == (result.current < result.expected - 1e-9)
    assert 0 < result.period_target <= result.target
    assert result.period_target == periods(spec, entries, today)[-1].target
    if spec.period == "none":
        assert result.period_target == result.target


@settings(max_examples=200)
@given(scenarios())
def test_periods_tile_the_goal(scenario: tuple[GoalSpec, list[tuple[date, float]], date]) -> None:
    spec, entries, today = scenario
    totals = periods(spec, entries, today)
    result = progress(spec, entries, today)
    assert totals[0].start == spec.start_on
    assert totals[-1].end == result.period_end
    for before, after in pairwise(totals):
        assert after.start == before.end + timedelta(days=1)
    for p in totals:
        assert p.start <= p.end
        assert p.met == (p.total + 1e-9 >= p.target)
        if spec.period == "week":
            assert p.start.isocalendar()[:2] == p.end.isocalendar()[:2]
        if spec.period == "month":
            assert (p.start.year, p.start.month) == (p.end.year, p.end.month)
    in_range = [v for on, v in entries if spec.start_on <= on <= totals[-1].end]
    assert sum(p.total for p in totals) == pytest.approx(sum(in_range), abs=1e-6)
    if spec.start_on <= today and (spec.due_on is None or today <= spec.due_on):
        assert totals[-1].start <= today <= totals[-1].end
