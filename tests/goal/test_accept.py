"""`POST /v1/next-steps/{id}/accept-goal`: a goal-shaped next step becomes a goal, once."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from app.goal import service
from app.goal.models import Goal
from app.tenant.models import Scope
from tests.factories import ApiCaller, make_key, make_tenant

# 23:30 UTC on 15 June is already the 16th in Tokyo, where the seeker lives.
PINNED = datetime(2026, 6, 15, 23, 30, tzinfo=UTC)


def _step(api: ApiCaller, seeker_id: str, key: str) -> dict[str, Any]:
    steps = api.get(f"/v1/seekers/{seeker_id}/next-steps").json()["data"]
    step: dict[str, Any] = next(s for s in steps if s["recommendation_key"] == key)
    return step


def _upskilling_step(api: ApiCaller, seeker_id: str) -> dict[str, Any]:
    """Two rejections naming dbt: a recurring gap, so a learning goal is suggested."""
    for company in ("Acme", "Globex"):
        api.rejection(seeker_id, company=company, reason="lacks_skills", missing_skills=["dbt"])
    step = _step(api, seeker_id, "continue_upskilling")
    assert step["suggested_goal"], step
    return step


def _accept(api: ApiCaller, step_id: str, status: int) -> dict[str, Any]:
    response = api.post(f"/v1/next-steps/{step_id}/accept-goal")
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _goals(session: Session, seeker_id: str) -> int:
    return int(session.scalar(select(func.count()).where(Goal.seeker_id == seeker_id)) or 0)


def test_accept_goal_creates_suggested_one_off_goal_due_in_30_days(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeker = api.seeker(timezone="Asia/Tokyo")
    step = _upskilling_step(api, seeker["id"])
    monkeypatch.setattr(service, "utc_now", lambda: PINNED)

    goal = _accept(api, step["id"], 201)
    suggested = step["suggested_goal"]
    assert goal["recommendation_key"] == "continue_upskilling"
    assert (goal["kind"], goal["target"], goal["period"]) == ("learning", 1, "none")
    assert (goal["title"], goal["unit"]) == (suggested["title"], suggested["unit"])
    assert "dbt" in goal["title"]
    assert (goal["start_on"], goal["due_on"]) == ("2026-06-16", "2026-07-16")
    assert (goal["seeker_id"], goal["status"]) == (seeker["id"], "active")
    assert goal["progress"]["period_end"] == "2026-07-16"
    assert api.get(f"/v1/goals/{goal['id']}").json() == goal
    assert api.get(f"/v1/next-steps/{step['id']}").json()["status"] == "done"
    listed = api.get(f"/v1/seekers/{seeker['id']}/goals").json()["data"]
    assert [g["id"] for g in listed] == [goal["id"]]


def test_accept_goal_twice_returns_the_same_goal(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker()
    step = _upskilling_step(api, seeker["id"])
    first = _accept(api, step["id"], 201)
    version = api.get(f"/v1/next-steps/{step['id']}").json()["version"]
    again = _accept(api, step["id"], 200)
    assert again["id"] == first["id"]
    assert _goals(session, seeker["id"]) == 1
    after = api.get(f"/v1/next-steps/{step['id']}").json()
    assert (after["status"], after["version"]) == ("done", version)


def test_accept_goal_after_many_rejections_sets_weekly_applications_goal(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    now = datetime.now(UTC)
    items = [
        {
            "seeker_id": seeker["id"],
            "company": f"Company {days}",
            "role": "Analyst",
            "stage": "application_review",
            "occurred_at": (now - timedelta(days=days)).isoformat(),
        }
        for days in range(10, 0, -1)
    ]
    response = api.post("/v1/rejections/batch", json={"items": items})
    assert response.status_code == 200 and response.json()["created"] == 10, response.text
    step = _step(api, seeker["id"], "set_new_goals")

    goal = _accept(api, step["id"], 201)
    assert (goal["recommendation_key"], goal["kind"]) == ("set_new_goals", "applications")
    assert (goal["target"], goal["unit"], goal["period"]) == (5, "applications", "week")
    assert goal["due_on"] is None
    api.application(seeker["id"])  # applied today: counted without a check-in
    assert api.get(f"/v1/goals/{goal['id']}").json()["progress"]["current"] == 1
    assert api.get(f"/v1/next-steps/{step['id']}").json()["status"] == "done"
    assert _goals(session, seeker["id"]) == 1


def test_accept_goal_without_suggestion_is_409(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker()
    api.rejection(seeker["id"])
    step = _step(api, seeker["id"], "acknowledge_feelings")
    assert step["suggested_goal"] is None
    response = api.post(f"/v1/next-steps/{step['id']}/accept-goal")
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "no_suggested_goal"
    assert api.get(f"/v1/next-steps/{step['id']}").json()["status"] == "open"
    assert _goals(session, seeker["id"]) == 0
    assert api.post("/v1/next-steps/nst_unknown/accept-goal").status_code == 404


def test_accept_goal_needs_goals_write_scope(
    client: TestClient, session: Session, api: ApiCaller
) -> None:
    tenant = make_tenant(session, "scoped")
    owner = ApiCaller(client, tenant.secret)
    seeker = owner.seeker()
    step = _upskilling_step(owner, seeker["id"])
    everything_else = (Scope.SEEKERS_READ, Scope.SEEKERS_WRITE, Scope.GOALS_READ)
    reader = ApiCaller(client, make_key(session, tenant.tenant_id, everything_else))
    response = reader.post(f"/v1/next-steps/{step['id']}/accept-goal")
    assert response.status_code == 403, response.text
    assert owner.get(f"/v1/next-steps/{step['id']}").json()["status"] == "open"
    assert _goals(session, seeker["id"]) == 0
    writer = ApiCaller(client, make_key(session, tenant.tenant_id, (Scope.GOALS_WRITE,)))
    assert writer.post(f"/v1/next-steps/{step['id']}/accept-goal").status_code == 201
    assert api.post(f"/v1/next-steps/{step['id']}/accept-goal").status_code == 404  # tenant A
