"""Benchmarks: Rebound against bare baselines in the same run, on loopback, bounded in count.

Starts `uvicorn app.main:app` (one worker, SQLite in a temporary directory) and the raw-ASGI
baseline (bench/baseline.py), pins each server to CPU 0 when `taskset` exists (the client runs on
the other core), sends a fixed number of requests at a fixed concurrency, and prints a table of
requests per second and latency percentiles. Usage: `make bench` (needs `wrk`).
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
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


def _wrk(url: str, headers: dict[str, str], body: dict[str, object] | None, seconds: int) -> str:
    """One wrk run (32 connections, pinned to CPU 1); returns a table row's numbers."""
    lines = [f'wrk.method = "{"POST" if body is not None else "GET"}"']
    if body is not None:
        lines.append(f"wrk.body = [[{json.dumps(body)}]]")
        lines.append('wrk.headers["Content-Type"] = "application/json"')
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
    lines.append(
        "done = function(s, lat, req)\n"
        '  io.write(string.format("RESULT %.0f %.2f %.2f %d\\n", s.requests / (s.duration / 1e6),'
        " lat:percentile(50) / 1000, lat:percentile(99) / 1000, s.errors.status))\n"
        "end"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n")
    pin = ["taskset", "-c", "1"] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []
    out = subprocess.run(
        [*pin, "wrk", "-t1", "-c32", f"-d{seconds}s", "-s", script.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    if "RESULT " not in out:
        raise SystemExit(f"wrk printed no result for {url}:\n{out}")
    rate, p50, p99, errors = out.split("RESULT ")[1].split()
    if int(rate) == 0:
        print(out, file=sys.stderr)
    if int(errors):
        raise SystemExit(f"{url}: {errors} non-2xx responses")
    return f"{int(rate):,} | {p50} | {p99}"


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


def _deep_cursor(base: str, auth: dict[str, str], sid: str, pages: int) -> str:
    """The cursor of page `pages + 1` of a seeker's rejections, 50 to a page."""
    cursor = None
    for _ in range(pages):
        params: dict[str, str | int] = {"limit": 50, **({"cursor": cursor} if cursor else {})}
        page = httpx.get(f"{base}/v1/seekers/{sid}/rejections", params=params, headers=auth)
        cursor = page.json()["next_cursor"]
    assert cursor, "not enough rejections for the deep page"
    return str(cursor)


def main() -> None:
    """Run every scenario and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5, help="per scenario")
    opts = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="rebound-bench-"))
    env = {
        **os.environ,
        "REBOUND_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "REBOUND_ENVIRONMENT": "test",
        "REBOUND_LOG_LEVEL": "WARNING",
        "BASELINE_DB": str(tmp / "baseline.db"),
    }
    sys.path.insert(0, str(ROOT))
    print(_engine_cost(), "\n")
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
        items = [{**REJECTION, "seeker_id": sid} for _ in range(500)]
        batch_ms = []
        for _ in range(5):
            started = time.perf_counter()
            response = httpx.post(
                f"{rebound}/v1/rejections/batch", json={"items": items}, headers=auth, timeout=60
            )
            batch_ms.append((time.perf_counter() - started) * 1000)
            assert response.json()["created"] == 500, response.text
        spread = []  # a realistic import: 500 items over 50 seekers
        for _ in range(3):
            seekers = [
                httpx.post(f"{rebound}/v1/seekers", json={}, headers=auth).json()["id"]
                for _ in range(50)
            ]
            many = [{**REJECTION, "seeker_id": seekers[i % 50]} for i in range(500)]
            started = time.perf_counter()
            response = httpx.post(
                f"{rebound}/v1/rejections/batch", json={"items": many}, headers=auth, timeout=60
            )
            spread.append((time.perf_counter() - started) * 1000)
            assert response.json()["created"] == 500, response.text
        deep = _deep_cursor(rebound, auth, sid, 40)
        # A seeker with a short history for the single-request rows (history is read per event).
        fresh = httpx.post(f"{rebound}/v1/seekers", json={"display_name": "Bo"}, headers=auth)
        sid_fresh = fresh.json()["id"]
        rejections = f"{rebound}/v1/seekers/{sid}/rejections"
        scenarios: list[tuple[str, str, dict[str, str], dict[str, object] | None]] = [
            ("baseline GET: raw ASGI, JSON from memory", f"{baseline}/read", {}, None),
            ("GET /v1/seekers/{seeker_id}", f"{rebound}/v1/seekers/{sid_fresh}", auth, None),
            (
                "baseline POST: raw ASGI + sqlite3 INSERT, commit",
                f"{baseline}/write",
                {},
                REJECTION,
            ),
            (
                "POST /v1/seekers/{seeker_id}/rejections (with coaching)",
                f"{rebound}/v1/seekers/{sid_fresh}/rejections",
                auth,
                REJECTION,
            ),
            ("GET rejections, page 1 of 50", f"{rejections}?limit=50", auth, None),
            (
                "GET rejections, page 41 of 50 (keyset)",
                f"{rejections}?limit=50&cursor={deep}",
                auth,
                None,
            ),
        ]
        print(
            f"wrk: 32 connections, {opts.seconds} s per scenario; server on CPU 0, wrk on CPU 1\n"
        )
        print("| scenario | req/s | p50 ms | p99 ms |\n|---|---|---|---|")
        for name, url, headers, body in scenarios:
            print(f"| {name} | {_wrk(url, headers, body, opts.seconds)} |", flush=True)
        print(
            f"\nPOST /v1/rejections/batch, 500 items for one seeker: best of 5 "
            f"{min(batch_ms):.0f} ms; over 50 seekers: best of 3 {min(spread):.0f} ms "
            f"({500_000 / min(spread):,.0f} items/s)"
        )
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
