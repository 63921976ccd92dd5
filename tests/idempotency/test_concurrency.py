"""One Idempotency-Key from 20 concurrent requests: one runs, the others get its response or 409.

PostgreSQL only (real, committed, racing transactions); see tests/rejection/test_concurrency.py.
"""

from sqlmodel import Session, select

from app.next_step.models import NextStep
from app.rejection.models import Rejection
from app.webhook.models import WebhookMessage
from tests.rejection.test_concurrency import (  # noqa: F401 - `committed` is a fixture
    Committed,
    _count,
    _race,
    committed,
)

CALLERS = 20


def test_twenty_concurrent_posts_with_one_key_run_once(committed: Committed) -> None:  # noqa: F811
    api = committed.api
    endpoint = api.post(
        "/v1/webhook-endpoints",
        json={"url": "http://127.0.0.1:9/hooks", "event_types": ["rejection.created"]},
    )
    assert endpoint.status_code == 201, endpoint.text
    seeker = api.seeker()
    url = f"/v1/seekers/{seeker['id']}/rejections"
    body = {"company": "Acme", "role": "Data Analyst", "stage": "interview", "mood": 2}

    responses = _race(
        lambda: api.post(url, json=body, headers={"Idempotency-Key": "ats-push-77"}), CALLERS
    )

    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {201, 409}, [r.text for r in responses]
    created = [r for r in responses if r.status_code == 201]
    originals = [r for r in created if "idempotent-replayed" not in r.headers]
    assert len(originals) == 1
    assert all(r.content == originals[0].content for r in created)
    for refused in (r for r in responses if r.status_code == 409):
        assert refused.json()["code"] == "idempotency_key_in_use"
    assert _count(committed.engine, Rejection, committed.tenant_id) == 1
    steps = _count(committed.engine, NextStep, committed.tenant_id)
    assert steps == len(originals[0].json()["next_steps"])
    with Session(committed.engine) as session:
        messages = session.exec(
            select(WebhookMessage.type).where(WebhookMessage.tenant_id == committed.tenant_id)
        ).all()
    assert messages == ["rejection.created"], "one outbox message for the one rejection"
    late = api.post(url, json=body, headers={"Idempotency-Key": "ats-push-77"})
    assert late.status_code == 201 and late.headers["idempotent-replayed"] == "true"
