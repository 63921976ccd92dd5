"""How the sweep is started: `rebound sweep` once, or `serve` on an interval."""

import asyncio
import json
import threading

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from app import main
from app.cli import cli
from app.core.config import Settings
from app.sweep import service as sweep_service
from app.sweep.service import SweepReport


def test_cli_sweep_runs_once_and_prints_what_it_changed(engine: Engine) -> None:
    result = CliRunner().invoke(cli, ["sweep", "--batch-size", "50"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["skipped"] is False
    assert set(report) >= {"seekers", "batches", "snoozes_reopened", "goals_missed"}


def test_serve_sweeps_on_its_interval_and_survives_a_failed_sweep(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outcomes = [RuntimeError("database went away"), SweepReport(), SweepReport()]
    calls = []

    def run_once(stop: threading.Event | None = None) -> SweepReport:
        calls.append(1)
        outcome = outcomes[min(len(calls) - 1, len(outcomes) - 1)]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(main.sweep_service, "run_once", run_once)

    async def scenario() -> None:
        task = asyncio.create_task(main.sweep_periodically(0.01))
        for _ in range(200):
            await asyncio.sleep(0.01)
            if len(calls) >= 3:
                break
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    assert len(calls) >= 3, "a failed sweep must not stop the next ones"


def test_sweep_interval_is_off_in_tests_and_on_by_default() -> None:
    assert main.get_settings().sweep_interval_seconds == 0
    assert Settings.model_fields["sweep_interval_seconds"].default == 300


def test_a_stopped_sweep_ends_between_batches(engine: Engine) -> None:
    stop = threading.Event()
    stop.set()
    report = sweep_service.run_once(stop)
    assert (report.batches, report.seekers) == (0, 0)
