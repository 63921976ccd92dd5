"""Optimistic concurrency, once for every resource: `version` → `ETag`, `If-Match` → 412 when stale.

- Every response whose JSON body has a top-level `version` carries `ETag: "<version>"` (set by the
  response layer, `app/core/finish.py`), and a GET with a matching `If-None-Match` is a `304`.
- A `PATCH` or `DELETE` with `If-Match` goes through only if the addressed resource still has that
  version: checked when the owning dependency loads it (`precondition`), again just before the
  write is flushed (in case the row was re-read under a lock), and atomically by the database,
  because SQLAlchemy adds `WHERE version = <loaded>` to every versioned UPDATE and DELETE.
- Without `If-Match` a write goes through; if another write changed the row between this request
  reading and writing it, the request fails with `409 concurrently_modified` rather than silently
  overwriting it.
"""

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.core.db import AppSession
from app.core.errors import AppError, Conflict, problem_response

IF_MATCH = "rebound.if_match"
PRECONDITION_METHODS = frozenset({"PATCH", "DELETE"})


class VersionMismatch(AppError):
    """The resource changed since the version the client sent in `If-Match`."""

    status, code = 412, "version_mismatch"


class ConcurrentlyModified(Conflict):
    """Another request changed the resource while this one was writing it."""

    code = "concurrently_modified"


class Versioned(Protocol):
    """A table row with an id and an optimistic-concurrency version."""

    id: str
    version: int


V = TypeVar("V", bound=Versioned)


def etag(version: int) -> str:
    """The entity tag of a version."""
    return f'"{version}"'


def parse_tags(header: str, *, weak: bool) -> frozenset[str] | None:
    """The entity tags of an `If-Match`/`If-None-Match` header; None for `*` (any).

    `If-Match` compares strongly (RFC 9110): a weak tag `W/"1"` matches nothing we serve.
    `If-None-Match` compares weakly: `W/"1"` matches `"1"`.
    """
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if "*" in tags:
        return None
    return frozenset(tag.removeprefix("W/") if weak else tag for tag in tags)


def client_has(headers: Mapping[str, str], tag: str) -> bool:
    """Whether `If-None-Match` names `tag` (or `*`): the client's copy is current (a 304)."""
    match = headers.get("if-none-match")
    if match is None:
        return False
    tags = parse_tags(match, weak=True)
    return tags is None or tag in tags


def _mismatch(version: int, expected: frozenset[str]) -> VersionMismatch:
    return VersionMismatch(
        f"The resource is at version {version}, not {', '.join(sorted(expected))}; read it again "
        "and retry with its current ETag.",
        headers={"ETag": etag(version)},
    )


def precondition(request: Request, session: Session, resource: V) -> V:
    """Check `If-Match` when `resource` is what a PATCH or DELETE addresses; return it."""
    header = request.headers.get("if-match")
    if header is None or request.method not in PRECONDITION_METHODS:
        return resource
    if not request.url.path.rstrip("/").endswith("/" + resource.id):
        return resource  # a parent loaded on the way to the addressed resource
    expected = parse_tags(header, weak=False)
    if expected is None:
        return resource
    if etag(resource.version) not in expected:
        raise _mismatch(resource.version, expected)
    session.info[IF_MATCH] = (inspect(resource).identity_key, expected)
    return resource


@event.listens_for(AppSession, "before_flush")
def _recheck_before_write(session: Session, _context: Any, _instances: Any) -> None:
    """The pinned resource may have been re-read (under a lock) since the first check."""
    pinned = session.info.get(IF_MATCH)
    if not pinned:
        return
    identity, expected = pinned
    for resource in (*session.dirty, *session.deleted):
        state = inspect(resource)
        if state.identity_key == identity:
            loaded = state.committed_state.get("version", resource.version)
            if etag(loaded) not in expected:
                raise _mismatch(loaded, expected)


async def _stale(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StaleDataError)
    if request.headers.get("if-match"):
        error: AppError = VersionMismatch("The resource changed while this request wrote it.")
    else:
        error = ConcurrentlyModified(
            "Another request changed this resource at the same time; read it again and retry."
        )
    return problem_response(request, error.status, error.code, error.detail)


def install(app: FastAPI) -> None:
    """Answer a lost write race as 412 (with If-Match) or 409 (without)."""
    app.add_exception_handler(StaleDataError, _stale)
