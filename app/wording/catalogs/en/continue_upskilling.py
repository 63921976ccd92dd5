"""Continue upskilling."""

TEMPLATES = {
    "continue_upskilling.title": "Work on {skills}",
    "continue_upskilling.title.unnamed": "Find the skill {company} felt was missing",
    "continue_upskilling.shared": "{companies} all named {skill}.",
    "continue_upskilling.shared.two": "{companies} both named {skill}.",
    "continue_upskilling.named": "{company} named {missing_skills} for the {role} role.",
    "continue_upskilling.unnamed": (
        "{company} felt a skill was missing for the {role} role without naming it: reread the "
        "posting and pick the requirement you are least sure of."
    ),
    "continue_upskilling.their_words": "Their words: “{feedback}”",
    "continue_upskilling.unnamed.detail": (
        "{company} felt something was missing for the {role} role (noted as “{reason_detail}”): "
        "reread the posting and pick the requirement you are least sure of."
    ),
    "continue_upskilling.recurring": (
        "{skill} has come up in {rejections_word} rejections in the last {window_days} days, "
        "which makes it a priority rather than a coincidence."
    ),
    "continue_upskilling.plan": (
        "Pick one, choose a short course or project that ends in something you can show, and "
        "book the time."
    ),
    "continue_upskilling.plan.one": (
        "Choose a short course or project on it that ends in something you can show, and book "
        "the time."
    ),
    "continue_upskilling.build_on": "You can build on what you already know: {skills}.",
    "continue_upskilling.action.choose": (
        "Choose the one missing skill that appears most often in the roles you want"
    ),
    "continue_upskilling.action.course": (
        "Sign up for a single course or tutorial on {skill} and put the sessions in your calendar"
    ),
    "continue_upskilling.action.project": (
        "Build a small project that uses {skill} and publish it where employers can see it"
    ),
    "continue_upskilling.action.profile": (
        "Add {skill} to your profile once you can explain it in an interview"
    ),
    "continue_upskilling.action.the_skill": "the skill",
    "continue_upskilling.action.check": (
        "Check two current postings to confirm the skill is still in demand"
    ),
    "explain.continue_upskilling.skills_gap": {
        "one": "{company} found a skill gap for the {role} role.",
        "other": "A skill gap came up in {count_word} rejections, most recently at {company}.",
    },
    "explain.continue_upskilling.skills_gap.named": {
        "one": "{company} named {missing_skills} as missing for the {role} role.",
        "other": (
            "Missing skills were named in {count_word} rejections, most recently by {company}: "
            "{missing_skills}."
        ),
    },
    "explain.continue_upskilling.recurring_gap": (
        "{skill} was named as missing in {rejections_word} rejections in the last "
        "{window_days} days."
    ),
}
