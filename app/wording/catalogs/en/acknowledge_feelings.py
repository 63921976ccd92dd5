"""Acknowledge your feelings."""

TEMPLATES = {
    "acknowledge_feelings.title": "Take a moment after the news from {company}",
    "acknowledge_feelings.title.silent": "Give yourself a break from waiting on {company}",
    "acknowledge_feelings.opening": (
        "A no from {company} about the {role} role stings, whatever stage it came at."
    ),
    "acknowledge_feelings.opening.late": (
        "Getting as far as the {stage} for the {role} role at {company} and then missing out "
        "is one of the hardest outcomes of a search."
    ),
    "acknowledge_feelings.opening.rescinded": (
        "Having the offer for the {role} role at {company} withdrawn, after you had won it, is "
        "a hard blow, and it is fine to feel shaken."
    ),
    "acknowledge_feelings.opening.closed": (
        "{company} closed the {role} role, so the process ended without any decision about you; "
        "losing a role that way is frustrating all the same."
    ),
    "acknowledge_feelings.opening.calm": (
        "The {role} role at {company} did not work out. Even taken in your stride, a no deserves "
        "a moment."
    ),
    "acknowledge_feelings.opening.silent": (
        "Hearing nothing back from {company} about the {role} role is hard in its own way: "
        "there is no answer to close the door."
    ),
    "acknowledge_feelings.others": (
        "It comes on top of the news from {others}, and several answers like this weigh more "
        "than one."
    ),
    "acknowledge_feelings.mood": "You rated your mood {mood} out of 5, which is a fair reaction.",
    "acknowledge_feelings.pause.short": ("Take a short pause anyway, then plan the next move."),
    "acknowledge_feelings.pause.silent": (
        "Give yourself a break from checking your inbox today: name what the wait feels like, do "
        "one thing that restores you, and leave the follow-up for tomorrow."
    ),
    "acknowledge_feelings.pause": (
        "Give yourself a short pause on purpose: name what you feel, do one thing that restores "
        "you today, and leave the analysis for tomorrow."
    ),
    "acknowledge_feelings.action.pause": (
        "Give yourself a set time, such as the rest of today, before you look at what went wrong"
    ),
    "acknowledge_feelings.action.write": (
        "Write two or three sentences about how the news made you feel"
    ),
    "acknowledge_feelings.action.tell": "Tell one person you trust what happened",
    "acknowledge_feelings.action.restore": (
        "Do one thing that reliably restores you: a walk, exercise, a meal with a friend"
    ),
    "acknowledge_feelings.action.inbox": (
        "Set a time today after which you stop checking for their reply"
    ),
    "acknowledge_feelings.action.ask": "Write down what you would still like to know from them",
    "acknowledge_feelings.action.tell_wait": "Tell one person you trust how the wait feels",
    "acknowledge_feelings.action.close": (
        "End the pause with one small task, like marking the application closed in your tracker"
    ),
    "explain.acknowledge_feelings.after_rejection": {
        "one": "{company} turned down your application for the {role} role.",
        "other": (
            "{count_word} rejections are behind this step, the latest from {company} for the "
            "{role} role."
        ),
    },
    "explain.acknowledge_feelings.after_rejection.closed": {
        "one": "{company} closed the {role} role.",
        "other": (
            "{count_word} applications ended behind this step, the latest when {company} closed "
            "the {role} role."
        ),
    },
    "explain.acknowledge_feelings.after_rejection.silent": {
        "one": "{company} stopped replying about the {role} role.",
        "other": (
            "{count_word} applications ended behind this step, the latest with silence from "
            "{company} about the {role} role."
        ),
    },
    "explain.acknowledge_feelings.after_rejection.rescinded": {
        "one": "{company} withdrew the offer for the {role} role.",
        "other": (
            "{count_word} applications ended behind this step, the latest when {company} withdrew "
            "the offer for the {role} role."
        ),
    },
    "explain.acknowledge_feelings.low_mood": {
        "one": "You rated your mood {mood} out of 5 after the news from {company}.",
        "other": (
            "You rated your mood low after {count_word} of these, most recently {mood} out of 5 "
            "after the news from {company}."
        ),
    },
}
