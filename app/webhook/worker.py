"""The delivery worker: claim due deliveries, sign and POST them, record every attempt.

A worker keeps up to `REBOUND_WEBHOOK_CONCURRENCY` attempts in flight, and the network is never
touched inside a database transaction:

1. **claim** (one short transaction): due deliveries of enabled endpoints are selected with
   `FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite has one writer anyway), and each one's
   `next_attempt_at` is pushed one lease ahead under a fresh `lease_id`. Other workers skip them
   while the claim commits and then no longer see them as due.
2. **send**, each in a thread of its own: sign with every current secret and POST to the address
   that was checked, all within a hard deadline of `REBOUND_WEBHOOK_TIMEOUT_SECONDS`, well inside
   the lease (see `app/webhook/transport.py`).
3. **record** (one transaction for the attempts that just ended): one attempt row each; the
   delivery succeeds, waits for its next try, or fails once the schedule runs out; a `410 Gone`
   disables the endpoint. A delivery whose lease was lost meanwhile only gets its attempt logged.

Attempts are recorded as they end (with any other that ends within 20 ms, so that one transaction
serves several) and the freed slots are claimed again at once: a slow receiver holds its own slot
for at most the deadline, and delays no other attempt by more than those 20 ms.

A worker killed between 1 and 3 leaves its deliveries claimed until the lease ends; then they are
due again and another worker sends them: at least once, never lost. Receivers dedupe on
`webhook-id`. Time comes from the `clock` argument, so tests can jump past backoffs and leases.

Locks are taken in one order everywhere: endpoints, then their deliveries (see `record`).
"""

import asyncio
import logging
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

import anyio.to_thread
import httpcore
from cryptography.fernet import InvalidToken
from sqlmodel import Session, col, select

from app.core.clock import utc_now
from app.core.config import get_settings
from app.core.db import new_session
from app.core.ids import new_id
from app.webhook import destination, outbox, service, signing, transport
from app.webhook.models import (
    DeliveryStatus,
    EndpointStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMessage,
)

logger = logging.getLogger("rebound.webhook")

Clock = Callable[[], datetime]
SessionFactory = Callable[[], Session]
GONE = 410
PRUNE_EVERY = timedelta(hours=1)
MAX_CLAIMS_PER_DRAIN = 1000  # times the concurrency: then `drain` returns (and the worker prunes)
SETTLE_SECONDS = 0.02  # how long ended attempts wait for others to share a transaction with


@dataclass(frozen=True)
class Job:
    """One claimed delivery, ready to send."""

    delivery_id: str
    tenant_id: str
    endpoint_id: str
    lease_id: str
    url: str
    message_id: str
    body: str
    secrets: tuple[str, ...] = field(repr=False)


@dataclass(frozen=True)
class Outcome:
    """What one attempt got back."""

    status_code: int | None
    latency_ms: int
    error: str | None

    @property
    def ok(self) -> bool:
        """Whether the receiver accepted the message (any 2xx)."""
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass
class WorkerReport:
    """What a drain did."""

    attempts: int = 0
    succeeded: int = 0
    retrying: int = 0
    failed: int = 0
    endpoints_disabled: int = 0
    pruned: int = 0  # old messages deleted (see `prune`)

    def add(self, other: "WorkerReport") -> None:
        """Count `other` in too."""
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def lease_for(timeout: float) -> timedelta:
    """How long a claim lasts: well over an attempt's hard deadline (`timeout`), so an attempt
    always ends, and is recorded, before another worker may claim the delivery again."""
    return timedelta(seconds=2 * timeout + 30)


def claim(session: Session, *, now: datetime, limit: int, lease: timedelta) -> list[Job]:
    """Claim up to `limit` due deliveries for one lease and commit; [] when none are due."""
    stmt = (
        select(WebhookDelivery, WebhookEndpoint, WebhookMessage)
        .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
        .join(WebhookMessage, col(WebhookMessage.id) == col(WebhookDelivery.message_id))
        .where(
            col(WebhookDelivery.status) == DeliveryStatus.PENDING.value,
            col(WebhookDelivery.next_attempt_at) <= now,
            col(WebhookEndpoint.status) == EndpointStatus.ENABLED.value,
        )
        .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
        .limit(limit)
        .with_for_update(of=WebhookDelivery, skip_locked=True)
    )
    rows = session.exec(stmt).all()
    lease_id = new_id("lse")
    jobs = []
    for delivery, endpoint, message in rows:
        delivery.next_attempt_at = now + lease
        delivery.lease_id = lease_id
        try:
            secrets = tuple(service.signing_secrets(endpoint, now))
        except InvalidToken:  # the server key changed: this endpoint fails, the others go on
            logger.error("cannot decrypt the secret of webhook endpoint %s", endpoint.id)
            secrets = ()
        jobs.append(
            Job(
                delivery_id=delivery.id,
                tenant_id=delivery.tenant_id,
                endpoint_id=endpoint.id,
                lease_id=lease_id,
                url=endpoint.url,
                message_id=message.id,
                body=signing.body_of(outbox.envelope(message)),
                secrets=secrets,
            )
        )
    session.commit()
    return jobs


def send(job: Job, now: datetime, *, timeout: float, ssl_context: ssl.SSLContext) -> Outcome:
    """Sign and POST one message within `timeout` seconds in all (DNS, connecting, TLS, sending,
    the status line and headers); never raises (a failure is an Outcome with an error)."""
    start = time.perf_counter()
    deadline = transport.Deadline(timeout)

    def elapsed() -> int:
        return round((time.perf_counter() - start) * 1000)

    if not job.secrets:
        return Outcome(None, 0, "the endpoint's secret cannot be decrypted with the server key")
    check = not get_settings().webhook_allow_private
    try:
        # Again: DNS may have changed since registration. The attempt then goes to the very
        # addresses checked here; the host is not resolved again.
        target = destination.resolve(job.url, timeout=deadline.left(), check=check)
        headers = signing.headers(
            signing_secrets=job.secrets, message_id=job.message_id, timestamp=now, body=job.body
        )
        code = transport.post(
            target,
            headers=headers,
            body=job.body.encode(),
            deadline=deadline,
            ssl_context=ssl_context,
        )
    except destination.UnsafeDestination as exc:
        return Outcome(None, elapsed(), f"refused: {exc}"[:500])
    except httpcore.TimeoutException:
        return Outcome(None, elapsed(), "timed out")
    except Exception as exc:  # any other failure of this attempt is this attempt's outcome
        return Outcome(None, elapsed(), f"{type(exc).__name__}: {exc}"[:500])
    return Outcome(code, elapsed(), None if 200 <= code < 300 else f"answered HTTP {code}")


def record(
    session: Session, *, results: Sequence[tuple[Job, Outcome]], now: datetime
) -> WorkerReport:
    """Log each attempt and move its delivery on; commit once.

    The endpoints are locked first, then the deliveries, each in id order: the order in which
    disabling (`PATCH`) and deleting an endpoint lock them, so that no two can deadlock
    (PostgreSQL; SQLite has one writer). `FOR NO KEY UPDATE` leaves the outbox's `FOR KEY SHARE`
    alone, so writers that fan out to these endpoints never wait for it.
    """
    report = WorkerReport(attempts=len(results))
    endpoint_ids = sorted({job.endpoint_id for job, _ in results})
    locked = (
        select(WebhookEndpoint.id)
        .where(col(WebhookEndpoint.id).in_(endpoint_ids))
        .order_by(col(WebhookEndpoint.id))
        .with_for_update(key_share=True)
    )
    session.exec(locked).all()
    stmt = (
        select(WebhookDelivery)
        .where(col(WebhookDelivery.id).in_([job.delivery_id for job, _ in results]))
        .order_by(col(WebhookDelivery.id))
        .with_for_update()
    )
    deliveries = {d.id: d for d in session.exec(stmt).all()}
    for job, outcome in results:
        delivery = deliveries.get(job.delivery_id)
        if delivery is None:
            continue  # its endpoint was deleted meanwhile
        session.add(
            WebhookAttempt(
                id=new_id("wha"),
                tenant_id=job.tenant_id,
                delivery_id=job.delivery_id,
                attempted_at=now,
                status_code=outcome.status_code,
                latency_ms=outcome.latency_ms,
                error=outcome.error,
            )
        )
        if delivery.lease_id != job.lease_id or delivery.status != DeliveryStatus.PENDING.value:
            continue  # the lease ended and another worker has it now: only the attempt counts
        _advance(session, delivery, outcome, now, report)
    session.commit()
    return report


def _advance(
    session: Session,
    delivery: WebhookDelivery,
    outcome: Outcome,
    now: datetime,
    report: WorkerReport,
) -> None:
    delivery.attempt_count += 1
    delivery.last_attempt_at = now
    delivery.updated_at = now
    delivery.lease_id = None
    if outcome.ok:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED.value, None
        report.succeeded += 1
        return
    delivery.failures += 1
    if outcome.status_code == GONE:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED.value, None
        report.failed += 1
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)  # locked in `record`
        if endpoint is not None and endpoint.status == EndpointStatus.ENABLED.value:
            session.flush()
            reason = "the endpoint answered 410 Gone"
            service.disable(session, endpoint=endpoint, reason=reason, now=now)
            report.endpoints_disabled += 1
        return
    if delivery.failures > len(outbox.SCHEDULE):
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED.value, None
        report.failed += 1
        return
    delivery.next_attempt_at = now + outbox.SCHEDULE[delivery.failures - 1]
    report.retrying += 1


def due(session: Session, *, now: datetime) -> bool:
    """Whether any delivery is due (a cheap read before taking SQLite's write lock to claim)."""
    stmt = (
        select(WebhookDelivery.id)
        .where(
            col(WebhookDelivery.status) == DeliveryStatus.PENDING.value,
            col(WebhookDelivery.next_attempt_at) <= now,
        )
        .limit(1)
    )
    return session.exec(stmt).first() is not None


def _settled(running: dict[Future[Outcome], Job]) -> set[Future[Outcome]]:
    """The attempts that ended: the first, and any other that ends within `SETTLE_SECONDS`, so
    that one claim and one record serve several (a slow one delays the others that much at most)."""
    done, pending = wait(running, return_when=FIRST_COMPLETED)
    until = time.monotonic() + SETTLE_SECONDS
    while pending:
        left = until - time.monotonic()
        if left <= 0:
            break
        more, pending = wait(pending, timeout=left, return_when=FIRST_COMPLETED)
        done |= more
    return done


def drain(
    *,
    clock: Clock = utc_now,
    session_factory: SessionFactory | None = None,
    ssl_context: ssl.SSLContext | None = None,
    limit: int | None = None,
    max_claims: int = MAX_CLAIMS_PER_DRAIN,
) -> WorkerReport:
    """Send everything due now, keeping up to `limit` attempts in flight, until nothing is due.

    Attempts are recorded as they end and their slots claimed again (see `_settled`): a slow
    receiver holds only its own slot. It stops claiming after `max_claims` times `limit`.
    """
    settings = get_settings()
    make_session = session_factory or (lambda: new_session(write=True))
    read_session = session_factory or new_session
    slots = limit or settings.webhook_concurrency
    timeout = settings.webhook_timeout_seconds
    lease = lease_for(timeout)
    budget = max_claims * slots
    total = WorkerReport()
    with read_session() as session:
        if not due(session, now=clock()):
            return total  # idle: no TLS context, no threads
    context = ssl_context or transport.default_ssl_context()
    running: dict[Future[Outcome], Job] = {}
    more = True  # whether the last claim may have left due deliveries behind
    with ThreadPoolExecutor(max_workers=slots, thread_name_prefix="webhook") as pool:
        while True:
            free = min(slots - len(running), budget)
            if free > 0 and (more or not running):
                now = clock()
                with make_session() as session:
                    jobs = claim(session, now=now, limit=free, lease=lease)
                budget -= len(jobs)
                more = len(jobs) == free
                for job in jobs:
                    future = pool.submit(send, job, now, timeout=timeout, ssl_context=context)
                    running[future] = job
            if not running:
                break
            done = _settled(running)
            results = [(running.pop(future), future.result()) for future in done]
            with make_session() as session:
                total.add(record(session, results=results, now=clock()))
    return total


def prune(*, clock: Clock = utc_now, session_factory: SessionFactory | None = None) -> int:
    """Delete what is older than `REBOUND_WEBHOOK_RETENTION_DAYS` and no longer waits to be sent."""
    before = clock() - timedelta(days=get_settings().webhook_retention_days)
    with (session_factory or (lambda: new_session(write=True)))() as session:
        return outbox.prune(session, before=before)


class Rounds:
    """What `rebound worker` and the in-process worker repeat: drain, and prune once an hour."""

    def __init__(self, clock: Clock = utc_now) -> None:
        self.clock = clock
        self.pruned_at: datetime | None = None

    def __call__(self) -> WorkerReport:
        """One round; a failure is logged and counts as an idle round (the next one retries)."""
        try:
            report = drain(clock=self.clock)
            if self.pruned_at is None or self.clock() - self.pruned_at >= PRUNE_EVERY:
                report.pruned, self.pruned_at = prune(clock=self.clock), self.clock()
        except Exception:
            logger.exception("webhook delivery round failed; trying again shortly")
            return WorkerReport()
        if report.attempts or report.pruned:
            logger.info("webhooks", extra={"webhooks": vars(report)})
        return report


def run_forever(stop: threading.Event, *, clock: Clock = utc_now) -> None:
    """Run rounds, pausing while idle, until `stop` is set (`rebound worker`)."""
    poll, rounds = get_settings().webhook_poll_seconds, Rounds(clock)
    while not stop.is_set():
        if not rounds().attempts:
            stop.wait(poll)


async def run_in_process() -> None:
    """In-process delivery for `rebound serve` (development): rounds in a thread until cancelled."""
    poll, rounds = get_settings().webhook_poll_seconds, Rounds()
    while True:
        if not (await anyio.to_thread.run_sync(rounds)).attempts:
            await asyncio.sleep(poll)
