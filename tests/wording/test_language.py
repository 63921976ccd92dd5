"""The text layer's small pieces: each reads the way a careful editor would write it."""

import pytest

from app.wording import language as w


def test_lists_read_a_b_and_c_in_house_style_and_follow_the_locale() -> None:
    assert w.join(["SQL"]) == "SQL"
    assert w.join(["SQL", "dbt"]) == "SQL and dbt"
    assert w.join(["SQL", "dbt", "Airflow"]) == "SQL, dbt and Airflow"
    assert w.join(["SQL", "dbt", "Airflow"], "en-US") == "SQL, dbt, and Airflow"
    assert w.join(["A", "B", "C"], "es") == "A, B y C"
    assert w.join_or(["A", "B", "C"]) == "A, B or C"
    assert w.join([]) == ""


def test_an_unknown_locale_falls_back_to_english() -> None:
    assert w.join(["A", "B", "C"], "xx-Nope") == "A, B and C"


def test_the_most_common_spelling_wins_and_ties_go_to_the_first_seen() -> None:
    shown = w.spellings(["C++", "c++", "C++", "kubernetes", "Kubernetes"])
    assert shown == {"c++": "C++", "kubernetes": "kubernetes"}
    assert w.distinct(["SQL", "sql", " Sql ", "dbt"]) == ["SQL", "dbt"]


@pytest.mark.parametrize(
    ("count", "words"), [(1, "one rejection"), (2, "two rejections"), (12, "12 rejections")]
)
def test_counts_agree_with_their_noun_and_small_ones_are_words(count: int, words: str) -> None:
    assert w.count_of(count, "rejection", "rejections") == words


@pytest.mark.parametrize(("count", "words"), [(1, "once"), (2, "twice"), (3, "three times")])
def test_how_often_reads_as_words(count: int, words: str) -> None:
    assert w.times(count) == words


@pytest.mark.parametrize(
    ("name", "owned"),
    [
        ("Acme", "Acme's"),
        ("Siemens", "Siemens'"),
        ("Bending Spoons", "Bending Spoons'"),
        ("Lowe's", "Lowe's"),
    ],
)
def test_possessives(name: str, owned: str) -> None:
    assert w.possessive(name) == owned


def test_numbers_a_person_reads_are_rounded() -> None:
    assert w.amount(2.857142) == "2.9"
    assert w.amount(3.0) == "3"
    assert w.amount(1500) == "1,500"
    assert w.about(2.857142) == "about 3"
    assert w.about(3.01) == "3"


def test_stages_are_human() -> None:
    assert [w.stage(s) for s in ("final_round", "phone_screen", "offer")] == [
        "final round",
        "phone screen",
        "offer",
    ]


def test_quoted_text_is_cut_to_a_sentence_or_two_at_a_word() -> None:
    feedback = "The panel loved your roadmap.   We hired someone senior. Also\x00 other notes."
    assert w.excerpt(feedback) == "The panel loved your roadmap. We hired someone senior."
    long = "word " * 100
    cut = w.excerpt(long)
    assert cut.endswith("…") and len(cut) <= w.EXCERPT_CHARS + 1 and "  " not in cut


def test_a_seeker_whose_language_has_no_catalog_reads_english_punctuation_too() -> None:
    from app.wording.say import Say

    german = Say("de-DE")
    assert german.language == "en"
    assert german.join(["C++", "ROS", "AUTOSAR"]) == "C++, ROS and AUTOSAR"
    assert Say("en-US").join(["A", "B", "C"]) == "A, B, and C"


@pytest.mark.parametrize(
    ("phrase", "article"),
    [
        ("HR generalist", "an"),
        ("data analyst", "a"),
        ("engineer", "an"),
        ("UX researcher", "a"),
        ("MBA intern", "an"),
        ("university lecturer", "a"),
        ("SEO lead", "an"),
    ],
)
def test_the_indefinite_article_follows_how_the_word_is_said(phrase: str, article: str) -> None:
    assert w.indefinite(phrase) == article
