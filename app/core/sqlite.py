"""SQLite, the embedded default: WAL, foreign keys, savepoints that work, and one writer at a time.

SQLite allows one writer per database. Left to itself, a waiting writer polls with sleeps that grow
to 100 ms, so under load a queue of writers turns into seconds of tail latency. Within one process
the writers therefore queue on a lock instead, handed over the moment the previous transaction ends;
between processes SQLite's own busy timeout still applies.
"""

import threading
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection

from app.core.errors import AppError

BUSY_TIMEOUT_SECONDS = 10
_HOLDS_LOCK = "rebound_write_lock"


class DatabaseBusy(AppError):
    """Another writer held the database for longer than the busy timeout."""

    status, code = 503, "database_busy"


def configure(engine: Engine) -> None:
    """Attach the pragmas, explicit BEGINs and the in-process writer queue to a SQLite engine."""
    write_lock = threading.Lock()

    def release(info: dict[str, Any]) -> None:
        if info.pop(_HOLDS_LOCK, False):
            write_lock.release()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front: a deferred transaction that reads and then writes
        # fails at once with SQLITE_BUSY when another writer committed in between.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode == "IMMEDIATE":
            if not write_lock.acquire(timeout=BUSY_TIMEOUT_SECONDS):
                raise DatabaseBusy(
                    "The database is busy with other writes; retry shortly.",
                    headers={"Retry-After": "1"},
                )
            conn.info[_HOLDS_LOCK] = True
        try:
            conn.exec_driver_sql(f"BEGIN {mode}")
        except Exception:
            release(conn.info)
            raise

    @event.listens_for(engine, "commit")
    def _on_commit(conn: Connection) -> None:
        release(conn.info)

    @event.listens_for(engine, "rollback")
    def _on_rollback(conn: Connection) -> None:
        release(conn.info)

    @event.listens_for(engine.pool, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:  # a connection returned without commit or rollback
            release(record.info)
