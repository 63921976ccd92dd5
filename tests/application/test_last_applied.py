"""The last application day as of a moment: recorded, or implied by a rejection naming none."""

from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session

from app.application import service
from app.seeker.models import Seeker
from tests.factories import ApiCaller, count_statements

NOW = datetime.combine(datetime.now(UTC).date() - timedelta(days=10), time(12), tzinfo=UTC)
TODAY = NOW.date()


def _seeker(api: ApiCaller, session: Session, **fields: str) -> Seeker:
    seeker = session.get(Seeker, api.seeker(**fields)["id"])
    assert seeker is not None
    return seeker


def _at(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def test_last_applied_takes_the_later_of_recorded_and_implied(
    api: ApiCaller, session: Session
) -> None:
    recorded, implied, linked, later = (_seeker(api, session) for _ in range(4))
    api.application(recorded.id, applied_on=str(TODAY - timedelta(days=5)))
    api.rejection(recorded.id, ended_by="candidate", occurred_at=_at(9))  # older: no change
    api.application(implied.id, applied_on=str(TODAY - timedelta(days=30)))
    api.rejection(implied.id, ended_by="candidate", occurred_at=_at(2))
    sent = api.application(linked.id, applied_on=str(TODAY - timedelta(days=30)))
    api.rejection(linked.id, application_id=sent["id"], occurred_at=_at(2))
    api.rejection(later.id)  # now, after the moment asked about
    with count_statements(session) as statements:
        last = service.last_applied(session, seekers=[recorded, implied, linked, later], now=NOW)
    assert len(statements) == 1
    assert last == {
        recorded.id: TODAY - timedelta(days=5),
        implied.id: TODAY - timedelta(days=2),
        linked.id: TODAY - timedelta(days=30),  # through its application, not its own day
        later.id: None,
    }


def test_last_applied_reads_a_rejections_day_in_the_seekers_zone(
    api: ApiCaller, session: Session
) -> None:
    auckland = _seeker(api, session, timezone="Pacific/Auckland")
    los_angeles = _seeker(api, session, timezone="America/Los_Angeles")
    evening = datetime.combine(TODAY - timedelta(days=3), time(12, 30), tzinfo=UTC)
    for seeker in (auckland, los_angeles):
        api.rejection(seeker.id, occurred_at=evening.isoformat())
    last = service.last_applied(session, seekers=[auckland, los_angeles], now=NOW)
    assert last[auckland.id] == TODAY - timedelta(days=2)  # 00:30 or 01:30 the next day there
    assert last[los_angeles.id] == TODAY - timedelta(days=3)
