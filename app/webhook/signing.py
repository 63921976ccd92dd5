"""Webhook secrets: made, kept encrypted at rest under the server key, and used to sign messages."""

import base64
import json
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from standardwebhooks import Webhook

from app.core import crypto

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix Standard Webhooks secrets carry
SECRET_BYTES = 32  # Standard Webhooks asks for 24 to 64 random bytes


def new_secret() -> str:
    """A fresh signing secret: `whsec_` and the base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def encrypt(secret: str) -> str:
    """The secret as stored: a Fernet token under the server key."""
    return crypto.seal(secret.encode()).decode()


def decrypt(token: str) -> str:
    """The secret a stored token holds."""
    return crypto.unseal(token.encode()).decode()


def encrypt_previous(rotated_out: Sequence[tuple[str, datetime]]) -> str:
    """Secrets rotated out, each with when it stops signing, as stored: one Fernet token of
    `[[secret, expires_at], …]`."""
    return encrypt(json.dumps([[secret, at.isoformat()] for secret, at in rotated_out]))


def decrypt_previous(token: str, expires_at: datetime) -> list[tuple[str, datetime]]:
    """The secrets a stored token of rotated-out secrets holds, each with when it stops signing.

    A token holding one bare secret (as stored before several were kept) stops at `expires_at`.
    """
    plain = decrypt(token)
    if plain.startswith(SECRET_PREFIX):
        return [(plain, expires_at)]
    return [(secret, datetime.fromisoformat(at)) for secret, at in json.loads(plain)]


def body_of(envelope: dict[str, Any]) -> str:
    """The exact JSON text that is sent and signed."""
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False)


def headers(
    *, signing_secrets: Sequence[str], message_id: str, timestamp: datetime, body: str
) -> dict[str, str]:
    """Standard Webhooks headers; one `v1,<signature>` per secret, separated by spaces."""
    signatures = " ".join(
        Webhook(secret).sign(msg_id=message_id, timestamp=timestamp, data=body)
        for secret in signing_secrets
    )
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/json",
        "user-agent": "Rebound-Webhooks/1.0",
    }
