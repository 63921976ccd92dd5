"""Engine, sessions and the conventions every table follows."""

from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import DateTime, Engine, TypeDecorator, create_engine, event
from sqlalchemy.engine import Connection, Dialect
from sqlmodel import Session, SQLModel

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


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, explicit BEGINs (pysqlite's own BEGIN handling breaks savepoints)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front: a deferred transaction that reads and then writes
        # fails at once with SQLITE_BUSY when another writer committed in between.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def build_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> Engine:
    """An engine for the given URL with this project's settings applied."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 10}
        )
        _configure_sqlite(engine)
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


def new_session(*, write: bool = False) -> Session:
    """A session whose objects outlive commit; `write` takes SQLite's write lock up front."""
    engine = get_engine()
    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if write else engine
    return Session(bind, expire_on_commit=False)


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; the route commits, this only closes (rolling back leftovers)."""
    session = new_session(write=request.method in WRITE_METHODS)
    try:
        yield session
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_session)]
