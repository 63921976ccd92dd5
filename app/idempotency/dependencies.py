"""The `Idempotency-Key` header on every POST: replay, refuse, or run and store the response."""

import re
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlmodel import Session

from app.core import subjects
from app.core.auth import Principal, get_principal
from app.core.clock import utc_now
from app.core.db import DEFER_COMMIT, AppSession, get_session
from app.core.errors import BadRequest
from app.core.finish import FINISHING, ON_RESPONSE
from app.idempotency import service
from app.idempotency.models import IdempotencyRecord

KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, no spaces


class Replay(Exception):
    """Answer with a stored response instead of running the request again."""

    def __init__(self, record: IdempotencyRecord) -> None:
        super().__init__(record.key)
        self.record = record


async def replay_response(_request: Request, exc: Exception) -> Response:
    """The stored status, body and headers, marked `Idempotent-Replayed: true`."""
    assert isinstance(exc, Replay)
    record = exc.record
    headers = {**record.headers, "Idempotent-Replayed": "true"}
    body = service.replay_body(record)
    return Response(content=body, status_code=record.status_code, headers=headers)


async def idempotency_guard(
    request: Request,
    principal: Annotated[Principal, Depends(get_principal)],
    session: Annotated[Session, Depends(get_session)],
) -> None:
    """For a POST with `Idempotency-Key`: replay it, refuse it (409/422), or hold the key.

    Holding the key defers the route's commit: the response layer stores the response and then
    commits the change and the record in one transaction (app/core/finish.py).
    """
    key = request.headers.get("idempotency-key")
    if request.method != "POST" or key is None:
        return
    if not KEY.match(key):
        raise BadRequest(
            "Idempotency-Key must be 1 to 255 visible ASCII characters.",
            code="invalid_idempotency_key",
        )
    scope = request.scope
    fingerprint = service.request_hash(
        request.method, scope["path"], scope.get("query_string", b"").decode(), await request.body()
    )
    now = utc_now()
    tenant_id = principal.tenant_id
    if not scope.get("state", {}).get(FINISHING):
        # Without the finish layer the deferred commit would never happen: refuse, loudly.
        raise RuntimeError("Idempotency-Key needs FinishMiddleware around the app")
    stored = await run_in_threadpool(
        service.claim,
        session,
        tenant_id=tenant_id,
        api_key_id=principal.key_id,
        key=key,
        fingerprint=fingerprint,
        now=now,
    )
    if stored is not None:
        raise Replay(stored)
    session.info[DEFER_COMMIT] = True
    subjects.reset(session)  # from here on, loaders note the seekers this request is about

    def finish(status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        if not 200 <= status < 300:
            session.rollback()  # nothing of a failed request is kept, nor its key
            return
        assert isinstance(session, AppSession)
        try:
            service.store(
                session,
                tenant_id=tenant_id,
                api_key_id=principal.key_id,
                key=key,
                fingerprint=fingerprint,
                status=status,
                headers=headers,
                body=body,
                now=now,
                seeker_ids=subjects.take(session),
            )
            session.commit_deferred()
        except Exception:
            session.rollback()  # neither the change nor the record: the client may retry
            raise

    async def on_response(status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        await run_in_threadpool(finish, status, headers, body)

    scope.setdefault("state", {}).setdefault(ON_RESPONSE, []).append(on_response)
