"""Render the advice gallery: what every seeker in tests/gallery's corpus reads, as Markdown.

Builds a fresh, migrated SQLite database in a temporary directory, creates a tenant, replays each
history through the HTTP API in-process (TestClient on `create_app()`) with the service's clock
pinned to each event, runs the sweep where a history says, and writes docs/advice-gallery.md.

Usage: `python scripts/advice_gallery.py [--check] [--out PATH]` (or `make gallery`). `--check`
writes nothing and exits 1, with a short diff, when the file differs from what would be written.
"""

import argparse
import difflib
import os
import sys
import tempfile
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "docs" / "advice-gallery.md"
DIFF_LINES = 40
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tests.gallery.replay import Replayed


def _environment(database_url: str) -> None:
    """Settings for a standalone run; they must be in place before the app first reads them."""
    os.environ.update(
        REBOUND_DATABASE_URL=database_url,
        REBOUND_ENVIRONMENT="test",
        REBOUND_LOG_LEVEL="WARNING",
        REBOUND_RATE_LIMIT="1000000/hour",
        REBOUND_SWEEP_INTERVAL_SECONDS="0",  # the gallery runs the sweep itself, at fixed times
        REBOUND_WEBHOOK_WORKER_IN_PROCESS="false",
    )


@contextmanager
def _database(directory: Path) -> "Iterator[Engine]":
    """A fresh SQLite database in `directory`, migrated to head the way the test suite does."""
    from alembic import command

    from app.cli import alembic_config
    from app.core.db import build_engine

    engine = build_engine(f"sqlite:///{directory / 'gallery.db'}")
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            config.attributes["configure_logger"] = False
            command.upgrade(config, "head")
        yield engine
    finally:
        engine.dispose()


def replay_corpus(directory: Path) -> "list[Replayed]":
    """Replay the whole corpus on a fresh database in `directory`."""
    from fastapi import Request
    from fastapi.testclient import TestClient
    from sqlmodel import Session

    from app.core.db import WRITE_METHODS, AppSession, get_session
    from app.main import create_app
    from app.sweep import service as sweep_service
    from tests.factories import ApiCaller, make_tenant
    from tests.gallery.corpus import CORPUS
    from tests.gallery.replay import replay_all

    with _database(directory) as engine:
        writer = engine.execution_options(sqlite_begin="IMMEDIATE")

        async def session_for(request: Request) -> AsyncIterator[Session]:
            # What get_session does, on the gallery's own database (whatever the settings say).
            write = request.method in WRITE_METHODS
            session = AppSession(writer if write else engine, expire_on_commit=False)
            try:
                yield session
            finally:
                session.close()

        def sweep(now: datetime) -> None:
            with AppSession(writer, expire_on_commit=False) as session:
                report = sweep_service.run(session, now=now, batch_size=500)
            if report.failed_batches:
                raise AssertionError(f"the sweep at {now} failed: {report}")

        with AppSession(engine, expire_on_commit=False) as session:
            secret = make_tenant(session, "advice gallery").secret
        app = create_app()
        app.dependency_overrides[get_session] = session_for
        with TestClient(app) as client:
            return replay_all(ApiCaller(client, secret), sweep, CORPUS)


def render(directory: Path) -> str:
    """The gallery document, built on a fresh database in `directory`."""
    from tests.gallery.render import document

    return document(replay_corpus(directory))


def stale_diff(current: str, fresh: str, name: str = "docs/advice-gallery.md") -> list[str]:
    """A short unified diff from the committed document to the fresh one (empty: up to date)."""
    diff = difflib.unified_diff(
        current.splitlines(),
        fresh.splitlines(),
        f"{name} (committed)",
        f"{name} (fresh)",
        lineterm="",
    )
    lines = list(diff)
    if len(lines) > DIFF_LINES:
        lines = [*lines[:DIFF_LINES], f"... and {len(lines) - DIFF_LINES} more diff lines"]
    return lines


def _shown(path: Path) -> str:
    """`path` relative to the checkout when it lies inside it (messages name no machine paths)."""
    resolved = path.resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else path.name


def main() -> int:
    """Write the gallery, or with --check say whether the committed one is current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    parser.add_argument("--out", type=Path, default=DOCUMENT, help="where the document goes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rebound-gallery-") as tmp:
        _environment(f"sqlite:///{Path(tmp) / 'gallery.db'}")
        fresh = render(Path(tmp))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        diff = stale_diff(current, fresh, _shown(args.out))
        if diff:
            print("\n".join(diff))
            print(f"{_shown(args.out)} is stale: run `make gallery`", file=sys.stderr)
            return 1
        print(f"{_shown(args.out)} is up to date")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(fresh, encoding="utf-8")
    print(f"wrote {_shown(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
