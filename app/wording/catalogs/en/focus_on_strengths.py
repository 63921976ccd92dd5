"""Focus on your strengths."""

TEMPLATES = {
    "focus_on_strengths.title.late": "Remember what got you to the {stage} at {company}",
    "focus_on_strengths.title.run": "Take stock of what you do well",
    "focus_on_strengths.late": (
        "Reaching the {stage} for the {role} role at {company} means they judged you a strong "
        "candidate; that judgement still stands."
    ),
    "focus_on_strengths.run": (
        "{rejections_word} rejections in {window_days} days would wear anyone's confidence "
        "down, so put the proof of what you do well where you can see it."
    ),
    "focus_on_strengths.title.praise": "Keep what {company} praised",
    "focus_on_strengths.praise": (
        "{company} told you: “{praise}”. Keep those words, from someone who was judging you, "
        "and lead with that strength in your next application."
    ),
    "focus_on_strengths.strengths": {
        "one": "You have named {strengths} as a strength; open your next application with it.",
        "other": (
            "You have named {strengths} as strengths; open your next application with the one "
            "that fits the role best."
        ),
    },
    "focus_on_strengths.action.achievements": (
        "List five achievements from the last few years, each with a number or concrete result"
    ),
    "focus_on_strengths.action.ask": (
        "Ask two people who have worked with you what they see as your strongest skills"
    ),
    "focus_on_strengths.action.record": (
        "Add your strengths to your profile, so your next steps can build on them"
    ),
    "focus_on_strengths.action.lead": (
        "Open your next cover letter with the strength that best fits the role"
    ),
    "focus_on_strengths.action.reread": "Reread the list before every interview",
    "explain.focus_on_strengths.late_stage": {
        "one": "You reached the {stage} at {company}.",
        "other": (
            "You reached a final round or offer in {count_word} processes, most recently at "
            "{company}."
        ),
    },
    "explain.focus_on_strengths.praised_in_feedback": {
        "one": "{companys} feedback praised something you did.",
        "other": (
            "Employers praised something in their feedback {count_times}, most recently {company}."
        ),
    },
    "explain.focus_on_strengths.rejection_run": (
        "You have had {rejections_word} rejections in the last {window_days} days."
    ),
}
