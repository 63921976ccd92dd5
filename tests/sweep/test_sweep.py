"""The sweep: what time alone changes, applied once, in batches, by one process at a time."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.core.db import advisory_lock
from app.goal.models import Goal
from app.next_step.models import NextStep
from app.seeker import service as seeker_service
from app.seeker.models import Seeker
from app.sweep import service as sweep
from tests.factories import ApiCaller, count_statements

# Noon UTC two days from now: later than anything the API writes during a test (requests use the
# real clock), and already the next calendar day in Auckland.
NOW = datetime.combine(datetime.now(UTC).date() + timedelta(days=2), time(12, 0), tzinfo=UTC)
TODAY = NOW.date()


def run(session: Session, batch_size: int = 100) -> sweep.SweepReport:
    return sweep.run(session, now=NOW, batch_size=batch_size)


def days_ago(days: int) -> str:
    return str(TODAY - timedelta(days=days))


def steps(api: ApiCaller, seeker_id: str, status: str = "open") -> dict[str, dict[str, Any]]:
    response = api.get(f"/v1/seekers/{seeker_id}/next-steps", params={"status": status})
    assert response.status_code == 200
    return {s["recommendation_key"]: s for s in response.json()["data"]}


def one_off_goal(
    api: ApiCaller, seeker_id: str, *, started: int, due: int, **fields: Any
) -> dict[str, Any]:
    """A one-off goal that started `started` days before NOW and is due `due` days before it."""
    return api.goal(
        seeker_id, period="none", start_on=days_ago(started), due_on=days_ago(due), **fields
    )


def rule_ids(step: dict[str, Any]) -> list[str]:
    return [e["rule_id"] for e in step["explanation"]]


def test_sweep_stores_a_snoozed_step_as_open_once_its_time_has_come(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    step = api.rejection(seeker["id"])["next_steps"][0]
    until = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert (
        api.patch(
            f"/v1/next-steps/{step['id']}", json={"status": "snoozed", "snoozed_until": until}
        ).status_code
        == 200
    )

    report = run(session)

    assert report.snoozes_reopened == 1
    stored = session.get(NextStep, step["id"])
    assert stored is not None
    session.refresh(stored)
    assert stored.status == "open" and stored.snoozed_until is None
    assert run(session).snoozes_reopened == 0


def test_sweep_marks_an_overdue_one_off_goal_missed_and_suggests_the_rest(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    goal = one_off_goal(
        api,
        seeker["id"],
        started=30,
        due=1,
        title="Finish the SQL course",
        kind="learning",
        target=4,
        unit="modules",
    )
    checked = api.post(
        f"/v1/goals/{goal['id']}/check-ins",
        json={"value": 1.5, "occurred_at": f"{days_ago(10)}T12:00:00Z"},
    )
    assert checked.status_code == 201

    report = run(session)

    assert (report.goals_missed, report.goals_achieved) == (1, 0)
    listed = api.get(f"/v1/seekers/{seeker['id']}/goals", params={"status": "missed"}).json()
    assert [g["id"] for g in listed["data"]] == [goal["id"]]
    step = steps(api, seeker["id"])["set_new_goals"]
    assert rule_ids(step) == ["set_new_goals.missed_goal"]
    assert step["title"] == "Set “Finish the SQL course” again"
    assert step["explanation"][0]["trigger"] == "time"
    assert step["explanation"][0]["rejection_id"] is None
    assert step["suggested_goal"] == {
        "title": "Finish the SQL course",
        "kind": "learning",
        "target": 3,  # 4 - 1.5, rounded up
        "unit": "modules",
        "period": "none",
    }
    again = run(session)
    assert again.changes == 0, again


def test_sweep_stores_a_one_off_goal_reached_by_counted_applications_as_achieved(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    goal = one_off_goal(
        api,
        seeker["id"],
        started=5,
        due=-5,
        title="Send 2 applications",
        kind="applications",
        target=2,
    )
    api.application(seeker["id"], applied_on=days_ago(3))
    api.application(seeker["id"], applied_on=days_ago(2), company="Globex")
    stored = session.get(Goal, goal["id"])
    assert stored is not None and stored.status == "active"  # counted, not stored yet

    assert run(session).goals_achieved == 1

    stored = session.get(Goal, goal["id"])  # the sweep let go of the objects it read
    assert stored is not None and stored.status == "achieved"
    listed = api.get(f"/v1/seekers/{seeker['id']}/goals", params={"status": "achieved"}).json()
    assert [g["id"] for g in listed["data"]] == [goal["id"]]


def test_sweep_follows_up_an_application_unanswered_for_30_days_once(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    api.goal(seeker["id"], start_on=days_ago(60))  # an active goal, so only silence speaks
    old = api.application(seeker["id"], company="Globex", role="Analyst", applied_on=days_ago(30))
    api.application(seeker["id"], company="Initech", applied_on=days_ago(29))
    api.application(seeker["id"], company="Hooli", applied_on=days_ago(2))  # no dry spell

    report = run(session)

    assert report.steps_created == 1
    step = steps(api, seeker["id"])["stay_proactive"]
    assert rule_ids(step) == ["stay_proactive.follow_up_unanswered"]
    assert step["title"] == "Follow up on your application to Globex"
    assert "Globex" in step["draft_message"] and "Initech" not in step["body"]
    facts = step["explanation"][0]["facts"]
    assert [a["application_id"] for a in facts["applications"]] == [old["id"]]
    assert facts["applications"][0]["days_waiting"] == 30

    assert api.patch(f"/v1/next-steps/{step['id']}", json={"status": "done"}).status_code == 200
    assert run(session).changes == 0  # done is done: the same silence does not nag again


def test_sweep_nudges_after_14_days_without_an_application(
    api: ApiCaller, session: Session
) -> None:
    quiet, busy = api.seeker(), api.seeker()
    for seeker, days in ((quiet, 14), (busy, 13)):
        api.goal(seeker["id"], start_on=days_ago(60))
        api.application(seeker["id"], applied_on=days_ago(days), status="screening")

    run(session)

    step = steps(api, quiet["id"])["stay_proactive"]
    assert rule_ids(step) == ["stay_proactive.dry_spell"]
    assert step["explanation"][0]["facts"]["days_since_last_application"] == 14
    assert "stay_proactive" not in steps(api, busy["id"])
    assert run(session).changes == 0


def test_sweep_flags_an_applications_goal_behind_its_pace_once_per_period(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    goal = one_off_goal(
        api,
        seeker["id"],
        started=10,
        due=-10,
        title="Apply to 20",
        kind="applications",
        target=20,
    )
    api.application(seeker["id"], applied_on=days_ago(1))

    run(session)

    step = steps(api, seeker["id"])["stay_proactive"]
    assert rule_ids(step) == ["stay_proactive.behind_on_goal"]
    assert step["title"] == "Catch up on “Apply to 20”"
    fact = step["explanation"][0]["facts"]["goals"][0]
    assert fact["goal_id"] == goal["id"] and fact["current"] == 1
    assert run(session).changes == 0


def test_sweep_extends_an_active_step_and_keeps_it_when_the_rejection_goes(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    api.goal(seeker["id"], start_on=days_ago(60))
    api.application(seeker["id"], applied_on=days_ago(40), company="Globex")
    # Naming no application, it implies one sent that day at the latest: 20 quiet days since.
    occurred_at = datetime.combine(TODAY - timedelta(days=20), time(12), tzinfo=UTC)
    rejection = api.rejection(
        seeker["id"], reason="other_candidate", occurred_at=occurred_at.isoformat()
    )
    before = {s["recommendation_key"]: s for s in rejection["next_steps"]}["stay_proactive"]

    report = run(session)

    assert (report.steps_created, report.steps_updated) == (0, 1)
    after = steps(api, seeker["id"])["stay_proactive"]
    assert after["id"] == before["id"] and after["version"] == before["version"] + 1
    silence = ["stay_proactive.dry_spell", "stay_proactive.follow_up_unanswered"]
    assert rule_ids(after) == [*silence, "stay_proactive.keep_momentum"]  # the newest first
    assert api.delete(f"/v1/rejections/{rejection['id']}").status_code == 204
    kept = steps(api, seeker["id"])["stay_proactive"]
    assert rule_ids(kept) == silence, "the silence still supports the step"
    assert kept["rejection_ids"] == []


def test_sweep_works_in_batches_over_every_seeker(api: ApiCaller, session: Session) -> None:
    seekers = [api.seeker() for _ in range(7)]
    for seeker in seekers:
        api.application(seeker["id"], applied_on=days_ago(20), status="screening")

    report = run(session, batch_size=3)

    assert report.seekers >= 7 and report.batches >= 3
    for seeker in seekers:
        assert rule_ids(steps(api, seeker["id"])["stay_proactive"]) == ["stay_proactive.dry_spell"]


def test_sweep_reads_a_batch_in_the_same_statements_for_5_or_50_seekers(
    api: ApiCaller, session: Session
) -> None:
    def sweep_quiet_seekers(count: int) -> int:
        batch = [api.seeker() for _ in range(count)]
        rows = [session.get(Seeker, s["id"]) for s in batch]
        with count_statements(session) as statements:
            sweep.sweep_batch(session, seekers=[r for r in rows if r], now=NOW)
        return len(statements)

    assert sweep_quiet_seekers(5) == sweep_quiet_seekers(50)


def test_sweep_leaves_another_tenants_seekers_to_their_own_data(
    api: ApiCaller, other_api: ApiCaller, session: Session
) -> None:
    mine, theirs = api.seeker(), other_api.seeker()
    api.application(mine["id"], applied_on=days_ago(30), company="Globex")
    other_api.goal(theirs["id"], start_on=days_ago(60))

    run(session)

    assert "stay_proactive" not in steps(other_api, theirs["id"])
    step = steps(api, mine["id"])["stay_proactive"]
    assert step["seeker_id"] == mine["id"]


def test_sweep_skips_while_another_process_holds_the_sweep(
    engine: Engine, api: ApiCaller, session: Session
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("one sweeper at a time is a PostgreSQL advisory lock")
    seeker = api.seeker()
    api.application(seeker["id"], applied_on=days_ago(30))
    with advisory_lock(engine, sweep.LOCK_NAME) as taken:
        assert taken
        report = run(session)
    assert report.skipped and report.changes == 0
    assert "stay_proactive" not in steps(api, seeker["id"])
    assert not run(session).skipped


def test_advisory_lock_is_exclusive_between_connections(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no second server process to exclude")
    with advisory_lock(engine, "test.lock") as first, advisory_lock(engine, "test.lock") as second:
        assert first and not second
    with advisory_lock(engine, "test.lock") as again:
        assert again


def test_sweep_skips_a_seeker_another_transaction_holds(
    committed_api: tuple[ApiCaller, str], engine: Engine
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's")
    api, _ = committed_api
    busy, free = api.seeker(), api.seeker()
    with engine.connect() as request_in_flight, Session(engine) as sweeper:
        request_in_flight.execute(
            text("SELECT id FROM seeker WHERE id = :id FOR NO KEY UPDATE"), {"id": busy["id"]}
        )
        claimed = {s.id for s in seeker_service.claim_after(sweeper, after="", limit=100_000)}
        assert free["id"] in claimed and busy["id"] not in claimed
        sweeper.rollback()
        request_in_flight.rollback()


def test_sweep_on_an_empty_day_changes_nothing(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker()
    api.goal(seeker["id"], start_on=days_ago(3))
    api.application(seeker["id"], applied_on=days_ago(1))
    report = run(session)
    assert steps(api, seeker["id"]) == {}
    assert report.changes == 0


def test_sweep_counts_days_in_the_seekers_time_zone(api: ApiCaller, session: Session) -> None:
    # At NOW (noon UTC) it is already the next day in Auckland (UTC+12 or +13).
    auckland = api.seeker(timezone="Pacific/Auckland")
    api.goal(auckland["id"], start_on=days_ago(60))
    api.application(auckland["id"], applied_on=days_ago(13), status="screening")
    run(session)
    step = steps(api, auckland["id"])["stay_proactive"]
    assert step["explanation"][0]["facts"]["days_since_last_application"] == 14


def test_a_missed_goal_takes_late_check_ins_dated_before_its_due_date(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    goal = one_off_goal(
        api,
        seeker["id"],
        started=30,
        due=1,
        title="Finish 2 modules",
        kind="learning",
        target=2,
        unit="modules",
    )
    run(session)
    url = f"/v1/goals/{goal['id']}/check-ins"

    def at(day: date) -> str:
        return datetime(day.year, day.month, day.day, 12, tzinfo=UTC).isoformat()

    assert api.post(url, json={"occurred_at": at(TODAY - timedelta(days=5))}).status_code == 201
    assert api.get(f"/v1/goals/{goal['id']}").json()["status"] == "missed"
    late = api.post(url, json={"occurred_at": at(TODAY)})
    assert (late.status_code, late.json()["code"]) == (409, "goal_closed")
    assert api.post(url, json={"occurred_at": at(TODAY - timedelta(days=2))}).status_code == 201
    assert api.get(f"/v1/goals/{goal['id']}").json()["status"] == "achieved"


def test_moving_a_missed_goals_due_date_ahead_makes_it_active_again(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    goal = one_off_goal(
        api,
        seeker["id"],
        started=30,
        due=1,
        kind="learning",
        target=2,
        title="Finish 2 courses",
    )
    run(session)
    later = str(datetime.now(UTC).date() + timedelta(days=30))
    response = api.patch(f"/v1/goals/{goal['id']}", json={"due_on": later})
    assert response.status_code == 200
    assert response.json()["status"] == "active"
    listed = api.get(f"/v1/seekers/{seeker['id']}/goals", params={"status": "active"}).json()
    assert [g["id"] for g in listed["data"]] == [goal["id"]]


def test_a_rejection_and_the_sweep_both_flag_a_goal_behind_without_clashing(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    today = datetime.now(UTC).date()
    api.goal(
        seeker["id"],
        title="Apply to 20",
        kind="applications",
        target=20,
        period="none",
        start_on=str(today - timedelta(days=10)),
        due_on=str(today + timedelta(days=20)),
    )
    for company in ("Acme", "Globex"):  # behind_on_goal fires on both rejections
        api.rejection(seeker["id"], company=company, reason="lacks_skills")
    run(session)
    api.rejection(seeker["id"], company="Initech", reason="lacks_skills")
    items = [
        {"seeker_id": seeker["id"], "company": "Hooli", "role": "Analyst", "stage": "interview"}
    ]
    batch = api.post("/v1/rejections/batch", json={"items": items})
    assert batch.status_code == 200 and batch.json()["created"] == 1
    assert run(session).changes == 0


def test_sweep_writes_a_batch_in_the_same_statements_for_5_or_50_seekers_with_steps(
    api: ApiCaller, session: Session
) -> None:
    def sweep_dry_seekers(count: int) -> int:
        batch = [api.seeker() for _ in range(count)]
        for seeker in batch:
            api.application(seeker["id"], applied_on=days_ago(20), status="screening")
        rows = [session.get(Seeker, s["id"]) for s in batch]
        with count_statements(session) as statements:
            report = sweep.sweep_batch(session, seekers=[r for r in rows if r], now=NOW)
        assert report.steps_created == count
        return len(statements)

    assert sweep_dry_seekers(5) == sweep_dry_seekers(50)


def test_a_failed_batch_is_rolled_back_and_the_sweep_goes_on(
    api: ApiCaller, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    seekers = [api.seeker() for _ in range(4)]
    for seeker in seekers:
        api.application(seeker["id"], applied_on=days_ago(20), status="screening")
    real = sweep.sweep_batch
    calls = []

    def first_fails(session: Session, **kwargs: Any) -> sweep.SweepReport:
        calls.append(1)
        if len(calls) == 1:
            real(session, **kwargs)  # writes, then fails: nothing of it may stay
            raise RuntimeError("boom")
        return real(session, **kwargs)

    monkeypatch.setattr(sweep, "sweep_batch", first_fails)
    report = run(session, batch_size=2)
    assert report.failed_batches == 1 and report.batches >= 1
    swept = [s for s in seekers if "stay_proactive" in steps(api, s["id"])]
    assert len(swept) == len(seekers) - 2, "the failed batch left nothing; the others were swept"
    monkeypatch.undo()
    assert run(session).steps_created == 2, "the failed seekers are swept next time"


def test_goal_lists_filter_on_the_status_goals_are_served_with(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    today = datetime.now(UTC).date()
    reached = api.goal(
        seeker["id"],
        title="Two applications",
        kind="applications",
        target=2,
        period="none",
        start_on=str(today - timedelta(days=20)),
        due_on=str(today - timedelta(days=1)),
    )
    missed = api.goal(
        seeker["id"],
        title="Finish a course",
        kind="learning",
        target=1,
        period="none",
        start_on=str(today - timedelta(days=20)),
        due_on=str(today - timedelta(days=1)),
    )
    for day in (5, 3):
        api.application(seeker["id"], applied_on=str(today - timedelta(days=day)))

    def listed(status: str) -> list[str]:
        response = api.get(f"/v1/seekers/{seeker['id']}/goals", params={"status": status})
        return [g["id"] for g in response.json()["data"]]

    for _ in range(2):  # before the sweep stores anything, and after
        assert listed("achieved") == [reached["id"]]
        assert listed("missed") == [missed["id"]]
        assert listed("active") == []
        run(session)


def test_goal_list_pages_through_a_partly_computed_filter(api: ApiCaller) -> None:
    seeker = api.seeker()
    today = datetime.now(UTC).date()
    ids = []
    for i in range(5):
        goal = api.goal(
            seeker["id"],
            title=f"Course {i}",
            kind="learning",
            target=1,
            period="none",
            start_on=str(today - timedelta(days=20)),
            due_on=str(today - timedelta(days=1)),
        )
        ids.append(goal["id"])
        api.goal(seeker["id"], title=f"Weekly {i}")  # active ones in between
    seen, cursor = [], None
    while True:
        params = {"status": "missed", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get(f"/v1/seekers/{seeker['id']}/goals", params=params).json()
        seen += [g["id"] for g in page["data"]]
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert seen == list(reversed(ids))


def test_a_stored_missed_goal_reached_by_a_late_application_is_stored_achieved(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    goal = one_off_goal(
        api,
        seeker["id"],
        started=20,
        due=1,
        title="One application",
        kind="applications",
        target=1,
    )
    assert run(session).goals_missed == 1
    api.application(seeker["id"], applied_on=days_ago(2))  # logged late, dated before due
    assert run(session).goals_achieved == 1
    assert api.get(f"/v1/goals/{goal['id']}").json()["status"] == "achieved"


def test_a_check_in_dated_after_the_due_date_is_refused_before_and_after_the_sweep(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    today = datetime.now(UTC).date()
    goal = api.goal(
        seeker["id"],
        kind="learning",
        target=3,
        period="none",
        start_on=str(today - timedelta(days=20)),
        due_on=str(today - timedelta(days=1)),
        title="Three modules",
    )
    url = f"/v1/goals/{goal['id']}/check-ins"
    late = api.post(url, json={})  # now: after the due date, before any sweep
    assert (late.status_code, late.json()["code"]) == (409, "goal_closed")
    run(session)
    late = api.post(url, json={})
    assert (late.status_code, late.json()["code"]) == (409, "goal_closed")
