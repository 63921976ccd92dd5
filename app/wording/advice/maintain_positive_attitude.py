"""Maintain a positive attitude: care for the seeker in a hard stretch (never "it's not you":
that is said once, by avoid_taking_it_personally)."""

from app.wording import common
from app.wording.facts import StepFacts, Words
from app.wording.say import Say
from app.wording.values import fact_values


def compose(step: StepFacts, say: Say) -> Words:
    """The low mood (with the news it followed) or the busy week, then a routine that helps."""
    found = common.first_hit(step, "maintain_positive_attitude.hard_stretch")
    assert found is not None  # the recommendation's one rule
    evidence, hit = found
    variant = hit.key.rsplit(".", 1)[-1]
    values = {**fact_values(hit.facts, say)}
    if evidence.event is not None:
        values |= common.fields(evidence.event, say)
    parts = [say(f"maintain_positive_attitude.{variant}", **values)]
    parts.append(say("maintain_positive_attitude.routine"))
    keys = ["wins", "move", "people", "limit"]
    return Words(
        title=say("maintain_positive_attitude.title"),
        body=say.sentences(parts),
        actions=common.actions(step, say, keys),
    )
