"""The committed advice gallery is what the corpus produces today, on either database."""

from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType

from sqlmodel import Session

from app.core.clock import pinned
from app.sweep import service as sweep_service
from tests.factories import ApiCaller
from tests.gallery.corpus import CORPUS
from tests.gallery.model import MOMENT, History
from tests.gallery.render import document, due_phrase
from tests.gallery.replay import Replayed, replay_all

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "advice-gallery.md"
STALE = "docs/advice-gallery.md is stale: run `make gallery` and read the diff as a coach would"


def _committed() -> str:
    return DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""


def test_committed_gallery_is_current(generator: ModuleType, replayed: list[Replayed]) -> None:
    diff = generator.stale_diff(_committed(), document(replayed))
    assert not diff, STALE + "\n" + "\n".join(diff)


def test_suite_database_gives_the_committed_words(
    generator: ModuleType, api: ApiCaller, session: Session
) -> None:
    # The gallery builds on SQLite; this replays it on the suite's database (PostgreSQL when
    # REBOUND_TEST_DATABASE_URL is set), so collation or lower() differences show up as words.
    def sweep(now: datetime) -> None:
        report = sweep_service.run(session, now=now, batch_size=500)
        assert not report.failed_batches, report

    fresh = document(replay_all(api, sweep, CORPUS))
    diff = generator.stale_diff(_committed(), fresh)
    assert not diff, STALE + " (replayed on the suite's database)\n" + "\n".join(diff)


def test_corpus_covers_the_cases_issue_13_names() -> None:
    rejections = [r for h in CORPUS for r in h.rejections]
    assert len(CORPUS) >= 25
    assert any(r.stage == "final_round" and r.mood == 1 for r in rejections)
    assert any(r.reason == "no_response" and r.ended_by == "unknown" for r in rejections)
    assert any(r.reason_detail == "overqualified" for r in rejections)
    assert any(r.stage == "offer" for r in rejections)
    assert any(r.feedback and "loved your roadmap" in r.feedback for r in rejections)
    assert any(len(h.rejections) >= 12 for h in CORPUS)
    assert any(h.deleted for h in CORPUS)
    assert any(h.profile.display_name is None and not h.profile.strengths for h in CORPUS)
    assert any(_withdrew_then_rejected(h) for h in CORPUS)
    assert any(sum(r.stage == "phone_screen" for r in h.rejections) >= 3 for h in CORPUS)
    spellings = {s for r in rejections for s in r.missing_skills}
    assert {"C++", "c++", "Kubernetes", "kubernetes"} <= spellings
    companies = {r.company for r in rejections}
    assert {
        "Société Générale",
        "Zürich Versicherung",
        "Siemens",
        "Bending Spoons",
        "Mercado Libre",
    } <= companies


def _withdrew_then_rejected(history: History) -> bool:
    withdrawn = {r.company for r in history.rejections if r.ended_by == "candidate"}
    return any(r.company in withdrawn and r.ended_by == "employer" for r in history.rejections)


def test_due_phrases_are_relative_to_the_last_event() -> None:
    phrases = [
        due_phrase(MOMENT + delta, MOMENT)
        for delta in (
            timedelta(0),
            timedelta(hours=24),
            timedelta(days=3),
            -timedelta(hours=2),
            -timedelta(days=5),
        )
    ]
    assert phrases == [
        "due at once",
        "due within 24 h",
        "due in 3 days",
        "overdue by 2 h",
        "overdue by 5 days",
    ]


def test_a_pinned_clock_is_what_requests_see(api: ApiCaller) -> None:
    # TestClient serves requests on another thread: the pin must reach it, nest, and end.
    def created_at() -> datetime:
        return datetime.fromisoformat(api.seeker()["created_at"])

    with pinned(MOMENT):
        with pinned(MOMENT - timedelta(days=3)):
            assert created_at() == MOMENT - timedelta(days=3)
        assert created_at() == MOMENT
    assert created_at() > MOMENT  # the real clock again (the gallery's moment is in the past)
