"""Rendering a rule context's suggestions the way a one-event step is written, for tests."""

from app.coaching.service import facts_of
from app.rules.context import RuleContext
from app.rules.engine import Suggestion, evaluate
from app.rules.registry import Registry, get_registry
from app.wording.advice import composers
from app.wording.facts import (
    Evidence,
    Fallback,
    HitFacts,
    Line,
    SeekerFacts,
    StepFacts,
    Words,
)
from app.wording.render import explain, render
from app.wording.say import Say


def step_facts(
    ctx: RuleContext, suggestion: Suggestion, registry: Registry | None = None
) -> StepFacts:
    """The facts a new step for `suggestion` would rest on."""
    event = ctx.event
    facts = facts_of(event) if event is not None else None
    hits = tuple(HitFacts(h.rule_id, h.rule_version, h.key, h.facts) for h in suggestion.hits)
    at = event.occurred_at if event else None
    evidence = Evidence(
        at=at or _EXAMPLE_AT, hits=hits, rejection_id="rej_1" if event else None, event=facts
    )
    registry = registry or get_registry()
    recommendation = registry.recommendation(suggestion.recommendation_key)
    rules = registry.rules_for(suggestion.recommendation_key)
    assert recommendation is not None
    profile = ctx.profile
    return StepFacts(
        key=suggestion.recommendation_key,
        evidence=(evidence,),
        seeker=SeekerFacts(
            display_name=profile.display_name,
            strengths=profile.strengths,
            skills=profile.skills,
            target_roles=profile.target_roles,
        ),
        fallback=Fallback(
            recommendation.title,
            recommendation.summary,
            recommendation.actions,
            {r.id: r.description for r in rules},
        ),
        tally={h.rule_id: 1 for h in hits},
        total=1 if event else 0,
    )


def written(
    ctx: RuleContext, registry: Registry | None = None
) -> list[tuple[str, Words, tuple[Line, ...]]]:
    """Each suggestion's words and explanation, composed directly (a composer bug raises); a
    recommendation without a composer reads its own words, as `render` gives them."""
    registry = registry or get_registry()
    say = Say(None)
    out = []
    for suggestion in evaluate(registry, ctx):
        facts = step_facts(ctx, suggestion, registry)
        compose = composers().get(suggestion.recommendation_key)
        if compose is None:
            words = render(facts).words
        else:
            words = compose(facts, say)
            explain(facts, say)  # raises on a missing template
        out.append((suggestion.recommendation_key, words, explain_or_plain(facts, say)))
    return out


def explain_or_plain(facts: StepFacts, say: Say) -> tuple[Line, ...]:
    """The explanation, or the fallback's for a recommendation without templates."""
    return explain(facts, say) if facts.key in composers() else render(facts).explanation


from app.rules.base import EXAMPLE_TIME as _EXAMPLE_AT  # noqa: E402
