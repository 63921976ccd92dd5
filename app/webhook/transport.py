"""One attempt on the wire: to the address that was checked, within a hard deadline.

- **The checked address.** The request goes to an IP address `destination.resolve` approved, with
  the URL's host in `Host` and, for https, as the TLS server name: the certificate is verified
  against that host name (httpcore hands `sni_hostname` to `SSLContext.wrap_socket` as
  `server_hostname`; a default context has `check_hostname` on and requires a valid chain). The
  host is never resolved again, so DNS rebinding cannot send the request elsewhere.
- **No reuse, no environment.** Each attempt has a connection pool of its own, closed at its end: a
  connection verified for one host name is never reused for another that shares its address, and
  no proxy or certificate setting is taken from the environment (httpcore reads none).
- **A hard deadline.** httpcore's timeouts bound each read and write, so a receiver that answers
  one byte at a time could hold an attempt for ever (past its lease, when another worker would
  send the same delivery). Here every socket operation gets only what is left of the attempt's
  time, so the attempt ends by its deadline whatever the receiver does. Only the status line and
  headers are read; the body is never read.
"""

import ssl
import time
from collections.abc import Iterable
from typing import Any

import certifi
import httpcore

from app.webhook.destination import Target


def default_ssl_context() -> ssl.SSLContext:
    """Verify certificates against certifi's CAs and the host name (what httpx does by default)."""
    return ssl.create_default_context(cafile=certifi.where())


class Deadline:
    """A point on the monotonic clock; what is left of it bounds each socket operation."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def left(self, error: type[Exception] = httpcore.ReadTimeout) -> float:
        """Seconds left; `error` once none are."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise error("the attempt's deadline passed")
        return left


class _Stream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, timeout=self._deadline.left(httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # Not `inner.write(buffer)`: it loops over partial sends with one timeout for each, so a
        # receiver opening its window a little at a time could stretch it without end.
        sock = self._inner.get_extra_info("socket")
        while buffer:
            try:
                sock.settimeout(self._deadline.left(httpcore.WriteTimeout))
                sent = sock.send(buffer)
            except TimeoutError as exc:
                raise httpcore.WriteTimeout(exc) from exc
            except OSError as exc:
                raise httpcore.WriteError(exc) from exc
            buffer = buffer[sent:]

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = self._deadline.left(httpcore.ConnectTimeout)  # bounds the whole handshake
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, left), self._deadline)

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """Connections for one attempt, all bound by its deadline."""

    def __init__(self, deadline: Deadline) -> None:
        self._inner = httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = self._deadline.left(httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, left, local_address, socket_options)
        return _Stream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def post(
    target: Target,
    *,
    headers: dict[str, str],
    body: bytes,
    deadline: Deadline,
    ssl_context: ssl.SSLContext,
) -> int:
    """POST to the target's first address that accepts a connection; the status code.

    Raises httpcore's errors: a TimeoutException once the deadline passes, a ConnectError when no
    address accepts a connection or TLS fails (an invalid certificate, a wrong host name).
    """
    sent = [("host", target.host_header), *headers.items()]
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    pool = httpcore.ConnectionPool(
        ssl_context=ssl_context, max_keepalive_connections=0, network_backend=_Backend(deadline)
    )
    with pool:
        for index, address in enumerate(target.addresses):
            url = httpcore.URL(
                scheme=target.scheme.encode(),
                host=address.encode(),
                port=target.port,
                target=target.target,
            )
            try:
                with pool.stream(
                    "POST", url, headers=sent, content=body, extensions=extensions
                ) as reply:
                    return reply.status  # closed unread: a receiver's answer is not needed
            except httpcore.ConnectError:
                if index == len(target.addresses) - 1:
                    raise  # the next address, if any, gets what is left of the time
    raise httpcore.ConnectError("no address to connect to")
