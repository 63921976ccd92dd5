"""Bad fields in request bodies: a 422 problem that points at the field, and nothing written."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.application.models import Application
from app.rejection.models import Rejection
from app.seeker.models import Seeker
from tests.factories import ApiCaller

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance", "code", "request_id"}
MISSING = object()  # a case value that removes the field from the base body
APPLICATION = {"company": "Acme", "role": "Data Analyst"}
REJECTION = {"company": "Acme", "role": "Data Analyst", "stage": "interview"}
FUTURE = (datetime.now(UTC) + timedelta(days=1)).isoformat()
TARGETS = {
    "create_seeker": ("POST", "/v1/seekers", {}),
    "update_seeker": ("PATCH", "/v1/seekers/{seeker_id}", {}),
    "create_application": ("POST", "/v1/seekers/{seeker_id}/applications", APPLICATION),
    "update_application": ("PATCH", "/v1/applications/{application_id}", {}),
    "create_rejection": ("POST", "/v1/seekers/{seeker_id}/rejections", REJECTION),
}
CASES: list[tuple[str, dict[str, Any], str]] = [
    ("create_seeker", {"display_name": 42}, "/display_name"),
    ("create_seeker", {"skills": "sql"}, "/skills"),
    ("create_seeker", {"skills": [1]}, "/skills/0"),
    ("create_seeker", {"display_name": "x" * 201}, "/display_name"),
    ("create_seeker", {"display_name": "   "}, "/display_name"),
    ("create_seeker", {"display_name": "Sam\x00"}, "/display_name"),
    ("create_seeker", {"external_id": "x" * 256}, "/external_id"),
    ("create_seeker", {"skills": ["sql"] * 101}, "/skills"),
    ("create_seeker", {"strengths": ["x" * 101]}, "/strengths/0"),
    ("create_seeker", {"timezone": "Mars/Base"}, "/timezone"),
    ("create_seeker", {"timezone": "America"}, "/timezone"),
    ("create_seeker", {"locale": "english please"}, "/locale"),
    ("create_seeker", {"skillz": ["sql"]}, "/skillz"),
    ("update_seeker", {"timezone": None}, "/timezone"),
    ("update_seeker", {"skills": None}, "/skills"),
    ("update_seeker", {"timezone": "Mars/Base"}, "/timezone"),
    ("update_seeker", {"target_roles": ["analyst"] * 101}, "/target_roles"),
    ("update_seeker", {"skillz": []}, "/skillz"),
    ("update_seeker", {"version": 7}, "/version"),
    ("create_application", {"company": "x" * 201}, "/company"),
    ("create_application", {"role": "x" * 201}, "/role"),
    ("create_application", {"company": None}, "/company"),
    ("create_application", {"role": MISSING}, "/role"),
    ("create_application", {"status": "ghosted"}, "/status"),
    ("create_application", {"applied_on": "last tuesday"}, "/applied_on"),
    ("create_application", {"applied_on": "2025-02-30"}, "/applied_on"),
    ("create_application", {"applied_on": "0001-01-01"}, "/applied_on"),
    ("update_application", {"applied_on": "3000-01-01"}, "/applied_on"),
    ("create_application", {"job_url": "javascript:alert(1)"}, "/job_url"),
    ("create_application", {"job_url": "https://example.com/\x00"}, "/job_url"),
    ("create_application", {"external_id": "x" * 256}, "/external_id"),
    ("create_application", {"source": "linked in!"}, "/source"),
    ("create_application", {"seeker_id": "skr_x"}, "/seeker_id"),
    ("update_application", {"status": None}, "/status"),
    ("update_application", {"company": None}, "/company"),
    ("update_application", {"applied_on": None}, "/applied_on"),
    ("update_application", {"status": "ghosted"}, "/status"),
    ("update_application", {"role": "x" * 201}, "/role"),
    ("update_application", {"source": "greenhouse"}, "/source"),
    ("create_rejection", {"stage": "coffee_chat"}, "/stage"),
    ("create_rejection", {"reason": "bad_vibes"}, "/reason"),
    ("create_rejection", {"ended_by": "nobody"}, "/ended_by"),
    ("create_rejection", {"stage": MISSING}, "/stage"),
    ("create_rejection", {"company": "x" * 201}, "/company"),
    ("create_rejection", {"role": ["Analyst"]}, "/role"),
    ("create_rejection", {"feedback": "x" * 10_001}, "/feedback"),
    ("create_rejection", {"note": "x" * 10_001}, "/note"),
    ("create_rejection", {"reason_detail": "x" * 10_001}, "/reason_detail"),
    ("create_rejection", {"feedback": "Thanks\x00"}, "/feedback"),
    ("create_rejection", {"missing_skills": ["sql"] * 101}, "/missing_skills"),
    ("create_rejection", {"missing_skills": ["x" * 101]}, "/missing_skills/0"),
    ("create_rejection", {"mood": 0}, "/mood"),
    ("create_rejection", {"mood": 6}, "/mood"),
    ("create_rejection", {"mood": "great"}, "/mood"),
    ("create_rejection", {"mood": 2.5}, "/mood"),
    ("create_rejection", {"mood": True}, "/mood"),
    ("create_rejection", {"occurred_at": "2025-01-01T10:00:00"}, "/occurred_at"),
    ("create_rejection", {"occurred_at": FUTURE}, "/occurred_at"),
    ("create_rejection", {"occurred_at": "0001-12-01T00:00:00Z"}, "/occurred_at"),
    ("create_rejection", {"occurred_at": "0001-01-01T00:00:00+01:00"}, "/occurred_at"),
    ("create_rejection", {"occurred_at": "yesterday"}, "/occurred_at"),
    ("create_rejection", {"external_id": "x" * 256}, "/external_id"),
    ("create_rejection", {"source": "not valid!"}, "/source"),
    ("create_rejection", {"application_id": "x" * 41}, "/application_id"),
    ("create_rejection", {"application_id": "app_\x00"}, "/application_id"),
    ("create_rejection", {"skillz": ["sql"]}, "/skillz"),
]


def assert_problem(
    response: httpx.Response, status: int, code: str | None = None
) -> dict[str, Any]:
    """The response is a complete problem+json document with this status (and code)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_FIELDS, body
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code
    return body


def pointers(body: dict[str, Any]) -> list[str]:
    """The JSON pointers a validation problem names."""
    return [e.get("pointer") for e in body.get("errors", [])]


def stored(session: Session, api: ApiCaller, ids: dict[str, str]) -> list[Any]:
    """Row counts of every table a bad request could write, and A's objects as served."""
    counts = [
        session.scalar(select(func.count()).select_from(t))
        for t in (Seeker, Application, Rejection)
    ]
    seeker = api.get(f"/v1/seekers/{ids['seeker_id']}").json()
    application = api.get(f"/v1/applications/{ids['application_id']}").json()
    return [*counts, seeker, application]


@pytest.fixture
def ids(api: ApiCaller) -> dict[str, str]:
    """A seeker with one application."""
    seeker = api.seeker()
    return {"seeker_id": seeker["id"], "application_id": api.application(seeker["id"])["id"]}


def body_for(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """`base` with `change` applied (MISSING removes a field)."""
    merged = {**base, **change}
    return {k: v for k, v in merged.items() if v is not MISSING}


@pytest.mark.parametrize(
    ("target", "change", "pointer"), CASES, ids=[f"{t}-{p}" for t, _, p in CASES]
)
def test_write_refuses_bad_field(
    target: str,
    change: dict[str, Any],
    pointer: str,
    api: ApiCaller,
    ids: dict[str, str],
    session: Session,
) -> None:
    method, template, base = TARGETS[target]
    before = stored(session, api, ids)
    response = api.request(method, template.format(**ids), json=body_for(base, change))
    body = assert_problem(response, 422, "validation_failed")
    assert pointer in pointers(body)
    assert stored(session, api, ids) == before


def test_create_rejection_refuses_application_of_another_seeker(
    api: ApiCaller, ids: dict[str, str], session: Session
) -> None:
    other = api.seeker()["id"]
    before = stored(session, api, ids)
    response = api.post(
        f"/v1/seekers/{other}/rejections",
        json={**REJECTION, "application_id": ids["application_id"]},
    )
    assert pointers(assert_problem(response, 422)) == ["/application_id"]
    assert stored(session, api, ids) == before
    assert api.get(f"/v1/applications/{ids['application_id']}").json()["status"] == "applied"


BATCH_CASES: list[tuple[Any, str]] = [
    ([{**REJECTION, "seeker_external_id": "crm-1"}] * 501, "/items"),
    ([], "/items"),
    ("all of them", "/items"),
    (MISSING, "/items"),
]


@pytest.mark.parametrize(("items", "pointer"), BATCH_CASES, ids=["501", "empty", "str", "none"])
def test_create_rejection_batch_refuses_bad_envelope(
    items: Any, pointer: str, api: ApiCaller, ids: dict[str, str], session: Session
) -> None:
    before = stored(session, api, ids)
    response = api.post("/v1/rejections/batch", json=body_for({"items": items}, {}))
    assert pointer in pointers(assert_problem(response, 422, "validation_failed"))
    assert stored(session, api, ids) == before


def test_create_rejection_batch_refuses_unknown_envelope_field(
    api: ApiCaller, ids: dict[str, str]
) -> None:
    response = api.post("/v1/rejections/batch", json={"items": [REJECTION], "dry_run": True})
    assert pointers(assert_problem(response, 422)) == ["/dry_run"]


ITEM_CASES = [(c, p) for t, c, p in CASES if t == "create_rejection"] + [
    ({"seeker_external_id": "crm-1"}, ""),  # both seeker_id and seeker_external_id
    ({"seeker_id": "x" * 41}, "/seeker_id"),
    ({"seeker_id": "skr_\x00"}, "/seeker_id"),
]


@pytest.mark.parametrize(("change", "pointer"), ITEM_CASES)
def test_create_rejection_batch_fails_bad_item_alone(
    change: dict[str, Any], pointer: str, api: ApiCaller, ids: dict[str, str], session: Session
) -> None:
    good = {**REJECTION, "seeker_id": ids["seeker_id"]}
    before = stored(session, api, ids)
    response = api.post("/v1/rejections/batch", json={"items": [body_for(good, change)]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["created"], body["failed"]) == (0, 1)
    error = body["results"][0]["error"]
    assert (error["status"], error["code"]) == (422, "validation_failed")
    assert pointer in [e.get("pointer") for e in error["errors"]]
    assert stored(session, api, ids) == before
