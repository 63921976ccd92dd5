"""Stay proactive."""

TEMPLATES = {
    "stay_proactive.title": "Line up your next application",
    "stay_proactive.title.follow_up": "Follow up on your application to {company}",
    "stay_proactive.title.follow_ups": "Follow up on {count} applications with no answer",
    "stay_proactive.title.behind": "Catch up on “{title}”",
    "stay_proactive.title.dry_spell": "Send an application this week",
    "stay_proactive.other_candidate": (
        "The best reply to the {role} news from {company} is the next application."
    ),
    "stay_proactive.position_closed": (
        "The {role} role at {company} is gone, so put the effort into the next one."
    ),
    "stay_proactive.offer_withdrawn": (
        "{company} withdrew the offer for the {role} role. When you feel ready, line up the next "
        "applications: the interviews you just passed are recent, real practice."
    ),
    "stay_proactive.quiet": {
        "one": "Your last application went out yesterday, so little else is in flight.",
        "other": ("Your last application went out {days} days ago, so little else is in flight."),
    },
    "stay_proactive.next.targets": (
        "Send one well-matched application in the next few days, for {roles} role, so there "
        "is always something in play."
    ),
    "stay_proactive.next.like": (
        "Send one well-matched application in the next few days, ideally for a role like the "
        "{role} one, so there is always something in play."
    ),
    "stay_proactive.behind": {
        "one": (
            "For “{title}” you have {current} of {target} {unit} this {period}: one more by "
            "{weekday} gets you there."
        ),
        "other": (
            "For “{title}” you have {current} of {target} {unit} this {period}: {more} more by "
            "{weekday} gets you there."
        ),
    },
    "stay_proactive.behind.one_off": {
        "one": (
            "For “{title}” you have {current} of {target} {unit}: one more by {weekday} keeps "
            "you there."
        ),
        "other": (
            "For “{title}” you have {current} of {target} {unit}: {more} more by {weekday} "
            "gets you there."
        ),
    },
    "stay_proactive.behind.short": {
        "one": (
            "For “{title}” you have {current} {unit} in this first, shorter {period}: one more by "
            "{weekday} keeps you on pace."
        ),
        "other": (
            "For “{title}” you have {current} {unit} in this first, shorter {period}: {more} more "
            "by {weekday} keeps you on pace."
        ),
    },
    "stay_proactive.behind.tip": (
        "Pick two well-matched postings today, so the rest of the week is easier."
    ),
    "stay_proactive.waiting": {
        "one": "No answer yet from {applications}, after {days} days.",
        "other": "No answer yet from {applications}, after {days} days or more.",
    },
    "stay_proactive.waiting.once": (
        "Send one short, friendly follow-up; if nothing comes back within a week, count it as "
        "closed and put the energy into new applications."
    ),
    "stay_proactive.application": "{company} ({role})",
    "stay_proactive.dry_spell": (
        "Your last application went out {days} days ago. A quiet stretch makes each answer "
        "weigh more; one well-matched application in the next two days restarts the flow."
    ),
    "stay_proactive.draft.follow_up": (
        "{greeting}\n\nI applied for the {role} role on {applied_on} and wanted to check whether "
        "it is still open. I remain very interested and would be glad to send anything that "
        "helps.\n\nThank you for your time,\n{name}"
    ),
    "stay_proactive.action.send": "Send at least one well-matched application in the next two days",
    "stay_proactive.action.list": (
        "Keep a list of ten employers you would like to join and check their openings weekly"
    ),
    "stay_proactive.action.alerts": "Set up saved searches or job alerts for your target roles",
    "stay_proactive.action.slot": (
        "Block a fixed weekly slot in your calendar for searching and applying"
    ),
    "stay_proactive.action.track": (
        "Track every application and its stage so you can see what is still in play"
    ),
    "stay_proactive.action.follow_up": "Send the follow-up below, then set a reminder for a week",
    "explain.stay_proactive.keep_momentum.other_candidate": (
        "{company} went with another candidate for the {role} role."
    ),
    "explain.stay_proactive.keep_momentum.position_closed": ("{company} closed the {role} role."),
    "explain.stay_proactive.keep_momentum.offer_withdrawn": (
        "{company} withdrew the offer for the {role} role."
    ),
    "explain.stay_proactive.keep_momentum.quiet": (
        "Your last application went out {days_since_last_application} days ago."
    ),
    "explain.stay_proactive.keep_momentum.no_record": "No application is on record yet.",
    "explain.stay_proactive.behind_on_goal": (
        "“{title}” is behind its pace: {current} of {target} {unit} so far."
    ),
    "explain.stay_proactive.follow_up_unanswered": (
        "An application has waited {threshold_days} days or more for an answer."
    ),
    "explain.stay_proactive.dry_spell": (
        "Your last application went out {days_since_last_application} days ago."
    ),
}
