"""Seek constructive feedback: one step, and one draft, per company."""

TEMPLATES = {
    "seek_feedback.title": "Ask {company} for feedback on the {role} process",
    "seek_feedback.title.vague": "Ask {company} what led to the decision",
    "seek_feedback.title.closed": "Keep in touch with {company}",
    "seek_feedback.title.rescinded": "Ask {company} what changed about the offer",
    "seek_feedback.title.silent": "Follow up with {company} about the {role} role",
    "seek_feedback.body": (
        "You reached the {stage} at {company}, so they know your work well. A short, gracious "
        "note asking what would have made the difference often gets a useful answer and keeps "
        "the door open. Wait a day, then send it; the draft below is ready to edit."
    ),
    "seek_feedback.body.vague": (
        "No reason came with {companys} answer, although you got past the application review. "
        "A short, polite question may get you one; the draft below is ready to edit."
    ),
    "seek_feedback.body.closed": (
        "{company} closed the {role} role, so there is no verdict on you to ask about. A short "
        "note keeps you in mind if it reopens or a similar role comes up."
    ),
    "seek_feedback.body.rescinded": (
        "A withdrawn offer is rare and hard to take, and it is almost always about the "
        "employer's situation. Asking what changed is fair, and the answer tells you whether "
        "to stay in touch."
    ),
    "seek_feedback.body.silent": (
        "{company} has not replied since the {stage} for the {role} role. Silence is not an "
        "answer: one friendly follow-up is fair, and if nothing comes back within a week, count "
        "it as closed and put your energy elsewhere."
    ),
    "seek_feedback.draft": (
        "{greeting}\n\nThank you for considering me for the {role} role and for the time you "
        "spent with me. I was sorry to hear it did not work out this time. If you are able to "
        "share it, one or two pointers on what would have made my application stronger would "
        "help me a great deal.\n\n{signature}"
    ),
    "seek_feedback.draft.vague": (
        "{greeting}\n\nThank you for taking the time to consider me for the {role} role. If you "
        "can share it, I would be grateful to know what led to the decision, so that I can "
        "prepare better for similar roles.\n\n{signature}"
    ),
    "seek_feedback.draft.closed": (
        "{greeting}\n\nThank you for letting me know that the {role} role has been closed. I "
        "enjoyed learning about the team, and I would be glad to hear from you if it reopens or "
        "a similar role comes up.\n\n{signature}"
    ),
    "seek_feedback.draft.rescinded": (
        "{greeting}\n\nI was very sorry to hear that the offer for the {role} role has been "
        "withdrawn. Could you confirm in writing what changed, and let me know whether anything "
        "under the offer's terms still applies? I would be glad to stay in touch should the "
        "situation change.\n\n{signature}"
    ),
    "seek_feedback.draft.silent": (
        "{greeting}\n\nI am writing to follow up on the {role} role; I last heard from the team "
        "after the {stage}. Could you let me know whether the role is still open? I remain very "
        "interested, and an update on your timeline would help me plan.\n\n{signature}"
    ),
    "seek_feedback.action.wait": "Wait a day, then send the note below, edited in your own words",
    "seek_feedback.action.address": "Address the person you spoke with, by name where you can",
    "seek_feedback.action.address_known": "Send it to {contact_name} directly",
    "seek_feedback.action.record": (
        "Write down what they say, word for word, next to the role it came from"
    ),
    "seek_feedback.action.compare": (
        "Look for the same remark across several employers before acting on it"
    ),
    "seek_feedback.action.once": (
        "Follow up once; if there is no answer within a week, mark the application closed"
    ),
    "seek_feedback.action.keep_offer": "Keep the written offer and every email about it",
    "seek_feedback.action.notice": (
        "If you have resigned, ask your employer at once whether your notice can be withdrawn"
    ),
    "seek_feedback.action.owed": (
        "Check the offer's terms for anything owed to you, and get advice if you are unsure"
    ),
    "seek_feedback.action.connect": (
        "Connect with the people you met at {company}, with a short personal note"
    ),
    "explain.seek_feedback.after_interview": {
        "one": "You reached the {stage} at {company} and no feedback came with the decision.",
        "other": (
            "{company} decided without feedback {count_times}, most recently after the {stage}."
        ),
    },
    "explain.seek_feedback.after_interview.closed": "{company} closed the role after the {stage}.",
    "explain.seek_feedback.after_interview.rescinded": (
        "{company} withdrew the offer for the {role} role."
    ),
    "explain.seek_feedback.vague_reason": (
        "{company} gave no reason, although you got past the application review."
    ),
    "explain.seek_feedback.after_silence": (
        "{company} stopped replying after the {stage} for the {role} role."
    ),
}
