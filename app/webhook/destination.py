"""Where webhooks may go: never to private, loopback, link-local or reserved addresses.

A tenant could otherwise point an endpoint at the service's own network (a metadata service, a
database) and read the answers in the delivery log. The host is resolved and every address it
resolves to must be global. This is checked at registration, and again before every attempt,
because DNS can change in between. The attempt then connects to the address that was checked,
never resolving the host a second time, so a DNS answer that changes between the check and the
connection (DNS rebinding) cannot redirect it (see `app/webhook/transport.py`).

An IPv6 address that embeds an IPv4 one counts as that IPv4 address when it is IPv4-mapped
(`::ffff:0:0/96`) or NAT64 (`64:ff9b::/96`, what DNS64 answers on an IPv6-only network). The other
forms are refused outright: IPv4-compatible `::/96`, SIIT `::ffff:0:0:0/96`, local-use NAT64
`64:ff9b:1::/48`, 6to4 `2002::/16` and Teredo `2001::/32`.

Resolving waits at most a given time (`getaddrinfo` itself has no timeout: it runs in a thread of
its own, which is left to finish alone if it takes longer). `REBOUND_WEBHOOK_ALLOW_PRIVATE=true`
lifts the rule (local development and tests, whose receivers listen on loopback).
"""

import ipaddress
import socket
import threading
from dataclasses import dataclass
from typing import Any

import httpx

from app.core.config import get_settings

REGISTRATION_TIMEOUT = 2.0  # seconds an API request waits for DNS before refusing the URL
MAX_LOOKUPS = 64  # lookups at once; one stuck in DNS holds its slot until it ends
_LOOKUPS = threading.BoundedSemaphore(MAX_LOOKUPS)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_EMBEDDING = tuple(
    ipaddress.ip_network(n)
    for n in ("::/96", "::ffff:0:0:0/96", "64:ff9b:1::/48", "2002::/16", "2001::/32")
)


class UnsafeDestination(Exception):
    """The URL may not receive webhooks; the message says why."""


@dataclass(frozen=True)
class Target:
    """A URL taken apart for sending, with the addresses its host resolved to (all checked)."""

    scheme: str  # "http" or "https"
    host: str  # ASCII (IDNA) host name, or an IP literal (IPv6 without brackets)
    port: int
    target: bytes  # path and query, as the request line carries them
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        """The `Host` header: the URL's host, and its port unless it is the scheme's default."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


@dataclass(frozen=True)
class Verdict:
    """Whether `url` may receive webhooks: `refused` says why not, None when it may."""

    url: str
    refused: str | None


def refused(address: str) -> bool:
    """Whether webhooks must not go to this IP address."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _MAPPED or ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)  # judged as the IPv4 it carries
        elif any(ip in network for network in _EMBEDDING):
            return True
    return not ip.is_global or ip.is_multicast


def parse(url: str) -> Target:
    """The parts of an http(s) URL, not yet resolved; UnsafeDestination when it has none."""
    try:
        parts = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise UnsafeDestination(f"is not a valid URL ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.raw_host:
        raise UnsafeDestination("must be an http or https URL with a host")
    if parts.userinfo:
        raise UnsafeDestination("must not carry credentials; receivers verify the signature")
    port = parts.port if parts.port is not None else (443 if parts.scheme == "https" else 80)
    if not 0 < port < 65536:
        raise UnsafeDestination("has an invalid port")
    try:
        host = parts.raw_host.decode("ascii")
    except UnicodeDecodeError as exc:  # pragma: no cover - httpx hands back IDNA
        raise UnsafeDestination("has a host that is not valid") from exc
    return Target(parts.scheme, host, port, parts.raw_path, ())


def _lookup(host: str, port: int, timeout: float) -> list[Any]:
    """`getaddrinfo`, waiting at most `timeout` seconds for it."""
    answer: list[Any] = []
    failure: list[BaseException] = []
    done = threading.Event()

    def run() -> None:
        try:
            answer.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except Exception as exc:  # handed over to the waiting thread
            failure.append(exc)
        finally:
            _LOOKUPS.release()
            done.set()

    if not _LOOKUPS.acquire(timeout=max(timeout, 0)):
        raise UnsafeDestination(f"host {host!r} did not resolve in time (too many lookups)")
    try:
        threading.Thread(target=run, name="webhook-dns", daemon=True).start()
    except BaseException:
        _LOOKUPS.release()
        raise
    if not done.wait(max(timeout, 0)):
        raise UnsafeDestination(f"host {host!r} did not resolve within {timeout:.1f} s")
    if failure:
        if isinstance(failure[0], OSError | UnicodeError):
            raise UnsafeDestination(f"host {host!r} does not resolve") from failure[0]
        raise failure[0]
    return answer


def resolve(url: str, *, timeout: float, check: bool = True) -> Target:
    """The URL with the addresses its host resolves to (within `timeout` seconds).

    With `check` (the default), UnsafeDestination unless every address may receive webhooks.
    """
    target = parse(url)
    try:
        ipaddress.ip_address(target.host)
        addresses: list[str] = [target.host]  # an IP literal: nothing to look up
    except ValueError:
        infos = _lookup(target.host, target.port, timeout)
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))  # resolver's order
    if not addresses:
        raise UnsafeDestination(f"host {target.host!r} does not resolve")
    if check:
        bad = [a for a in addresses if refused(a)]
        if bad:
            raise UnsafeDestination(
                f"resolves to a private, loopback, link-local or reserved address ({bad[0]})"
            )
    return Target(target.scheme, target.host, target.port, target.target, tuple(addresses))


def judge(url: str) -> Verdict:
    """Whether `url` may be registered: resolved (within `REGISTRATION_TIMEOUT`) and checked, or
    only parsed when private destinations are allowed. Never raises: the verdict says why not."""
    try:
        if get_settings().webhook_allow_private:
            parse(url)
        else:
            resolve(url, timeout=REGISTRATION_TIMEOUT)
    except UnsafeDestination as exc:
        return Verdict(url, str(exc))
    return Verdict(url, None)
