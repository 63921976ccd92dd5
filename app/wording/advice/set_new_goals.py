"""Set new goals: a first weekly goal, a re-aim after many rejections, a missed goal set again."""

from app.wording import common, language
from app.wording.facts import StepFacts, Words
from app.wording.say import Say
from app.wording.values import fact_values


def compose(step: StepFacts, say: Say) -> Words:
    """Word the newest reason; re-aiming only after many rejections, never after the first."""
    hits = {h.rule_id.rsplit(".", 1)[-1]: h for h in step.evidence[0].hits}
    suggest = [say("set_new_goals.suggest")]
    if "missed_goal" in hits:
        goal = hits["missed_goal"].facts["goals"][0]
        values = {
            "title": language.clean(goal["title"]),
            "current": say.amount(goal["current"]),
            "target": say.amount(goal["target"]),
            "unit": language.clean(goal["unit"]),
        }
        return Words(
            say("set_new_goals.title.missed", **values),
            say.sentences([say("set_new_goals.missed", **values), *suggest]),
            common.actions(step, say, ["date", "review"]),
        )
    if "many_rejections" in hits:
        event = step.evidence[0].event
        values = {**(common.fields(event, say) if event else {})}
        values |= fact_values(hits["many_rejections"].facts, say)
        parts = [say("set_new_goals.many", **values)]
        roles = common.target_roles(step, say)
        if roles:
            parts.append(say("set_new_goals.many.targets", roles=roles))
        else:
            parts.append(say("set_new_goals.many.no_targets"))
        return Words(
            say("set_new_goals.title.many"),
            say.sentences([*parts, *suggest]),
            common.actions(step, say, ["aim", "compare", "weekly", "review"]),
        )
    first = say("set_new_goals.first")
    return Words(
        say("set_new_goals.title.first"),
        say.sentences([first, *suggest]),
        common.actions(step, say, ["weekly", "second", "review"]),
    )
