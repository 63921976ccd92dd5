"""Rejections over HTTP: record (de-duplicated), link to applications, read, page and delete."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.rejection.models import Rejection
from app.seeker.models import Seeker
from app.tenant.models import Scope
from tests.factories import ApiCaller, make_key

FULL = {
    "company": "Globex",
    "role": "Backend Engineer",
    "stage": "final_round",
    "ended_by": "unknown",
    "reason": "lacks_skills",
    "reason_detail": "REJ_SKILLS_GAP: kubernetes",
    "feedback": "Great systems design; we need more Kubernetes depth.",
    "missing_skills": ["kubernetes", "terraform"],
    "mood": 2,
    "note": "Hoped for this one.",
    "occurred_at": "2025-06-01T09:30:00+02:00",
    "source": "greenhouse",
    "external_id": "gh-123",
}


def _count(session: Session, seeker_id: str) -> int:
    stmt = select(func.count()).select_from(Rejection).where(Rejection.seeker_id == seeker_id)
    return int(session.scalar(stmt) or 0)


def _post(api: ApiCaller, seeker_id: str, **fields: Any) -> Any:
    payload = {"company": "Acme", "role": "Data Analyst", "stage": "interview", **fields}
    return api.post(f"/v1/seekers/{seeker_id}/rejections", json=payload)


def _parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def test_create_rejection_round_trips_every_field(api: ApiCaller) -> None:
    seeker = api.seeker()
    response = api.post(f"/v1/seekers/{seeker['id']}/rejections", json=FULL)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("rej_")
    assert body["seeker_id"] == seeker["id"]
    assert body["application_id"] is None
    for field, value in FULL.items():
        if field != "occurred_at":
            assert body[field] == value, field
    assert _parse(body["occurred_at"]) == datetime(2025, 6, 1, 7, 30, tzinfo=UTC)
    stored = api.get(f"/v1/rejections/{body['id']}").json()
    assert {k: v for k, v in stored.items() if k != "next_steps"} == {
        k: v for k, v in body.items() if k != "next_steps"
    }


def test_create_rejection_serves_occurred_at_in_utc(api: ApiCaller) -> None:
    seeker = api.seeker()
    created = _post(api, seeker["id"], occurred_at="2025-06-01T09:30:00+02:00").json()
    read = api.get(f"/v1/rejections/{created['id']}").json()
    for body in (created, read):
        assert body["occurred_at"] in {"2025-06-01T07:30:00Z", "2025-06-01T07:30:00+00:00"}


def test_create_rejection_applies_defaults(api: ApiCaller) -> None:
    seeker = api.seeker()
    before = datetime.now(UTC)
    response = api.post(
        f"/v1/seekers/{seeker['id']}/rejections",
        json={"company": "Acme", "role": "Analyst", "stage": "phone_screen"},
    )
    after = datetime.now(UTC)
    assert response.status_code == 201
    body = response.json()
    assert body["ended_by"] == "employer"
    assert body["reason"] == "unspecified"
    assert body["source"] == "manual"
    assert body["external_id"] is None
    assert body["missing_skills"] == []
    assert body["mood"] is None
    assert before - timedelta(seconds=1) <= _parse(body["occurred_at"]) <= after
    assert isinstance(body["next_steps"], list)


@pytest.mark.parametrize(
    ("fields", "pointer"),
    [
        ({"stage": "coffee_chat"}, "/stage"),
        ({"reason": "vibes"}, "/reason"),
        ({"ended_by": "nobody"}, "/ended_by"),
        ({"mood": 0}, "/mood"),
        ({"mood": 6}, "/mood"),
        ({"occurred_at": "2025-06-01T09:30:00"}, "/occurred_at"),
        ({"missing_skills": ["x"] * 101}, "/missing_skills"),
        ({"feedback": "x" * 10_001}, "/feedback"),
        ({"company": "   "}, "/company"),
        ({"source": "has space"}, "/source"),
        ({"colour": "red"}, "/colour"),
    ],
)
def test_create_rejection_rejects_invalid_field(
    api: ApiCaller, session: Session, fields: dict[str, Any], pointer: str
) -> None:
    seeker = api.seeker()
    response = _post(api, seeker["id"], **fields)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]
    assert _count(session, seeker["id"]) == 0


def test_create_rejection_refuses_future_occurred_at(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker()
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    response = _post(api, seeker["id"], occurred_at=soon)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/occurred_at"
    assert _count(session, seeker["id"]) == 0


def test_create_rejection_repeat_external_id_answers_200_with_stored(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    first = _post(api, seeker["id"], source="greenhouse", external_id="gh-1", mood=3)
    again = _post(api, seeker["id"], source="greenhouse", external_id="gh-1", mood=5)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["mood"] == 3
    assert _count(session, seeker["id"]) == 1


def test_create_rejection_same_external_id_other_source_is_new(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    first = _post(api, seeker["id"], source="greenhouse", external_id="42")
    other = _post(api, seeker["id"], source="lever", external_id="42")
    assert (first.status_code, other.status_code) == (201, 201)
    assert other.json()["id"] != first.json()["id"]
    assert _count(session, seeker["id"]) == 2


def test_create_rejection_same_external_id_other_tenant_is_new(
    api: ApiCaller, other_api: ApiCaller
) -> None:
    mine = _post(api, api.seeker()["id"], source="greenhouse", external_id="7")
    theirs = _post(other_api, other_api.seeker()["id"], source="greenhouse", external_id="7")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert theirs.json()["id"] != mine.json()["id"]


@pytest.mark.parametrize(
    ("ended_by", "status"),
    [("employer", "rejected"), ("unknown", "rejected"), ("candidate", "withdrawn")],
)
def test_create_rejection_ends_linked_application(
    api: ApiCaller, ended_by: str, status: str
) -> None:
    seeker = api.seeker()
    application = api.application(seeker["id"])
    rejection = api.rejection(seeker["id"], application_id=application["id"], ended_by=ended_by)
    assert rejection["application_id"] == application["id"]
    ended = api.get(f"/v1/applications/{application['id']}").json()
    assert ended["status"] == status
    assert ended["version"] == application["version"] + 1


def test_create_rejection_repeat_leaves_linked_application_alone(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    application = api.application(seeker["id"])
    fields = {"application_id": application["id"], "source": "lever", "external_id": "lv-9"}
    first = _post(api, seeker["id"], **fields)
    api.patch(f"/v1/applications/{application['id']}", json={"status": "interviewing"})
    again = _post(api, seeker["id"], **fields)
    assert (first.status_code, again.status_code) == (201, 200)
    current = api.get(f"/v1/applications/{application['id']}").json()
    assert (current["status"], current["version"]) == ("interviewing", 3)
    assert _count(session, seeker["id"]) == 1


def test_create_rejection_refuses_application_of_other_seeker_or_tenant(
    api: ApiCaller, other_api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    sibling_app = api.application(api.seeker()["id"])
    foreign_app = other_api.application(other_api.seeker()["id"])
    for application_id in (sibling_app["id"], foreign_app["id"], "app_missing"):
        response = _post(api, seeker["id"], application_id=application_id)
        assert response.status_code == 422
        assert response.json()["errors"][0]["pointer"] == "/application_id"
    assert _count(session, seeker["id"]) == 0
    assert api.get(f"/v1/applications/{sibling_app['id']}").json()["status"] == "applied"
    assert other_api.get(f"/v1/applications/{foreign_app['id']}").json()["version"] == 1


def test_create_rejection_needs_rejections_write_scope(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker()
    tenant_id = session.get_one(Seeker, seeker["id"]).tenant_id
    scopes = (Scope.SEEKERS_READ, Scope.SEEKERS_WRITE)
    coach = ApiCaller(api.client, make_key(session, tenant_id, scopes))
    response = _post(coach, seeker["id"])
    assert response.status_code == 403
    assert response.json()["code"] == "missing_scope"
    rejection = api.rejection(seeker["id"])
    assert coach.delete(f"/v1/rejections/{rejection['id']}").status_code == 403
    assert coach.get(f"/v1/rejections/{rejection['id']}").status_code == 200
    assert _count(session, seeker["id"]) == 1


def test_create_rejection_for_other_tenants_seeker_is_404(
    api: ApiCaller, other_api: ApiCaller, session: Session
) -> None:
    seeker = other_api.seeker()
    response = _post(api, seeker["id"])
    assert response.status_code == 404
    assert response.json()["code"] == "seeker_not_found"
    assert _count(session, seeker["id"]) == 0


def test_read_rejection_of_other_tenant_is_404(api: ApiCaller, other_api: ApiCaller) -> None:
    rejection = api.rejection(api.seeker()["id"])
    unknown = other_api.get("/v1/rejections/rej_doesnotexist")
    foreign = other_api.get(f"/v1/rejections/{rejection['id']}")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json()["code"] == unknown.json()["code"] == "rejection_not_found"
    assert other_api.delete(f"/v1/rejections/{rejection['id']}").status_code == 404
    assert other_api.get(f"/v1/seekers/{rejection['seeker_id']}/rejections").status_code == 404
    assert api.get(f"/v1/rejections/{rejection['id']}").status_code == 200


def test_list_rejections_pages_newest_first_with_cursors(api: ApiCaller) -> None:
    seeker = api.seeker()
    created = [api.rejection(seeker["id"], company=f"C{i}")["id"] for i in range(5)]
    api.rejection(api.seeker()["id"])  # another seeker's: never listed here
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = api.get(f"/v1/seekers/{seeker['id']}/rejections", params=params)
        assert response.status_code == 200
        page = response.json()
        seen += [r["id"] for r in page["data"]]
        if not page["has_more"]:
            assert page["next_cursor"] is None
            break
        cursor = page["next_cursor"]
    assert seen == list(reversed(created))


@pytest.mark.parametrize("limit", ["0", "201", "ten"])
def test_list_rejections_refuses_bad_limit(api: ApiCaller, limit: str) -> None:
    seeker = api.seeker()
    response = api.get(f"/v1/seekers/{seeker['id']}/rejections", params={"limit": limit})
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "limit"


def test_delete_rejection_is_204_then_404_and_unlisted(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker()
    gone = api.rejection(seeker["id"], source="greenhouse", external_id="gh-del")
    kept = api.rejection(seeker["id"])
    url = f"/v1/rejections/{gone['id']}"
    response = api.delete(url)
    assert response.status_code == 204
    assert response.content == b""
    assert api.get(url).status_code == 404
    assert api.delete(url).status_code == 404
    listed = api.get(f"/v1/seekers/{seeker['id']}/rejections").json()["data"]
    assert [r["id"] for r in listed] == [kept["id"]]
    assert _count(session, seeker["id"]) == 1
    again = _post(api, seeker["id"], source="greenhouse", external_id="gh-del")
    assert again.status_code == 201  # the unreject frees the external id for a fresh push
    assert again.json()["id"] != gone["id"]
