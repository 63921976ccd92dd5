"""Leverage your network: warm up cold applications, keep in touch after a late stage."""

from app.wording import common
from app.wording.facts import StepFacts, Words
from app.wording.say import Say
from app.wording.values import fact_values


def compose(step: StepFacts, say: Say) -> Words:
    """Keep in touch with the newest late-stage company (by name of the contact), or warm up."""
    parts: list[str] = []
    title = ""
    keys: list[str] = []
    acts: list[str] = []
    late = common.first_hit(step, "leverage_network.late_stage")
    if late is not None and late[0].event is not None:
        event = late[0].event
        values = common.fields(event, say)
        title = say("leverage_network.title.late", **values)
        person = ".person" if event.contact_name else ""
        parts.append(say(f"leverage_network.late{person}", **values))
        key = "connect_person" if event.contact_name else "connect"
        acts.append(say(f"leverage_network.action.{key}", **values))
    cold = common.first_hit(step, "leverage_network.cold_applications")
    if cold is not None:
        title = title or say("leverage_network.title.cold")
        parts.append(say("leverage_network.cold", **fact_values(cold[1].facts, say)))
        keys = ["people", "calls", "referral"]
    else:
        keys = ["tell"]
    acts += [say(f"leverage_network.action.{k}") for k in keys]
    return Words(title=title, body=say.sentences(parts), actions=tuple(acts))
