"""Properties through the API, on the migrated database (SQLite, or PostgreSQL when
REBOUND_TEST_DATABASE_URL is set): any goal that POST .../goals accepts, with any check-ins, on
any day, answers GET /v1/goals/{id}/chart.svg with a described SVG; so does any insights window.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.chart.figures import number
from app.goal import service as goal_service
from app.goal.models import GoalPeriod
from app.insight import service as insight_service
from tests.chart.checks import shown, well_formed, words
from tests.chart.strategies import CHECK_INS, FIRST, LAST, goal_fields
from tests.factories import ApiCaller

SVG = "image/svg+xml"
PAST = date(2025, 12, 31)  # rejections are refused when dated after the real clock's now
# Each example makes its own seeker in the test's one rolled-back transaction.
THROUGH_HTTP = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _noon(day: date) -> str:
    return datetime.combine(day, time(12), UTC).isoformat()


def _image(response: httpx.Response) -> tuple[str, str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == SVG
    return words(well_formed(response.content))


def _pin(monkeypatch: pytest.MonkeyPatch, today: date) -> None:
    """Goals and insights are read as of noon (UTC, the seeker's zone) on `today`."""
    now = datetime.combine(today, time(12), UTC)
    monkeypatch.setattr(goal_service, "utc_now", lambda: now)
    monkeypatch.setattr(insight_service, "utc_now", lambda: now)


@st.composite
def goals_with_check_ins(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]], date]:
    """A goal's body, check-ins its route accepts (dated start_on..due_on), and a today."""
    fields = draw(goal_fields())
    start, due = fields["start_on"], fields["due_on"]
    body = {k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items() if v}
    days = st.dates(start, due or min(LAST, start + timedelta(days=400)))
    check_ins = draw(st.lists(st.tuples(days, CHECK_INS), max_size=4))
    near = st.dates(max(FIRST, start - timedelta(days=2)), min(LAST, (due or start) + timedelta(9)))
    today = draw(st.one_of(near, st.dates(FIRST, LAST)))
    return body, [{"value": v, "occurred_at": _noon(d)} for d, v in check_ins], today


@THROUGH_HTTP
@given(goals_with_check_ins())
def test_read_goal_chart_draws_any_valid_goal(
    api: ApiCaller,
    monkeypatch: pytest.MonkeyPatch,
    case: tuple[dict[str, Any], list[dict[str, Any]], date],
) -> None:
    body, check_ins, today = case
    _pin(monkeypatch, today)
    seeker = api.seeker()["id"]
    goal = api.goal(seeker, **body)
    for check_in in check_ins:
        response = api.post(f"/v1/goals/{goal['id']}/check-ins", json=check_in)
        if response.status_code == 409:  # a one-off goal, achieved by the ones before
            assert response.json()["code"] == "goal_closed"
            assert goal["period"] == GoalPeriod.NONE.value
            break
        assert response.status_code == 201, response.text
    title, desc = _image(api.get(f"/v1/goals/{goal['id']}/chart.svg"))
    assert title.startswith(shown(goal["title"]) + ":")
    if goal["period"] == GoalPeriod.NONE.value:
        assert f"Progress towards {number(goal['target'])} " in desc
    else:
        assert f"target {number(goal['target'])} a {goal['period']}" in desc


@THROUGH_HTTP
@given(
    st.dates(FIRST + timedelta(days=730), PAST),
    st.integers(1, 730),
    st.lists(st.integers(0, 800), max_size=3),
)
def test_read_insights_chart_draws_any_window(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch, today: date, days: int, ago: list[int]
) -> None:
    _pin(monkeypatch, today)
    seeker = api.seeker()["id"]
    for back in ago:  # inside the window or before it
        api.rejection(seeker, occurred_at=_noon(today - timedelta(days=back)))
        api.application(seeker, applied_on=(today - timedelta(days=back)).isoformat())
    since = today - timedelta(days=days - 1)
    for metric in ("rejections_by_week", "funnel"):
        url = f"/v1/seekers/{seeker}/insights/chart.svg"
        _, desc = _image(api.get(url, params={"metric": metric, "days": days}))
        assert f"{since} to {today}" in desc
