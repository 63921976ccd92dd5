"""Who ended it, and what a rejection implies: withdrawals are no rejections, and a rejection
that names no recorded application stands for one sent on its own local day at the latest."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app.recommendation.service import Case, build_context, build_contexts
from app.rejection.models import Rejection, RejectionCreate
from app.rejection.service import build_rejection
from app.rules.context import Event
from app.seeker.models import Seeker
from tests.factories import ApiCaller

AT = (datetime.now(UTC) - timedelta(days=30)).replace(hour=15, minute=0, second=0, microsecond=0)
DAY = AT.date()
REPEAT = "avoid_taking_it_personally.repeat_company"
MOMENTUM = "stay_proactive.keep_momentum"


def _seeker(api: ApiCaller, session: Session, **fields: Any) -> Seeker:
    seeker = session.get(Seeker, api.seeker(**fields)["id"])
    assert seeker is not None
    return seeker


def _store(session: Session, seeker: Seeker, days_before: float, **fields: Any) -> Rejection:
    body = {"company": "Globex", "role": "Analyst", "stage": "application_review", **fields}
    body["occurred_at"] = AT - timedelta(days=days_before)
    row = build_rejection(seeker, RejectionCreate(**body), {}, datetime.now(UTC))
    session.add(row)
    session.flush()
    return row


def _event(application_source: str | None = None, **fields: Any) -> Event:
    return Event(
        **{"company": "Acme", "role": "Analyst", "stage": "interview", **fields},
        occurred_at=AT,
        application_source=application_source,
    )


def _explained(rejection: dict[str, Any]) -> list[dict[str, Any]]:
    """The explanations this rejection added to its steps."""
    return [
        e
        for step in rejection["next_steps"]
        for e in step["explanation"]
        if e["rejection_id"] == rejection["id"]
    ]


def _at(days_before: float) -> str:
    return (AT - timedelta(days=days_before)).isoformat()


def test_a_withdrawal_then_a_rejection_at_the_same_company_is_one_rejection(
    api: ApiCaller,
) -> None:
    seeker = api.seeker()["id"]
    withdrawn = api.rejection(
        seeker, company="GLOVO", stage="interview", ended_by="candidate", occurred_at=_at(20)
    )
    assert withdrawn["next_steps"] == []  # no rejection coaching for the seeker's own decision
    rejected = api.rejection(seeker, company="Glovo", stage="interview", occurred_at=_at(10))
    assert REPEAT not in {e["rule_id"] for e in _explained(rejected)}
    texts = " ".join(f"{s['title']} {s['body']}" for s in rejected["next_steps"])
    assert "said no" not in texts and "turned you down" not in texts
    again = api.rejection(seeker, company="glovo", stage="interview", occurred_at=_at(1))
    repeat = [e for e in _explained(again) if e["rule_id"] == REPEAT]
    assert [e["facts"]["same_company_rejections"] for e in repeat] == [2]


def test_withdrawals_count_in_no_rejection_window_but_their_mood_does(
    api: ApiCaller, session: Session
) -> None:
    seeker = _seeker(api, session)
    for days in (1, 2, 3):  # cold screenings the seeker walked away from, naming skills
        _store(session, seeker, days, ended_by="candidate", missing_skills=["dbt"], mood=1)
    _store(session, seeker, 4, company="Acme", ended_by="candidate", stage="interview")
    _store(session, seeker, 5, missing_skills=["dbt"], mood=5)  # one real rejection
    history = build_context(session, seeker=seeker, event=_event(), rejection_id=None).history
    window = history.window(7)
    assert (window.total, dict(window.by_stage)) == (2, {"application_review": 1, "interview": 1})
    assert window.cold_screening == 1
    assert history.same_company_365 == 1  # the event; the withdrawal from Acme is none
    assert dict(history.missing_skills_90) == {"dbt": 1}
    assert history.mood_recent == 2.0  # 1, 1, 1 and 5: the seeker's own moods all count


def test_a_withdrawal_as_the_event_counts_in_no_window(api: ApiCaller, session: Session) -> None:
    seeker = _seeker(api, session)
    _store(session, seeker, 3, company="Acme")
    event = _event(ended_by="candidate")
    history = build_context(session, seeker=seeker, event=event, rejection_id=None).history
    assert (history.window(7).total, history.same_company_365) == (1, 1)
    assert history.days_since_last_application == 0  # it still implies an application


def test_three_rejections_with_no_application_on_record_never_say_none_is(
    api: ApiCaller,
) -> None:
    seeker = api.seeker()["id"]
    for days in (9, 5, 0):
        rejection = api.rejection(seeker, company=f"Co{days}", occurred_at=_at(days))
        said = [e["reason"] for s in rejection["next_steps"] for e in s["explanation"]]
        said += [f"{s['title']} {s['body']} {s['actions']}" for s in rejection["next_steps"]]
        assert "on record" not in " ".join(said)
        momentum = [e for e in _explained(rejection) if e["rule_id"] == MOMENTUM]
        assert all(e["facts"]["days_since_last_application"] is not None for e in momentum)


@pytest.mark.parametrize(
    ("timezone", "days_since"),
    [("UTC", 5), ("America/Los_Angeles", 6), ("Pacific/Auckland", 6)],
)
def test_the_latest_rejection_naming_no_application_counts_on_its_local_day(
    api: ApiCaller, session: Session, timezone: str, days_since: int
) -> None:
    seeker = _seeker(api, session, timezone=timezone)
    api.application(seeker.id, applied_on=str(DAY - timedelta(days=20)))
    _store(session, seeker, 5.5)  # 03:00 UTC: the evening before in Los Angeles
    _store(session, seeker, 8, ended_by="candidate")  # older: a withdrawal implies one too
    event = _event(application_source="manual")  # the event names its application
    history = build_context(session, seeker=seeker, event=event, rejection_id=None).history
    assert history.days_since_last_application == days_since
    assert history.applications_30 == 1  # recorded applications only


def test_a_rejection_naming_its_application_counts_through_it(
    api: ApiCaller, session: Session
) -> None:
    seeker = _seeker(api, session)
    sent = api.application(seeker.id, applied_on=str(DAY - timedelta(days=30)))
    api.rejection(seeker.id, application_id=sent["id"], occurred_at=_at(2))
    event = _event(application_source="manual")
    history = build_context(session, seeker=seeker, event=event, rejection_id=None).history
    assert (history.days_since_last_application, history.last_application_on) == (
        30,
        DAY - timedelta(days=30),
    )


def test_a_batch_and_one_at_a_time_count_withdrawals_and_implied_applications_alike(
    api: ApiCaller, session: Session
) -> None:
    cases = []
    for i, timezone in enumerate(("UTC", "Pacific/Auckland", "America/Los_Angeles")):
        seeker = _seeker(api, session, timezone=timezone)
        api.application(seeker.id, applied_on=str(DAY - timedelta(days=10 + i)))
        _store(session, seeker, 2 + i, company="Acme", ended_by="candidate", mood=1)
        _store(session, seeker, 3.5 + i, company="acme", missing_skills=["SQL"])
        source = "manual" if i else None
        cases.append(Case(seeker, _event(application_source=source, mood=3)))
    together = build_contexts(session, cases=cases)
    one_by_one = [
        build_context(session, seeker=c.seeker, event=c.event, rejection_id=None) for c in cases
    ]
    assert together == one_by_one
    assert [c.history.same_company_365 for c in together] == [2, 2, 2]
    # The event itself; the withdrawal of 3 days before (already the next day in Auckland); 4.
    assert [c.history.days_since_last_application for c in together] == [0, 3, 4]
