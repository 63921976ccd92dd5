"""Integrations retry in parallel: concurrent pushes of one (source, external_id) store it once.

Only PostgreSQL runs these: they need real, committed transactions racing each other, so they use
their own tenant, commit through the app's own per-request sessions, and delete the tenant after.
"""

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, select
from sqlmodel import Session

from app.application.models import Application
from app.core.db import build_engine
from app.main import create_app
from app.rejection.models import Rejection
from app.tenant.models import Tenant
from tests.conftest import TEST_DATABASE_URL
from tests.factories import ApiCaller, make_tenant

THREADS = 10


@dataclass
class Committed:
    """A tenant whose writes really commit, and a caller for it."""

    engine: Engine
    tenant_id: str
    api: ApiCaller


@pytest.fixture
def committed(engine: Engine) -> Iterator[Committed]:
    """A tenant in committed rows and a client whose requests each get their own session."""
    if engine.dialect.name != "postgresql":
        pytest.skip("concurrent transactions are only meaningful on PostgreSQL")
    own = build_engine(TEST_DATABASE_URL, pool_size=THREADS)
    with Session(own, expire_on_commit=False) as session:
        tenant = make_tenant(session, f"race-{uuid.uuid4().hex}")
    try:
        with TestClient(create_app()) as client:  # no session override: real commits
            yield Committed(own, tenant.tenant_id, ApiCaller(client, tenant.secret))
    finally:
        with Session(own) as session:
            session.execute(delete(Tenant).where(Tenant.id == tenant.tenant_id))  # FKs cascade
            session.commit()
        own.dispose()


def _race(send: Any, threads: int = THREADS) -> list[httpx.Response]:
    """Run `send` from `threads` threads released at the same instant."""
    barrier = threading.Barrier(threads)

    def one(_: int) -> httpx.Response:
        barrier.wait(timeout=30)
        response: httpx.Response = send()
        return response

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(one, range(threads)))


def _count(engine: Engine, model: Any, tenant_id: str) -> int:
    with Session(engine) as session:
        stmt = select(func.count()).select_from(model).where(model.tenant_id == tenant_id)
        return int(session.scalar(stmt) or 0)


def test_create_rejection_concurrent_repeats_store_one(committed: Committed) -> None:
    api = committed.api
    seeker = api.seeker()
    application = api.application(seeker["id"])
    payload = {
        "company": "Acme",
        "role": "Data Analyst",
        "stage": "interview",
        "source": "greenhouse",
        "external_id": "gh-race-1",
        "application_id": application["id"],
    }
    url = f"/v1/seekers/{seeker['id']}/rejections"

    responses = _race(lambda: api.post(url, json=payload))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * (THREADS - 1) + [201], [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert _count(committed.engine, Rejection, committed.tenant_id) == 1
    ended = api.get(f"/v1/applications/{application['id']}").json()
    assert (ended["status"], ended["version"]) == ("rejected", 2)


def test_batch_concurrent_repeats_store_each_item_once(committed: Committed) -> None:
    api = committed.api
    seeker = api.seeker(external_id="crm-race")
    items = [
        {
            "seeker_external_id": "crm-race",
            "company": f"Co {i}",
            "role": "Analyst",
            "stage": "phone_screen",
            "source": "lever",
            "external_id": f"lv-race-{i}",
        }
        for i in range(20)
    ]

    responses = _race(lambda: api.post("/v1/rejections/batch", json={"items": items}))

    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    bodies = [r.json() for r in responses]
    assert all(b["failed"] == 0 for b in bodies)
    assert sum(b["created"] for b in bodies) == 20
    assert sum(b["duplicates"] for b in bodies) == 20 * (THREADS - 1)
    ids = {(r["index"], r["rejection"]["id"]) for b in bodies for r in b["results"]}
    assert len(ids) == 20  # every response names the same stored rejection for each index
    assert _count(committed.engine, Rejection, committed.tenant_id) == 20
    listed = api.get(f"/v1/seekers/{seeker['id']}/rejections", params={"limit": 200}).json()
    assert len(listed["data"]) == 20


def test_create_application_concurrent_repeats_store_one(committed: Committed) -> None:
    api = committed.api
    seeker = api.seeker()
    payload = {"company": "Acme", "role": "Analyst", "source": "linkedin", "external_id": "li-r"}
    url = f"/v1/seekers/{seeker['id']}/applications"

    responses = _race(lambda: api.post(url, json=payload))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * (THREADS - 1) + [201], [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert _count(committed.engine, Application, committed.tenant_id) == 1
