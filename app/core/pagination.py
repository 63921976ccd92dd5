"""Keyset cursor pagination: opaque, signed cursors; page 1,000 costs what page 1 costs."""

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import Mapped
from sqlmodel import Session

from app.core.config import get_settings
from app.core.errors import BadRequest

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_CURSOR_LENGTH = 512


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, whether more follow and the cursor for them."""

    data: list[T]
    has_more: bool
    next_cursor: str | None


class PageParams(BaseModel):
    """`?limit=` and `?cursor=`, validated at the edge."""

    limit: int
    cursor: str | None


# What `encode_values` writes: base64url of the payload, a dot, base64url of 16 signature bytes.
# The schema says what a cursor looks like, not that the service signed it: a well-formed cursor
# the service did not issue for this list is a 400 too. Every bad cursor is a 400 (API.md), so
# the shape is checked when decoding rather than by the query's validation (a 422).
CURSOR_PATTERN = r"^(?:[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22})?$"
_CURSOR = re.compile(CURSOR_PATTERN)


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str,
        Query(
            description="`next_cursor` of the previous page; empty or absent: the first page",
            json_schema_extra={"maxLength": MAX_CURSOR_LENGTH, "pattern": CURSOR_PATTERN},
        ),
    ] = "",
) -> PageParams:
    """The pagination query parameters shared by every list (`?cursor=` is the first page)."""
    return PageParams(limit=limit, cursor=cursor or None)


def _sign(payload: bytes) -> str:
    key = get_settings().cursor_secret.encode()
    digest = hmac.new(key, payload, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def encode_values(values: list[Any], scope: str) -> str:
    """An opaque cursor after the row whose sort key is `values`, valid only for its list."""
    payload = json.dumps({"after": values, "scope": scope}, separators=(",", ":")).encode()
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"{body}.{_sign(payload)}"


def decode_values(cursor: str, scope: str) -> list[Any]:
    """The sort key a cursor points after; a tampered or foreign cursor is a 400."""
    try:
        if len(cursor) > MAX_CURSOR_LENGTH or not _CURSOR.fullmatch(cursor):
            raise ValueError("shape")
        body, signature = cursor.split(".", 1)
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        if not hmac.compare_digest(signature, _sign(payload)):
            raise ValueError("signature")
        data: Any = json.loads(payload)
        if data.get("scope") != scope or not isinstance(data.get("after"), list):
            raise ValueError("scope")
        after: list[Any] = data["after"]
    except (ValueError, TypeError, AttributeError) as exc:
        raise BadRequest(
            "The cursor is not valid for this list; start again without one.",
            code="invalid_cursor",
        ) from exc
    return after


def encode_cursor(last_id: str, scope: str) -> str:
    """A cursor after `last_id` (lists ordered by id)."""
    return encode_values([last_id], scope)


def decode_cursor(cursor: str, scope: str) -> str:
    """The id a cursor points after (lists ordered by id)."""
    values = decode_values(cursor, scope)
    if len(values) != 1 or not isinstance(values[0], str):
        raise BadRequest("The cursor is not valid for this list.", code="invalid_cursor")
    return values[0]


def paginate(
    session: Session,
    stmt: Select[Any],
    id_column: Mapped[str] | ColumnElement[str],
    params: PageParams,
    scope: str,
) -> tuple[Sequence[Any], bool, str | None]:
    """Run `stmt` newest first, one page at a time; returns (rows, has_more, next_cursor)."""
    if params.cursor is not None:
        stmt = stmt.where(id_column < decode_cursor(params.cursor, scope))
    rows = list(session.scalars(stmt.order_by(id_column.desc()).limit(params.limit + 1)))
    has_more = len(rows) > params.limit
    rows = rows[: params.limit]
    next_cursor = encode_cursor(rows[-1].id, scope) if has_more and rows else None
    return rows, has_more, next_cursor


def paginate_kept(
    session: Session,
    stmt: Select[Any],
    id_column: Mapped[str] | ColumnElement[str],
    params: PageParams,
    scope: str,
    keep: Callable[[list[Any]], list[Any]],
) -> tuple[Sequence[Any], bool, str | None]:
    """`paginate` for a filter that is only partly SQL: `keep` picks the rows of each chunk.

    Reads chunks of `limit + 1` rows newest first until a page is full or the rows run out.
    """
    after = decode_cursor(params.cursor, scope) if params.cursor is not None else None
    kept: list[Any] = []
    while len(kept) <= params.limit:
        chunk_stmt = stmt if after is None else stmt.where(id_column < after)
        chunk = list(session.scalars(chunk_stmt.order_by(id_column.desc()).limit(params.limit + 1)))
        kept += keep(chunk)
        if len(chunk) <= params.limit:
            break
        after = chunk[-1].id
    has_more = len(kept) > params.limit
    rows = kept[: params.limit]
    next_cursor = encode_cursor(rows[-1].id, scope) if has_more and rows else None
    return rows, has_more, next_cursor


def to_page(result: tuple[Sequence[Any], bool, str | None], model: type[T]) -> Page[T]:
    """Wrap a `paginate` result in the public page shape of `model`."""
    rows, has_more, next_cursor = result
    validate = getattr(model, "model_validate")  # noqa: B009 - T is a pydantic model
    return Page[model](  # type: ignore[valid-type]
        data=[validate(row, from_attributes=True) for row in rows],
        has_more=has_more,
        next_cursor=next_cursor,
    )
