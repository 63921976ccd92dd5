"""Several workers at once, on committed data: no delivery is sent twice; how workers start."""

import asyncio
import json
import threading
from collections import Counter

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from app.cli import cli
from app.core.clock import utc_now
from app.core.config import Environment, Settings
from app.core.db import get_engine
from app.webhook import worker
from app.webhook.models import WebhookDelivery
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
