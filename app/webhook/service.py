"""Webhooks: endpoints, the outbox (`emit`), the delivery log and retrying by hand.

`emit` is what other domains call, inside the transaction of the change it reports (see
`app/webhook/outbox.py`); `app/webhook/worker.py` sends what it wrote.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

from cryptography.fernet import InvalidToken
from pydantic import BaseModel
from sqlalchemy import null, update
from sqlmodel import Session, col, func, select

from app.core.clock import utc_now
from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.ids import new_id
from app.core.pagination import Page, PageParams, paginate
from app.tenant.models import Tenant
from app.webhook import destination, outbox, signing
from app.webhook.models import (
    DeliveryStatus,
    EndpointStatus,
    EventType,
    WebhookAttempt,
    WebhookAttemptPublic,
    WebhookDelivery,
    WebhookDeliveryPublic,
    WebhookEndpoint,
    WebhookEndpointCreate,
    WebhookEndpointPublic,
    WebhookEndpointUpdate,
    WebhookEndpointWithSecret,
    WebhookMessage,
)
from app.webhook.outbox import Event

MAX_ENDPOINTS = 20  # per tenant
ROTATION_OVERLAP = timedelta(hours=24)  # a rotated-out secret keeps signing this long
MAX_ROTATED_OUT = 4  # rotated-out secrets signing at once: a fifth rotation within 24 h is refused


class WebhookEndpointNotFound(NotFound):
    """No webhook endpoint with that id for this tenant."""

    code = "webhook_endpoint_not_found"


class WebhookDeliveryNotFound(NotFound):
    """No delivery with that id for this endpoint."""

    code = "webhook_delivery_not_found"


class WebhookConflict(Conflict):
    """The request clashes with the endpoint's or the delivery's state (`code` says how)."""

    code = "webhook_conflict"


def emit(
    session: Session,
    *,
    tenant_id: str,
    events: Iterable[tuple[str, BaseModel]],
    now: datetime | None = None,
) -> None:
    """Write `(event type, public model)` events of one tenant to the outbox, in this transaction
    (see `emit_all`)."""
    emit_all(session, events=((tenant_id, t, r) for t, r in events), now=now)


def emit_all(
    session: Session,
    *,
    events: Iterable[tuple[str, str, BaseModel]],
    now: datetime | None = None,
) -> None:
    """Write `(tenant id, event type, public model)` events of any tenants to the outbox, in this
    transaction: one query finds the subscribed endpoints; only if there are any, one INSERT
    writes the messages and one their deliveries, whatever the number of events."""
    outbox.write(session, [Event(t, EventType(e), r) for t, e, r in events], now=now)


def forget_seeker(session: Session, *, tenant_id: str, seeker_id: str) -> None:
    """On erasure: blank the seeker's earlier messages (sent or not) and emit `seeker.deleted`.

    Messages still waiting are then sent with only the ids (`"redacted": true`), and the outbox
    keeps nothing personal about the seeker.
    """
    session.execute(
        update(WebhookMessage)
        .where(
            col(WebhookMessage.tenant_id) == tenant_id, col(WebhookMessage.seeker_id) == seeker_id
        )
        .values(data=null())
        .execution_options(synchronize_session=False)
    )
    deleted = outbox.SeekerDeleted(id=seeker_id)
    emit(session, tenant_id=tenant_id, events=[("seeker.deleted", deleted)])


def _invalid_url(detail: str) -> Unprocessable:
    return Unprocessable.at("/url", detail, "The webhook endpoint has invalid fields.")


def _require_allowed(verdict: destination.Verdict, url: str) -> None:
    """Refuse the URL unless the verdict, reached before the transaction began, allows it."""
    if verdict.url != url:
        raise RuntimeError("the URL verdict is for another URL")  # a bug, not a bad request
    if verdict.refused is not None:
        raise _invalid_url(verdict.refused)


def _lock_tenant(session: Session, tenant_id: str) -> None:
    """Serialise the tenant's endpoint creations (PostgreSQL; SQLite has one writer).

    `FOR NO KEY UPDATE` conflicts with itself but not with the `KEY SHARE` lock every insert of a
    row owned by the tenant takes on it, so nothing else of the tenant waits.
    """
    session.exec(select(Tenant.id).where(Tenant.id == tenant_id).with_for_update(key_share=True))


def create_endpoint(
    session: Session,
    *,
    tenant_id: str,
    endpoint_in: WebhookEndpointCreate,
    verdict: destination.Verdict,
) -> WebhookEndpointWithSecret:
    """Register an endpoint; the answer carries its new secret, which is never shown again.

    `verdict` is `destination.judge(endpoint_in.url)`, reached before the request's transaction
    began: DNS can be slow, and on SQLite the transaction holds the database's one write lock.
    """
    _require_allowed(verdict, endpoint_in.url)
    _lock_tenant(session, tenant_id)
    count = session.exec(select(func.count()).where(WebhookEndpoint.tenant_id == tenant_id)).one()
    if count >= MAX_ENDPOINTS:
        raise WebhookConflict(
            f"A tenant may have {MAX_ENDPOINTS} webhook endpoints; delete one first.",
            code="too_many_webhook_endpoints",
        )
    now = utc_now()
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(
        id=new_id("whe"),
        tenant_id=tenant_id,
        url=endpoint_in.url,
        description=endpoint_in.description,
        event_types=[t.value for t in endpoint_in.event_types or list(EventType)],
        secret_encrypted=signing.encrypt(secret),
        created_at=now,
        updated_at=now,
    )
    session.add(endpoint)
    session.flush()
    return with_secret(endpoint, secret)


def get_endpoint(session: Session, *, tenant_id: str, endpoint_id: str) -> WebhookEndpoint:
    """An endpoint of this tenant, or WebhookEndpointNotFound."""
    stmt = select(WebhookEndpoint).where(
        WebhookEndpoint.id == endpoint_id, WebhookEndpoint.tenant_id == tenant_id
    )
    endpoint = session.exec(stmt).first()
    if endpoint is None:
        raise WebhookEndpointNotFound(f"No webhook endpoint {endpoint_id!r}.")
    return endpoint


def list_endpoints(
    session: Session, *, tenant_id: str, params: PageParams
) -> tuple[Sequence[WebhookEndpoint], bool, str | None]:
    """A page of the tenant's endpoints, newest first."""
    stmt = select(WebhookEndpoint).where(WebhookEndpoint.tenant_id == tenant_id)
    scope = f"webhook_endpoints:{tenant_id}"
    return paginate(session, stmt, col(WebhookEndpoint.id), params, scope)


def _fail_pending(session: Session, *, endpoint_id: str, now: datetime) -> None:
    session.execute(
        update(WebhookDelivery)
        .where(
            col(WebhookDelivery.endpoint_id) == endpoint_id,
            col(WebhookDelivery.status) == DeliveryStatus.PENDING.value,
        )
        .values(
            status=DeliveryStatus.FAILED.value, next_attempt_at=None, lease_id=None, updated_at=now
        )
        .execution_options(synchronize_session=False)
    )


def disable(session: Session, *, endpoint: WebhookEndpoint, reason: str, now: datetime) -> None:
    """Stop sending to an endpoint: it gets no new deliveries and its pending ones fail."""
    endpoint.status = EndpointStatus.DISABLED.value
    endpoint.disabled_reason = reason
    endpoint.updated_at = now
    session.add(endpoint)
    session.flush()
    _fail_pending(session, endpoint_id=endpoint.id, now=now)


def update_endpoint(
    session: Session,
    *,
    endpoint: WebhookEndpoint,
    endpoint_in: WebhookEndpointUpdate,
    verdict: destination.Verdict | None,
) -> WebhookEndpoint:
    """Change the URL, the event types or the description, or disable or enable the endpoint.

    A new URL needs its `verdict` (see `create_endpoint`). The endpoint's row is updated before
    its deliveries, the order every path locks them in (see `worker.record`).
    """
    changes: dict[str, Any] = endpoint_in.model_dump(exclude_unset=True)
    if not changes:
        return endpoint
    now = utc_now()
    if "url" in changes:
        if verdict is None:
            raise RuntimeError("a new URL needs its verdict")
        _require_allowed(verdict, changes["url"])
    if "event_types" in changes:
        changes["event_types"] = [EventType(t).value for t in changes["event_types"]]
    status = changes.pop("status", None)
    endpoint.sqlmodel_update(changes)
    endpoint.updated_at = now
    if status is EndpointStatus.DISABLED and endpoint.status != status.value:
        disable(session, endpoint=endpoint, reason="disabled through the API", now=now)
    elif status is EndpointStatus.ENABLED:
        endpoint.status, endpoint.disabled_reason = status.value, None
    session.add(endpoint)
    session.flush()
    return endpoint


def delete_endpoint(session: Session, *, endpoint: WebhookEndpoint) -> None:
    """Delete an endpoint with its deliveries and their attempts.

    The endpoint's row is locked first and its deliveries then (the foreign keys cascade): the
    order of `worker.record`. The outbox reads endpoints `FOR KEY SHARE`, so a deletion waits for
    a transaction fanning out to the endpoint, and that one never inserts for a deleted endpoint.
    """
    session.delete(endpoint)
    session.flush()


def _rotated_out(endpoint: WebhookEndpoint, now: datetime) -> list[tuple[str, datetime]]:
    """The secrets rotated out that still sign now, each with when it stops, oldest first."""
    token, expires = endpoint.previous_secret_encrypted, endpoint.previous_secret_expires_at
    if not token or expires is None or now >= expires:
        return []
    return [(s, at) for s, at in signing.decrypt_previous(token, expires) if now < at]


def rotate_secret(session: Session, *, endpoint: WebhookEndpoint) -> WebhookEndpointWithSecret:
    """Issue a new secret; every secret rotated out in the last 24 hours keeps signing until its
    24 hours are up. At most `MAX_ROTATED_OUT` are kept: one rotation more is refused (409)."""
    now = utc_now()
    try:
        kept = _rotated_out(endpoint, now)
    except InvalidToken:  # the server key changed: those could not sign anyway
        kept = []
    if len(kept) >= MAX_ROTATED_OUT:
        raise WebhookConflict(
            f"The secret was rotated {MAX_ROTATED_OUT} times in the last 24 hours and each "
            f"rotated-out secret still signs for 24 hours; rotate again after "
            f"{kept[0][1].isoformat()}.",
            code="too_many_secret_rotations",
        )
    with suppress(InvalidToken):  # if the server key changed, it cannot sign anyway
        kept.append((signing.decrypt(endpoint.secret_encrypted), now + ROTATION_OVERLAP))
    secret = signing.new_secret()
    endpoint.previous_secret_encrypted = signing.encrypt_previous(kept) if kept else None
    endpoint.previous_secret_expires_at = kept[-1][1] if kept else None
    endpoint.secret_encrypted = signing.encrypt(secret)
    endpoint.updated_at = now
    session.add(endpoint)
    session.flush()
    return with_secret(endpoint, secret)


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The secrets that sign a message sent now: the current one, then those rotated out in the
    last 24 hours, newest first."""
    found = [signing.decrypt(endpoint.secret_encrypted)]
    return found + [secret for secret, _ in reversed(_rotated_out(endpoint, now))]


def to_public(endpoint: WebhookEndpoint) -> WebhookEndpointPublic:
    """The API view of an endpoint (never a secret)."""
    return WebhookEndpointPublic.model_validate(endpoint)


def with_secret(endpoint: WebhookEndpoint, secret: str) -> WebhookEndpointWithSecret:
    """The API view of an endpoint with the secret just issued."""
    return WebhookEndpointWithSecret(**to_public(endpoint).model_dump(), secret=secret)


def _public_deliveries(
    session: Session, deliveries: Sequence[WebhookDelivery]
) -> list[WebhookDeliveryPublic]:
    """Deliveries with their attempts, in two queries for any number."""
    attempts: dict[str, list[WebhookAttemptPublic]] = defaultdict(list)
    if deliveries:
        stmt = (
            select(WebhookAttempt)
            .where(col(WebhookAttempt.delivery_id).in_([d.id for d in deliveries]))
            .order_by(col(WebhookAttempt.id))
        )
        for attempt in session.exec(stmt).all():
            attempts[attempt.delivery_id].append(WebhookAttemptPublic.model_validate(attempt))
    return [
        WebhookDeliveryPublic.model_validate(
            {**d.model_dump(), "attempts": attempts[d.id]}, from_attributes=True
        )
        for d in deliveries
    ]


def list_deliveries(
    session: Session,
    *,
    endpoint: WebhookEndpoint,
    params: PageParams,
    status: DeliveryStatus | None,
) -> Page[WebhookDeliveryPublic]:
    """A page of an endpoint's deliveries, newest first, each with its attempts."""
    stmt = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
    if status is not None:
        stmt = stmt.where(WebhookDelivery.status == status.value)
    scope = f"webhook_deliveries:{endpoint.id}:{status}"
    rows, has_more, cursor = paginate(session, stmt, col(WebhookDelivery.id), params, scope)
    return Page[WebhookDeliveryPublic](
        data=_public_deliveries(session, rows), has_more=has_more, next_cursor=cursor
    )


def retry_delivery(
    session: Session, *, endpoint: WebhookEndpoint, delivery_id: str
) -> WebhookDeliveryPublic:
    """Send a finished delivery once more, now; if that attempt fails, it is failed again.

    The endpoint is locked (`FOR SHARE`) before the delivery, as everywhere (see `worker.record`),
    and read afresh: a concurrent disabling is seen, not overwritten by a pending delivery.
    """
    locked = (
        select(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint.id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    )
    if session.exec(locked).first() is None:
        raise WebhookEndpointNotFound(f"No webhook endpoint {endpoint.id!r}.")
    delivery = session.exec(
        select(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint.id
        )
    ).first()
    if delivery is None:
        raise WebhookDeliveryNotFound(f"No delivery {delivery_id!r} for this endpoint.")
    if endpoint.status != EndpointStatus.ENABLED.value:
        raise WebhookConflict(
            "The endpoint is disabled; enable it before retrying.", code="webhook_endpoint_disabled"
        )
    if delivery.status == DeliveryStatus.PENDING.value:
        raise WebhookConflict(
            "The delivery is still pending; it is retried on its own.", code="delivery_pending"
        )
    now = utc_now()
    delivery.status = DeliveryStatus.PENDING.value
    delivery.failures = max(delivery.failures, len(outbox.SCHEDULE))  # one attempt, no new schedule
    delivery.next_attempt_at = now
    delivery.lease_id = None
    delivery.updated_at = now
    session.add(delivery)
    session.flush()
    return _public_deliveries(session, [delivery])[0]
