"""Maintain a positive attitude."""

TEMPLATES = {
    "maintain_positive_attitude.title": "Look after your outlook this week",
    "maintain_positive_attitude.low_mood": (
        "On a low day like this one, aim for one small, finished thing rather than a big push."
    ),
    "maintain_positive_attitude.busy_week": (
        "{rejections_word} rejections in {window_days} days is a lot to absorb, whoever you are. "
        "Keep the days that follow simple and kind."
    ),
    "maintain_positive_attitude.routine": (
        "A steady routine, time outdoors and people who lift you up do more for the search than "
        "an extra hour of applications."
    ),
    "maintain_positive_attitude.action.wins": (
        "Write down one thing that went well today, however small"
    ),
    "maintain_positive_attitude.action.move": "Get outside or move for twenty minutes",
    "maintain_positive_attitude.action.people": (
        "Spend time with someone who makes you feel like yourself"
    ),
    "maintain_positive_attitude.action.limit": (
        "Set an end time for job searching each day, and keep to it"
    ),
    "explain.maintain_positive_attitude.hard_stretch.low_mood": (
        "You rated your mood {mood} out of 5 after the news from {company}."
    ),
    "explain.maintain_positive_attitude.hard_stretch.busy_week": (
        "You have had {rejections_word} rejections in the last {window_days} days."
    ),
}
