"""Schemathesis' full run over the app's own OpenAPI document: every check, including that valid
requests are accepted and invalid ones refused, through the coverage and fuzzing phases per
operation and a stateful client that follows the document's links.

The configuration (seed, example counts, phases, check settings and why) is `schemathesis.toml`;
`make fuzz` runs the same configuration for longer against a served app. Path parameters get the
ids of real objects, so that a request reaches validation instead of stopping at a 404.
"""

import uuid
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.core.parameters import ParameterLocation
from sqlmodel import Session

from app.main import create_app
from tests.factories import ApiCaller, make_tenant

CONFIG = schemathesis.Config.from_path(Path(__file__).parents[1] / "schemathesis.toml")
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(), config=CONFIG)
PROJECT = CONFIG.projects.get_default()
# Hypothesis' own knobs; the rest comes from the configuration file. Function-scoped fixtures are
# meant: one tenant and its objects per operation, shared by that operation's examples.
HYPOTHESIS = settings(deadline=None, suppress_health_check=list(HealthCheck))


def _real_ids(api: ApiCaller) -> dict[str, str]:
    endpoint = api.post("/v1/webhook-endpoints", json={"url": "http://127.0.0.1:9/hook"}).json()
    hook = f"/v1/webhook-endpoints/{endpoint['id']}"
    seeker = api.seeker()
    application = api.application(seeker["id"])
    rejection = api.rejection(seeker["id"], stage="final_round")  # delivered to the endpoint
    goal = api.goal(seeker["id"])
    # Disabling fails the pending deliveries; enabled again, a failed one can be retried.
    for status in ("disabled", "enabled"):
        assert api.patch(hook, json={"status": status}).status_code == 200
    delivery = api.get(f"{hook}/deliveries").json()["data"][0]
    steps = rejection["next_steps"]
    step = next((s for s in steps if s["suggested_goal"]), steps[0])  # one that accept-goal takes
    return {
        "seeker_id": seeker["id"],
        "application_id": application["id"],
        "rejection_id": rejection["id"],
        "next_step_id": step["id"],
        "goal_id": goal["id"],
        "endpoint_id": endpoint["id"],
        "delivery_id": delivery["id"],
        "key": "seek_feedback",
        "code": "validation_failed",
    }


@pytest.fixture
def tenant(session: Session, client: Any) -> tuple[str, dict[str, str]]:
    """A key and real ids of each kind, made once per operation (shared by its examples)."""
    secret = make_tenant(session, f"fuzz-{uuid.uuid4().hex}").secret
    return secret, _real_ids(ApiCaller(client, secret))


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_keeps_the_contract(
    case: schemathesis.Case, app: Any, tenant: tuple[str, dict[str, str]]
) -> None:
    secret, ids = tenant
    if case.meta is None or not case.meta.is_negative_at(ParameterLocation.PATH):
        for name in case.path_parameters or {}:
            case.path_parameters[name] = ids[name]  # type: ignore[index]
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {secret}"})


def test_stateful_client_keeps_the_contract(app: Any, session: Session) -> None:
    machine = schema.as_state_machine()

    class Client(machine):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            super().__init__()
            # A tenant of its own for each scenario: what earlier scenarios stored (more items
            # in a list, links to follow) must not change what this one draws, or Hypothesis
            # finds its data generation inconsistent between scenarios.
            self.secret = make_tenant(session, f"fuzz-{uuid.uuid4().hex}").secret

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"app": app, "headers": {"Authorization": f"Bearer {self.secret}"}}

    stateful = PROJECT.phases.stateful
    Client.run(
        settings=settings(
            HYPOTHESIS,
            max_examples=PROJECT.generation.max_examples,
            stateful_step_count=stateful.max_steps,
            derandomize=True,
            database=None,
            # No shrinking: scenarios share the test's database, so replaying one shorter finds
            # other objects there; the failing scenario is reported as it ran.
            phases=[Phase.generate],
        )
    )
