"""Two real app processes on one Redis share one rate-limit budget per key."""

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from app.cli import ROOT
from tests.core.test_ratelimit import redis_url_for_tests, state

LIMIT = 5
STARTUP_SECONDS = 60
KEY = re.compile(r"(rbk_[A-Za-z0-9_-]+)")


def run_cli(env: dict[str, str], *args: str) -> str:
    """Run `rebound ARGS` in a subprocess with `env`; its output."""
    result = subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(env: dict[str, str], log: Path, stack: ExitStack) -> str:
    """Serve the app with uvicorn in a process of its own; its base URL once /livez answers."""
    for _ in range(3):  # another process may take the free port before uvicorn binds it
        port = free_port()
        out = stack.enter_context(log.open("ab"))
        command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
        process = subprocess.Popen(
            [*command, "--port", str(port), "--no-access-log", "--log-level", "warning"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        stack.callback(stop, process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while process.poll() is None and time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/livez", timeout=1).status_code == 200:
                    return base
            except httpx.HTTPError:
                time.sleep(0.1)
        stop(process)
    pytest.fail(f"uvicorn did not start; see {log}:\n{log.read_text()[-2000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop one server process (this test's own), killing it if it will not stop."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[list[str], str]]:
    """Two app processes sharing a migrated SQLite file and one Redis; a key limited to LIMIT
    requests a day (a fresh tenant and key per run, so runs never share a counter)."""
    redis_url = redis_url_for_tests()
    env = {
        **os.environ,
        "REBOUND_ENVIRONMENT": "test",
        "REBOUND_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.db'}",
        "REBOUND_REDIS_URL": redis_url,
        "REBOUND_RATE_LIMIT": "1000/day",
        "REBOUND_SWEEP_INTERVAL_SECONDS": "0",
        "REBOUND_LOG_LEVEL": "WARNING",
    }
    run_cli(env, "db", "upgrade")
    name = f"shared-budget-{uuid.uuid4().hex[:8]}"
    match = KEY.search(run_cli(env, "tenant", "create", name))
    assert match
    run_cli(env, "tenant", "set-rate-limit", name, f"{LIMIT}/day")
    with ExitStack() as stack:
        bases = [start_server(env, tmp_path / f"server-{n}.log", stack) for n in range(2)]
        yield bases, match.group(1)


def test_two_processes_on_one_redis_share_one_budget(
    two_servers: tuple[list[str], str],
) -> None:
    bases, secret = two_servers
    headers = {"Authorization": f"Bearer {secret}"}
    responses = []
    with httpx.Client(headers=headers, timeout=10) as http:
        for n in range(2 * LIMIT + 2):
            responses.append(http.get(f"{bases[n % 2]}/v1/seekers"))

    statuses = [r.status_code for r in responses]
    assert statuses == [200] * LIMIT + [429] * (LIMIT + 2), statuses
    assert [state(r)[1] for r in responses[:LIMIT]] == list(range(LIMIT - 1, -1, -1))
    for response in responses:
        assert response.headers["ratelimit-policy"] == f'"tenant";q={LIMIT};w=86400'
    refused = responses[-1]
    assert refused.json()["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) == state(refused)[2]
