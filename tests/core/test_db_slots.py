"""Many more concurrent requests than pooled connections neither stall nor fail.

A request holds its connection (and on SQLite the write lock) across several thread-pool hops.
Without admission control, requests waiting for a connection inside worker threads can take every
thread, leaving the holders none to finish on: the service stalls until the pool times out.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func, select
from sqlmodel import Session

from app.core.db import get_engine, pool_capacity
from app.rejection.models import Rejection
from tests.factories import ApiCaller

CONCURRENT = 64  # above the default thread pool (40) and far above the pool capacity


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
