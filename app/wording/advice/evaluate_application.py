"""Evaluate your application: where things keep stopping, or the level that did not fit."""

from app.wording import common, language
from app.wording.facts import StepFacts, Words
from app.wording.say import Say
from app.wording.values import fact_values

EARLY = ("application_review", "phone_screen")


def compose(step: StepFacts, say: Say) -> Words:
    """Speak to the newest pattern or level remark, with actions for that stage only."""
    latest = step.latest
    assert latest is not None  # a rejection rule: every step of it has a rejection
    evidence = step.evidence[0]
    parts: list[str] = []
    keys: list[str] = []
    title = ""
    for hit in evidence.hits:
        event = evidence.event or latest
        values = {**common.fields(event, say), **fact_values(hit.facts, say)}
        if hit.rule_id.endswith("screening_pattern"):
            screens = hit.key.endswith(".screens")
            title = title or ("screens" if screens else "screening")
            early = next((e for _, e in step.events if e.stage in EARLY), None)
            values["latest_early"] = (
                say("evaluate_application.latest_early", company=language.clean(early.company))
                if early
                else ""
            )
            every = hit.facts.get("phone_screen_rejections") == hit.facts.get("rejections")
            values["screens_share"] = say(
                f"evaluate_application.screens.{'all' if every else 'most'}"
            )
            parts.append(
                say(f"evaluate_application.{'screens' if screens else 'screening'}", **values)
            )
            keys += ["pitch", "posting"] if screens else ["posting", "rewrite"]
        elif hit.rule_id.endswith("interview_pattern"):
            title = title or "interview"
            parts.append(say("evaluate_application.interview", **values))
            keys += ["questions", "stories", "mock"]
        elif hit.rule_id.endswith("outside_target"):
            roles = common.target_roles(step, say) or ""
            title = title or "outside"
            parts.append(say("evaluate_application.outside", targets=roles, **values))
            keys += ["targets"]
        elif hit.rule_id.endswith("level_mismatch"):
            over = hit.key.endswith(".overqualified")
            kind = "overqualified" if over else "level"
            title = title or kind
            quoted = (
                event.reason_detail and len(event.reason_detail.split()) > 2
            )  # more than a label
            detail = say("evaluate_application.detail", **values) if quoted else ""
            parts.append(say(f"evaluate_application.{kind}", detail=detail, **values))
            keys += ["motivation", "growth"] if over else ["seniority", "posting"]
    roles = common.target_roles(step, say) or ""
    return Words(
        title=say(f"evaluate_application.title.{title or 'screening'}", targets=roles),
        body=say.sentences(parts),
        actions=common.actions(step, say, keys),
    )
