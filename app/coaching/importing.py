"""`rebound import FILE`: rejections from CSV or JSON Lines, in batches, safe to run again.

Each row names its seeker by `seeker_external_id` (or `seeker_id`) and carries the fields of a
rejection. CSV cells that are empty count as absent; `missing_skills` is split on `;`. A row
without an `external_id` gets a stable one (`row:` + a hash of its content, under the source
`import`), so importing the same file twice stores nothing the second time; rows are stored and
coached through the batch path (`POST /v1/rejections/batch`), so every rule runs.
"""

import csv
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from app.coaching import service as coaching_service
from app.rejection.models import RejectionBatch

BATCH_SIZE = 500
IMPORT_SOURCE = "import"
INTEGER_FIELDS = frozenset({"mood"})
LIST_FIELDS = frozenset({"missing_skills"})


@dataclass
class ImportReport:
    """What an import did, with the line of every row it refused and why."""

    imported: int = 0
    duplicates: int = 0
    invalid: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"line", "code", "detail"}


def _csv_rows(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    reader = csv.DictReader(lines)
    first_line = 2  # the header is line 1
    for row in reader:
        line, first_line = first_line, reader.line_num + 1  # a quoted cell may span lines
        if None in row or None in row.values():
            yield line, "the row has more or fewer cells than the header"
            continue
        item: dict[str, Any] = {}
        for name, value in row.items():
            if value.strip() == "":
                continue
            value = value.strip()
            if name in LIST_FIELDS:
                item[name] = [part.strip() for part in value.split(";") if part.strip()]
            elif name in INTEGER_FIELDS and value.lstrip("-").isdigit():
                item[name] = int(value)
            else:
                item[name] = value
        yield line, item


def _jsonl_rows(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"not valid JSON: {exc.msg}"
            continue
        yield number, value if isinstance(value, dict) else "each line must be a JSON object"


def rows_of(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, row or the reason it cannot be read) for each row of a CSV or JSONL file."""
    reader = _csv_rows if path.suffix.lower() == ".csv" else _jsonl_rows
    with path.open(newline="", encoding="utf-8-sig") as handle:
        yield from reader(handle)


def with_stable_id(row: dict[str, Any]) -> dict[str, Any]:
    """The row with an `external_id` that is the same every time the same row is imported."""
    if row.get("external_id"):
        return row
    canonical = json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    return {"source": IMPORT_SOURCE, **row, "external_id": f"row:{digest}"}


def import_rows(
    new_session: Callable[[], Session],
    *,
    tenant_id: str,
    rows: Iterable[tuple[int, dict[str, Any] | str]],
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] = lambda _: None,
) -> ImportReport:
    """Store and coach rows a batch (one transaction) at a time; `progress(n)` after each batch."""
    report = ImportReport()
    batch: list[tuple[int, dict[str, Any]]] = []

    def flush() -> None:
        if not batch:
            return
        with new_session() as session:
            items = [row for _, row in batch]
            result = coaching_service.import_batch(
                session, tenant_id=tenant_id, batch=RejectionBatch(items=items)
            )
            session.commit()
        report.imported += result.created
        report.duplicates += result.duplicates
        for outcome in result.results:
            if outcome.outcome == "failed" and outcome.error is not None:
                report.invalid += 1
                problems = "; ".join(
                    f"{e.get('pointer', '')} {e.get('detail', '')}".strip()
                    for e in outcome.error.errors
                )
                report.errors.append(
                    {
                        "line": batch[outcome.index][0],
                        "code": outcome.error.code,
                        "detail": problems or outcome.error.detail,
                    }
                )
        progress(len(batch))
        batch.clear()

    for line, row in rows:
        if isinstance(row, str):
            report.invalid += 1
            report.errors.append({"line": line, "code": "unreadable_row", "detail": row})
            progress(1)
            continue
        batch.append((line, with_stable_id(row)))
        if len(batch) >= batch_size:
            flush()
    flush()
    return report
