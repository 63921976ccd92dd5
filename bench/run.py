"""Benchmarks: Rebound against bare baselines in the same run, on loopback, bounded in count.

Starts `uvicorn app.main:app` (one worker, SQLite in a temporary directory) and the raw-ASGI
baseline (bench/baseline.py), pins each server to CPU 0 when `taskset` exists (the client runs on
the other core), sends a fixed number of requests at a fixed concurrency, and prints a table of
requests per second and latency percentiles. Usage: `make bench` or `python bench/run.py`.
"""

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
REJECTION = {"company": "Acme", "role": "Data Analyst", "stage": "interview", "mood": 3}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []
    proc = subprocess.Popen(
        [*pin, *args], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/livez", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"server on port {port} did not start")


async def _load(
    make: Callable[[int], tuple[str, str, dict[str, object] | None]],
    base: str,
    headers: dict[str, str],
    total: int,
    concurrency: int,
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits) as client:

        async def worker() -> None:
            for i in counter:
                method, url, body = make(i)
                started = time.perf_counter()
                response = await client.request(method, url, json=body)
                latencies.append(time.perf_counter() - started)
                if response.status_code >= 400:
                    raise SystemExit(f"{method} {url}: {response.status_code} {response.text}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return total / elapsed, latencies


def _row(name: str, rate: float, latencies: list[float]) -> str:
    qs = statistics.quantiles(latencies, n=100)
    return f"| {name} | {rate:,.0f} | {qs[49] * 1000:.2f} | {qs[98] * 1000:.2f} |"


def _setup_rebound(env: dict[str, str]) -> str:
    subprocess.run(
        [sys.executable, "-m", "app.cli", "db", "upgrade"], env=env, cwd=ROOT, check=True
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
    return out.stdout.decode().strip()


def main() -> None:
    """Run every scenario and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    opts = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="rebound-bench-"))
    env = {
        **os.environ,
        "REBOUND_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "REBOUND_ENVIRONMENT": "test",
        "REBOUND_LOG_LEVEL": "WARNING",
        "BASELINE_DB": str(tmp / "baseline.db"),
    }
    secret = _setup_rebound(env)
    rb_port, base_port = _free_port(), _free_port()
    uvicorn = [sys.executable, "-m", "uvicorn", "--no-access-log", "--log-level", "warning"]
    servers = [
        _start([*uvicorn, "--port", str(rb_port), "app.main:app"], env, rb_port),
        _start([*uvicorn, "--port", str(base_port), "bench.baseline:app"], env, base_port),
    ]
    try:
        rebound = f"http://127.0.0.1:{rb_port}"
        baseline = f"http://127.0.0.1:{base_port}"
        auth = {"Authorization": f"Bearer {secret}"}
        seeker = httpx.post(f"{rebound}/v1/seekers", json={"display_name": "Ana"}, headers=auth)
        sid = seeker.json()["id"]
        n, c = opts.requests, opts.concurrency
        scenarios = [
            ("baseline GET (raw ASGI, memory)", baseline, {}, lambda i: ("GET", "/read", None)),
            ("GET /v1/seekers/{id}", rebound, auth, lambda i: ("GET", f"/v1/seekers/{sid}", None)),
            (
                "baseline POST (raw ASGI + sqlite3 commit)",
                baseline,
                {},
                lambda i: ("POST", "/write", REJECTION),
            ),
            (
                "POST /v1/seekers/{id}/rejections",
                rebound,
                auth,
                lambda i: ("POST", f"/v1/seekers/{sid}/rejections", REJECTION),
            ),
            (
                "GET rejections page 1 (limit 50)",
                rebound,
                auth,
                lambda i: ("GET", f"/v1/seekers/{sid}/rejections?limit=50", None),
            ),
        ]
        print(f"{n} requests per scenario, {c} connections, server pinned to one core\n")
        print("| scenario | req/s | p50 ms | p99 ms |\n|---|---|---|---|")
        for name, base, headers, make in scenarios:
            rate, lat = asyncio.run(_load(make, base, headers, n, c))
            print(_row(name, rate, lat), flush=True)
        items = [{**REJECTION, "seeker_id": sid} for _ in range(500)]
        batch_times = []
        for _ in range(5):
            started = time.perf_counter()
            r = httpx.post(
                f"{rebound}/v1/rejections/batch", json={"items": items}, headers=auth, timeout=60
            )
            batch_times.append(time.perf_counter() - started)
            assert r.json()["created"] == 500, r.text
        best = min(batch_times)
        print(f"\nbatch of 500 rejections: best {best * 1000:.0f} ms = {500 / best:,.0f} items/s")
        deep = httpx.get(f"{rebound}/v1/seekers/{sid}/rejections?limit=50", headers=auth).json()
        cursor, pages = deep["next_cursor"], 1
        while cursor and pages < 40:
            deep = httpx.get(
                f"{rebound}/v1/seekers/{sid}/rejections",
                params={"limit": 50, "cursor": cursor},
                headers=auth,
            ).json()
            cursor, pages = deep["next_cursor"], pages + 1
        if cursor:
            rate, lat = asyncio.run(
                _load(
                    lambda i: (
                        "GET",
                        f"/v1/seekers/{sid}/rejections?limit=50&cursor={cursor}",
                        None,
                    ),
                    rebound,
                    auth,
                    n,
                    c,
                )
            )
            print(_row(f"GET rejections page {pages + 1} (keyset)", rate, lat).replace("| ", "", 1))
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
