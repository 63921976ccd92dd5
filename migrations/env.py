"""Alembic environment: the URL comes from Rebound's settings; SQLite runs in batch mode."""

import re
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import app.application.models
import app.goal.models
import app.idempotency.models
import app.next_step.models
import app.rejection.models
import app.seeker.models
import app.tenant.models
import app.webhook.models  # noqa: F401 - every table module, so the metadata is complete
from app.core.config import get_settings
from app.core.db import build_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def _same_json_default(
    _context: object,
    _inspected_column: object,
    metadata_column: sa.Column[object],
    inspected_default: str | None,
    _metadata_default: object,
    rendered_metadata_default: str | None,
) -> bool | None:
    """Compare a JSON column's server default as text: PostgreSQL has no `=` for json, so the
    default comparison (a SELECT) fails. Anything else is compared the usual way (None)."""
    if not isinstance(metadata_column.type, sa.JSON):
        return None

    def bare(value: str | None) -> str | None:
        return None if value is None else re.sub(r"::\w+$", "", value).strip("'\"() ")

    return bare(inspected_default) != bare(rendered_metadata_default)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=_same_json_default,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against a given connection (tests) or the configured database."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes.get("url") or get_settings().database_url
    engine = build_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run against a database.")
run_migrations_online()
