"""Idempotency-Key: a retried POST is answered from the stored response and never runs twice."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.idempotency import dependencies, service
from app.idempotency.models import IdempotencyRecord
from app.seeker.models import Seeker
from app.sweep import service as sweep
from app.tenant.models import Scope
from tests.factories import ApiCaller, make_key, make_tenant

REJECTION = {"company": "Acme", "role": "Data Analyst", "stage": "interview"}


def post(api: ApiCaller, url: str, body: Any, key: str | None = "retry-1") -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api.post(url, json=body, headers=headers)


def rejections(api: ApiCaller, seeker_id: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = api.get(f"/v1/seekers/{seeker_id}/rejections").json()["data"]
    return data


def test_a_retried_post_replays_the_stored_response_and_writes_nothing(api: ApiCaller) -> None:
    seeker = api.seeker()
    url = f"/v1/seekers/{seeker['id']}/rejections"
    first = post(api, url, REJECTION)
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    steps_before = api.get(f"/v1/seekers/{seeker['id']}/next-steps").json()["data"]

    again = post(api, url, REJECTION)

    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]
    assert len(rejections(api, seeker["id"])) == 1
    assert api.get(f"/v1/seekers/{seeker['id']}/next-steps").json()["data"] == steps_before


def test_a_replay_keeps_the_etag_and_status_of_the_original(api: ApiCaller) -> None:
    first = post(api, "/v1/seekers", {"display_name": "Ana"}, key="seeker-ana")
    again = post(api, "/v1/seekers", {"display_name": "Ana"}, key="seeker-ana")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.headers["etag"] == again.headers["etag"] == '"1"'
    assert again.json()["id"] == first.json()["id"]
    assert len(api.get("/v1/seekers").json()["data"]) == 1


def test_a_stored_response_is_encrypted_at_rest(api: ApiCaller, session: Session) -> None:
    first = post(api, "/v1/seekers", {"display_name": "Ana Secretname"}, key="sealed")
    record = session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == "sealed")).one()
    assert b"Secretname" not in record.body
    again = post(api, "/v1/seekers", {"display_name": "Ana Secretname"}, key="sealed")
    assert again.content == first.content


def test_the_same_key_with_another_body_is_422_and_writes_nothing(api: ApiCaller) -> None:
    seeker = api.seeker()
    url = f"/v1/seekers/{seeker['id']}/rejections"
    assert post(api, url, REJECTION).status_code == 201
    other = post(api, url, {**REJECTION, "company": "Globex"})
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["code"] == "idempotency_key_reused"
    assert [r["company"] for r in rejections(api, seeker["id"])] == ["Acme"]


def test_the_same_key_on_another_path_is_another_request(api: ApiCaller) -> None:
    one, two = api.seeker(), api.seeker()
    assert post(api, f"/v1/seekers/{one['id']}/rejections", REJECTION).status_code == 201
    reused = post(api, f"/v1/seekers/{two['id']}/rejections", REJECTION)
    assert reused.status_code == 422
    assert rejections(api, two["id"]) == []


def test_keys_are_scoped_per_tenant(api: ApiCaller, other_api: ApiCaller) -> None:
    mine = post(api, "/v1/seekers", {"display_name": "Ana"}, key="shared-key")
    theirs = post(other_api, "/v1/seekers", {"display_name": "Ana"}, key="shared-key")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert "idempotent-replayed" not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]


def test_a_failed_request_does_not_use_up_its_key(api: ApiCaller) -> None:
    seeker = api.seeker()
    url = f"/v1/seekers/{seeker['id']}/rejections"
    failed = post(api, url, {**REJECTION, "stage": "lunch"})
    assert failed.status_code == 422
    fixed = post(api, url, REJECTION)  # the client fixes the body and retries with the same key
    assert fixed.status_code == 201
    assert "idempotent-replayed" not in fixed.headers


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "tab\tkey"])
def test_a_malformed_key_is_400(api: ApiCaller, key: str) -> None:
    response = post(api, "/v1/seekers", {"display_name": "Ana"}, key=key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert api.get("/v1/seekers").json()["data"] == []


def test_a_key_of_255_characters_is_fine(api: ApiCaller) -> None:
    assert post(api, "/v1/seekers", {}, key="k" * 255).status_code == 201


def test_without_a_key_every_post_runs(api: ApiCaller) -> None:
    post(api, "/v1/seekers", {"display_name": "Ana"}, key=None)
    post(api, "/v1/seekers", {"display_name": "Ana"}, key=None)
    assert len(api.get("/v1/seekers").json()["data"]) == 2


def test_a_key_expires_after_24_hours_and_the_sweep_purges_it(
    api: ApiCaller, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = post(api, "/v1/seekers", {"display_name": "Ana"}, key="daily")
    later = datetime.now(UTC) + timedelta(hours=24, minutes=1)
    monkeypatch.setattr(dependencies, "utc_now", lambda: later)
    again = post(api, "/v1/seekers", {"display_name": "Ana"}, key="daily")
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    assert again.json()["id"] != first.json()["id"]
    report = sweep.run(session, now=later + timedelta(hours=25), batch_size=100)
    assert report.idempotency_keys_purged >= 1
    assert (
        session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == "daily")).all() == []
    )


def test_the_change_and_its_stored_response_commit_together(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeker = api.seeker()
    url = f"/v1/seekers/{seeker['id']}/rejections"

    def broken_store(*_: Any, **__: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "store", broken_store)
    failed = post(api, url, REJECTION)
    assert failed.status_code == 503
    assert failed.json()["code"] == "not_saved"
    assert rejections(api, seeker["id"]) == [], "no rejection without its stored response"
    monkeypatch.undo()
    assert post(api, url, REJECTION).status_code == 201
    assert len(rejections(api, seeker["id"])) == 1


def test_only_the_api_key_that_made_a_request_gets_its_replay(
    api: ApiCaller, session: Session, client: TestClient
) -> None:
    seeker = api.seeker()
    url = f"/v1/seekers/{seeker['id']}/rejections"
    assert post(api, url, REJECTION).status_code == 201
    tenant_id = session.exec(select(Seeker.tenant_id).where(Seeker.id == seeker["id"])).one()
    reader = ApiCaller(client, make_key(session, tenant_id, (Scope.SEEKERS_READ,)))
    assert post(reader, url, REJECTION, key=None).status_code == 403  # it lacks the scope
    replay = post(reader, url, REJECTION)
    assert replay.status_code == 422, "another key must not receive the stored response"
    assert replay.json()["code"] == "idempotency_key_reused"


def test_an_erased_seeker_is_not_brought_back_by_a_retry(api: ApiCaller) -> None:
    first = post(api, "/v1/seekers", {"display_name": "Ana Erased"}, key="signup-9")
    assert api.delete(f"/v1/seekers/{first.json()['id']}").status_code == 204
    retry = post(api, "/v1/seekers", {"display_name": "Ana Erased"}, key="signup-9")
    assert retry.status_code == 201
    assert "idempotent-replayed" not in retry.headers
    assert retry.json()["id"] != first.json()["id"]


def test_idempotent_writes_commit_behind_a_path_prefix(app: FastAPI, session: Session) -> None:
    # Behind a proxy that mounts the API under /api, the ASGI path carries the prefix.
    auth = {"Authorization": f"Bearer {make_tenant(session, 'prefixed').secret}"}

    async def scenario() -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app, root_path="/api")
        async with httpx.AsyncClient(transport=transport, base_url="http://rebound") as client:
            headers = {**auth, "Idempotency-Key": "behind-proxy"}
            created = await client.post("/api/v1/seekers", json={}, headers=headers)
            read = await client.get(f"/api/v1/seekers/{created.json()['id']}", headers=auth)
            again = await client.post("/api/v1/seekers", json={}, headers=headers)
            return created, read, again

    created, read, again = asyncio.run(scenario())
    assert created.status_code == 201
    assert read.status_code == 200, "the acknowledged write was committed"
    assert again.headers["idempotent-replayed"] == "true"
