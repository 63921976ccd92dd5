"""Stay proactive: the next application, a follow-up, a goal to catch up on, a quiet spell ended."""

import math
from datetime import date
from typing import Any

from babel.dates import format_date

from app.wording import common, language
from app.wording.facts import Evidence, StepFacts, Words
from app.wording.say import Say

MAX_LISTED = 5


def _behind(goal: dict[str, Any], say: Say) -> str:
    """How far a goal is behind, as what is left to do by the period's last day."""
    more = max(1, math.ceil(goal["target"] - goal["current"] - 1e-9))
    end = date.fromisoformat(goal["period_end"])
    pattern = "EEEE" if goal["period"] == "week" else "d MMMM"
    period = (
        "stay_proactive.behind.one_off" if goal["period"] == "none" else "stay_proactive.behind"
    )
    return say(
        period,
        count=more,
        title=language.clean(goal["title"]),
        current=say.amount(goal["current"]),
        target=say.amount(goal["target"]),
        unit=language.clean(goal["unit"]),
        period=goal["period"],
        more=str(more),
        weekday=format_date(end, pattern, locale=language.cldr(say.locale)),
    )


def _follow_up(step: StepFacts, say: Say, facts: dict[str, Any]) -> Words:
    waiting = facts["applications"]
    first = waiting[0]
    company = language.clean(first["company"])
    shown = [
        say(
            "stay_proactive.application",
            company=language.clean(a["company"]),
            role=language.clean(a["role"]),
        )
        for a in waiting[:MAX_LISTED]
    ]
    listed = common.named(say, shown) if len(waiting) <= MAX_LISTED else say.join(shown)
    days = min(a["days_waiting"] for a in waiting)
    parts = [
        say("stay_proactive.waiting", count=len(waiting), applications=listed, days=str(days)),
        say("stay_proactive.waiting.once"),
    ]
    applied_on = format_date(
        date.fromisoformat(first["applied_on"]), "d MMMM y", locale=language.cldr(say.locale)
    )
    name = language.clean(step.seeker.display_name or "") or say("common.your_name")
    draft = say(
        "stay_proactive.draft.follow_up",
        greeting=say("common.dear_team", company=company),
        role=language.clean(first["role"]),
        applied_on=applied_on,
        name=name,
    )
    title = (
        say("stay_proactive.title.follow_up", company=company)
        if len(waiting) == 1
        else say("stay_proactive.title.follow_ups", count=len(waiting))
    )
    return Words(
        title, say.sentences(parts), common.actions(step, say, ["follow_up", "track"]), draft
    )


def _hits(evidence: Evidence) -> dict[str, Any]:
    return {h.rule_id.rsplit(".", 1)[-1]: h for h in evidence.hits}


def compose(step: StepFacts, say: Say) -> Words:
    """Word the newest reason: a follow-up, a goal behind, a dry spell, or a rejection."""
    evidence = step.evidence[0]
    hits = _hits(evidence)
    if "follow_up_unanswered" in hits:
        return _follow_up(step, say, dict(hits["follow_up_unanswered"].facts))
    behind = hits.get("behind_on_goal")
    goals = list(behind.facts["goals"]) if behind else []
    if evidence.event is None and goals:
        goal = goals[0]
        catch_up = [_behind(goal, say), say("stay_proactive.behind.tip")]
        title = say("stay_proactive.title.behind", title=language.clean(goal["title"]))
        return Words(title, say.sentences(catch_up), common.actions(step, say, ["send", "slot"]))
    if evidence.event is None:
        days = (
            str(hits["dry_spell"].facts.get("days_since_last_application"))
            if "dry_spell" in hits
            else "14"
        )
        return Words(
            say("stay_proactive.title.dry_spell"),
            say("stay_proactive.dry_spell", days=days),
            common.actions(step, say, ["send", "alerts", "slot"]),
        )
    event = evidence.event
    values = common.fields(event, say)
    parts: list[str] = []
    momentum = hits.get("keep_momentum")
    if momentum is not None:
        variant = momentum.key.rsplit(".", 1)[-1]
        if variant in ("other_candidate", "position_closed", "offer_withdrawn"):
            parts.append(say(f"stay_proactive.{variant}", **values))
        days = momentum.facts.get("days_since_last_application")
        if variant == "quiet" and isinstance(days, int):
            parts.append(say("stay_proactive.quiet", count=days, days=str(days)))
    if goals:
        parts.append(_behind(goals[0], say))
    roles = common.a_target_role(step, say)
    if roles:
        parts.append(say("stay_proactive.next.targets", roles=roles))
    else:
        parts.append(say("stay_proactive.next.like", **values))
    return Words(
        say("stay_proactive.title"),
        say.sentences(parts),
        common.actions(step, say, ["send", "list", "alerts", "track"]),
    )
