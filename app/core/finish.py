"""The last step of every /v1 response: its ETag, conditional GETs, and deferred commits.

A pure ASGI layer that holds a JSON response until its body is complete, then:

1. adds `ETag: "<version>"` when the body is one object with a top-level `version`, and answers a
   GET whose `If-None-Match` matches with `304 Not Modified`;
2. runs the callbacks the request registered under `scope["state"][ON_RESPONSE]` (the idempotency
   layer stores the response and commits there, so the change and the stored response commit
   together) — if one fails, the client gets a problem response instead, never a success that
   was not committed.

Other responses (not JSON, no callbacks) pass straight through.
"""

import json
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.conditional import client_has, etag
from app.core.errors import AppError, problem_response

ON_RESPONSE = "on_response"
FINISHING = "finishing"
ResponseCallback = Callable[[int, list[tuple[bytes, bytes]], bytes], Awaitable[None]]
ETAG_METHODS = frozenset({"GET", "HEAD", "POST", "PATCH", "PUT"})
MAX_ETAG_BODY = 256 * 1024  # larger bodies are lists, never one versioned resource
logger = logging.getLogger("rebound.finish")


class NotSaved(AppError):
    """The response was ready but committing the change failed."""

    status, code = 503, "not_saved"


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _version_of(body: bytes) -> int | None:
    if not body.startswith(b"{") or len(body) > MAX_ETAG_BODY or b'"version"' not in body:
        return None
    if body.startswith(b'{"data":'):  # a list page: its items have versions, the page has none
        return None
    try:
        version = json.loads(body).get("version")
    except ValueError:
        return None
    return version if isinstance(version, int) and not isinstance(version, bool) else None


class FinishMiddleware:
    """See the module docstring."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})[FINISHING] = True  # deferred commits will be completed
        start: Message | None = None
        chunks: list[bytes] = []
        holding = False

        async def hold(message: Message) -> None:
            nonlocal start, holding
            if message["type"] == "http.response.start":
                content_type = _header(list(message.get("headers", [])), b"content-type") or b""
                callbacks = scope.get("state", {}).get(ON_RESPONSE)
                holding = bool(callbacks) or content_type.startswith(b"application/json")
                if not holding:
                    await send(message)
                    return
                start = message
                return
            if message["type"] != "http.response.body" or not holding:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            assert start is not None
            status, headers, body = await self._finish(scope, start, b"".join(chunks))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, hold)

    async def _finish(
        self, scope: Scope, start: Message, body: bytes
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        status: int = start["status"]
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        method = scope["method"]
        if status in (200, 201) and method in ETAG_METHODS and not _header(headers, b"etag"):
            version = _version_of(body)
            if version is not None:
                tag = etag(version)
                headers.append((b"etag", tag.encode()))
                if method == "GET" and client_has(Request(scope).headers, tag):
                    status, body = 304, b""
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
        for callback in scope.get("state", {}).pop(ON_RESPONSE, None) or []:
            try:
                await callback(status, headers, body)
            except Exception as exc:
                error = exc if isinstance(exc, AppError) else NotSaved("Nothing was saved; retry.")
                if not isinstance(exc, AppError):
                    logger.exception("finishing the request failed", exc_info=exc)
                problem = problem_response(
                    Request(scope), error.status, error.code, error.detail, headers=error.headers
                )
                status, body = problem.status_code, bytes(problem.body)
                headers = [(k, v) for k, v in problem.raw_headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        return status, headers, body
