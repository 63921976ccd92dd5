"""Idempotency records: claim a key, replay its stored response, store a new one, purge old ones.

A key is claimed inside the request's own transaction. On PostgreSQL a transaction-scoped
advisory lock on (tenant, key) makes the claim atomic: a second request with the key while the
first is still running gets `409 idempotency_key_in_use` at once, and one that comes after the
first committed finds its stored response. SQLite runs one writer at a time, so the second request
simply waits for the first and then finds the stored response. Nothing of a claim outlives its
transaction: a request that fails, or a process that dies, leaves no half-claimed key behind.
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, tuple_
from sqlmodel import Session, col

from app.core import crypto
from app.core.errors import Conflict, Unprocessable
from app.idempotency.models import IdempotencyRecord, IdempotencySubject

RETENTION = timedelta(hours=24)
REPLAYED_HEADERS = frozenset({"content-type", "etag", "location"})


class KeyInUse(Conflict):
    """A request with this key is still running."""

    code = "idempotency_key_in_use"


class KeyReused(Unprocessable):
    """The key was first used with a different request."""

    code = "idempotency_key_reused"


def request_hash(method: str, path: str, query: str, body: bytes) -> str:
    """What identifies "the same request": method, path, query string and body bytes."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _lock_id(tenant_id: str, key: str) -> int:
    raw = hashlib.sha256(f"{tenant_id}\x00{key}".encode()).digest()[:8]
    return int.from_bytes(raw, "big", signed=True)


def claim(
    session: Session, *, tenant_id: str, api_key_id: str, key: str, fingerprint: str, now: datetime
) -> IdempotencyRecord | None:
    """The stored response to replay, or None when this request should run (the key is held)."""
    if session.get_bind().dialect.name == "postgresql":
        taken = session.execute(select(func.pg_try_advisory_xact_lock(_lock_id(tenant_id, key))))
        if not taken.scalar():
            raise KeyInUse("A request with this Idempotency-Key is still running; retry shortly.")
    record = session.get(IdempotencyRecord, (tenant_id, key))
    if record is None:
        return None
    if record.expires_at <= now:
        session.delete(record)
        session.flush()
        return None
    if record.request_hash != fingerprint:
        raise KeyReused(
            "This Idempotency-Key was used with a different request; use a new key for a new "
            "request."
        )
    if record.api_key_id != api_key_id:
        # Replaying to another key could hand a response (a webhook secret) to a key that lacks
        # the scope to make the request; only the key that made it gets it back.
        raise KeyReused("This Idempotency-Key was used by another API key; use a new key.")
    return record


def store(
    session: Session,
    *,
    tenant_id: str,
    api_key_id: str,
    key: str,
    fingerprint: str,
    status: int,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    now: datetime,
    seeker_ids: Iterable[str] = (),
) -> None:
    """Keep a successful response for 24 hours (in the request's transaction), linked to the
    seekers it is about so that erasing one of them deletes it."""
    kept = {
        name.decode().lower(): value.decode()
        for name, value in headers
        if name.decode().lower() in REPLAYED_HEADERS
    }
    session.add(
        IdempotencyRecord(
            tenant_id=tenant_id,
            key=key,
            request_hash=fingerprint,
            api_key_id=api_key_id,
            status_code=status,
            body=crypto.seal(body),  # a response may hold a secret shown once (a webhook's)
            headers=kept,
            created_at=now,
            expires_at=now + RETENTION,
        )
    )
    session.flush()
    subject_rows = [
        {"tenant_id": tenant_id, "key": key, "seeker_id": seeker_id}
        for seeker_id in sorted(set(seeker_ids))
    ]
    if subject_rows:
        session.execute(insert(IdempotencySubject), subject_rows)


def records_about(session: Session, *, tenant_id: str, seeker_id: str) -> list[IdempotencyRecord]:
    """The stored responses about one seeker, oldest first (for exports)."""
    stmt = (
        select(IdempotencyRecord)
        .join(
            IdempotencySubject,
            (col(IdempotencySubject.tenant_id) == col(IdempotencyRecord.tenant_id))
            & (col(IdempotencySubject.key) == col(IdempotencyRecord.key)),
        )
        .where(
            col(IdempotencySubject.tenant_id) == tenant_id,
            col(IdempotencySubject.seeker_id) == seeker_id,
        )
        .order_by(col(IdempotencyRecord.created_at), col(IdempotencyRecord.key))
    )
    return list(session.scalars(stmt))


def forget_seeker(session: Session, *, tenant_id: str, seeker_id: str) -> None:
    """Drop stored responses about an erased seeker (a retry must not bring their data back)."""
    about = select(col(IdempotencySubject.tenant_id), col(IdempotencySubject.key)).where(
        col(IdempotencySubject.tenant_id) == tenant_id,
        col(IdempotencySubject.seeker_id) == seeker_id,
    )
    records = tuple_(col(IdempotencyRecord.tenant_id), col(IdempotencyRecord.key))
    session.execute(
        delete(IdempotencyRecord)
        .where(records.in_(about))
        .execution_options(synchronize_session=False)
    )


def replay_body(record: IdempotencyRecord) -> bytes:
    """The stored response body, unsealed."""
    return crypto.unseal(record.body)


def purge(session: Session, *, now: datetime, batch_size: int = 5000) -> int:
    """Delete expired records, a batch per transaction; returns how many went."""
    removed = 0
    while True:
        expired = (
            select(col(IdempotencyRecord.tenant_id), col(IdempotencyRecord.key))
            .where(col(IdempotencyRecord.expires_at) <= now)
            .limit(batch_size)
        )
        rows = session.execute(expired).all()
        if not rows:
            return removed
        columns = tuple_(col(IdempotencyRecord.tenant_id), col(IdempotencyRecord.key))
        session.execute(delete(IdempotencyRecord).where(columns.in_([tuple(r) for r in rows])))
        session.commit()
        removed += len(rows)
