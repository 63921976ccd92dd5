"""Engine, sessions and the conventions every table follows."""

import asyncio
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    TypeDecorator,
    create_engine,
    func,
    select,
)
from sqlalchemy.engine import Dialect
from sqlmodel import Field, Session, SQLModel

from app.core import sqlite
from app.core.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp stored in UTC on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes and store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a timezone-aware column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Always hand back an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def owned_by(target: str) -> Any:
    """A required id column referencing `target` (`"seeker.id"`), deleted along with it."""
    return Field(
        sa_column=Column(String(40), ForeignKey(target, ondelete="CASCADE"), nullable=False)
    )


def version_column() -> Column[int]:
    """A fresh `version` column for one table: `_VERSION = version_column()`, then in the
    model `version: int = Field(default=1, sa_column=_VERSION)` and
    `__mapper_args__ = versioned(_VERSION)`.
    """
    return Column("version", Integer, nullable=False)


def versioned(column: Column[int]) -> dict[str, Any]:
    """Mapper arguments that make SQLAlchemy own `version`: every ORM UPDATE or DELETE adds
    `WHERE version = <the version loaded>` and bumps it, so a concurrent change between reading
    and writing fails (StaleDataError, answered as 412/409) instead of being overwritten."""
    return {"version_id_col": column}


def build_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> Engine:
    """An engine for the given URL with this project's settings applied."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": sqlite.BUSY_TIMEOUT_SECONDS},
            pool_size=pool_size,
            max_overflow=pool_size,
        )
        sqlite.configure(engine)
        return engine
    return create_engine(
        url, echo=echo, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
    )


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine, built on first use (never at import)."""
    settings = get_settings()
    return build_engine(
        settings.database_url, echo=settings.database_echo, pool_size=settings.database_pool_size
    )


DEFER_COMMIT = "rebound.defer_commit"


class AppSession(Session):
    """The service's session: `commit()` can be deferred to the end of the request.

    When a request must store something alongside its response (an idempotency record), the
    route's `commit()` only flushes, and the response layer commits once the response is known:
    the change and the stored response then commit together or not at all.
    """

    def commit(self) -> None:
        """Commit, or only flush while the commit is deferred."""
        if self.info.get(DEFER_COMMIT):
            self.flush()
            return
        super().commit()

    def commit_deferred(self) -> None:
        """Stop deferring and commit for real."""
        self.info.pop(DEFER_COMMIT, None)
        super().commit()


def new_session(*, write: bool = False) -> AppSession:
    """A session whose objects outlive commit; `write` takes SQLite's write lock up front."""
    engine = get_engine()
    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if write else engine
    return AppSession(bind, expire_on_commit=False)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request; the route commits, this only closes (rolling back leftovers).

    Async on purpose: opening a session does no I/O and closing only ends a transaction (it never
    waits on a lock), while a sync generator dependency costs two thread-pool hops per request.
    """
    slots: asyncio.Semaphore | None = getattr(request.app.state, "db_slots", None)
    if slots is not None:
        await slots.acquire()
    session = new_session(write=request.method in WRITE_METHODS)
    try:
        yield session
    finally:
        session.close()
        if slots is not None:
            slots.release()


def pool_capacity() -> int:
    """How many connections the pool hands out at most (pool size plus as many overflow)."""
    return 2 * get_settings().database_pool_size


def limit_concurrency(state: Any) -> None:
    """Admit at most `pool_capacity()` requests to the database at once, queued in the event loop.

    A request keeps its connection (and, on SQLite, the write lock) across several thread-pool
    hops. If more requests than connections could wait inside worker threads, the holders would
    find no free thread to finish on and everything would stall until a timeout; waiting here, in
    the loop, leaves the thread pool (sized above the cap) always free for the holders.
    """
    settings = get_settings()
    reserved = 2 if settings.sweep_interval_seconds > 0 else 0  # the in-process sweep's two
    reserved += 1 if settings.runs_webhook_worker_in_process else 0  # and the delivery worker's
    capacity = max(1, pool_capacity() - reserved)
    state.db_slots = asyncio.Semaphore(capacity)
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = max(limiter.total_tokens, capacity + 8)


DbSession = Annotated[Session, Depends(get_session)]


@contextmanager
def advisory_lock(engine: Engine, name: str) -> Iterator[bool]:
    """Try to hold a cluster-wide lock named `name` for the block; yields whether it was taken.

    On PostgreSQL this is a session-level advisory lock on a connection of its own, released at
    the end (or by the server if the process dies). On SQLite it is always taken: there is no
    such lock, and writers there are serialised anyway (BEGIN IMMEDIATE), so two processes that
    sweep at once take turns batch by batch and the second finds the first's work done.
    """
    if engine.dialect.name != "postgresql":
        yield True
        return
    key = zlib.crc32(name.encode())
    with engine.connect() as connection:
        taken = bool(connection.execute(select(func.pg_try_advisory_lock(key))).scalar())
        connection.commit()
        try:
            yield taken
        finally:
            if taken:
                connection.execute(select(func.pg_advisory_unlock(key)))
                connection.commit()
