"""Operations: liveness, readiness, metrics, request ids, the docs and JSON logs."""

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.db import build_engine, get_engine
from app.core.observability import configure_logging
from tests.factories import ApiCaller


def test_livez_answers_ok(client: TestClient) -> None:
    assert client.get("/livez").json() == {"status": "ok"}


def test_readyz_answers_ok_when_database_is_reachable(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200


def test_readyz_answers_503_when_database_is_down(app: FastAPI, client: TestClient) -> None:
    unreachable = build_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    app.dependency_overrides[get_engine] = lambda: unreachable
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "database_unavailable"


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    echoed = client.get("/livez", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    generated = client.get("/livez")
    assert len(generated.headers["x-request-id"]) == 32


def test_request_id_is_replaced_when_unsafe(client: TestClient) -> None:
    response = client.get("/livez", headers={"X-Request-ID": "bad id\twith spaces"})
    assert response.headers["x-request-id"] != "bad id\twith spaces"


def test_problem_carries_the_request_id(client: TestClient) -> None:
    response = client.get("/v1/seekers", headers={"X-Request-ID": "trace-7"})
    assert response.status_code == 401
    assert response.json()["request_id"] == "trace-7"


def test_metrics_count_requests_by_route_template_and_status(api: ApiCaller) -> None:
    seeker = api.seeker()
    api.get(f"/v1/seekers/{seeker['id']}")
    text = api.client.get("/metrics").text
    assert 'route="/v1/seekers/{seeker_id}",status="200"' in text
    assert "rebound_http_request_duration_seconds_bucket" in text
    assert seeker["id"] not in text  # ids never become label values


def test_unknown_path_is_problem_json(client: TestClient) -> None:
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "Rebound"


def test_access_log_is_one_json_object_per_request(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO")  # bind the handler to the captured stdout
    client.get("/livez", headers={"X-Request-ID": "log-me"})
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "log-me" in line]
    assert lines, "no access log line"
    assert lines[-1]["route"] == "/livez"
    assert lines[-1]["status"] == 200
    assert lines[-1]["request_id"] == "log-me"
