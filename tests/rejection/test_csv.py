"""`GET /v1/seekers/{seeker_id}/rejections?format=csv`: the whole list, for a spreadsheet."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session

from app.core.db import AppSession
from app.rejection.models import Rejection
from tests.factories import ApiCaller, csv_export, csv_table, json_ids

PROBLEM = "application/problem+json"
HEADER = [
    "occurred_at",
    "company",
    "role",
    "stage",
    "ended_by",
    "reason",
    "reason_detail",
    "feedback",
    "missing_skills",
    "mood",
    "note",
    "source",
    "external_id",
    "application_id",
    "id",
    "seeker_id",
    "created_at",
]


def _url(seeker_id: str) -> str:
    return f"/v1/seekers/{seeker_id}/rejections"


def _batch(api: ApiCaller, seeker_id: str, count: int, start: int = 0) -> None:
    items = [
        {"seeker_id": seeker_id, "company": f"Company {start + n}", "role": "Analyst"}
        | {"stage": "application_review"}
        for n in range(count)
    ]
    response = api.post("/v1/rejections/batch", json={"items": items})
    assert response.status_code == 200, response.text
    assert response.json()["created"] == count


def test_csv_export_has_header_and_one_row_per_rejection(api: ApiCaller) -> None:
    seeker = api.seeker()
    application = api.application(seeker["id"], company="Initech")
    first = api.rejection(
        seeker["id"],
        company="Initech",
        role="Analyst",
        stage="phone_screen",
        application_id=application["id"],
        occurred_at="2026-03-02T09:30:00+01:00",
    )
    second = api.rejection(
        seeker["id"],
        company="Globex",
        role="Data Engineer",
        stage="final_round",
        reason="lacks_skills",
        reason_detail="Looking for more Spark",
        feedback="Strong SQL.",
        missing_skills=["spark", "airflow"],
        mood=2,
        note="Ask Dana for a referral",
        occurred_at="2026-03-05T17:00:00Z",
        source="greenhouse",
        external_id="gh-77",
    )
    response = csv_export(api, _url(seeker["id"]))
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="rejections-{seeker["id"]}.csv"'
    )
    assert response.content.count(b"\r\n") == 3  # RFC 4180 line ends

    rows = csv_table(response, HEADER)
    assert [row["id"] for row in rows] == [second["id"], first["id"]]  # as the JSON list
    assert rows[0] == {
        "occurred_at": "2026-03-05T17:00:00Z",
        "company": "Globex",
        "role": "Data Engineer",
        "stage": "final_round",
        "ended_by": "employer",
        "reason": "lacks_skills",
        "reason_detail": "Looking for more Spark",
        "feedback": "Strong SQL.",
        "missing_skills": "spark; airflow",
        "mood": "2",
        "note": "Ask Dana for a referral",
        "source": "greenhouse",
        "external_id": "gh-77",
        "application_id": "",
        "id": second["id"],
        "seeker_id": seeker["id"],
        "created_at": second["created_at"],
    }
    assert rows[1]["occurred_at"] == "2026-03-02T08:30:00Z"  # stored and shown in UTC
    assert rows[1]["application_id"] == application["id"]
    assert (rows[1]["mood"], rows[1]["feedback"], rows[1]["missing_skills"]) == ("", "", "")


def test_csv_export_quotes_commas_quotes_and_newlines(api: ApiCaller) -> None:
    seeker = api.seeker()
    api.rejection(
        seeker["id"],
        company='Acme, "Rockets" Inc',
        feedback="Line one\nline two, with a comma",
        missing_skills=["c, c++", 'say "hi"'],
    )
    response = csv_export(api, _url(seeker["id"]))
    text = response.content.decode("utf-8-sig")
    assert '"Acme, ""Rockets"" Inc"' in text
    assert '"Line one\nline two, with a comma"' in text
    row = csv_table(response, HEADER)[0]
    assert row["company"] == 'Acme, "Rockets" Inc'
    assert row["feedback"] == "Line one\nline two, with a comma"
    assert row["missing_skills"] == 'c, c++; say "hi"'


def test_csv_export_keeps_non_ascii_text(api: ApiCaller) -> None:
    seeker = api.seeker()
    api.rejection(seeker["id"], company="Société Générale", role="Analyste données")
    row = csv_table(csv_export(api, _url(seeker["id"])), HEADER)[0]
    assert (row["company"], row["role"]) == ("Société Générale", "Analyste données")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("company", '=HYPERLINK("https://evil.example","Click")'),
        ("role", "+1+2"),
        ("note", "-2+3"),
        ("reason_detail", "@SUM(A1:A9)"),
        ("feedback", "\t=1+1"),
        ("note", "\r=1+1"),
        ("missing_skills", ["=cmd|' /C calc'!A0", "sql"]),
    ],
)
def test_csv_export_neutralises_formulas(api: ApiCaller, field: str, value: Any) -> None:
    seeker = api.seeker()
    stored = api.rejection(seeker["id"], **{field: value})
    row = csv_table(csv_export(api, _url(seeker["id"])), HEADER)[0]
    expected = "; ".join(value) if isinstance(value, list) else stored[field]
    assert row[field] == "'" + expected


def test_csv_export_of_an_empty_list_is_the_header_only(api: ApiCaller) -> None:
    seeker = api.seeker()
    response = csv_export(api, _url(seeker["id"]))
    assert response.content == ("\ufeff" + ",".join(HEADER) + "\r\n").encode()
    assert csv_table(response, HEADER) == []


def test_csv_export_is_complete_beyond_one_batch(api: ApiCaller) -> None:
    seeker = api.seeker()
    _batch(api, seeker["id"], 500)
    _batch(api, seeker["id"], 103, start=500)
    rows = csv_table(csv_export(api, _url(seeker["id"])), HEADER)
    assert len(rows) == 603
    assert [row["id"] for row in rows] == json_ids(api, _url(seeker["id"]))
    assert rows[0]["company"] == "Company 602"


def test_json_stays_the_default_and_explicit(api: ApiCaller) -> None:
    seeker = api.seeker()
    api.rejection(seeker["id"])
    default = api.get(_url(seeker["id"]))
    explicit = api.get(_url(seeker["id"]), params={"format": "json", "limit": 1})
    assert default.headers["content-type"] == explicit.headers["content-type"] == "application/json"
    assert default.json()["data"] == explicit.json()["data"]


@pytest.fixture
def session_events() -> Iterator[list[tuple[int, str]]]:
    """(session, "read rejections" | "close") for every session, in the order they happen."""
    events: list[tuple[int, str]] = []
    original_close = AppSession.close

    def record_read(state: ORMExecuteState) -> None:
        if state.is_select and Rejection in {m.class_ for m in state.all_mappers}:
            events.append((id(state.session), "read"))

    def record_close(self: AppSession) -> None:
        events.append((id(self), "close"))
        original_close(self)

    event.listen(Session, "do_orm_execute", record_read)
    AppSession.close = record_close  # type: ignore[method-assign]
    try:
        yield events
    finally:
        AppSession.close = original_close  # type: ignore[method-assign]
        event.remove(Session, "do_orm_execute", record_read)


def test_csv_export_reads_every_batch_in_the_request_session(
    committed_api: tuple[ApiCaller, str], session_events: list[tuple[int, str]]
) -> None:
    """With the real per-request session (no test override), every batch is read in the
    request's one session, before it closes (nothing is left to read while the body is sent)."""
    api, _ = committed_api
    seeker = api.seeker()
    _batch(api, seeker["id"], 500)
    _batch(api, seeker["id"], 20, start=500)
    session_events.clear()
    assert len(csv_table(csv_export(api, _url(seeker["id"])), HEADER)) == 520
    reading = {session for session, what in session_events if what == "read"}
    assert len(reading) == 1
    (session,) = reading
    mine = [what for who, what in session_events if who == session]
    assert mine == ["read", "read", "close"]  # two batches of 500, then closed once


def test_an_export_longer_than_the_cap_is_refused_whole(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeker = api.seeker()
    _batch(api, seeker["id"], 12)
    monkeypatch.setattr("app.core.csv_export.MAX_EXPORT_ROWS", 10)
    response = api.get(_url(seeker["id"]), params={"format": "csv"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "export_too_large"
