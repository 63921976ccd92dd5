"""A batch coaches each seeker once, for their latest new rejection, with the rest as history."""

from tests.factories import ApiCaller

ITEM = {"company": "Acme", "role": "Analyst", "stage": "interview"}


def test_batch_coaches_each_seeker_once_for_their_latest_rejection(api: ApiCaller) -> None:
    ana, bo = api.seeker()["id"], api.seeker()["id"]
    items = [
        {**ITEM, "seeker_id": ana, "occurred_at": "2026-11-20T10:00:00Z"},
        {**ITEM, "seeker_id": ana, "occurred_at": "2026-11-22T10:00:00Z", "company": "Globex"},
        {**ITEM, "seeker_id": ana, "occurred_at": "2026-11-21T10:00:00Z"},
        {**ITEM, "seeker_id": bo, "occurred_at": "2026-11-19T10:00:00Z"},
    ]
    results = api.post("/v1/rejections/batch", json={"items": items}).json()["results"]
    ids = [r["rejection"]["id"] for r in results]

    ana_steps = api.get(f"/v1/seekers/{ana}/next-steps").json()["data"]
    assert ana_steps
    assert all(s["rejection_ids"] == [ids[1]] for s in ana_steps)  # the latest, Globex
    acknowledge = next(s for s in ana_steps if s["recommendation_key"] == "acknowledge_feelings")
    assert "Globex" in acknowledge["title"] + acknowledge["body"]
    bo_steps = api.get(f"/v1/seekers/{bo}/next-steps").json()["data"]
    assert bo_steps and all(s["rejection_ids"] == [ids[3]] for s in bo_steps)
