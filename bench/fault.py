"""`make fault-test`: load on two app processes over PostgreSQL, a database restart and a killed
process in the middle; every write that was acknowledged must be in the database afterwards.

Loopback only, bounded: `--seconds` of load (default 60) from `--threads` clients (default 8)
posting rejections with unique external ids to two `uvicorn` processes in turn. At 30% of the run
PostgreSQL is restarted (fast stop, a few seconds down, start); at 65% one app process is killed
with SIGKILL. Then it checks, straight in the database, that every rejection answered 200/201 is
stored and supports at least one next step, and prints a summary. It exits non-zero when an
acknowledged write is missing, when any answer was a 5xx other than 503 (503 problem+json is
the expected answer while the database is down), when a request hung past the client timeout,
or when the API took more than 5 s to recover after PostgreSQL came back.

It restarts the machine's PostgreSQL cluster: run it when nothing else needs the database.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
CLIENT_TIMEOUT = 10.0
RECOVERY_LIMIT = 5.0
SEEKERS = 20


@dataclass
class Outcome:
    """One request the load sent."""

    at: float
    server: int
    external_id: str
    status: int | None  # None: no HTTP answer (connection refused or reset)
    rejection_id: str | None = None
    problem: bool = False
    timed_out: bool = False
    answered: float = 0.0  # when the answer (or the failure) came, seconds since the start


@dataclass
class Timeline:
    """When the faults happened (seconds since the load started)."""

    db_down: float | None = None
    db_up: float | None = None
    killed: float | None = None
    events: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _psql(sql: str, database: str = "postgres") -> str:
    env = {**os.environ, "PGHOST": PG["host"], "PGPORT": PG["port"], "PGUSER": PG["user"]}
    done = subprocess.run(
        ["psql", "-X", "-q", "-t", "-A", "-d", database, "-c", sql],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def _cluster(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    extra = ["-m", "fast"] if action == "stop" else []
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action, *extra],
        check=True,
        capture_output=True,
    )


def _wait_for_postgres(limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready = subprocess.run(["pg_isready", "-q", "-h", PG["host"], "-p", PG["port"]])
        if ready.returncode == 0:
            return
        time.sleep(0.2)
    raise SystemExit("PostgreSQL did not come back")


def _start(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port), "--no-access-log"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/livez", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"the app on port {port} did not start")


def _load(
    bases: list[str],
    alive: list[bool],
    auth: dict[str, str],
    seekers: list[str],
    stop_at: float,
    started: float,
    worker: int,
    out: list[Outcome],
) -> None:
    with httpx.Client(timeout=CLIENT_TIMEOUT, headers=auth) as client:
        i = 0
        while time.monotonic() < stop_at:
            i += 1
            server = (worker + i) % len(bases)
            if not alive[server]:
                server = next((n for n, up in enumerate(alive) if up), 0)
            external_id = f"fault-{worker}-{i}-{uuid.uuid4().hex[:8]}"
            body = {
                "company": "Acme",
                "role": "Analyst",
                "stage": "interview",
                "source": "fault-test",
                "external_id": external_id,
                "mood": 3,
            }
            outcome = Outcome(time.monotonic() - started, server, external_id, None)
            try:
                seeker = seekers[i % len(seekers)]
                response = client.post(f"{bases[server]}/v1/seekers/{seeker}/rejections", json=body)
                outcome.status = response.status_code
                outcome.problem = response.headers.get("content-type", "").startswith(
                    "application/problem+json"
                )
                if response.status_code in (200, 201):
                    outcome.rejection_id = response.json()["id"]
            except httpx.TimeoutException:
                outcome.timed_out = True
            except httpx.TransportError:
                time.sleep(0.05)  # refused or reset: nothing was acknowledged
            outcome.answered = time.monotonic() - started
            out.append(outcome)


def main() -> None:
    """Run the load with its faults, check the database, print the summary."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--threads", type=int, default=8)
    opts = parser.parse_args()

    database = f"rebound_fault_{os.getpid()}"
    _psql(f'CREATE DATABASE "{database}"')
    url = f"postgresql+psycopg://{PG['user']}@{PG['host']}:{PG['port']}/{database}"
    env = {
        **os.environ,
        "REBOUND_DATABASE_URL": url,
        "REBOUND_ENVIRONMENT": "test",
        "REBOUND_LOG_LEVEL": "ERROR",
        "REBOUND_RATE_LIMIT": "1000000/second",
        "REBOUND_SWEEP_INTERVAL_SECONDS": "0",
        "REBOUND_WEBHOOK_WORKER_IN_PROCESS": "false",
        "REBOUND_DATABASE_POOL_SIZE": "5",
    }
    servers: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run(
            [sys.executable, "-m", "app.cli", "db", "upgrade"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        make_key = (
            "from app.core.db import new_session\n"
            "from app.tenant import service as s\n"
            "from app.tenant.models import Scope\n"
            "with new_session(write=True) as db:\n"
            "    t = s.create_tenant(db, name='fault')\n"
            "    k = s.create_key(db, tenant=t, name='fault', scopes=[Scope.ALL])\n"
            "    db.commit()\n"
            "print(k.secret)\n"
        )
        secret = (
            subprocess.run(
                [sys.executable, "-c", make_key], env=env, cwd=ROOT, check=True, capture_output=True
            )
            .stdout.decode()
            .strip()
        )
        auth = {"Authorization": f"Bearer {secret}"}
        ports = [_free_port(), _free_port()]
        servers = [_start(env, port) for port in ports]
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        seekers = [
            httpx.post(f"{bases[0]}/v1/seekers", json={}, headers=auth).json()["id"]
            for _ in range(SEEKERS)
        ]

        alive = [True, True]
        outcomes: list[Outcome] = []
        timeline = Timeline()
        started = time.monotonic()
        stop_at = started + opts.seconds
        threads = [
            threading.Thread(
                target=_load,
                args=(bases, alive, auth, seekers, stop_at, started, n, outcomes),
                daemon=True,
            )
            for n in range(opts.threads)
        ]
        for thread in threads:
            thread.start()

        time.sleep(opts.seconds * 0.3)
        timeline.db_down = time.monotonic() - started
        _cluster("stop")
        time.sleep(3)
        _cluster("start")
        _wait_for_postgres()
        timeline.db_up = time.monotonic() - started

        time.sleep(max(0.0, started + opts.seconds * 0.65 - time.monotonic()))
        alive[1] = False
        servers[1].send_signal(signal.SIGKILL)
        timeline.killed = time.monotonic() - started

        for thread in threads:
            thread.join(timeout=opts.seconds + CLIENT_TIMEOUT + 5)
        summary, failed = _check(database, outcomes, timeline)
        print(json.dumps(summary, indent=2))
        if failed:
            raise SystemExit(1)
    finally:
        for proc in servers:
            proc.kill()
            proc.wait(timeout=15)
        _wait_for_postgres()
        _psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _check(
    database: str, outcomes: list[Outcome], timeline: Timeline
) -> tuple[dict[str, object], bool]:
    acknowledged = [o for o in outcomes if o.status in (200, 201) and o.rejection_id]
    stored = set(
        _psql(
            "SELECT id FROM rejection WHERE source = 'fault-test' AND EXISTS "
            "(SELECT 1 FROM next_step s WHERE s.rejection_ids::jsonb ? rejection.id)",
            database,
        ).split()
    )
    missing = [o.external_id for o in acknowledged if o.rejection_id not in stored]
    stored_ids = set(
        _psql("SELECT external_id FROM rejection WHERE source = 'fault-test'", database).split()
    )
    saved_despite_503 = [o for o in outcomes if o.status == 503 and o.external_id in stored_ids]
    unexpected = [
        o for o in outcomes if o.status is not None and o.status >= 500 and o.status != 503
    ]
    not_problem = [o for o in outcomes if o.status == 503 and not o.problem]
    hung = [o for o in outcomes if o.timed_out]
    assert timeline.db_up is not None
    assert timeline.killed is not None
    recovered = min(
        (o.answered for o in acknowledged if o.answered >= timeline.db_up), default=None
    )
    recovery = None if recovered is None else round(recovered - timeline.db_up, 2)
    after_kill = [o for o in acknowledged if o.at > timeline.killed]
    summary: dict[str, object] = {
        "requests": len(outcomes),
        "acknowledged": len(acknowledged),
        "answered_503": sum(o.status == 503 for o in outcomes),
        "unexpected_5xx": len(unexpected),
        "503_not_problem_json": len(not_problem),
        "no_answer": sum(o.status is None and not o.timed_out for o in outcomes),
        "timed_out": len(hung),
        "missing_acknowledged_rows": len(missing),
        "stored_though_answered_503": len(saved_despite_503),  # possible: the 503 says "may"
        "database_down_at_s": round(timeline.db_down or 0, 2),
        "database_up_at_s": round(timeline.db_up, 2),
        "recovered_after_s": recovery,
        "process_killed_at_s": round(timeline.killed, 2),
        "acknowledged_after_kill": len(after_kill),
    }
    failed = bool(
        missing
        or unexpected
        or not_problem
        or hung
        or recovery is None
        or recovery > RECOVERY_LIMIT
        or not after_kill
    )
    summary["result"] = "FAILED" if failed else "passed"
    return summary, failed


if __name__ == "__main__":
    main()
