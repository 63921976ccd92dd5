"""The coach's view: seekers ranked by who needs attention, each with the facts behind it."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import Session

from app.goal.models import Goal
from app.next_step.models import StepFinding
from tests.factories import ApiCaller, count_statements

NOW = datetime.now(UTC)
URL = "/v1/insights/seekers"


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The view's clock, a minute ahead of the real one (rejections default to real now)."""
    monkeypatch.setattr("app.attention.service.utc_now", lambda: NOW + timedelta(minutes=1))


def _created_days_ago(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch, days: int, **fields: Any
) -> str:
    with monkeypatch.context() as patched:
        patched.setattr("app.seeker.service.utc_now", lambda: NOW - timedelta(days=days))
        return str(api.seeker(**fields)["id"])


def _rejected(api: ApiCaller, seeker_id: str, moods: list[int | None], days_ago: int = 0) -> None:
    for i, mood in enumerate(moods):
        at = (NOW - timedelta(days=days_ago, hours=i)).isoformat()
        fields: dict[str, Any] = {"occurred_at": at, "company": f"Co{i}"}
        if mood is not None:
            fields["mood"] = mood
        api.rejection(seeker_id, **fields)


def _page(api: ApiCaller, **params: Any) -> dict[str, Any]:
    response = api.get(URL, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _signals(item: dict[str, Any]) -> dict[str, int]:
    return {s["signal"]: s["points"] for s in item["signals"]}


@pytest.fixture
def cohort(api: ApiCaller, session: Session, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Four seekers, each showing different signals."""
    struggling = _created_days_ago(api, monkeypatch, 60, display_name="Struggling")
    _rejected(api, struggling, [1, 2, 1, 2])  # a run of 4, mean mood 1.5
    quiet = _created_days_ago(api, monkeypatch, 40, display_name="Quiet")
    _rejected(api, quiet, [None], days_ago=35)  # nothing for 35 days
    behind = _created_days_ago(api, monkeypatch, 20, display_name="Behind")
    step = api.rejection(behind, occurred_at=(NOW - timedelta(days=2)).isoformat(), mood=4)
    goal = api.goal(behind)
    missed = api.goal(behind, title="Finish the course", kind="custom", target=1, unit="course")
    session.add(
        StepFinding(
            seeker_id=behind,
            key=f"behind:{goal['id']}:{NOW.date().isoformat()}",
            next_step_id=step["next_steps"][0]["id"],
            created_at=NOW - timedelta(days=1),
        )
    )
    session.execute(
        update(Goal).where(Goal.id == missed["id"]).values(status="missed", updated_at=NOW)  # type: ignore[arg-type]
    )
    session.flush()
    fine = api.seeker(display_name="Fine")
    return {"struggling": struggling, "quiet": quiet, "behind": behind, "fine": fine["id"]}


def test_seekers_are_ranked_by_their_signals_points(api: ApiCaller, cohort: dict[str, str]) -> None:
    page = _page(api)
    assert [i["seeker_id"] for i in page["data"]] == [
        cohort["struggling"],
        cohort["quiet"],
        cohort["behind"],
    ]
    struggling, quiet, behind = page["data"]
    assert _signals(struggling) == {"rejection_run": 40, "low_mood": 40}
    assert struggling["score"] == 80
    assert struggling["display_name"] == "Struggling"
    run = next(s for s in struggling["signals"] if s["signal"] == "rejection_run")
    assert run["facts"] == {"rejections": 4, "days": 14}
    mood = next(s for s in struggling["signals"] if s["signal"] == "low_mood")
    assert mood["facts"] == {"mean_mood": 1.5, "rated": 4, "days": 30}
    assert _signals(quiet) == {"inactive": 30}
    assert quiet["signals"][0]["facts"]["days"] == 35
    assert quiet["last_activity_on"] == (NOW - timedelta(days=35)).date().isoformat()
    assert _signals(behind) == {"goals_behind": 25}  # one behind (15), one missed (10)
    assert behind["signals"][0]["facts"] == {"behind": 1, "missed": 1}
    assert page["has_more"] is False and page["next_cursor"] is None


def test_a_seeker_with_nothing_wrong_is_listed_only_when_asked(
    api: ApiCaller, cohort: dict[str, str]
) -> None:
    everyone = _page(api, min_score=0)["data"]
    assert everyone[-1]["seeker_id"] == cohort["fine"]
    assert everyone[-1]["score"] == 0 and everyone[-1]["signals"] == []
    assert [i["seeker_id"] for i in _page(api, min_score=50)["data"]] == [cohort["struggling"]]


def test_filtering_by_one_signal(api: ApiCaller, cohort: dict[str, str]) -> None:
    assert [i["seeker_id"] for i in _page(api, signal="inactive")["data"]] == [cohort["quiet"]]
    assert [i["seeker_id"] for i in _page(api, signal="low_mood")["data"]] == [cohort["struggling"]]
    response = api.get(URL, params={"signal": "sad"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_pages_follow_the_ranking_and_cursors_are_bound_to_their_filters(
    api: ApiCaller, cohort: dict[str, str]
) -> None:
    seen, params = [], {"limit": 1, "min_score": 0}
    while True:
        page = _page(api, **params)
        seen += [i["seeker_id"] for i in page["data"]]
        if not page["has_more"]:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == [i["seeker_id"] for i in _page(api, min_score=0)["data"]]
    assert len(seen) == 4
    cursor = _page(api, limit=1)["next_cursor"]
    response = api.get(URL, params={"limit": 1, "cursor": cursor, "signal": "inactive"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_the_old_run_and_old_moods_do_not_count(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeker = _created_days_ago(api, monkeypatch, 100)
    _rejected(api, seeker, [1, 1, 1], days_ago=31)  # a month ago: no run, no recent mood
    _rejected(api, seeker, [5], days_ago=1)
    item = _page(api, min_score=0)["data"][0]
    assert item["seeker_id"] == seeker
    assert item["signals"] == [] and item["score"] == 0


def test_one_statement_per_page_whatever_the_number_of_seekers(
    api: ApiCaller, session: Session
) -> None:
    counts = []
    for seekers in (3, 30):
        while len(_page(api, min_score=0, limit=200)["data"]) < seekers:
            _rejected(api, api.seeker()["id"], [1, 1, 1])
        with count_statements(session) as statements:
            assert len(_page(api, limit=200)["data"]) == seekers
        counts.append(len(statements))
    assert counts[0] == counts[1] == 2  # the key, then the ranked page


def test_later_pages_are_scored_as_of_the_first(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet = _created_days_ago(api, monkeypatch, 15)  # inactive: 20 points
    busy = _created_days_ago(api, monkeypatch, 15)
    _rejected(api, busy, [None, None, None])  # a run of 3: 30 points
    first = _page(api, limit=1)
    assert [(i["seeker_id"], i["score"]) for i in first["data"]] == [(busy, 30)]
    # A month later the run is over and both are quiet; the second page still ranks as of then.
    later = NOW + timedelta(days=30)
    monkeypatch.setattr("app.attention.service.utc_now", lambda: later)
    second = _page(api, limit=1, cursor=first["next_cursor"])
    assert [(i["seeker_id"], i["score"]) for i in second["data"]] == [(quiet, 20)]


def test_withdrawals_make_no_rejection_run_but_their_mood_counts(
    api: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeker = _created_days_ago(api, monkeypatch, 100)
    for hours in (1, 2, 3):  # the seeker walked away three times, feeling low
        at = (NOW - timedelta(days=1, hours=hours)).isoformat()
        api.rejection(seeker, company="Glovo", ended_by="candidate", occurred_at=at, mood=1)
    api.rejection(seeker, company="Glovo", occurred_at=(NOW - timedelta(hours=1)).isoformat())
    item = _page(api, min_score=0)["data"][0]
    assert item["seeker_id"] == seeker
    assert _signals(item) == {"low_mood": 40}  # one rejection and three withdrawals: no run
    mood = next(s for s in item["signals"] if s["signal"] == "low_mood")
    assert mood["facts"] == {"mean_mood": 1.0, "rated": 3, "days": 30}  # the seeker's own
    for hours, company in ((2, "Acme"), (3, "Hooli")):
        api.rejection(
            seeker, company=company, occurred_at=(NOW - timedelta(hours=hours)).isoformat()
        )
    run = _page(api, signal="rejection_run")["data"]
    assert [i["seeker_id"] for i in run] == [seeker]
    facts = next(s for s in run[0]["signals"] if s["signal"] == "rejection_run")["facts"]
    assert facts == {"rejections": 3, "days": 14}
