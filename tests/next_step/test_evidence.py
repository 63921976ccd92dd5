"""A step rests on the facts of its supporting events: bounded however long the history, and
worded again from what remains when one of them is deleted."""

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.factories import ApiCaller

MANY = 25


def _steps(api: ApiCaller, seeker_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    data = api.get(f"/v1/seekers/{seeker_id}/next-steps", params={"limit": 200}).json()["data"]
    return {(s["recommendation_key"], s["title"]): s for s in data}


def _by_key(api: ApiCaller, seeker_id: str, key: str) -> dict[str, Any]:
    return next(s for (k, _), s in _steps(api, seeker_id).items() if k == key)


def _reject(api: ApiCaller, seeker_id: str, days_ago: int, **fields: Any) -> dict[str, Any]:
    at = datetime.now(UTC) - timedelta(days=days_ago)
    return api.rejection(seeker_id, occurred_at=at.isoformat(), **fields)


def test_a_long_history_lists_the_20_latest_rejections_and_counts_them_all(
    api: ApiCaller,
) -> None:
    seeker = api.seeker()
    made = [
        _reject(api, seeker["id"], MANY - i, company=f"Company {i}", stage="application_review")
        for i in range(MANY)
    ]
    step = _by_key(api, seeker["id"], "acknowledge_feelings")
    assert step["rejection_count"] == MANY
    assert step["rejection_ids"] == [r["id"] for r in made[-20:]]  # the latest, oldest first
    lines = step["explanation"]
    assert len(lines) <= 10 and len({e["rule_id"] for e in lines}) == len(lines)
    after = next(e for e in lines if e["rule_id"] == "acknowledge_feelings.after_rejection")
    assert after["count"] == MANY and after["rejection_id"] == made[-1]["id"]
    assert after["reason"].startswith(f"{MANY} rejections are behind this step")
    assert "Company 24" in step["title"]


def test_the_create_answer_stays_the_same_size_as_the_history_grows(api: ApiCaller) -> None:
    seeker = api.seeker()
    sizes = []
    for i in range(MANY + 10):
        body = {"company": f"Company {i}", "role": "Analyst", "stage": "interview"}
        response = api.post(f"/v1/seekers/{seeker['id']}/rejections", json=body)
        sizes.append(len(response.content))
    assert max(sizes[-5:]) <= 1.2 * max(sizes[20:25])  # bounded once 20 events are kept


def test_deleting_a_rejection_words_the_step_again_from_what_remains(api: ApiCaller) -> None:
    seeker = api.seeker()
    first = _reject(api, seeker["id"], 3, company="Satispay", role="Frontend Developer", mood=1)
    second = _reject(api, seeker["id"], 1, company="Northwind", role="Backend Developer", mood=4)
    step = _by_key(api, seeker["id"], "acknowledge_feelings")
    assert "Northwind" in step["title"] and "Satispay" in step["body"]

    assert api.delete(f"/v1/rejections/{second['id']}").status_code == 204
    step = _by_key(api, seeker["id"], "acknowledge_feelings")
    assert "Satispay" in step["title"] and "Northwind" not in step["title"] + step["body"]
    assert step["rejection_ids"] == [first["id"]] and step["rejection_count"] == 1
    assert "You rated your mood 1 out of 5" in step["body"]  # Satispay's own mood, not 4

    assert api.delete(f"/v1/rejections/{first['id']}").status_code == 204
    retracted = api.get(f"/v1/next-steps/{step['id']}").json()
    assert retracted["status"] == "retracted" and retracted["rejection_count"] == 0


def test_deleting_an_old_rejection_beyond_the_20_kept_still_counts_it_out(
    api: ApiCaller,
) -> None:
    seeker = api.seeker()
    made = [
        _reject(api, seeker["id"], MANY - i, company=f"Company {i}", stage="application_review")
        for i in range(MANY)
    ]
    assert api.delete(f"/v1/rejections/{made[0]['id']}").status_code == 204
    step = _by_key(api, seeker["id"], "acknowledge_feelings")
    assert step["rejection_count"] == MANY - 1
    assert step["rejection_ids"] == [r["id"] for r in made[-20:]]
    assert api.delete(f"/v1/rejections/{made[-1]['id']}").status_code == 204
    step = _by_key(api, seeker["id"], "acknowledge_feelings")
    assert step["rejection_ids"] == [r["id"] for r in made[-21:-1]]  # refilled from the rest
    assert "Company 23" in step["title"]


def test_a_feedback_request_waits_for_each_company_with_its_own_draft(api: ApiCaller) -> None:
    seeker = api.seeker(display_name="Ana")
    _reject(api, seeker["id"], 2, company="Northwind", role="Analyst", stage="final_round")
    _reject(
        api,
        seeker["id"],
        1,
        company="Southridge",
        role="Data Analyst",
        stage="interview",
        contact_name="Priya Shah",
    )
    drafts = [
        s["draft_message"]
        for (key, _), s in _steps(api, seeker["id"]).items()
        if key == "seek_feedback"
    ]
    assert len(drafts) == 2
    north = next(d for d in drafts if "Northwind" in d)
    south = next(d for d in drafts if d is not north)
    assert north.startswith("Dear Northwind hiring team,") and north.endswith("Ana")
    assert south.startswith("Dear Priya Shah,") and "Data Analyst" in south


def test_a_draft_addresses_the_person_the_application_names(api: ApiCaller) -> None:
    seeker = api.seeker(display_name="Ana")
    application = api.application(seeker["id"], company="Umbra", contact_name="Jo Park")
    api.rejection(
        seeker["id"],
        company="Umbra",
        role="Analyst",
        stage="interview",
        application_id=application["id"],
    )
    step = next(s for (key, _), s in _steps(api, seeker["id"]).items() if key == "seek_feedback")
    assert step["draft_message"].startswith("Dear Jo Park,")
