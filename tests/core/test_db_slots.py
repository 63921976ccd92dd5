"""Many more concurrent requests than pooled connections neither stall nor fail.

A request holds its connection (and on SQLite the write lock) across several thread-pool hops.
Without admission control, requests waiting for a connection inside worker threads can take every
thread, leaving the holders none to finish on: the service stalls until the pool times out.
"""

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, select
from sqlmodel import Session

from app.core.db import get_engine, pool_capacity
from app.main import create_app
from app.rejection.models import Rejection
from app.tenant.models import Tenant
from tests.factories import ApiCaller, make_tenant

CONCURRENT = 64  # above the default thread pool (40) and far above the pool capacity


@pytest.fixture
def committed_api(engine: Engine) -> Iterator[tuple[ApiCaller, str]]:
    """A caller whose requests commit for real; its tenant is deleted afterwards."""
    with Session(get_engine(), expire_on_commit=False) as session:
        tenant = make_tenant(session, f"slots-{uuid.uuid4().hex}")
    try:
        with TestClient(create_app()) as client:
            yield ApiCaller(client, tenant.secret), tenant.tenant_id
    finally:
        with Session(get_engine()) as session:
            session.execute(delete(Tenant).where(Tenant.id == tenant.tenant_id))  # type: ignore[arg-type]
            session.commit()


def test_concurrent_writes_beyond_pool_capacity_all_succeed(
    committed_api: tuple[ApiCaller, str],
) -> None:
    api, _ = committed_api
    assert pool_capacity() + 40 < CONCURRENT
    seeker = api.seeker()
    barrier = threading.Barrier(CONCURRENT)
    body = {"company": "Acme", "role": "Analyst", "stage": "interview"}

    def send(_: int) -> httpx.Response:
        barrier.wait()
        return api.post(f"/v1/seekers/{seeker['id']}/rejections", json=body)

    with ThreadPoolExecutor(CONCURRENT) as pool:
        statuses = [r.status_code for r in pool.map(send, range(CONCURRENT))]

    assert statuses == [201] * CONCURRENT
    with Session(get_engine()) as session:
        stored = session.scalar(
            select(func.count()).select_from(Rejection).where(Rejection.seeker_id == seeker["id"])
        )
    assert stored == CONCURRENT
