"""Tenant isolation, route by route: ROUTES must name every /v1 route of the OpenAPI document."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlmodel import Session, col

from app.application.models import Application
from app.core.ids import new_id
from app.rejection.models import Rejection
from app.seeker.models import Seeker
from app.tenant import service as tenant_service
from app.tenant.models import Scope
from app.webhook.models import WebhookDelivery
from tests.factories import ApiCaller, make_key

Route = tuple[str, str]
Ids = dict[str, str]
READ, WRITE, REJECT = Scope.SEEKERS_READ, Scope.SEEKERS_WRITE, Scope.REJECTIONS_WRITE
GOALS_READ, GOALS_WRITE = Scope.GOALS_READ, Scope.GOALS_WRITE
HOOKS = Scope.WEBHOOKS_MANAGE
ENDPOINT = {"url": "https://hooks.example/rebound", "event_types": ["rejection.created"]}
GOAL = {"title": "Apply to five roles", "kind": "applications", "target": 5}
APPLICATION = {"company": "Initech", "role": "Analyst"}
REJECTION = {"company": "Initech", "role": "Analyst", "stage": "phone_screen"}
PROBLEM = "application/problem+json"
TABLES = (Seeker, Application, Rejection)


@dataclass(frozen=True)
class World:
    """Tenant A's objects, and A itself."""

    api: ApiCaller
    tenant_id: str
    ids: Ids


@dataclass(frozen=True)
class Check:
    """How a route is probed: the scope it needs, a valid body, and its isolation check."""

    scope: Scope
    isolation: Callable[[Route, World, ApiCaller], None]
    body: Any = None
    path: str | None = None  # the template to call, when the route's own names another object


def fill(value: Any, ids: Ids) -> Any:
    """`value` with `{seeker_id}`-style placeholders replaced by `ids` (in paths and bodies)."""
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


def call(caller: ApiCaller, route: Route, ids: Ids) -> httpx.Response:
    """Send `route` with its table body, placeholders filled from `ids`."""
    method, template = route
    body = ROUTES[route].body
    kwargs = {} if body is None else {"json": fill(body, ids)}
    return caller.request(method, fill(ROUTES[route].path or template, ids), **kwargs)


def comparable(response: httpx.Response, ids: Ids) -> dict[str, Any]:
    """What a client can see of a 404, minus the per-request parts and the id it names."""
    body = dict(response.json())
    body.pop("instance")
    body.pop("request_id")
    for value in ids.values():
        body["detail"] = body["detail"].replace(value, "<id>")
    headers = sorted(set(response.headers) - {"x-request-id"})
    return {"status": response.status_code, "headers": headers, "body": body}


def never_existing_ids() -> Ids:
    """Ids shaped like real ones that no tenant owns."""
    return {
        "seeker_id": new_id("skr"),
        "application_id": new_id("app"),
        "rejection_id": new_id("rej"),
        "next_step_id": new_id("nst"),
        "goal_step_id": new_id("nst"),
        "goal_id": new_id("gol"),
        "endpoint_id": new_id("whe"),
        "delivery_id": new_id("whd"),
        "seeker_external_id": "crm-never",
        "key": "seek_feedback",
    }


def check_item(route: Route, world: World, other: ApiCaller) -> None:
    """B on A's id answers exactly what B on a never-existing id answers: a 404."""
    theirs = call(other, route, world.ids)
    unknown_ids = never_existing_ids()
    unknown = call(other, route, unknown_ids)
    assert theirs.status_code == 404, theirs.text
    assert theirs.headers["content-type"] == PROBLEM
    assert comparable(theirs, world.ids) == comparable(unknown, unknown_ids)


def check_create_seeker(route: Route, world: World, other: ApiCaller) -> None:
    """External ids are per tenant: B may reuse A's, and learns nothing about A by doing so."""
    body = {"display_name": "Bo", "external_id": world.ids["seeker_external_id"]}
    response = other.request(*route, json=body)
    assert response.status_code == 201, response.text
    assert response.json()["id"] != world.ids["seeker_id"]


def assert_foreign_cursor(world: World, other: ApiCaller, url: str, **params: Any) -> None:
    """A cursor of A's list at `url` is refused to B: 400 `invalid_cursor`."""
    cursor = world.api.get(url, params={**params, "limit": 1}).json()["next_cursor"]
    assert cursor is not None
    response = other.get(url, params={**params, "limit": 1, "cursor": cursor})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def check_list_seekers(route: Route, world: World, other: ApiCaller) -> None:
    """B's lists hold only B's seekers, filtered or not; A's cursors are foreign to B."""
    own = other.seeker(external_id=world.ids["seeker_external_id"])["id"]
    for params in ({}, {"external_id": world.ids["seeker_external_id"]}, {"limit": 1}):
        page = other.get("/v1/seekers", params=params).json()
        assert [s["id"] for s in page["data"]] == [own]
    assert_foreign_cursor(world, other, "/v1/seekers")


def check_shared(route: Route, world: World, other: ApiCaller) -> None:
    """The catalog and the rules are the same for every tenant and hold no tenant's data."""
    theirs, ours = call(other, route, world.ids), call(world.api, route, world.ids)
    assert theirs.status_code == ours.status_code == 200, theirs.text
    assert theirs.json() == ours.json()
    assert not set(world.ids.values()) - {"seek_feedback"} & set(theirs.text.split('"'))


def check_batch(route: Route, world: World, other: ApiCaller) -> None:
    """Batch items naming A's seeker (by id or external id) fail like unknown seekers."""
    unknown = never_existing_ids()
    items = [
        {**REJECTION, "seeker_id": world.ids["seeker_id"]},
        {**REJECTION, "seeker_external_id": world.ids["seeker_external_id"]},
        {**REJECTION, "seeker_id": unknown["seeker_id"]},
        {**REJECTION, "seeker_external_id": unknown["seeker_external_id"]},
    ]
    response = other.post("/v1/rejections/batch", json={"items": items})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["created"], body["duplicates"], body["failed"]) == (0, 0, 4)
    errors = [r["error"] for r in body["results"]]
    assert errors[0]["status"] == 404
    assert errors[0] == errors[1] == errors[2] == errors[3]
    assert all(r["rejection"] is None for r in body["results"])


def check_create_endpoint(route: Route, world: World, other: ApiCaller) -> None:
    """B registers an endpoint of its own, with none of A's deliveries (A's events are A's)."""
    response = other.request(*route, json=ENDPOINT)
    assert response.status_code == 201, response.text
    assert response.json()["id"] != world.ids["endpoint_id"]
    deliveries = other.get(f"/v1/webhook-endpoints/{response.json()['id']}/deliveries")
    assert deliveries.json()["data"] == []


def check_list_endpoints(route: Route, world: World, other: ApiCaller) -> None:
    """B's list holds only B's endpoints; A's cursors are foreign to B."""
    own = other.post("/v1/webhook-endpoints", json=ENDPOINT).json()["id"]
    assert [e["id"] for e in other.get("/v1/webhook-endpoints").json()["data"]] == [own]
    world.api.post("/v1/webhook-endpoints", json=ENDPOINT)
    assert_foreign_cursor(world, other, "/v1/webhook-endpoints")


def check_attention(route: Route, world: World, other: ApiCaller) -> None:
    """The coach's view of B ranks only B's seekers; A's cursors are foreign to B."""
    own = other.seeker()["id"]
    page = other.get("/v1/insights/seekers", params={"min_score": 0}).json()
    assert [s["seeker_id"] for s in page["data"]] == [own]
    assert_foreign_cursor(world, other, "/v1/insights/seekers", min_score=0)


ROUTES: dict[Route, Check] = {
    ("POST", "/v1/seekers"): Check(WRITE, check_create_seeker, {"display_name": "Bo"}),
    ("GET", "/v1/seekers"): Check(READ, check_list_seekers),
    ("GET", "/v1/seekers/{seeker_id}"): Check(READ, check_item),
    ("PATCH", "/v1/seekers/{seeker_id}"): Check(WRITE, check_item, {"display_name": "Mallory"}),
    ("DELETE", "/v1/seekers/{seeker_id}"): Check(WRITE, check_item),
    ("GET", "/v1/seekers/{seeker_id}/export"): Check(READ, check_item),
    ("GET", "/v1/seekers/{seeker_id}/insights"): Check(READ, check_item),
    ("GET", "/v1/seekers/{seeker_id}/insights/chart.svg"): Check(
        READ, check_item, path="/v1/seekers/{seeker_id}/insights/chart.svg?metric=funnel"
    ),
    ("POST", "/v1/seekers/{seeker_id}/applications"): Check(WRITE, check_item, APPLICATION),
    ("GET", "/v1/seekers/{seeker_id}/applications"): Check(READ, check_item),
    ("GET", "/v1/applications/{application_id}"): Check(READ, check_item),
    ("PATCH", "/v1/applications/{application_id}"): Check(
        WRITE, check_item, {"status": "withdrawn"}
    ),
    ("DELETE", "/v1/applications/{application_id}"): Check(WRITE, check_item),
    ("POST", "/v1/seekers/{seeker_id}/rejections"): Check(REJECT, check_item, REJECTION),
    ("GET", "/v1/seekers/{seeker_id}/rejections"): Check(READ, check_item),
    ("POST", "/v1/rejections/batch"): Check(
        REJECT, check_batch, {"items": [{**REJECTION, "seeker_id": "{seeker_id}"}]}
    ),
    ("GET", "/v1/rejections/{rejection_id}"): Check(READ, check_item),
    ("DELETE", "/v1/rejections/{rejection_id}"): Check(REJECT, check_item),
    ("GET", "/v1/seekers/{seeker_id}/next-steps"): Check(READ, check_item),
    ("GET", "/v1/next-steps/{next_step_id}"): Check(READ, check_item),
    ("PATCH", "/v1/next-steps/{next_step_id}"): Check(WRITE, check_item, {"status": "done"}),
    ("GET", "/v1/recommendations"): Check(READ, check_shared),
    ("GET", "/v1/recommendations/{key}"): Check(READ, check_shared),
    ("GET", "/v1/rules"): Check(READ, check_shared),
    ("POST", "/v1/rules/evaluate"): Check(
        READ, check_item, {"seeker_id": "{seeker_id}", "rejection": REJECTION}
    ),
    ("POST", "/v1/next-steps/{next_step_id}/accept-goal"): Check(
        GOALS_WRITE, check_item, path="/v1/next-steps/{goal_step_id}/accept-goal"
    ),
    ("POST", "/v1/seekers/{seeker_id}/goals"): Check(GOALS_WRITE, check_item, GOAL),
    ("GET", "/v1/seekers/{seeker_id}/goals"): Check(GOALS_READ, check_item),
    ("GET", "/v1/goals/{goal_id}"): Check(GOALS_READ, check_item),
    ("PATCH", "/v1/goals/{goal_id}"): Check(GOALS_WRITE, check_item, {"title": "Mallory"}),
    ("DELETE", "/v1/goals/{goal_id}"): Check(GOALS_WRITE, check_item),
    ("POST", "/v1/goals/{goal_id}/check-ins"): Check(GOALS_WRITE, check_item, {"value": 1}),
    ("GET", "/v1/goals/{goal_id}/check-ins"): Check(GOALS_READ, check_item),
    ("GET", "/v1/goals/{goal_id}/periods"): Check(GOALS_READ, check_item),
    ("GET", "/v1/goals/{goal_id}/chart.svg"): Check(GOALS_READ, check_item),
    ("POST", "/v1/webhook-endpoints"): Check(HOOKS, check_create_endpoint, ENDPOINT),
    ("GET", "/v1/webhook-endpoints"): Check(HOOKS, check_list_endpoints),
    ("GET", "/v1/webhook-endpoints/{endpoint_id}"): Check(HOOKS, check_item),
    ("PATCH", "/v1/webhook-endpoints/{endpoint_id}"): Check(
        HOOKS, check_item, {"description": "Mallory"}
    ),
    ("DELETE", "/v1/webhook-endpoints/{endpoint_id}"): Check(HOOKS, check_item),
    ("POST", "/v1/webhook-endpoints/{endpoint_id}/rotate-secret"): Check(HOOKS, check_item),
    ("GET", "/v1/webhook-endpoints/{endpoint_id}/deliveries"): Check(HOOKS, check_item),
    ("POST", "/v1/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/retry"): Check(
        HOOKS, check_item
    ),
    ("GET", "/v1/insights/seekers"): Check(READ, check_attention),
}
ROUTE_IDS = [f"{method} {path}" for method, path in ROUTES]


@pytest.fixture
def world(api: ApiCaller, session: Session) -> World:
    """Tenant A with two seekers, an application and a rejection that ended it."""
    key = tenant_service.authenticate(session, api.secret)
    assert key is not None
    endpoint = api.post("/v1/webhook-endpoints", json=ENDPOINT).json()
    api.seeker(display_name="Older")
    seeker = api.seeker(external_id="crm-42")
    application = api.application(seeker["id"], external_id="ats-7", source="greenhouse")
    rejection = api.rejection(
        seeker["id"], application_id=application["id"], external_id="ats-7", source="greenhouse"
    )
    again = api.rejection(seeker["id"], missing_skills=["dbt"])
    api.rejection(seeker["id"], missing_skills=["dbt"])  # a recurring gap: a step suggesting a goal
    steps = api.get(f"/v1/seekers/{seeker['id']}/next-steps").json()["data"]
    goal_step = next(s for s in steps if s["suggested_goal"])
    goal = api.post(f"/v1/seekers/{seeker['id']}/goals", json=GOAL).json()
    assert again["next_steps"]
    ids = {"seeker_id": seeker["id"], "application_id": application["id"]}
    ids |= {"rejection_id": rejection["id"], "seeker_external_id": "crm-42"}
    ids |= {"next_step_id": rejection["next_steps"][0]["id"], "key": "seek_feedback"}
    ids |= {"goal_step_id": goal_step["id"], "goal_id": goal["id"]}
    delivery = api.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries").json()["data"][0]
    session.execute(  # as if the worker had given up on it, so that it can be retried by hand
        update(WebhookDelivery)
        .where(col(WebhookDelivery.id) == delivery["id"])
        .values(status="failed", next_attempt_at=None)
    )
    ids |= {"endpoint_id": endpoint["id"], "delivery_id": delivery["id"]}
    return World(api, key.tenant_id, ids)


A_VIEW = ["/v1/seekers", "/v1/seekers/{seeker_id}", "/v1/seekers/{seeker_id}/applications"]
A_VIEW += ["/v1/seekers/{seeker_id}/rejections", "/v1/applications/{application_id}"]
A_VIEW += ["/v1/rejections/{rejection_id}", "/v1/next-steps/{next_step_id}"]
A_VIEW += ["/v1/seekers/{seeker_id}/next-steps", "/v1/goals/{goal_id}"]
A_VIEW += ["/v1/goals/{goal_id}/check-ins", "/v1/goals/{goal_id}/periods"]
A_VIEW += ["/v1/webhook-endpoints/{endpoint_id}", "/v1/webhook-endpoints/{endpoint_id}/deliveries"]


def a_view(world: World) -> list[Any]:
    """Everything tenant A can read about its objects (each still readable, same version)."""
    responses = [world.api.get(fill(url, world.ids)) for url in A_VIEW]
    assert [r.status_code for r in responses] == [200] * len(A_VIEW)
    return [r.json() for r in responses]


def row_counts(session: Session) -> list[int | None]:
    """How many seekers, applications and rejections exist, across all tenants."""
    return [session.scalar(select(func.count()).select_from(t)) for t in TABLES]


def test_isolation_table_covers_every_v1_route(app: FastAPI) -> None:
    documented = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if path.startswith("/v1/")
        for method in operations
    }
    assert set(ROUTES) == documented


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_route_hides_other_tenants_objects(
    route: Route, world: World, other_api: ApiCaller
) -> None:
    before = a_view(world)
    ROUTES[route].isolation(route, world, other_api)
    assert a_view(world) == before


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_route_refuses_key_without_its_scope(
    route: Route, world: World, client: TestClient, session: Session
) -> None:
    needed = ROUTES[route].scope
    scopes = tuple(s for s in Scope if s not in (Scope.ALL, needed))
    caller = ApiCaller(client, make_key(session, world.tenant_id, scopes))
    before, counts = a_view(world), row_counts(session)
    response = call(caller, route, world.ids)
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "missing_scope"
    assert (a_view(world), row_counts(session)) == (before, counts)


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_route_admits_key_with_only_its_scope(
    route: Route, world: World, client: TestClient, session: Session
) -> None:
    caller = ApiCaller(client, make_key(session, world.tenant_id, (ROUTES[route].scope,)))
    response = call(caller, route, world.ids)
    assert 200 <= response.status_code < 300, response.text


BAD_AUTHORIZATION = {
    "missing": None,
    "not_bearer": "Basic dXNlcjpwYXNzd29yZA==",
    "empty_bearer": "Bearer ",
    "garbage": "Bearer not-a-key",
    "unknown": "Bearer rbk_" + "x" * 43,
    "revoked": "Bearer {revoked}",
}


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_route_refuses_missing_invalid_or_revoked_key(
    route: Route, world: World, client: TestClient, session: Session
) -> None:
    revoked = make_key(session, world.tenant_id, (Scope.ALL,))
    key = tenant_service.authenticate(session, revoked)
    assert key is not None
    tenant_service.revoke_key(session, key_id=key.id)
    session.commit()
    method, template = route
    template = ROUTES[route].path or template
    body = ROUTES[route].body
    json = {} if body is None else {"json": fill(body, world.ids)}
    before, counts = a_view(world), row_counts(session)
    for name, authorization in BAD_AUTHORIZATION.items():
        headers = (
            {}
            if authorization is None
            else {"Authorization": fill(authorization, {"revoked": revoked})}
        )
        response = client.request(method, fill(template, world.ids), headers=headers, **json)
        assert response.status_code == 401, (name, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer"), name
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["code"] in {"missing_api_key", "invalid_api_key"}, name
    assert (a_view(world), row_counts(session)) == (before, counts)


def test_create_rejection_treats_other_tenants_application_as_unknown(
    world: World, other_api: ApiCaller
) -> None:
    own = other_api.seeker()["id"]
    url = f"/v1/seekers/{own}/rejections"
    before = a_view(world)
    bodies = [
        {**REJECTION, "application_id": a} for a in (world.ids["application_id"], new_id("app"))
    ]
    theirs, unknown = (other_api.post(url, json=body) for body in bodies)
    assert theirs.status_code == unknown.status_code == 422
    assert theirs.json()["errors"] == unknown.json()["errors"]
    assert theirs.json()["errors"][0]["pointer"] == "/application_id"
    batch = [{**body, "seeker_id": own} for body in bodies]
    results = other_api.post("/v1/rejections/batch", json={"items": batch}).json()["results"]
    assert results[0]["error"] == results[1]["error"]
    assert results[0]["error"]["errors"][0]["pointer"] == "/application_id"
    assert other_api.get(url).json()["data"] == []
    assert a_view(world) == before


@pytest.mark.parametrize("kind", ["applications", "rejections"])
def test_create_record_keeps_external_ids_per_tenant(
    kind: str, world: World, other_api: ApiCaller
) -> None:
    own = other_api.seeker()["id"]
    body = APPLICATION if kind == "applications" else REJECTION
    before = a_view(world)
    response = other_api.post(
        f"/v1/seekers/{own}/{kind}", json={**body, "source": "greenhouse", "external_id": "ats-7"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["seeker_id"] == own
    assert response.json()["id"] not in world.ids.values()
    assert a_view(world) == before
