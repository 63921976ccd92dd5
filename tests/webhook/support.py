"""Webhook test support: a real receiver on loopback (plain or TLS), a clock to move, host names
that resolve where a test says, a certificate authority of its own, and API helpers."""

import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import standardwebhooks.webhooks
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from standardwebhooks import Webhook

from app.core.clock import utc_now
from tests.factories import ApiCaller


@dataclass(frozen=True)
class Received:
    """One request the receiver got."""

    headers: dict[str, str]
    body: bytes
    at: float = field(default=0.0, compare=False)  # time.monotonic() when it arrived

    @property
    def message_id(self) -> str:
        """The `webhook-id` header."""
        return self.headers["webhook-id"]


class Receiver:
    """Listens on a free loopback port in a thread; answers `status` after `delay` seconds.

    `stop()` closes the port (connections are refused, as from a receiver that is down) and
    `start()` opens the same port again. `host` picks the loopback address (any of 127.0.0.0/8),
    `port` a port, `tls` a server context that makes it an https receiver. With `drip`, it answers
    the status line and then one byte every 50 ms for two seconds, never finishing the headers.
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None
    ) -> None:
        self.received: list[Received] = []
        self.status = 200
        self.delay = 0.0
        self.drip = False
        self.host = host
        self.port = port
        self.tls = tls
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.start()

    @property
    def url(self) -> str:
        """Where to point an endpoint."""
        return f"http://{self.host}:{self.port}/hooks"

    def start(self) -> None:
        """Listen (again, on the same port once it had one)."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._lock:
                    receiver.received.append(Received(headers, body, time.monotonic()))
                time.sleep(receiver.delay)
                try:
                    if receiver.drip:
                        self._drip()
                        return
                    self.send_response(receiver.status)
                    self.send_header("content-length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the sender gave up waiting (a timeout test)

            def _drip(self) -> None:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nx-slowly: ")
                until = time.monotonic() + 2
                while time.monotonic() < until:
                    self.wfile.write(b"x")
                    time.sleep(0.05)

            def log_message(self, *_: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 64  # the default 5 drops concurrent connects (1 s SYN retries)

        server = Server((self.host, self.port), Handler)
        if self.tls is not None:
            server.socket = self.tls.wrap_socket(server.socket, server_side=True)
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


def resolving(monkeypatch: pytest.MonkeyPatch, answers: Mapping[str, Sequence[str]]) -> list[str]:
    """Make each host of `answers` resolve to its addresses (no DNS here); other hosts resolve as
    usual. Returns the list of those hosts' lookups, in order, as they happen."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in answers:
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


def certificate_authority(folder: Path, *names: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A CA of the test's own and a certificate it signed for `names`: (a server context serving
    that certificate, a client context that trusts only this CA)."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Rebound test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    certificate, private_key = folder / "leaf.pem", folder / "leaf.key"
    certificate.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    private_key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(certificate, private_key)
    client = ssl.create_default_context(cadata=ca.public_bytes(serialization.Encoding.PEM).decode())
    return server, client


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
