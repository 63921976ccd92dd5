"""Avoid taking it personally: the reasons that lie with the employer, and repeat companies."""

from app.wording import common, language
from app.wording.facts import StepFacts, Words
from app.wording.say import Say

OLD_DAYS = 14  # an answer older than this, beside a newer one, is said with its month


def compose(step: StepFacts, say: Say) -> Words:
    """Say each employer-side reason once, with its company, then any company that said no again."""
    latest = step.latest
    assert latest is not None  # a rejection rule: every step of it has a rejection
    values = common.fields(latest, say)
    by_reason: dict[str, list[tuple[str, str | None]]] = {}
    seen: set[str] = set()
    for evidence, _hit in step.hits("avoid_taking_it_personally.external_reason"):
        event = evidence.event
        if event is None or language.fold(event.company) in seen:
            continue
        seen.add(language.fold(event.company))
        reason = "offer" if event.stage == "offer" else event.reason
        by_reason.setdefault(reason, []).append(
            (language.clean(event.company), event.reason_detail)
        )
    reasons: list[str] = []
    for slot, found in list(by_reason.items())[: common.MAX_NAMED]:
        reason, _, month = slot.partition("@")
        names = [name for name, _ in found]
        count = len(names)
        said = say(
            f"avoid_taking_it_personally.reason.{reason}",
            count=count,
            company=common.named(say, names),
            role=values["role"],
        )
        detail = found[0][1] if count == 1 else None
        if detail:
            quoted = language.excerpt(detail, sentences=1, limit=120)
            said = say("avoid_taking_it_personally.in_their_words", said=said, reason_detail=quoted)
        if month:  # an earlier answer, dated so that it is not read as the latest one's reason
            said = say("avoid_taking_it_personally.when", said=said, month=month)
        reasons.append(said)
    parts = []
    if reasons:
        parts.append(
            say(
                "avoid_taking_it_personally.external", count=len(reasons), reasons=say.join(reasons)
            )
        )
    repeat = common.first_hit(step, "avoid_taking_it_personally.repeat_company")
    repeated = repeat[0].event if repeat is not None else None
    if repeat is not None and repeated is not None:
        count = int(repeat[1].facts.get("same_company_rejections", 2))
        parts.append(
            say(
                "avoid_taking_it_personally.repeat",
                company=language.clean(repeated.company),
                same_company_rejections_times=language.times(count),
            )
        )
    if not parts:
        parts.append(say("avoid_taking_it_personally.generic", **values))
    keys = ["sort", "neutral", "evidence"] + (["teams"] if repeat else [])
    teams_company = repeat[0].event.company if repeat and repeat[0].event else latest.company
    acts = tuple(
        say(f"avoid_taking_it_personally.action.{k}", company=language.clean(teams_company))
        for k in keys
    )
    # A closed role or a withdrawn offer was no decision about the seeker: "the news", not theirs.
    undecided = latest.reason == "position_closed" or latest.stage == "offer"
    title = "avoid_taking_it_personally.title" + (".news" if undecided else "")
    return Words(
        title=say(title, **values),
        body=say.sentences(parts),
        actions=acts,
    )
