"""Set new goals."""

TEMPLATES = {
    "set_new_goals.title.first": "Set a weekly goal you control",
    "set_new_goals.title.many": "Step back and re-aim your search",
    "set_new_goals.title.missed": "Set “{title}” again",
    "set_new_goals.first": (
        "A weekly goal, such as five well-matched applications, is a number you control: it "
        "gives you something to finish each week, whatever the answers."
    ),
    "set_new_goals.many": (
        "{companys} answer makes {rejections_word} rejections in the last {window_days} days: "
        "a good moment to check your aim while you keep applying."
    ),
    "set_new_goals.many.targets": (
        "You are aiming at {roles} roles: put your next applications into roles that fit that "
        "aim, and let the others go."
    ),
    "set_new_goals.many.no_targets": (
        "Write down the two or three kinds of role you really want, and add them to your "
        "profile, so your next steps can point at them."
    ),
    "set_new_goals.missed": (
        "The due date passed with {current} of {target} {unit} done. That is not a failure: "
        "set the rest again with a date you can keep."
    ),
    "set_new_goals.suggest": "Accept the suggested goal below to start tracking it.",
    "set_new_goals.action.aim": (
        "Write down the two or three kinds of role you are really aiming for, and why"
    ),
    "set_new_goals.action.compare": (
        "Compare your recent rejections with those targets and drop the ones that do not fit"
    ),
    "set_new_goals.action.weekly": "Set a weekly goal for well-matched applications",
    "set_new_goals.action.second": "Add one networking or learning goal alongside it",
    "set_new_goals.action.review": "Review your progress every week and adjust the targets",
    "set_new_goals.action.date": "Pick a new due date you are confident you can keep",
    "explain.set_new_goals.many_rejections": (
        "You have had {rejections_word} rejections in the last {window_days} days."
    ),
    "explain.set_new_goals.no_active_goal": "You have no active goal.",
    "explain.set_new_goals.missed_goal": "A goal's due date passed before it was reached.",
}
