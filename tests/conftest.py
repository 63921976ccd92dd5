"""Fixtures: a migrated database (SQLite, or PostgreSQL when REBOUND_TEST_DATABASE_URL is set),
a session per test rolled back at the end, and an HTTP client bound to that session."""

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, text
from sqlmodel import Session

_TMP = Path(tempfile.mkdtemp(prefix="rebound-tests-"))
TEST_DATABASE_URL = os.environ.get("REBOUND_TEST_DATABASE_URL") or f"sqlite:///{_TMP / 'test.db'}"
os.environ["REBOUND_DATABASE_URL"] = TEST_DATABASE_URL
os.environ["REBOUND_ENVIRONMENT"] = "test"
os.environ["REBOUND_SWEEP_INTERVAL_SECONDS"] = "0"  # tests run the sweep themselves
os.environ["REBOUND_WEBHOOK_ALLOW_PRIVATE"] = "true"  # receivers in tests listen on loopback
os.environ["REBOUND_DEV_KEY_FILE"] = str(_TMP / "dev-key")
os.environ.update(  # tests lower it per tenant or per test
    REBOUND_RATE_LIMIT="1000000/hour", REBOUND_RATE_LIMIT_UNAUTHENTICATED="1000000/hour"
)

from alembic import command  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from app.cli import alembic_config  # noqa: E402
from app.core.db import (  # noqa: E402
    AppSession,
    build_engine,
    get_engine,
    get_session,
)
from app.main import create_app  # noqa: E402
from app.tenant.models import Tenant  # noqa: E402
from tests.factories import ApiCaller, make_tenant  # noqa: E402


def reset_database(engine: Engine) -> None:
    """Empty the test database so migrations start from nothing."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    """The test database, migrated to head once per run."""
    eng = build_engine(TEST_DATABASE_URL)
    reset_database(eng)
    with eng.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        config.attributes["configure_logger"] = False
        command.upgrade(config, "head")
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session in a transaction rolled back after the test (its commits are savepoints)."""
    connection = engine.connect()
    outer = connection.begin()
    db = AppSession(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield db
    finally:
        db.close()
        outer.rollback()
        connection.close()


@pytest.fixture(scope="session")
def shared_app() -> FastAPI:
    """One application for the run (building it per test costs more than most tests)."""
    return create_app()


@pytest.fixture
def app(shared_app: FastAPI, session: Session) -> Iterator[FastAPI]:
    """The application, with every request using the test's session; overrides reset after."""
    shared_app.dependency_overrides = {get_session: lambda: session}
    yield shared_app
    shared_app.dependency_overrides = {}


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An HTTP client without credentials."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient, session: Session) -> ApiCaller:
    """A client authenticated as tenant A with every scope."""
    return ApiCaller(client, make_tenant(session, "tenant-a").secret)


@pytest.fixture
def other_api(client: TestClient, session: Session) -> ApiCaller:
    """A client authenticated as tenant B with every scope."""
    return ApiCaller(client, make_tenant(session, "tenant-b").secret)


@pytest.fixture
def committed_api(engine: Engine) -> Iterator[tuple[ApiCaller, str]]:
    """A caller whose requests commit for real; its tenant is deleted afterwards."""
    with Session(get_engine(), expire_on_commit=False) as session:
        tenant = make_tenant(session, f"slots-{uuid.uuid4().hex}")
    try:
        with TestClient(create_app()) as client:
            yield ApiCaller(client, tenant.secret), tenant.tenant_id
    finally:
        with Session(get_engine()) as session:
            session.execute(delete(Tenant).where(Tenant.id == tenant.tenant_id))  # type: ignore[arg-type]
            session.commit()
