"""What must hold of good advice, checked over everything the corpus's seekers read.


Each test lists every offending text.
"""

import re

from tests.gallery.checks import (
    CARE_KEYS,
    Text,
    count_word,
    due_within_a_day,
    kept_rejections,
    mentions,
    sentences,
    spellings,
    texts,
)
from tests.gallery.replay import Replayed

SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # final_round, lacks_skills, no_response …
PLURAL_AFTER_ONE = re.compile(r"(?<![\d.,])\b1 (?!of\b)[a-z]+s\b|\w\(s\)")
DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")
PLACEHOLDER = re.compile(r"\[[^\]\n]{1,40}\]")
DOUBLE_POSSESSIVE = re.compile(r"(?:s|'s)'s\b")  # "Siemens's", "Lowe's's"
COUNTED = re.compile(r"\b(\w+) times\b|\bsaid no (\w+)\b|\b(\w+) rejections\b")
SILENCE_AS_NO = re.compile(r"\b(?:a no|said no|turned down|rejected|rejections?|decision)\b", re.I)


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems[:15])


def test_no_sentence_credits_a_company_with_another_company_s_skill(
    replayed: list[Replayed],
) -> None:
    problems = []
    for text in texts(replayed):
        named: dict[str, set[str]] = {}
        for r in kept_rejections(text.history):
            named.setdefault(r.company, set()).update(s.casefold() for s in r.missing_skills)
        skills = set().union(*named.values()) if named else set()
        for sentence in sentences(text.text):
            companies = [c for c in named if mentions(c, sentence)]
            said = {s for s in skills if mentions(s, sentence, ignore_case=True)}
            stray = {s for s in said if companies and not any(s in named[c] for c in companies)}
            if stray:
                problems.append(
                    f"{text.history.slug}: {sorted(stray)} not from {companies}: {sentence!r}"
                )
    assert not problems, _report(problems)


def test_no_enum_value_in_text(replayed: list[Replayed]) -> None:
    problems = [str(t) for t in texts(replayed) if SNAKE_CASE.search(t.text)]
    assert not problems, _report(problems)


def test_singular_and_plural_agree(replayed: list[Replayed]) -> None:
    problems = [str(t) for t in texts(replayed) if PLURAL_AFTER_ONE.search(t.text)]
    assert not problems, _report(problems)


def test_numbers_a_person_reads_are_rounded(replayed: list[Replayed]) -> None:
    problems = [str(t) for t in texts(replayed) if DECIMAL.search(t.text)]
    assert not problems, _report(problems)


def test_no_placeholders_when_the_data_exists(replayed: list[Replayed]) -> None:
    problems = [
        str(t)
        for t in texts(replayed)
        if t.history.profile.display_name and PLACEHOLDER.search(t.text)
    ]
    assert not problems, _report(problems)


def test_possessives_are_right(replayed: list[Replayed]) -> None:
    problems = [str(t) for t in texts(replayed) if DOUBLE_POSSESSIVE.search(t.text)]
    assert not problems, _report(problems)


def test_a_withdrawal_is_never_counted_as_a_rejection(replayed: list[Replayed]) -> None:
    problems = []
    for text in texts(replayed):
        # Deleted events count here: texts read before the deletion could name them (what a
        # deletion leaves behind is another test's business).
        noes = [r for r in text.history.rejections if r.ended_by != "candidate"]
        for sentence in sentences(text.text):
            companies = {r.company.casefold() for r in noes if mentions(r.company, sentence)}
            for match in COUNTED.finditer(sentence):
                claimed = count_word(match.group(1) or match.group(2) or match.group(3))
                if match.group(3) or len(companies) != 1:  # "N rejections": the whole search
                    ceiling = len(noes)
                else:  # "said no N times", with one company named: that company's
                    ceiling = sum(r.company.casefold() in companies for r in noes)
                if claimed is not None and claimed > ceiling:
                    problems.append(f"{text.history.slug}: {claimed} > {ceiling}: {sentence!r}")
    assert not problems, _report(problems)


def test_skills_keep_the_casing_the_client_sent(replayed: list[Replayed]) -> None:
    problems = []
    for text in texts(replayed):
        for key, spelling in spellings(text.history).items():
            for found in mentions(key, text.text, ignore_case=True):
                if found != spelling:
                    problems.append(f"{text} has {found!r}, not {spelling!r}")
    assert not problems, _report(problems)


def test_at_most_three_steps_due_within_24_hours_of_an_event(replayed: list[Replayed]) -> None:
    problems = []
    for result in replayed:
        for snapshot in result.snapshots:
            due = due_within_a_day(snapshot.steps, snapshot.at)
            if len(due) > 3:
                keys = [s["recommendation_key"] for s in due]
                problems.append(f"{result.history.slug} after {snapshot.event.company}: {keys}")
    assert not problems, _report(problems)


def test_with_a_low_mood_only_care_steps_are_due_within_24_hours(
    replayed: list[Replayed],
) -> None:
    problems = []
    for result in replayed:
        for snapshot in result.snapshots:
            if snapshot.event.mood is None or snapshot.event.mood > 2:
                continue
            due = due_within_a_day(snapshot.steps, snapshot.at)
            other = [
                s["recommendation_key"] for s in due if s["recommendation_key"] not in CARE_KEYS
            ]
            if other:
                problems.append(f"{result.history.slug} after {snapshot.event.company}: {other}")
    assert not problems, _report(problems)


# Beyond the list in issue 13's point 4, from the same section of the v1.1 contract.


def test_a_deleted_rejection_leaves_no_words_behind(replayed: list[Replayed]) -> None:
    problems = []
    for text in texts(replayed, final_only=True):
        kept = {r.company for r in kept_rejections(text.history)}
        gone = {r.company for r in text.history.rejections} - kept
        problems += [f"{text} names {c}" for c in sorted(gone) if mentions(c, text.text)]
    assert not problems, _report(problems)


def test_silence_is_not_called_a_no(replayed: list[Replayed]) -> None:
    problems = []
    for text in texts(replayed):
        silent = {r.company for r in text.history.rejections if r.ended_by == "unknown"}
        silent |= {r.company for r in text.history.rejections if r.reason == "no_response"}
        for sentence in sentences(text.text):
            if any(mentions(c, sentence) for c in silent) and SILENCE_AS_NO.search(sentence):
                problems.append(f"{text.history.slug}: {sentence!r}")
    assert not problems, _report(problems)


def test_a_draft_addresses_the_contact_by_name(replayed: list[Replayed]) -> None:
    problems = []
    for text in _drafts(replayed):
        contacts = {r.company: r.contact_name for r in text.history.rejections if r.contact_name}
        for company, contact in contacts.items():
            named = any(part in text.text for part in contact.split())
            if mentions(company, text.text) and not named:
                problems.append(f"{text} does not address {contact}")
    assert not problems, _report(problems)


def _drafts(replayed: list[Replayed]) -> list[Text]:
    drafts = {
        (r.history.slug, s["recommendation_key"], s["draft_message"]): Text(
            r.history, s["recommendation_key"], s["draft_message"]
        )
        for r in replayed
        for steps in [r.steps, *(snap.steps for snap in r.snapshots)]
        for s in steps
        if s["draft_message"]
    }
    return list(drafts.values())
