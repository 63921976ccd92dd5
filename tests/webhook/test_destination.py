"""Where webhooks may go: the address rule, resolving within a time, and taking URLs apart."""

import socket
import threading
import time
from typing import Any

import pytest

from app.webhook import destination
from tests.webhook.support import resolving


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.7",
        "100.64.0.1",
        "169.254.169.254",
        "224.0.0.1",
        "::",
        "::1",
        "fe80::1%eth0",
        "fd00::1",
        "ff02::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:10.0.0.7",
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b:1::5db8:d70e",  # local-use NAT64: refused whatever it carries
        "::127.0.0.1",  # IPv4-compatible
        "::93.184.215.14",
        "::ffff:0:7f00:1",  # SIIT
        "::ffff:0:5db8:d70e",
        "2002:7f00:1::1",  # 6to4
        "2002:5db8:d70e::1",
        "2001::1",  # Teredo
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    ],
)
def test_refused_addresses(address: str) -> None:
    assert destination.refused(address)


@pytest.mark.parametrize(
    "address",
    ["93.184.215.14", "2606:4700::1111", "::ffff:93.184.215.14", "64:ff9b::5db8:d70e"],
)
def test_global_addresses_are_allowed(address: str) -> None:
    assert not destination.refused(address)


def test_resolving_returns_every_address_checked_in_the_resolvers_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resolving(monkeypatch, {"hooks.example": ["2606:4700::1111", "93.184.215.14"]})
    target = destination.resolve("https://hooks.example:8443/in?x=1", timeout=1)
    assert target.addresses == ("2606:4700::1111", "93.184.215.14")
    assert (target.scheme, target.host, target.port, target.target) == (
        "https",
        "hooks.example",
        8443,
        b"/in?x=1",
    )
    assert target.host_header == "hooks.example:8443"
    resolving(monkeypatch, {"hooks.example": ["93.184.215.14", "10.0.0.7"]})
    with pytest.raises(destination.UnsafeDestination, match=r"reserved address \(10\.0\.0\.7\)"):
        destination.resolve("https://hooks.example/", timeout=1)
    assert destination.resolve("https://hooks.example/", timeout=1, check=False).addresses == (
        "93.184.215.14",
        "10.0.0.7",
    )


def test_resolving_gives_up_at_its_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = threading.Event()

    def getaddrinfo(*_: Any, **__: Any) -> list[Any]:
        answer.wait(5)
        return []

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    started = time.monotonic()
    try:
        with pytest.raises(destination.UnsafeDestination, match=r"did not resolve within 0\.2 s"):
            destination.resolve("https://slow.example/", timeout=0.2)
    finally:
        answer.set()
    assert time.monotonic() - started < 1


def test_an_ip_literal_is_not_looked_up(monkeypatch: pytest.MonkeyPatch) -> None:
    lookups = resolving(monkeypatch, {"2606:4700::1111": ["127.0.0.1"]})
    target = destination.resolve("http://[2606:4700::1111]:8080/x", timeout=1)
    assert target.addresses == ("2606:4700::1111",) and lookups == []
    assert target.host_header == "[2606:4700::1111]:8080"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://user:pw@hooks.example/", "must not carry credentials"),
        ("https://hooks.example:0/", "invalid port"),
        ("https://hooks.example:70000/", "invalid port"),
        ("https://hooks.example:x/", "is not a valid URL"),
        ("ftp://hooks.example/", "must be an http or https URL"),
        ("http:///path", "must be an http or https URL with a host"),
    ],
)
def test_urls_that_cannot_be_sent_to(url: str, reason: str) -> None:
    with pytest.raises(destination.UnsafeDestination, match=reason):
        destination.parse(url)


def test_an_international_host_is_sent_as_its_idna_form() -> None:
    target = destination.parse("https://bücher.example/pä th")
    assert (target.host, target.host_header, target.target) == (
        "xn--bcher-kva.example",
        "xn--bcher-kva.example",
        b"/p%C3%A4%20th",
    )
