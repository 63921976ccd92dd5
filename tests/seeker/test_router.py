"""Seekers over HTTP: create, read, list, page, update, export and erase."""

from sqlalchemy import func, select
from sqlmodel import Session

from app.application.models import Application
from app.rejection.models import Rejection
from tests.factories import ApiCaller


def test_create_seeker_returns_it_with_defaults(api: ApiCaller) -> None:
    response = api.post("/v1/seekers", json={"display_name": "Ana", "skills": ["sql"]})
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("skr_")
    assert body["timezone"] == "UTC"
    assert body["skills"] == ["sql"]
    assert body["version"] == 1
    assert body["created_at"].endswith("Z") or body["created_at"].endswith("+00:00")
    assert api.get(f"/v1/seekers/{body['id']}").json() == body


def test_list_seekers_pages_newest_first_without_gaps(api: ApiCaller) -> None:
    created = [api.seeker(display_name=f"S{i}")["id"] for i in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get("/v1/seekers", params=params).json()
        seen += [s["id"] for s in page["data"]]
        if not page["has_more"]:
            assert page["next_cursor"] is None
            break
        cursor = page["next_cursor"]
    assert seen == list(reversed(created))


def test_list_seekers_filters_by_external_id(api: ApiCaller) -> None:
    api.seeker(external_id="crm-1")
    wanted = api.seeker(external_id="crm-2")
    page = api.get("/v1/seekers", params={"external_id": "crm-2"}).json()
    assert [s["id"] for s in page["data"]] == [wanted["id"]]


def test_create_seeker_rejects_taken_external_id(api: ApiCaller) -> None:
    api.seeker(external_id="crm-1")
    response = api.post("/v1/seekers", json={"external_id": "crm-1"})
    assert response.status_code == 409
    assert response.json()["code"] == "seeker_external_id_taken"


def test_update_seeker_changes_only_sent_fields_and_bumps_version(api: ApiCaller) -> None:
    seeker = api.seeker(display_name="Ana", skills=["sql"])
    response = api.patch(f"/v1/seekers/{seeker['id']}", json={"timezone": "Europe/Berlin"})
    assert response.status_code == 200
    body = response.json()
    assert body["timezone"] == "Europe/Berlin"
    assert body["skills"] == ["sql"]
    assert body["version"] == 2


def test_update_seeker_refuses_null_for_required_field(api: ApiCaller) -> None:
    seeker = api.seeker()
    response = api.patch(f"/v1/seekers/{seeker['id']}", json={"timezone": None})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/timezone"
    assert api.get(f"/v1/seekers/{seeker['id']}").json()["version"] == 1


def test_delete_seeker_erases_everything_about_them(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker()
    application = api.application(seeker["id"])
    api.rejection(seeker["id"], application_id=application["id"])
    keep = api.seeker()
    api.rejection(keep["id"])

    assert api.delete(f"/v1/seekers/{seeker['id']}").status_code == 204

    assert api.get(f"/v1/seekers/{seeker['id']}").status_code == 404
    assert api.get(f"/v1/applications/{application['id']}").status_code == 404
    gone = session.scalar(
        select(func.count()).select_from(Rejection).where(Rejection.seeker_id == seeker["id"])
    )
    apps = session.scalar(
        select(func.count()).select_from(Application).where(Application.seeker_id == seeker["id"])
    )
    assert (gone, apps) == (0, 0)
    assert len(api.get(f"/v1/seekers/{keep['id']}/rejections").json()["data"]) == 1


def test_export_seeker_holds_everything_recorded(api: ApiCaller) -> None:
    seeker = api.seeker(strengths=["storytelling"])
    application = api.application(seeker["id"])
    rejection = api.rejection(seeker["id"], feedback="Strong, but we hired internally.")
    body = api.get(f"/v1/seekers/{seeker['id']}/export").json()
    assert body["seeker"]["strengths"] == ["storytelling"]
    assert [a["id"] for a in body["applications"]] == [application["id"]]
    assert [r["id"] for r in body["rejections"]] == [rejection["id"]]
    assert body["rejections"][0]["feedback"] == "Strong, but we hired internally."
    assert {s["recommendation_key"] for s in body["next_steps"]} >= {"acknowledge_feelings"}
    assert all(rejection["id"] in s["rejection_ids"] for s in body["next_steps"])
