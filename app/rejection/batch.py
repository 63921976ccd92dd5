"""Batch import: many rejections in one request, each item succeeding or failing on its own.

The work is done in a fixed number of queries whatever the batch size: seekers, applications and
already-stored external ids are looked up once, then every new row is inserted in one round trip
(a Core INSERT of values validated once, as the item was parsed).
"""

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.application import service as application_service
from app.application.models import Application
from app.core import external
from app.core.clock import utc_now
from app.core.errors import AppError, Unprocessable, validation_problems
from app.rejection import service
from app.rejection.models import (
    BatchItemError,
    BatchItemResult,
    BatchResult,
    Rejection,
    RejectionBatch,
    RejectionBatchItem,
    RejectionRecord,
)
from app.seeker import service as seeker_service
from app.seeker.models import Seeker

Stored = Rejection | RejectionRecord  # stored before (a row) or by this batch (its record)


def _item_error(exc: AppError | ValidationError) -> BatchItemError:
    if isinstance(exc, ValidationError):
        errors, _ = validation_problems([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()])
        exc = Unprocessable("The item has invalid fields.", errors=errors)
    return BatchItemError(
        status=exc.status,
        code=exc.code,
        detail=exc.detail,
        errors=[e.model_dump(exclude_none=True) for e in exc.errors or []],
    )


def _parse(raw: Sequence[Any]) -> list[RejectionBatchItem | BatchItemError]:
    parsed: list[RejectionBatchItem | BatchItemError] = []
    for item in raw:
        try:
            parsed.append(RejectionBatchItem.model_validate(item))
        except ValidationError as exc:
            parsed.append(_item_error(exc))
    return parsed


def store_batch(
    session: Session, *, tenant_id: str, batch: RejectionBatch
) -> tuple[BatchResult, dict[str, Seeker]]:
    """Record many rejections, each item succeeding or failing alone; the seekers named, by id."""
    parsed = _parse(batch.items)
    items = [p for p in parsed if isinstance(p, RejectionBatchItem)]
    by_id, by_external = seeker_service.seekers_by_ref(
        session,
        tenant_id=tenant_id,
        ids=[i.seeker_id for i in items if i.seeker_id],
        external_ids=[i.seeker_external_id for i in items if i.seeker_external_id],
    )
    applications = application_service.applications_by_id(
        session, tenant_id=tenant_id, ids=[i.application_id for i in items if i.application_id]
    )
    known: dict[tuple[str, str], Stored] = dict(
        service.stored_by_key(
            session,
            tenant_id=tenant_id,
            keys=[(i.source, i.external_id) for i in items if i.external_id],
        )
    )
    now = utc_now()
    planned: list[tuple[bool, Stored] | BatchItemError] = []  # (is_new, row) or the error
    fresh: list[RejectionRecord] = []
    for item in parsed:
        if isinstance(item, BatchItemError):
            planned.append(item)
            continue
        seeker = by_id.get(item.seeker_id or "") or by_external.get(item.seeker_external_id or "")
        if seeker is None:
            planned.append(_item_error(seeker_service.SeekerNotFound("No such seeker.")))
            continue
        key = (item.source, item.external_id) if item.external_id else None
        if key and key in known:  # stored before, or earlier in this batch
            try:
                planned.append((False, external.for_seeker(known[key], seeker.id)))
            except AppError as exc:
                planned.append(_item_error(exc))
            continue
        try:
            row = service.build_record(seeker, item, applications, now)
        except AppError as exc:
            planned.append(_item_error(exc))
            continue
        if key:
            known[key] = row
        fresh.append(row)
        planned.append((True, row))
    inserted = _insert(session, tenant_id, fresh, applications)
    return _results(planned, inserted), {s.id: s for s in by_id.values()}


def _insert(
    session: Session,
    tenant_id: str,
    rows: list[RejectionRecord],
    applications: dict[str, Application],
) -> dict[str, tuple[Stored, bool] | BatchItemError]:
    """Insert all rows at once; if a concurrent request clashed, row by row to find which."""
    if service.insert_records(session, rows, tenant_id=tenant_id, applications=applications):
        return {row.id: (row, True) for row in rows}
    outcomes: dict[str, tuple[Stored, bool] | BatchItemError] = {}
    for row in rows:
        table_row = Rejection.model_validate({**row.model_dump(), "tenant_id": tenant_id})
        try:
            outcomes[row.id] = service.insert_rejection(session, table_row, applications)
        except AppError as exc:
            outcomes[row.id] = _item_error(exc)
    return outcomes


def _results(
    planned: Sequence[tuple[bool, Stored] | BatchItemError],
    inserted: dict[str, tuple[Stored, bool] | BatchItemError],
) -> BatchResult:
    results: list[BatchItemResult] = []
    for index, plan in enumerate(planned):
        if isinstance(plan, BatchItemError):
            results.append(BatchItemResult(index=index, outcome="failed", error=plan))
            continue
        is_new, row = plan
        # A row inserted here may have lost a race: the concurrent request's row is the answer.
        outcome = inserted.get(row.id, (row, False))
        if isinstance(outcome, BatchItemError):
            results.append(BatchItemResult(index=index, outcome="failed", error=outcome))
            continue
        stored, created = outcome
        record = stored if isinstance(stored, RejectionRecord) else service.to_public(stored)
        results.append(
            BatchItemResult(
                index=index,
                outcome="created" if is_new and created else "duplicate",
                rejection=record,
            )
        )
    counts = {o: sum(r.outcome == o for r in results) for o in ("created", "duplicate", "failed")}
    return BatchResult(
        created=counts["created"],
        duplicates=counts["duplicate"],
        failed=counts["failed"],
        results=results,
    )
