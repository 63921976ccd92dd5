"""The outbox: messages written in the transaction of the change they report, and their payload.

Fan-out happens here, at write time: each message gets one delivery per endpoint of its tenant
that is enabled and subscribed to its type, so an endpoint receives exactly the events that
happened while it was subscribed, and the worker only ever deals with deliveries. A tenant with
no endpoint pays one small query per write and stores nothing.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy import delete, exists, insert
from sqlmodel import Session, col, select

from app.core.clock import utc_now
from app.core.ids import new_id
from app.webhook.models import (
    DeliveryStatus,
    EndpointStatus,
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMessage,
)

# The wait after each failed attempt. When it runs out (12 attempts over about 2.8 days) the
# delivery is failed.
SCHEDULE = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    *[timedelta(hours=10)] * 6,
)


class SeekerDeleted(BaseModel):
    """What `seeker.deleted` says about the erased seeker: only the id."""

    id: str


@dataclass(frozen=True)
class Event:
    """Something that happened to a tenant's resource, shown as its public JSON."""

    tenant_id: str
    type: EventType
    resource: BaseModel


# Built once: every write that emits events runs it.
_SUBSCRIBERS = (
    select(WebhookEndpoint.id, WebhookEndpoint.tenant_id, WebhookEndpoint.event_types)
    .where(
        col(WebhookEndpoint.tenant_id).in_(sa.bindparam("tenant_ids", expanding=True)),
        WebhookEndpoint.status == EndpointStatus.ENABLED.value,
    )
    .with_for_update(read=True, key_share=True)
)


def _subscribers(session: Session, tenant_ids: list[str]) -> dict[tuple[str, str], list[str]]:
    """The enabled endpoints of these tenants by (tenant, event type), locked `FOR KEY SHARE`.

    The lock keeps an endpoint from being deleted until this transaction has inserted its
    deliveries and committed (a deletion then removes them too); without it, a deletion committed
    in between would make those inserts fail their foreign key, and the change that emitted the
    events with them. It is the weakest lock there is: it only waits for a deletion in progress,
    and updates (disabling, a worker recording an attempt) never wait for it.
    """
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for endpoint_id, tenant_id, types in session.exec(
        _SUBSCRIBERS, params={"tenant_ids": tenant_ids}
    ):
        for event_type in types:
            found[tenant_id, event_type].append(endpoint_id)
    return found


def write(session: Session, events: Sequence[Event], *, now: datetime | None = None) -> None:
    """Store events with a delivery per subscribed endpoint, in at most three statements."""
    if not events:
        return
    now = now or utc_now()
    subscribers = _subscribers(session, sorted({e.tenant_id for e in events}))
    messages: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    for event in events:
        targets = subscribers.get((event.tenant_id, event.type.value))
        if not targets:
            continue
        data = event.resource.model_dump(mode="json")
        message_id = new_id("msg")
        messages.append(
            {
                "id": message_id,
                "tenant_id": event.tenant_id,
                "type": event.type.value,
                "resource_id": data["id"],
                "seeker_id": data.get("seeker_id"),
                "data": data,
                "created_at": now,
            }
        )
        deliveries += [
            {
                "id": new_id("whd"),
                "tenant_id": event.tenant_id,
                "endpoint_id": endpoint_id,
                "message_id": message_id,
                "event_type": event.type.value,
                "status": DeliveryStatus.PENDING.value,
                "attempt_count": 0,
                "failures": 0,
                "next_attempt_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for endpoint_id in sorted(targets)
        ]
    if messages:
        session.execute(insert(WebhookMessage), messages)
        session.execute(insert(WebhookDelivery), deliveries)


def prune(session: Session, *, before: datetime, batch: int = 1000) -> int:
    """Delete messages older than `before` that nothing waits to send, with their deliveries and
    attempts (the foreign keys cascade); one committed transaction per `batch`. How many went."""
    waiting = exists().where(
        col(WebhookDelivery.message_id) == col(WebhookMessage.id),
        col(WebhookDelivery.status) == DeliveryStatus.PENDING.value,
    )
    pruned = 0
    while True:
        stmt = select(WebhookMessage.id).where(col(WebhookMessage.created_at) < before, ~waiting)
        ids = list(session.exec(stmt.limit(batch)).all())
        if ids:
            # `waiting` again: a delivery retried by hand meanwhile keeps its message.
            session.execute(delete(WebhookMessage).where(col(WebhookMessage.id).in_(ids), ~waiting))
        session.commit()
        pruned += len(ids)
        if len(ids) < batch:
            return pruned


def envelope(message: WebhookMessage) -> dict[str, Any]:
    """The Standard Webhooks payload of a message: `type`, `timestamp` and `data`."""
    data = message.data
    if data is None:  # its seeker was erased since: only the ids are left to tell
        data = {"id": message.resource_id, "seeker_id": message.seeker_id, "redacted": True}
    timestamp = message.created_at.isoformat().replace("+00:00", "Z")
    return {"type": message.type, "timestamp": timestamp, "data": data}
