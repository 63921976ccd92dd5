"""A batch coaches all its seekers at once: the same steps as one POST each, in a fixed number of
statements whatever the number of seekers."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session

from app.rejection.models import RejectionCreate
from app.rejection.service import build_rejection
from app.seeker.models import Seeker
from tests.factories import ApiCaller, count_statements

NOW = datetime.now(UTC).replace(microsecond=0)
ID = re.compile(r"\b(?:app|gol|nst|rej|skr)_[0-9a-z]{26}\b")
COMPARED = (
    "recommendation_key",
    "title",
    "body",
    "actions",
    "priority",
    "status",
    "draft_message",
    "suggested_goal",
    "explanation",
)


def _at(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def _item(days: float, **fields: Any) -> dict[str, Any]:
    base = {"company": "Acme", "role": "Analyst", "stage": "interview", "occurred_at": _at(days)}
    return base | fields


# Seekers whose histories differ in every way the rule context reads, so that a bulk read that
# mixed them up (or one seeker's window, day or goals leaking into another's) changes steps.
PEOPLE: list[dict[str, Any]] = [
    {
        "profile": {"skills": ["python"], "target_roles": ["Analytics Engineer"]},
        "applications": [(1, "referral"), (3, "linkedin"), (40, "manual")],
        "goals": [{"kind": "applications", "target": 5, "title": "Apply to 5 a week"}],
        "coached": [_item(20, reason="lacks_skills", missing_skills=["dbt"])],
        "stored": [_item(9, stage="application_review"), _item(200, company="Globex")],
        "batch": [
            _item(6, stage="application_review", source="ats"),
            _item(1, stage="final_round", reason="lacks_skills", missing_skills=["dbt", "SQL"]),
            _item(4, stage="phone_screen", mood=2),
        ],
        "linked": True,  # the latest item names the seeker's newest application
    },
    {
        # Its latest event is months old: a newer stored rejection and a newer application are
        # in the batch's widest window but not in this seeker's own.
        "profile": {"timezone": "Pacific/Auckland", "display_name": "Aroha"},
        "applications": [(50, "manual"), (5, "referral")],
        "goals": [],
        "coached": [],
        "stored": [_item(10, stage="final_round"), _item(130, mood=1)],
        "batch": [_item(120, mood=2), _item(100, stage="final_round", mood=1)],
    },
    {
        "profile": {"timezone": "America/Los_Angeles"},
        "applications": [],
        "goals": [],
        "coached": [],
        "stored": [],
        "batch": [_item(0.5, stage="application_review", source="referral")],
    },
    {
        "profile": {"strengths": ["storytelling"]},
        "applications": [(45, "manual")],  # none within 30 days: its last is found apart
        "goals": [{"kind": "networking", "target": 3}],
        "coached": [_item(3, company="Initech", stage="final_round")],
        "stored": [_item(15, company="Initech", stage="application_review")],
        "batch": [
            _item(2.5, company="Initech", stage="assessment", reason="other_candidate"),
            _item(2, company="initech", stage="offer", mood=5),
        ],
    },
    *[
        {
            "profile": {"timezone": "Europe/Berlin"},
            "applications": [(i, "manual")],
            "goals": [],
            "coached": [],
            "stored": [_item(i + d, stage="application_review") for d in range(1, 4 + i)],
            "batch": [_item(i + 0.2, stage="application_review", reason="no_response")],
        }
        for i in range(4)
    ],
]


def _store(session: Session, seeker_id: str, items: list[dict[str, Any]]) -> None:
    """Rejections stored as history alone (nothing coached), the way an old import left them."""
    seeker = session.get(Seeker, seeker_id)
    assert seeker is not None
    session.add_all(
        build_rejection(seeker, RejectionCreate(**item), {}, datetime.now(UTC)) for item in items
    )
    session.flush()


def _person(api: ApiCaller, session: Session, spec: dict[str, Any]) -> tuple[str, str | None]:
    """A seeker with the history `spec` describes; their id and newest application's id."""
    seeker_id = api.seeker(**spec["profile"])["id"]
    applications = [
        api.application(seeker_id, applied_on=_at(days)[:10], source=source)["id"]
        for days, source in sorted(spec["applications"], reverse=True)
    ]
    for goal in spec["goals"]:
        api.goal(seeker_id, **goal)
    for item in spec["coached"]:
        api.rejection(seeker_id, **item)
    _store(session, seeker_id, spec["stored"])
    return seeker_id, applications[-1] if applications else None


def _batch_items(spec: dict[str, Any], application_id: str | None) -> list[dict[str, Any]]:
    items = sorted(spec["batch"], key=lambda i: i["occurred_at"])
    if spec.get("linked"):
        items[-1] = {**items[-1], "application_id": application_id}
    return items


def _steps(api: ApiCaller, seeker_id: str) -> list[dict[str, Any]]:
    """The seeker's open steps, without what differs between twins (ids and clock readings)."""
    steps = api.get(f"/v1/seekers/{seeker_id}/next-steps?limit=100").json()["data"]
    kept = [{k: s[k] for k in COMPARED} | {"supported_by": len(s["rejection_ids"])} for s in steps]
    for step in kept:
        for entry in step["explanation"]:
            entry.pop("rejection_id", None)
    return sorted((_without_ids(s) for s in kept), key=lambda s: str(s["recommendation_key"]))


def _without_ids(value: Any) -> Any:
    if isinstance(value, str):
        return ID.sub("<id>", value)
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items()}
    return value


def test_batch_gives_each_seeker_the_steps_their_latest_rejection_gives_alone(
    api: ApiCaller, session: Session
) -> None:
    batched = [_person(api, session, spec) for spec in PEOPLE]
    twins = [_person(api, session, spec) for spec in PEOPLE]

    items = [
        {**item, "seeker_id": seeker_id}
        for spec, (seeker_id, application_id) in zip(PEOPLE, batched, strict=True)
        for item in _batch_items(spec, application_id)
    ]
    response = api.post("/v1/rejections/batch", json={"items": items[::-1]})  # order is no cue
    assert response.status_code == 200, response.text
    assert response.json()["created"] == len(items)

    for spec, (seeker_id, application_id) in zip(PEOPLE, twins, strict=True):
        *earlier, latest = _batch_items(spec, application_id)
        _store(session, seeker_id, earlier)
        api.rejection(seeker_id, **latest)

    for spec, (batch_seeker, _), (twin, _) in zip(PEOPLE, batched, twins, strict=True):
        alone = _steps(api, twin)
        assert alone, spec["profile"]
        assert _steps(api, batch_seeker) == alone, spec["profile"]


def _seekers_with_history(api: ApiCaller, count: int) -> list[str]:
    """Seekers alike in shape: an application, a goal and an earlier rejection with its steps."""
    ids = []
    for _ in range(count):
        seeker_id = api.seeker()["id"]
        api.application(seeker_id, applied_on=_at(2)[:10])
        api.goal(seeker_id, kind="applications", target=4)
        api.rejection(seeker_id, **_item(5, reason="lacks_skills", missing_skills=["dbt"]))
        ids.append(seeker_id)
    return ids


def test_batch_statement_count_does_not_grow_with_seekers(api: ApiCaller, session: Session) -> None:
    counts = {}
    for size in (5, 50):
        seekers = _seekers_with_history(api, size)
        items = [
            {**_item(days, stage=stage, missing_skills=["dbt"]), "seeker_id": seeker_id}
            for seeker_id in seekers
            for days, stage in ((3, "phone_screen"), (1, "final_round"))
        ]
        with count_statements(session) as statements:
            response = api.post("/v1/rejections/batch", json={"items": items})
        assert response.json()["created"] == 2 * size, response.text
        counts[size] = len(statements)
        steps = api.get(f"/v1/seekers/{seekers[-1]}/next-steps").json()["data"]
        assert any(len(s["rejection_ids"]) == 2 for s in steps)  # earlier steps were extended
    assert counts[5] == counts[50], counts
