"""Templates shared by every step."""

TEMPLATES = {
    "plain.body": "After {company}: {summary}",
    "common.others": {"one": "one other", "other": "{count_word} others"},
    "common.sign_off": "Kind regards,\n{name}",
    "common.your_name": "[your name]",
    "common.dear_person": "Dear {contact_name},",
    "common.dear_team": "Dear {company} hiring team,",
}
