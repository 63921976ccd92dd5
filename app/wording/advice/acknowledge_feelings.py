"""Acknowledge your feelings: meet the news (or the silence) and the mood where they are."""

from app.rules.catalog.acknowledge_feelings import situation
from app.rules.context import LOW_MOOD
from app.wording import common
from app.wording.facts import StepFacts, Words
from app.wording.say import Say

LATE_STAGES = ("final_round", "offer")
CALM_MOOD = 4  # a seeker who rates their mood 4 or 5 gets a shorter pause


def compose(step: StepFacts, say: Say) -> Words:
    """Name the latest news and the company, the others still open, and a low mood."""
    events = [e for _, e in step.events]
    latest = events[0]
    values = common.fields(latest, say)
    case = situation(latest)
    calm = latest.mood is not None and latest.mood >= CALM_MOOD and not case
    if case == "silent":
        title, opening = "title.silent", "opening.silent"
    elif case in ("rescinded", "closed"):
        title, opening = "title", f"opening.{case}"
    elif calm:
        title, opening = "title", "opening.calm"
    else:
        title = "title"
        opening = "opening.late" if latest.stage in LATE_STAGES else "opening"
    parts = [say(f"acknowledge_feelings.{opening}", **values)]
    others = [c for c in common.companies(events[1:]) if c != values["company"]]
    if others:
        parts.append(say("acknowledge_feelings.others", others=common.named(say, others)))
    if latest.mood is not None and latest.mood <= LOW_MOOD:
        parts.append(say("acknowledge_feelings.mood", mood=str(latest.mood)))
    pause = "pause.silent" if case == "silent" else ("pause.short" if calm else "pause")
    parts.append(say(f"acknowledge_feelings.{pause}"))
    if case == "silent":
        keys = ["inbox", "ask", "tell_wait", "restore"]
    else:
        keys = ["pause", "write", "tell", "restore", "close"]
    return Words(
        title=say(f"acknowledge_feelings.{title}", **values),
        body=say.sentences(parts),
        actions=common.actions(step, say, keys),
    )
