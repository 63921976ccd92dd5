"""Bare baselines served next to Rebound in the same run: raw ASGI, no framework, no ORM.

`GET /read` answers a seeker-sized JSON document from memory; `POST /write` inserts one row with the
stdlib sqlite3 driver into a WAL database and commits, which is the floor for a recorded rejection.
"""

import json
import os
import sqlite3
import threading
from typing import Any

DB_PATH = os.environ.get("BASELINE_DB", "baseline.db")
_local = threading.local()
DOC = json.dumps(
    {
        "id": "skr_01m8h5ax1hrxe3nywkjv7qpawr",
        "display_name": "Ana",
        "timezone": "Europe/Lisbon",
        "skills": ["sql", "excel"],
        "version": 1,
    }
).encode()


def _db() -> sqlite3.Connection:
    conn: sqlite3.Connection | None = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(DB_PATH, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS event (id INTEGER PRIMARY KEY, seeker TEXT, body TEXT)"
        )
        _local.conn = conn
    return conn


async def _body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def app(scope: Any, receive: Any, send: Any) -> None:
    """The whole baseline server."""
    if scope["type"] != "http":
        return
    status, payload = 200, DOC
    if scope["method"] == "POST":
        body = json.loads(await _body(receive))
        conn = _db()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO event (seeker, body) VALUES (?, ?)", ("skr_x", json.dumps(body)))
        conn.execute("COMMIT")
        status, payload = 201, json.dumps(body).encode()
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
