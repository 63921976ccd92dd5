"""The rule context built from stored history: a fixed number of queries, and the right numbers."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from app.coaching.service import event_of
from app.next_step.models import NextStep
from app.recommendation.service import build_context
from app.rejection.models import Rejection, RejectionCreate
from app.rejection.service import build_rejection
from app.rules.context import Event, RuleContext
from app.seeker.models import Seeker
from tests.factories import ApiCaller, count_statements

# An afternoon in UTC is already the next morning in Auckland.
AT = (datetime.now(UTC) - timedelta(days=30)).replace(hour=15, minute=0, second=0, microsecond=0)
DAY = AT.date()


def _seeker(api: ApiCaller, session: Session, **fields: Any) -> Seeker:
    seeker = session.get(Seeker, api.seeker(**fields)["id"])
    assert seeker is not None
    return seeker


def _row(seeker: Seeker, days_before: float, **fields: Any) -> Rejection:
    body = {"company": "Globex", "role": "Analyst", "stage": "application_review", **fields}
    body["occurred_at"] = AT - timedelta(days=days_before)
    return build_rejection(seeker, RejectionCreate(**body), {}, datetime.now(UTC))


def _store(session: Session, rows: list[Rejection]) -> None:
    session.add_all(rows)
    session.flush()


def _event(application_source: str | None = None, **fields: Any) -> Event:
    """The event; with `application_source`, it names a recorded application of that source."""
    body = {"company": "acme", "role": "Analyst", "stage": "interview", **fields}
    return Event(
        **{
            **RejectionCreate(**body).model_dump(exclude={"application_id", "external_id", "note"}),
            "occurred_at": AT,
            "missing_skills": tuple(body.get("missing_skills", ())),
            "application_source": application_source,
        }
    )


def _context(session: Session, seeker: Seeker, ev: Event, rejection_id: str | None = None) -> Any:
    return build_context(session, seeker=seeker, event=ev, rejection_id=rejection_id)


def test_build_context_query_count_does_not_grow_with_history(
    api: ApiCaller, session: Session
) -> None:
    counts = {}
    for size in (0, 10, 1000):
        seeker = _seeker(api, session)
        stages = ("application_review", "interview", "final_round")
        _store(
            session,
            [
                _row(seeker, i % 360, stage=stages[i % 3], missing_skills=[f"skill{i % 7}"])
                for i in range(size)
            ],
        )
        api.application(seeker.id, applied_on=str(DAY))
        with count_statements(session) as statements:
            context = _context(session, seeker, _event())
        assert context.history.window(365).total == size + 1
        assert context.history.days_since_last_application == 0
        counts[size] = len(statements)
    assert counts[0] == counts[10] == counts[1000], counts
    assert counts[1000] <= 5, counts


def _history(seeker: Seeker) -> list[Rejection]:
    """Days before the event, stage, company and missing skills of a small, fixed history."""
    spec: list[tuple[float, str, str, list[str]]] = [
        (-1, "interview", "Acme", ["dbt"]),  # after the event: not yet history
        (1, "interview", "ACME", ["dbt"]),
        (5, "application_review", "Globex", ["DBT", "sql"]),
        (10, "interview", "Acme", []),
        (20, "final_round", "Initech", []),
        (45, "application_review", "Globex", []),
        (75, "phone_screen", "Initech", ["Airflow", "airflow"]),
        (100, "interview", "Acme", ["dbt"]),
        (200, "assessment", "Hooli", []),
        (364, "offer", " acme ", []),
        (366, "interview", "Acme", ["dbt"]),  # older than a year
    ]
    return [
        _row(seeker, days, stage=stage, company=company, missing_skills=skills)
        for days, stage, company, skills in spec
    ]


def test_build_context_counts_history_windows_as_of_the_event(
    api: ApiCaller, session: Session
) -> None:
    seeker = _seeker(api, session)
    _store(session, _history(seeker))
    history = _context(session, seeker, _event(missing_skills=("dbt",))).history
    totals = {days: history.window(days).total for days in (7, 14, 30, 60, 90, 365)}
    assert totals == {7: 3, 14: 4, 30: 5, 60: 6, 90: 7, 365: 10}
    assert dict(history.window(7).by_stage) == {"interview": 2, "application_review": 1}
    assert dict(history.window(30).by_stage) == {
        "interview": 3,
        "application_review": 1,
        "final_round": 1,
    }
    assert dict(history.window(365).by_stage) == {
        "interview": 4,
        "application_review": 2,
        "final_round": 1,
        "phone_screen": 1,
        "assessment": 1,
        "offer": 1,
    }
    assert history.same_company_365 == 5
    assert dict(history.missing_skills_90) == {"dbt": 3, "sql": 1, "airflow": 1}


@pytest.mark.parametrize(
    ("timezone", "days_since", "applications_7", "applications_30"),
    [("UTC", 0, 2, 4), ("America/Los_Angeles", 0, 2, 4), ("Pacific/Auckland", 1, 1, 3)],
)
def test_build_context_counts_applications_in_the_seekers_timezone(
    api: ApiCaller,
    session: Session,
    timezone: str,
    days_since: int,
    applications_7: int,
    applications_30: int,
) -> None:
    seeker = _seeker(api, session, timezone=timezone)
    for days in (-2, 0, 6, 7, 29, 30):  # days before the event's UTC date
        api.application(seeker.id, applied_on=str(DAY - timedelta(days=days)))
    # The event names its application, so only the recorded ones count.
    history = _context(session, seeker, _event(application_source="manual")).history
    assert history.days_since_last_application == days_since
    assert (history.applications_7, history.applications_30) == (applications_7, applications_30)


def test_build_context_without_applications_counts_the_event_as_one_sent_that_day(
    api: ApiCaller, session: Session
) -> None:
    seeker = _seeker(api, session, timezone="Pacific/Auckland")
    history = _context(session, seeker, _event()).history
    assert history.days_since_last_application == 0
    assert history.last_application_on == DAY + timedelta(days=1)  # already tomorrow there
    assert (history.applications_7, history.applications_30) == (0, 0)  # recorded ones only


def test_build_context_counts_the_event_once_stored_or_not(
    api: ApiCaller, session: Session
) -> None:
    seeker = _seeker(api, session)
    _store(session, _history(seeker))
    row = _row(seeker, 0, company="acme", stage="interview", missing_skills=["dbt"], mood=2)
    dry = _context(session, seeker, event_of(session, seeker.tenant_id, row, row.occurred_at))
    _store(session, [row])
    event = event_of(session, seeker.tenant_id, row, row.occurred_at)
    stored = _context(session, seeker, event, rejection_id=row.id)
    assert isinstance(stored, RuleContext)
    assert stored == dry
    assert stored.history.window(7).total == 3
    assert stored.history.same_company_365 == 5
    assert stored.history.missing_skills_90["dbt"] == 3


def test_evaluate_then_create_give_the_same_steps(api: ApiCaller, session: Session) -> None:
    seeker = _seeker(api, session, skills=["python"], target_roles=["Analytics Engineer"])
    _store(session, [_row(seeker, d, missing_skills=["dbt"]) for d in (1, 2, 3, 4, 5, 20, 40)])
    _store(session, [_row(seeker, d, stage="interview") for d in (8, 30)])
    payload = {
        "company": "acme",
        "role": "Analytics Engineer",
        "stage": "final_round",
        "reason": "lacks_skills",
        "missing_skills": ["dbt"],
        "mood": 2,
        "occurred_at": AT.isoformat(),
    }
    count = select(func.count()).select_from(NextStep).where(col(NextStep.seeker_id) == seeker.id)
    dry = api.post("/v1/rules/evaluate", json={"seeker_id": seeker.id, "rejection": payload})
    assert dry.status_code == 200, dry.text
    assert session.scalar(count) == 0
    created = api.post(f"/v1/seekers/{seeker.id}/rejections", json=payload)
    assert created.status_code == 201, created.text
    compared = ("recommendation_key", "title", "body", "actions", "priority", "draft_message")
    would, did = dry.json()["next_steps"], created.json()["next_steps"]
    assert len(would) >= 6
    assert {"set_new_goals", "continue_upskilling"} <= {s["recommendation_key"] for s in did}
    for preview, step in zip(would, did, strict=True):
        assert {k: preview[k] for k in compared} == {k: step[k] for k in compared}
        assert preview["suggested_goal"] == step["suggested_goal"]
        assert [{**e, "rejection_id": None} for e in preview["explanation"]] == [
            {**e, "rejection_id": None} for e in step["explanation"]
        ]
    assert session.scalar(count) == len(did)


def test_build_context_for_no_seeker_counts_only_the_event(session: Session) -> None:
    context = build_context(session, seeker=None, event=_event(), rejection_id=None)
    assert context.history.window(7).total == context.history.window(365).total == 1
    assert context.history.same_company_365 == 1
