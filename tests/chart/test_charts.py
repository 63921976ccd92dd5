"""Charts over HTTP: SVG for phones and screen readers, from a fixed history; empty data; errors."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from app.goal import service as goal_service
from app.insight import service as insight_service
from tests.factories import ApiCaller

NOW = datetime(2026, 6, 17, 10, 0, tzinfo=UTC)  # a Wednesday
SVG = "image/svg+xml"
PROBLEM = "application/problem+json"
NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Goals and insights are read as of NOW (the history is recorded with explicit dates)."""
    monkeypatch.setattr(goal_service, "utc_now", lambda: NOW)
    monkeypatch.setattr(insight_service, "utc_now", lambda: NOW)


def _at(text: str) -> str:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).isoformat()


def _svg(response: httpx.Response) -> ET.Element:
    """The response's SVG document, checked for what every chart must be."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == SVG
    assert response.headers["cache-control"] == "private, max-age=60"
    assert response.headers["etag"].startswith('"')
    text = response.text
    assert "<script" not in text
    without_namespaces = re.sub(r'xmlns(:\w+)?="[^"]*"', "", text)
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", without_namespaces)
    assert "href" not in text and "@import" not in text and "url(" not in text
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    assert root.tag == f"{NS}svg"
    assert re.fullmatch(r"0 0 \d+ \d+", root.attrib["viewBox"])
    assert root.attrib["width"] == "100%" and "height" not in root.attrib
    assert root.attrib["role"] == "img"
    title, desc = root[0], root[1]
    assert (title.tag, desc.tag) == (f"{NS}title", f"{NS}desc")
    assert root.attrib["aria-labelledby"] == f"{title.attrib['id']} {desc.attrib['id']}"
    sizes = [int(s) for s in re.findall(r"font-size:(\d+)px", text)]
    assert sizes and min(sizes) >= 13  # about 12 px or more at 360 px wide
    return root


def _words(root: ET.Element) -> tuple[str | None, str | None]:
    return root[0].text, root[1].text


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def _insights_chart(api: ApiCaller, seeker_id: str, **params: Any) -> httpx.Response:
    return api.get(f"/v1/seekers/{seeker_id}/insights/chart.svg", params=params)


def test_read_insights_chart_draws_rejections_by_week(api: ApiCaller) -> None:
    seeker = api.seeker()["id"]
    for when in ("2026-05-26T09:00", "2026-06-02T09:00", "2026-06-03T09:00", "2026-06-07T23:00"):
        api.rejection(seeker, occurred_at=_at(when))
    api.rejection(seeker, occurred_at=_at("2026-06-16T08:00"))
    api.rejection(seeker, occurred_at=_at("2026-05-20T08:00"))  # before the window
    root = _svg(_insights_chart(api, seeker, metric="rejections_by_week", days=28))
    assert _words(root) == (
        "Rejections per week, 2026-05-21 to 2026-06-17",
        "Rejections per week from 2026-05-21 to 2026-06-17: 5 in all, most (3) in the week of "
        "2026-06-01.",
    )
    texts = _texts(root)
    assert "Rejections per week" in texts  # drawn as well as described
    assert {"May 18", "Jun 15"} <= set(texts)


def test_read_insights_chart_draws_the_funnel(api: ApiCaller) -> None:
    seeker = api.seeker()["id"]
    for status in ("applied", "applied", "screening", "interviewing"):
        api.application(seeker, applied_on="2026-06-01", status=status)
    root = _svg(_insights_chart(api, seeker, metric="funnel", days=28))
    assert _words(root) == (
        "From application to offer, 2026-05-21 to 2026-06-17",
        "Attempts from 2026-05-21 to 2026-06-17 by the furthest step reached: applications 4, "
        "screens 2 (50% of the step before), interviews 1 (50% of the step before), final rounds "
        "0 (0% of the step before), offers 0.",
    )
    assert {"Applications", "Screens (50%)", "Final rounds (0%)", "Offers"} <= set(_texts(root))


def test_read_insights_chart_of_an_empty_history_says_so(api: ApiCaller) -> None:
    seeker = api.seeker()["id"]
    weeks = _svg(_insights_chart(api, seeker, metric="rejections_by_week"))
    assert _words(weeks)[1] == (
        "Rejections per week from 2026-03-20 to 2026-06-17: none in these 90 days."
    )
    assert "No rejections in these 90 days" in _texts(weeks)
    funnel = _svg(_insights_chart(api, seeker, metric="funnel", days=7))
    assert _words(funnel)[1] == "No applications from 2026-06-11 to 2026-06-17, so no funnel yet."


def test_read_insights_chart_is_the_same_bytes_and_answers_304_to_its_etag(
    api: ApiCaller,
) -> None:
    seeker = api.seeker()["id"]
    api.rejection(seeker, occurred_at=_at("2026-06-02T09:00"))
    first = _insights_chart(api, seeker, metric="rejections_by_week")
    again = _insights_chart(api, seeker, metric="rejections_by_week")
    assert first.content == again.content and first.headers["etag"] == again.headers["etag"]
    url = f"/v1/seekers/{seeker}/insights/chart.svg?metric=rejections_by_week"
    cached = api.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert (cached.status_code, cached.content) == (304, b"")
    assert cached.headers["etag"] == first.headers["etag"]
    api.rejection(seeker, occurred_at=_at("2026-06-03T09:00"))
    changed = api.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]


@pytest.mark.parametrize(
    "params",
    [
        {"metric": "rejections"},
        {},
        {"metric": "funnel", "days": 0},
        {"metric": "funnel", "days": 731},
    ],
    ids=["unknown_metric", "no_metric", "days_0", "days_731"],
)
def test_read_insights_chart_rejects_bad_parameters(api: ApiCaller, params: dict[str, Any]) -> None:
    seeker = api.seeker()["id"]
    response = _insights_chart(api, seeker, **params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "validation_failed"


def test_read_insights_chart_accepts_the_longest_window(api: ApiCaller) -> None:
    seeker = api.seeker()["id"]
    api.rejection(seeker, occurred_at=_at("2025-01-15T10:00"))
    root = _svg(_insights_chart(api, seeker, metric="rejections_by_week", days=730))
    assert _words(root)[1] == (
        "Rejections per week from 2024-06-18 to 2026-06-17: 1 in all, most (1) in the week of "
        "2025-01-13."
    )
    labels = [t for t in _texts(root) if re.fullmatch(r"[A-Z][a-z]{2} \d+ \d{4}", t)]
    assert 2 <= len(labels) <= 5  # 105 weeks, a handful of labels


def _goal(api: ApiCaller, seeker_id: str, **fields: Any) -> dict[str, Any]:
    return api.goal(seeker_id, **fields)


def _chart(api: ApiCaller, goal_id: str) -> httpx.Response:
    return api.get(f"/v1/goals/{goal_id}/chart.svg")


def _check_in(api: ApiCaller, goal_id: str, when: str, value: float = 1) -> None:
    body = {"value": value, "occurred_at": _at(when)}
    response = api.post(f"/v1/goals/{goal_id}/check-ins", json=body)
    assert response.status_code == 201, response.text


def test_read_goal_chart_of_a_weekly_goal_draws_met_missed_and_current_weeks(
    api: ApiCaller,
) -> None:
    seeker = api.seeker()["id"]
    goal = _goal(api, seeker, start_on="2026-05-27")["id"]  # 3 people a week, from a Wednesday
    for when in ("2026-05-28T10:00", "2026-05-29T10:00", "2026-05-30T10:00"):  # 3 of 2.14
        _check_in(api, goal, when)
    _check_in(api, goal, "2026-06-02T10:00")  # 1 of 3: missed
    _check_in(api, goal, "2026-06-09T10:00", value=3)  # met
    _check_in(api, goal, "2026-06-16T10:00")  # 1 so far this week
    root = _svg(_chart(api, goal))
    assert _words(root) == (
        "Talk to 3 people a week: people per week",
        "People per week for the goal “Talk to 3 people a week”, target 3 a week, 4 weeks from "
        "2026-05-27 to 2026-06-21: target met in 2 of 3 finished weeks; this week so far 1 of 3.",
    )
    texts = _texts(root)
    assert {"Met", "Missed", "In progress", "Target 3"} <= set(texts)
    assert {"May 27", "Jun 1", "Jun 8", "Jun 15"} <= set(texts)


def test_read_goal_chart_of_a_monthly_goal_labels_months(api: ApiCaller) -> None:
    seeker = api.seeker()["id"]
    goal = _goal(api, seeker, period="month", target=10, start_on="2026-04-01")["id"]
    _check_in(api, goal, "2026-04-10T10:00", value=12)
    root = _svg(_chart(api, goal))
    assert _words(root)[1] == (
        "People per month for the goal “Talk to 3 people a week”, target 10 a month, 3 months "
        "from 2026-04-01 to 2026-06-30: target met in 1 of 2 finished months; this month so far "
        "0 of 10."
    )
    assert {"Apr", "May", "Jun", "Target 10"} <= set(_texts(root))


def test_read_goal_chart_of_a_one_off_goal_draws_progress_against_the_pace(
    api: ApiCaller,
) -> None:
    seeker = api.seeker()["id"]
    fields = {"title": "Finish two courses", "kind": "learning", "target": 4, "period": "none"}
    goal = _goal(api, seeker, **fields, start_on="2026-06-01", due_on="2026-06-30")["id"]
    _check_in(api, goal, "2026-06-03T10:00")
    _check_in(api, goal, "2026-06-10T10:00", value=2)
    root = _svg(_chart(api, goal))
    assert _words(root) == (
        "Finish two courses: progress towards 4 courses by 2026-06-30",
        "Progress towards 4 courses from 2026-06-01 to 2026-06-30: 3 so far (75%); an even pace "
        "is at 2.27 today.",
    )
    assert {"Done", "Even pace", "Jun 1"} <= set(_texts(root))


def test_read_goal_chart_of_a_reached_one_off_goal_says_when(api: ApiCaller) -> None:
    seeker = api.seeker()["id"]
    fields = {"kind": "custom", "target": 2, "period": "none", "unit": "times"}
    goal = _goal(api, seeker, **fields, start_on="2026-06-01", due_on="2026-06-30")["id"]
    _check_in(api, goal, "2026-06-03T10:00", value=2)
    assert _words(_svg(_chart(api, goal)))[1] == (
        "Progress towards 2 times from 2026-06-01 to 2026-06-30: 2 so far (100%); an even pace "
        "is at 1.13 today; target reached on 2026-06-03."
    )


def test_read_goal_chart_of_a_goal_not_started_yet_says_so(api: ApiCaller) -> None:
    seeker = api.seeker()["id"]
    weekly = _goal(api, seeker, start_on="2026-07-01")["id"]
    root = _svg(_chart(api, weekly))
    assert _words(root)[1] == (
        "People per week for the goal “Talk to 3 people a week”, target 3 a week: no weeks yet; "
        "the goal starts on 2026-07-01."
    )
    assert "No weeks yet" in _texts(root)
    fields = {"period": "none", "start_on": "2026-07-01", "due_on": "2026-07-10"}
    one_off = _goal(api, seeker, **fields)["id"]
    assert _words(_svg(_chart(api, one_off)))[1] == (
        "Progress towards 3 people from 2026-07-01 to 2026-07-10: the goal has not started yet."
    )


def test_read_goal_chart_of_a_goal_started_today_has_one_week(api: ApiCaller) -> None:
    seeker = api.seeker()["id"]
    goal = _goal(api, seeker)["id"]
    assert _words(_svg(_chart(api, goal)))[1] == (
        "People per week for the goal “Talk to 3 people a week”, target 3 a week, 1 week from "
        "2026-06-17 to 2026-06-21: this week so far 0 of 2.14."
    )


@pytest.mark.parametrize(
    "path", ["/v1/goals/{goal}/chart.svg", "/v1/seekers/{seeker}/insights/chart.svg?metric=funnel"]
)
def test_read_chart_of_another_tenant_is_404(
    api: ApiCaller, other_api: ApiCaller, path: str
) -> None:
    seeker = api.seeker()["id"]
    goal = _goal(api, seeker)["id"]
    response = other_api.get(path.format(goal=goal, seeker=seeker))
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] in {"goal_not_found", "seeker_not_found"}
