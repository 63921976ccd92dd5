"""Continue upskilling: the skills employers named, each credited to the companies that named it."""

from app.wording import common, language
from app.wording.facts import StepFacts, Words
from app.wording.say import Say
from app.wording.values import fact_values

MAX_SKILLS = 3


def compose(step: StepFacts, say: Say) -> Words:
    """Which companies named which skills (shared ones first), the recurring one, and a plan."""
    latest = step.latest
    assert latest is not None  # a rejection rule: every step of it has a rejection
    ranked = common.skills_by_company(step)
    parts: list[str] = []
    said: set[str] = set()
    for skill, names in ranked:
        if len(names) >= 2 and len(parts) < MAX_SKILLS:
            key = "shared.two" if len(names) == 2 else "shared"
            parts.append(say(f"continue_upskilling.{key}", skill=skill, companies=say.join(names)))
            said.add(language.fold(skill))
    for _, event in step.events[:MAX_SKILLS]:
        rest = [s for s in language.distinct(event.missing_skills) if language.fold(s) not in said]
        if rest:
            values = common.fields(event, say) | {"missing_skills": say.join(rest)}
            parts.append(say("continue_upskilling.named", **values))
            said |= {language.fold(s) for s in rest}
    recurring = common.first_hit(step, "continue_upskilling.recurring_gap")
    skills = [s for s, _ in ranked][:MAX_SKILLS]
    if recurring is not None:
        facts = fact_values(recurring[1].facts, say)
        parts.append(say("continue_upskilling.recurring", **facts))
        skills = skills or [facts["skill"]]
    if not skills:
        values = common.fields(latest, say)
        title = say("continue_upskilling.title.unnamed", **values)
        unnamed = "unnamed.detail" if "reason_detail" in values else "unnamed"
        parts.append(say(f"continue_upskilling.{unnamed}", **values))
    else:
        title = say("continue_upskilling.title", skills=say.join(skills))
        parts.append(say("continue_upskilling.plan" + (".one" if len(skills) == 1 else "")))
    praise = ("loved", "impress", "excellent", "great", "strong", "valued", "enjoyed")
    if (
        latest.reason == "lacks_skills"
        and latest.feedback
        and not any(word in latest.feedback.casefold() for word in praise)  # not praise as a gap
    ):
        parts.append(
            say("continue_upskilling.their_words", feedback=language.excerpt(latest.feedback))
        )
    known = language.distinct(step.seeker.skills)
    if known:
        parts.append(say("continue_upskilling.build_on", skills=say.join(known[:4])))
    focus = skills[0] if skills else say("continue_upskilling.action.the_skill")
    keys = ["course", "project", "profile"] if skills else ["choose", "check"]
    acts = tuple(say(f"continue_upskilling.action.{k}", skill=focus) for k in keys)
    return Words(title=title, body=say.sentences(parts), actions=acts)
