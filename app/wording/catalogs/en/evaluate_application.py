"""Evaluate your application."""

TEMPLATES = {
    "evaluate_application.title.screening": "Look again at your CV for the roles you want",
    "evaluate_application.title.screens": "Sharpen how you open a first call",
    "evaluate_application.title.interview": "Prepare differently for your next interviews",
    "evaluate_application.title.level": "Check the level of the roles you apply for",
    "evaluate_application.title.overqualified": "Explain why this level is the one you want",
    "evaluate_application.title.outside": "Aim your next applications at {targets} roles",
    "evaluate_application.outside": (
        "The {role} role at {company} is not one of the roles you are aiming at. If it was a "
        "deliberate stretch, that is fine; if not, put your next applications into {targets} "
        "roles, where your profile makes the strongest case."
    ),
    "evaluate_application.action.targets": (
        "Before you apply, check that the role is one of your targets, or say to yourself why not"
    ),
    "evaluate_application.screening": (
        "{rejections_word} of your applications ended at the application review or phone "
        "screen in the last {window_days} days{latest_early}. When the search keeps stopping "
        "this early, what you send, and how the match reads in the first seconds, is where to "
        "look."
    ),
    "evaluate_application.screens": (
        "{rejections_word} of your applications ended at the application review or phone "
        "screen in the last {window_days} days, {screens_share} at the phone screen"
        "{latest_early}. Look at how you open those calls: the first two minutes carry them."
    ),
    "evaluate_application.screens.all": "all of them",
    "evaluate_application.screens.most": "most of them",
    "evaluate_application.latest_early": ", most recently at {company}",
    "evaluate_application.interview": (
        "{rejections_word} rejections came after an interview or final round in the last "
        "{window_days} days, most recently at {company}. Those are the conversations to prepare "
        "for differently."
    ),
    "evaluate_application.level": (
        "{company} said the {role} role needed a different level of experience{detail}. Check "
        "that the seniority of the roles you apply for matches your years and scope."
    ),
    "evaluate_application.overqualified": (
        "{company} thought you were overqualified for the {role} role{detail}. If this level is "
        "what you want, say why in your cover letter and early in the first call, so the "
        "question is answered before it is asked."
    ),
    "evaluate_application.detail": " (noted as “{reason_detail}”)",
    "evaluate_application.action.posting": (
        "Lay the posting beside your CV and mark every requirement you did not clearly address"
    ),
    "evaluate_application.action.rewrite": (
        "Rewrite your CV summary and most recent role for the jobs you are targeting"
    ),
    "evaluate_application.action.pitch": (
        "Write a two-minute answer to 'tell me about yourself' that ends on why this role"
    ),
    "evaluate_application.action.questions": (
        "List the interview questions you remember and draft a stronger answer to each"
    ),
    "evaluate_application.action.stories": (
        "Prepare three short stories about your work, each ending with a measurable result"
    ),
    "evaluate_application.action.mock": (
        "Do one mock interview with a friend, mentor or careers service"
    ),
    "evaluate_application.action.seniority": (
        "Check that the seniority of the roles you apply to matches your years and scope"
    ),
    "evaluate_application.action.growth": (
        "Ask early how the role could grow, and say what you would bring to it beyond the brief"
    ),
    "evaluate_application.action.motivation": (
        "Write two sentences on why you want a role at this level, for letters and calls"
    ),
    "explain.evaluate_application.screening_pattern": (
        "{rejections_word} applications ended at the application review or phone screen in the "
        "last {window_days} days."
    ),
    "explain.evaluate_application.screening_pattern.screens": (
        "{rejections_word} applications ended at the application review or phone screen in the "
        "last {window_days} days, {phone_screen_rejections_word} of them at the phone screen."
    ),
    "explain.evaluate_application.interview_pattern": (
        "{rejections_word} rejections came after an interview or final round in the last "
        "{window_days} days."
    ),
    "explain.evaluate_application.outside_target": {
        "one": "The {role} role at {company} is not among your target roles.",
        "other": (
            "{count_word} rejections were for roles outside your targets, most recently {role} "
            "at {company}."
        ),
    },
    "explain.evaluate_application.level_mismatch": (
        "{company} said the {role} role needed a different level of experience."
    ),
    "explain.evaluate_application.level_mismatch.overqualified": (
        "{company} thought you were overqualified for the {role} role."
    ),
}
