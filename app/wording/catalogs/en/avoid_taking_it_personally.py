"""Avoid taking it personally."""

TEMPLATES = {
    "avoid_taking_it_personally.title": "Keep {companys} decision in proportion",
    "avoid_taking_it_personally.title.news": "Keep the news from {company} in proportion",
    "avoid_taking_it_personally.reason.other_candidate": {
        "one": "{company} went with another candidate",
        "other": "{company} each went with another candidate",
    },
    "avoid_taking_it_personally.reason.position_closed": {
        "one": "{company} closed the role",
        "other": "{company} each closed the role",
    },
    "avoid_taking_it_personally.reason.offer": {
        "one": "{company} withdrew the offer",
        "other": "{company} each withdrew an offer",
    },
    "avoid_taking_it_personally.reason.process": {
        "one": "{company} said it came down to their process",
        "other": "{company} each said it came down to their process",
    },
    "avoid_taking_it_personally.reason.compensation": {
        "one": "{company} said it came down to pay",
        "other": "{company} each said it came down to pay",
    },
    "avoid_taking_it_personally.reason.logistics": {
        "one": "{company} said it came down to logistics such as location or timing",
        "other": "{company} each said it came down to logistics such as location or timing",
    },
    "avoid_taking_it_personally.in_their_words": "{said} (noted as “{reason_detail}”)",
    "avoid_taking_it_personally.when": "{said} in {month}",
    "avoid_taking_it_personally.external": {
        "one": "{reasons}: that is about their circumstances, not a verdict on you.",
        "other": "{reasons}: those are about their circumstances, not a verdict on you.",
    },
    "avoid_taking_it_personally.repeat": (
        "{company} has now said no {same_company_rejections_times} in the past year; different "
        "teams and openings there decide separately."
    ),
    "avoid_taking_it_personally.generic": (
        "The {role} decision reflects what {company} needed at that moment, much of which is "
        "invisible from outside."
    ),
    "avoid_taking_it_personally.action.sort": (
        "Reread the stated reason and sort it: about the employer, about the fit, or unknown"
    ),
    "avoid_taking_it_personally.action.neutral": (
        "Describe what happened in neutral words in your notes, without verdicts on yourself"
    ),
    "avoid_taking_it_personally.action.evidence": (
        "Keep a record of evidence of your ability (results, praise, finished work) and reread it"
    ),
    "avoid_taking_it_personally.action.teams": (
        "Before reapplying to {company}, note which teams and levels you already tried"
    ),
    "explain.avoid_taking_it_personally.external_reason": {
        "one": "The reason {company} gave lies with them, not with you.",
        "other": (
            "{count_word} employers gave reasons that lie with them, most recently {company}."
        ),
    },
    "explain.avoid_taking_it_personally.repeat_company": {
        "one": "{company} has turned you down {same_company_rejections_times} in the past year.",
        "other": "{company} has turned you down {same_company_rejections_times} in the past year.",
    },
}
