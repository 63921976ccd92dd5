"""Webhooks: endpoints a tenant registers, the outbox of messages, deliveries and their attempts."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.core.db import UTCDateTime, owned_by, version_column, versioned
from app.core.fields import PatchModel, Url, text


class EventType(StrEnum):
    """What happened; an endpoint subscribes to some of these."""

    REJECTION_CREATED = "rejection.created"
    REJECTION_DELETED = "rejection.deleted"
    NEXT_STEP_CREATED = "next_step.created"
    NEXT_STEP_UPDATED = "next_step.updated"
    GOAL_ACHIEVED = "goal.achieved"
    GOAL_BEHIND = "goal.behind"
    SEEKER_DELETED = "seeker.deleted"


class EndpointStatus(StrEnum):
    """A disabled endpoint gets nothing: no new deliveries, and its pending ones fail."""

    ENABLED = "enabled"
    DISABLED = "disabled"


class DeliveryStatus(StrEnum):
    """Where one message stands for one endpoint."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


_ENDPOINT_VERSION = version_column()


class WebhookEndpoint(SQLModel, table=True):
    """A URL that receives a tenant's events; its signing secrets are stored encrypted."""

    __tablename__ = "webhook_endpoint"
    __table_args__ = (sa.Index("ix_webhook_endpoint_tenant_id_id", "tenant_id", "id"),)

    id: str = SQLField(primary_key=True, max_length=40)
    tenant_id: str = owned_by("tenant.id")
    url: str = SQLField(max_length=2048)
    description: str | None = SQLField(default=None, max_length=500)
    event_types: list[str] = SQLField(default_factory=list, sa_type=sa.JSON)
    status: str = SQLField(default=EndpointStatus.ENABLED.value, max_length=16)
    disabled_reason: str | None = SQLField(default=None, max_length=200)
    secret_encrypted: str = SQLField(sa_type=sa.Text)  # Fernet token of the `whsec_` secret
    # Secrets rotated out in the last 24 hours, each with when it stops signing: one Fernet token
    # (see `signing.encrypt_previous`); the expiry is the last of theirs.
    previous_secret_encrypted: str | None = SQLField(default=None, sa_type=sa.Text)
    previous_secret_expires_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    created_at: datetime = SQLField(sa_type=UTCDateTime)
    updated_at: datetime = SQLField(sa_type=UTCDateTime)
    version: int = SQLField(default=1, sa_column=_ENDPOINT_VERSION)
    __mapper_args__ = versioned(_ENDPOINT_VERSION)


class WebhookMessage(SQLModel, table=True):
    """The outbox: one row per event, written in the transaction of the change that caused it.

    It belongs to the tenant, not the seeker, so it outlives an erased seeker; `seeker_id` is a
    plain column (no foreign key) that lets the erasure blank `data` (see `service.forget_seeker`).
    """

    __tablename__ = "webhook_message"
    __table_args__ = (
        sa.Index("ix_webhook_message_tenant_id_seeker_id", "tenant_id", "seeker_id"),
        sa.Index("ix_webhook_message_created_at", "created_at"),
    )

    id: str = SQLField(primary_key=True, max_length=40)
    tenant_id: str = owned_by("tenant.id")
    type: str = SQLField(max_length=64)
    resource_id: str = SQLField(max_length=40)
    seeker_id: str | None = SQLField(default=None, max_length=40)
    data: dict[str, Any] | None = SQLField(default=None, sa_type=sa.JSON(none_as_null=True))
    created_at: datetime = SQLField(sa_type=UTCDateTime)


class WebhookDelivery(SQLModel, table=True):
    """One message for one endpoint: pending until it succeeds or its retries run out.

    A worker claims a due delivery by pushing `next_attempt_at` one lease ahead and stamping
    `lease_id`; if it dies before recording the outcome, the delivery is simply due again later.
    """

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        sa.UniqueConstraint("message_id", "endpoint_id"),
        sa.Index("ix_webhook_delivery_endpoint_id_id", "endpoint_id", "id"),
        sa.Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: str = SQLField(primary_key=True, max_length=40)
    tenant_id: str = owned_by("tenant.id")
    endpoint_id: str = owned_by("webhook_endpoint.id")
    message_id: str = owned_by("webhook_message.id")
    event_type: str = SQLField(max_length=64)
    status: str = SQLField(default=DeliveryStatus.PENDING.value, max_length=16)
    attempt_count: int = 0
    failures: int = 0  # failed attempts so far: the position in the backoff schedule
    next_attempt_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    lease_id: str | None = SQLField(default=None, max_length=40)
    last_attempt_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    created_at: datetime = SQLField(sa_type=UTCDateTime)
    updated_at: datetime = SQLField(sa_type=UTCDateTime)


class WebhookAttempt(SQLModel, table=True):
    """One try at sending a delivery: what came back and how long it took."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (sa.Index("ix_webhook_attempt_delivery_id_id", "delivery_id", "id"),)

    id: str = SQLField(primary_key=True, max_length=40)
    tenant_id: str = owned_by("tenant.id")
    delivery_id: str = owned_by("webhook_delivery.id")
    attempted_at: datetime = SQLField(sa_type=UTCDateTime)
    status_code: int | None = None
    latency_ms: int
    error: str | None = SQLField(default=None, max_length=500)


def _distinct(types: list[EventType]) -> list[EventType]:
    if len(set(types)) != len(types):
        raise ValueError("lists an event type twice")
    return types


EventTypes = Annotated[
    list[EventType],
    Field(min_length=1, json_schema_extra={"uniqueItems": True}),
    AfterValidator(_distinct),
]
Description = Annotated[str, text(500)]


class WebhookEndpointCreate(BaseModel):
    """Body of `POST /v1/webhook-endpoints`."""

    model_config = ConfigDict(extra="forbid")

    url: Url = Field(description="Where events are POSTed (http or https)")
    event_types: EventTypes | None = Field(
        default=None, description="Default: every event type there is today"
    )
    description: Description | None = None


class WebhookEndpointUpdate(PatchModel):
    """Body of `PATCH /v1/webhook-endpoints/{endpoint_id}`."""

    not_nullable = frozenset({"url", "event_types", "status"})

    url: Url | None = None
    event_types: EventTypes | None = None
    description: Description | None = None
    status: EndpointStatus | None = Field(
        default=None, description="`disabled` stops deliveries (pending ones fail); `enabled`"
    )


class WebhookEndpointPublic(BaseModel):
    """An endpoint as the API shows it: never its secret."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    url: str
    description: str | None
    event_types: list[EventType]
    status: EndpointStatus
    disabled_reason: str | None
    previous_secret_expires_at: datetime | None = Field(
        description=(
            "Until then, messages are also signed with secrets rotated out in the last 24 hours "
            "(each for 24 hours after its rotation)"
        )
    )
    created_at: datetime
    updated_at: datetime
    version: int


class WebhookEndpointWithSecret(WebhookEndpointPublic):
    """The answer to creating an endpoint or rotating its secret: the secret, shown this once."""

    secret: str = Field(description="`whsec_…`: verify signatures with it; it is not shown again")


class WebhookAttemptPublic(BaseModel):
    """One attempt as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None


class WebhookDeliveryPublic(BaseModel):
    """One message's delivery to one endpoint, with every attempt, oldest first."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    endpoint_id: str
    message_id: str = Field(description="Sent as `webhook-id`; the same on every retry")
    event_type: EventType
    status: DeliveryStatus
    attempt_count: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    created_at: datetime
    updated_at: datetime
    attempts: list[WebhookAttemptPublic]
