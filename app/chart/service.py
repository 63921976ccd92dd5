"""Charts as SVG: a goal's progress, and what a seeker's insights say, drawn by pygal.

The `*_svg` functions are pure (models in, SVG bytes out); `goal_chart` and `insights_chart` read
the data through the goal and insight services and pick one.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

import pygal
from sqlmodel import Session

from app.chart import drawing
from app.chart.drawing import BLUE, GREEN, GREY, SKY, VERMILION, day_label, render
from app.chart.figures import number, percent
from app.chart.models import InsightMetric
from app.goal import service as goal_service
from app.goal.models import Goal, GoalPeriod, PeriodPublic
from app.insight import service as insight_service
from app.insight.models import SeekerInsights
from app.seeker.models import Seeker

MAX_BARS = 26  # a goal's last 26 periods: half a year of weeks, two years of months
MAX_POINTS = 400  # a one-off goal longer than this is drawn every few days
PRINTED_VALUES = 14  # values are written on the bars up to this many bars
STEP_NAMES = {"final_rounds": "final rounds"}


def rejections_by_week_svg(insights: SeekerInsights) -> bytes:
    """A bar chart of rejections per week over the insights' window."""
    weeks = insights.by_week
    counts = [w.rejections for w in weeks]
    total = sum(counts)
    window = f"from {insights.since} to {insights.until}"
    title = f"Rejections per week, {insights.since} to {insights.until}"
    if total == 0:
        desc = f"Rejections per week {window}: none in these {insights.days} days."
    else:
        most = max(counts)
        peaks = [w.week_start for w in weeks if w.rejections == most]
        when = (
            f"in the week of {peaks[0]}"
            if len(peaks) == 1
            else f"in {len(peaks)} weeks, first in the week of {peaks[0]}"
        )
        desc = (
            f"Rejections per week {window}: {number(total)} in all, most ({number(most)}) {when}."
        )
    multi_year = insights.since.year != insights.until.year
    labels = [day_label(w.week_start, with_year=multi_year) for w in weeks]
    ticks = drawing.value_ticks(max(counts, default=0))
    chart = pygal.Bar(
        **drawing.config(
            VERMILION,
            title="Rejections per week",
            x_labels=labels,
            x_labels_major=drawing.x_labels_major(
                labels, [number(t) for t in ticks], 4 if multi_year else drawing.MAX_X_LABELS
            ),
            y_labels=ticks,
            show_legend=False,
            print_values=len(weeks) <= PRINTED_VALUES,
            value_formatter=number,
            no_data_text=f"No rejections in these {insights.days} days",
        )
    )
    if total:
        chart.add("Rejections", counts)
    return render(chart, title=title, desc=desc)


def _step_name(step: str) -> str:
    return STEP_NAMES.get(step, step.replace("_", " "))


def funnel_svg(insights: SeekerInsights) -> bytes:
    """Horizontal bars: how many attempts reached each step, with the share of the step before."""
    steps = insights.funnel.steps
    window = f"from {insights.since} to {insights.until}"
    title = f"From application to offer, {insights.since} to {insights.until}"
    # The share of the step before, from the counts (as `conversion` is defined): the stored
    # conversion is rounded to 4 places, and 1 in 100,000 is more than 0%.
    shares = [
        percent(s.reached, steps[i - 1].reached) if i and steps[i - 1].reached else None
        for i, s in enumerate(steps)
    ]
    parts = [
        f"{_step_name(s.step)} {number(s.reached)}"
        + ("" if share is None else f" ({share} of the step before)")
        for s, share in zip(steps, shares, strict=True)
    ]
    started = bool(steps) and steps[0].reached > 0
    if started:
        desc = f"Attempts {window} by the furthest step reached: {', '.join(parts)}."
    else:
        desc = f"No applications {window}, so no funnel yet."
    worst = insights.funnel.most_rejections_at
    if worst is not None:
        desc += f" Most rejections came at the {worst.value.replace('_', ' ')} stage."
    labels = [
        _step_name(s.step).capitalize() + ("" if share is None else f" ({share})")
        for s, share in zip(steps, shares, strict=True)
    ]
    chart = pygal.HorizontalBar(
        **drawing.config(
            SKY,  # light enough for the black values printed on the bars
            title="From application to offer",
            x_labels=labels[::-1],  # pygal draws the first at the bottom
            y_labels=drawing.value_ticks(max((s.reached for s in steps), default=0), most=4),
            show_legend=False,
            print_values=True,
            print_zeroes=True,
            value_formatter=number,
            show_minor_x_labels=True,
            no_data_text=f"No applications in these {insights.days} days",
        )
    )
    if started:
        chart.add("Attempts", [s.reached for s in steps][::-1])
    return render(chart, title=title, desc=desc)


def _plural(count: int, noun: str) -> str:
    return f"{number(count)} {noun}" + ("" if count == 1 else "s")  # 1,045 weeks since 2006


def _period_label(goal: Goal, start: date, multi_year: bool) -> str:
    if goal.period == GoalPeriod.MONTH.value:
        return f"{start:%b}" + (f" {start.year}" if multi_year else "")
    return day_label(start, with_year=multi_year)


def periods_svg(goal: Goal, periods: Sequence[PeriodPublic], today: date) -> bytes:
    """Bars of each period's total, coloured met / missed / in progress, the target a line."""
    per = "month" if goal.period == GoalPeriod.MONTH.value else "week"
    title = f"{goal.title}: {goal.unit} per {per}"
    started = [p for p in periods if p.start <= today]
    shown = started[-MAX_BARS:]
    finished = [p for p in started if p.end < today]
    intro = (
        f"{drawing.capitalized(goal.unit)} per {per} for the goal “{goal.title}”, "
        f"target {number(goal.target)} a {per}"
    )
    if not shown:
        desc = f"{intro}: no {per}s yet; the goal starts on {goal.start_on}."
    else:
        facts = []
        if finished:
            met = sum(p.met for p in finished)
            facts.append(
                f"target met in {number(met)} of {_plural(len(finished), 'finished ' + per)}"
            )
        if started[-1].end >= today:
            now = started[-1]
            facts.append(f"this {per} so far {number(now.total)} of {number(now.target)}")
        if len(shown) < len(started):
            facts.append(f"the chart shows the last {len(shown)}")
        span = f"{_plural(len(started), per)} from {started[0].start} to {started[-1].end}"
        desc = f"{intro}, {span}: {'; '.join(facts)}."
    axis = drawing.target_axis(max((p.total for p in shown), default=0), goal.target)
    series: dict[str, list[float | None]] = {"Met": [], "Missed": [], "In progress": []}
    for p in shown:
        kind = "Met" if p.met else "In progress" if p.end >= today else "Missed"
        for name, values in series.items():
            values.append(p.total if name == kind else None)
    present = {k: v for k, v in series.items() if any(x is not None for x in v)}
    colours = {"Met": GREEN, "Missed": VERMILION, "In progress": GREY}
    multi_year = bool(shown) and shown[0].start.year != shown[-1].start.year
    labels = [_period_label(goal, p.start, multi_year) for p in shown]
    chart = pygal.StackedBar(
        **drawing.config(
            *(colours[k] for k in present),
            title=drawing.shorten(goal.title),
            x_labels=labels,
            x_labels_major=drawing.x_labels_major(
                labels, axis.names, 4 if multi_year else drawing.MAX_X_LABELS
            ),
            y_labels=axis.labels,
            range=axis.range,
            y_labels_major=[axis.target],
            print_values=len(shown) <= PRINTED_VALUES,
            print_zeroes=False,  # a stacked bar's empty parts would read 0
            value_formatter=axis.label,
            no_data_text=f"No {per}s yet",
        )
    )
    for name, values in present.items():
        chart.add(name, axis.drawn(values))
    return render(chart, title=title, desc=desc, css=[drawing.TARGET_LINE])


def _reached(total: float, target: float) -> bool:
    # Relative, not `total + 1e-9 >= target`: under a target of 5e-324 that holds for nothing done.
    return total >= target or math.isclose(total, target, rel_tol=1e-9)


def one_off_svg(goal: Goal, daily: Mapping[date, float], today: date) -> bytes:
    """Progress added up day by day, against an even pace that reaches the target on due_on."""
    assert goal.due_on is not None  # a one-off goal has one
    start, due, target = goal.start_on, goal.due_on, goal.target
    span = (due - start).days + 1
    step = -(-span // MAX_POINTS)
    keep = sorted({*range(0, span, step), span - 1})
    logged = sorted((d, v) for d, v in daily.items() if start <= d <= due)
    logged_until = min(due, max([today, *daily]))
    # Running totals only at the days drawn and where the target is passed: a goal may span
    # a thousand years of days, and the chart draws at most MAX_POINTS of them.
    done: list[float | None] = []
    total, reached, entries = 0.0, None, iter(logged)
    pending = next(entries, None)
    for i in keep:
        day = start + timedelta(days=i)
        while pending is not None and pending[0] <= day:
            total += pending[1]
            if reached is None and _reached(total, target):
                reached = pending[0]
            pending = next(entries, None)
        done.append(total if day <= logged_until else None)
    current = math.fsum(v for _, v in logged)
    pace = [target * (i + 1) / span for i in keep]
    title = f"{goal.title}: progress towards {number(target)} {goal.unit} by {due}"
    share = percent(target if reached else current, target)  # 100% as the line says reached
    intro = f"Progress towards {number(target)} {goal.unit} from {start} to {due}"
    if today < start:
        desc = f"{intro}: the goal has not started yet."
    elif today > due:
        desc = f"{intro}: ended with {number(current)} ({share})."
    else:
        # positive from the first day, though 5e-324 * 10 / 30 underflows to 0
        expected = number(max(target * ((today - start).days + 1) / span, math.ulp(0.0)))
        desc = f"{intro}: {number(current)} so far ({share}); an even pace is at {expected} today."
    if reached is not None:
        desc = desc[:-1] + f"; target reached on {reached}."
    multi_year = start.year != due.year
    labels = [day_label(start + timedelta(days=i), with_year=multi_year) for i in keep]
    axis = drawing.target_axis(current, target)
    chart = pygal.Line(
        **drawing.config(
            BLUE,
            GREY,
            title=drawing.shorten(goal.title),
            x_labels=labels,
            x_labels_major=drawing.x_labels_major(labels, axis.names, 3 if multi_year else 4),
            y_labels=axis.labels,
            range=axis.range,
            y_labels_major=[axis.target],
            show_dots=len(keep) <= 31,
            dots_size=3,
            value_formatter=axis.label,
        )
    )
    chart.add("Done", axis.drawn(done), stroke_style={"width": 3})
    chart.add(
        "Even pace",
        axis.drawn(pace),
        stroke_style={"width": 2, "dasharray": "8,5"},
        show_dots=False,
    )
    return render(chart, title=title, desc=desc, css=[drawing.TARGET_LINE, drawing.SERIES_WIDTHS])


def goal_chart(session: Session, *, goal: Goal) -> bytes:
    """The SVG chart of a goal (see `periods_svg` and `one_off_svg`)."""
    seeker = goal_service.owner_of(session, goal)
    today = goal_service.today_for(seeker)
    if goal.period == GoalPeriod.NONE.value:
        return one_off_svg(
            goal, goal_service.daily_totals(session, seeker=seeker, goal=goal), today
        )
    return periods_svg(goal, goal_service.periods_of(session, seeker=seeker, goal=goal), today)


RENDERERS: Mapping[InsightMetric, Callable[[SeekerInsights], bytes]] = {
    InsightMetric.REJECTIONS_BY_WEEK: rejections_by_week_svg,
    InsightMetric.FUNNEL: funnel_svg,
}


def insights_chart(session: Session, *, seeker: Seeker, metric: InsightMetric, days: int) -> bytes:
    """The SVG chart of one metric of the seeker's insights over the last `days` days."""
    insights = insight_service.seeker_insights(session, seeker=seeker, days=days)
    return RENDERERS[metric](insights)
