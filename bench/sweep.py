"""The sweep over many seekers: time and peak memory against a bare walk of the same table.

For each size it builds a fresh SQLite database in a temporary directory (every 10th seeker has
an application unanswered for 35 days, every 10th another a one-off goal that is overdue), then
measures, in a child process each so that peak memory is per run:

- baseline: reading every seeker in batches of 500 with sqlite3 and nothing else;
- the first sweep (which creates the steps), and a second one (which must change nothing).

Usage: `python bench/sweep.py --seekers 10000 100000` (part of `make bench`).
"""

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
BATCH = 500


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _insert(db: sqlite3.Connection, table: str, rows: Iterable[dict[str, object]]) -> None:
    """Insert rows (missing columns are NULL); names come from the schema, never from input."""
    columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
    marks = ", ".join("?" * len(columns))
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    db.executemany(statement, ([row.get(c) for c in columns] for row in rows))


def _migrate(path: Path) -> None:
    """Create the schema in a new SQLite file, as `rebound db upgrade` does."""
    env = {**os.environ, "REBOUND_DATABASE_URL": f"sqlite:///{path}", "REBOUND_LOG_LEVEL": "ERROR"}
    migrate = [sys.executable, "-m", "app.cli", "db", "upgrade"]
    subprocess.run(migrate, env=env, cwd=ROOT, check=True, capture_output=True)


def _build(path: Path, seekers: int) -> None:
    """Migrate and fill the database with plain INSERTs (fast, and not what is measured)."""
    _migrate(path)
    stamp = NOW.strftime("%Y-%m-%d %H:%M:%S.%f")
    day = NOW.date()
    owned = {"tenant_id": "ten_bench", "created_at": stamp, "updated_at": stamp, "version": 1}
    db = sqlite3.connect(path)
    with db:
        _insert(db, "tenant", [{"id": "ten_bench", "name": "bench", "created_at": stamp}])
        _insert(
            db,
            "seeker",
            (
                {
                    **owned,
                    "id": f"skr_{i:08d}",
                    "timezone": "Europe/Berlin",
                    "strengths": "[]",
                    "skills": "[]",
                    "target_roles": "[]",
                }
                for i in range(seekers)
            ),
        )
        _insert(
            db,
            "application",
            (
                {
                    **owned,
                    "id": f"app_{i:08d}",
                    "seeker_id": f"skr_{i:08d}",
                    "company": "Globex",
                    "role": "Analyst",
                    "source": "manual",
                    "status": "applied",
                    "applied_on": str(day - timedelta(days=35)),
                }
                for i in range(0, seekers, 10)
            ),
        )
        _insert(
            db,
            "goal",
            (
                {
                    **owned,
                    "id": f"gol_{i:08d}",
                    "seeker_id": f"skr_{i:08d}",
                    "title": "Finish the course",
                    "kind": "learning",
                    "target": 1.0,
                    "unit": "courses",
                    "period": "none",
                    "status": "active",
                    "start_on": str(day - timedelta(days=40)),
                    "due_on": str(day - timedelta(days=2)),
                }
                for i in range(5, seekers, 10)
            ),
        )
    db.close()


def _baseline(path: Path) -> dict[str, float]:
    db = sqlite3.connect(path)
    started, after, count = time.perf_counter(), "", 0
    while True:
        rows = db.execute(
            "SELECT * FROM seeker WHERE id > ? ORDER BY id LIMIT ?", (after, BATCH)
        ).fetchall()
        if not rows:
            break
        count += len(rows)
        after = rows[-1][0]
    return {"seconds": time.perf_counter() - started, "seekers": count, "peak_mib": _peak_mib()}


def _sweep(path: Path) -> dict[str, object]:
    os.environ["REBOUND_DATABASE_URL"] = f"sqlite:///{path}"
    sys.path.insert(0, str(ROOT))
    from dataclasses import asdict

    import app.main  # noqa: F401 - every model, as a served process has them
    from app.core.db import new_session
    from app.sweep import service

    runs = []
    for _ in range(2):
        with new_session(write=True) as session:
            started = time.perf_counter()
            report = service.run(session, now=NOW, batch_size=BATCH)
            elapsed = time.perf_counter() - started
            runs.append({"seconds": elapsed, "changes": report.changes, **asdict(report)})
    return {"runs": runs, "peak_mib": _peak_mib()}


def _child(kind: str, path: Path, script: str = __file__) -> dict[str, object]:
    """Run `script --child kind path` in a new process (so its peak memory is its own)."""
    out = subprocess.run(
        [sys.executable, script, "--child", kind, str(path)],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"the {kind} run failed:\n{out.stderr}")
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Build, then measure the baseline and two sweeps for each size; print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seekers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.child:
        kind, path = opts.child
        result = _baseline(Path(path)) if kind == "baseline" else _sweep(Path(path))
        print(json.dumps(result, default=str))
        return
    print(
        "seekers | baseline walk s (MiB) | 1st sweep s | steps | 2nd sweep s | changes | peak MiB"
    )
    for size in opts.seekers:
        with tempfile.TemporaryDirectory(prefix="rebound-sweep-") as tmp:
            path = Path(tmp) / "sweep.db"
            _build(path, size)
            base = _child("baseline", path)
            swept = _child("sweep", path)
            first, second = swept["runs"]  # type: ignore[misc]
            print(
                f"{size:,} | {base['seconds']:.2f} ({base['peak_mib']:.0f}) | "
                f"{first['seconds']:.1f} | {first['steps_created']:,} | "
                f"{second['seconds']:.1f} | {second['changes']} | {swept['peak_mib']:.0f}"
            )


if __name__ == "__main__":
    main()
