"""Leverage your network."""

TEMPLATES = {
    "leverage_network.title.late": "Stay in touch with the people you met at {company}",
    "leverage_network.title.cold": "Ask for introductions before you apply",
    "leverage_network.late": (
        "You met the {company} team up to the {stage}, so they already rate you. A short, "
        "friendly note now can put you first in line when the next role there opens."
    ),
    "leverage_network.late.person": (
        "You met the {company} team up to the {stage}, so they already rate you. A short thank-"
        "you to {contact_name} and a connection request can put you first in line when the next "
        "role there opens."
    ),
    "leverage_network.cold": (
        "{cold_screening_rejections_word} applications sent without a referral ended at the "
        "application review in the last {window_days} days. An introduction from a real person "
        "gets an application read more carefully."
    ),
    "leverage_network.action.people": (
        "Write down ten people who work in or near the roles you want"
    ),
    "leverage_network.action.calls": "Ask two of them for a short call about their work this week",
    "leverage_network.action.referral": (
        "Ask for a referral before you apply to a company where you know someone"
    ),
    "leverage_network.action.connect": (
        "Connect with the interviewers and recruiters you met at {company}, with a short "
        "personal note"
    ),
    "leverage_network.action.connect_person": (
        "Send {contact_name} a short thank-you and a connection request"
    ),
    "leverage_network.action.tell": (
        "Tell friends and former colleagues exactly which roles you are looking for"
    ),
    "explain.leverage_network.cold_applications": (
        "{cold_screening_rejections_word} applications without a referral ended at the "
        "application review in the last {window_days} days."
    ),
    "explain.leverage_network.late_stage": {
        "one": "You met {companys} team up to the {stage}.",
        "other": "You reached late stages {count_times}, most recently the {stage} at {company}.",
    },
}
