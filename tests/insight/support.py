"""Helpers shared by the insight tests: the pinned time, expected shapes, a reader."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.rejection.models import Reason, Stage
from tests.factories import ApiCaller

NOW = datetime(2026, 6, 17, 10, 0, tzinfo=UTC)  # a Wednesday
PROBLEM = "application/problem+json"
ZERO_STAGES = dict.fromkeys((s.value for s in Stage), 0)
ZERO_REASONS = dict.fromkeys((r.value for r in Reason), 0)
STEP_NAMES = ["applications", "screens", "interviews", "final_rounds", "offers"]


def insights(api: ApiCaller, seeker_id: str, **params: Any) -> Any:
    """GET the seeker's insights (200 expected) as JSON."""
    response = api.get(f"/v1/seekers/{seeker_id}/insights", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def at(text: str) -> str:
    """A naive ISO time read as UTC, as the API takes it."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC).isoformat()


def weeks(first: str, count: int, nonzero: dict[str, int]) -> list[dict[str, Any]]:
    """`count` weeks from Monday `first`, zero but for `nonzero`."""
    start = date.fromisoformat(first)
    days = [(start + timedelta(weeks=i)).isoformat() for i in range(count)]
    assert set(nonzero) <= set(days)
    return [{"week_start": d, "rejections": nonzero.get(d, 0)} for d in days]


def funnel(reached: list[int], conversions: list[float | None]) -> list[dict[str, Any]]:
    """The funnel's steps with these figures."""
    return [
        {"step": name, "reached": n, "conversion": c}
        for name, n, c in zip(STEP_NAMES, reached, conversions, strict=True)
    ]
