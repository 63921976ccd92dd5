"""Where webhooks may go: never to private, loopback, link-local or reserved addresses.

A tenant could otherwise point an endpoint at the service's own network (a metadata service, a
database) and read the answers in the delivery log. The host is resolved and every address it
resolves to must be global; this is checked at registration and again before every attempt,
because DNS can change in between. `REBOUND_WEBHOOK_ALLOW_PRIVATE=true` lifts the rule (local
development and tests, whose receivers listen on loopback).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from app.core.config import get_settings


class UnsafeDestination(Exception):
    """The URL may not receive webhooks; the message says why."""


def _refused(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check(url: str) -> None:
    """Raise UnsafeDestination unless `url` is http(s) to a host with only global addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeDestination("must be an http or https URL with a host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeDestination("must not carry credentials; receivers verify the signature")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeDestination("has an invalid port") from exc
    if get_settings().webhook_allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeDestination(f"host {parts.hostname!r} does not resolve") from exc
    addresses = sorted({str(info[4][0]) for info in infos})
    if not addresses:
        raise UnsafeDestination(f"host {parts.hostname!r} does not resolve")
    refused = [a for a in addresses if _refused(a)]
    if refused:
        raise UnsafeDestination(
            f"resolves to a private, loopback, link-local or reserved address ({refused[0]})"
        )
