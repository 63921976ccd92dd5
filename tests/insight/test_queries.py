"""Insights cost a fixed number of SQL statements, however long the history."""

from datetime import timedelta

from sqlmodel import Session

from app.insight import service
from app.rejection.models import Reason, Stage
from app.seeker.models import Seeker
from tests.factories import ApiCaller, count_statements
from tests.insight.support import NOW, insights


def _seeker_with(api: ApiCaller, rejections: int) -> str:
    """A seeker with an applications goal, a check-in goal, applications and `rejections`."""
    seeker_id: str = api.seeker()["id"]
    api.goal(seeker_id, kind="applications", target=2, start_on="2026-06-01")
    api.goal(seeker_id, start_on="2026-06-01")
    for day in ("2026-06-01", "2026-06-15"):
        api.application(seeker_id, applied_on=day)
    items = [
        {
            "seeker_id": seeker_id,
            "company": f"Company {i % 7}",
            "role": "Analyst",
            "stage": list(Stage)[i % len(Stage)].value,
            "reason": list(Reason)[i % len(Reason)].value,
            "missing_skills": [f"skill {i % 13}", "SQL"],
            "occurred_at": (NOW - timedelta(hours=7 * i + 1)).isoformat(),
        }
        for i in range(rejections)
    ]
    response = api.post("/v1/rejections/batch", json={"items": items})
    assert response.status_code == 200 and response.json()["created"] == rejections
    return seeker_id


def test_read_insights_statement_count_does_not_grow_with_history(
    api: ApiCaller, session: Session
) -> None:
    few, many = _seeker_with(api, 3), _seeker_with(api, 60)
    counts = []
    for seeker_id, expected in ((few, 3), (many, 60)):
        insights(api, seeker_id)  # warm up whatever a first request caches
        with count_statements(session) as statements:
            body = insights(api, seeker_id)
        assert body["rejections"] == expected
        counts.append(len(statements))
        seeker = session.get(Seeker, seeker_id)
        assert seeker is not None
        with count_statements(session) as statements:
            service.seeker_insights(session, seeker=seeker, days=90)
        # 7 of its own (stages and reasons, weeks, skills, companies, funnel, last application,
        # next steps) and 3 for goals (goals, check-ins, applications).
        assert len(statements) == 10, statements
    assert 0 < counts[0] == counts[1], counts
