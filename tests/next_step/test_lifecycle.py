"""A next step's lifecycle: done, dismissed, snoozed and back; retracted when its rejection goes."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from tests.factories import ApiCaller


def _parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def _by_key(steps: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {step["recommendation_key"]: step for step in steps}


def _patch(api: ApiCaller, step_id: str, **body: Any) -> Any:
    return api.patch(f"/v1/next-steps/{step_id}", json=body)


def _ids(api: ApiCaller, seeker_id: str, status: str = "open") -> list[str]:
    response = api.get(f"/v1/seekers/{seeker_id}/next-steps", params={"status": status})
    assert response.status_code == 200, response.text
    return [step["id"] for step in response.json()["data"]]


def _later(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


@pytest.fixture
def step(api: ApiCaller) -> dict[str, Any]:
    """An open acknowledge_feelings step of a fresh seeker."""
    seeker = api.seeker()
    return _by_key(api.rejection(seeker["id"])["next_steps"])["acknowledge_feelings"]


@pytest.mark.parametrize(
    "moves",
    [
        ["done", "open", "done"],
        ["dismissed", "open"],
        ["done", "open", "dismissed", "open"],
    ],
)
def test_update_next_step_moves_between_statuses(
    api: ApiCaller, step: dict[str, Any], moves: list[str]
) -> None:
    for version, status in enumerate(moves, start=2):
        response = _patch(api, step["id"], status=status)
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["status"], body["version"]) == (status, version)
        assert body["snoozed_until"] is None
        assert api.get(f"/v1/next-steps/{step['id']}").json() == body
        assert step["id"] in _ids(api, step["seeker_id"], status)


def test_update_next_step_snoozes_until_a_future_time(api: ApiCaller, step: dict[str, Any]) -> None:
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    response = _patch(api, step["id"], status="snoozed", snoozed_until=until.isoformat())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "snoozed"
    assert _parse(body["snoozed_until"]) == until
    assert api.get(f"/v1/next-steps/{step['id']}").json() == body
    assert step["id"] not in _ids(api, step["seeker_id"])
    assert _ids(api, step["seeker_id"], "snoozed") == [step["id"]]
    woken = _patch(api, step["id"], status="open")
    assert woken.status_code == 200, woken.text
    assert (woken.json()["status"], woken.json()["snoozed_until"]) == ("open", None)


def test_update_next_step_snoozed_until_is_served_in_utc(
    api: ApiCaller, step: dict[str, Any]
) -> None:
    until = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    sent = until.astimezone(timezone(timedelta(hours=2))).isoformat()
    response = _patch(api, step["id"], status="snoozed", snoozed_until=sent)
    assert response.status_code == 200, response.text
    served = response.json()["snoozed_until"]
    assert served.endswith("Z") and _parse(served) == until
    assert api.get(f"/v1/next-steps/{step['id']}").json() == response.json()


@pytest.mark.parametrize(
    "body",
    [
        {"status": "snoozed", "snoozed_until": "2020-01-01T00:00:00Z"},
        {"status": "snoozed"},
        {"status": "snoozed", "snoozed_until": None},
        {"status": "snoozed", "snoozed_until": "2999-01-01T00:00:00"},
        {"status": "done", "snoozed_until": "2999-01-01T00:00:00Z"},
    ],
)
def test_update_next_step_bad_snooze_is_422_at_snoozed_until(
    api: ApiCaller, step: dict[str, Any], body: dict[str, Any]
) -> None:
    response = api.patch(f"/v1/next-steps/{step['id']}", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "/snoozed_until" in [e["pointer"] for e in response.json()["errors"]]
    assert api.get(f"/v1/next-steps/{step['id']}").json() == step


def test_update_next_step_retracted_refuses_every_move(api: ApiCaller) -> None:
    seeker = api.seeker()
    rejection = api.rejection(seeker["id"])
    step = rejection["next_steps"][0]
    assert api.delete(f"/v1/rejections/{rejection['id']}").status_code == 204
    for body in (
        {"status": "open"},
        {"status": "done"},
        {"status": "dismissed"},
        {"status": "snoozed", "snoozed_until": _later(days=1)},
        {"status": "retracted"},
    ):
        response = _patch(api, step["id"], **body)
        assert response.status_code == 409, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "invalid_transition"
    assert api.get(f"/v1/next-steps/{step['id']}").json()["status"] == "retracted"


@pytest.mark.parametrize("status", ["retracted", "open"])
def test_update_next_step_to_its_own_or_a_server_status_is_409(
    api: ApiCaller, step: dict[str, Any], status: str
) -> None:
    response = _patch(api, step["id"], status=status)
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "invalid_transition"


def test_update_next_step_reopen_while_another_is_open_conflicts(api: ApiCaller) -> None:
    seeker = api.seeker()
    first = _by_key(api.rejection(seeker["id"])["next_steps"])["acknowledge_feelings"]
    assert _patch(api, first["id"], status="done").status_code == 200
    second = _by_key(api.rejection(seeker["id"])["next_steps"])["acknowledge_feelings"]
    assert second["id"] != first["id"]
    response = _patch(api, first["id"], status="open")
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert api.get(f"/v1/next-steps/{first['id']}").json()["status"] == "done"
    assert _patch(api, second["id"], status="dismissed").status_code == 200
    assert _patch(api, first["id"], status="open").status_code == 200
    assert _patch(api, second["id"], status="open").status_code == 409


def test_next_step_snoozed_past_its_time_is_open_again(
    api: ApiCaller, step: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    seeker_id = step["seeker_id"]
    snoozed = _patch(api, step["id"], status="snoozed", snoozed_until=_later(hours=1))
    assert snoozed.status_code == 200, snoozed.text
    assert step["id"] not in _ids(api, seeker_id)
    later = datetime.now(UTC) + timedelta(hours=2)
    monkeypatch.setattr("app.next_step.service.utc_now", lambda: later)
    read = api.get(f"/v1/next-steps/{step['id']}").json()
    assert (read["status"], read["snoozed_until"]) == ("open", None)
    assert step["id"] in _ids(api, seeker_id)
    assert _ids(api, seeker_id, "snoozed") == []
    again = _patch(api, step["id"], status="snoozed", snoozed_until=_later(hours=3))
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "snoozed"


def test_create_rejection_extends_a_snoozed_step_without_waking_it(
    api: ApiCaller, step: dict[str, Any]
) -> None:
    until = _later(days=1)
    assert _patch(api, step["id"], status="snoozed", snoozed_until=until).status_code == 200
    rejection = api.rejection(step["seeker_id"])
    extended = _by_key(rejection["next_steps"])["acknowledge_feelings"]
    assert (extended["id"], extended["status"]) == (step["id"], "snoozed")
    assert extended["rejection_ids"] == [*step["rejection_ids"], rejection["id"]]
    assert step["id"] not in _ids(api, step["seeker_id"])


def test_delete_rejection_retracts_only_the_steps_it_alone_supported(api: ApiCaller) -> None:
    seeker = api.seeker()
    first = api.rejection(seeker["id"], company="Globex", stage="interview")
    second = api.rejection(
        seeker["id"], company="Initech", stage="application_review", reason="other_candidate"
    )
    old, new = _by_key(first["next_steps"]), _by_key(second["next_steps"])
    assert "seek_feedback" in old and "seek_feedback" not in new
    shared = new["acknowledge_feelings"]
    assert shared["rejection_ids"] == [first["id"], second["id"]]
    assert api.delete(f"/v1/rejections/{first['id']}").status_code == 204

    kept = api.get(f"/v1/next-steps/{shared['id']}").json()
    assert (kept["status"], kept["rejection_ids"]) == ("open", [second["id"]])
    assert [e["facts"]["company"] for e in kept["explanation"]] == ["Initech"]
    assert {e["rejection_id"] for e in kept["explanation"]} == {second["id"]}
    assert kept["version"] == shared["version"] + 1
    retracted = api.get(f"/v1/next-steps/{old['seek_feedback']['id']}").json()
    assert (retracted["status"], retracted["rejection_ids"]) == ("retracted", [])
    assert _ids(api, seeker["id"], "retracted") == [old["seek_feedback"]["id"]]
    assert old["seek_feedback"]["id"] not in _ids(api, seeker["id"])
    assert set(_ids(api, seeker["id"])) == {s["id"] for s in new.values()}


def test_delete_rejection_retracts_a_snoozed_step_and_keeps_a_done_one(api: ApiCaller) -> None:
    seeker = api.seeker()
    rejection = api.rejection(seeker["id"], stage="interview")
    steps = _by_key(rejection["next_steps"])
    snoozed, done = steps["seek_feedback"]["id"], steps["acknowledge_feelings"]["id"]
    assert _patch(api, snoozed, status="snoozed", snoozed_until=_later(days=1)).status_code == 200
    assert _patch(api, done, status="done").status_code == 200
    assert api.delete(f"/v1/rejections/{rejection['id']}").status_code == 204
    assert api.get(f"/v1/next-steps/{snoozed}").json()["status"] == "retracted"
    assert api.get(f"/v1/next-steps/{snoozed}").json()["snoozed_until"] is None
    assert api.get(f"/v1/next-steps/{done}").json()["status"] == "done"
    assert _ids(api, seeker["id"]) == []
    assert set(_ids(api, seeker["id"], "retracted")) == {
        s["id"] for k, s in steps.items() if k != "acknowledge_feelings"
    }
    fresh = _by_key(api.rejection(seeker["id"])["next_steps"])["seek_feedback"]
    assert fresh["id"] != snoozed and fresh["status"] == "open"
