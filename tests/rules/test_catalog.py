"""The catalog: every rule's own examples, the ten recommendations, and how the API lists them."""

import json
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from app.rules.base import Reason, Rule
from app.rules.engine import evaluate
from app.rules.registry import get_registry
from tests.factories import ApiCaller
from tests.rules.support import written

KEYS = {  # API.md, "Recommendations — the catalog of ten": stable, never renamed
    "acknowledge_feelings",
    "avoid_taking_it_personally",
    "seek_feedback",
    "evaluate_application",
    "focus_on_strengths",
    "continue_upskilling",
    "stay_proactive",
    "leverage_network",
    "maintain_positive_attitude",
    "set_new_goals",
}
STARTING_RULES = {  # the starting rule set of the rule-engine issue
    "acknowledge_feelings.after_rejection",
    "acknowledge_feelings.low_mood",
    "avoid_taking_it_personally.external_reason",
    "avoid_taking_it_personally.repeat_company",
    "seek_feedback.after_interview",
    "seek_feedback.vague_reason",
    "evaluate_application.screening_pattern",
    "evaluate_application.interview_pattern",
    "evaluate_application.level_mismatch",
    "focus_on_strengths.late_stage",
    "focus_on_strengths.rejection_run",
    "continue_upskilling.skills_gap",
    "continue_upskilling.recurring_gap",
    "stay_proactive.keep_momentum",
    "leverage_network.cold_applications",
    "leverage_network.late_stage",
    "maintain_positive_attitude.hard_stretch",
    "set_new_goals.many_rejections",
    "stay_proactive.behind_on_goal",  # the goals issue
    "set_new_goals.no_active_goal",
}
TIME_RULES = {  # rules the sweep runs when time passes without an event
    "stay_proactive.behind_on_goal",
    "stay_proactive.follow_up_unanswered",
    "stay_proactive.dry_spell",
    "set_new_goals.missed_goal",
}
PROBLEM = "application/problem+json"

RULES = get_registry().rules


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples_fire_with_facts_and_stay_silent(rule: Rule) -> None:
    for i, ctx in enumerate(rule.fires):
        reason = rule.evaluate(ctx)
        assert isinstance(reason, Reason), f"{rule.id}: firing example {i} stayed silent"
        assert reason.facts, f"{rule.id}: firing example {i} reported no facts"
        words = {key: (w, lines) for key, w, lines in written(ctx)}
        step, lines = words[rule.recommendation_key]  # composed without a fallback
        assert step.title.strip() and step.body.strip(), f"{rule.id}: example {i} has no words"
        line = next(line for line in lines if line.rule_id == rule.id)
        assert line.reason.strip() and "{" not in line.reason, f"{rule.id}: example {i}"
        json.dumps(dict(reason.facts))  # stored in a JSON column and served as JSON
        if reason.suggested_goal is not None:
            json.dumps(dict(reason.suggested_goal))
        if "time" in rule.on:  # the sweep remembers findings so that it never acts twice
            assert reason.findings, f"{rule.id}: firing example {i} named no finding"
            again = replace(ctx, history=replace(ctx.history, acted_on=frozenset(reason.findings)))
            assert rule.evaluate(again) is None, f"{rule.id}: fired again on the same findings"
    for i, ctx in enumerate(rule.silent):
        assert rule.evaluate(ctx) is None, f"{rule.id}: silent example {i} fired"


def test_registry_time_rules_are_the_sweeps_and_render_without_an_event() -> None:
    registry = get_registry()
    assert {r.id for r in registry.rules if "time" in r.on} == TIME_RULES
    for rule in registry.rules:
        for ctx in rule.fires:
            if ctx.event is None:
                suggestions = evaluate(registry, ctx)
                mine = [s for s in suggestions if s.recommendation_key == rule.recommendation_key]
                assert mine and mine[0].findings, rule.id
                words = {key: w for key, w, _ in written(ctx)}
                assert words[rule.recommendation_key].title, rule.id


def test_registry_has_exactly_the_ten_keys_of_the_contract() -> None:
    keys = [r.key for r in get_registry().recommendations]
    assert len(keys) == len(set(keys)) == 10
    assert set(keys) == KEYS


def test_registry_every_recommendation_has_concrete_actions_and_guidance() -> None:
    for recommendation in get_registry().recommendations:
        assert 3 <= len(recommendation.actions) <= 6, recommendation.key
        assert all(action.strip() for action in recommendation.actions), recommendation.key
        paragraphs = [p for p in recommendation.guidance.split("\n\n") if p.strip()]
        assert len(paragraphs) >= 2, recommendation.key
        assert recommendation.title.strip() and recommendation.summary.strip()


def test_registry_rule_ids_are_key_dot_function_name() -> None:
    registry = get_registry()
    for rule in registry.rules:
        assert rule.recommendation_key in KEYS
        assert rule.id == f"{rule.recommendation_key}.{rule.evaluate.__name__}"
        assert rule.version >= 1
        assert rule.description.strip()
    assert len({r.id for r in registry.rules}) == len(registry.rules)


def test_registry_contains_the_starting_rule_set() -> None:
    assert {r.id for r in get_registry().rules} >= STARTING_RULES


def test_registry_gives_every_recommendation_at_least_one_rule() -> None:
    registry = get_registry()
    assert all(registry.rules_for(r.key) for r in registry.recommendations)


def test_list_recommendations_serves_the_catalog_in_output_order(api: ApiCaller) -> None:
    response = api.get("/v1/recommendations")
    assert response.status_code == 200
    body = response.json()
    registry = get_registry()
    assert [r["key"] for r in body] == [r.key for r in registry.recommendations]
    for served, recommendation in zip(body, registry.recommendations, strict=True):
        assert served == {
            "key": recommendation.key,
            "title": recommendation.title,
            "summary": recommendation.summary,
            "guidance": recommendation.guidance,
            "actions": list(recommendation.actions),
        }


def test_read_recommendation_serves_each_key(api: ApiCaller) -> None:
    listed = {r["key"]: r for r in api.get("/v1/recommendations").json()}
    for key in KEYS:
        response = api.get(f"/v1/recommendations/{key}")
        assert response.status_code == 200, key
        assert response.json() == listed[key]


def test_read_recommendation_unknown_key_is_404_problem(api: ApiCaller) -> None:
    response = api.get("/v1/recommendations/give_up")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == 404
    assert body["code"] == "recommendation_not_found"
    assert "give_up" in body["detail"]


def test_read_recommendation_needs_a_key(client: TestClient) -> None:
    response = client.get("/v1/recommendations/seek_feedback")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM


def test_list_rules_serves_every_rule_with_version_and_description(api: ApiCaller) -> None:
    response = api.get("/v1/rules")
    assert response.status_code == 200
    served = response.json()
    assert served == [
        {
            "id": r.id,
            "recommendation_key": r.recommendation_key,
            "version": r.version,
            "description": r.description,
            "triggers": sorted(r.on),
        }
        for r in get_registry().rules
    ]
    assert {r["recommendation_key"] for r in served} == KEYS
    by_id = {r["id"]: r["triggers"] for r in served}
    assert by_id["stay_proactive.behind_on_goal"] == ["rejection", "time"]
    assert by_id["stay_proactive.dry_spell"] == ["time"]
    assert by_id["seek_feedback.after_interview"] == ["rejection"]
    assert {r["id"] for r in served} >= STARTING_RULES
    assert all(r["description"] and r["version"] >= 1 for r in served)
