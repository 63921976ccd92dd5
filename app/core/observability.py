"""Request ids, JSON logs, Prometheus metrics and the body-size limit, as one ASGI layer."""

import logging
import re
import sys
import time
import uuid
from typing import Any

from prometheus_client import Counter, Histogram
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response

REQUESTS = Counter(
    "rebound_http_requests_total",
    "HTTP requests by route and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "rebound_http_request_duration_seconds",
    "HTTP request latency by route",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_log = logging.getLogger("rebound.access")
# A CSI sequence (colours, cursor moves), or any other ESC, which starts a terminal command.
_ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~])?")


def _without_ansi(value: Any) -> Any:
    if isinstance(value, str):
        return _ANSI_ESCAPE.sub("", value) if "\x1b" in value else value
    if isinstance(value, dict):
        return {key: _without_ansi(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_ansi(item) for item in value]
    return value


class PlainJsonFormatter(JsonFormatter):
    """JSON lines for machines: no terminal escapes in any field.

    uvicorn adds a `color_message` copy of its messages, with ANSI colours, for its own console
    formatter; it is dropped. Escapes anywhere else (a request path, an exception's text) are
    stripped, so a log line cannot recolour or rewrite the terminal of whoever reads it.
    """

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        """The record's fields with every ANSI escape removed."""
        return {key: _without_ansi(value) for key, value in log_data.items()}


def json_formatter() -> logging.Formatter:
    """The formatter of every log line: time, level, logger, message and the record's extras."""
    return PlainJsonFormatter(
        "{asctime}{levelname}{name}{message}",
        style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        reserved_attrs=[*RESERVED_ATTRS, "color_message"],
    )


def configure_logging(level: str) -> None:
    """One JSON object per line on stdout, for every logger."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = name != "uvicorn.access"  # we log requests ourselves


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _has_nul(scope: Scope) -> bool:
    """Whether the path or query holds NUL: no id or filter does, and PostgreSQL refuses it."""
    return "\x00" in str(scope.get("path", "")) or b"%00" in bytes(scope.get("query_string", b""))


def _refusal(scope: Scope, declared: str | None, limit: int) -> tuple[int, str, str] | None:
    """Why a request is refused before it reaches a route (status, code, detail), if it is."""
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return 413, "payload_too_large", f"The body is over the {limit}-byte limit."
    if _has_nul(scope):
        return 400, "invalid_url", "The URL contains a NUL (%00) character."
    if scope.get("method") in _BODY_METHODS and declared not in (None, "0"):
        media_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        if media_type != "application/json" and not media_type.endswith("+json"):
            return (
                415,
                "unsupported_media_type",
                "Send the body as `Content-Type: application/json`.",
            )
    return None


def route_template(scope: Scope) -> str:
    """`/v1/seekers/{seeker_id}` for a matched request (bounded label values), else `unmatched`."""
    if scope.get("route") is None:
        return "unmatched"
    names = {str(v): k for k, v in scope.get("path_params", {}).items()}
    segments = str(scope.get("path", "")).split("/")
    return "/".join(f"{{{names[seg]}}}" if seg in names else seg for seg in segments)


class RequestContextMiddleware:
    """Tag each request with an id, enforce the body limit, refuse NUL in URLs, log and measure."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = _header(scope, b"x-request-id")
        request_id = offered if offered and _REQUEST_ID.match(offered) else uuid.uuid4().hex
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        limit = self.max_body_bytes
        declared = _header(scope, b"content-length")
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # FastAPI passes HTTPException from body reading through
                    raise HTTPException(413, f"The body is over the {limit}-byte limit.")
            return message

        async def tagged_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            refusal = _refusal(scope, declared, limit)
            if refusal is not None:
                status_code, code, detail = refusal
                response = problem_response(Request(scope), status_code, code, detail)
                await response(scope, receive, tagged_send)
                return
            await self.app(scope, limited_receive, tagged_send)
        finally:
            self._record(scope, status, time.perf_counter() - started, request_id)

    @staticmethod
    def _record(scope: Scope, status: int, elapsed: float, request_id: str) -> None:
        template = route_template(scope)
        method = scope.get("method", "")
        REQUESTS.labels(method, template, str(status)).inc()
        LATENCY.labels(method, template).observe(elapsed)
        access_log.info(
            "request",
            extra={
                "request_id": request_id,
                "method": method,
                "path": scope.get("path"),
                "route": template,
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
                "tenant_id": scope.get("state", {}).get("tenant_id"),
            },
        )
