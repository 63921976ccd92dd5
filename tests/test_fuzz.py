"""Schemathesis over the app's own OpenAPI document: no 5xx, responses match their schema, and
every error is problem+json. Bounded and derandomised (the seed lives in the settings below), so
a run is reproducible; real ids are put into path parameters so that bodies reach validation."""

import uuid
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from app.main import create_app
from tests.factories import ApiCaller, make_tenant

APP = create_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
EXAMPLES = 12  # per operation; CI time is bounded, the seed is fixed
PROBLEM = "application/problem+json"


def _real_ids(api: ApiCaller) -> dict[str, str]:
    seeker = api.seeker()
    application = api.application(seeker["id"])
    rejection = api.rejection(seeker["id"])
    goal = api.goal(seeker["id"])
    endpoint = api.post("/v1/webhook-endpoints", json={"url": "http://127.0.0.1:9/hook"}).json()
    return {
        "seeker_id": seeker["id"],
        "application_id": application["id"],
        "rejection_id": rejection["id"],
        "next_step_id": rejection["next_steps"][0]["id"],
        "goal_id": goal["id"],
        "endpoint_id": endpoint["id"],
        "key": "seek_feedback",
    }


@pytest.fixture
def tenant(session: Session, client: Any) -> tuple[str, dict[str, str]]:
    """A key and real ids of each kind, made once per operation (shared by its examples)."""
    secret = make_tenant(session, f"fuzz-{uuid.uuid4().hex}").secret
    return secret, _real_ids(ApiCaller(client, secret))


def _not_a_server_error_and_problems(response: Any) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])
        value = content_type[0] if isinstance(content_type, list) else content_type
        assert value.startswith(PROBLEM), (response.status_code, value, response.text)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_survives_generated_input(
    case: schemathesis.Case, app: Any, tenant: tuple[str, dict[str, str]]
) -> None:
    secret, ids = tenant
    for name in list(case.path_parameters or {}):
        if name in ids and case.path_parameters is not None:
            case.path_parameters[name] = ids[name]
    response = case.call(app=app, headers={"Authorization": f"Bearer {secret}"})
    _not_a_server_error_and_problems(response)
    case.validate_response(
        response,
        checks=[response_schema_conformance, content_type_conformance, status_code_conformance],
    )
