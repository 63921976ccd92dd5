"""Next steps over HTTP: made with each rejection, explained, extended, listed, paged and read."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.next_step.models import NextStep
from tests.factories import ApiCaller

SECOND = timedelta(seconds=5)


def _parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def _by_key(steps: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {step["recommendation_key"]: step for step in steps}


def _post(api: ApiCaller, seeker_id: str, **fields: Any) -> Any:
    payload = {"company": "Acme", "role": "Data Analyst", "stage": "interview", **fields}
    return api.post(f"/v1/seekers/{seeker_id}/rejections", json=payload)


def _seed(api: ApiCaller, seeker_id: str, days_ago: list[int], **fields: Any) -> list[Any]:
    """Past rejections through the batch endpoint, each `days_ago` before now."""
    now = datetime.now(UTC)
    items = [
        {
            "seeker_id": seeker_id,
            "company": f"Past Co {i}",
            "role": "Analyst",
            "stage": "application_review",
            "occurred_at": (now - timedelta(days=days)).isoformat(),
            **fields,
        }
        for i, days in enumerate(days_ago)
    ]
    response = api.post("/v1/rejections/batch", json={"items": items})
    assert response.status_code == 200, response.text
    assert response.json()["created"] == len(items)
    return [r["rejection"] for r in response.json()["results"]]


def _list(api: ApiCaller, seeker_id: str, **params: Any) -> dict[str, Any]:
    response = api.get(f"/v1/seekers/{seeker_id}/next-steps", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _walk(api: ApiCaller, seeker_id: str, **params: Any) -> list[str]:
    """Every id of a list, following next_cursor page by page."""
    ids: list[str] = []
    cursor = None
    while True:
        page = _list(api, seeker_id, **params, **({"cursor": cursor} if cursor else {}))
        ids += [step["id"] for step in page["data"]]
        if not page["has_more"]:
            assert page["next_cursor"] is None
            return ids
        cursor = page["next_cursor"]


def test_create_rejection_embeds_explained_personalised_steps_in_order(api: ApiCaller) -> None:
    seeker = api.seeker(display_name="Robin")
    before = datetime.now(UTC)
    response = _post(api, seeker["id"], company="Globex", role="Backend Engineer")
    assert response.status_code == 201, response.text
    rejection = response.json()
    steps = rejection["next_steps"]
    keys = [step["recommendation_key"] for step in steps]
    assert keys[0] == "acknowledge_feelings"
    assert keys.index("acknowledge_feelings") < keys.index("seek_feedback")
    assert [s["priority"] for s in steps] == sorted(s["priority"] for s in steps)
    for step in steps:
        text = f"{step['title']} {step['body']}"
        if step["recommendation_key"] != "set_new_goals":  # a goal is about the seeker's week
            assert "Globex" in text or "Backend Engineer" in text, step["recommendation_key"]
        assert "_" not in text and "{" not in text, text  # no enum values, no placeholders
        assert step["actions"] and all(isinstance(a, str) and a for a in step["actions"])
        assert step["status"] == "open" and step["version"] == 1
        assert step["rejection_ids"] == [rejection["id"]] and step["rejection_count"] == 1
        assert step["explanation"], step["recommendation_key"]
        for entry in step["explanation"]:
            assert entry["rule_id"].startswith(f"{step['recommendation_key']}.")
            assert entry["rule_version"] >= 1
            assert entry["reason"]
            assert isinstance(entry["facts"], dict)
    by_key = _by_key(steps)
    acknowledge, feedback = by_key["acknowledge_feelings"], by_key["seek_feedback"]
    assert before - SECOND <= _parse(acknowledge["due_at"]) <= datetime.now(UTC) + SECOND
    assert _parse(feedback["due_at"]) >= before + timedelta(days=1)
    assert acknowledge["explanation"][0]["facts"]["company"] == "Globex"
    assert "Globex" in feedback["draft_message"]
    assert "Backend Engineer" in feedback["draft_message"]
    assert "Robin" in feedback["draft_message"]
    assert acknowledge["draft_message"] is None


def test_create_rejection_ended_by_candidate_makes_no_steps(api: ApiCaller) -> None:
    seeker = api.seeker()
    response = _post(api, seeker["id"], ended_by="candidate", mood=1)
    assert response.status_code == 201, response.text
    assert response.json()["next_steps"] == []
    assert _list(api, seeker["id"])["data"] == []


def test_create_rejection_supporting_open_step_extends_it(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker()
    first = api.rejection(seeker["id"], company="Globex", role="Backend Engineer")
    second = api.rejection(seeker["id"], company="Initech", role="Data Engineer")
    old, new = _by_key(first["next_steps"]), _by_key(second["next_steps"])
    step = new["acknowledge_feelings"]
    assert step["id"] == old["acknowledge_feelings"]["id"]
    assert step["rejection_ids"] == [first["id"], second["id"]]
    assert step["rejection_count"] == 2
    reasons = {e["rule_id"]: e for e in step["explanation"]}  # each reason once, counted
    assert len(reasons) == len(step["explanation"])
    latest = reasons["acknowledge_feelings.after_rejection"]
    assert latest["count"] == 2 and latest["facts"]["company"] == "Initech"
    assert latest["rejection_id"] == second["id"]
    assert step["version"] == 2
    assert "Initech" in step["title"] and "Globex" in step["body"]  # the latest, and the other
    assert new["seek_feedback"]["id"] != old["seek_feedback"]["id"]  # one request per company
    assert "Initech" in new["seek_feedback"]["draft_message"]
    assert "Globex" not in new["seek_feedback"]["draft_message"]
    listed = _list(api, seeker["id"])["data"]
    open_keys = [
        s["recommendation_key"] for s in listed if s["recommendation_key"] != "seek_feedback"
    ]
    assert len(open_keys) == len(set(open_keys))
    assert sum(s["recommendation_key"] == "seek_feedback" for s in listed) == 2
    open_keys += ["seek_feedback"] * 2
    stored = select(func.count()).select_from(NextStep).where(NextStep.seeker_id == seeker["id"])
    assert session.scalar(stored) == len(open_keys)


def test_create_rejection_repeated_external_id_returns_same_steps(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    fields = {"source": "greenhouse", "external_id": "gh-7", "company": "Globex"}
    first = _post(api, seeker["id"], **fields)
    assert first.status_code == 201, first.text
    count = select(func.count()).select_from(NextStep).where(NextStep.seeker_id == seeker["id"])
    stored = session.scalar(count)
    again = _post(api, seeker["id"], **fields)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["next_steps"] == first.json()["next_steps"]
    assert session.scalar(count) == stored


def test_list_next_steps_orders_by_priority_then_due_at(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeker = api.seeker()
    first = _by_key(api.rejection(seeker["id"])["next_steps"])
    for key in ("acknowledge_feelings", "seek_feedback"):
        done = api.patch(f"/v1/next-steps/{first[key]['id']}", json={"status": "done"})
        assert done.status_code == 200, done.text
    # The later step is due earlier: the list follows due_at, not creation order.
    earlier = datetime.now(UTC) - timedelta(days=2)
    monkeypatch.setattr("app.coaching.service.utc_now", lambda: earlier)
    second = _by_key(api.rejection(seeker["id"], stage="application_review")["next_steps"])
    again = second["acknowledge_feelings"]
    assert again["id"] != first["acknowledge_feelings"]["id"]
    api.patch(f"/v1/next-steps/{again['id']}", json={"status": "done"})
    done_ids = [s["id"] for s in _list(api, seeker["id"], status="done")["data"]]
    assert done_ids == [
        again["id"],
        first["acknowledge_feelings"]["id"],
        first["seek_feedback"]["id"],
    ]
    assert _walk(api, seeker["id"], status="done", limit=1) == done_ids
    open_steps = _list(api, seeker["id"])["data"]
    assert [s["priority"] for s in open_steps] == sorted(s["priority"] for s in open_steps)
    assert again["id"] not in [s["id"] for s in open_steps]


def test_list_next_steps_pages_without_gaps_or_repeats(api: ApiCaller) -> None:
    seeker = api.seeker(skills=["python"])
    api.rejection(
        seeker["id"],
        stage="final_round",
        reason="lacks_skills",
        missing_skills=["dbt"],
        mood=1,
    )
    everything = [s["id"] for s in _list(api, seeker["id"], limit=200)["data"]]
    assert len(everything) >= 5
    first = _list(api, seeker["id"], limit=2)
    assert len(first["data"]) == 2 and first["has_more"] and first["next_cursor"]
    paged = _walk(api, seeker["id"], limit=2)
    assert paged == everything
    assert len(set(paged)) == len(paged)


def test_list_next_steps_refuses_a_cursor_from_another_list(api: ApiCaller) -> None:
    seeker, other = api.seeker(), api.seeker()
    for someone in (seeker, other):
        api.rejection(someone["id"], stage="final_round", mood=1)
    cursor = _list(api, seeker["id"], limit=1)["next_cursor"]
    url = f"/v1/seekers/{seeker['id']}/next-steps"
    for params, where in (
        ({"cursor": cursor, "status": "done"}, url),
        ({"cursor": cursor}, f"/v1/seekers/{other['id']}/next-steps"),
        ({"cursor": cursor[:-2] + "xx"}, url),
    ):
        response = api.get(where, params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


def test_list_next_steps_filters_by_status(api: ApiCaller) -> None:
    seeker = api.seeker()
    steps = _by_key(api.rejection(seeker["id"], reason="other_candidate")["next_steps"])
    moves = {
        "acknowledge_feelings": {"status": "done"},
        "seek_feedback": {"status": "dismissed"},
        "stay_proactive": {
            "status": "snoozed",
            "snoozed_until": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
        },
    }
    for key, body in moves.items():
        assert api.patch(f"/v1/next-steps/{steps[key]['id']}", json=body).status_code == 200
    for key, body in moves.items():
        listed = _list(api, seeker["id"], status=body["status"])["data"]
        assert [s["id"] for s in listed] == [steps[key]["id"]]
        assert listed[0]["status"] == body["status"]
    open_ids = {s["id"] for s in _list(api, seeker["id"])["data"]}
    assert open_ids == {s["id"] for k, s in steps.items() if k not in moves}
    assert _list(api, seeker["id"], status="retracted")["data"] == []
    bad = api.get(f"/v1/seekers/{seeker['id']}/next-steps", params={"status": "finished"})
    assert bad.status_code == 422


def test_read_next_step_returns_it_and_hides_other_tenants(
    api: ApiCaller, other_api: ApiCaller
) -> None:
    seeker = api.seeker()
    step = api.rejection(seeker["id"])["next_steps"][0]
    response = api.get(f"/v1/next-steps/{step['id']}")
    assert response.status_code == 200, response.text
    assert response.json() == step
    foreign = other_api.get(f"/v1/next-steps/{step['id']}")
    missing = api.get("/v1/next-steps/nst_doesnotexist")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["code"] == missing.json()["code"] == "next_step_not_found"
    assert other_api.get(f"/v1/seekers/{seeker['id']}/next-steps").status_code == 404


def test_create_rejection_recurring_missing_skill_suggests_learning_goal(api: ApiCaller) -> None:
    seeker = api.seeker()
    first = _by_key(
        api.rejection(seeker["id"], reason="lacks_skills", missing_skills=["dbt"])["next_steps"]
    )
    assert first["continue_upskilling"]["suggested_goal"] is None
    second = _by_key(api.rejection(seeker["id"], missing_skills=["DBT", "SQL"])["next_steps"])
    step = second["continue_upskilling"]
    assert step["id"] == first["continue_upskilling"]["id"]
    assert step["suggested_goal"]["title"] == "Finish a course in dbt"
    assert step["suggested_goal"]["kind"] == "learning"
    recurring = [e for e in step["explanation"] if e["rule_id"].endswith(".recurring_gap")]
    assert [e["facts"]["skill"] for e in recurring] == ["dbt"]
    assert recurring[0]["facts"]["rejections"] == 2


def test_create_rejection_missing_skill_older_than_90_days_is_not_recurring(
    api: ApiCaller,
) -> None:
    seeker = api.seeker()
    _seed(api, seeker["id"], [100], missing_skills=["dbt"])
    step = _by_key(api.rejection(seeker["id"], missing_skills=["dbt"])["next_steps"])[
        "continue_upskilling"
    ]
    assert step["suggested_goal"] is None
    assert not [e for e in step["explanation"] if e["rule_id"].endswith(".recurring_gap")]


def test_create_rejection_naming_a_skill_twice_is_not_a_recurring_gap(api: ApiCaller) -> None:
    seeker = api.seeker()
    rejection = api.rejection(seeker["id"], missing_skills=["Airflow", "airflow"])
    step = _by_key(rejection["next_steps"])["continue_upskilling"]
    assert step["suggested_goal"] is None
    assert [e["rule_id"] for e in step["explanation"]] == ["continue_upskilling.skills_gap"]


def test_create_rejection_tenth_in_90_days_suggests_new_goals(api: ApiCaller) -> None:
    seeker = api.seeker(target_roles=["Analytics Engineer"])
    since = str(datetime.now(UTC).date() - timedelta(days=100))
    api.goal(seeker["id"], start_on=since)  # only the number of rejections may call for goals
    _seed(api, seeker["id"], [80, 70, 60, 50, 40, 30, 20, 10, 5])
    open_steps = api.get(f"/v1/seekers/{seeker['id']}/next-steps").json()["data"]
    assert "set_new_goals" not in _by_key(open_steps), "nine rejections are not yet many"
    steps = _by_key(api.rejection(seeker["id"], company="Globex")["next_steps"])
    step = steps["set_new_goals"]
    assert step["suggested_goal"]["period"] == "week"
    assert step["suggested_goal"]["target"] > 0
    assert "Globex" in step["body"] and "Analytics Engineer" in step["body"]
    facts = step["explanation"][0]["facts"]
    assert facts["rejections"] == 10 and facts["window_days"] == 90


def test_create_rejection_many_but_spread_over_more_than_90_days_sets_no_goals(
    api: ApiCaller,
) -> None:
    seeker = api.seeker()
    api.goal(seeker["id"], start_on=str(datetime.now(UTC).date() - timedelta(days=100)))
    _seed(api, seeker["id"], [95, 70, 60, 50, 40, 30, 20, 10, 5])
    steps = _by_key(api.rejection(seeker["id"])["next_steps"])
    assert "set_new_goals" not in steps


def test_create_rejection_without_any_active_goal_suggests_a_weekly_goal(api: ApiCaller) -> None:
    seeker = api.seeker()
    step = _by_key(api.rejection(seeker["id"], company="Globex")["next_steps"])["set_new_goals"]
    assert step["title"] == "Set a weekly goal you control"
    assert step["body"].startswith("A weekly goal, such as five well-matched applications")
    assert [e["rule_id"] for e in step["explanation"]] == ["set_new_goals.no_active_goal"]
    assert step["suggested_goal"] == {
        "title": "Apply to 5 well-matched roles a week",
        "kind": "applications",
        "target": 5,
        "unit": "applications",
        "period": "week",
    }
    accepted = api.post(f"/v1/next-steps/{step['id']}/accept-goal")
    assert accepted.status_code == 201
    later = _by_key(api.rejection(seeker["id"], company="Initech")["next_steps"])
    assert "set_new_goals" not in later, "the accepted goal is active now"


def test_create_rejection_with_an_applications_goal_behind_says_so(api: ApiCaller) -> None:
    seeker = api.seeker()
    today = datetime.now(UTC).date()
    api.goal(
        seeker["id"],
        title="Apply to 20 this month",
        kind="applications",
        target=20,
        period="none",
        start_on=str(today - timedelta(days=10)),
        due_on=str(today + timedelta(days=10)),
    )  # the pace line is at about 10 by today; nothing has been applied for
    steps = _by_key(api.rejection(seeker["id"], reason="lacks_skills")["next_steps"])
    step = steps["stay_proactive"]
    behind = [e for e in step["explanation"] if e["rule_id"] == "stay_proactive.behind_on_goal"]
    assert behind and behind[0]["facts"]["goals"][0]["current"] == 0
    assert "“Apply to 20 this month” you have 0 of 20 applications: 20 more by" in step["body"]
    assert "set_new_goals" not in steps
