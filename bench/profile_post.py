"""Where a rejection POST spends its time: an in-process profile on a fresh database.

Migrates a temporary database, creates a tenant, a key and some seekers, warms up, then sends
`POST /v1/seekers/{id}/rejections` (the body `make bench` sends, round robin over 50 seekers)
through Starlette's TestClient, one at a time:

1. unprofiled, to time a request in-process;
2. under cProfile, with one profiler per server thread (the event loop's and every worker
   thread's) timed on each thread's own CPU clock, so waiting costs nothing and the shares are
   shares of CPU. The client's thread is not profiled.

It prints the CPU by area (which library the time is spent in), the costliest functions by
cumulative and by own time as `file:function` with their share, and the SQL statements a request
runs. Usage: `python bench/profile_post.py [--requests 300] [--database postgresql]` (a fresh
database of its own either way, as `bench/run.py` makes them).
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEKERS = 50
AREAS = (  # first match wins: (label, a piece of the path)
    ("sqlalchemy.orm", "sqlalchemy/orm/"),
    ("sqlalchemy (core, engine, sql)", "sqlalchemy/"),
    ("sqlmodel", "sqlmodel/"),
    ("pydantic", "pydantic"),
    ("fastapi", "fastapi/"),
    ("starlette", "starlette/"),
    ("anyio", "anyio/"),
    ("prometheus_client", "prometheus_client/"),
    ("limits", "limits/"),
    ("app/rules", "/app/rules/"),
    ("app (other)", "/app/"),
    ("json (stdlib)", "/json/"),
    ("asyncio", "/asyncio/"),
    ("logging", "/logging/"),
)


# Wall-clock phases of one POST: (label, module, attribute, depth in the call tree). Each is
# looked up through its module at call time, so wrapping the attribute times every call.
PHASES = (
    (
        "app/tenant/service.py:authenticate (API key lookup)",
        "app.tenant.service",
        "authenticate",
        0,
    ),
    ("app/core/ratelimit.py:limit_key (in memory)", "app.core.auth", "limit_key", 0),
    ("app/seeker/service.py:get_seeker (the path's seeker)", "app.seeker.service", "get_seeker", 0),
    ("app/coaching/service.py:record_rejection", "app.coaching.service", "record_rejection", 0),
    ("app/rejection/service.py:create_rejection", "app.rejection.service", "create_rejection", 1),
    ("app/seeker/service.py:lock", "app.seeker.service", "lock", 1),
    ("app/coaching/service.py:events_for", "app.coaching.service", "events_for", 1),
    (
        "app/recommendation/service.py:build_contexts",
        "app.recommendation.service",
        "build_contexts",
        1,
    ),
    ("app/rejection/service.py:histories", "app.rejection.service", "histories", 2),
    ("app/application/service.py:activities", "app.application.service", "activities", 2),
    ("app/goal/service.py:standing", "app.goal.service", "standing", 2),
    ("app/rules/engine.py:evaluate", "app.recommendation.service", "evaluate", 1),
    ("app/next_step/service.py:record", "app.next_step.service", "record", 1),
    ("app/next_step/service.py:active_for", "app.next_step.service", "active_for", 2),
    ("app/next_step/service.py:events_of", "app.next_step.service", "events_of", 1),
    ("app/webhook/service.py:emit", "app.webhook.service", "emit", 1),
    ("app/coaching/service.py:_with_steps", "app.coaching.service", "_with_steps", 1),
    ("app/core/db.py:AppSession.commit", "app.core.db", "AppSession.commit", 0),
    (
        "app/core/finish.py:FinishMiddleware._finish",
        "app.core.finish",
        "FinishMiddleware._finish",
        0,
    ),
)


class Phases:
    """Wall-clock time spent in each phase, and in the database driver, summed over requests."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.requests = 0
        self.total = 0.0
        self._cursor_started: dict[int, float] = {}
        self._originals: list[tuple[Any, str, Any]] = []

    def install(self) -> None:
        import functools
        import importlib
        import inspect

        for label, module_name, attribute, _depth in PHASES:
            owner: Any = importlib.import_module(module_name)
            name = attribute
            if "." in attribute:
                class_name, name = attribute.split(".")
                owner = getattr(owner, class_name)
            original = getattr(owner, name)
            self._originals.append((owner, name, original))
            if inspect.iscoroutinefunction(original):

                async def wrapper(*a: Any, _o: Any = original, _l: str = label, **k: Any) -> Any:
                    started = time.perf_counter()
                    try:
                        return await _o(*a, **k)
                    finally:
                        self.seconds[_l] += time.perf_counter() - started

            else:

                def wrapper(*a: Any, _o: Any = original, _l: str = label, **k: Any) -> Any:  # type: ignore[misc]
                    started = time.perf_counter()
                    try:
                        return _o(*a, **k)
                    finally:
                        self.seconds[_l] += time.perf_counter() - started

            setattr(owner, name, functools.wraps(original)(wrapper))

    def uninstall(self) -> None:
        for owner, name, original in reversed(self._originals):
            setattr(owner, name, original)

    def before(self, conn: Any, *_: Any) -> None:
        self._cursor_started[id(conn)] = time.perf_counter()

    def after(self, conn: Any, *_: Any) -> None:
        started = self._cursor_started.pop(id(conn), None)
        if started is not None:
            self.seconds["database: cursor.execute, all statements"] += (
                time.perf_counter() - started
            )

    def asgi(self, app: Any) -> Any:
        """The app, timed from the request's arrival to its last byte."""

        async def timed(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            started = time.perf_counter()
            try:
                await app(scope, receive, send)
            finally:
                if scope["method"] == "POST" and scope["path"].endswith("/rejections"):
                    self.total += time.perf_counter() - started
                    self.requests += 1

        return timed


def _area(path: str, function: str) -> str:
    if path == "~":  # a builtin: attribute it by name
        if "sqlite3" in function:
            return "sqlite3 driver (C)"
        return "builtins (other)"
    for label, piece in AREAS:
        if piece in path:
            return label
    return "other Python"


def _short(path: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/", "/lib/python3"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


class ThreadProfiles:
    """A cProfile profiler in every thread started from now on, on that thread's CPU clock."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []

    def _start(self, *_: Any) -> None:
        profile = cProfile.Profile(time.thread_time)
        self.profiles.append(profile)
        profile.enable()  # replaces this hook, in this thread only

    def install(self) -> None:
        threading.setprofile(self._start)

    def stop(self) -> pstats.Stats:
        """Every thread's finished calls. Not `disable()`: called from this thread, it would
        close the calls still open in the idle worker threads on this thread's clock."""
        threading.setprofile(None)  # type: ignore[arg-type]
        stats = pstats.Stats(_Snapshot(self.profiles[0]))
        for profile in self.profiles[1:]:
            stats.add(_Snapshot(profile))
        return stats


class _Snapshot:
    """A profiler's finished calls, in the shape pstats loads."""

    def __init__(self, profile: cProfile.Profile) -> None:
        profile.snapshot_stats()
        self.stats = profile.stats  # type: ignore[attr-defined]

    def create_stats(self) -> None:
        """Already made."""


def _setup(url: str) -> None:
    os.environ.update(
        {
            "REBOUND_DATABASE_URL": url,
            "REBOUND_ENVIRONMENT": "test",
            "REBOUND_LOG_LEVEL": "WARNING",
            "REBOUND_RATE_LIMIT": "1000000/second",
            "REBOUND_SWEEP_INTERVAL_SECONDS": "0",
            "REBOUND_WEBHOOK_WORKER_IN_PROCESS": "false",
        }
    )
    migrate = [sys.executable, "-m", "app.cli", "db", "upgrade"]
    subprocess.run(migrate, cwd=ROOT, check=True, capture_output=True)


def main() -> None:
    """Time, then profile, the POST; print the report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    opts = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.run import _databases

    with _databases(opts.database) as (url, _peer_url, _dsn):
        _setup(url)
        _profile(opts)


def _profile(opts: argparse.Namespace) -> None:
    import warnings

    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from sqlalchemy import event
    from starlette.testclient import TestClient

    from app.core.db import get_engine, new_session
    from app.tenant import service as tenant_service
    from app.tenant.models import Scope
    from bench.run import REJECTION

    with new_session(write=True) as db:
        tenant = tenant_service.create_tenant(db, name="profile")
        key = tenant_service.create_key(db, tenant=tenant, name="profile", scopes=[Scope.ALL])
        db.commit()
    statements: Counter[str] = Counter()

    def count(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        statements[" ".join(statement.split())[:110]] += 1

    from app.main import app

    phases = Phases()
    phases.install()
    headers = {"Authorization": f"Bearer {key.secret}"}

    def post(client: TestClient, i: int) -> None:
        response = client.post(f"/v1/seekers/{sids[i % SEEKERS]}/rejections", json=REJECTION)
        assert response.status_code == 201, response.text

    with TestClient(phases.asgi(app), headers=headers) as client:
        sids = [client.post("/v1/seekers", json={}).json()["id"] for _ in range(SEEKERS)]
        for i in range(SEEKERS):  # warm-up: one rejection each, not measured
            post(client, i)
        phases.seconds.clear()
        phases.total, phases.requests = 0.0, 0
        engine = get_engine()
        event.listen(engine, "before_cursor_execute", count)
        event.listen(engine, "before_cursor_execute", phases.before)
        event.listen(engine, "after_cursor_execute", phases.after)
        started, cpu = time.perf_counter(), time.process_time()
        for i in range(opts.requests):
            post(client, i)
        wall = (time.perf_counter() - started) / opts.requests * 1000
        process_cpu = (time.process_time() - cpu) / opts.requests * 1000
        for name, listener in (("before", count), ("before", phases.before)):
            event.remove(engine, f"{name}_cursor_execute", listener)
        event.remove(engine, "after_cursor_execute", phases.after)
    phases.uninstall()
    # A second client runs a new event loop thread with new worker threads: each gets a profiler.
    profiles = ThreadProfiles()
    profiles.install()
    with TestClient(app, headers=headers) as client:
        for i in range(opts.requests):
            post(client, i)
    stats = profiles.stop()
    get_engine().dispose()
    _print_phases(phases)
    _print(stats, statements, opts, wall, process_cpu)


def _print_phases(phases: Phases) -> None:
    n, total = phases.requests, phases.total
    print(
        f"Where one POST's time goes ({n} requests, wall clock inside the app, no profiler): "
        f"{total / n * 1000:.2f} ms per request\n"
    )
    print("| phase | ms/request | share |\n|---|---|---|")
    rows = [(label, depth) for label, _m, _a, depth in PHASES]
    rows.append(("database: cursor.execute, all statements", 0))
    for label, depth in rows:
        seconds = phases.seconds[label]
        indent = "&nbsp;&nbsp;" * depth + ("↳ " if depth else "")
        print(f"| {indent}{label} | {seconds / n * 1000:.2f} | {seconds / total:.1%} |")
    top = sum(phases.seconds[label] for label, _m, _a, depth in PHASES if depth == 0)
    print(
        f"| rest: middleware, routing, body validation, dependencies, thread hops, response "
        f"serialization | {(total - top) / n * 1000:.2f} | {(total - top) / total:.1%} |\n"
    )


def _print(
    stats: pstats.Stats, statements: Counter[str], opts: argparse.Namespace, wall: float, cpu: float
) -> None:
    entries: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for _cc, _nc, tt, _ct, _callers in entries.values())
    n = opts.requests
    print(
        f"POST /v1/seekers/{{id}}/rejections in-process (TestClient, sequential, "
        f"{opts.database}): "
        f"{wall:.2f} ms per request wall, {cpu:.2f} ms CPU (client included); "
        f"profiled server threads: {total / n * 1000:.2f} ms CPU per request (with profiler "
        "overhead)\n"
    )
    areas: Counter[str] = Counter()
    for (path, _line, function), (_cc, _nc, tt, _ct, _callers) in entries.items():
        areas[_area(path, function)] += tt
    print("CPU by area (own time)\n| area | share |\n|---|---|")
    for label, seconds in areas.most_common():
        print(f"| {label} | {seconds / total:.1%} |")

    def name(key: tuple[str, int, str]) -> str:
        path, _line, function = key
        return function if path == "~" else f"{_short(path)}:{function}"

    print(f"\nTop {opts.top} by cumulative time (app code)\n| function | share | calls/request |")
    print("|---|---|---|")
    app_rows = [
        (ct, key, nc)
        for key, (_cc, nc, _tt, ct, _callers) in entries.items()
        if str(ROOT / "app") in key[0]
    ]
    for ct, key, nc in sorted(app_rows, reverse=True)[: opts.top]:
        print(f"| {name(key)} | {ct / total:.1%} | {nc / n:.1f} |")
    print(f"\nTop {opts.top} by own time\n| function | share | calls/request |\n|---|---|---|")
    own = sorted(((tt, key, nc) for key, (_cc, nc, tt, _ct, _c) in entries.items()), reverse=True)
    for tt, key, nc in own[: opts.top]:
        print(f"| {name(key)} | {tt / total:.1%} | {nc / n:.1f} |")
    print(f"\nSQL per request: {sum(statements.values()) / n:.1f} statements")
    print("| statements/request | statement |\n|---|---|")
    for text, times in statements.most_common():
        print(f"| {times / n:.2f} | `{text}` |")


if __name__ == "__main__":
    main()
