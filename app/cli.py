"""`rebound`: serve, migrate, administer tenants and keys, write the OpenAPI document."""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from alembic import command
from alembic.config import Config
from pydantic import ValidationError

from app.core.config import Environment, get_settings
from app.core.db import new_session
from app.core.errors import AppError
from app.core.observability import configure_logging
from app.tenant import service as tenant_service
from app.tenant.models import Scope

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OPENAPI = ROOT / "openapi" / "openapi.json"

cli = typer.Typer(help="Rebound: turn job rejections into next steps.", no_args_is_help=True)
db_cli = typer.Typer(help="Database migrations.", no_args_is_help=True)
tenant_cli = typer.Typer(help="Tenants (integrating organisations).", no_args_is_help=True)
key_cli = typer.Typer(help="API keys.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(tenant_cli, name="tenant")
cli.add_typer(key_cli, name="key")


def alembic_config(url: str | None = None) -> Config:
    """Alembic's configuration for this project (the URL defaults to the settings')."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    if url is not None:
        config.attributes["url"] = url
    return config


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    command.upgrade(alembic_config(), revision)


@db_cli.command("downgrade")
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION (`base` empties the database)."""
    command.downgrade(alembic_config(), revision)


@tenant_cli.command("create")
def tenant_create(
    name: str,
    key: Annotated[bool, typer.Option(help="Also issue an API key with every scope")] = True,
) -> None:
    """Create a tenant (and, by default, an all-scopes key shown once)."""
    with new_session(write=True) as session:
        tenant = tenant_service.create_tenant(session, name=name)
        issued = (
            tenant_service.create_key(session, tenant=tenant, name="default", scopes=[Scope.ALL])
            if key
            else None
        )
        session.commit()
    typer.echo(f"tenant {tenant.id} ({tenant.name})")
    if issued:
        typer.echo(f"api key {issued.key.id}: {issued.secret}")
        typer.echo("Store the key now: it is shown only once.")


@tenant_cli.command("set-rate-limit")
def tenant_set_rate_limit(
    tenant: Annotated[str, typer.Argument(help="Tenant id or name")],
    limit: Annotated[str, typer.Argument(help='Per API key, e.g. "1200/minute"')],
) -> None:
    """Give each of the tenant's keys its own rate limit (instead of REBOUND_RATE_LIMIT)."""
    _store_rate_limit(tenant, limit)


@tenant_cli.command("clear-rate-limit")
def tenant_clear_rate_limit(
    tenant: Annotated[str, typer.Argument(help="Tenant id or name")],
) -> None:
    """Put the tenant's keys back on the default rate limit (REBOUND_RATE_LIMIT)."""
    _store_rate_limit(tenant, None)


def _store_rate_limit(ref: str, limit: str | None) -> None:
    with new_session(write=True) as session:
        tenant = tenant_service.find_tenant(session, ref)
        tenant_service.set_rate_limit(session, tenant=tenant, rate_limit=limit)
        session.commit()
    shown = tenant.rate_limit or f"the default ({get_settings().rate_limit})"
    typer.echo(f"tenant {tenant.id} ({tenant.name}): {shown} per API key")


@key_cli.command("create")
def key_create(
    tenant: Annotated[str, typer.Option(help="Tenant id or name")],
    scope: Annotated[list[Scope], typer.Option(help="Repeat for several scopes")],
    name: Annotated[str, typer.Option(help="What the key is for")] = "default",
) -> None:
    """Issue an API key; it is printed once and only its hash is kept."""
    with new_session(write=True) as session:
        owner = tenant_service.find_tenant(session, tenant)
        issued = tenant_service.create_key(session, tenant=owner, name=name, scopes=scope)
        session.commit()
    typer.echo(f"api key {issued.key.id}: {issued.secret}")
    typer.echo("Store the key now: it is shown only once.")


@key_cli.command("list")
def key_list(tenant: Annotated[str, typer.Option(help="Tenant id or name")]) -> None:
    """List a tenant's keys (never the keys themselves)."""
    with new_session() as session:
        owner = tenant_service.find_tenant(session, tenant)
        for k in tenant_service.list_keys(session, tenant=owner):
            state = f"revoked {k.revoked_at.isoformat()}" if k.revoked_at else "active"
            typer.echo(f"{k.id}\t{k.prefix}…\t{k.name}\t{k.scopes}\t{state}")


@key_cli.command("revoke")
def key_revoke(key_id: str) -> None:
    """Revoke a key; it stops working at once."""
    with new_session(write=True) as session:
        key = tenant_service.revoke_key(session, key_id=key_id)
        session.commit()
    typer.echo(f"revoked {key.id}")


def bootstrap_development() -> str | None:
    """On an empty development database, create the `dev` tenant and return its key."""
    settings = get_settings()
    if settings.environment is not Environment.DEVELOPMENT:
        return None
    with new_session(write=True) as session:
        if tenant_service.has_tenants(session):
            return None
        tenant = tenant_service.create_tenant(session, name="dev")
        issued = tenant_service.create_key(session, tenant=tenant, name="dev", scopes=[Scope.ALL])
        session.commit()
    key_file = Path(settings.dev_key_file)
    key_file.write_text(issued.secret + "\n")
    key_file.chmod(0o600)
    return issued.secret


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default: REBOUND_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="Default: REBOUND_PORT")] = None,
    workers: Annotated[int | None, typer.Option(help="Default: REBOUND_WORKERS")] = None,
) -> None:
    """Serve the API with uvicorn (migrate first: `rebound db upgrade`)."""
    import uvicorn

    settings = get_settings()
    configure_logging(settings.log_level)
    secret = bootstrap_development()
    if secret:
        typer.echo(
            "Created the `dev` tenant. Its API key, shown once (also in "
            f"{settings.dev_key_file}):\n\n    {secret}\n"
        )
    uvicorn.run(
        "app.main:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )


@cli.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".csv or .jsonl")],
    tenant: Annotated[str, typer.Option(help="Tenant id or name")],
    batch_size: Annotated[int, typer.Option(min=1, max=500, help="Rows per transaction")] = 500,
) -> None:
    """Import rejections from CSV or JSON Lines (one seeker external id per row); safe to rerun.

    Prints a summary as JSON, with the line and reason of every refused row; exits 1 if any row
    was refused.
    """
    from dataclasses import asdict

    from app.coaching import importing

    with new_session() as session:
        tenant_id = tenant_service.find_tenant(session, tenant).id
    with path.open(encoding="utf-8-sig") as handle:
        total = sum(1 for line in handle if line.strip()) - (path.suffix.lower() == ".csv")
    with typer.progressbar(length=max(total, 0), label="importing", file=sys.stderr) as bar:
        report = importing.import_rows(
            lambda: new_session(write=True),
            tenant_id=tenant_id,
            rows=importing.rows_of(path),
            batch_size=batch_size,
            progress=bar.update,
        )
    typer.echo(json.dumps(asdict(report)))
    if report.invalid:
        raise typer.Exit(1)


@cli.command()
def sweep(
    batch_size: Annotated[
        int | None,
        typer.Option(
            min=1, max=10_000, help="Seekers per transaction. Default: REBOUND_SWEEP_BATCH_SIZE"
        ),
    ] = None,
) -> None:
    """Apply what time alone changes (snoozes, due goals, silence) once, and print a summary."""
    from dataclasses import asdict

    from app.core.clock import utc_now
    from app.sweep import service as sweep_service

    configure_logging(get_settings().log_level)
    with new_session(write=True) as session:
        report = sweep_service.run(
            session, now=utc_now(), batch_size=batch_size or get_settings().sweep_batch_size
        )
    typer.echo(json.dumps(asdict(report)))


@cli.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="Send what is due now, then exit")] = False,
) -> None:
    """Deliver webhooks from the outbox (sign, POST, retry with backoff) until interrupted."""
    import signal
    import threading
    from dataclasses import asdict

    from app.webhook import worker as webhook_worker

    configure_logging(get_settings().log_level)
    if once:
        report = webhook_worker.drain()
        report.pruned = webhook_worker.prune()
        typer.echo(json.dumps(asdict(report)))
        return
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):  # finish the round in flight, then stop
        signal.signal(signum, lambda *_: stop.set())
    webhook_worker.run_forever(stop)


@cli.command()
def openapi(
    output: Annotated[Path, typer.Option(help="Where to write it")] = DEFAULT_OPENAPI,
) -> None:
    """Write the OpenAPI document the app serves."""
    from app.main import app

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_openapi(app.openapi()))
    typer.echo(f"wrote {output}")


def render_openapi(schema: dict[str, object]) -> str:
    """The committed form of the OpenAPI document (stable key order, trailing newline)."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    """Entry point of the `rebound` command."""
    try:
        get_settings()
        cli()
    except ValidationError as exc:
        typer.echo(f"invalid settings: {exc}", err=True)
        raise SystemExit(2) from exc
    except AppError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise SystemExit(1) from exc


if __name__ == "__main__":
    main()
