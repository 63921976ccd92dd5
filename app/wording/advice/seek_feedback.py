"""Seek constructive feedback: the message that fits what the company did, addressed to them."""

from app.wording import common, language
from app.wording.facts import StepFacts, Words
from app.wording.say import Say

SITUATIONS = ("closed", "rescinded", "silent")


def _situation(step: StepFacts) -> str:
    """What the latest event calls for: a feedback request (""), a question about a vague
    answer, a keep-in-touch note, a question about a withdrawn offer, or a follow-up."""
    evidence = step.evidence[0]
    for hit in evidence.hits:
        variant = hit.key.rsplit(".", 1)[-1]
        if variant in SITUATIONS:
            return variant
        if hit.rule_id == "seek_feedback.after_silence":
            return "silent"
    if any(h.rule_id == "seek_feedback.after_interview" for h in evidence.hits):
        return ""
    return "vague"


def compose(step: StepFacts, say: Say) -> Words:
    """A title, a body and a draft for the one company this step is about."""
    latest = step.latest
    assert latest is not None  # a rejection rule: every step of it has a rejection
    values = common.fields(latest, say)
    case = _situation(step)
    suffix = f".{case}" if case else ""
    draft = say(
        f"seek_feedback.draft{suffix}",
        greeting=common.greeting(latest, say),
        signature=common.signature(step, say),
        **values,
    )
    if case == "silent":
        keys = ["once", "record"]
    elif case == "closed":
        keys = ["connect"]
    elif case == "rescinded":
        keys = [
            "keep_offer",
            "notice",
            "owed",
            "address_known" if latest.contact_name else "address",
        ]
    else:
        keys = ["wait", "address_known" if latest.contact_name else "address", "record", "compare"]
    acts = tuple(
        say(f"seek_feedback.action.{k}", **values, company_name=language.clean(latest.company))
        for k in keys
    )
    return Words(
        title=say(f"seek_feedback.title{suffix}", **values),
        body=say(f"seek_feedback.body{suffix}", **values),
        actions=acts,
        draft_message=draft,
    )
