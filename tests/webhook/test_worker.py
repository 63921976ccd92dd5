"""The delivery worker against a real receiver on loopback: signatures, retries, leases, 410.

No test waits for a backoff: the worker's clock is jumped ahead instead (see `Clock`).
"""

import json
import socket
import ssl
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlmodel import Session
from standardwebhooks import WebhookVerificationError

from app.core.config import get_settings
from app.webhook import destination, outbox, service, worker
from app.webhook.models import WebhookDelivery, WebhookEndpoint
from tests.factories import ApiCaller
from tests.webhook.conftest import Deliver
from tests.webhook.support import (
    Clock,
    Receiver,
    certificate_authority,
    deliveries,
    register,
    resolving,
    verify,
)


def _seeker_with_rejection(api: ApiCaller) -> dict[str, Any]:
    seeker = api.seeker()
    api.rejection(seeker["id"], feedback="We went with someone internal.")
    return seeker


def test_a_real_receiver_verifies_every_signature(
    api: ApiCaller, receiver: Receiver, deliver: Deliver
) -> None:
    endpoint = register(api, receiver.url)
    seeker = _seeker_with_rejection(api)
    expected = {d["message_id"]: d for d in deliveries(api, endpoint["id"])}

    report = deliver()

    assert report.succeeded == len(expected) > 1 and report.retrying == report.failed == 0
    assert sorted(receiver.ids()) == sorted(expected)
    for request in receiver.received:
        payload = verify(endpoint["secret"], request)  # standardwebhooks, real clock
        assert payload["type"] == expected[request.message_id]["event_type"]
        assert request.headers["content-type"] == "application/json"
        assert request.headers["webhook-signature"].startswith("v1,")
        assert " " not in request.headers["webhook-signature"]  # one secret, one signature
    created = next(
        json.loads(r.body) for r in receiver.received if b'"rejection.created"' in r.body
    )
    assert created["data"]["seeker_id"] == seeker["id"]
    assert set(created) == {"type", "timestamp", "data"}
    for delivery in deliveries(api, endpoint["id"]):
        assert (delivery["status"], delivery["attempt_count"]) == ("succeeded", 1)
        [attempt] = delivery["attempts"]
        assert (attempt["status_code"], attempt["error"]) == (200, None)
        assert attempt["latency_ms"] >= 0 and delivery["next_attempt_at"] is None


def test_a_tampered_body_or_a_wrong_secret_does_not_verify(
    api: ApiCaller, receiver: Receiver, deliver: Deliver
) -> None:
    endpoint = register(api, receiver.url, event_types=["rejection.created"])
    _seeker_with_rejection(api)
    deliver()
    [request] = receiver.received
    tampered = type(request)(request.headers, request.body.replace(b"internal", b"external"))
    with pytest.raises(WebhookVerificationError):
        verify(endpoint["secret"], tampered)
    other = register(api, receiver.url)["secret"]
    with pytest.raises(WebhookVerificationError):
        verify(other, request)


def test_a_receiver_that_is_down_gets_every_message_once_it_is_back(
    api: ApiCaller, receiver: Receiver, deliver: Deliver, clock: Clock
) -> None:
    endpoint = register(api, receiver.url)
    receiver.stop()
    _seeker_with_rejection(api)
    _seeker_with_rejection(api)
    expected = sorted(d["message_id"] for d in deliveries(api, endpoint["id"]))

    for wait in outbox.SCHEDULE[:4]:  # down for four attempts: now, +5 s, +5 min, +30 min
        report = deliver()
        assert report.retrying == len(expected) and report.succeeded == 0
        assert deliver().attempts == 0  # nothing is due again before its backoff
        clock.advance(wait)
    receiver.start()
    report = deliver()

    assert report.succeeded == len(expected)
    assert Counter(receiver.ids()) == Counter(dict.fromkeys(expected, 1))
    for request in receiver.received:
        verify(endpoint["secret"], request, at=clock())
    for delivery in deliveries(api, endpoint["id"]):
        codes = [a["status_code"] for a in delivery["attempts"]]
        assert codes == [None, None, None, None, 200] and delivery["status"] == "succeeded"
        assert all("ConnectError" in (a["error"] or "") for a in delivery["attempts"][:4])


def test_retries_follow_the_schedule_for_about_three_days_then_fail(
    api: ApiCaller, receiver: Receiver, deliver: Deliver, clock: Clock
) -> None:
    endpoint = register(api, receiver.url, event_types=["rejection.created"])
    receiver.status = 503
    _seeker_with_rejection(api)
    started = clock()
    for wait in outbox.SCHEDULE:
        assert deliver().retrying == 1
        clock.advance(wait - timedelta(seconds=1))
        assert deliver().attempts == 0  # a second early: not yet
        clock.advance(seconds=1)
    assert deliver().failed == 1

    [delivery] = deliveries(api, endpoint["id"])
    assert delivery["status"] == "failed" and delivery["next_attempt_at"] is None
    assert delivery["attempt_count"] == len(outbox.SCHEDULE) + 1 == 12
    assert [a["status_code"] for a in delivery["attempts"]] == [503] * 12
    assert delivery["attempts"][0]["error"] == "answered HTTP 503"
    assert timedelta(days=2.5) < clock() - started < timedelta(days=3.5)
    assert len(receiver.received) == 12
    clock.advance(days=30)
    assert deliver().attempts == 0


def test_gone_disables_the_endpoint_and_fails_what_was_pending(
    api: ApiCaller, receiver: Receiver, deliver: Deliver
) -> None:
    endpoint = register(api, receiver.url)
    receiver.status = 410
    _seeker_with_rejection(api)

    report = deliver(limit=1)

    assert (report.attempts, report.endpoints_disabled) == (1, 1)
    assert len(receiver.received) == 1
    read = api.get(f"/v1/webhook-endpoints/{endpoint['id']}").json()
    assert (read["status"], read["disabled_reason"]) == (
        "disabled",
        "the endpoint answered 410 Gone",
    )
    assert read["version"] == 2
    assert {d["status"] for d in deliveries(api, endpoint["id"])} == {"failed"}
    count = len(deliveries(api, endpoint["id"]))
    _seeker_with_rejection(api)
    assert len(deliveries(api, endpoint["id"])) == count  # nothing new is queued for it
    assert deliver().attempts == 0


def test_a_worker_killed_after_claiming_loses_nothing(
    api: ApiCaller, receiver: Receiver, deliver: Deliver, clock: Clock, session: Session
) -> None:
    endpoint = register(api, receiver.url)
    _seeker_with_rejection(api)
    expected = sorted(d["message_id"] for d in deliveries(api, endpoint["id"]))
    lease = worker.lease_for(get_settings().webhook_timeout_seconds)

    with Session(bind=session.connection(), join_transaction_mode="create_savepoint") as dying:
        claimed = worker.claim(dying, now=clock(), limit=100, lease=lease)
    assert len(claimed) == len(expected)  # ... and then the worker was killed: nothing sent

    assert deliver().attempts == 0  # the claims hold for the lease
    clock.advance(lease - timedelta(seconds=1))
    assert deliver().attempts == 0
    clock.advance(seconds=2)
    assert deliver().succeeded == len(expected)
    assert sorted(receiver.ids()) == expected
    assert {d["attempt_count"] for d in deliveries(api, endpoint["id"])} == {1}


def test_a_worker_that_outlived_its_lease_only_logs_its_attempt(
    api: ApiCaller, receiver: Receiver, clock: Clock, session: Session
) -> None:
    endpoint = register(api, receiver.url, event_types=["rejection.created"])
    _seeker_with_rejection(api)
    lease = timedelta(seconds=30)

    def fresh() -> Session:
        return Session(bind=session.connection(), join_transaction_mode="create_savepoint")

    with fresh() as slow:
        [late] = worker.claim(slow, now=clock(), limit=10, lease=lease)
    clock.advance(lease + timedelta(seconds=1))
    with fresh() as other:
        [again] = worker.claim(other, now=clock(), limit=10, lease=lease)
    ok = worker.Outcome(200, 5, None)
    with fresh() as other:
        assert worker.record(other, results=[(again, ok)], now=clock()).succeeded == 1
    with fresh() as slow:
        assert worker.record(slow, results=[(late, ok)], now=clock()).succeeded == 0
    session.expire_all()
    [delivery] = deliveries(api, endpoint["id"])
    assert (delivery["status"], delivery["attempt_count"], len(delivery["attempts"])) == (
        "succeeded",
        1,
        2,
    )


def test_a_failed_delivery_can_be_retried_by_hand(
    api: ApiCaller, receiver: Receiver, deliver: Deliver, clock: Clock, session: Session
) -> None:
    endpoint = register(api, receiver.url, event_types=["rejection.created"])
    _seeker_with_rejection(api)
    [delivery] = deliveries(api, endpoint["id"])
    row = session.get(WebhookDelivery, delivery["id"])
    assert row is not None
    row.failures = len(outbox.SCHEDULE)  # as if it had already been retried for three days
    session.commit()
    receiver.status = 500
    assert deliver().failed == 1
    url = f"/v1/webhook-endpoints/{endpoint['id']}/deliveries/{delivery['id']}/retry"

    receiver.status = 500  # a retry that fails is failed again at once: one attempt, no schedule
    assert api.post(url).status_code == 202
    assert deliver().failed == 1
    receiver.status = 200
    response = api.post(url)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "pending"
    assert deliver().succeeded == 1

    [delivery] = deliveries(api, endpoint["id"])
    assert delivery["status"] == "succeeded"
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 500, 200]
    assert len(set(receiver.ids())) == 1  # the same webhook-id every time: receivers dedupe
    assert api.post(url).status_code == 202  # a succeeded one can be sent again too
    api.patch(f"/v1/webhook-endpoints/{endpoint['id']}", json={"status": "disabled"})
    refused = api.post(url)
    assert refused.status_code == 409 and refused.json()["code"] == "webhook_endpoint_disabled"


def test_after_a_rotation_both_secrets_verify_for_a_day_then_only_the_new(
    api: ApiCaller, receiver: Receiver, deliver: Deliver, clock: Clock
) -> None:
    endpoint = register(api, receiver.url, event_types=["rejection.created"])
    old = endpoint["secret"]
    new = api.post(f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret").json()["secret"]

    _seeker_with_rejection(api)
    deliver()
    [during] = receiver.received
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    verify(new, during)
    verify(old, during)

    clock.advance(hours=24, seconds=1)
    _seeker_with_rejection(api)
    deliver()
    after = receiver.received[1]
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    verify(new, after, at=clock())
    with pytest.raises(WebhookVerificationError):
        verify(old, after, at=clock())


def test_deliveries_to_a_private_address_are_refused_at_send_time(
    api: ApiCaller,
    receiver: Receiver,
    deliver: Deliver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    endpoint = register(api, receiver.url, event_types=["rejection.created"])
    _seeker_with_rejection(api)
    monkeypatch.setattr(get_settings(), "webhook_allow_private", False)  # as if DNS had changed

    assert deliver().retrying == 1

    assert receiver.received == []
    [delivery] = deliveries(api, endpoint["id"])
    [attempt] = delivery["attempts"]
    assert attempt["status_code"] is None
    assert attempt["error"].startswith("refused: resolves to a private")


def test_a_slow_receiver_times_out(
    api: ApiCaller,
    receiver: Receiver,
    deliver: Deliver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    endpoint = register(api, receiver.url, event_types=["rejection.created"])
    _seeker_with_rejection(api)
    monkeypatch.setattr(get_settings(), "webhook_timeout_seconds", 0.2)
    receiver.delay = 1.0

    assert deliver().retrying == 1

    [attempt] = deliveries(api, endpoint["id"])[0]["attempts"]
    assert attempt["error"] == "timed out" and attempt["status_code"] is None
    assert 150 <= attempt["latency_ms"] < 1000


def test_deleting_an_endpoint_while_its_delivery_is_in_flight_is_harmless(
    api: ApiCaller, receiver: Receiver, clock: Clock, session: Session
) -> None:
    endpoint = register(api, receiver.url, event_types=["rejection.created"])
    _seeker_with_rejection(api)

    def fresh() -> Session:
        return Session(bind=session.connection(), join_transaction_mode="create_savepoint")

    with fresh() as claiming:
        jobs = worker.claim(claiming, now=clock(), limit=10, lease=timedelta(seconds=30))
    assert api.delete(f"/v1/webhook-endpoints/{endpoint['id']}").status_code == 204
    with fresh() as recording:
        report = worker.record(
            recording, results=[(jobs[0], worker.Outcome(200, 3, None))], now=clock()
        )
    assert report.succeeded == 0


def test_old_messages_are_pruned_once_nothing_waits_to_send_them(
    api: ApiCaller, receiver: Receiver, deliver: Deliver, clock: Clock, session: Session
) -> None:
    sent = register(api, receiver.url, event_types=["rejection.created"])
    _seeker_with_rejection(api)
    deliver()
    down = register(api, "http://127.0.0.1:9/nothing-listens", event_types=["rejection.deleted"])
    rejection = api.rejection(api.seeker()["id"])
    api.delete(f"/v1/rejections/{rejection['id']}")  # its delivery keeps failing: still pending
    assert deliver().retrying == 1

    def factory() -> Session:
        return Session(bind=session.connection(), join_transaction_mode="create_savepoint")

    assert worker.prune(clock=clock, session_factory=factory) == 0  # nothing is old yet
    clock.advance(days=get_settings().webhook_retention_days, seconds=1)
    pruned = worker.prune(clock=clock, session_factory=factory)
    session.expire_all()

    assert pruned == 2  # both rejection.created messages; the pending rejection.deleted stays
    assert deliveries(api, sent["id"]) == []
    assert [d["status"] for d in deliveries(api, down["id"])] == ["pending"]


def test_an_endpoint_whose_secret_cannot_be_decrypted_fails_alone(
    api: ApiCaller, receiver: Receiver, deliver: Deliver, session: Session
) -> None:
    broken = register(api, receiver.url, event_types=["rejection.created"])
    working = register(api, receiver.url, event_types=["rejection.created"])
    row = session.get(WebhookEndpoint, broken["id"])
    assert row is not None
    row.secret_encrypted = Fernet(Fernet.generate_key()).encrypt(b"whsec_x").decode()
    session.commit()  # as if REBOUND_WEBHOOK_SECRET_KEY had lost the key it was stored under
    _seeker_with_rejection(api)

    report = deliver()

    assert (report.succeeded, report.retrying) == (1, 1)
    [attempt] = deliveries(api, broken["id"])[0]["attempts"]
    assert attempt["error"] == "the endpoint's secret cannot be decrypted with the server key"
    [request] = receiver.received
    verify(working["secret"], request)


def test_a_receiver_that_answers_byte_by_byte_is_cut_off_at_the_deadline(
    api: ApiCaller,
    receiver: Receiver,
    deliver: Deliver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A per-read timeout never fires here (a byte comes every 50 ms); the attempt's deadline
    does, well inside the lease, so no other worker can claim the delivery meanwhile."""
    endpoint = register(api, receiver.url, event_types=["rejection.created"])
    _seeker_with_rejection(api)
    monkeypatch.setattr(get_settings(), "webhook_timeout_seconds", 0.5)
    receiver.drip = True
    started = time.monotonic()

    assert deliver().retrying == 1

    assert time.monotonic() - started < 1.2  # the receiver would have gone on for 2 s
    [attempt] = deliveries(api, endpoint["id"])[0]["attempts"]
    assert (attempt["status_code"], attempt["error"]) == (None, "timed out")
    assert 450 <= attempt["latency_ms"] < 1000
    assert worker.lease_for(0.5) > timedelta(seconds=30)


def test_a_slow_receiver_holds_one_slot_while_the_others_go_on(
    api: ApiCaller, receiver: Receiver, deliver: Deliver
) -> None:
    slow = Receiver()
    try:
        register(api, slow.url, event_types=["rejection.deleted"])
        register(api, receiver.url, event_types=["rejection.created"])
        seeker = api.seeker()
        first = api.rejection(seeker["id"])
        assert api.delete(f"/v1/rejections/{first['id']}").status_code == 204  # slow's one
        for i in range(5):
            api.rejection(seeker["id"], company=f"Company {i}")
        slow.delay = 1.0

        report = deliver(limit=2)  # claims the first rejection.created and the slow one first

        assert report.succeeded == 7
        [waited] = slow.received
        assert len(receiver.received) == 6
        # All six arrived while the slow receiver was still thinking: nothing waited for it.
        assert max(r.at for r in receiver.received) < waited.at + 0.5
    finally:
        slow.stop()


@pytest.mark.usefixtures("no_private")
def test_an_attempt_connects_to_the_address_it_checked_whatever_dns_says_next(
    api: ApiCaller, deliver: Deliver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: hooks.example answers a public address to every check, then 127.0.0.1. Here
    127.0.0.2 stands for the public address (a receiver must listen somewhere)."""
    allowed = destination.refused
    monkeypatch.setattr(destination, "refused", lambda a: a != "127.0.0.2" and allowed(a))
    public = Receiver(host="127.0.0.2")
    internal = Receiver(host="127.0.0.1", port=public.port)
    lookups: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host != "hooks.example":
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        address = "127.0.0.2" if len(lookups) <= 2 else "127.0.0.1"  # registration, the check
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    try:
        endpoint = register(
            api, f"http://hooks.example:{public.port}/hooks", event_types=["rejection.created"]
        )
        _seeker_with_rejection(api)

        assert deliver().succeeded == 1

        assert internal.received == [] and lookups == ["hooks.example"] * 2
        [request] = public.received
        assert request.headers["host"] == f"hooks.example:{public.port}"
        verify(endpoint["secret"], request)
    finally:
        public.stop()
        internal.stop()


def test_https_verifies_the_certificate_for_the_urls_host_not_the_address(
    api: ApiCaller, deliver: Deliver, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The request goes to 127.0.0.1, and TLS still names and verifies hooks.example: the
    certificate (for hooks.example only, no IP) is accepted for it and refused for another host."""
    server, client = certificate_authority(tmp_path, "hooks.example")
    names: list[str | None] = []

    def server_name(_socket: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        names.append(name)

    server.sni_callback = server_name
    receiver = Receiver(tls=server)
    resolving(monkeypatch, {"hooks.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
    try:
        url = f"https://hooks.example:{receiver.port}/hooks"
        good = register(api, url, event_types=["rejection.created"])
        bad = register(api, url.replace("hooks.", "other."), event_types=["rejection.created"])
        _seeker_with_rejection(api)

        report = deliver(ssl_context=client)

        assert (report.succeeded, report.retrying) == (1, 1)
        [request] = receiver.received
        assert request.headers["host"] == f"hooks.example:{receiver.port}"
        verify(good["secret"], request)
        assert "hooks.example" in names
        [attempt] = deliveries(api, bad["id"])[0]["attempts"]
        assert attempt["error"].startswith("ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED]")
        assert "Hostname mismatch" in attempt["error"] and "other.example" in attempt["error"]
        assert deliver(ssl_context=ssl.create_default_context()).attempts == 0  # nothing due
    finally:
        receiver.stop()


def test_https_refuses_a_certificate_from_an_unknown_authority(
    api: ApiCaller, deliver: Deliver, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    server, _ = certificate_authority(tmp_path, "hooks.example")
    receiver = Receiver(tls=server)
    resolving(monkeypatch, {"hooks.example": ["127.0.0.1"]})
    try:
        endpoint = register(
            api, f"https://hooks.example:{receiver.port}/x", event_types=["rejection.created"]
        )
        _seeker_with_rejection(api)
        assert deliver().retrying == 1  # the worker's own context: certifi's authorities
        [attempt] = deliveries(api, endpoint["id"])[0]["attempts"]
        assert "CERTIFICATE_VERIFY_FAILED" in attempt["error"]
        assert receiver.received == []
    finally:
        receiver.stop()


def test_after_two_rotations_each_rotated_out_secret_verifies_for_its_own_day(
    api: ApiCaller,
    receiver: Receiver,
    deliver: Deliver,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    endpoint = register(api, receiver.url, event_types=["rejection.created"])
    rotate = f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret"
    first = endpoint["secret"]
    second = api.post(rotate).json()["secret"]
    start = clock()
    monkeypatch.setattr(service, "utc_now", lambda: start + timedelta(hours=12))
    current = api.post(rotate).json()["secret"]  # 12 hours later

    def delivered_at(hours: float) -> list[str]:
        """Deliver a new message at `start + hours`; the secrets its signature verifies with."""
        clock.advance(start + timedelta(hours=hours) - clock())
        _seeker_with_rejection(api)
        deliver()
        request = receiver.received[-1]
        valid = []
        for secret in (first, second, current):
            try:
                verify(secret, request, at=clock())
                valid.append(secret)
            except WebhookVerificationError:
                pass
        assert len(request.headers["webhook-signature"].split(" ")) == len(valid)
        return valid

    assert delivered_at(13) == [first, second, current]
    assert delivered_at(25) == [second, current]  # the first one's 24 hours are up
    assert delivered_at(37) == [current]
