"""Focus on your strengths: the evidence that the seeker is strong, in their own terms."""

from app.wording import common, language
from app.wording.facts import StepFacts, Words
from app.wording.say import Say
from app.wording.values import fact_values


def compose(step: StepFacts, say: Say) -> Words:
    """The late stage reached or the run survived, the employer's praise, the seeker's strengths."""
    latest = step.latest
    assert latest is not None  # a rejection rule: every step of it has a rejection
    parts: list[str] = []
    title = ""
    praise = common.first_hit(step, "focus_on_strengths.praised_in_feedback")
    if praise is not None and praise[0].event is not None and praise[1].facts.get("praise"):
        values = common.fields(praise[0].event, say)
        values["praise"] = language.excerpt(str(praise[1].facts["praise"]), sentences=1)
        title = say("focus_on_strengths.title.praise", **values)
        parts.append(say("focus_on_strengths.praise", **values))
    late = common.first_hit(step, "focus_on_strengths.late_stage")
    if late is not None and late[0].event is not None:
        values = common.fields(late[0].event, say)
        title = title or say("focus_on_strengths.title.late", **values)
        parts.append(say("focus_on_strengths.late", **values))
    run = common.first_hit(step, "focus_on_strengths.rejection_run")
    if run is not None:
        title = title or say("focus_on_strengths.title.run")
        parts.append(say("focus_on_strengths.run", **fact_values(run[1].facts, say)))
    if praise is not None:  # the employer's words name the strength to lead with
        return Words(
            title=title,
            body=say.sentences(parts),
            actions=common.actions(step, say, ["lead", "achievements", "reread"]),
        )
    strengths = language.distinct(step.seeker.strengths)
    if strengths:
        listed = say.join(strengths[:3])
        parts.append(say("focus_on_strengths.strengths", count=len(strengths), strengths=listed))
        keys = ["lead", "achievements", "reread"]
    else:
        keys = ["achievements", "ask", "record", "lead"]
    return Words(title=title, body=say.sentences(parts), actions=common.actions(step, say, keys))
