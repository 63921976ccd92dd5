"""Goals over HTTP: create, validate, list, read, change, delete, check in, progress and periods."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.goal import service
from app.goal.models import CheckIn
from tests.factories import ApiCaller

WEDNESDAY = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)
THURSDAY = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
PROGRESS_FIELDS = {"current", "target", "period_target", "percent", "expected", "pace"}
PROGRESS_FIELDS |= {"safe_days", "streak", "period_start", "period_end"}


def _pin(monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    monkeypatch.setattr(service, "utc_now", lambda: at)


def _json(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _goal(api: ApiCaller, seeker_id: str, **fields: Any) -> Any:
    payload = {"title": "Reach out", "kind": "networking", "target": 3, **fields}
    return _json(api.post(f"/v1/seekers/{seeker_id}/goals", json=payload), 201)


def _check_in(api: ApiCaller, goal_id: str, **fields: Any) -> Any:
    return _json(api.post(f"/v1/goals/{goal_id}/check-ins", json=fields), 201)


def _read(api: ApiCaller, goal_id: str) -> Any:
    return _json(api.get(f"/v1/goals/{goal_id}"))


def _ids(api: ApiCaller, seeker_id: str, **params: Any) -> list[str]:
    page = _json(api.get(f"/v1/seekers/{seeker_id}/goals", params=params))
    return [goal["id"] for goal in page["data"]]


def test_create_goal_defaults_unit_by_kind_and_starts_today_in_seeker_zone(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pin(monkeypatch, datetime(2026, 3, 11, 3, 0, tzinfo=UTC))  # 23:00 on the 10th in New York
    seeker = api.seeker(timezone="America/New_York")
    units = {"applications": "applications", "networking": "people", "learning": "courses"}
    units |= {"interviews": "interviews", "custom": "times"}
    for kind, unit in units.items():
        goal = _goal(api, seeker["id"], kind=kind)
        assert (goal["kind"], goal["unit"]) == (kind, unit)
    assert goal["start_on"] == "2026-03-10"
    defaults = [goal[k] for k in ("period", "due_on", "status", "version")]
    assert defaults == ["week", None, "active", 1]
    assert goal["seeker_id"] == seeker["id"] and goal["recommendation_key"] is None
    assert set(goal["progress"]) == PROGRESS_FIELDS
    assert goal["progress"]["period_start"] == "2026-03-10"  # started on a Tuesday: a short week
    assert goal["progress"]["period_end"] == "2026-03-15"
    assert _goal(api, api.seeker()["id"])["start_on"] == "2026-03-11"  # UTC is already the 11th
    explicit = _goal(api, seeker["id"], kind="learning", unit="hours", start_on="2026-03-02")
    assert (explicit["unit"], explicit["start_on"]) == ("hours", "2026-03-02")


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"target": 0}, "/target"),
        ({"target": -2}, "/target"),
        ({"start_on": "2026-03-05", "due_on": "2026-03-04"}, "/due_on"),
        ({"due_on": "2026-03-10"}, "/due_on"),  # before the default start, today (the 11th)
        ({"period": "none"}, "/due_on"),
        ({"unit": "x" * 41}, "/unit"),
        ({"unit": "   "}, "/unit"),
        ({"unit": ""}, "/unit"),
        ({"unit": "pieces\x00"}, "/unit"),
        ({"unit": "portfolio\npieces"}, "/unit"),
        ({"unit": 5}, "/unit"),
        ({"kind": "hobbies"}, "/kind"),
        ({"period": "fortnight"}, "/period"),
        ({"colour": "green"}, "/colour"),
        ({"title": None}, "/title"),
    ],
)
def test_create_goal_refuses_invalid_fields(
    change: dict[str, Any], pointer: str, api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pin(monkeypatch, WEDNESDAY)
    seeker = api.seeker()
    payload = {"title": "Reach out", "kind": "networking", "target": 3, **change}
    response = api.post(f"/v1/seekers/{seeker['id']}/goals", json=payload)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert pointer in [error["pointer"] for error in response.json()["errors"]]
    assert _ids(api, seeker["id"]) == []


def test_create_goal_keeps_the_seekers_own_unit_whatever_the_kind(api: ApiCaller) -> None:
    seeker_id = api.seeker()["id"]
    for kind in ("learning", "applications", "custom"):
        goal = _goal(api, seeker_id, kind=kind, unit="  portfolio pieces ")
        assert goal["unit"] == "portfolio pieces"  # stripped, never replaced by the kind's
        assert _read(api, goal["id"])["unit"] == "portfolio pieces"
    longest = "Vorstellungsgespräche mit Ansprechpartne"  # 40 characters, some not ASCII
    assert len(longest) == 40
    assert _goal(api, seeker_id, kind="interviews", unit=longest)["unit"] == longest
    assert _goal(api, seeker_id, kind="networking", unit=None)["unit"] == "people"  # as if absent


def test_create_goal_refuses_a_41_character_unit_as_a_problem(api: ApiCaller) -> None:
    seeker_id = api.seeker()["id"]
    payload = {"title": "Build a portfolio", "kind": "custom", "target": 2, "unit": "p" * 41}
    response = api.post(f"/v1/seekers/{seeker_id}/goals", json=payload)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["pointer"] == "/unit" and "40" in error["detail"]
    control = api.post(f"/v1/seekers/{seeker_id}/goals", json={**payload, "unit": "a\tb"})
    assert control.json()["errors"][0]["detail"] == (
        "must be one line of text, without control characters"
    )


def test_a_weekly_goal_of_five_set_on_a_thursday_keeps_its_target(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pin(monkeypatch, THURSDAY)
    seeker = api.seeker()
    goal = _goal(api, seeker["id"], kind="applications", target=5)
    assert (goal["target"], goal["start_on"]) == (5, "2026-03-12")
    assert goal["progress"] == {
        "current": 0,
        "target": 5,  # the goal's target, as set
        "period_target": 2.86,  # this short week's share: round(5 * 4 / 7, 2), Thursday-Sunday
        "percent": 0,
        "expected": 0.71,  # 2.86 * 1 / 4
        "pace": "behind",
        "safe_days": 0,
        "streak": 0,
        "period_start": "2026-03-12",
        "period_end": "2026-03-15",
    }
    for _ in range(3):
        _check_in(api, goal["id"])
    met = _read(api, goal["id"])["progress"]
    assert (met["target"], met["period_target"], met["percent"]) == (5, 2.86, 100)
    assert (met["pace"], met["safe_days"], met["streak"]) == ("ahead", 3, 1)
    periods = api.get(f"/v1/goals/{goal['id']}/periods").json()
    assert [(p["target"], p["total"], p["met"]) for p in periods] == [(2.86, 3, True)]

    _pin(monkeypatch, THURSDAY + timedelta(days=4))  # Monday: the first full week
    monday = _read(api, goal["id"])["progress"]
    assert (monday["target"], monday["period_target"], monday["expected"]) == (5, 5, 0.71)
    assert (monday["period_start"], monday["streak"]) == ("2026-03-16", 1)


def test_list_goals_filters_by_status_and_kind(api: ApiCaller) -> None:
    seeker = api.seeker()
    applying = _goal(api, seeker["id"], kind="applications", target=5)
    meeting = _goal(api, seeker["id"])
    dropped = _goal(api, seeker["id"])
    api.patch(f"/v1/goals/{dropped['id']}", json={"status": "abandoned"})
    _goal(api, api.seeker()["id"])  # another seeker's goal is never listed here

    assert _ids(api, seeker["id"]) == [dropped["id"], meeting["id"], applying["id"]]
    assert _ids(api, seeker["id"], status="active") == [meeting["id"], applying["id"]]
    assert _ids(api, seeker["id"], status="abandoned") == [dropped["id"]]
    assert _ids(api, seeker["id"], kind="applications") == [applying["id"]]
    assert _ids(api, seeker["id"], kind="networking", status="active") == [meeting["id"]]
    assert _ids(api, seeker["id"], status="achieved") == []
    for bad in ({"status": "done"}, {"kind": "hobbies"}):
        response = api.get(f"/v1/seekers/{seeker['id']}/goals", params=bad)
        assert response.status_code == 422, response.text


def test_list_goals_pages_with_cursor(api: ApiCaller) -> None:
    seeker = api.seeker()
    created = [_goal(api, seeker["id"], title=f"Goal {i}")["id"] for i in range(5)]
    url = f"/v1/seekers/{seeker['id']}/goals"
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = api.get(url, params=params).json()
        assert len(page["data"]) <= 2
        seen += [goal["id"] for goal in page["data"]]
        if not page["has_more"]:
            assert page["next_cursor"] is None
            break
        params = {"limit": 2, "cursor": page["next_cursor"]}
    assert seen == created[::-1]
    cursor = api.get(url, params={"limit": 2, "status": "active"}).json()["next_cursor"]
    assert api.get(url, params={"limit": 2, "cursor": cursor}).status_code == 400  # other filter
    assert api.get(url, params={"cursor": "forged.cursor"}).status_code == 400


def test_read_goal_returns_it_or_404(api: ApiCaller) -> None:
    goal = _goal(api, api.seeker()["id"], title="Meet three people")
    assert _read(api, goal["id"]) == goal
    response = api.get("/v1/goals/gol_unknown")
    assert (response.status_code, response.json()["code"]) == (404, "goal_not_found")


def test_update_goal_changes_title_target_due_on_and_bumps_version(api: ApiCaller) -> None:
    goal = _goal(api, api.seeker()["id"], start_on="2026-03-02")
    url = f"/v1/goals/{goal['id']}"
    changes = [{"title": "Meet five people"}, {"target": 5}, {"due_on": "2099-06-30"}]
    for version, change in enumerate(changes, start=2):
        response = api.patch(url, json=change)
        assert response.status_code == 200, response.text
        assert response.json()["version"] == version
    stored = _read(api, goal["id"])
    changed = [stored[k] for k in ("title", "target", "due_on")]
    assert changed == ["Meet five people", 5, "2099-06-30"]
    assert stored["progress"]["target"] == 5 and stored["version"] == 4
    assert api.patch(url, json={"due_on": None}).json()["due_on"] is None


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"status": "achieved"}, "/status"),
        ({"status": "active"}, "/status"),
        ({"title": None}, "/title"),
        ({"target": 0}, "/target"),
        ({"due_on": "2026-03-01"}, "/due_on"),
        ({"unit": "hours"}, "/unit"),
    ],
)
def test_update_goal_refuses_invalid_changes(
    change: dict[str, Any], pointer: str, api: ApiCaller
) -> None:
    goal = _goal(api, api.seeker()["id"], start_on="2026-03-02")
    response = api.patch(f"/v1/goals/{goal['id']}", json=change)
    assert response.status_code == 422, response.text
    assert pointer in [error["pointer"] for error in response.json()["errors"]]
    assert _read(api, goal["id"]) == goal


def test_update_goal_abandons_it_and_closes_it_to_check_ins(api: ApiCaller) -> None:
    goal = _goal(api, api.seeker()["id"])
    response = api.patch(f"/v1/goals/{goal['id']}", json={"status": "abandoned"})
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["version"]) == ("abandoned", 2)
    refused = api.post(f"/v1/goals/{goal['id']}/check-ins", json={})
    assert (refused.status_code, refused.json()["code"]) == (409, "goal_closed")
    assert api.get(f"/v1/goals/{goal['id']}/check-ins").json()["data"] == []


def test_delete_goal_removes_it_and_its_check_ins(api: ApiCaller, session: Session) -> None:
    goal = _goal(api, api.seeker()["id"])
    kept = _goal(api, api.seeker()["id"])
    for target in (goal, goal, kept):
        _check_in(api, target["id"])
    assert api.delete(f"/v1/goals/{goal['id']}").status_code == 204
    assert api.get(f"/v1/goals/{goal['id']}").status_code == 404
    assert api.get(f"/v1/goals/{goal['id']}/check-ins").status_code == 404
    assert api.delete(f"/v1/goals/{goal['id']}").status_code == 404
    remaining = select(func.count()).select_from(CheckIn).where(CheckIn.goal_id == goal["id"])
    assert session.scalar(remaining) == 0
    assert len(api.get(f"/v1/goals/{kept['id']}/check-ins").json()["data"]) == 1


def test_check_in_defaults_value_and_time_and_is_listed(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pin(monkeypatch, WEDNESDAY)
    goal = _goal(api, api.seeker()["id"], target=5)
    plain = _check_in(api, goal["id"])
    assert (plain["goal_id"], plain["value"], plain["note"]) == (goal["id"], 1, None)
    assert datetime.fromisoformat(plain["occurred_at"]) == WEDNESDAY
    at = "2026-03-11T08:30:00+02:00"
    noted = _check_in(api, goal["id"], value=2.5, occurred_at=at, note="Coffee with Ana")
    assert datetime.fromisoformat(noted["occurred_at"]) == datetime.fromisoformat(at)
    assert noted["note"] == "Coffee with Ana"
    listed = api.get(f"/v1/goals/{goal['id']}/check-ins").json()
    assert [c["id"] for c in listed["data"]] == [noted["id"], plain["id"]]
    assert _read(api, goal["id"])["progress"]["current"] == 3.5
    bad = api.post(f"/v1/goals/{goal['id']}/check-ins", json={"value": 0, "mood": 3})
    assert bad.status_code == 422
    assert sorted(e["pointer"] for e in bad.json()["errors"]) == ["/mood", "/value"]


def test_applications_goal_counts_applications_and_check_ins(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pin(monkeypatch, WEDNESDAY)
    seeker = api.seeker()
    goal = _goal(api, seeker["id"], kind="applications", target=5, start_on="2026-03-02")
    networking = _goal(api, seeker["id"], start_on="2026-03-02")
    for day in ("2026-03-01", "2026-03-06", "2026-03-09", "2026-03-10"):
        api.application(seeker["id"], applied_on=day)
    api.application(api.seeker()["id"], applied_on="2026-03-10")  # someone else's
    _check_in(api, goal["id"], occurred_at="2026-03-11T09:00:00Z")

    progress = _read(api, goal["id"])["progress"]
    assert progress == {
        "current": 3,  # two applications this week and one check-in
        "target": 5,
        "period_target": 5,  # a full week
        "percent": 60,
        "expected": 2.14,  # 5 * 3 / 7: Monday to Wednesday of a 7-day week
        "pace": "ahead",  # at least a full day (5 / 7) above the line
        "safe_days": 1,  # the line passes 3 on Friday
        "streak": 0,  # last week had one application of five
        "period_start": "2026-03-09",
        "period_end": "2026-03-15",
    }
    periods = api.get(f"/v1/goals/{goal['id']}/periods").json()
    assert [(p["start"], p["total"], p["met"]) for p in periods] == [
        ("2026-03-02", 1, False),
        ("2026-03-09", 3, False),
    ]
    assert _read(api, networking["id"])["progress"]["current"] == 0


def test_one_off_goal_is_achieved_when_a_check_in_reaches_target(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pin(monkeypatch, WEDNESDAY)
    seeker = api.seeker()
    goal = _goal(api, seeker["id"], kind="learning", target=3, period="none", due_on="2026-03-31")
    assert goal["progress"]["period_end"] == "2026-03-31"
    _check_in(api, goal["id"], value=2)
    assert _read(api, goal["id"])["status"] == "active"
    _check_in(api, goal["id"])
    reached = _read(api, goal["id"])
    assert reached["status"] == "achieved"
    assert (reached["progress"]["percent"], reached["progress"]["streak"]) == (100, 1)
    assert _ids(api, seeker["id"], status="achieved") == [goal["id"]]
    refused = api.post(f"/v1/goals/{goal['id']}/check-ins", json={})
    assert (refused.status_code, refused.json()["code"]) == (409, "goal_closed")


def test_one_off_goal_shows_missed_once_due_on_passes_unreached(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pin(monkeypatch, WEDNESDAY)
    seeker = api.seeker()
    goal = _goal(api, seeker["id"], target=3, period="none", due_on="2026-03-18")
    _check_in(api, goal["id"])
    _pin(monkeypatch, WEDNESDAY + timedelta(days=7))
    assert _read(api, goal["id"])["status"] == "active"  # the due date itself still counts
    _pin(monkeypatch, WEDNESDAY + timedelta(days=8))
    missed = _read(api, goal["id"])
    assert missed["status"] == "missed"
    assert missed["progress"]["current"] == 1 and missed["progress"]["pace"] == "behind"
    assert missed["progress"]["safe_days"] == 0
    listed = api.get(f"/v1/seekers/{seeker['id']}/goals").json()["data"]
    assert [g["status"] for g in listed] == ["missed"]


def test_goal_periods_report_each_week_total_and_met_in_seeker_zone(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pin(monkeypatch, datetime(2026, 3, 25, 12, 0, tzinfo=UTC))  # the Wednesday of week four
    seeker = api.seeker(timezone="Europe/Berlin")
    goal = _goal(api, seeker["id"], target=3, start_on="2026-03-02")
    _check_in(api, goal["id"], value=2, occurred_at="2026-03-03T10:00:00Z")
    _check_in(api, goal["id"], occurred_at="2026-03-08T22:30:00Z")  # Sunday 23:30 in Berlin
    _check_in(api, goal["id"], occurred_at="2026-03-15T23:30:00Z")  # Monday 00:30: week three
    _check_in(api, goal["id"], value=2, occurred_at="2026-03-17T10:00:00Z")
    _check_in(api, goal["id"], occurred_at="2026-03-24T10:00:00Z")

    periods = api.get(f"/v1/goals/{goal['id']}/periods").json()
    assert periods == [
        {"start": "2026-03-02", "end": "2026-03-08", "target": 3, "total": 3, "met": True},
        {"start": "2026-03-09", "end": "2026-03-15", "target": 3, "total": 0, "met": False},
        {"start": "2026-03-16", "end": "2026-03-22", "target": 3, "total": 3, "met": True},
        {"start": "2026-03-23", "end": "2026-03-29", "target": 3, "total": 1, "met": False},
    ]
    assert _read(api, goal["id"])["progress"]["streak"] == 1
    _check_in(api, goal["id"], value=2)
    assert api.get(f"/v1/goals/{goal['id']}/periods").json()[-1]["met"] is True
    progress = _read(api, goal["id"])["progress"]
    assert (progress["streak"], progress["pace"], progress["safe_days"]) == (2, "ahead", 4)
    assert _read(api, goal["id"])["status"] == "active"  # recurring goals stay active
