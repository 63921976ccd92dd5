"""Insights over HTTP: `days` validation, tenant isolation and next steps by effective status."""

from datetime import UTC, datetime

import pytest

from app.next_step import service as next_step_service
from tests.factories import ApiCaller
from tests.insight.support import PROBLEM, at, insights


@pytest.mark.parametrize("days", [0, 731, -1])
def test_read_insights_rejects_days_out_of_range(api: ApiCaller, days: int) -> None:
    seeker_id = api.seeker()["id"]
    response = api.get(f"/v1/seekers/{seeker_id}/insights", params={"days": days})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["parameter"] == "days"


def test_read_insights_of_other_tenants_seeker_is_not_found(
    api: ApiCaller, other_api: ApiCaller
) -> None:
    seeker_id = api.seeker()["id"]
    api.rejection(seeker_id, occurred_at=at("2026-06-16T08:00"))
    response = other_api.get(f"/v1/seekers/{seeker_id}/insights")
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "seeker_not_found"


def test_read_insights_tallies_next_steps_by_effective_status(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeker_id = api.seeker()["id"]
    # The role went to someone else: that alone prompts stay_proactive (a fourth step).
    created = api.rejection(seeker_id, reason="other_candidate", occurred_at=at("2026-06-01T09:00"))
    first = created["next_steps"]
    keys = sorted(step["recommendation_key"] for step in first)
    assert len(keys) >= 4
    steps = {step["recommendation_key"]: step["id"] for step in first}
    monkeypatch.setattr(next_step_service, "utc_now", lambda: datetime(2026, 6, 2, tzinfo=UTC))
    changes = [
        {"status": "done"},
        {"status": "dismissed"},
        {"status": "snoozed", "snoozed_until": at("2026-06-10T00:00")},  # woken by NOW
        {"status": "snoozed", "snoozed_until": at("2026-07-01T00:00")},
    ]
    for key, change in zip(keys, changes, strict=False):
        response = api.patch(f"/v1/next-steps/{steps[key]}", json=change)
        assert response.status_code == 200, response.text
    tally = {t["recommendation_key"]: t for t in insights(api, seeker_id)["next_steps"]}
    assert sorted(tally) == keys
    counts = [[tally[k][s] for s in ("open", "snoozed", "done", "dismissed")] for k in keys]
    assert counts[:4] == [[0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0]]
    assert all(c == [1, 0, 0, 0] for c in counts[4:])
    # A rejection's steps that nothing else supports are retracted with it, and not tallied.
    other = api.seeker()["id"]
    lone = api.rejection(other, occurred_at=at("2026-06-01T09:00"))
    assert api.delete(f"/v1/rejections/{lone['id']}").status_code == 204
    assert insights(api, other)["next_steps"] == []
