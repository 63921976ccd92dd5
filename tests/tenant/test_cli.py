"""The admin CLI: tenants and keys, shown once, stored hashed, revocable; the dev bootstrap."""

import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import delete, select
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import ROOT, alembic_config, bootstrap_development, cli
from app.core import config as config_module
from app.core import db as db_module
from app.core.db import get_engine
from app.tenant import service as tenant_service
from app.tenant.models import ApiKey, Tenant

runner = CliRunner()
KEY = re.compile(r"(rbk_[A-Za-z0-9_-]+)")


@pytest.fixture
def tenant_name(engine: object) -> Iterator[str]:
    """A unique tenant name; the CLI commits for real, so the tenant is deleted afterwards."""
    name = f"cli-{uuid.uuid4().hex[:8]}"
    yield name
    with Session(get_engine()) as session:
        session.execute(delete(Tenant).where(Tenant.name == name))  # type: ignore[arg-type]
        session.commit()


def test_tenant_create_prints_a_working_key_once(tenant_name: str) -> None:
    result = runner.invoke(cli, ["tenant", "create", tenant_name])
    assert result.exit_code == 0, result.output
    match = KEY.search(result.output)
    assert match
    with Session(get_engine()) as session:
        key = tenant_service.authenticate(session, match.group(1))
        assert key is not None
        assert key.scopes == "*"
        stored = session.scalars(select(ApiKey.key_hash).where(ApiKey.id == key.id)).one()
        assert match.group(1) not in stored  # only the hash is kept


def test_tenant_create_refuses_a_duplicate_name(tenant_name: str) -> None:
    assert runner.invoke(cli, ["tenant", "create", tenant_name]).exit_code == 0
    command_line = [sys.executable, "-c", "from app.cli import main; main()"]
    result = subprocess.run(  # the real entry point, which turns domain errors into messages
        [*command_line, "tenant", "create", tenant_name],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert "Traceback" not in result.stderr


def test_key_create_list_and_revoke(tenant_name: str) -> None:
    runner.invoke(cli, ["tenant", "create", tenant_name, "--no-key"])
    created = runner.invoke(
        cli,
        ["key", "create", "--tenant", tenant_name, "--scope", "seekers:read", "--name", "ro"],
    )
    assert created.exit_code == 0, created.output
    secret = KEY.search(created.output).group(1)  # type: ignore[union-attr]
    key_id = re.search(r"api key (key_\w+)", created.output).group(1)  # type: ignore[union-attr]

    listed = runner.invoke(cli, ["key", "list", "--tenant", tenant_name])
    assert key_id in listed.output and "seekers:read" in listed.output and "active" in listed.output
    assert secret not in listed.output

    assert runner.invoke(cli, ["key", "revoke", key_id]).exit_code == 0
    with Session(get_engine()) as session:
        assert tenant_service.authenticate(session, secret) is None
    assert "revoked" in runner.invoke(cli, ["key", "list", "--tenant", tenant_name]).output


def test_key_create_refuses_an_unknown_scope(tenant_name: str) -> None:
    runner.invoke(cli, ["tenant", "create", tenant_name, "--no-key"])
    result = runner.invoke(cli, ["key", "create", "--tenant", tenant_name, "--scope", "root"])
    assert result.exit_code != 0


@pytest.fixture
def fresh_dev_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Settings and engine pointed at a new, migrated development SQLite database."""
    monkeypatch.setenv("REBOUND_ENVIRONMENT", "development")
    monkeypatch.setenv("REBOUND_DATABASE_URL", f"sqlite:///{tmp_path / 'dev.db'}")
    monkeypatch.setenv("REBOUND_DEV_KEY_FILE", str(tmp_path / "dev-key"))
    config_module.get_settings.cache_clear()
    db_module.get_engine.cache_clear()
    config = alembic_config()
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
    yield tmp_path
    get_engine().dispose()
    monkeypatch.undo()
    config_module.get_settings.cache_clear()
    db_module.get_engine.cache_clear()


def test_dev_bootstrap_creates_one_tenant_and_key_once(fresh_dev_database: Path) -> None:
    secret = bootstrap_development()
    assert secret is not None
    assert (fresh_dev_database / "dev-key").read_text().strip() == secret
    assert bootstrap_development() is None  # not on a database that has tenants
    with Session(get_engine()) as session:
        assert tenant_service.find_tenant(session, "dev").name == "dev"
        assert tenant_service.authenticate(session, secret) is not None
