"""Fixtures for webhooks: a receiver on loopback, a clock to move, a worker on the test session."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlmodel import Session

from app.core.config import get_settings
from app.webhook import worker
from tests.webhook.support import Clock, Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP receiver on 127.0.0.1, closed after the test."""
    listening = Receiver()
    try:
        yield listening
    finally:
        listening.stop()


@pytest.fixture
def clock() -> Clock:
    """The worker's clock (real time until a test jumps it ahead)."""
    return Clock()


Deliver = Callable[..., worker.WorkerReport]


@pytest.fixture
def deliver(session: Session, clock: Clock) -> Deliver:
    """Run the worker until nothing is due, inside the test's transaction, on `clock`."""

    def factory() -> Session:
        return Session(
            bind=session.connection(),
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
        )

    def run(**kwargs: Any) -> worker.WorkerReport:
        report = worker.drain(clock=clock, session_factory=factory, **kwargs)
        session.expire_all()  # the worker wrote through sessions of its own
        return report

    return run


@pytest.fixture
def no_private(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production's rule: private, loopback and link-local destinations are refused."""
    monkeypatch.setattr(get_settings(), "webhook_allow_private", False)
