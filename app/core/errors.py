"""The AppError family and the handlers that turn every error into problem+json (RFC 9457)."""

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any, Self

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.methods import allowed_methods
from app.problems.catalog import type_uri

PROBLEM_MEDIA_TYPE = "application/problem+json"

logger = logging.getLogger("rebound.errors")


class ProblemError(BaseModel):
    """One invalid part of a request."""

    pointer: str | None = Field(default=None, description="JSON pointer into the request body")
    parameter: str | None = Field(default=None, description="query, path or header parameter")
    detail: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(
        description="The page saying what `code` means and what to do, on this service "
        "(`/problems/{code}`), or `about:blank` for a code without one",
        json_schema_extra={"format": "uri"},
    )
    title: str
    status: int
    detail: str
    instance: str
    code: str
    request_id: str | None = None
    errors: list[ProblemError] | None = None


class AppError(Exception):
    """A domain error; its class fixes the HTTP status and the stable machine code."""

    status: int = 400
    code: str = "bad_request"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        errors: Sequence[ProblemError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.errors = list(errors) if errors else None
        self.headers = headers


class BadRequest(AppError):
    """The request cannot be understood (bad cursor, malformed JSON)."""

    status, code = 400, "bad_request"


class Unauthorized(AppError):
    """No valid credentials."""

    status, code = 401, "unauthorized"


class Forbidden(AppError):
    """Valid credentials without the needed scope."""

    status, code = 403, "forbidden"


class NotFound(AppError):
    """Nothing with that id for this tenant (exactly as if it never existed)."""

    status, code = 404, "not_found"


class Conflict(AppError):
    """The request clashes with the current state."""

    status, code = 409, "conflict"


class TooManyRequests(AppError):
    """Over the rate limit; `Retry-After` says how many seconds until the budget refills."""

    status, code = 429, "rate_limited"

    def __init__(self, detail: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(detail, code=code, headers={"Retry-After": str(retry_after)})


class Unprocessable(AppError):
    """Well-formed but invalid: the `errors` say where."""

    status, code = 422, "validation_failed"

    @classmethod
    def at(
        cls, pointer: str, detail: str, summary: str = "The request has invalid fields."
    ) -> Self:
        """The error for one invalid field of the body, named by its JSON pointer."""
        return cls(summary, errors=[ProblemError(pointer=pointer, detail=detail)])


def problem_response(
    request: Request,
    status: int,
    code: str,
    detail: str,
    *,
    errors: Sequence[ProblemError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Build a problem+json response for the given request."""
    title = HTTPStatus(status).phrase
    body = Problem(
        type=type_uri(str(request.base_url), code),  # on the host the client called
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        code=code,
        request_id=request.scope.get("state", {}).get("request_id"),
        errors=list(errors) if errors else None,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def pointer_for(loc: Sequence[str | int]) -> str:
    """The RFC 6901 JSON pointer for a pydantic error location inside the body."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in loc]
    return "/" + "/".join(parts) if parts else ""


def _describe(error: dict[str, Any]) -> str:
    if error.get("type") == "extra_forbidden":
        return "unknown field"
    return str(error.get("msg", "invalid value")).removeprefix("Value error, ")


def validation_problems(raw: Sequence[Any]) -> tuple[list[ProblemError], bool]:
    """Turn pydantic errors into ProblemErrors; also say whether the body was not valid JSON."""
    errors: list[ProblemError] = []
    malformed = False
    for error in raw:
        loc = list(error.get("loc", ()))
        if error.get("type") == "json_invalid":
            malformed = True
        where = loc[0] if loc else "body"
        if where == "body":
            errors.append(ProblemError(pointer=pointer_for(loc[1:]), detail=_describe(error)))
        else:
            name = ".".join(str(p) for p in loc[1:]) or str(where)
            errors.append(ProblemError(parameter=name, detail=_describe(error)))
    return errors, malformed


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem_response(
        request, exc.status, exc.code, exc.detail, errors=exc.errors, headers=exc.headers
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors, malformed = validation_problems(exc.errors())
    if malformed:
        return problem_response(request, 400, "malformed_json", "The body is not valid JSON.")
    return problem_response(
        request, 422, "validation_failed", "The request has invalid fields.", errors=errors
    )


_HTTP_CODES = {
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI raises a bare 400 when the body cannot be decoded at all (bad UTF-8, nesting
        # too deep): to the client that is malformed JSON like any other.
        return problem_response(request, 400, "malformed_json", "The body is not valid JSON.")
    code = _HTTP_CODES.get(exc.status_code, HTTPStatus(exc.status_code).name.lower())
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).description
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 405:  # every method of the resource, not only its first route's
        headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
    return problem_response(request, exc.status_code, code, detail, headers=headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error", exc_info=exc)
    return problem_response(
        request, 500, "internal_error", "Something went wrong on our side; it has been logged."
    )


def _unreachable(exc: Exception) -> bool:
    """Whether a database error means "cannot reach it now" rather than a bug."""
    if isinstance(exc, DisconnectionError | PoolTimeout):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:  # PostgreSQL: connection exceptions, shutdowns
        return str(sqlstate).startswith(("08", "57P"))
    message = str(orig or exc).lower()
    return any(sign in message for sign in UNREACHABLE_MESSAGES)


UNREACHABLE_MESSAGES = (
    "connection refused",
    "could not connect",
    "server closed the connection",
    "terminating connection",
    "connection is closed",
    "the database system is",
    "unable to open database file",
    "database is locked",
)


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    if not _unreachable(exc):
        return await _unexpected(request, exc)
    # The connection broke or none could be had (the database restarts, the pool is exhausted).
    # If it broke during a commit, the change may have been saved: hence "may", and the advice.
    logger.warning("database unavailable: %s", type(exc).__name__)
    return problem_response(
        request,
        503,
        "database_unavailable",
        "The database cannot be reached right now; the request may not have been saved. Retry "
        "shortly, with the same Idempotency-Key to be safe.",
        headers={"Retry-After": "1"},
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that make every error a problem+json document."""
    app.add_exception_handler(AppError, _app_error)
    for unavailable in (OperationalError, InterfaceError, DisconnectionError, PoolTimeout):
        app.add_exception_handler(unavailable, _database_unavailable)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


def _problem_content(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem_content("Malformed request or cursor"),
    401: _problem_content("Missing or invalid API key"),
    403: _problem_content("The API key lacks the scope"),
    404: _problem_content("No such object for this tenant"),
    409: _problem_content(
        "Clashes with what is stored (a taken external id, a concurrent erasure)"
    ),
    413: _problem_content("Body over the size limit"),
    415: _problem_content("The body is not JSON"),
    422: _problem_content("Invalid fields; `errors` points at each"),
    429: {
        **_problem_content("Over the API key's rate limit; retry after `Retry-After` seconds"),
        "headers": {
            "Retry-After": {
                "description": "Seconds until the budget refills",
                "schema": {"type": "integer", "minimum": 1},
            },
            "RateLimit-Policy": {
                "description": 'The budget, e.g. `"default";q=600;w=60` (also on every response)',
                "schema": {"type": "string"},
            },
            "RateLimit": {
                "description": 'What is left of it, e.g. `"default";r=0;t=37`',
                "schema": {"type": "string"},
            },
        },
    },
    503: _problem_content("The database is busy or unreachable; retry after `Retry-After`"),
}
