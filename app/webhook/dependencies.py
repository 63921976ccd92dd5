"""Validating dependencies: the `webhooks:manage` scope, an endpoint id that becomes this tenant's
WebhookEndpoint (or 404), and a body's `url` judged before the request touches the database."""

import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import TypeAdapter, ValidationError

from app.core.auth import Principal, get_principal, require_scope
from app.core.conditional import precondition
from app.core.db import DbSession, get_session, new_session
from app.core.fields import Url
from app.core.routing import OneHopRoute
from app.tenant import service as tenant_service
from app.tenant.models import Scope
from app.webhook import destination, service
from app.webhook.models import WebhookEndpoint

WebhookManager = Annotated[Principal, Depends(require_scope(Scope.WEBHOOKS_MANAGE))]
EndpointId = Annotated[str, Path(max_length=40, description="The webhook endpoint's id")]

_URL = TypeAdapter(Url)
_VERDICT = "webhook_url_verdict"  # where the route finds it, in `request.state`


class JudgesUrlFirst(OneHopRoute):
    """A route that resolves and checks its body's `url` before any dependency runs.

    Dependencies cannot do it: the `/v1` router puts the idempotency guard, which authenticates,
    before every route's own dependencies, so the request's transaction has begun by then (and on
    SQLite a writing transaction holds the database's one write lock from its first statement).
    DNS can take seconds, and would hold every writer of the service meanwhile. So the handler is
    wrapped: the URL is read from the raw body, validated exactly as the `Url` field validates it,
    and judged in a worker thread (for at most `destination.REGISTRATION_TIMEOUT`), all before
    FastAPI solves the dependencies; then the request goes on as ever, the body validated as
    usual. A request without a valid API key (checked in a read-only transaction of its own), or
    whose `url` does not validate, is not judged (it is answered 401 or 422 before the route runs).
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The usual handler, after the URL's verdict was put in `request.state`."""
        handler = super().get_route_handler()

        async def judge_first(request: Request) -> Response:
            url = await _body_url(request)
            if url is not None and await run_in_threadpool(_presents_a_live_key, request):
                verdict = await run_in_threadpool(destination.judge, url)
                setattr(request.state, _VERDICT, verdict)
            return await handler(request)

        return judge_first


def _presents_a_live_key(request: Request) -> bool:
    """Whether the request carries a valid API key: only then is its URL worth a DNS lookup.

    A read-only transaction of its own (no write lock on SQLite), ended before the lookup.
    """
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    provider = request.app.dependency_overrides.get(get_session)
    if provider is not None:  # an overridden session provider (tests): ask its session
        return tenant_service.authenticate(provider(), token.strip()) is not None
    with new_session() as session:
        return tenant_service.authenticate(session, token.strip()) is not None


async def _body_url(request: Request) -> str | None:
    if request.method not in ("POST", "PATCH"):
        return None
    try:
        body = json.loads(await request.body())
        return _URL.validate_python(body["url"]) if isinstance(body, dict) else None
    except (ValueError, KeyError, ValidationError):  # the body's validation will say what
        return None


def url_verdict(request: Request, url: str) -> destination.Verdict:
    """The verdict `JudgesUrlFirst` reached on `url` (the route must use that class)."""
    verdict = getattr(request.state, _VERDICT, None)
    if not isinstance(verdict, destination.Verdict) or verdict.url != url:
        raise RuntimeError("the URL was not judged before the transaction (see JudgesUrlFirst)")
    return verdict


def valid_owned_endpoint(
    request: Request,
    endpoint_id: EndpointId,
    principal: Annotated[Principal, Depends(get_principal)],
    session: DbSession,
) -> WebhookEndpoint:
    """The caller's endpoint; another tenant's id answers 404 exactly like an unknown one.

    A PATCH or DELETE with a stale `If-Match` answers 412.
    """
    endpoint = service.get_endpoint(session, tenant_id=principal.tenant_id, endpoint_id=endpoint_id)
    return precondition(request, session, endpoint)


OwnedEndpoint = Annotated[WebhookEndpoint, Depends(valid_owned_endpoint)]
