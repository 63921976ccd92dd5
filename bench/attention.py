"""The coach's view over a big tenant: time and memory of a ranked page against a bare page.

Builds a fresh SQLite database with `--seekers` seekers (10,000 by default) of one tenant, each
with three rejections over the last three weeks (moods 1 to 5), every third with an application
20 days ago, every tenth created 40 days ago and silent since; then measures, in a child process
each so that peak memory is per run:

- baseline: the tenant's first page of 50 seekers by id, through the same session, nothing else;
- `GET /v1/insights/seekers` as the service computes it: the first page of 50, the second page
  (through its cursor) and the first page filtered to one signal.

Each is the median of five calls; the peak of Python allocations during one call (tracemalloc)
shows that a page does not hold the tenant's seekers in memory. Usage: `python bench/attention.py
[--seekers 10000]`.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sweep import _child, _insert, _migrate, _peak_mib  # noqa: E402

NOW = datetime.now(UTC)


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


def _build(path: Path, seekers: int) -> None:
    """Migrate and fill the database with plain INSERTs (fast, and not what is measured)."""
    import sqlite3

    _migrate(path)
    db = sqlite3.connect(path)
    owned = {"tenant_id": "ten_bench", "updated_at": _stamp(NOW), "version": 1}
    with db:
        _insert(db, "tenant", [{"id": "ten_bench", "name": "bench", "created_at": _stamp(NOW)}])
        _insert(
            db,
            "seeker",
            (
                {
                    **owned,
                    "id": f"skr_{i:08d}",
                    "display_name": f"Seeker {i}",
                    "timezone": "UTC",
                    "strengths": "[]",
                    "skills": "[]",
                    "target_roles": "[]",
                    "created_at": _stamp(NOW - timedelta(days=40 if i % 10 == 0 else 25)),
                }
                for i in range(seekers)
            ),
        )
        _insert(
            db,
            "rejection",
            (
                {
                    **owned,
                    "id": f"rej_{i:08d}_{j}",
                    "seeker_id": f"skr_{i:08d}",
                    "company": "Globex",
                    "role": "Analyst",
                    "stage": "interview",
                    "ended_by": "employer",
                    "reason": "unspecified",
                    "missing_skills": "[]",
                    "mood": 1 + (i + j) % 5,
                    "source": "manual",
                    "occurred_at": _stamp(NOW - timedelta(days=1 + 6 * j, hours=i % 24)),
                    "created_at": _stamp(NOW),
                }
                for i in range(seekers)
                if i % 10
                for j in range(3)
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
                    "company": "Initech",
                    "role": "Analyst",
                    "source": "manual",
                    "status": "applied",
                    "applied_on": str((NOW - timedelta(days=20)).date()),
                    "created_at": _stamp(NOW),
                }
                for i in range(0, seekers, 3)
                if i % 10
            ),
        )
    db.execute("ANALYZE")
    db.close()


def _timed(call: Callable[[], Any]) -> dict[str, float]:
    call()  # warm: statement caches, the page cache
    times = []
    for _ in range(5):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"ms": statistics.median(times) * 1000, "alloc_peak_kib": peak / 1024}


def _measure(kind: str, path: Path) -> dict[str, Any]:
    import os

    os.environ["REBOUND_DATABASE_URL"] = f"sqlite:///{path}"
    import sqlalchemy as sa

    import app.main  # noqa: F401 - every model, as a served process has them
    from app.attention import service
    from app.attention.models import Signal
    from app.core.db import new_session
    from app.core.pagination import PageParams
    from app.seeker.models import Seeker

    results: dict[str, Any] = {}
    with new_session() as session:
        if kind == "baseline":
            bare = (
                sa.select(Seeker)
                .where(Seeker.tenant_id == "ten_bench")  # type: ignore[arg-type]
                .order_by(Seeker.id)  # type: ignore[arg-type]
                .limit(51)
            )
            results["first page of seekers by id"] = _timed(
                lambda: session.execute(bare).scalars().all()
            )
        else:
            first = PageParams(limit=50, cursor=None)
            everyone = service.Filters(signal=None, min_score=1)
            inactive = service.Filters(signal=Signal.INACTIVE, min_score=1)
            page, _, cursor = service.ranked(
                session, tenant_id="ten_bench", filters=everyone, params=first
            )
            second = PageParams(limit=50, cursor=cursor)
            results["ranked, first page"] = _timed(
                lambda: service.ranked(
                    session, tenant_id="ten_bench", filters=everyone, params=first
                )
            )
            results["ranked, second page"] = _timed(
                lambda: service.ranked(
                    session, tenant_id="ten_bench", filters=everyone, params=second
                )
            )
            results["ranked, inactive only"] = _timed(
                lambda: service.ranked(
                    session, tenant_id="ten_bench", filters=inactive, params=first
                )
            )
            results["top score"] = page[0].score
    results["peak_rss_mib"] = _peak_mib()
    return results


def main() -> None:
    """Build, measure the baseline and the ranked pages, print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seekers", type=int, default=10_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.child:
        print(json.dumps(_measure(opts.child[0], Path(opts.child[1]))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "attention.db"
        started = time.perf_counter()
        _build(path, opts.seekers)
        print(f"built {opts.seekers:,} seekers in {time.perf_counter() - started:.1f} s")
        baseline = _child("baseline", path, __file__)
        ranked = _child("ranked", path, __file__)
    print(f"\n| {opts.seekers:,} seekers (SQLite) | ms (median of 5) | Python allocations, peak |")
    print("|---|---|---|")
    for name, value in [*baseline.items(), *ranked.items()]:
        if isinstance(value, dict):
            print(f"| {name} | {value['ms']:.1f} | {value['alloc_peak_kib']:,.0f} KiB |")
    print(
        f"\npeak RSS: baseline {baseline['peak_rss_mib']:.0f} MiB, "
        f"ranked {ranked['peak_rss_mib']:.0f} MiB; top score {ranked['top score']}"
    )


if __name__ == "__main__":
    main()
