"""HTTP layer for webhook endpoints and their delivery log."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from app.core.contract import (
    NOT_MODIFIED,
    PRECONDITION_FAILED,
    body,
    conditional_read,
    conditional_write,
    endpoint_links,
    link,
    links,
    next_page,
    retryable,
)
from app.core.db import DbSession
from app.core.fields import ID_MAX, NO_NUL
from app.core.pagination import Page, PageParams, page_params, to_page
from app.webhook import service
from app.webhook.dependencies import JudgesUrlFirst, OwnedEndpoint, WebhookManager, url_verdict
from app.webhook.models import (
    DeliveryStatus,
    WebhookDeliveryPublic,
    WebhookEndpointCreate,
    WebhookEndpointPublic,
    WebhookEndpointUpdate,
    WebhookEndpointWithSecret,
)

# JudgesUrlFirst: a body's `url` is resolved and checked before the request touches the database.
router = APIRouter(prefix="/webhook-endpoints", tags=["webhooks"], route_class=JudgesUrlFirst)
Params = Annotated[PageParams, Depends(page_params)]
DeliveryId = Annotated[
    str, Path(max_length=ID_MAX, pattern=NO_NUL, description="The delivery's id")
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookEndpointWithSecret,
    responses={201: links(**endpoint_links("id"))},
    openapi_extra=retryable(),
)
def create_webhook_endpoint(
    request: Request,
    principal: WebhookManager,
    endpoint_in: WebhookEndpointCreate,
    session: DbSession,
) -> WebhookEndpointWithSecret:
    """Register a URL for events; the answer holds its `whsec_` secret, shown this once."""
    created = service.create_endpoint(
        session,
        tenant_id=principal.tenant_id,
        endpoint_in=endpoint_in,
        verdict=url_verdict(request, endpoint_in.url),
    )
    session.commit()
    return created


@router.get(
    "",
    response_model=Page[WebhookEndpointPublic],
    responses={200: links(**endpoint_links("data/0/id"), **next_page("/webhook-endpoints"))},
)
def list_webhook_endpoints(
    principal: WebhookManager, session: DbSession, params: Params
) -> Page[WebhookEndpointPublic]:
    """The tenant's webhook endpoints, newest first."""
    result = service.list_endpoints(session, tenant_id=principal.tenant_id, params=params)
    return to_page(result, WebhookEndpointPublic)


@router.get(
    "/{endpoint_id}",
    response_model=WebhookEndpointPublic,
    responses=NOT_MODIFIED,
    openapi_extra=conditional_read(),
)
async def read_webhook_endpoint(
    _: WebhookManager, endpoint: OwnedEndpoint
) -> WebhookEndpointPublic:
    """One webhook endpoint (never its secret)."""
    return service.to_public(endpoint)


@router.patch(
    "/{endpoint_id}",
    response_model=WebhookEndpointPublic,
    responses=PRECONDITION_FAILED,
    openapi_extra=conditional_write(),
)
def update_webhook_endpoint(
    request: Request,
    _: WebhookManager,
    endpoint_in: WebhookEndpointUpdate,
    endpoint: OwnedEndpoint,
    session: DbSession,
) -> WebhookEndpointPublic:
    """Change the URL, event types or description; `status` disables or enables it."""
    url = endpoint_in.url
    verdict = url_verdict(request, url) if url is not None else None
    endpoint = service.update_endpoint(
        session, endpoint=endpoint, endpoint_in=endpoint_in, verdict=verdict
    )
    session.commit()
    return service.to_public(endpoint)


@router.delete(
    "/{endpoint_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=PRECONDITION_FAILED,
    openapi_extra=conditional_write(),
)
def delete_webhook_endpoint(
    _: WebhookManager, endpoint: OwnedEndpoint, session: DbSession
) -> Response:
    """Delete the endpoint with its delivery log; nothing more is sent to it."""
    service.delete_endpoint(session, endpoint=endpoint)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{endpoint_id}/rotate-secret",
    response_model=WebhookEndpointWithSecret,
    responses={200: links(**endpoint_links("id"))},
    openapi_extra=retryable(),
)
def rotate_webhook_secret(
    _: WebhookManager, endpoint: OwnedEndpoint, session: DbSession
) -> WebhookEndpointWithSecret:
    """Issue a new secret (shown once); for 24 hours messages carry the old one's signature too.

    Every secret rotated out in the last 24 hours keeps signing; a fifth rotation within 24 hours
    is refused (`409 too_many_secret_rotations`).
    """
    rotated = service.rotate_secret(session, endpoint=endpoint)
    session.commit()
    return rotated


@router.get(
    "/{endpoint_id}/deliveries",
    response_model=Page[WebhookDeliveryPublic],
    responses={
        200: links(
            retry_webhook_delivery=link(
                "post",
                "/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/retry",
                endpoint_id=body("data/0/endpoint_id"),
                delivery_id=body("data/0/id"),
            ),
            **next_page("/webhook-endpoints/{endpoint_id}/deliveries", "endpoint_id"),
        )
    },
)
def list_webhook_deliveries(
    _: WebhookManager,
    endpoint: OwnedEndpoint,
    session: DbSession,
    params: Params,
    delivery_status: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
) -> Page[WebhookDeliveryPublic]:
    """The endpoint's deliveries, newest first, each with every attempt; `?status=` filters."""
    return service.list_deliveries(
        session, endpoint=endpoint, params=params, status=delivery_status
    )


@router.post(
    "/{endpoint_id}/deliveries/{delivery_id}/retry",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=WebhookDeliveryPublic,
    openapi_extra=retryable(),
)
def retry_webhook_delivery(
    _: WebhookManager, delivery_id: DeliveryId, endpoint: OwnedEndpoint, session: DbSession
) -> WebhookDeliveryPublic:
    """Send a failed (or succeeded) delivery once more, as soon as a worker gets to it."""
    delivery = service.retry_delivery(session, endpoint=endpoint, delivery_id=delivery_id)
    session.commit()
    return delivery
