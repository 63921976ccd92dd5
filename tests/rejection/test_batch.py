"""`POST /v1/rejections/batch`: each item succeeds or fails alone and gets its own result."""

from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.core import ids
from app.rejection.models import Rejection
from app.seeker.models import Seeker
from tests.factories import ApiCaller

URL = "/v1/rejections/batch"


def _item(**fields: Any) -> dict[str, Any]:
    return {"company": "Acme", "role": "Data Analyst", "stage": "interview", **fields}


def _rows(session: Session, tenant_id: str) -> int:
    stmt = select(func.count()).select_from(Rejection).where(Rejection.tenant_id == tenant_id)
    return int(session.scalar(stmt) or 0)


def _tenant(session: Session, seeker: dict[str, Any]) -> str:
    return session.get_one(Seeker, seeker["id"]).tenant_id


def _outcomes(body: dict[str, Any]) -> list[str]:
    return [r["outcome"] for r in body["results"]]


def test_batch_stores_good_items_and_reports_bad_ones(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker(external_id="crm-1")
    items = [
        _item(seeker_id=seeker["id"], source="greenhouse", external_id="gh-1"),
        _item(seeker_external_id="crm-1", stage="coffee_chat", mood=9),
        _item(seeker_external_id="crm-1", company="Globex", missing_skills=["sql"]),
        _item(seeker_external_id="crm-404"),
        _item(seeker_id=seeker["id"], application_id="app_unknown"),
    ]
    response = api.post(URL, json={"items": items})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["created"], body["duplicates"], body["failed"]) == (2, 0, 3)
    assert [r["index"] for r in body["results"]] == [0, 1, 2, 3, 4]
    assert _outcomes(body) == ["created", "failed", "created", "failed", "failed"]

    invalid = body["results"][1]
    assert invalid["rejection"] is None
    assert invalid["error"]["status"] == 422
    assert invalid["error"]["code"] == "validation_failed"
    assert sorted(e["pointer"] for e in invalid["error"]["errors"]) == ["/mood", "/stage"]
    unknown_seeker = body["results"][3]["error"]
    assert (unknown_seeker["status"], unknown_seeker["code"]) == (404, "seeker_not_found")
    bad_link = body["results"][4]["error"]
    assert bad_link["status"] == 422
    assert [e["pointer"] for e in bad_link["errors"]] == ["/application_id"]

    stored = [body["results"][i]["rejection"] for i in (0, 2)]
    assert [r["seeker_id"] for r in stored] == [seeker["id"]] * 2
    assert stored[1]["missing_skills"] == ["sql"]
    listed = api.get(f"/v1/seekers/{seeker['id']}/rejections").json()["data"]
    assert sorted(r["id"] for r in listed) == sorted(r["id"] for r in stored)
    assert api.get(f"/v1/rejections/{stored[0]['id']}").json()["external_id"] == "gh-1"
    assert _rows(session, _tenant(session, seeker)) == 2


def test_batch_item_must_name_exactly_one_seeker_ref(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker(external_id="crm-1")
    items = [
        _item(),
        _item(seeker_id=seeker["id"], seeker_external_id="crm-1"),
        _item(seeker_id=seeker["id"]),
    ]
    body = api.post(URL, json={"items": items}).json()
    assert _outcomes(body) == ["failed", "failed", "created"]
    for result in body["results"][:2]:
        assert result["error"]["status"] == 422
        assert result["error"]["code"] == "validation_failed"
        assert any("seeker" in e["detail"] for e in result["error"]["errors"])
    assert _rows(session, _tenant(session, seeker)) == 1


def test_batch_stores_duplicates_inside_one_batch_once(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker(external_id="crm-1")
    items = [
        _item(seeker_id=seeker["id"], source="lever", external_id="lv-1", mood=2),
        _item(seeker_external_id="crm-1", source="lever", external_id="lv-1", mood=4),
        _item(seeker_id=seeker["id"], source="greenhouse", external_id="lv-1"),
    ]
    body = api.post(URL, json={"items": items}).json()
    assert _outcomes(body) == ["created", "duplicate", "created"]
    assert (body["created"], body["duplicates"], body["failed"]) == (2, 1, 0)
    first, repeat, other_source = (r["rejection"] for r in body["results"])
    assert repeat["id"] == first["id"]
    assert repeat["mood"] == 2
    assert other_source["id"] != first["id"]
    assert _rows(session, _tenant(session, seeker)) == 2


def test_batch_resent_reports_all_duplicates_and_writes_nothing(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker(external_id="crm-1")
    application = api.application(seeker["id"])
    items = [
        _item(seeker_external_id="crm-1", source="greenhouse", external_id=f"gh-{i}")
        for i in range(4)
    ]
    items.append(_item(seeker_id=seeker["id"], application_id=application["id"], external_id="m-1"))
    first = api.post(URL, json={"items": items}).json()
    assert first["created"] == 5
    ended = api.get(f"/v1/applications/{application['id']}").json()
    assert (ended["status"], ended["version"]) == ("rejected", 2)

    again = api.post(URL, json={"items": items})
    assert again.status_code == 200
    body = again.json()
    assert (body["created"], body["duplicates"], body["failed"]) == (0, 5, 0)
    assert [r["rejection"]["id"] for r in body["results"]] == [
        r["rejection"]["id"] for r in first["results"]
    ]
    assert _rows(session, _tenant(session, seeker)) == 5
    assert api.get(f"/v1/applications/{application['id']}").json() == ended


def test_batch_duplicate_of_single_post_is_reported(api: ApiCaller) -> None:
    seeker = api.seeker()
    single = api.rejection(seeker["id"], source="workday", external_id="wd-1")
    items = [_item(seeker_id=seeker["id"], source="workday", external_id="wd-1")]
    body = api.post(URL, json={"items": items}).json()
    assert _outcomes(body) == ["duplicate"]
    assert body["results"][0]["rejection"]["id"] == single["id"]


def test_batch_links_applications(api: ApiCaller) -> None:
    seeker = api.seeker()
    lost = api.application(seeker["id"], company="Acme")
    left = api.application(seeker["id"], company="Globex")
    items = [
        _item(seeker_id=seeker["id"], application_id=lost["id"]),
        _item(seeker_id=seeker["id"], application_id=left["id"], ended_by="candidate"),
    ]
    body = api.post(URL, json={"items": items}).json()
    assert _outcomes(body) == ["created", "created"]
    assert body["results"][0]["rejection"]["application_id"] == lost["id"]
    assert api.get(f"/v1/applications/{lost['id']}").json()["status"] == "rejected"
    assert api.get(f"/v1/applications/{left['id']}").json()["status"] == "withdrawn"


def test_batch_unknown_or_foreign_seeker_fails_only_that_item(
    api: ApiCaller, other_api: ApiCaller, session: Session
) -> None:
    mine = api.seeker(external_id="crm-1")
    theirs = other_api.seeker(external_id="crm-2")
    items = [
        _item(seeker_id=theirs["id"]),
        _item(seeker_external_id="crm-2"),
        _item(seeker_id="skr_doesnotexist"),
        _item(seeker_external_id="crm-1"),
    ]
    body = api.post(URL, json={"items": items}).json()
    assert _outcomes(body) == ["failed", "failed", "failed", "created"]
    errors = [r["error"] for r in body["results"][:3]]
    assert {(e["status"], e["code"]) for e in errors} == {(404, "seeker_not_found")}
    assert len({e["detail"] for e in errors}) == 1  # a foreign seeker reads like a missing one
    assert _rows(session, _tenant(session, theirs)) == 0
    assert _rows(session, _tenant(session, mine)) == 1


def test_batch_accepts_500_items(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker(external_id="crm-1")
    items = [
        _item(seeker_external_id="crm-1", source="ats", external_id=f"ats-{i}", company=f"Co {i}")
        for i in range(500)
    ]
    response = api.post(URL, json={"items": items})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["created"], body["duplicates"], body["failed"]) == (500, 0, 0)
    assert [r["index"] for r in body["results"]] == list(range(500))
    assert [r["rejection"]["company"] for r in body["results"]] == [f"Co {i}" for i in range(500)]
    assert _rows(session, _tenant(session, seeker)) == 500


def test_batch_refuses_empty_or_oversized_envelope(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker(external_id="crm-1")
    too_many = [_item(seeker_external_id="crm-1", external_id=f"x-{i}") for i in range(501)]
    for payload in ({"items": []}, {"items": too_many}, {}, {"items": [], "extra": 1}):
        response = api.post(URL, json=payload)
        assert response.status_code == 422, payload.keys()
        assert response.headers["content-type"].startswith("application/problem+json")
    assert _rows(session, _tenant(session, seeker)) == 0


def test_batch_fails_a_non_object_item_alone(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker(external_id="crm-1")
    response = api.post(URL, json={"items": [_item(seeker_external_id="crm-1"), "oops", None]})
    assert response.status_code == 200
    body = response.json()
    assert [r["outcome"] for r in body["results"]] == ["created", "failed", "failed"]
    assert body["results"][1]["error"]["status"] == 422
    assert _rows(session, _tenant(session, seeker)) == 1


def test_batch_serves_occurred_at_in_utc(api: ApiCaller) -> None:
    seeker = api.seeker()
    items = [_item(seeker_id=seeker["id"], occurred_at="2025-01-31T23:30:00-05:00")]
    rejection = api.post(URL, json={"items": items}).json()["results"][0]["rejection"]
    assert rejection["occurred_at"] in {"2025-02-01T04:30:00Z", "2025-02-01T04:30:00+00:00"}


def test_batch_items_page_through_the_list_without_gaps(api: ApiCaller) -> None:
    seeker = api.seeker()
    items = [_item(seeker_id=seeker["id"], company=f"Co {i}") for i in range(120)]
    body = api.post(URL, json={"items": items}).json()
    created = {r["rejection"]["id"] for r in body["results"]}
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 50, **({"cursor": cursor} if cursor else {})}
        page = api.get(f"/v1/seekers/{seeker['id']}/rejections", params=params).json()
        seen += [r["id"] for r in page["data"]]
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert len(seen) == len(created) == 120
    assert set(seen) == created


def test_batch_items_list_newest_first_in_recorded_order(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeker = api.seeker()
    # A fast server records a whole batch within one millisecond; pin the clock to say so.
    monkeypatch.setattr(ids, "time", SimpleNamespace(time_ns=lambda: 1_800_000_000_000_000_000))
    items = [_item(seeker_id=seeker["id"], company=f"Co {i}") for i in range(20)]
    api.post(URL, json={"items": items})
    page = api.get(f"/v1/seekers/{seeker['id']}/rejections", params={"limit": 200}).json()
    assert [r["company"] for r in page["data"]] == [f"Co {i}" for i in reversed(range(20))]
