"""The sweep: what time alone changes (snoozes ending, goals due, silence), once per finding.

It walks every seeker in batches (one transaction each, so memory stays bounded whatever their
number), and for each batch:

1. stores as open the snoozed steps whose time has come;
2. stores one-off goals as achieved or missed once they are reached or their due date passes;
3. runs the rules that answer time passing (a goal behind its pace, an application unanswered
   for 30 days, 14 days without an application or a rejection that implies one, a goal just
   missed) and creates or extends next steps exactly as a rejection does, with explanations.

Every finding is remembered with the step that acted on it, so running the sweep twice changes
nothing the second time. On PostgreSQL one process sweeps at a time (an advisory lock), and a
seeker that a request holds right now is skipped until the next pass (`SKIP LOCKED`).
"""

import logging
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Self

from pydantic import BaseModel
from sqlmodel import Session

from app.application import service as application_service
from app.core.clock import utc_now
from app.core.config import get_settings
from app.core.db import advisory_lock, new_session
from app.goal import service as goal_service
from app.goal.models import GoalStatus
from app.idempotency import service as idempotency_service
from app.next_step import service as next_step_service
from app.next_step.models import NextStepPublic
from app.recommendation import service as recommendation_service
from app.rules.engine import Suggestion, evaluate
from app.rules.registry import get_registry
from app.seeker import service as seeker_service
from app.seeker.models import Seeker
from app.webhook import service as webhook_service

UNANSWERED_LOOKBACK_DAYS = 90  # older silent applications are not worth a follow-up any more
LOCK_NAME = "rebound.sweep"
logger = logging.getLogger("rebound.sweep")


@dataclass
class SweepReport:
    """What one sweep changed."""

    seekers: int = 0
    batches: int = 0
    snoozes_reopened: int = 0
    goals_achieved: int = 0
    goals_missed: int = 0
    steps_created: int = 0
    steps_updated: int = 0
    failed_batches: int = 0
    idempotency_keys_purged: int = 0  # stored responses older than 24 hours
    skipped: bool = False  # another process was sweeping

    def __iadd__(self, other: "SweepReport") -> Self:
        for field in fields(self):
            if field.type is int:
                setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))
        return self

    @property
    def changes(self) -> int:
        """How many things the sweep changed (0 on a second run)."""
        return (
            self.snoozes_reopened
            + self.goals_achieved
            + self.goals_missed
            + self.steps_created
            + self.steps_updated
        )


def sweep_batch(session: Session, *, seekers: Sequence[Seeker], now: datetime) -> SweepReport:
    """Sweep these seekers (already locked by the caller) in the session's transaction."""
    ids = [s.id for s in seekers]
    report = SweepReport(seekers=len(seekers), batches=1)
    report.snoozes_reopened = next_step_service.reopen_snoozed(session, seeker_ids=ids, now=now)

    standings = goal_service.standing(session, seekers=seekers, now=now)
    settled = goal_service.settle(
        session, standings=[s for per in standings.values() for s in per], now=now
    )
    missed: dict[str, list[goal_service.Standing]] = defaultdict(list)
    for item in settled:
        if item.status == GoalStatus.MISSED.value:
            missed[item.goal.seeker_id].append(item)
            report.goals_missed += 1
        else:
            report.goals_achieved += 1

    today = {s.id: goal_service.today_for(s, now) for s in seekers}
    last = application_service.last_applied(session, seekers=seekers, now=now)
    waiting = application_service.awaiting_answer(
        session,
        seeker_ids=ids,
        since=min(today.values()) - timedelta(days=UNANSWERED_LOOKBACK_DAYS),
        until=max(today.values()),
    )
    acted_on = next_step_service.acted_on(session, seeker_ids=ids)
    active = next_step_service.active_for(session, seeker_ids=ids)

    registry = get_registry()
    writes = next_step_service.StepWrites()  # sent once for the whole batch, below
    findings: list[tuple[str, NextStepPublic]] = []
    recorded: list[tuple[Seeker, Sequence[Suggestion], list[NextStepPublic]]] = []
    for seeker in seekers:
        day = today[seeker.id]
        quiet = recommendation_service.Quiet(
            today=day,
            goals=standings[seeker.id],
            missed=missed[seeker.id],
            last_application_on=last[seeker.id],
            waiting=[
                a
                for a in waiting[seeker.id]
                if day - timedelta(days=UNANSWERED_LOOKBACK_DAYS) <= a.applied_on <= day
            ],
            acted_on=acted_on[seeker.id],
        )
        suggestions = evaluate(registry, recommendation_service.time_context(seeker, quiet))
        if not suggestions:
            continue
        steps = next_step_service.record(
            session,
            tenant_id=seeker.tenant_id,
            seeker_id=seeker.id,
            seeker=next_step_service.seeker_facts(seeker),
            rejection_id=None,
            event=None,
            at=now,
            suggestions=suggestions,
            now=now,
            active=active[seeker.id],
            writes=writes,
        )
        for suggestion, step in zip(suggestions, steps, strict=True):
            findings += [(key, step) for key in suggestion.findings]
        recorded.append((seeker, suggestions, steps))
        created = sum(step.version == 1 for step in steps)
        report.steps_created += created
        report.steps_updated += len(steps) - created
    writes.send(session)
    next_step_service.remember(session, findings=findings, now=now)
    events = _webhook_events(seekers, standings, settled, recorded, now)
    webhook_service.emit_all(session, events=events, now=now)
    return report


def _webhook_events(
    seekers: Sequence[Seeker],
    standings: dict[str, list[goal_service.Standing]],
    settled: Sequence[goal_service.Standing],
    recorded: Sequence[tuple[Seeker, Sequence[Suggestion], list[NextStepPublic]]],
    now: datetime,
) -> list[tuple[str, str, BaseModel]]:
    """What a batch tells webhooks: goals achieved, goals behind (once per finding), steps."""
    by_id = {s.id: s for s in seekers}
    events: list[tuple[str, str, BaseModel]] = []
    for item in settled:
        if item.status == GoalStatus.ACHIEVED.value:
            seeker = by_id[item.goal.seeker_id]
            today = goal_service.today_for(seeker, now)
            public = goal_service.to_public(item.goal, item.progress, today)
            events.append((seeker.tenant_id, "goal.achieved", public))
    for seeker, suggestions, steps in recorded:
        goals = {s.goal.id: s for s in standings[seeker.id]}
        behind = {k for sug in suggestions for k in sug.findings if k.startswith("behind:")}
        for key in sorted(behind):
            goal = goals.get(key.split(":")[1])
            if goal is not None:
                today = goal_service.today_for(seeker, now)
                public = goal_service.to_public(goal.goal, goal.progress, today)
                events.append((seeker.tenant_id, "goal.behind", public))
        events += [(seeker.tenant_id, t, m) for t, m in next_step_service.events_of(steps)]
    return events


def run(
    session: Session, *, now: datetime, batch_size: int, stop: threading.Event | None = None
) -> SweepReport:
    """Sweep every seeker, one committed batch at a time; skipped if another process is sweeping.

    A batch that fails is rolled back, logged and counted, and the sweep goes on with the next
    one (the failed seekers are tried again next time). `stop` ends the run between batches.
    """
    with advisory_lock(session.get_bind().engine, LOCK_NAME) as taken:
        if not taken:
            return SweepReport(skipped=True)
        total = SweepReport()
        total.idempotency_keys_purged = idempotency_service.purge(session, now=now)
        after = ""
        while stop is None or not stop.is_set():
            seekers = seeker_service.claim_after(session, after=after, limit=batch_size)
            if not seekers:
                break
            after = seekers[-1].id
            try:
                report = sweep_batch(session, seekers=seekers, now=now)
                session.commit()
            except Exception:
                session.rollback()
                logger.exception("a sweep batch failed", extra={"after": after})
                total.failed_batches += 1
            else:
                total += report
            session.expunge_all()  # keep memory bounded by the batch, not by the whole run
        session.rollback()
        return total


def run_once(stop: threading.Event | None = None) -> SweepReport:
    """One sweep of the configured database, now (until `stop` is set)."""
    with new_session(write=True) as session:
        return run(session, now=utc_now(), batch_size=get_settings().sweep_batch_size, stop=stop)
