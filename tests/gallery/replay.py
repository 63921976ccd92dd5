"""Replaying corpus histories through the HTTP API, the service's clock pinned to each action.

Only the fields the current request schemas accept are sent (read from the app's OpenAPI
document); the others a history names, such as a planned `contact_name`, are reported as
pending, so the corpus is ready for the day they land.
"""

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from app.core.clock import pinned
from tests.factories import ApiCaller
from tests.gallery.model import (
    Action,
    Apply,
    CheckIn,
    Delete,
    Goal,
    History,
    Reject,
    Sweep,
    at,
)

SweepFn = Callable[[datetime], None]  # runs the sweep as of the given moment

# Each body the replay sends, by the route whose request schema says what it accepts.
ROUTES = {
    "seeker": "/v1/seekers",
    "application": "/v1/seekers/{seeker_id}/applications",
    "rejection": "/v1/seekers/{seeker_id}/rejections",
    "goal": "/v1/seekers/{seeker_id}/goals",
    "check_in": "/v1/goals/{goal_id}/check-ins",
}
_LOCAL = frozenset({"days_ago", "ref", "application", "goal", "due_in_days"})  # ours, not the API's


@dataclass
class Snapshot:
    """The seeker's open steps right after one rejection was recorded."""

    event: Reject
    at: datetime
    steps: list[dict[str, Any]]


@dataclass
class Replayed:
    """What a history left: the open steps and goals the seeker reads at its last moment."""

    history: History
    last_at: datetime
    steps: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    snapshots: list[Snapshot]
    rejection_ids: dict[int, str]  # by the rejection's position in the timeline
    pending: dict[str, set[str]] = field(default_factory=dict)


def accepted_fields(openapi: dict[str, Any]) -> dict[str, frozenset[str]]:
    """The properties each POST body in ROUTES accepts, per the OpenAPI document."""
    schemas = openapi["components"]["schemas"]
    accepted = {}
    for kind, path in ROUTES.items():
        body = openapi["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        schema = body["schema"]
        while "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        accepted[kind] = frozenset(schema["properties"])
    return accepted


class Replay:
    """One history's replay against one caller."""

    def __init__(
        self, caller: ApiCaller, history: History, sweep: SweepFn, accepted: dict[str, Any]
    ) -> None:
        self.caller, self.history, self.sweep, self.accepted = caller, history, sweep, accepted
        self.zone = ZoneInfo(history.profile.timezone)
        self.refs: dict[str, str] = {}
        self.result = Replayed(history, at(history.timeline[-1].days_ago), [], [], [], {})

    def run(self) -> Replayed:
        """Create the seeker, replay every action at its moment, then read what they see."""
        timeline = self.history.timeline
        with pinned(at(timeline[0].days_ago)):
            profile = {k: _plain(v) for k, v in dataclasses.asdict(self.history.profile).items()}
            self.seeker_id = self._post("seeker", "/v1/seekers", profile)["id"]
        for index, action in enumerate(timeline):
            with pinned(at(action.days_ago)):
                self._act(index, action)
        with pinned(self.result.last_at):
            self.result.steps = self._open_steps()
            self.result.goals = [
                self._ok(self.caller.get(f"/v1/goals/{goal_id}"), 200)
                for ref, goal_id in self.refs.items()
                if ref.startswith("goal:")
            ]
        return self.result

    def _act(self, index: int, action: Action) -> None:
        when = at(action.days_ago)
        base = f"/v1/seekers/{self.seeker_id}"
        if isinstance(action, Apply):
            body = self._fields(action) | {"applied_on": self._day(when).isoformat()}
            self._remember(action.ref, self._post("application", f"{base}/applications", body))
        elif isinstance(action, Reject):
            body = self._fields(action) | {"occurred_at": when.isoformat()}
            if action.application:
                body["application_id"] = self.refs[action.application]
            created = self._post("rejection", f"{base}/rejections", body)
            self.result.rejection_ids[index] = created["id"]
            self._remember(action.ref, created)
            self.result.snapshots.append(Snapshot(action, when, self._open_steps()))
        elif isinstance(action, Goal):
            start = self._day(when)
            body = self._fields(action) | {"start_on": start.isoformat()}
            if action.due_in_days is not None:
                body["due_on"] = (start + timedelta(days=action.due_in_days)).isoformat()
            self._remember(f"goal:{action.ref or index}", self._post("goal", f"{base}/goals", body))
        elif isinstance(action, CheckIn):
            body = self._fields(action) | {"occurred_at": when.isoformat()}
            goal_id = self.refs[f"goal:{action.goal}"]
            self._post("check_in", f"/v1/goals/{goal_id}/check-ins", body)
        elif isinstance(action, Delete):
            response = self.caller.delete(f"/v1/rejections/{self.refs[action.rejection]}")
            self._ok(response, 204)
        elif isinstance(action, Sweep):
            self.sweep(when)

    def _fields(self, action: Action) -> dict[str, Any]:
        values = dataclasses.asdict(action).items()
        return {k: _plain(v) for k, v in values if k not in _LOCAL and v is not None}

    def _post(self, kind: str, url: str, body: dict[str, Any]) -> dict[str, Any]:
        unknown = set(body) - self.accepted[kind]
        if unknown:  # planned fields: kept in the corpus, reported, not sent
            self.result.pending.setdefault(kind, set()).update(unknown)
        sent = {k: v for k, v in body.items() if k not in unknown}
        return self._ok(self.caller.post(url, json=sent), 201)

    def _open_steps(self) -> list[dict[str, Any]]:
        url = f"/v1/seekers/{self.seeker_id}/next-steps"
        page = self._ok(self.caller.get(url, params={"limit": 200}), 200)
        if page["has_more"]:
            raise AssertionError(f"{self.history.slug}: more than 200 open steps")
        steps: list[dict[str, Any]] = page["data"]
        return steps

    def _ok(self, response: httpx.Response, status: int) -> dict[str, Any]:
        if response.status_code != status:
            raise AssertionError(
                f"{self.history.slug}: {response.request.method} {response.request.url.path} "
                f"answered {response.status_code}, not {status}: {response.text}"
            )
        body: dict[str, Any] = response.json() if response.content else {}
        return body

    def _remember(self, ref: str | None, created: dict[str, Any]) -> None:
        if ref is not None:
            self.refs[ref] = created["id"]

    def _day(self, when: datetime) -> date:
        return when.astimezone(self.zone).date()


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def replay_all(caller: ApiCaller, sweep: SweepFn, corpus: Sequence[History]) -> list[Replayed]:
    """Replay each history in turn, reading each seeker's steps before the next one starts.

    The sweep walks every seeker, so a later history's sweep also touches earlier seekers; each
    is read at the end of its own history, before that can happen.
    """
    accepted = accepted_fields(caller.get("/openapi.json").json())
    return [Replay(caller, history, sweep, accepted).run() for history in corpus]
