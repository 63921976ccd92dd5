"""The sweep's dry spell counts from the last application on record, and a rejection (or a
withdrawal) that names no application implies one, sent on its own local day at the latest."""

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app.sweep import service as sweep
from tests.factories import ApiCaller

# As in test_sweep: noon UTC two days from now, already the next day in Auckland.
NOW = datetime.combine(datetime.now(UTC).date() + timedelta(days=2), time(12, 0), tzinfo=UTC)
TODAY = NOW.date()
DRY_SPELL = "stay_proactive.dry_spell"


def _at(days: int, hour: int = 12) -> str:
    """`hour` UTC on the day `days` before TODAY."""
    return datetime.combine(TODAY - timedelta(days=days), time(hour), tzinfo=UTC).isoformat()


def _dry_spell(api: ApiCaller, session: Session, seeker_id: str) -> dict[str, Any] | None:
    """The dry spell's facts after a sweep, if it found one."""
    sweep.run(session, now=NOW, batch_size=100)
    response = api.get(f"/v1/seekers/{seeker_id}/next-steps")
    assert response.status_code == 200
    found = [
        e["facts"]
        for s in response.json()["data"]
        for e in s["explanation"]
        if e["rule_id"] == DRY_SPELL
    ]
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize(("timezone", "days"), [("UTC", 16), ("Pacific/Auckland", 17)])
def test_three_rejections_and_no_application_count_from_the_latest_rejection(
    api: ApiCaller, session: Session, timezone: str, days: int
) -> None:
    seeker = api.seeker(timezone=timezone)["id"]
    for ago in (20, 18, 16):  # 06:00 UTC: the same evening in Auckland
        api.rejection(seeker, company=f"Co{ago}", occurred_at=_at(ago, hour=6))
    facts = _dry_spell(api, session, seeker)
    assert facts is not None
    assert facts["days_since_last_application"] == days
    assert facts["last_application_on"] == str(TODAY - timedelta(days=16))


def test_a_recent_rejection_naming_no_application_ends_the_dry_spell(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()["id"]
    api.application(seeker, applied_on=str(TODAY - timedelta(days=40)), status="screening")
    api.rejection(seeker, company="Globex", occurred_at=_at(3))
    assert _dry_spell(api, session, seeker) is None


def test_a_withdrawal_implies_an_application_too(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker()["id"]
    api.rejection(seeker, ended_by="candidate", occurred_at=_at(20))
    facts = _dry_spell(api, session, seeker)
    assert facts is not None and facts["days_since_last_application"] == 20


def test_a_rejection_naming_its_application_counts_through_it(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()["id"]
    sent = api.application(seeker, applied_on=str(TODAY - timedelta(days=40)))
    api.rejection(seeker, application_id=sent["id"], occurred_at=_at(3))
    facts = _dry_spell(api, session, seeker)
    assert facts is not None and facts["days_since_last_application"] == 40


def test_a_batch_reads_each_seekers_own_day(api: ApiCaller, session: Session) -> None:
    # One batch: a seeker whose day is already tomorrow, and one with an application dated
    # after its own today (but not after the other's).
    ahead = api.seeker(timezone="Pacific/Auckland")["id"]
    api.application(ahead, applied_on=str(TODAY - timedelta(days=14)))
    early = api.seeker()["id"]
    api.application(early, applied_on=str(TODAY - timedelta(days=15)))
    api.application(early, applied_on=str(TODAY + timedelta(days=1)))  # not sent yet today
    facts = {seeker: _dry_spell(api, session, seeker) for seeker in (ahead, early)}
    assert facts[ahead] is not None and facts[ahead]["days_since_last_application"] == 15
    assert facts[early] is not None and facts[early]["days_since_last_application"] == 15
