"""On committed data: several workers never send a delivery twice, concurrent requests and workers
neither deadlock nor break the rules (the endpoint cap, fan-out to a deleted endpoint), a slow DNS
answer holds up no other writer; and how workers start."""

import asyncio
import json
import socket
import threading
import time
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from app.cli import cli
from app.core.clock import utc_now
from app.core.config import Environment, Settings
from app.core.db import get_engine, new_session
from app.webhook import destination, outbox, service, worker
from app.webhook.models import WebhookDelivery, WebhookEndpoint, WebhookEndpointCreate
from tests.factories import ApiCaller
from tests.webhook.support import Receiver, deliveries, register

MESSAGES = 24


def test_two_workers_at_once_never_send_a_delivery_twice(
    committed_api: tuple[ApiCaller, str], receiver: Receiver
) -> None:
    api, _ = committed_api
    endpoint = register(api, receiver.url, event_types=["rejection.created"])
    seeker = api.seeker()
    for i in range(MESSAGES):
        api.rejection(seeker["id"], company=f"Company {i}")
    receiver.delay = 0.01  # long enough for the two workers' rounds to overlap
    start = threading.Barrier(2)
    reports: list[worker.WorkerReport] = []

    def work() -> None:
        start.wait()
        reports.append(worker.drain(limit=3))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(reports) == 2
    assert sum(r.succeeded for r in reports) == MESSAGES
    assert sum(r.attempts for r in reports) == MESSAGES
    counts = Counter(receiver.ids())
    assert len(counts) == MESSAGES and set(counts.values()) == {1}
    assert {d["status"] for d in deliveries(api, endpoint["id"])} == {"succeeded"}


def test_a_claim_skips_deliveries_another_transaction_holds(
    engine: Engine, committed_api: tuple[ApiCaller, str], receiver: Receiver
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite has one writer at a time")
    api, _ = committed_api
    register(api, receiver.url, event_types=["rejection.created"])
    seeker = api.seeker()
    for i in range(3):
        api.rejection(seeker["id"], company=f"Company {i}")
    lease = worker.lease_for(1)
    with Session(get_engine()) as holder, Session(get_engine()) as claimer:
        stmt = select(WebhookDelivery).order_by(col(WebhookDelivery.id)).limit(2)
        held = holder.exec(stmt.with_for_update()).all()  # a worker mid-claim holds two
        jobs = worker.claim(claimer, now=utc_now(), limit=10, lease=lease)
        assert len(held) == 2
        assert [j.delivery_id for j in jobs] == [
            d.id
            for d in claimer.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id)))
            if d.id not in {h.id for h in held}
        ]
        holder.rollback()


def test_cli_worker_once_drains_and_prints_a_report(engine: Engine) -> None:
    result = CliRunner().invoke(cli, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert set(report) == {
        "attempts",
        "succeeded",
        "retrying",
        "failed",
        "endpoints_disabled",
        "pruned",
    }


def test_serve_runs_a_worker_in_process_only_in_development_by_default() -> None:
    assert not Settings(_env_file=None).runs_webhook_worker_in_process  # type: ignore[call-arg]
    development = Settings(_env_file=None, environment=Environment.DEVELOPMENT)  # type: ignore[call-arg]
    assert development.runs_webhook_worker_in_process
    forced = Settings(_env_file=None, webhook_worker_in_process=True)  # type: ignore[call-arg]
    assert forced.runs_webhook_worker_in_process


def test_the_in_process_worker_survives_a_failed_round(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def drain(**_: object) -> worker.WorkerReport:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return worker.WorkerReport()

    monkeypatch.setattr(worker, "drain", drain)
    monkeypatch.setattr(worker, "prune", lambda **_: 0)
    monkeypatch.setattr(worker.get_settings(), "webhook_poll_seconds", 0.01)

    async def scenario() -> None:
        task = asyncio.create_task(worker.run_in_process())
        for _ in range(200):
            await asyncio.sleep(0.01)
            if len(calls) >= 3:
                break
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    assert len(calls) >= 3, "a failed round must not stop the worker"


def test_rebound_worker_runs_rounds_until_stopped_and_prunes_hourly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stop = threading.Event()
    drains: list[int] = []
    prunes: list[int] = []

    def drain(**_: object) -> worker.WorkerReport:
        drains.append(1)
        if len(drains) >= 5:
            stop.set()
        return worker.WorkerReport(attempts=1 if len(drains) % 2 else 0)

    monkeypatch.setattr(worker, "drain", drain)
    monkeypatch.setattr(worker, "prune", lambda **_: prunes.append(1) or 0)
    monkeypatch.setattr(worker.get_settings(), "webhook_poll_seconds", 0.001)
    thread = threading.Thread(target=worker.run_forever, args=(stop,))
    thread.start()
    thread.join(timeout=10)

    assert not thread.is_alive() and len(drains) == 5
    assert len(prunes) == 1  # once on start, then hourly


URL = "https://hooks.example/rebound"


def test_endpoints_created_at_once_never_pass_the_cap(
    committed_api: tuple[ApiCaller, str],
) -> None:
    api, tenant_id = committed_api
    for i in range(service.MAX_ENDPOINTS - 1):
        register(api, f"{URL}/{i}")
    endpoint_in = WebhookEndpointCreate(url=URL)
    verdict = destination.judge(URL)
    outcomes: list[str] = []

    def create() -> None:
        with new_session(write=True) as session:
            try:
                service.create_endpoint(
                    session, tenant_id=tenant_id, endpoint_in=endpoint_in, verdict=verdict
                )
                session.commit()
                outcomes.append("created")
            except service.WebhookConflict:
                outcomes.append("refused")

    with new_session(write=True) as first:
        service.create_endpoint(
            first, tenant_id=tenant_id, endpoint_in=endpoint_in, verdict=verdict
        )
        second = threading.Thread(target=create)
        second.start()
        second.join(timeout=0.3)
        assert second.is_alive()  # it waits to count until the first has committed
        first.commit()
    second.join(timeout=10)

    assert outcomes == ["refused"]
    with Session(get_engine()) as session:
        count = select(func.count()).where(WebhookEndpoint.tenant_id == tenant_id)
        assert session.exec(count).one() == service.MAX_ENDPOINTS


def test_a_410_recorded_while_the_endpoint_is_being_disabled_does_not_deadlock(
    committed_api: tuple[ApiCaller, str], receiver: Receiver
) -> None:
    """Disabling locks the endpoint, then its deliveries; so does recording (a 410 disables the
    endpoint). Had recording locked the deliveries first, each would wait for the other."""
    api, tenant_id = committed_api
    endpoint = register(api, receiver.url, event_types=["rejection.created"])
    seeker = api.seeker()
    for i in range(2):
        api.rejection(seeker["id"], company=f"Company {i}")
    with new_session(write=True) as session:
        jobs = worker.claim(session, now=utc_now(), limit=10, lease=timedelta(seconds=60))
    assert len(jobs) == 2
    gone = worker.Outcome(410, 3, "answered HTTP 410")
    reports: list[worker.WorkerReport] = []
    errors: list[Exception] = []

    def record() -> None:
        try:
            with new_session(write=True) as session:
                results = [(job, gone) for job in jobs]
                reports.append(worker.record(session, results=results, now=utc_now()))
        except Exception as exc:  # a deadlock victim
            errors.append(exc)

    with new_session(write=True) as disabling:
        row = service.get_endpoint(disabling, tenant_id=tenant_id, endpoint_id=endpoint["id"])
        row.description = "going away"
        disabling.add(row)
        disabling.flush()  # the endpoint is locked, as by a PATCH
        recording = threading.Thread(target=record)
        recording.start()
        recording.join(timeout=0.3)
        assert recording.is_alive()  # waiting for the endpoint, holding no delivery
        service.disable(disabling, endpoint=row, reason="disabled through the API", now=utc_now())
        disabling.commit()
    recording.join(timeout=10)

    assert errors == []
    [report] = reports
    assert (report.attempts, report.failed, report.endpoints_disabled) == (2, 0, 0)
    for delivery in deliveries(api, endpoint["id"]):
        assert delivery["status"] == "failed" and len(delivery["attempts"]) == 1


def test_an_endpoint_deleted_while_a_change_fans_out_to_it_fails_neither(
    committed_api: tuple[ApiCaller, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    api, tenant_id = committed_api
    endpoint = register(api, URL, event_types=["rejection.created"])
    seeker = api.seeker()
    read = outbox._subscribers
    blocked: list[bool] = []
    deleting: list[threading.Thread] = []

    def delete() -> None:
        with new_session(write=True) as session:
            row = service.get_endpoint(session, tenant_id=tenant_id, endpoint_id=endpoint["id"])
            service.delete_endpoint(session, endpoint=row)
            session.commit()

    def subscribers(session: Session, tenant_ids: list[str]) -> Any:
        found = read(session, tenant_ids)  # the endpoint is read; its delivery comes next
        thread = threading.Thread(target=delete)
        thread.start()
        thread.join(timeout=0.3)
        blocked.append(thread.is_alive())  # the deletion waits for this transaction
        deleting.append(thread)
        return found

    monkeypatch.setattr(outbox, "_subscribers", subscribers)
    api.rejection(seeker["id"])  # 201, not a foreign key violation
    monkeypatch.undo()
    deleting[0].join(timeout=10)

    assert blocked == [True]
    assert api.get(f"/v1/webhook-endpoints/{endpoint['id']}").status_code == 404
    with Session(get_engine()) as session:
        left = select(func.count()).where(WebhookDelivery.endpoint_id == endpoint["id"])
        assert session.exec(left).one() == 0  # the deletion took the new delivery along


@pytest.mark.usefixtures("no_private")
def test_a_slow_dns_answer_at_registration_holds_up_no_other_writer(
    committed_api: tuple[ApiCaller, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    api, _ = committed_api
    looking_up, answer = threading.Event(), threading.Event()
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host != "hooks.example":
            return real(host, port, *args, **kwargs)
        looking_up.set()
        answer.wait(5)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    statuses: list[int] = []

    def create() -> None:
        statuses.append(api.post("/v1/webhook-endpoints", json={"url": URL}).status_code)

    registering = threading.Thread(target=create)
    registering.start()
    try:
        assert looking_up.wait(5)
        started = time.monotonic()
        api.seeker()  # another write while the registration waits for DNS
        assert time.monotonic() - started < 1
    finally:
        answer.set()
        registering.join(timeout=10)
    assert statuses == [201]
