"""A database that cannot be reached is a 503 problem with Retry-After, never a 500."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from app.core.db import AppSession, get_session


@pytest.fixture
def unreachable(shared_app: FastAPI) -> Iterator[TestClient]:
    engine = create_engine("sqlite:////nonexistent-directory/rebound.db")
    shared_app.dependency_overrides = {get_session: lambda: AppSession(engine)}
    try:
        with TestClient(shared_app) as client:
            yield client
    finally:
        shared_app.dependency_overrides = {}
        engine.dispose()


@pytest.mark.parametrize(("method", "path"), [("GET", "/v1/seekers"), ("POST", "/v1/seekers")])
def test_an_unreachable_database_answers_503_problem(
    unreachable: TestClient, method: str, path: str
) -> None:
    response = unreachable.request(
        method, path, headers={"Authorization": "Bearer rbk_anything"}, json={}
    )
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    assert response.json()["code"] == "database_unavailable"


def test_a_database_error_that_is_a_bug_stays_a_500(shared_app: FastAPI) -> None:
    from sqlalchemy.exc import OperationalError

    from app.core.errors import _unreachable

    bug = OperationalError("SELECT nope", {}, Exception("no such table: nope"))
    assert not _unreachable(bug)
    down = OperationalError("SELECT 1", {}, Exception("connection refused"))
    assert _unreachable(down)
