"""Webhook endpoints over HTTP: registration, the secret shown once, private URLs refused, edits."""

import socket
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.core.clock import utc_now
from app.webhook import destination, service, signing
from app.webhook.models import EventType, WebhookDelivery, WebhookEndpoint
from tests.factories import ApiCaller, count_statements
from tests.webhook.support import deliveries, register, resolving

URL = "https://hooks.example/rebound"


def test_create_endpoint_shows_a_whsec_secret_once_and_stores_it_encrypted(
    api: ApiCaller, session: Session
) -> None:
    created = register(api, URL, description="CRM sync")

    secret = created["secret"]
    assert secret.startswith("whsec_") and len(secret) > 40
    assert created["id"].startswith("whe_")
    assert created["event_types"] == [t.value for t in EventType]  # every type by default
    assert (created["status"], created["version"]) == ("enabled", 1)
    read = api.get(f"/v1/webhook-endpoints/{created['id']}")
    listed = api.get("/v1/webhook-endpoints")
    for response in (read, listed):
        assert response.status_code == 200
        assert secret not in response.text and "secret" not in response.text.replace(
            "previous_secret_expires_at", ""
        )
    assert read.json() == {k: v for k, v in created.items() if k != "secret"}
    row = session.get(WebhookEndpoint, created["id"])
    assert row is not None
    assert row.secret_encrypted != secret and secret not in row.secret_encrypted
    assert secret.removeprefix("whsec_") not in row.secret_encrypted
    assert signing.decrypt(row.secret_encrypted) == secret


def test_every_endpoint_gets_its_own_secret(api: ApiCaller) -> None:
    secrets = {register(api, URL)["secret"] for _ in range(3)}
    assert len(secrets) == 3


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"url": "ftp://hooks.example/x"}, "/url"),
        ({"url": "not a url"}, "/url"),
        ({"url": "https://user:pass@hooks.example/x"}, "/url"),
        ({"url": URL, "event_types": []}, "/event_types"),
        ({"url": URL, "event_types": ["rejection.exploded"]}, "/event_types/0"),
        ({"url": URL, "event_types": ["goal.behind", "goal.behind"]}, "/event_types"),
        ({"url": URL, "description": "x" * 501}, "/description"),
        ({"url": URL, "secret": "whsec_mine"}, "/secret"),
    ],
)
def test_create_endpoint_refuses_invalid_fields(
    api: ApiCaller, body: dict[str, Any], pointer: str
) -> None:
    response = api.post("/v1/webhook-endpoints", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hooks",
        "http://localhost/hooks",
        "http://10.1.2.3/hooks",
        "http://172.16.0.1/hooks",
        "http://192.168.1.10/hooks",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/hooks",
        "http://0.0.0.0/hooks",
        "http://[::1]/hooks",
        "http://[fe80::1]/hooks",
        "http://[fd00::1]/hooks",
        "http://[::ffff:127.0.0.1]/hooks",
        "http://[64:ff9b::7f00:1]/hooks",  # NAT64 of 127.0.0.1
        "http://[2002:7f00:1::1]/hooks",  # 6to4 of 127.0.0.1
        "http://[::127.0.0.1]/hooks",  # IPv4-compatible
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hooks",  # Teredo
        "http://2130706433/hooks",  # 127.0.0.1 as one number: resolves to it
    ],
)
@pytest.mark.usefixtures("no_private")
def test_create_endpoint_refuses_private_loopback_and_link_local_urls(
    api: ApiCaller, session: Session, url: str
) -> None:
    response = api.post("/v1/webhook-endpoints", json={"url": url})
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["pointer"] == "/url"
    assert "private, loopback, link-local or reserved" in error["detail"]
    assert session.scalar(select(func.count()).select_from(WebhookEndpoint)) == 0


def _resolving_to(monkeypatch: pytest.MonkeyPatch, *addresses: str) -> list[str]:
    """Make hooks.example resolve to `addresses` (no DNS here); other hosts resolve as usual."""
    return resolving(monkeypatch, {"hooks.example": addresses})


@pytest.mark.usefixtures("no_private")
def test_create_endpoint_resolves_the_host_and_refuses_any_private_address(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    _resolving_to(monkeypatch, "93.184.215.14", "10.0.0.7")  # one public, one private: refused
    response = api.post("/v1/webhook-endpoints", json={"url": URL})
    assert response.status_code == 422
    assert "10.0.0.7" in response.json()["errors"][0]["detail"]

    _resolving_to(monkeypatch, "93.184.215.14")
    assert api.post("/v1/webhook-endpoints", json={"url": URL}).status_code == 201


@pytest.mark.usefixtures("no_private")
def test_create_endpoint_refuses_a_host_that_does_not_resolve(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    def getaddrinfo(*_: Any, **__: Any) -> list[Any]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    response = api.post("/v1/webhook-endpoints", json={"url": URL})
    assert response.status_code == 422
    assert "does not resolve" in response.json()["errors"][0]["detail"]


def test_list_endpoints_pages_newest_first(api: ApiCaller) -> None:
    ids = [register(api, f"{URL}/{i}")["id"] for i in range(3)]
    first = api.get("/v1/webhook-endpoints", params={"limit": 2}).json()
    assert [e["id"] for e in first["data"]] == ids[::-1][:2] and first["has_more"]
    rest = api.get(
        "/v1/webhook-endpoints", params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [e["id"] for e in rest["data"]] == ids[:1] and not rest["has_more"]


def test_a_tenant_has_at_most_twenty_endpoints(api: ApiCaller) -> None:
    for i in range(service.MAX_ENDPOINTS):
        register(api, f"{URL}/{i}")
    response = api.post("/v1/webhook-endpoints", json={"url": URL})
    assert response.status_code == 409
    assert response.json()["code"] == "too_many_webhook_endpoints"


def test_update_endpoint_changes_the_fields_sent_and_bumps_the_version(api: ApiCaller) -> None:
    endpoint = register(api, URL)
    response = api.patch(
        f"/v1/webhook-endpoints/{endpoint['id']}",
        json={"url": f"{URL}/v2", "event_types": ["goal.achieved"], "description": "v2"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["url"], body["event_types"], body["description"]) == (
        f"{URL}/v2",
        ["goal.achieved"],
        "v2",
    )
    assert body["version"] == 2
    cleared = api.patch(f"/v1/webhook-endpoints/{endpoint['id']}", json={"description": None})
    assert cleared.json()["description"] is None
    refused = api.patch(f"/v1/webhook-endpoints/{endpoint['id']}", json={"url": None})
    assert refused.status_code == 422


@pytest.mark.usefixtures("no_private")
def test_update_endpoint_refuses_a_private_url(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    _resolving_to(monkeypatch, "93.184.215.14")
    endpoint = register(api, URL)
    response = api.patch(
        f"/v1/webhook-endpoints/{endpoint['id']}", json={"url": "http://127.0.0.1:9000/x"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/url"


def test_disabling_an_endpoint_fails_its_pending_deliveries_and_stops_new_ones(
    api: ApiCaller,
) -> None:
    endpoint = register(api, URL, event_types=["rejection.created"])
    seeker = api.seeker()
    api.rejection(seeker["id"])
    assert [d["status"] for d in deliveries(api, endpoint["id"])] == ["pending"]

    response = api.patch(f"/v1/webhook-endpoints/{endpoint['id']}", json={"status": "disabled"})
    assert response.status_code == 200
    assert response.json()["status"] == "disabled"
    assert response.json()["disabled_reason"] == "disabled through the API"
    api.rejection(seeker["id"])
    assert [d["status"] for d in deliveries(api, endpoint["id"])] == ["failed"]

    enabled = api.patch(f"/v1/webhook-endpoints/{endpoint['id']}", json={"status": "enabled"})
    assert (enabled.json()["status"], enabled.json()["disabled_reason"]) == ("enabled", None)
    api.rejection(seeker["id"])
    assert [d["status"] for d in deliveries(api, endpoint["id"])] == ["pending", "failed"]


def test_delete_endpoint_removes_it_with_its_deliveries(api: ApiCaller, session: Session) -> None:
    endpoint = register(api, URL)
    api.rejection(api.seeker()["id"])
    assert deliveries(api, endpoint["id"])

    assert api.delete(f"/v1/webhook-endpoints/{endpoint['id']}").status_code == 204
    assert api.get(f"/v1/webhook-endpoints/{endpoint['id']}").status_code == 404
    missing = api.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries")
    assert missing.status_code == 404
    assert missing.json()["code"] == "webhook_endpoint_not_found"
    count = select(func.count()).select_from(WebhookDelivery)
    assert session.scalar(count.where(WebhookDelivery.endpoint_id == endpoint["id"])) == 0


def test_rotate_secret_issues_a_new_one_and_keeps_the_old_for_a_day(
    api: ApiCaller, session: Session
) -> None:
    endpoint = register(api, URL)
    before = utc_now()
    response = api.post(f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret")
    assert response.status_code == 200, response.text
    rotated = response.json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != endpoint["secret"]
    assert rotated["version"] == endpoint["version"] + 1
    row = session.get(WebhookEndpoint, endpoint["id"])
    assert row is not None and row.previous_secret_expires_at is not None
    assert before + timedelta(hours=24) <= row.previous_secret_expires_at
    assert row.previous_secret_expires_at <= utc_now() + timedelta(hours=24)
    day = timedelta(hours=24)
    assert service.signing_secrets(row, before) == [rotated["secret"], endpoint["secret"]]
    assert service.signing_secrets(row, utc_now() + day) == [rotated["secret"]]
    assert "secret" not in api.get(f"/v1/webhook-endpoints/{endpoint['id']}").json()


def test_deliveries_filter_by_status_and_page(api: ApiCaller) -> None:
    endpoint = register(api, URL, event_types=["rejection.created"])
    seeker = api.seeker()
    for _ in range(3):
        api.rejection(seeker["id"])
    first = api.get(
        f"/v1/webhook-endpoints/{endpoint['id']}/deliveries", params={"limit": 2}
    ).json()
    assert len(first["data"]) == 2 and first["has_more"]
    rest = api.get(
        f"/v1/webhook-endpoints/{endpoint['id']}/deliveries",
        params={"limit": 2, "cursor": first["next_cursor"]},
    ).json()
    assert len(rest["data"]) == 1 and not rest["has_more"]
    assert len(deliveries(api, endpoint["id"], status="pending")) == 3
    assert deliveries(api, endpoint["id"], status="succeeded") == []
    bad = api.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries", params={"status": "x"})
    assert bad.status_code == 422


def test_retry_refuses_a_pending_delivery_and_an_unknown_one(api: ApiCaller) -> None:
    endpoint = register(api, URL, event_types=["rejection.created"])
    api.rejection(api.seeker()["id"])
    delivery = deliveries(api, endpoint["id"])[0]
    base = f"/v1/webhook-endpoints/{endpoint['id']}/deliveries"
    pending = api.post(f"{base}/{delivery['id']}/retry")
    assert pending.status_code == 409 and pending.json()["code"] == "delivery_pending"
    unknown = api.post(f"{base}/whd_00000000000000000000000000/retry")
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "webhook_delivery_not_found"
    other = register(api, f"{URL}/other")
    foreign = api.post(f"/v1/webhook-endpoints/{other['id']}/deliveries/{delivery['id']}/retry")
    assert foreign.status_code == 404  # a delivery is addressed through its own endpoint


def test_endpoints_carry_an_etag_and_honour_if_match(api: ApiCaller) -> None:
    endpoint = register(api, URL)
    url = f"/v1/webhook-endpoints/{endpoint['id']}"
    assert api.get(url).headers["etag"] == '"1"'
    assert api.patch(url, json={"description": "a"}, headers={"If-Match": '"1"'}).status_code == 200
    stale = api.patch(url, json={"description": "b"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.json()["code"] == "version_mismatch"
    assert api.delete(url, headers={"If-Match": '"1"'}).status_code == 412
    assert api.delete(url, headers={"If-Match": '"2"'}).status_code == 204


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("64:ff9b::a00:7", False),  # NAT64 (DNS64) of 10.0.0.7
        ("64:ff9b::5db8:d70e", True),  # NAT64 of 93.184.215.14: an IPv6-only network's answer
        ("::ffff:a00:7", False),  # IPv4-mapped 10.0.0.7
        ("::ffff:5db8:d70e", True),
        ("2002:5db8:d70e::1", False),  # 6to4, even of a global IPv4: refused outright
        ("2001:0:5db8:d70e::1", False),  # Teredo
        ("::ffff:0:5db8:d70e", False),  # SIIT
        ("64:ff9b:1::5db8:d70e", False),  # local-use NAT64
        ("2606:4700::1111", True),
    ],
)
@pytest.mark.usefixtures("no_private")
def test_ipv6_answers_that_embed_an_ipv4_address_count_as_it_or_are_refused(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch, address: str, allowed: bool
) -> None:
    _resolving_to(monkeypatch, address)
    response = api.post("/v1/webhook-endpoints", json={"url": URL})
    assert response.status_code == (201 if allowed else 422), response.text
    if not allowed:
        assert address in response.json()["errors"][0]["detail"]


@pytest.mark.usefixtures("no_private")
def test_the_url_is_resolved_before_the_request_runs_any_sql(
    api: ApiCaller, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Authentication, and the idempotency guard before it, open the request's transaction (on
    SQLite a writer holds the database's one write lock from then on): DNS must come first, after
    only a read-only check that the caller presents a live key."""
    run_before_lookup: list[list[str]] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host != "hooks.example":
            return real(host, port, *args, **kwargs)
        run_before_lookup.append(list(statements))
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with count_statements(session) as statements:
        created = api.post(
            "/v1/webhook-endpoints", json={"url": URL}, headers={"Idempotency-Key": "create-1"}
        )
        assert created.status_code == 201, created.text
        assert statements  # the request did run SQL, only not before the lookup
    with count_statements(session) as statements:
        url = f"/v1/webhook-endpoints/{created.json()['id']}"
        assert api.patch(url, json={"url": f"{URL}/v2"}).status_code == 200
        assert statements
    # Before each lookup only the API key was checked, with one read of its own (in production a
    # separate read-only session; here the test's session, as it holds the test's data).
    assert [len(before) for before in run_before_lookup] == [1, 1]
    assert all(b[0].lstrip().upper().startswith("SELECT") for b in run_before_lookup)
    assert all("api_key" in b[0] for b in run_before_lookup)


@pytest.mark.usefixtures("no_private")
def test_a_host_that_resolves_too_slowly_is_refused_in_time(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = threading.Event()
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host != "hooks.example":
            return real(host, port, *args, **kwargs)
        answer.wait(5)  # a DNS server that does not answer
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(destination, "REGISTRATION_TIMEOUT", 0.3)
    started = time.monotonic()
    try:
        response = api.post("/v1/webhook-endpoints", json={"url": URL})
    finally:
        answer.set()
    assert time.monotonic() - started < 1.5
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["pointer"] == "/url"
    assert error["detail"] == "host 'hooks.example' did not resolve within 0.3 s"


def test_every_secret_rotated_out_within_a_day_keeps_signing_for_its_day(
    api: ApiCaller, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint = register(api, URL)
    rotate = f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret"
    start = utc_now()
    issued = [endpoint["secret"]]
    for hours in range(service.MAX_ROTATED_OUT):  # one rotation an hour
        monkeypatch.setattr(service, "utc_now", lambda h=hours: start + timedelta(hours=h))
        response = api.post(rotate)
        assert response.status_code == 200, response.text
        issued.append(response.json()["secret"])
    row = session.get(WebhookEndpoint, endpoint["id"])
    assert row is not None
    session.refresh(row)
    day = timedelta(hours=24)
    assert row.previous_secret_expires_at == start + timedelta(hours=3) + day  # the last one's
    newest_first = issued[::-1]
    assert service.signing_secrets(row, start + timedelta(hours=3)) == newest_first
    assert service.signing_secrets(row, start + day) == newest_first[:4]  # the first's day is up
    assert service.signing_secrets(row, start + timedelta(hours=3) + day) == newest_first[:1]

    monkeypatch.setattr(service, "utc_now", lambda: start + timedelta(hours=5))
    refused = api.post(rotate)  # a fifth within 24 hours
    assert refused.status_code == 409
    assert refused.json()["code"] == "too_many_secret_rotations"
    monkeypatch.setattr(service, "utc_now", lambda: start + day)  # the first one stopped signing
    again = api.post(rotate)
    assert again.status_code == 200, again.text
    session.refresh(row)
    assert service.signing_secrets(row, start + day) == [again.json()["secret"], *newest_first[:4]]


def test_a_rotated_out_secret_stored_alone_still_signs_until_it_expires(
    api: ApiCaller, session: Session
) -> None:
    """How one rotated-out secret was stored before several were kept: the bare secret."""
    endpoint = register(api, URL)
    row = session.get(WebhookEndpoint, endpoint["id"])
    assert row is not None
    old, expires = signing.new_secret(), utc_now() + timedelta(hours=3)
    row.previous_secret_encrypted, row.previous_secret_expires_at = signing.encrypt(old), expires
    session.commit()
    assert service.signing_secrets(row, expires - timedelta(seconds=1)) == [endpoint["secret"], old]
    assert service.signing_secrets(row, expires) == [endpoint["secret"]]
    rotated = api.post(f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret").json()["secret"]
    session.refresh(row)
    assert service.signing_secrets(row, utc_now()) == [rotated, endpoint["secret"], old]


def test_a_request_without_a_live_key_never_makes_the_service_resolve_its_url(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host == "hooks.example":
            looked_up.append(host)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for header in ("Bearer rbk_not-a-key", "x", "Basic abc"):
        response = client.post(
            "/v1/webhook-endpoints", json={"url": URL}, headers={"Authorization": header}
        )
        assert response.status_code == 401
    assert looked_up == []
