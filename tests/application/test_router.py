"""Applications over HTTP: record, de-duplicate, read, page, update and delete."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.application import service as application_service
from app.application.models import Application
from app.seeker.models import Seeker
from app.tenant.models import Scope
from tests.factories import ApiCaller, make_key


def _count(session: Session, seeker_id: str) -> int:
    stmt = select(func.count()).select_from(Application).where(Application.seeker_id == seeker_id)
    return int(session.scalar(stmt) or 0)


def _parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def test_create_application_returns_it_with_defaults(api: ApiCaller) -> None:
    seeker = api.seeker()
    response = api.post(
        f"/v1/seekers/{seeker['id']}/applications",
        json={"company": " Acme ", "role": "Data Analyst", "job_url": "https://acme.example/j/1"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("app_")
    assert body["seeker_id"] == seeker["id"]
    assert body["company"] == "Acme"
    assert body["status"] == "applied"
    assert body["source"] == "manual"
    assert body["external_id"] is None
    assert body["job_url"] == "https://acme.example/j/1"
    assert body["version"] == 1
    assert api.get(f"/v1/applications/{body['id']}").json() == body


def test_create_application_defaults_applied_on_to_today_in_seeker_timezone(
    api: ApiCaller,
) -> None:
    zone = "Pacific/Kiritimati"  # UTC+14: its date differs from UTC's for 14 hours a day
    seeker = api.seeker(timezone=zone)
    before = datetime.now(ZoneInfo(zone)).date().isoformat()
    body = api.application(seeker["id"])
    after = datetime.now(ZoneInfo(zone)).date().isoformat()
    assert body["applied_on"] in {before, after}


def test_create_application_applied_on_follows_seeker_timezone_at_a_pinned_instant(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    pinned = datetime(2026, 3, 10, 20, 0, tzinfo=UTC)  # already 11 March in Kiritimati
    monkeypatch.setattr(application_service, "utc_now", lambda: pinned)
    east = api.seeker(timezone="Pacific/Kiritimati")
    west = api.seeker(timezone="Pacific/Honolulu")
    assert api.application(east["id"])["applied_on"] == "2026-03-11"
    assert api.application(west["id"])["applied_on"] == "2026-03-10"


def test_create_application_keeps_given_applied_on(api: ApiCaller) -> None:
    seeker = api.seeker(timezone="Pacific/Kiritimati")
    assert api.application(seeker["id"], applied_on="2025-12-31")["applied_on"] == "2025-12-31"


def test_create_application_repeat_external_id_answers_200_with_stored(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    url = f"/v1/seekers/{seeker['id']}/applications"
    payload = {"company": "Acme", "role": "Analyst", "source": "linkedin", "external_id": "li-9"}
    first = api.post(url, json=payload)
    again = api.post(url, json={**payload, "role": "Something else"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert _count(session, seeker["id"]) == 1


def test_create_application_same_external_id_other_source_is_new(api: ApiCaller) -> None:
    seeker = api.seeker()
    first = api.application(seeker["id"], source="linkedin", external_id="x-1")
    url = f"/v1/seekers/{seeker['id']}/applications"
    payload = {"company": "A", "role": "B", "source": "indeed", "external_id": "x-1"}
    other = api.post(url, json=payload)
    assert other.status_code == 201
    assert other.json()["id"] != first["id"]


@pytest.mark.parametrize(
    ("payload", "pointer"),
    [
        ({"role": "Analyst"}, "/company"),
        ({"company": "Acme", "role": "Analyst", "status": "ghosted"}, "/status"),
        ({"company": "Acme", "role": "Analyst", "job_url": "ftp://x"}, "/job_url"),
        ({"company": "Acme", "role": "Analyst", "colour": "red"}, "/colour"),
        ({"company": "x" * 201, "role": "Analyst"}, "/company"),
    ],
)
def test_create_application_rejects_invalid_body(
    api: ApiCaller, session: Session, payload: dict[str, str], pointer: str
) -> None:
    seeker = api.seeker()
    response = api.post(f"/v1/seekers/{seeker['id']}/applications", json=payload)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]
    assert _count(session, seeker["id"]) == 0


def test_create_application_needs_seekers_write_scope(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker()
    tenant_id = session.get_one(Seeker, seeker["id"]).tenant_id
    reader = ApiCaller(api.client, make_key(session, tenant_id, (Scope.SEEKERS_READ,)))
    url = f"/v1/seekers/{seeker['id']}/applications"
    response = reader.post(url, json={"company": "A", "role": "B"})
    assert response.status_code == 403
    assert response.json()["code"] == "missing_scope"
    assert reader.get(url).status_code == 200
    assert _count(session, seeker["id"]) == 0


def test_read_application_of_other_tenant_is_404(api: ApiCaller, other_api: ApiCaller) -> None:
    application = api.application(api.seeker()["id"])
    response = other_api.get(f"/v1/applications/{application['id']}")
    assert response.status_code == 404
    assert response.json()["code"] == "application_not_found"
    assert (
        other_api.patch(
            f"/v1/applications/{application['id']}", json={"status": "offer"}
        ).status_code
        == 404
    )
    assert other_api.delete(f"/v1/applications/{application['id']}").status_code == 404
    assert api.get(f"/v1/applications/{application['id']}").json()["status"] == "applied"


def test_list_applications_pages_newest_first_with_cursors(api: ApiCaller) -> None:
    seeker = api.seeker()
    created = [api.application(seeker["id"], company=f"C{i}")["id"] for i in range(5)]
    api.application(api.seeker()["id"])  # another seeker's: never listed here
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = api.get(f"/v1/seekers/{seeker['id']}/applications", params=params)
        assert response.status_code == 200
        page = response.json()
        assert len(page["data"]) <= 2
        seen += [a["id"] for a in page["data"]]
        if not page["has_more"]:
            assert page["next_cursor"] is None
            break
        cursor = page["next_cursor"]
    assert seen == list(reversed(created))


def test_list_applications_refuses_cursor_of_another_list(api: ApiCaller) -> None:
    first, second = api.seeker(), api.seeker()
    for _ in range(2):
        api.application(first["id"])
    cursor = api.get(f"/v1/seekers/{first['id']}/applications", params={"limit": 1}).json()[
        "next_cursor"
    ]
    response = api.get(f"/v1/seekers/{second['id']}/applications", params={"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"
    tampered = api.get(f"/v1/seekers/{first['id']}/applications", params={"cursor": "x" + cursor})
    assert tampered.status_code == 400


def test_update_application_changes_status_and_bumps_version(api: ApiCaller) -> None:
    application = api.application(api.seeker()["id"], job_url="https://acme.example/j/1")
    url = f"/v1/applications/{application['id']}"
    response = api.patch(url, json={"status": "interviewing", "job_url": None})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "interviewing"
    assert body["job_url"] is None
    assert body["company"] == application["company"]
    assert body["version"] == 2
    assert _parse(body["updated_at"]) >= _parse(application["updated_at"])
    assert api.get(url).json() == body


def test_update_application_without_changes_keeps_version(api: ApiCaller) -> None:
    application = api.application(api.seeker()["id"])
    response = api.patch(f"/v1/applications/{application['id']}", json={})
    assert response.status_code == 200
    assert response.json()["version"] == 1


@pytest.mark.parametrize("field", ["company", "role", "applied_on", "status"])
def test_update_application_refuses_null_for_required_field(api: ApiCaller, field: str) -> None:
    application = api.application(api.seeker()["id"])
    url = f"/v1/applications/{application['id']}"
    response = api.patch(url, json={field: None})
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == [f"/{field}"]
    assert api.get(url).json() == application


def test_update_application_refuses_unknown_field_and_status(api: ApiCaller) -> None:
    application = api.application(api.seeker()["id"])
    url = f"/v1/applications/{application['id']}"
    assert api.patch(url, json={"external_id": "late"}).status_code == 422
    assert api.patch(url, json={"status": "ghosted"}).status_code == 422
    assert api.get(url).json()["version"] == 1


def test_delete_application_is_204_then_404(api: ApiCaller) -> None:
    seeker = api.seeker()
    application = api.application(seeker["id"])
    url = f"/v1/applications/{application['id']}"
    response = api.delete(url)
    assert response.status_code == 204
    assert response.content == b""
    assert api.get(url).status_code == 404
    assert api.delete(url).status_code == 404
    assert api.get(f"/v1/seekers/{seeker['id']}/applications").json()["data"] == []


def test_delete_application_keeps_linked_rejection_unlinked(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    application = api.application(seeker["id"])
    rejection = api.rejection(seeker["id"], application_id=application["id"])
    assert rejection["application_id"] == application["id"]

    assert api.delete(f"/v1/applications/{application['id']}").status_code == 204

    response = api.get(f"/v1/rejections/{rejection['id']}")
    assert response.status_code == 200
    assert response.json()["application_id"] is None
    listed = api.get(f"/v1/seekers/{seeker['id']}/rejections").json()["data"]
    assert [(r["id"], r["application_id"]) for r in listed] == [(rejection["id"], None)]
