"""What a step's words are written from: the facts of its supporting events, kept on the step.

A step stores one `Evidence` per supporting event (its most recent ones; see
`app/next_step/writing.py`) and counts of everything; these are plain data, read back from JSON,
so that a new event, a deleted one or another locale re-renders the words from facts instead of
patching strings.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

MAX_EVIDENCE = 20  # the supporting events a step keeps (and lists) in full, most recent first


@dataclass(frozen=True)
class EventFacts:
    """What the seeker told us about one rejection."""

    company: str
    role: str
    stage: str
    ended_by: str = "employer"
    reason: str = "unspecified"
    reason_detail: str | None = None
    feedback: str | None = None
    missing_skills: tuple[str, ...] = ()
    mood: int | None = None
    contact_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        """As stored on the step."""
        return {**vars(self), "missing_skills": list(self.missing_skills)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "EventFacts":
        """From what `to_json` stored (unknown keys from later versions are ignored)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["missing_skills"] = tuple(known.get("missing_skills") or ())
        return cls(**known)


@dataclass(frozen=True)
class HitFacts:
    """One rule that fired for one event: its id, version, message key and facts."""

    rule_id: str
    rule_version: int
    key: str
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Evidence:
    """One supporting event (a rejection, or time passing: `event` is None) and what it set off."""

    at: datetime
    hits: tuple[HitFacts, ...]
    rejection_id: str | None = None
    event: EventFacts | None = None

    def to_json(self) -> dict[str, Any]:
        """As stored on the step."""
        return {
            "at": self.at.isoformat(),
            "rejection_id": self.rejection_id,
            "event": self.event.to_json() if self.event else None,
            "hits": [
                {"rule_id": h.rule_id, "rule_version": h.rule_version, "key": h.key}
                | {"facts": dict(h.facts)}
                for h in self.hits
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Evidence":
        """From what `to_json` stored."""
        return cls(
            at=datetime.fromisoformat(data["at"]),
            rejection_id=data.get("rejection_id"),
            event=EventFacts.from_json(data["event"]) if data.get("event") else None,
            hits=tuple(
                HitFacts(h["rule_id"], h["rule_version"], h["key"], h.get("facts") or {})
                for h in data.get("hits") or ()
            ),
        )


@dataclass(frozen=True)
class SeekerFacts:
    """What the seeker told us about themselves."""

    display_name: str | None = None
    locale: str | None = None
    strengths: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    target_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fallback:
    """The recommendation's own words, for a step whose recommendation has no composer."""

    title: str
    summary: str
    actions: tuple[str, ...]
    descriptions: Mapping[str, str] = field(default_factory=dict)  # rule id → its docstring


@dataclass(frozen=True)
class StepFacts:
    """Everything one step's words may rest on."""

    key: str  # the recommendation
    evidence: tuple[Evidence, ...]  # newest first, at most MAX_EVIDENCE
    seeker: SeekerFacts
    fallback: Fallback
    tally: Mapping[str, int] = field(default_factory=dict)  # rule id → supporting events
    total: int = 0  # supporting rejections, all of them (not only those kept)

    @property
    def events(self) -> list[tuple[str | None, EventFacts]]:
        """(rejection id, facts) of the supporting rejections kept, newest first."""
        return [(e.rejection_id, e.event) for e in self.evidence if e.event is not None]

    @property
    def latest(self) -> EventFacts | None:
        """The newest supporting rejection, if any."""
        return next((e.event for e in self.evidence if e.event is not None), None)

    def hits(self, rule_id: str) -> list[tuple[Evidence, HitFacts]]:
        """Where a rule fired among the evidence kept, newest first."""
        return [(e, h) for e in self.evidence for h in e.hits if h.rule_id == rule_id]

    def fired(self, rule_id: str) -> bool:
        """Whether a rule fired for any supporting event kept."""
        return any(h.rule_id == rule_id for e in self.evidence for h in e.hits)

    def count(self, rule_id: str) -> int:
        """How many supporting events a rule fired for, all of them."""
        return self.tally.get(rule_id) or len(self.hits(rule_id))


@dataclass(frozen=True)
class Words:
    """A step as the seeker reads it (explanation lines are added by `render`)."""

    title: str
    body: str
    actions: tuple[str, ...] = ()
    draft_message: str | None = None


@dataclass(frozen=True)
class Line:
    """One reason in a step's explanation: said once, with how often it applied."""

    rule_id: str
    rule_version: int
    reason: str
    facts: Mapping[str, Any]
    count: int
    rejection_id: str | None
