"""`rebound import`: CSV and JSON Lines, batches, duplicates, invalid rows by line, reruns."""

import json
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app.cli import cli
from app.coaching import importing
from app.next_step.models import NextStep
from app.rejection.models import Rejection
from app.seeker.models import Seeker
from tests.factories import ApiCaller

CSV = """seeker_external_id,company,role,stage,reason,missing_skills,mood,occurred_at
crm-1,Acme,Data Analyst,interview,lacks_skills,dbt;airflow,2,2026-11-01T10:00:00Z
crm-1,Globex,Analyst,application_review,,,,2026-11-03T10:00:00Z
crm-2,Initech,Analyst,lunch,,,,2026-11-04T10:00:00Z
crm-404,Hooli,Analyst,interview,,,,2026-11-05T10:00:00Z
crm-2,Umbrella,Analyst,final_round,other_candidate,,4,2026-11-06T10:00:00Z
"""


def _sessions(session: Session) -> Callable[[], Session]:
    class Borrowed:
        def __enter__(self) -> Session:
            return session

        def __exit__(self, *_: object) -> None:
            return None

    return lambda: Borrowed()  # type: ignore[return-value]


def _count(session: Session, model: type, tenant_id: str) -> int:
    stmt = select(func.count()).select_from(model).where(model.tenant_id == tenant_id)  # type: ignore[attr-defined]
    return int(session.exec(stmt).one())


def _tenant(api: ApiCaller, session: Session) -> str:
    seeker = api.seeker(external_id="crm-1")
    api.seeker(external_id="crm-2")
    return session.exec(select(Seeker.tenant_id).where(Seeker.id == seeker["id"])).one()


def test_a_csv_import_stores_coaches_and_reports_bad_rows_by_line(
    api: ApiCaller, session: Session, tmp_path: Path
) -> None:
    tenant_id = _tenant(api, session)
    path = tmp_path / "rejections.csv"
    path.write_text(CSV)
    seen: list[int] = []

    report = importing.import_rows(
        _sessions(session),
        tenant_id=tenant_id,
        rows=importing.rows_of(path),
        batch_size=2,
        progress=seen.append,
    )

    assert (report.imported, report.duplicates, report.invalid) == (3, 0, 2)
    assert [e["line"] for e in report.errors] == [4, 5]  # the header is line 1
    assert "/stage" in report.errors[0]["detail"]
    assert report.errors[1]["code"] == "seeker_not_found"
    assert sum(seen) == 5
    assert _count(session, Rejection, tenant_id) == 3
    assert _count(session, NextStep, tenant_id) > 0, "imported rejections are coached"
    stored = session.exec(select(Rejection).where(Rejection.company == "Acme")).one()
    assert stored.missing_skills == ["dbt", "airflow"] and stored.mood == 2

    again = importing.import_rows(
        _sessions(session), tenant_id=tenant_id, rows=importing.rows_of(path)
    )
    assert (again.imported, again.duplicates, again.invalid) == (0, 3, 2)
    assert _count(session, Rejection, tenant_id) == 3


def test_a_jsonl_import_keeps_given_external_ids_and_flags_unreadable_lines(
    api: ApiCaller, session: Session, tmp_path: Path
) -> None:
    tenant_id = _tenant(api, session)
    rows = [
        {
            "seeker_external_id": "crm-1",
            "company": "Acme",
            "role": "Analyst",
            "stage": "interview",
            "source": "greenhouse",
            "external_id": "gh-1",
        },
        "{not json",
        ["a", "list"],
        {
            "seeker_external_id": "crm-2",
            "company": "Globex",
            "role": "Analyst",
            "stage": "phone_screen",
        },
    ]
    path = tmp_path / "rejections.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n\n")

    report = importing.import_rows(
        _sessions(session), tenant_id=tenant_id, rows=importing.rows_of(path)
    )

    assert (report.imported, report.invalid) == (2, 2)
    assert [(e["line"], e["code"]) for e in report.errors] == [
        (2, "unreadable_row"),
        (3, "unreadable_row"),
    ]
    kept = session.exec(select(Rejection).where(Rejection.company == "Acme")).one()
    assert (kept.source, kept.external_id) == ("greenhouse", "gh-1")
    generated = session.exec(select(Rejection).where(Rejection.company == "Globex")).one()
    assert generated.source == "import" and generated.external_id.startswith("row:")


def test_the_cli_prints_a_summary_and_fails_when_rows_were_refused(
    committed_api: tuple[ApiCaller, str], tmp_path: Path
) -> None:
    api, tenant_id = committed_api
    api.seeker(external_id="crm-1")
    api.seeker(external_id="crm-2")
    path = tmp_path / "rejections.csv"
    path.write_text(CSV)

    result = CliRunner().invoke(cli, ["import", str(path), "--tenant", tenant_id])

    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["imported"], summary["invalid"]) == (3, 2)
    rerun = CliRunner().invoke(cli, ["import", str(path), "--tenant", tenant_id])
    assert json.loads(rerun.stdout.strip().splitlines()[-1])["duplicates"] == 3


def test_a_csv_row_with_too_many_or_too_few_cells_is_refused_by_its_first_line(
    api: ApiCaller, session: Session, tmp_path: Path
) -> None:
    tenant_id = _tenant(api, session)
    path = tmp_path / "ragged.csv"
    path.write_text(
        "seeker_external_id,company,role,stage,feedback\n"
        'crm-1,Acme,Analyst,interview,"two\nlines"\n'
        "crm-1,Globex,Analyst,interview,fine,EXTRA\n"
        "crm-2,Initech,Analyst\n"
    )
    report = importing.import_rows(
        _sessions(session), tenant_id=tenant_id, rows=importing.rows_of(path)
    )
    assert report.imported == 1
    assert [(e["line"], e["code"]) for e in report.errors] == [
        (4, "unreadable_row"),
        (5, "unreadable_row"),
    ]
