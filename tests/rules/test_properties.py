"""Properties of the engine over random valid events and histories, and evaluate ≡ create."""

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.rules.context import (
    REFERRAL_SOURCES,
    WINDOWS,
    Event,
    History,
    Profile,
    RuleContext,
    Window,
)
from app.rules.engine import evaluate
from app.rules.registry import get_registry
from tests.factories import ApiCaller
from tests.rules.support import written

# The enums of API.md ("Rejections"), spelled out: the contract, not the code, is the source.
STAGES = ("application_review", "phone_screen", "assessment", "interview", "final_round", "offer")
ENDED_BY = ("employer", "candidate", "unknown")
REASONS = (
    "lacks_skills",
    "experience_level",
    "other_candidate",
    "position_closed",
    "culture_fit",
    "logistics",
    "compensation",
    "process",
    "no_response",
    "unspecified",
)
COMPANIES = ("Acme", "Globex", "Initech", "Umbrella")
ROLES = ("Data Analyst", "Backend Engineer", "Product Designer")
SKILLS = ("sql", "dbt", "python", "airflow", "figma")
SOURCES = ("manual", "greenhouse", "referral")
AT = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
PAST_TIMES = ("2026-03-04T15:00:00+00:00", "2026-02-10T09:30:00+01:00", "2025-12-31T23:45:00-05:00")

moods = st.none() | st.integers(1, 5)
# Printable text that survives JSON and PostgreSQL (no control characters, no lone surrogates).
words = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=40
).filter(str.strip)
feedback = st.none() | words
skill_lists = st.lists(st.sampled_from(SKILLS), max_size=3, unique=True)
ENDED = st.sampled_from(ENDED_BY)
names = st.lists(st.sampled_from(("sql", "storytelling", "mentoring")), max_size=2, unique=True)


def events(ended_by: st.SearchStrategy[str]) -> st.SearchStrategy[Event]:
    """Events with every field drawn from the contract's values."""
    return st.builds(
        Event,
        company=st.sampled_from(COMPANIES),
        role=st.sampled_from(ROLES),
        stage=st.sampled_from(STAGES),
        occurred_at=st.just(AT),
        ended_by=ended_by,
        reason=st.sampled_from(REASONS),
        feedback=feedback,
        missing_skills=skill_lists.map(tuple),
        mood=moods,
        source=st.sampled_from(SOURCES),
    )


# A past rejection: (days before the event, stage, reason, from a referral?); ages cluster
# recent often enough that the 7- and 14-day thresholds are reached.
past_rejections = st.tuples(
    st.integers(0, 6) | st.integers(0, 364),
    st.sampled_from(STAGES),
    st.sampled_from(REASONS),
    st.booleans(),
)


def _window(rows: list[tuple[int, str, str, bool]]) -> Window:
    return Window(
        total=len(rows),
        by_stage=dict(Counter(stage for _, stage, _, _ in rows)),
        by_reason=dict(Counter(reason for _, _, reason, _ in rows)),
        cold_screening=sum(stage == "application_review" and not ref for _, stage, _, ref in rows),
    )


@st.composite
def contexts(draw: st.DrawFn, ended_by: st.SearchStrategy[str] = ENDED) -> RuleContext:
    """A valid context: windows nest, and the event itself is counted in every one of them."""
    event = draw(events(ended_by))
    this = (0, event.stage, event.reason, event.source in REFERRAL_SOURCES)
    rows = [this, *draw(st.lists(past_rejections, max_size=25))]
    windows = {days: _window([r for r in rows if r[0] < days]) for days in WINDOWS}
    same_company = draw(st.integers(1, windows[365].total))
    skill_counts = st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 4), max_size=3)
    missing_90 = draw(skill_counts)
    history = History(
        windows=windows,
        same_company_365=same_company,
        missing_skills_90=missing_90,
        missing_skills_all={k: v + draw(st.integers(0, 2)) for k, v in missing_90.items()},
        days_since_last_application=draw(st.none() | st.integers(0, 60)),
        applications_7=draw(st.integers(0, 5)),
        applications_30=draw(st.integers(5, 20)),
        referral_applications_30=draw(st.integers(0, 5)),
        mood_recent=draw(st.none() | st.floats(1, 5)),
        mood_before=draw(st.none() | st.floats(1, 5)),
    )
    profile = Profile(
        display_name=draw(st.none() | st.sampled_from(("Sam", "Ana"))),
        strengths=tuple(draw(names)),
        skills=tuple(draw(skill_lists)),
        target_roles=tuple(draw(st.lists(st.sampled_from(ROLES), max_size=2, unique=True))),
    )
    return RuleContext(event=event, profile=profile, history=history)


ENGINE = settings(max_examples=200, database=None)


@ENGINE
@given(contexts())
def test_evaluate_never_suggests_a_recommendation_twice(ctx: RuleContext) -> None:
    keys = [s.recommendation_key for s in evaluate(get_registry(), ctx)]
    assert len(keys) == len(set(keys))


@ENGINE
@given(contexts())
def test_evaluate_acknowledges_feelings_before_seeking_feedback(ctx: RuleContext) -> None:
    keys = [s.recommendation_key for s in evaluate(get_registry(), ctx)]
    if "acknowledge_feelings" in keys and "seek_feedback" in keys:
        assert keys.index("acknowledge_feelings") < keys.index("seek_feedback")


@ENGINE
@given(contexts())
def test_evaluate_explains_every_suggestion_with_its_own_rules(ctx: RuleContext) -> None:
    rule_ids = {r.id for r in get_registry().rules}
    for suggestion in evaluate(get_registry(), ctx):
        assert suggestion.hits, suggestion.recommendation_key
        for hit in suggestion.hits:
            assert hit.rule_id in rule_ids
            assert hit.rule_id.startswith(f"{suggestion.recommendation_key}.")
            assert hit.key.startswith(hit.rule_id)
            assert isinstance(hit.facts, dict) and hit.facts
            json.dumps(hit.facts)  # stored in a JSON column, served as JSON
    for key, words, lines in written(ctx):  # composed without a fallback
        assert words.title.strip() and words.body.strip(), key
        assert all(line.reason.strip() for line in lines), key


@ENGINE
@given(contexts(ended_by=st.just("candidate")))
def test_evaluate_candidate_ended_event_gives_no_coaching(ctx: RuleContext) -> None:
    assert evaluate(get_registry(), ctx) == []


@ENGINE
@given(contexts(ended_by=st.sampled_from(("employer", "unknown"))))
def test_evaluate_employer_ended_event_acknowledges_feelings_first(ctx: RuleContext) -> None:
    suggestions = evaluate(get_registry(), ctx)
    assert suggestions
    assert suggestions[0].recommendation_key == "acknowledge_feelings"


@ENGINE
@given(contexts())
def test_evaluate_is_deterministic_and_ordered_by_priority(ctx: RuleContext) -> None:
    first = evaluate(get_registry(), ctx)
    assert evaluate(get_registry(), ctx) == first
    priorities = [s.priority for s in first]
    assert priorities == sorted(priorities)


# --- evaluate ≡ create, over HTTP -------------------------------------------------------------

bodies = st.fixed_dictionaries(
    {
        "company": st.sampled_from(COMPANIES),
        "role": st.sampled_from(ROLES),
        "stage": st.sampled_from(STAGES),
        "occurred_at": st.sampled_from(PAST_TIMES),
    },
    optional={
        "ended_by": st.sampled_from(ENDED_BY),
        "reason": st.sampled_from(REASONS),
        "feedback": words,
        "missing_skills": skill_lists,
        "mood": st.integers(1, 5),
        "source": st.sampled_from(SOURCES),
    },
)
# Earlier rejections for the same seeker: (days before the event, company, stage, reason, skills).
earlier = st.lists(
    st.tuples(
        st.integers(1, 100),
        st.sampled_from(COMPANIES),
        st.sampled_from(STAGES),
        st.sampled_from(REASONS),
        skill_lists,
    ),
    max_size=4,
)
COMPARED = (
    "recommendation_key",
    "title",
    "body",
    "actions",
    "priority",
    "draft_message",
    "suggested_goal",
)


def _comparable(step: dict[str, Any], rejection_id: str | None) -> dict[str, Any]:
    """The fields a dry run promises, with the event's own id (which a dry run has not) left out."""

    def unrecorded(value: str | None) -> str | None:
        return None if value == rejection_id else value

    entries = [
        {k: e[k] for k in ("rule_id", "rule_version", "reason", "facts", "count")}
        | {"rejection_id": unrecorded(e["rejection_id"])}
        for e in step["explanation"]
    ]
    ids = [r for r in step["rejection_ids"] if r != rejection_id]
    return {**{k: step[k] for k in COMPARED}, "explanation": entries, "rejection_ids": ids}


def _recorded(api: ApiCaller, seeker_id: str) -> tuple[Any, Any]:
    steps = api.get(f"/v1/seekers/{seeker_id}/next-steps", params={"limit": 200})
    rejections = api.get(f"/v1/seekers/{seeker_id}/rejections", params={"limit": 200})
    assert steps.status_code == rejections.status_code == 200
    return steps.json(), rejections.json()


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(body=bodies, history=earlier, strengths=names)
def test_evaluate_rules_dry_run_equals_the_created_next_steps(
    api: ApiCaller,
    body: dict[str, Any],
    history: list[tuple[int, str, str, str, list[str]]],
    strengths: list[str],
) -> None:
    seeker_id = api.seeker(strengths=strengths)["id"]
    at = datetime.fromisoformat(body["occurred_at"])
    for days, company, stage, reason, skills in history:
        occurred = (at - timedelta(days=days)).isoformat()
        api.rejection(
            seeker_id,
            company=company,
            stage=stage,
            reason=reason,
            missing_skills=skills,
            occurred_at=occurred,
        )
    before = _recorded(api, seeker_id)

    dry = api.post("/v1/rules/evaluate", json={"seeker_id": seeker_id, "rejection": body})
    assert dry.status_code == 200, dry.text
    assert _recorded(api, seeker_id) == before  # the dry run wrote nothing

    created = api.post(f"/v1/seekers/{seeker_id}/rejections", json=body)
    assert created.status_code == 201, created.text
    rejection = created.json()
    expected = [_comparable(s, None) for s in dry.json()["next_steps"]]
    assert [_comparable(s, rejection["id"]) for s in rejection["next_steps"]] == expected
    soon = datetime.now(UTC) + timedelta(hours=24)
    for step in rejection["next_steps"]:  # supported by this event, or moved later to make room
        moved = datetime.fromisoformat(step["due_at"]) > soon
        assert rejection["id"] in step["rejection_ids"] or moved, step
    listed = _recorded(api, seeker_id)[0]["data"]
    open_keys = [
        s["recommendation_key"] for s in listed if s["recommendation_key"] != "seek_feedback"
    ]
    assert len(open_keys) == len(set(open_keys))  # never two open steps for one recommendation
    requests = [s["draft_message"] for s in listed if s["recommendation_key"] == "seek_feedback"]
    assert len(requests) == len(set(requests))  # nor two feedback requests to one company
