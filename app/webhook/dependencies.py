"""Validating dependencies: the `webhooks:manage` scope, and an endpoint id that becomes this
tenant's WebhookEndpoint, or 404."""

from typing import Annotated

from fastapi import Depends, Path, Request

from app.core.auth import Principal, get_principal, require_scope
from app.core.conditional import precondition
from app.core.db import DbSession
from app.tenant.models import Scope
from app.webhook import service
from app.webhook.models import WebhookEndpoint

WebhookManager = Annotated[Principal, Depends(require_scope(Scope.WEBHOOKS_MANAGE))]
EndpointId = Annotated[str, Path(max_length=40, description="The webhook endpoint's id")]


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
