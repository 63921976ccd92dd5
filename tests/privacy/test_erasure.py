"""Erasure forgets everything, and export holds everything: a seeker with one of everything is
erased, then every table of the migrated schema is scanned for any of their ids or texts.

What may remain is what the README's privacy section says remains: the outbox keeps the *ids* of
the seeker's earlier events (`webhook_message.resource_id` and `seeker_id`, with their payloads
blanked) and the `seeker.deleted` event naming the seeker's id, so that integrators still learn
which records to erase on their side.
"""

import contextlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.fernet import InvalidToken
from fastapi import FastAPI
from sqlmodel import Session

from app.core import crypto
from app.sweep import service as sweep
from tests.factories import ApiCaller

# When the sweep runs: after the requests (they use the real clock), before their stored responses
# expire (the sweep purges those).
NOW = datetime.now(UTC) + timedelta(hours=1)
ALLOWED = {  # (table, column) → why it may keep an erased seeker's id; never their texts
    ("webhook_message", "resource_id"): "integrators learn which of their copies to erase",
    ("webhook_message", "seeker_id"): "the redacted messages still due are sent by it",
    ("webhook_message", "data"): "only the `seeker.deleted` event: {'id': <seeker id>}",
}


class Subject:
    """One seeker with one of everything, and every id and text of theirs that was stored."""

    def __init__(self, api: ApiCaller, session: Session) -> None:
        self.api = api
        self.tag = uuid.uuid4().hex[:10]
        self.ids: set[str] = set()
        self.texts: set[str] = set()
        self.keys: set[str] = set()  # Idempotency-Keys the seeker's requests used
        self.posted: set[str] = set()  # the POST routes exercised, by path template
        self._session = session

    def text(self, name: str) -> str:
        """A text unique to this subject (lower case: some rules fold the case of skills)."""
        value = f"{name}-{self.tag}"
        self.texts.add(value)
        return value

    def post(self, template: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST with an Idempotency-Key, so that its response is stored for replay too."""
        key = f"erase-{self.tag}-{len(self.keys)}"
        self.keys.add(key)
        self.posted.add(template)
        response = self.api.post(path, json=body, headers={"Idempotency-Key": key})
        assert response.status_code in (200, 201), response.text
        result: dict[str, Any] = response.json()
        return result

    def build(self) -> dict[str, Any]:
        """Record one of everything about a new seeker; returns the seeker."""
        t = self.text
        seeker = self.post(
            "/v1/seekers",
            "/v1/seekers",
            {
                "display_name": t("zora"),
                "external_id": t("crm"),
                "target_roles": [t("cartographer")],
                "strengths": [t("mapreading")],
                "skills": [t("surveying")],
            },
        )
        sid = seeker["id"]
        applied_on = str(NOW.date() - timedelta(days=30))  # unanswered by the time the sweep runs
        application = self.post(
            "/v1/seekers/{seeker_id}/applications",
            f"/v1/seekers/{sid}/applications",
            {
                "company": t("northwind"),
                "role": t("mapper"),
                "applied_on": applied_on,
                "job_url": f"https://jobs.test/{self.tag}",
                "external_id": t("app"),
            },
        )
        self.texts.add(f"https://jobs.test/{self.tag}")
        rejection = self.post(
            "/v1/seekers/{seeker_id}/rejections",
            f"/v1/seekers/{sid}/rejections",
            {
                "company": t("southridge"),
                "role": t("surveyor"),
                "stage": "interview",
                "reason": "lacks_skills",
                "reason_detail": t("detail"),
                "missing_skills": [t("geodesy")],
                "feedback": t("feedback"),
                "note": t("note"),
                "mood": 2,
                "source": "greenhouse",
                "external_id": t("gh"),
                "occurred_at": (NOW - timedelta(days=20)).isoformat(),  # the dry spell goes on
            },
        )
        batch = self.post(
            "/v1/rejections/batch",
            "/v1/rejections/batch",
            {
                "items": [
                    {
                        "seeker_id": sid,
                        "company": t("eastbay"),
                        "role": t("planner"),
                        "stage": "assessment",
                        "missing_skills": [t("geodesy")],
                        "occurred_at": (NOW - timedelta(days=20)).isoformat(),
                    }
                ]
            },
        )
        goal = self.post(
            "/v1/seekers/{seeker_id}/goals",
            f"/v1/seekers/{sid}/goals",
            {"title": t("goal"), "kind": "custom", "target": 3, "unit": "maps"},
        )
        check_in = self.post(
            "/v1/goals/{goal_id}/check-ins",
            f"/v1/goals/{goal['id']}/check-ins",
            {"value": 1, "note": t("checkin")},
        )
        steps = self.api.get(f"/v1/seekers/{sid}/next-steps", params={"limit": 200}).json()
        with_goal = next(s for s in steps["data"] if s.get("suggested_goal"))
        accepted = self.post(
            "/v1/next-steps/{next_step_id}/accept-goal",
            f"/v1/next-steps/{with_goal['id']}/accept-goal",
            {},
        )
        self.post(
            "/v1/rules/evaluate",
            "/v1/rules/evaluate",
            {
                "seeker_id": sid,
                "rejection": {"company": t("westend"), "role": "r", "stage": "final_round"},
            },
        )
        sweep.run(self._session, now=NOW, batch_size=100)  # findings: an unanswered application
        listed = self.api.get(f"/v1/seekers/{sid}/next-steps", params={"limit": 200}).json()
        self.ids |= {sid, application["id"], rejection["id"], goal["id"], check_in["id"]}
        self.ids |= {batch["results"][0]["rejection"]["id"], accepted["id"]}
        self.ids |= {s["id"] for s in listed["data"]}
        return seeker


def _readable(value: Any) -> str:
    """A stored value as text, unsealed where it is sealed (stored responses, secrets)."""
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes | str):
        raw = value.encode() if isinstance(value, str) else value
        if raw.startswith(b"gAAAAA"):
            with contextlib.suppress(InvalidToken):
                raw = crypto.unseal(raw)
        return raw.decode(errors="replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def scan(session: Session, needles: set[str]) -> Iterator[tuple[str, str, str, str]]:
    """Every (table, column, needle, row) where a needle occurs, in every table there is."""
    connection = session.connection()
    lowered = {n.lower(): n for n in needles}
    for table in sa.inspect(connection).get_table_names():
        if table == "alembic_version":
            continue
        result = connection.execute(sa.text(f'SELECT * FROM "{table}"'))  # noqa: S608
        columns = list(result.keys())
        for row in result:
            for column, value in zip(columns, row, strict=True):
                text = _readable(value).lower()
                for low, needle in lowered.items():
                    if low in text:
                        yield table, column, needle, text[:200]


@pytest.fixture
def subject(api: ApiCaller, session: Session) -> Subject:
    api.post("/v1/webhook-endpoints", json={"url": "http://127.0.0.1:9/hook"})  # every event
    return Subject(api, session)


def test_every_post_route_about_a_seeker_is_exercised(app: FastAPI, subject: Subject) -> None:
    subject.build()
    paths = app.openapi()["paths"].items()
    posts = {path for path, operations in paths if path.startswith("/v1/") and "post" in operations}
    not_about_seekers = {p for p in posts if p.startswith("/v1/webhook-endpoints")}
    assert posts - not_about_seekers == subject.posted  # a new route joins the subject above


def test_erasing_a_seeker_leaves_none_of_their_ids_or_texts_anywhere(
    api: ApiCaller, session: Session, subject: Subject
) -> None:
    seeker = subject.build()
    needles = subject.ids | subject.texts | subject.keys
    before = {(table, column) for table, column, _, _ in scan(session, needles)}
    assert ("goal_check_in", "note") in before and ("idempotency_record", "body") in before
    assert ("step_finding", "key") in before and ("webhook_message", "data") in before
    found = {needle for _, _, needle, _ in scan(session, needles)}
    assert found == needles  # the scan sees every one of them before the erasure

    assert api.delete(f"/v1/seekers/{seeker['id']}").status_code == 204

    left = [hit for hit in scan(session, needles) if hit[:2] not in ALLOWED]
    assert left == []
    for table, column, needle, text in scan(session, needles):
        assert needle in subject.ids, (table, column, needle)  # ids only, never a text
        if column == "data":
            assert json.loads(text) == {"id": seeker["id"]}, text


def test_a_replayed_request_of_an_erased_seeker_runs_anew(
    api: ApiCaller, session: Session, subject: Subject
) -> None:
    seeker = subject.build()
    goal = api.get(f"/v1/seekers/{seeker['id']}/goals").json()["data"][-1]
    body = {"value": 1, "note": "again"}
    key = {"Idempotency-Key": f"replay-{subject.tag}"}
    assert api.post(f"/v1/goals/{goal['id']}/check-ins", json=body, headers=key).status_code == 201
    assert api.delete(f"/v1/seekers/{seeker['id']}").status_code == 204

    again = api.post(f"/v1/goals/{goal['id']}/check-ins", json=body, headers=key)
    assert again.status_code == 404  # the goal is gone; nothing was kept to replay
    assert "idempotent-replayed" not in again.headers


def test_a_batch_response_goes_when_any_seeker_it_names_is_erased(
    api: ApiCaller, session: Session
) -> None:
    first, second = api.seeker(), api.seeker()
    items = [
        {"seeker_id": s["id"], "company": "Acme", "role": "R", "stage": "offer"}
        for s in (first, second)
    ]
    key = {"Idempotency-Key": f"batch-{uuid.uuid4().hex}"}
    assert api.post("/v1/rejections/batch", json={"items": items}, headers=key).status_code == 200
    assert api.delete(f"/v1/seekers/{second['id']}").status_code == 204

    again = api.post("/v1/rejections/batch", json={"items": items}, headers=key)
    assert "idempotent-replayed" not in again.headers  # not replayed with the erased seeker in it
    assert again.json()["results"][1]["error"]["code"] == "seeker_not_found"


def test_export_holds_every_id_and_text_the_scan_finds(
    api: ApiCaller, session: Session, subject: Subject
) -> None:
    seeker = subject.build()
    needles = subject.ids | subject.texts | subject.keys
    stored = {needle for _, _, needle, _ in scan(session, needles)}
    document = json.dumps(api.get(f"/v1/seekers/{seeker['id']}/export").json()).lower()
    assert {n for n in stored if n.lower() not in document} == set()
    export = json.loads(document)
    assert [c["note"] for c in export["check_ins"]] == [f"checkin-{subject.tag}"]
    assert {f["key"].split(":")[0] for f in export["findings"]} == {"unanswered", "dry_spell"}
    assert {r["idempotency_key"] for r in export["stored_responses"]} == subject.keys
    assert {g["recommendation_key"] for g in export["goals"]} >= {None, "continue_upskilling"}
