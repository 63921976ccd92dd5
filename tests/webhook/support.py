"""Webhook test support: a real receiver on 127.0.0.1, a clock to move, and API helpers."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from unittest import mock

import standardwebhooks.webhooks
from standardwebhooks import Webhook

from app.core.clock import utc_now
from tests.factories import ApiCaller


@dataclass(frozen=True)
class Received:
    """One request the receiver got."""

    headers: dict[str, str]
    body: bytes

    @property
    def message_id(self) -> str:
        """The `webhook-id` header."""
        return self.headers["webhook-id"]


class Receiver:
    """Listens on a free loopback port in a thread; answers `status` after `delay` seconds.

    `stop()` closes the port (connections are refused, as from a receiver that is down) and
    `start()` opens the same port again.
    """

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.status = 200
        self.delay = 0.0
        self.port = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.start()

    @property
    def url(self) -> str:
        """Where to point an endpoint."""
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> None:
        """Listen (again, on the same port once it had one)."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._lock:
                    receiver.received.append(Received(headers, body))
                time.sleep(receiver.delay)
                try:
                    self.send_response(receiver.status)
                    self.send_header("content-length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the sender gave up waiting (a timeout test)

            def log_message(self, *_: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 64  # the default 5 drops concurrent connects (1 s SYN retries)

        server = Server(("127.0.0.1", self.port), Handler)
        self.port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
        thread.daemon = True
        thread.start()
        self._server, self._thread = server, thread

    def stop(self) -> None:
        """Close the port: from now on connections are refused."""
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = self._thread = None

    def ids(self) -> list[str]:
        """The `webhook-id` of every request so far, in arrival order."""
        with self._lock:
            return [r.message_id for r in self.received]


class Clock:
    """The worker's clock: real time plus whatever the test jumped ahead."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utc_now() + self.offset

    def advance(self, delta: timedelta | None = None, **parts: float) -> None:
        """Jump ahead."""
        self.offset += delta if delta is not None else timedelta(**parts)


@contextmanager
def receiver_clock(at: datetime) -> Iterator[None]:
    """Make standardwebhooks' own clock read `at`: the receiver lives in the test's time too."""

    class At(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> "At":
            moment = at.astimezone(tz) if tz is not None else at
            return cls.fromtimestamp(moment.timestamp(), tz=moment.tzinfo)

    with mock.patch.object(standardwebhooks.webhooks, "datetime", At):
        yield


def verify(secret: str, received: Received, at: datetime | None = None) -> Any:
    """Verify one request exactly as a receiver would, with `Webhook(secret).verify`.

    With `at`, the receiver's clock reads `at` (the tests' clock jumps days ahead of real time).
    """
    if at is None:
        return Webhook(secret).verify(received.body, received.headers)
    with receiver_clock(at):
        return Webhook(secret).verify(received.body, received.headers)


def register(api: ApiCaller, url: str, **fields: Any) -> dict[str, Any]:
    """Register an endpoint and return the answer (with its secret)."""
    response = api.post("/v1/webhook-endpoints", json={"url": url, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def deliveries(api: ApiCaller, endpoint_id: str, **params: Any) -> list[dict[str, Any]]:
    """Every delivery of an endpoint (one page of up to 200), newest first."""
    response = api.get(
        f"/v1/webhook-endpoints/{endpoint_id}/deliveries", params={"limit": 200, **params}
    )
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data
