"""The outbox: what each change writes, in its own transaction, for the endpoints subscribed."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from app.coaching import service as coaching_service
from app.rejection.models import Rejection, RejectionCreate
from app.seeker.models import Seeker
from app.sweep import service as sweep
from app.webhook import outbox
from app.webhook.models import WebhookDelivery, WebhookMessage
from tests.factories import ApiCaller, count_statements
from tests.webhook.support import deliveries, register

URL = "https://hooks.example/rebound"


def messages(session: Session, **where: Any) -> list[WebhookMessage]:
    """Outbox rows, oldest first."""
    stmt = select(WebhookMessage).order_by(col(WebhookMessage.id))
    for name, value in where.items():
        stmt = stmt.where(getattr(WebhookMessage, name) == value)
    return list(session.exec(stmt).all())


def types(session: Session) -> list[str]:
    """The type of every outbox message, oldest first."""
    return [m.type for m in messages(session)]


def test_a_rejection_writes_its_events_in_its_own_transaction(
    api: ApiCaller, session: Session
) -> None:
    register(api, URL)
    seeker = session.get(Seeker, api.seeker()["id"])
    assert seeker is not None
    rejection_in = RejectionCreate(company="Acme", role="Analyst", stage="interview")

    savepoint = session.begin_nested()
    public, _ = coaching_service.record_rejection(session, seeker=seeker, rejection_in=rejection_in)
    assert types(session)[0] == "rejection.created"  # written alongside, not after
    savepoint.rollback()

    assert session.get(Rejection, public.id) is None
    assert messages(session) == []
    assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0


def test_a_rejection_announces_itself_and_its_new_steps(api: ApiCaller, session: Session) -> None:
    endpoint = register(api, URL)
    seeker = api.seeker()
    rejection = api.rejection(seeker["id"], feedback="Great, but no dbt.")

    rows = messages(session)
    assert [m.type for m in rows] == ["rejection.created"] + ["next_step.created"] * len(
        rejection["next_steps"]
    )
    created = outbox.envelope(rows[0])
    assert created["type"] == "rejection.created"
    assert created["data"] == api.get(f"/v1/rejections/{rejection['id']}").json()
    assert datetime.fromisoformat(created["timestamp"]).tzinfo is not None
    step_ids = [outbox.envelope(m)["data"]["id"] for m in rows[1:]]
    assert step_ids == [s["id"] for s in rejection["next_steps"]]
    assert all(m.tenant_id == rows[0].tenant_id and m.seeker_id == seeker["id"] for m in rows)
    pending = deliveries(api, endpoint["id"])
    assert len(pending) == len(rows)
    assert {d["status"] for d in pending} == {"pending"}
    assert {d["message_id"] for d in pending} == {m.id for m in rows}

    again = api.rejection(seeker["id"], stage="phone_screen")  # extends the steps it shares
    later = [m.type for m in messages(session)][len(rows) :]
    assert later[0] == "rejection.created"
    assert "next_step.updated" in later
    assert len(later) == 1 + len(again["next_steps"])


def test_repeating_a_rejection_writes_nothing_more(api: ApiCaller, session: Session) -> None:
    register(api, URL)
    seeker = api.seeker()
    api.rejection(seeker["id"], source="ats", external_id="x-1")
    before = len(messages(session))
    api.rejection(seeker["id"], source="ats", external_id="x-1")
    assert len(messages(session)) == before


def test_no_endpoint_means_no_outbox_rows_at_all(api: ApiCaller, session: Session) -> None:
    seeker = api.seeker()
    api.rejection(seeker["id"])
    assert messages(session) == []


def test_endpoints_get_only_the_types_they_subscribe_to_and_their_own_tenants(
    api: ApiCaller, other_api: ApiCaller, session: Session
) -> None:
    deleted_only = register(api, URL, event_types=["rejection.deleted"])
    everything = register(api, f"{URL}/all")
    theirs = register(other_api, URL)
    rejection = api.rejection(api.seeker()["id"])
    other_api.rejection(other_api.seeker()["id"])

    assert deliveries(api, deleted_only["id"]) == []
    assert api.delete(f"/v1/rejections/{rejection['id']}").status_code == 204
    assert [d["event_type"] for d in deliveries(api, deleted_only["id"])] == ["rejection.deleted"]
    mine = {d["message_id"] for d in deliveries(api, everything["id"])}
    assert {d["message_id"] for d in deliveries(other_api, theirs["id"])}.isdisjoint(mine)


def test_deleting_a_rejection_announces_it_and_the_steps_it_retracts(
    api: ApiCaller, session: Session
) -> None:
    register(api, URL)
    rejection = api.rejection(api.seeker()["id"])
    count = len(messages(session))
    assert api.delete(f"/v1/rejections/{rejection['id']}").status_code == 204

    rows = messages(session)[count:]
    assert [m.type for m in rows] == ["rejection.deleted"] + ["next_step.updated"] * len(
        rejection["next_steps"]
    )
    assert outbox.envelope(rows[0])["data"]["id"] == rejection["id"]
    assert {outbox.envelope(m)["data"]["status"] for m in rows[1:]} == {"retracted"}


def test_changing_a_step_announces_it(api: ApiCaller, session: Session) -> None:
    register(api, URL, event_types=["next_step.updated"])
    step = api.rejection(api.seeker()["id"])["next_steps"][0]
    assert api.patch(f"/v1/next-steps/{step['id']}", json={"status": "done"}).status_code == 200
    [row] = messages(session)
    assert row.type == "next_step.updated"
    data = outbox.envelope(row)["data"]
    assert (data["id"], data["status"], data["version"]) == (step["id"], "done", 2)


def test_accepting_a_suggested_goal_announces_the_step_done(
    api: ApiCaller, session: Session
) -> None:
    register(api, URL, event_types=["next_step.updated"])
    seeker = api.seeker()
    api.rejection(seeker["id"], missing_skills=["dbt"])
    steps = api.rejection(seeker["id"], missing_skills=["dbt"])["next_steps"]
    step = next(s for s in steps if s["suggested_goal"])
    before = len(messages(session))
    assert api.post(f"/v1/next-steps/{step['id']}/accept-goal").status_code == 201
    [row] = messages(session)[before:]
    assert (outbox.envelope(row)["data"]["id"], outbox.envelope(row)["data"]["status"]) == (
        step["id"],
        "done",
    )


def test_a_check_in_that_reaches_a_one_off_goal_announces_it_achieved(
    api: ApiCaller, session: Session
) -> None:
    register(api, URL, event_types=["goal.achieved"])
    goal = api.goal(
        api.seeker()["id"], target=2, period="none", due_on=str(date.today() + timedelta(days=9))
    )
    api.post(f"/v1/goals/{goal['id']}/check-ins", json={"value": 1})
    assert messages(session) == []
    api.post(f"/v1/goals/{goal['id']}/check-ins", json={"value": 1})
    [row] = messages(session)
    data = outbox.envelope(row)["data"]
    assert (row.type, data["id"], data["status"]) == ("goal.achieved", goal["id"], "achieved")
    assert data["progress"]["current"] == 2


def test_the_sweep_announces_goals_behind_once_achieved_goals_and_its_steps(
    api: ApiCaller, session: Session
) -> None:
    now = datetime.combine(datetime.now(UTC).date() + timedelta(days=2), time(12), tzinfo=UTC)
    today = now.date()
    register(api, URL, event_types=["goal.behind", "goal.achieved", "next_step.created"])
    seeker = api.seeker()
    behind = api.goal(
        seeker["id"],
        title="Apply to 20",
        kind="applications",
        target=20,
        period="none",
        start_on=str(today - timedelta(days=10)),
        due_on=str(today + timedelta(days=10)),
    )
    reached = api.goal(
        seeker["id"],
        title="Send 1 application",
        kind="applications",
        target=1,
        period="none",
        start_on=str(today - timedelta(days=5)),
        due_on=str(today + timedelta(days=5)),
    )
    api.application(seeker["id"], applied_on=str(today - timedelta(days=1)))

    sweep.run(session, now=now, batch_size=50)

    rows = messages(session)
    by_type = {m.type: outbox.envelope(m)["data"] for m in rows}
    assert sorted(m.type for m in rows) == ["goal.achieved", "goal.behind", "next_step.created"]
    assert by_type["goal.behind"]["id"] == behind["id"]
    assert by_type["goal.behind"]["progress"]["pace"] == "behind"
    assert by_type["goal.achieved"]["id"] == reached["id"]
    assert by_type["next_step.created"]["recommendation_key"] == "stay_proactive"
    assert all(m.created_at == now for m in rows)

    sweep.run(session, now=now, batch_size=50)
    assert len(messages(session)) == len(rows)  # once per finding


def test_a_quiet_sweep_batch_costs_no_statement_for_webhooks(
    api: ApiCaller, session: Session
) -> None:
    register(api, URL)
    rows = [session.get(Seeker, api.seeker()["id"]) for _ in range(3)]
    with count_statements(session) as statements:
        sweep.sweep_batch(session, seekers=[r for r in rows if r], now=datetime.now(UTC))
    assert not [s for s in statements if "webhook" in s]


def test_a_batch_announces_each_created_rejection_with_fixed_statements(
    api: ApiCaller, session: Session
) -> None:
    register(api, URL, event_types=["rejection.created"])
    seeker = api.seeker(external_id="crm-1")

    def batch(size: int, tag: str) -> int:
        items = [
            {"seeker_external_id": "crm-1", "company": f"C{i}", "role": "Analyst",
             "stage": "application_review", "source": "ats", "external_id": f"{tag}-{i}"}
            for i in range(size)
        ]  # fmt: skip
        with count_statements(session) as statements:
            response = api.post("/v1/rejections/batch", json={"items": items})
        assert response.json()["created"] == size
        return len([s for s in statements if "webhook" in s])

    assert batch(2, "small") == batch(40, "large") == 3  # endpoints, messages, deliveries
    rows = messages(session, type="rejection.created")
    assert len(rows) == 42
    assert {r.seeker_id for r in rows} == {seeker["id"]}


def test_erasing_a_seeker_announces_only_the_id_and_blanks_earlier_messages(
    api: ApiCaller, session: Session
) -> None:
    endpoint = register(api, URL)
    seeker = api.seeker(display_name="Zoltanna", external_id="crm-77")
    api.rejection(seeker["id"], feedback="Zoltanna was nervous", company="Initech")
    other = api.seeker()
    api.rejection(other["id"], company="Globex")
    kept = len(messages(session, seeker_id=other["id"]))

    assert api.delete(f"/v1/seekers/{seeker['id']}").status_code == 204

    [deleted] = messages(session, type="seeker.deleted")
    assert outbox.envelope(deleted)["data"] == {"id": seeker["id"]}
    assert deleted.seeker_id is None  # the message belongs to the tenant: it outlives the seeker
    earlier = messages(session, seeker_id=seeker["id"])
    assert earlier and all(m.data is None for m in earlier)
    for message in earlier:
        data = outbox.envelope(message)["data"]
        assert data == {"id": message.resource_id, "seeker_id": seeker["id"], "redacted": True}
    text = str([outbox.envelope(m) for m in messages(session)])
    assert "Zoltanna" not in text and "Initech" not in text and "crm-77" not in text
    assert len([m for m in messages(session, seeker_id=other["id"]) if m.data]) == kept
    assert len(deliveries(api, endpoint["id"])) == len(messages(session))  # none was lost
