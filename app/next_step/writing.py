"""Writing next steps: suggestions become new steps or extend active ones, in Core statements.

A step keeps the facts it rests on — the most recent supporting events in full (`evidence`), how
many events each rule fired for (`tally`) and how many rejections support it (`rejection_count`),
with every supporting rejection listed in `next_step_support` — and its words are rendered from
them by the text layer whenever they change (`app/wording/`). Reads serve the stored words, so a
list of 50 steps renders nothing.

Coaching runs on every rejection and in every sweep batch, so steps are read as rows and written
with one INSERT and one UPDATE (executemany) for however many seekers (PERFORMANCE.md).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import bindparam, insert, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from app.core.ids import new_id
from app.next_step.models import ACTIVE, NextStep, NextStepPublic, NextStepSupport, StepStatus
from app.rules.engine import Suggestion
from app.rules.registry import get_registry
from app.wording.facts import (
    MAX_EVIDENCE,
    EventFacts,
    Evidence,
    Fallback,
    HitFacts,
    SeekerFacts,
    StepFacts,
)
from app.wording.render import render

TITLE_MAX = 300
SOON = timedelta(hours=24)  # "due within 24 hours" of an event
AT_ONCE = 3  # at most this many of a seeker's open steps are due within 24 hours of an event
Row = dict[str, Any]


def effective_status(step: NextStep | NextStepPublic, now: datetime) -> StepStatus:
    """A snoozed step whose time has come is open again (no background job needed to see it)."""
    if step.status == StepStatus.SNOOZED and step.snoozed_until and step.snoozed_until <= now:
        return StepStatus.OPEN
    return StepStatus(step.status)


def public_at(step: NextStep | NextStepPublic, now: datetime) -> NextStepPublic:
    """The API view of a step at `now`, with its effective status."""
    public = NextStepPublic.model_validate(step)
    status = effective_status(step, now)
    if status != public.status:
        public = public.model_copy(update={"status": status, "snoozed_until": None})
    return public


TABLE = NextStep.__table__  # type: ignore[attr-defined]
SUPPORT = NextStepSupport.__table__  # type: ignore[attr-defined]
_PUBLIC_FIELDS = tuple(NextStepPublic.model_fields)
_SETS = (  # every update writes these, so that one executemany serves every kind of change
    "title",
    "body",
    "actions",
    "draft_message",
    "suggested_goal",
    "rejection_ids",
    "rejection_count",
    "explanation",
    "evidence",
    "tally",
    "due_at",
    "status",
    "snoozed_until",
    "updated_at",
    "version",
)

_ACTIVE = sa.select(TABLE).where(
    TABLE.c.seeker_id.in_(sa.bindparam("seeker_ids", expanding=True)), TABLE.c.status.in_(ACTIVE)
)
_INSERT = insert(TABLE)
_SUPPORT = insert(SUPPORT)
_UPDATE = update(TABLE).where(  # the rest of each row's values are its SET clause
    TABLE.c.id == bindparam("step_id"), TABLE.c.version == bindparam("read_version")
)
_SUPPORTED = sa.select(SUPPORT.c.next_step_id, SUPPORT.c.hits).where(
    SUPPORT.c.rejection_id == bindparam("rejection_id")
)


def seeker_facts(seeker: Any) -> SeekerFacts:
    """What the text layer may know of a seeker (a Seeker row, or None for a dry run alone)."""
    if seeker is None:
        return SeekerFacts()
    return SeekerFacts(
        display_name=seeker.display_name,
        locale=seeker.locale,
        strengths=tuple(seeker.strengths),
        skills=tuple(seeker.skills),
        target_roles=tuple(seeker.target_roles),
    )


def active_for(
    session: Session, *, seeker_ids: Sequence[str]
) -> dict[str, dict[tuple[str, str], Row]]:
    """Each seeker's active steps by (recommendation key, scope), in one query for all of them.

    Rows, not ORM objects: coaching reads them on every rejection, and `record` writes them back
    with Core statements (ORM objects for the same steps would then be stale).
    """
    found: dict[str, dict[tuple[str, str], Row]] = {seeker_id: {} for seeker_id in seeker_ids}
    if seeker_ids:
        for row in session.execute(_ACTIVE, {"seeker_ids": list(seeker_ids)}):
            step = row._asdict()
            found[step["seeker_id"]][(step["recommendation_key"], step["scope"])] = step
    return found


@lru_cache(maxsize=64)
def _fallback(key: str) -> Fallback | None:
    """A recommendation's own words, built once (the catalog is fixed for the process)."""
    registry = get_registry()
    recommendation = registry.recommendation(key)
    if recommendation is None:
        return None
    descriptions = {r.id: r.description for r in registry.rules_for(key)}
    return Fallback(
        recommendation.title, recommendation.summary, recommendation.actions, descriptions
    )


def _facts(values: Row, seeker: SeekerFacts, evidence: Sequence[Evidence]) -> StepFacts:
    fallback = _fallback(values["recommendation_key"]) or Fallback(
        values["title"], values["body"], tuple(values["actions"])
    )
    return StepFacts(
        key=values["recommendation_key"],
        evidence=tuple(evidence),
        seeker=seeker,
        fallback=fallback,
        tally=dict(values["tally"]),
        total=values["rejection_count"],
    )


def _worded(values: Row, seeker: SeekerFacts, evidence: Sequence[Evidence]) -> Row:
    """`values` with its words, explanation and evidence rendered from `evidence` (newest first)."""
    evidence = sorted(evidence, key=lambda e: e.at, reverse=True)[:MAX_EVIDENCE]
    rendered = render(_facts(values, seeker, evidence))
    words = rendered.words
    return values | {
        "title": words.title[:TITLE_MAX],
        "body": words.body,
        "actions": list(words.actions),
        "draft_message": words.draft_message,
        "explanation": [
            {
                "rule_id": line.rule_id,
                "rule_version": line.rule_version,
                "reason": line.reason,
                "facts": dict(line.facts),
                "count": line.count,
                "rejection_id": line.rejection_id,
                "trigger": "rejection" if line.rejection_id else "time",
            }
            for line in rendered.explanation
        ],
        "evidence": [e.to_json() for e in evidence],
        "rejection_ids": [e.rejection_id for e in reversed(evidence) if e.rejection_id],
    }


def _evidence(row: Row) -> list[Evidence]:
    return [Evidence.from_json(e) for e in row["evidence"]]


def record(
    session: Session,
    *,
    tenant_id: str,
    seeker_id: str,
    seeker: SeekerFacts,
    rejection_id: str | None,
    event: EventFacts | None,
    at: datetime,
    suggestions: Sequence[Suggestion],
    now: datetime,
    active: dict[tuple[str, str], Row] | None = None,
    writes: "StepWrites | None" = None,
    low_mood: bool = False,
) -> list[NextStepPublic]:
    """Create a step per suggestion, or extend the seeker's active one for it, and word it.

    `rejection_id` and `event` are the rejection that triggered the suggestions (None when time
    alone did: the sweep), `at` when it happened. Returns the steps created or changed, as the API
    shows them. A caller handling many seekers passes their `active` steps (see `active_for`) and
    one `StepWrites` for all, then sends it once; a dry run passes a `StepWrites` it never sends.
    """
    if active is None:
        active = active_for(session, seeker_ids=[seeker_id])[seeker_id]
    pending = StepWrites() if writes is None else writes
    changed: dict[str, Row] = {}
    for suggestion in suggestions:
        hits = tuple(
            HitFacts(h.rule_id, h.rule_version, h.key, dict(h.facts)) for h in suggestion.hits
        )
        item = Evidence(at=at, hits=hits, rejection_id=rejection_id, event=event)
        slot = (suggestion.recommendation_key, suggestion.scope)
        row = active.get(slot)
        goal = dict(suggestion.suggested_goal) if suggestion.suggested_goal else None
        if row is None:
            values: Row = {
                "id": new_id("nst"),
                "tenant_id": tenant_id,
                "seeker_id": seeker_id,
                "recommendation_key": suggestion.recommendation_key,
                "scope": suggestion.scope,
                "priority": suggestion.priority,
                "due_at": now + suggestion.due_after,
                "status": StepStatus.OPEN.value,
                "snoozed_until": None,
                "suggested_goal": goal,
                "tally": {h.rule_id: 1 for h in hits},
                "rejection_count": 1 if rejection_id else 0,
                "created_at": now,
                "updated_at": now,
                "version": 1,
                "_care": suggestion.care,
                "_new": True,
            }
            values = _worded(values, seeker, [item])
        else:
            tally = dict(row["tally"])
            for h in hits:
                tally[h.rule_id] = tally.get(h.rule_id, 0) + 1
            values = row | {
                # a new event makes the step current again: never due earlier than a new one
                "due_at": max(row["due_at"], now + suggestion.due_after),
                "suggested_goal": goal or row["suggested_goal"],
                "tally": tally,
                "rejection_count": row["rejection_count"] + (1 if rejection_id else 0),
                "updated_at": now,
                "_care": suggestion.care,
            }
            values = _worded(values, seeker, [item, *_evidence(row)])
        pending.put(row, values)
        if rejection_id:
            pending.supports.append(
                {"next_step_id": values["id"], "rejection_id": rejection_id}
                | {"occurred_at": at, "hits": item.to_json()["hits"]}
            )
        active[slot] = values  # a second record (a batch) sees this one
        changed[values["id"]] = values
    if event is not None:
        for values in pace(active, now=now, low_mood=low_mood):
            slot = (values["recommendation_key"], values["scope"])
            pending.put(active[slot], values)
            active[slot] = values
            changed[values["id"]] = values
    if writes is None:
        pending.send(session)
    return [as_public(v, now) for v in changed.values()]  # in the suggestions' order


def _order(values: Row) -> tuple[Any, ...]:
    return (values["priority"], values["due_at"], values["id"])


def _care(values: Row) -> bool:
    if "_care" in values:
        return bool(values["_care"])
    recommendation = get_registry().recommendation(values["recommendation_key"])
    return bool(recommendation and recommendation.care)


def pace(active: dict[tuple[str, str], Row], *, now: datetime, low_mood: bool) -> list[Row]:
    """Few things at once: at most AT_ONCE open steps due within 24 hours, care first.

    With a low mood only care steps stay due that soon. The others move later, in order of
    priority, two a day from the day after tomorrow; none is dropped. Returns the steps moved.
    """
    soon = [
        v
        for v in active.values()
        if v["status"] == StepStatus.OPEN.value and v["due_at"] <= now + SOON
    ]
    soon.sort(key=lambda v: (not _care(v), *_order(v)))
    keep = [v for v in soon if _care(v) or not low_mood][:AT_ONCE]
    later = [v for v in soon if v not in keep]
    moved = []
    for index, values in enumerate(later):
        due = now + timedelta(days=2 + index // 2)
        moved.append(values | {"due_at": due, "updated_at": now})
    return moved


@dataclass
class StepWrites:
    """Step rows prepared for one or many seekers, sent in one statement per kind.

    An update names the version it read; a step changed since (which the seeker lock should make
    impossible) fails the whole write as a concurrent change, as the ORM's version check would.
    """

    inserts: dict[str, Row] = field(default_factory=dict)  # by step id: the last change wins
    updates: dict[str, Row] = field(default_factory=dict)  # by step id: the last change wins
    supports: list[Row] = field(default_factory=list)

    def put(self, read: Row | None, values: Row) -> None:
        """Insert `values` (a new step, or one inserted earlier in this write) or update `read`."""
        if read is None or values.get("_new"):
            self.inserts[values["id"]] = values
        else:
            self.update(read, values)

    def update(self, read: Row, values: Row) -> None:
        """Write `values` over the row as it was `read` (one version up from what was read)."""
        first = self.updates.get(read["id"])
        read_version = first["read_version"] if first else read["version"]
        values["version"] = read_version + 1
        self.updates[read["id"]] = {"step_id": read["id"], "read_version": read_version} | {
            k: values[k] for k in _SETS
        }

    def send(self, session: Session) -> None:
        """Insert the new steps, update the changed ones, list the support, then forget them."""
        if self.inserts:
            columns = set(TABLE.c.keys())
            rows = [{k: v for k, v in r.items() if k in columns} for r in self.inserts.values()]
            session.execute(_INSERT, rows)
        if self.updates:
            updates = list(self.updates.values())
            result = session.execute(_UPDATE, updates)
            missed = len(updates) - cast(CursorResult[Any], result).rowcount
            if missed:
                raise StaleDataError(f"{missed} next step(s) changed since they were read")
        if self.supports:
            session.execute(_SUPPORT, self.supports)
        self.inserts, self.updates, self.supports = {}, {}, []


def as_public(values: Row, now: datetime) -> NextStepPublic:
    """A step row (as a dict) as the API shows it."""
    step = NextStepPublic.model_validate({name: values[name] for name in _PUBLIC_FIELDS})
    return public_at(step, now)


def retract(
    session: Session,
    *,
    seeker_id: str,
    rejection_id: str,
    now: datetime,
    seeker: SeekerFacts,
    older: Callable[[str, str], list[Evidence]],
) -> list[NextStepPublic]:
    """Take a deleted rejection out of the active steps it supported and word them again from
    what remains; a step with nothing left is retracted. Returns the steps it changed.

    `older(step_id, excluding)` gives a step's most recent supporting events but one, from the
    rejections themselves, for when the deleted one was among those the step kept in full.
    """
    supported = {r[0]: r[1] for r in session.execute(_SUPPORTED, {"rejection_id": rejection_id})}
    writes, changed = StepWrites(), []
    active = active_for(session, seeker_ids=[seeker_id])[seeker_id]
    for row in active.values():
        if row["id"] not in supported:
            continue
        tally = dict(row["tally"])
        for hit in supported[row["id"]]:
            tally[hit["rule_id"]] = max(0, tally.get(hit["rule_id"], 0) - 1)
        tally = {rule: n for rule, n in tally.items() if n}
        count = max(0, row["rejection_count"] - 1)
        kept = [e for e in _evidence(row) if e.rejection_id != rejection_id]
        kept_rejections = sum(1 for e in kept if e.rejection_id)
        if kept_rejections < min(count, MAX_EVIDENCE):  # refill (also a step from before 0009)
            kept = [e for e in kept if not e.rejection_id] + older(row["id"], rejection_id)
        values = row | {"tally": tally, "rejection_count": count, "updated_at": now}
        if not count and not kept:
            values |= {"status": StepStatus.RETRACTED.value, "snoozed_until": None}
            values |= {"evidence": [], "rejection_ids": []}
        else:
            values = _worded(values, seeker, kept)
        writes.update(row, values)
        changed.append(values)
    writes.send(session)
    return [as_public(values, now) for values in changed]


class OlderEvidence:
    """Reads a step's supporting events back from `next_step_support` and the rejections."""

    def __init__(
        self, session: Session, events: Callable[[list[str]], dict[str, EventFacts]]
    ) -> None:
        self.session = session
        self.events = events  # the facts of stored rejections, by id

    def __call__(self, step_id: str, excluding: str) -> list[Evidence]:
        """The step's MAX_EVIDENCE most recent supporting rejections, but `excluding`."""
        rows = self.session.execute(
            sa.select(SUPPORT.c.rejection_id, SUPPORT.c.occurred_at, SUPPORT.c.hits)
            .where(SUPPORT.c.next_step_id == step_id, SUPPORT.c.rejection_id != excluding)
            .order_by(SUPPORT.c.occurred_at.desc())
            .limit(MAX_EVIDENCE)
        ).all()
        facts = self.events([r.rejection_id for r in rows])
        return [
            Evidence(
                at=r.occurred_at,
                hits=tuple(
                    HitFacts(h["rule_id"], h["rule_version"], h["key"], h.get("facts") or {})
                    for h in r.hits
                ),
                rejection_id=r.rejection_id,
                event=facts[r.rejection_id],
            )
            for r in rows
            if r.rejection_id in facts
        ]
