"""Rejections for one seeker arriving at once still leave one active step per recommendation
(per company, for a feedback request)."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlmodel import Session, select

from app.core.db import get_engine
from app.next_step.models import ACTIVE, NextStep
from tests.factories import ApiCaller

CONCURRENT = 12


def test_concurrent_rejections_share_one_active_step_per_recommendation(
    committed_api: tuple[ApiCaller, str],
) -> None:
    api, _ = committed_api
    seeker = api.seeker()
    barrier = threading.Barrier(CONCURRENT)

    def send(i: int) -> httpx.Response:
        barrier.wait()
        body = {"company": f"Company {i}", "role": "Analyst", "stage": "interview", "mood": 2}
        return api.post(f"/v1/seekers/{seeker['id']}/rejections", json=body)

    with ThreadPoolExecutor(CONCURRENT) as pool:
        responses = list(pool.map(send, range(CONCURRENT)))

    assert [r.status_code for r in responses] == [201] * CONCURRENT
    with Session(get_engine()) as session:
        steps = session.exec(
            select(NextStep).where(
                NextStep.seeker_id == seeker["id"],
                NextStep.status.in_(ACTIVE),  # type: ignore[attr-defined]
            )
        ).all()
    per_slot = Counter((s.recommendation_key, s.scope) for s in steps)
    assert per_slot and set(per_slot.values()) == {1}, per_slot
    companies = {s.scope for s in steps if s.recommendation_key == "seek_feedback"}
    assert companies == {f"company {i}" for i in range(CONCURRENT)}  # one request each
    acknowledge = next(s for s in steps if s.recommendation_key == "acknowledge_feelings")
    assert len(acknowledge.rejection_ids) == acknowledge.rejection_count == CONCURRENT
