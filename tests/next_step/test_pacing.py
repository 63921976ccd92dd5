"""Few things at once, care first: after an event at most three open steps are due within 24
hours, and with a low mood only the care steps; the rest are due later, none dropped."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.factories import ApiCaller

CARE = {"acknowledge_feelings", "avoid_taking_it_personally", "maintain_positive_attitude"}
HEAVY = {  # a final-round loss to another candidate: nearly every recommendation applies
    "company": "Mercado Libre",
    "role": "Senior Backend Engineer",
    "stage": "final_round",
    "reason": "other_candidate",
}


def _open(api: ApiCaller, seeker_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/v1/seekers/{seeker_id}/next-steps", params={"limit": 200})
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _soon(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    limit = datetime.now(UTC) + timedelta(hours=24)
    return [s for s in steps if datetime.fromisoformat(s["due_at"]) <= limit]


@pytest.mark.parametrize("mood", [1, 2])
def test_at_a_low_mood_only_care_steps_are_due_within_a_day(api: ApiCaller, mood: int) -> None:
    seeker = api.seeker()
    created = api.rejection(seeker["id"], **HEAVY, mood=mood)
    steps = _open(api, seeker["id"])
    assert len(steps) >= 6  # nothing was dropped
    soon = _soon(steps)
    assert 1 <= len(soon) <= 3
    assert {s["recommendation_key"] for s in soon} <= CARE
    assert [s["recommendation_key"] for s in steps][:3] == [s["recommendation_key"] for s in soon]
    later = [s for s in steps if s not in soon]
    assert all(
        datetime.fromisoformat(s["due_at"]) > datetime.now(UTC) + timedelta(days=1) for s in later
    )
    assert {s["id"] for s in created["next_steps"]} == {s["id"] for s in steps}


def test_without_a_low_mood_three_steps_at_most_are_due_within_a_day(api: ApiCaller) -> None:
    seeker = api.seeker()
    api.rejection(seeker["id"], **HEAVY, mood=4)
    api.rejection(seeker["id"], company="Globant", role="Backend Engineer", stage="interview")
    soon = _soon(_open(api, seeker["id"]))
    assert len(soon) <= 3
