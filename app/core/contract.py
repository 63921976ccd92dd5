"""OpenAPI fragments the routers declare: conditional-request headers, the answers they add, the
`Idempotency-Key` header, and links from the object an answer names to what can be done with it.

The headers are read by shared layers (`conditional`, `finish`, the idempotency guard), not by
the routes' parameters, so the routes declare them here for the document to say what is enforced.
Links let a client (and a stateful fuzzer) go from a created object to the operations on it.
"""

from typing import Any
from urllib.parse import quote

from app.core.errors import PROBLEM_MEDIA_TYPE

API_PREFIX = "/v1"

IF_MATCH: dict[str, Any] = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": 'The `ETag` last read (`"<version>"`): the write goes through only if the '
    "resource is still at that version (412 otherwise); without it the write goes through",
    "schema": {"type": "string"},
}
IF_NONE_MATCH: dict[str, Any] = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The `ETag` of the copy the client holds: 304 while it is current",
    "schema": {"type": "string"},
}
IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Retry safely: the same key and body within 24 hours replay the first answer "
    "(`Idempotent-Replayed: true`); the same key with another body is a 422, while the first "
    "is still running a 409",
    "schema": {"type": "string", "pattern": "^[!-~]+$", "minLength": 1, "maxLength": 255},
}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


PRECONDITION_FAILED: dict[int | str, Any] = {
    412: _problem("`If-Match` names another version (`code: version_mismatch`)")
}
NOT_MODIFIED: dict[int | str, Any] = {
    304: {"description": "Not Modified: `If-None-Match` names the current version"}
}


def conditional_write() -> dict[str, Any]:
    """`openapi_extra` of a PATCH or DELETE: it honours `If-Match` (with `PRECONDITION_FAILED`)."""
    return {"parameters": [dict(IF_MATCH)]}


def conditional_read() -> dict[str, Any]:
    """`openapi_extra` of a GET of one versioned object: `If-None-Match` (with `NOT_MODIFIED`)."""
    return {"parameters": [dict(IF_NONE_MATCH)]}


def retryable() -> dict[str, Any]:
    """`openapi_extra` of every POST: it takes an `Idempotency-Key`."""
    return {"parameters": [dict(IDEMPOTENCY_KEY)]}


def body(pointer: str) -> str:
    """The runtime expression for a value of the answer's body, e.g. `id` or `data/0/id`."""
    return f"$response.body#/{pointer}"


def link(method: str, path: str, **parameters: str) -> dict[str, Any]:
    """An OpenAPI link to `method path` (under /v1), its parameters runtime expressions."""
    pointer = quote((API_PREFIX + path).replace("~", "~0").replace("/", "~1"), safe="~")
    return {"operationRef": f"#/paths/{pointer}/{method.lower()}", "parameters": parameters}


def links(**named: dict[str, Any]) -> dict[str, Any]:
    """A response's `links` entry."""
    return {"links": named}


def seeker_links(where: str) -> dict[str, dict[str, Any]]:
    """Everything done with a seeker whose id is at `where` in the answer."""
    seeker = {"seeker_id": body(where)}
    return {
        "read_seeker": link("get", "/seekers/{seeker_id}", **seeker),
        "update_seeker": link("patch", "/seekers/{seeker_id}", **seeker),
        "delete_seeker": link("delete", "/seekers/{seeker_id}", **seeker),
        "export_seeker": link("get", "/seekers/{seeker_id}/export", **seeker),
        "create_application": link("post", "/seekers/{seeker_id}/applications", **seeker),
        "list_applications": link("get", "/seekers/{seeker_id}/applications", **seeker),
        "create_rejection": link("post", "/seekers/{seeker_id}/rejections", **seeker),
        "list_rejections": link("get", "/seekers/{seeker_id}/rejections", **seeker),
        "list_next_steps": link("get", "/seekers/{seeker_id}/next-steps", **seeker),
        "create_goal": link("post", "/seekers/{seeker_id}/goals", **seeker),
        "list_goals": link("get", "/seekers/{seeker_id}/goals", **seeker),
        "read_seeker_insights": link("get", "/seekers/{seeker_id}/insights", **seeker),
        "read_insights_chart": link("get", "/seekers/{seeker_id}/insights/chart.svg", **seeker),
    }


def application_links(where: str) -> dict[str, dict[str, Any]]:
    """Everything done with an application whose id is at `where` in the answer."""
    application = {"application_id": body(where)}
    return {
        "read_application": link("get", "/applications/{application_id}", **application),
        "update_application": link("patch", "/applications/{application_id}", **application),
        "delete_application": link("delete", "/applications/{application_id}", **application),
    }


def rejection_links(where: str) -> dict[str, dict[str, Any]]:
    """Everything done with a rejection whose id is at `where` in the answer."""
    rejection = {"rejection_id": body(where)}
    return {
        "read_rejection": link("get", "/rejections/{rejection_id}", **rejection),
        "delete_rejection": link("delete", "/rejections/{rejection_id}", **rejection),
    }


def next_step_links(where: str) -> dict[str, dict[str, Any]]:
    """Everything done with a next step whose id is at `where` in the answer."""
    step = {"next_step_id": body(where)}
    return {
        "read_next_step": link("get", "/next-steps/{next_step_id}", **step),
        "update_next_step": link("patch", "/next-steps/{next_step_id}", **step),
        "accept_goal": link("post", "/next-steps/{next_step_id}/accept-goal", **step),
    }


def goal_links(where: str) -> dict[str, dict[str, Any]]:
    """Everything done with a goal whose id is at `where` in the answer."""
    goal = {"goal_id": body(where)}
    return {
        "read_goal": link("get", "/goals/{goal_id}", **goal),
        "update_goal": link("patch", "/goals/{goal_id}", **goal),
        "delete_goal": link("delete", "/goals/{goal_id}", **goal),
        "create_check_in": link("post", "/goals/{goal_id}/check-ins", **goal),
        "list_check_ins": link("get", "/goals/{goal_id}/check-ins", **goal),
        "list_goal_periods": link("get", "/goals/{goal_id}/periods", **goal),
        "read_goal_chart": link("get", "/goals/{goal_id}/chart.svg", **goal),
    }


def endpoint_links(where: str) -> dict[str, dict[str, Any]]:
    """Everything done with a webhook endpoint whose id is at `where` in the answer."""
    endpoint = {"endpoint_id": body(where)}
    return {
        "read_webhook_endpoint": link("get", "/webhook-endpoints/{endpoint_id}", **endpoint),
        "update_webhook_endpoint": link("patch", "/webhook-endpoints/{endpoint_id}", **endpoint),
        "delete_webhook_endpoint": link("delete", "/webhook-endpoints/{endpoint_id}", **endpoint),
        "list_webhook_deliveries": link(
            "get", "/webhook-endpoints/{endpoint_id}/deliveries", **endpoint
        ),
        "rotate_webhook_secret": link(
            "post", "/webhook-endpoints/{endpoint_id}/rotate-secret", **endpoint
        ),
    }


def next_page(path: str, *path_parameters: str) -> dict[str, dict[str, Any]]:
    """The next page of the list at `path`: the same path, the answer's `next_cursor`."""
    same = {name: f"$request.path.{name}" for name in path_parameters}
    return {"next_page": link("get", path, **same, cursor=body("next_cursor"))}
