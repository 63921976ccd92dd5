"""`GET /v1/seekers/{seeker_id}/applications?format=csv`: the whole list, for a spreadsheet."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.application.models import Application
from app.core.ids import new_id
from app.seeker.models import Seeker
from tests.factories import ApiCaller, csv_export, csv_table, json_ids

PROBLEM = "application/problem+json"
HEADER = [
    "applied_on",
    "company",
    "role",
    "status",
    "source",
    "job_url",
    "external_id",
    "id",
    "seeker_id",
    "created_at",
    "updated_at",
    "version",
]


def _url(seeker_id: str) -> str:
    return f"/v1/seekers/{seeker_id}/applications"


def _insert_many(session: Session, seeker_id: str, count: int) -> None:
    """`count` applications in one INSERT (the API would take one request each)."""
    tenant_id = session.get_one(Seeker, seeker_id).tenant_id
    now = datetime.now(UTC)
    values = [
        {
            "id": new_id("app"),
            "tenant_id": tenant_id,
            "seeker_id": seeker_id,
            "company": f"Company {n}",
            "role": "Analyst",
            "applied_on": date(2026, 1, 1),
            "source": "manual",
            "status": "applied",
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for n in range(count)
    ]
    session.execute(sa.insert(Application.__table__), values)  # type: ignore[attr-defined]
    session.commit()


def test_csv_export_has_header_and_one_row_per_application(api: ApiCaller) -> None:
    seeker = api.seeker()
    first = api.application(
        seeker["id"], company="Initech", role="Analyst", applied_on="2026-02-27"
    )
    second = api.application(
        seeker["id"],
        company="Globex",
        role="Data Engineer",
        applied_on="2026-03-02",
        source="linkedin",
        job_url="https://globex.example/jobs/7",
        external_id="li-7",
    )
    updated = api.patch(f"/v1/applications/{second['id']}", json={"status": "interviewing"})
    second = updated.json()
    response = csv_export(api, _url(seeker["id"]))
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="applications-{seeker["id"]}.csv"'
    )
    assert response.content.count(b"\r\n") == 3  # RFC 4180 line ends

    rows = csv_table(response, HEADER)
    assert [row["id"] for row in rows] == [second["id"], first["id"]]  # as the JSON list
    assert rows[0] == {
        "applied_on": "2026-03-02",
        "company": "Globex",
        "role": "Data Engineer",
        "status": "interviewing",
        "source": "linkedin",
        "job_url": "https://globex.example/jobs/7",
        "external_id": "li-7",
        "id": second["id"],
        "seeker_id": seeker["id"],
        "created_at": second["created_at"],
        "updated_at": second["updated_at"],
        "version": "2",
    }
    assert (rows[1]["job_url"], rows[1]["external_id"]) == ("", "")  # null is empty
    assert rows[1]["applied_on"] == "2026-02-27"


def test_csv_export_quotes_commas_quotes_and_newlines(api: ApiCaller) -> None:
    seeker = api.seeker()
    api.application(seeker["id"], company='Acme, "Rockets" Inc', role="Analyst, Data")
    response = csv_export(api, _url(seeker["id"]))
    text = response.content.decode("utf-8-sig")
    assert '"Acme, ""Rockets"" Inc","Analyst, Data"' in text
    row = csv_table(response, HEADER)[0]
    assert (row["company"], row["role"]) == ('Acme, "Rockets" Inc', "Analyst, Data")


def test_csv_export_quotes_newlines_from_integrations(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker()
    body = api.application(seeker["id"])
    row = session.get_one(Application, body["id"])
    row.role = "Analyst\r\nData"  # the API strips names' ends, not inner line breaks
    session.add(row)
    session.commit()
    response = csv_export(api, _url(seeker["id"]))
    assert '"Analyst\r\nData"' in response.content.decode("utf-8-sig")
    assert csv_table(response, HEADER)[0]["role"] == "Analyst\r\nData"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("company", '=HYPERLINK("https://evil.example","Click")'),
        ("role", "+1+2"),
        ("company", "-2+3"),
        ("role", "@SUM(A1:A9)"),
        ("external_id", "=1+1"),
    ],
)
def test_csv_export_neutralises_formulas(api: ApiCaller, field: str, value: str) -> None:
    seeker = api.seeker()
    stored = api.application(seeker["id"], **{field: value})
    row = csv_table(csv_export(api, _url(seeker["id"])), HEADER)[0]
    assert row[field] == "'" + stored[field]


@pytest.mark.parametrize("value", ["\t=1+1", "\r=1+1"])
def test_csv_export_neutralises_leading_tab_and_cr(
    api: ApiCaller, session: Session, value: str
) -> None:
    seeker = api.seeker()
    body = api.application(seeker["id"])
    row = session.get_one(Application, body["id"])
    row.company = value  # names are stripped on the way in; a row written otherwise is not
    session.add(row)
    session.commit()
    assert csv_table(csv_export(api, _url(seeker["id"])), HEADER)[0]["company"] == "'" + value


def test_csv_export_of_an_empty_list_is_the_header_only(api: ApiCaller) -> None:
    seeker = api.seeker()
    response = csv_export(api, _url(seeker["id"]))
    assert response.content == ("\ufeff" + ",".join(HEADER) + "\r\n").encode()
    assert csv_table(response, HEADER) == []


def test_csv_export_is_complete_beyond_one_batch(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker()
    _insert_many(session, seeker["id"], 600)
    api.application(seeker["id"], company="Latest")
    rows = csv_table(csv_export(api, _url(seeker["id"])), HEADER)
    assert len(rows) == 601
    assert [row["id"] for row in rows] == json_ids(api, _url(seeker["id"]))
    assert rows[0]["company"] == "Latest"
