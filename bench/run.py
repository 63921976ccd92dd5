"""Benchmarks: Rebound against a floor and a naive peer in the same run, on loopback, bounded.

Starts, on fresh databases, `uvicorn app.main:app` (one worker) and two reference apps kept here:

- the floor (bench/floor.py): FastAPI validating the same rejection body, writing nothing;
- the naive peer (bench/peer.py): the same body stored as one row per request the way the FastAPI
  tutorial teaches, in its own table and database, plus a naive `GET` of 50 rows.

Each server is pinned to CPU 0 and wrk (and this script) to CPU 1 when `taskset` exists. wrk
measures throughput and p50/p99 at 32 connections for a fixed time per scenario. Then it times
batches, reads a deep page of a seeker with a large history loaded with plain SQL, and reads the
worker's RSS after 5,000 and 50,000 requests. It prints a table of every target (met or missed)
and writes `bench/results/latest.json` (and `latest-<database>.json`).

Usage: `make bench`, or `python bench/run.py --database postgresql --seconds 10` (needs `wrk`;
PostgreSQL at 127.0.0.1:5432 as `postgres` with trust auth: fresh databases are created and dropped
per run). `bench/profile_post.py` then shows where a POST's time goes.
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CONNECTIONS = 32
TIMES = "\u00d7"  # the multiplication sign
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
# One rejection as an ATS sends it; the floor, the peer and Rebound all get this very body.
REJECTION = {
    "company": "Acme",
    "role": "Data Analyst",
    "stage": "interview",
    "reason": "lacks_skills",
    "missing_skills": ["dbt", "airflow"],
    "mood": 3,
    "source": "greenhouse",
}
# A rejection that fires most recommendations: used to give one seeker 50 (done) next steps.
RICH = {
    "company": "Umbrella",
    "role": "Analyst",
    "stage": "final_round",
    "reason": "other_candidate",
    "missing_skills": ["dbt"],
    "mood": 1,
}
POST_SEEKERS = 200  # the POST scenario spreads its load over this many seekers, round robin
RSS_FIRST, RSS_SECOND = 5_000, 50_000
DEEP_MAX, DEEP_MIN = 1_000_000, 100_000
TWO_CPUS = shutil.which("taskset") is not None and (os.cpu_count() or 1) > 1


@dataclass
class Run:
    """One wrk run: throughput, latency (ms) and errors."""

    name: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int] = field(default_factory=dict)


@dataclass
class Target:
    """One row of the issue's table."""

    measurement: str
    rebound: str
    reference: str
    value: float
    unit: str
    target: str
    met: bool
    gap: float  # how many times better the value must get to meet the target (< 1: met)
    note: str = ""


# --- processes and databases --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(module: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """`uvicorn module` on a free port, pinned to CPU 0; waits for /livez."""
    port = _free_port()
    pin = ["taskset", "-c", "0"] if TWO_CPUS else []
    args = [sys.executable, "-m", "uvicorn", "--no-access-log", "--log-level", "warning"]
    proc = subprocess.Popen(
        [*pin, *args, "--port", str(port), module],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{module} exited with {proc.returncode} before serving")
        try:
            httpx.get(f"{base}/livez", timeout=1)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"{module} did not start")


def _psql(sql: str) -> None:
    subprocess.run(
        [
            *("psql", "-q", "-h", PG["host"], "-p", PG["port"], "-U", PG["user"]),
            *("-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql),
        ],
        check=True,
        capture_output=True,
    )


@contextmanager
def _databases(kind: str) -> Iterator[tuple[str, str, str]]:
    """Fresh databases for Rebound and the peer: (rebound URL, peer URL, raw DSN for loading)."""
    if kind == "sqlite":
        tmp = Path(tempfile.mkdtemp(prefix="rebound-bench-"))
        try:
            yield f"sqlite:///{tmp / 'rebound.db'}", f"sqlite:///{tmp / 'peer.db'}", ""
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return
    if not shutil.which("psql"):
        raise SystemExit("psql is needed for --database postgresql")
    stamp = f"{int(time.time())}_{os.getpid()}"
    names = [f"rebound_bench_{stamp}", f"rebound_bench_peer_{stamp}"]
    for name in names:
        _psql(f'CREATE DATABASE "{name}"')
    server = f"{PG['user']}@{PG['host']}:{PG['port']}"
    try:
        yield (
            f"postgresql+psycopg://{server}/{names[0]}",
            f"postgresql+psycopg://{server}/{names[1]}",
            f"postgresql://{server}/{names[0]}",
        )
    finally:
        for name in names:
            _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _setup_rebound(env: dict[str, str]) -> str:
    """Migrate Rebound's database and create a tenant with an all-scopes key; returns the key."""
    subprocess.run(
        [sys.executable, "-m", "app.cli", "db", "upgrade"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    script = (
        "from app.core.db import new_session\n"
        "from app.tenant import service as s\n"
        "from app.tenant.models import Scope\n"
        "with new_session(write=True) as db:\n"
        "    t = s.create_tenant(db, name='bench')\n"
        "    k = s.create_key(db, tenant=t, name='bench', scopes=[Scope.ALL])\n"
        "    db.commit()\n"
        "print(k.secret)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True
    )
    return out.stdout.decode().strip().splitlines()[-1]


def _memory_mib(pid: int) -> dict[str, float]:
    """VmRSS of a process and its parts (anonymous, file-backed, shared memory), in MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    found = dict(re.findall(r"^(VmRSS|RssAnon|RssFile|RssShmem):\s+(\d+) kB", status, re.M))
    return {key: int(value) / 1024 for key, value in found.items()}


def _mapped(parts: dict[str, float]) -> float:
    return parts.get("RssFile", 0) + parts.get("RssShmem", 0)


# --- wrk ----------------------------------------------------------------------------------------


def _wrk(
    name: str,
    base: str,
    paths: list[str],
    seconds: float,
    *,
    headers: dict[str, str] | None = None,
    body: dict[str, object] | None = None,
) -> Run:
    """One wrk run at 32 connections (pinned to CPU 1), round robin over `paths`."""
    lines = [f'wrk.method = "{"POST" if body is not None else "GET"}"']
    if body is not None:
        lines.append(f"wrk.body = [[{json.dumps(body)}]]")
        lines.append('wrk.headers["Content-Type"] = "application/json"')
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in (headers or {}).items()]
    if len(paths) > 1:
        listed = ", ".join(f'"{p}"' for p in paths)
        lines.append(
            f"local paths = {{{listed}}}\nlocal i = 0\n"
            "request = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend"
        )
    lines.append(
        "done = function(s, lat, req)\n"
        '  io.write(string.format("RESULT %d %d %.1f %.1f %.1f %.1f %d %d %d %d %d\\n",'
        " s.requests, s.duration, lat:percentile(50), lat:percentile(90), lat:percentile(99),"
        " lat.max, s.errors.connect, s.errors.read, s.errors.write, s.errors.status,"
        " s.errors.timeout))\n"
        "end"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n")
    pin = ["taskset", "-c", "1"] if TWO_CPUS else []
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "30s"]
    try:
        out = subprocess.run(
            [*pin, *command, "-s", script.name, base + paths[0]],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    if "RESULT " not in out:
        raise SystemExit(f"wrk printed no result for {name}:\n{out}")
    values = out.split("RESULT ")[1].split()
    requests, micros = int(values[0]), int(values[1])
    p50, p90, p99, worst = (float(v) / 1000 for v in values[2:6])
    kinds = ("connect", "read", "write", "status", "timeout")
    errors = {k: int(v) for k, v in zip(kinds, values[6:11], strict=True) if int(v)}
    run = Run(name, requests, micros / 1e6, requests / (micros / 1e6), p50, p90, p99, worst, errors)
    flag = f"  ERRORS {errors}" if errors else ""
    print(f"  {name}: {run.rps:,.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms{flag}", flush=True)
    return run


# --- setup through the API ----------------------------------------------------------------------


def _created(response: httpx.Response) -> dict[str, Any]:
    if response.status_code not in (200, 201):
        raise SystemExit(f"{response.request.method} {response.request.url}: {response.text}")
    data: dict[str, Any] = response.json()
    return data


def _seekers(client: httpx.Client, count: int) -> list[str]:
    """Create `count` seekers, eight requests at a time."""

    def one(_: int) -> str:
        return str(_created(client.post("/v1/seekers", json={"display_name": "B"}))["id"])

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


def _fifty_done_steps(client: httpx.Client, sid: str) -> int:
    """Give a seeker 50 done next steps: rich rejections, each open step then marked done.

    There are ten recommendations and at most one active step per recommendation, but a done
    step leaves room for a new one, so history accumulates. Returns how many are done.
    """
    done = 0
    for round_ in range(12):
        _created(client.post(f"/v1/seekers/{sid}/rejections", json={**RICH, "role": f"R{round_}"}))
        page = _created(client.get(f"/v1/seekers/{sid}/next-steps", params={"limit": 200}))
        for step in page["data"]:
            response = client.patch(f"/v1/next-steps/{step['id']}", json={"status": "done"})
            done += response.status_code == 200
        if done >= 50:
            break
    return done


def _load_history(dsn: str, db_url: str, sid: str, budget: float) -> tuple[int, float]:
    """Insert as many rejections for one seeker as fit in about a minute (plain SQL INSERTs into
    the migrated schema, 20,000 to a transaction), at least 100,000 and at most 1,000,000."""
    from app.core.ids import new_id

    columns = (
        "id, tenant_id, seeker_id, company, role, stage, ended_by, reason, missing_skills, mood,"
        " source, occurred_at, created_at"
    )
    sqlite = db_url.startswith("sqlite")
    if sqlite:
        import sqlite3

        conn: Any = sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=30)
        mark = "?"
    else:
        import psycopg

        conn = psycopg.connect(dsn, autocommit=True)  # each chunk is a transaction() of its own
        mark = "%s"
    statement = f"INSERT INTO rejection ({columns}) VALUES ({', '.join([mark] * 13)})"  # noqa: S608
    owner = f"SELECT tenant_id FROM seeker WHERE id = {mark}"  # noqa: S608 - a placeholder
    tenant = conn.execute(owner, (sid,)).fetchone()[0]
    stages = ["application_review", "phone_screen", "interview", "final_round"]
    start = datetime.now(UTC) - timedelta(minutes=DEEP_MAX + 10)
    skills = '["sql"]'
    if not sqlite:
        from psycopg.types.json import Json

        skills = Json(["sql"])  # type: ignore[assignment]
    loaded, started = 0, time.perf_counter()
    while loaded < DEEP_MAX:
        rows = []
        for i in range(loaded, loaded + 20_000):
            at = start + timedelta(minutes=i)
            stamp: Any = at.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else at
            stage = stages[i % 4]
            rows.append(
                (
                    *(new_id("rej"), tenant, sid, f"Company {i % 997}", "Analyst", stage),
                    *("employer", "other_candidate", skills, 3, "bench", stamp, stamp),
                )
            )
        if sqlite:
            with conn:
                conn.executemany(statement, rows)
        else:
            with conn.transaction(), conn.cursor() as cursor:
                cursor.executemany(statement, rows)
        loaded += len(rows)
        if loaded >= DEEP_MIN and time.perf_counter() - started > budget:
            break
    if sqlite:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        conn.execute("ANALYZE rejection")  # what autovacuum would do a moment later
    conn.close()
    return loaded, time.perf_counter() - started


def _deep_cursor(dsn: str, db_url: str, sid: str, offset: int) -> str:
    """A signed cursor `offset` rows from the oldest end of the seeker's list (newest first).

    The cursor is made with the server's own code and secret, exactly as the server would hand it
    out after walking that far.
    """
    from app.core.config import get_settings
    from app.core.pagination import encode_cursor

    query = "SELECT id FROM rejection WHERE seeker_id = {0} ORDER BY id LIMIT 1 OFFSET {0}"
    if db_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
            row = conn.execute(query.format("?"), (sid, offset)).fetchone()
    else:
        import psycopg

        with psycopg.connect(dsn) as conn:
            row = conn.execute(query.format("%s"), (sid, offset)).fetchone()
    get_settings.cache_clear()  # picks up REBOUND_CURSOR_SECRET from this process's environment
    return encode_cursor(str(row[0]), f"rejections:{sid}")


def _batch_rate(client: httpx.Client, seekers_per_batch: int, rounds: int = 3) -> list[float]:
    """Seconds per 500-item batch over `seekers_per_batch` fresh seekers, `rounds` times."""
    times = []
    for _ in range(rounds):
        sids = _seekers(client, seekers_per_batch)
        items = [{**REJECTION, "seeker_id": sids[i % len(sids)]} for i in range(500)]
        started = time.perf_counter()
        response = client.post("/v1/rejections/batch", json={"items": items}, timeout=120)
        times.append(time.perf_counter() - started)
        assert response.json()["created"] == 500, response.text[:500]
    return times


def _served(client: httpx.Client) -> int:
    """Requests the server has answered so far (its own counter, /metrics included)."""
    text = client.get("/metrics").text
    return int(
        sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("rebound_http_requests_total{")
        )
    )


def _serve_until(client: httpx.Client, total: int, run: Callable[[float], Run]) -> int:
    """Send GETs with wrk until the server has answered `total` requests; returns the count."""
    served = _served(client)
    rate = 0.0
    while served < total:
        seconds = 2.0 if rate == 0 else max(1.0, (total - served) / rate)
        rate = run(seconds).rps
        served = _served(client)
    return served


# --- the engine alone ---------------------------------------------------------------------------


def _engine_cost(events: int = 2000) -> str:
    """The pure engine's cost per event: every rule of the catalog over varied contexts."""
    import random

    from app.rules.base import scenario
    from app.rules.context import Window
    from app.rules.engine import evaluate
    from app.rules.registry import get_registry

    rng = random.Random(7)
    stages = ["application_review", "phone_screen", "interview", "final_round", "offer"]
    reasons = ["lacks_skills", "other_candidate", "experience_level", "unspecified"]
    contexts = [
        scenario(
            stage=rng.choice(stages),
            reason=rng.choice(reasons),
            mood=rng.choice([None, 1, 3, 5]),
            missing_skills=rng.sample(["sql", "dbt", "python"], rng.randint(0, 2)),
            windows={
                d: Window(total=rng.randint(1, 12), cold_screening=rng.randint(0, 6))
                for d in (7, 14, 30, 60, 90, 365)
            },
            missing_skills_90={"dbt": rng.randint(0, 3)},
            days_since_last_application=rng.choice([None, 1, 9]),
        )
        for _ in range(events)
    ]
    registry = get_registry()
    started = time.perf_counter()
    produced = sum(len(evaluate(registry, ctx)) for ctx in contexts)
    elapsed = time.perf_counter() - started
    return (
        f"rule engine alone: {elapsed / events * 1e6:,.0f} µs per event "
        f"({len(registry.rules)} rules, {produced / events:.1f} steps per event)"
    )


# --- the run ------------------------------------------------------------------------------------


def _target(
    measurement: str,
    rebound: str,
    reference: str,
    value: float,
    unit: str,
    threshold: float,
    *,
    at_least: bool,
    note: str = "",
) -> Target:
    """A row: met when `value` is at least (or at most) `threshold`; `gap` is how far off."""
    met = value >= threshold if at_least else value <= threshold
    gap = threshold / value if at_least else value / threshold
    number = f"{threshold:.2f}".rstrip("0")  # 1.0, 0.35, 1.3
    number += "0" if number.endswith(".") else ""
    shown = f"{threshold:,.0f}/s" if unit == "rejections/s" else f"{number}{unit}"
    if unit == "ms":
        shown = f"{threshold:g} ms"
    target = f"{'≥' if at_least else '≤'} {shown}"
    return Target(measurement, rebound, reference, value, unit, target, met, gap, note)


def _targets(
    runs: dict[str, Run],
    batches: dict[str, list[float]],
    rss: dict[str, Any],
    list_note: str,
    deep: dict[str, Any],
) -> list[Target]:
    post, peer, floor = runs["rebound_post"], runs["peer_post"], runs["floor_post"]
    listing, peer_list = runs["rebound_list50"], runs["peer_list50"]
    first, deep_run = runs["rejections_first_page"], runs["rejections_deep_page"]
    rows = [
        _target(
            "POST /v1/seekers/{id}/rejections vs the naive peer's one-row insert",
            f"{post.rps:,.0f} req/s",
            f"{peer.rps:,.0f} req/s",
            post.rps / peer.rps,
            TIMES,
            1.0,
            at_least=True,
        ),
        _target(
            "the same vs the floor (validation only)",
            f"{post.rps:,.0f} req/s",
            f"{floor.rps:,.0f} req/s",
            post.rps / floor.rps,
            TIMES,
            0.35,
            at_least=True,
            note=f"the naive peer itself is at {peer.rps / floor.rps:.3f}{TIMES} the floor",
        ),
        _target(
            f"{listing.name} vs a naive SQLModel list of 50 rows",
            f"{listing.rps:,.0f} req/s",
            f"{peer_list.rps:,.0f} req/s",
            listing.rps / peer_list.rps,
            TIMES,
            1.0,
            at_least=True,
            note=list_note,
        ),
        _target(
            f"list page deep into {deep['rows']:,} rejections vs the first page (p50)",
            f"{deep_run.p50_ms:.1f} ms",
            f"{first.p50_ms:.1f} ms",
            deep_run.p50_ms / first.p50_ms,
            TIMES,
            1.3,
            at_least=False,
            note=f"row {deep['offset']:,} from the oldest end "
            f"(page ~{deep['page']:,} of {deep['rows'] // 50:,}); "
            f"{deep['rows']:,} rows loaded with plain INSERTs in {deep['load_seconds']:.0f} s; "
            f"p99 {deep_run.p99_ms:.1f} vs {first.p99_ms:.1f} ms",
        ),
    ]
    for key, label in (("50", "50 seekers"), ("500", "500 seekers")):
        seconds = statistics.median(batches[key])
        rows.append(
            _target(
                f"POST /v1/rejections/batch, 500 items over {label}, rules included",
                f"{seconds * 1000:,.0f} ms per batch",
                "",
                500 / seconds,
                "rejections/s",
                5000,
                at_least=True,
                note=f"median of {len(batches[key])} batches, each over fresh seekers",
            )
        )
    first_parts, second_parts = rss["first_parts_mib"], rss["second_parts_mib"]
    rows += [
        _target(
            "p99 at 32 connections, POST rejection",
            f"{post.p99_ms:.1f} ms",
            "",
            post.p99_ms,
            "ms",
            100,
            at_least=False,
            note=f"p50 {post.p50_ms:.1f} ms",
        ),
        _target(
            f"worker RSS after {rss['served_second']:,} requests vs after {rss['served_first']:,}",
            f"{rss['second_mib']:.1f} MiB",
            f"{rss['first_mib']:.1f} MiB",
            rss["second_mib"] / rss["first_mib"],
            TIMES,
            1.1,
            at_least=False,
            note="VmRSS; the first reading after set-up and a warm-up (1 s of each measured "
            "Rebound route at 32 connections, one batch of each shape) topped up with GETs, the "
            "second after every scenario topped up with GETs; anonymous memory "
            f"{first_parts.get('RssAnon', 0):.1f} -> {second_parts.get('RssAnon', 0):.1f} MiB, "
            f"file-backed and shared {_mapped(first_parts):.1f} -> {_mapped(second_parts):.1f} MiB",
        ),
    ]
    return rows


def main() -> None:
    """Run every scenario, print the tables and write bench/results/latest.json."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=10, help="per wrk scenario")
    parser.add_argument(
        "--load-seconds", type=float, default=60, help="budget for loading the long history"
    )
    opts = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    if TWO_CPUS:
        os.sched_setaffinity(0, {1})  # this script is a client too: keep it off the server's core
    started_at = datetime.now(UTC)
    sys.path.insert(0, str(ROOT))
    print(_engine_cost(), "\n", flush=True)
    with _databases(opts.database) as (rebound_url, peer_url, dsn):
        os.environ["REBOUND_CURSOR_SECRET"] = secrets.token_urlsafe(24)
        env = {
            **os.environ,
            "REBOUND_DATABASE_URL": rebound_url,
            "REBOUND_ENVIRONMENT": "test",
            "REBOUND_LOG_LEVEL": "WARNING",
            "REBOUND_RATE_LIMIT": "1000000/second",
            "REBOUND_SWEEP_INTERVAL_SECONDS": "0",
            "REBOUND_WEBHOOK_WORKER_IN_PROCESS": "false",
            "PEER_DATABASE_URL": peer_url,
        }
        secret = _setup_rebound(env)
        servers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
        try:
            for name, module in (
                ("rebound", "app.main:app"),
                ("floor", "bench.floor:app"),
                ("peer", "bench.peer:app"),
            ):
                servers[name] = _start(module, env)
            bench = Bench(opts, servers, secret, dsn, rebound_url)
            bench.run()
        finally:
            for proc, _base in servers.values():
                proc.terminate()
                proc.wait(timeout=15)
    targets = _targets(bench.runs, bench.batches, bench.rss, bench.list_note, bench.deep)
    _report(opts, started_at, bench, targets)


class Bench:
    """The scenarios, in order, against servers already started."""

    def __init__(
        self,
        opts: argparse.Namespace,
        servers: dict[str, tuple[subprocess.Popen[bytes], str]],
        secret: str,
        dsn: str,
        db_url: str,
    ) -> None:
        self.opts, self.dsn, self.db_url = opts, dsn, db_url
        self.pid = servers["rebound"][0].pid
        self.rebound, self.floor, self.peer = (servers[k][1] for k in ("rebound", "floor", "peer"))
        self.auth = {"Authorization": f"Bearer {secret}"}
        self.client = httpx.Client(base_url=self.rebound, headers=self.auth, timeout=60)
        self.runs: dict[str, Run] = {}
        self.timeline: list[dict[str, Any]] = []
        self.rss: dict[str, Any] = {}
        self.deep: dict[str, Any] = {}
        self.batches: dict[str, list[float]] = {}
        self.list_note = ""
        self.seeker_get = ""

    def _note(self, after: str) -> None:
        """Where the worker's memory stands after a phase (the RSS row's story)."""
        self.timeline.append(
            {"after": after, "served": _served(self.client), **_memory_mib(self.pid)}
        )

    def _rebound(self, key: str, name: str, paths: list[str], **kw: Any) -> None:
        self.runs[key] = _wrk(name, self.rebound, paths, self.opts.seconds, headers=self.auth, **kw)
        self._note(name)

    def _volume(self, seconds: float) -> Run:
        return _wrk(
            "GET /v1/seekers/{id} (volume)",
            self.rebound,
            [self.seeker_get],
            seconds,
            headers=self.auth,
        )

    def run(self) -> None:
        """Set-up and warm-up, the first RSS reading, the scenarios, the second reading."""
        client, auth, seconds = self.client, self.auth, self.opts.seconds
        print(f"set-up on {self.opts.database}: seekers, 50 done steps, warm-up", flush=True)
        post_sids = _seekers(client, POST_SEEKERS)
        post_paths = [f"/v1/seekers/{s}/rejections" for s in post_sids]
        self.seeker_get = f"/v1/seekers/{post_sids[-1]}"
        ns_sid = _seekers(client, 1)[0]
        done_steps = _fifty_done_steps(client, ns_sid)
        if done_steps >= 50:
            list_name = "GET /v1/seekers/{id}/next-steps?status=done (50 items)"
            list_path = f"/v1/seekers/{ns_sid}/next-steps?status=done&limit=50"
            self.list_note = (
                "50 steps exist as history: each round's open steps were marked done "
                f"({done_steps} done steps over 10 recommendations)"
            )
        else:
            list_name = "GET /v1/seekers/{id}/rejections?limit=50 (50 items)"
            list_path = f"/v1/seekers/{ns_sid}/rejections?limit=50"
            self.list_note = "fewer than 50 next steps could be made; rejections listed instead"
        for _ in range(50):
            httpx.post(f"{self.peer}/rejections", json=REJECTION).raise_for_status()
        # Warm-up: each measured route at full concurrency and a batch of each shape, so the
        # first RSS reading is of a worker that has seen the whole workload once; growth after
        # it is what a leak would show.
        _wrk("warm-up POST", self.rebound, post_paths, 1, headers=auth, body=REJECTION)
        _wrk("warm-up list", self.rebound, [list_path], 1, headers=auth)
        _wrk("warm-up list", self.rebound, [f"/v1/seekers/{ns_sid}/rejections"], 1, headers=auth)
        _batch_rate(client, 50, rounds=1)
        _batch_rate(client, 500, rounds=1)
        served_first = _serve_until(client, RSS_FIRST, self._volume)
        memory_first = _memory_mib(self.pid)
        self._note("set-up and warm-up, topped up to 5,000 requests")

        print("loading a long history with plain SQL INSERTs", flush=True)
        deep_sid = _seekers(client, 1)[0]
        rows, load_seconds = _load_history(self.dsn, self.db_url, deep_sid, self.opts.load_seconds)
        offset = rows // 10
        deep_cursor = _deep_cursor(self.dsn, self.db_url, deep_sid, offset)
        deep_path = f"/v1/seekers/{deep_sid}/rejections?limit=50"
        check = client.get(f"{deep_path}&cursor={deep_cursor}")
        assert len(_created(check)["data"]) == 50, check.text[:300]
        page = (rows - offset) // 50 + 1
        self.deep = {"rows": rows, "load_seconds": load_seconds, "offset": offset, "page": page}
        print(f"  {rows:,} rows in {load_seconds:.0f} s", flush=True)
        self._note("loading the long history (outside the server)")

        print(f"wrk: {CONNECTIONS} connections, {seconds:g} s per scenario", flush=True)
        self.runs["floor_post"] = _wrk(
            "floor POST", self.floor, ["/rejections"], seconds, body=REJECTION
        )
        self.runs["peer_post"] = _wrk(
            "peer POST", self.peer, ["/rejections"], seconds, body=REJECTION
        )
        self._rebound(
            "rebound_post", "POST /v1/seekers/{id}/rejections", post_paths, body=REJECTION
        )
        self.runs["peer_list50"] = _wrk(
            "peer GET 50 rows", self.peer, ["/rejections?limit=50"], seconds
        )
        self._rebound("rebound_list50", list_name, [list_path])
        self._rebound("rejections_first_page", "GET rejections?limit=50, first page", [deep_path])
        self._rebound(
            "rejections_deep_page",
            f"GET rejections?limit=50, page ~{page:,}",
            [f"{deep_path}&cursor={deep_cursor}"],
        )

        print("batches: 3 x 500 items over 50 seekers, then over 500", flush=True)
        self.batches = {"50": _batch_rate(client, 50), "500": _batch_rate(client, 500)}
        self._note("the batches")

        served_second = _serve_until(client, RSS_SECOND, self._volume)
        memory_second = _memory_mib(self.pid)
        self._note("topped up to 50,000 requests")
        client.close()
        self.rss = {
            "served_first": served_first,
            "first_mib": memory_first["VmRSS"],
            "served_second": served_second,
            "second_mib": memory_second["VmRSS"],
            "first_parts_mib": memory_first,
            "second_parts_mib": memory_second,
            "timeline": self.timeline,
        }


def _report(
    opts: argparse.Namespace, started_at: datetime, bench: Bench, targets: list[Target]
) -> None:
    runs, rss = bench.runs, bench.rss
    print(f"\n{opts.database}: wrk, {CONNECTIONS} connections, {opts.seconds:g} s per scenario\n")
    print("| scenario | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|")
    for run in runs.values():
        errors = ", ".join(f"{k} {v}" for k, v in run.errors.items()) or "0"
        print(f"| {run.name} | {run.rps:,.0f} | {run.p50_ms:.1f} | {run.p99_ms:.1f} | {errors} |")
    print("\n| measurement | Rebound | reference | result | target | |\n|---|---|---|---|---|---|")
    for t in targets:
        value = f"{t.value:,.0f}/s" if t.unit == "rejections/s" else f"{t.value:.2f}{t.unit}"
        if t.unit == TIMES and t.value < 0.1:
            value = f"{t.value:.3f}{t.unit}"
        if t.unit == "ms":
            value = f"{t.value:.1f} ms"
        gap = f"{t.gap:.2f}" if t.gap < 2 else f"{t.gap:.1f}"
        verdict = "met" if t.met else f"**missed** ({gap}{TIMES} off)"
        print(
            f"| {t.measurement} | {t.rebound} | {t.reference} | {value} | {t.target} | {verdict} |"
        )
    print()
    for t in targets:
        if t.note:
            print(f"- {t.measurement}: {t.note}")
    print("\nworker memory (MiB) by phase: VmRSS (anonymous)")
    for mark in rss["timeline"]:
        print(
            f"  {mark['served']:>7,} requests  {mark['VmRSS']:6.1f} ({mark.get('RssAnon', 0):6.1f})"
            f"  after {mark['after']}"
        )
    elapsed = (datetime.now(UTC) - started_at).total_seconds()
    document = {
        "database": opts.database,
        "started_at": started_at.isoformat(),
        "elapsed_seconds": round(elapsed, 1),
        "seconds_per_scenario": opts.seconds,
        "connections": CONNECTIONS,
        "machine": {
            "cpus": os.cpu_count(),
            "pinned": TWO_CPUS,
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "body": REJECTION,
        "scenarios": {key: asdict(run) for key, run in runs.items()},
        "batches_seconds": bench.batches,
        "rss": rss,
        "deep_list": bench.deep,
        "list_note": bench.list_note,
        "targets": [asdict(t) for t in targets],
        "met": sum(t.met for t in targets),
        "missed": sum(not t.met for t in targets),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    (RESULTS / "latest.json").write_text(text)
    (RESULTS / f"latest-{opts.database}.json").write_text(text)
    print(f"\nwrote {RESULTS / 'latest.json'} and latest-{opts.database}.json ({elapsed:.0f} s)")


if __name__ == "__main__":
    main()
