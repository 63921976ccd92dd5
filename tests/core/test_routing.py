"""Every sync route costs one thread-pool hop of its own, not two (see app/core/routing.py)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import anyio.to_thread
import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute

from app import api as app_api
from app.api import api_router
from app.core.routing import OneHopRoute
from tests.factories import ApiCaller


@contextmanager
def counting_hops(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the functions run in worker threads while the block runs."""
    hops: list[str] = []
    original = anyio.to_thread.run_sync

    async def run_sync(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        name = getattr(getattr(func, "func", func), "__name__", repr(func))
        if name != "<lambda>":  # the test's own session override (see conftest.py)
            hops.append(name)
        return await original(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", run_sync)
    yield hops
    monkeypatch.undo()


def test_every_domain_route_uses_the_one_hop_route_class() -> None:
    routers = [
        r for r in vars(app_api).values() if isinstance(r, APIRouter) and r is not api_router
    ]
    routes = [r for router in routers for r in router.routes if isinstance(r, APIRoute)]
    assert len(routers) >= 7
    assert len(routes) >= 40
    assert [r.path for r in routes if not isinstance(r, OneHopRoute)] == []


def test_a_rejection_post_validates_its_response_without_another_hop(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeker_id = api.seeker()["id"]
    with counting_hops(monkeypatch) as hops:
        response = api.post(
            f"/v1/seekers/{seeker_id}/rejections",
            json={"company": "Acme", "role": "Analyst", "stage": "interview"},
        )
    assert response.status_code == 201, response.text
    assert response.json()["next_steps"]  # the response model was still validated and served
    # Authentication, the seeker, and the route itself: FastAPI alone would add a fourth hop
    # to validate the response model.
    assert len(hops) == 3, hops


def test_a_next_steps_list_takes_three_hops(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeker_id = api.seeker()["id"]
    api.rejection(seeker_id)
    with counting_hops(monkeypatch) as hops:
        response = api.get(f"/v1/seekers/{seeker_id}/next-steps")
    assert response.status_code == 200
    assert response.json()["data"]
    assert len(hops) == 3, hops
