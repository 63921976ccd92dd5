"""The advice gallery's corpus: realistic seeker histories, replayed by scripts/advice_gallery.py.

Each history says what happened (`case`) and what a good coach would want the seeker to read
(`expect`), so a reviewer can hold the rendered advice in docs/advice-gallery.md against it.
"""

from tests.gallery import corpus_moments, corpus_names, corpus_patterns, corpus_time
from tests.gallery.model import History

CORPUS: tuple[History, ...] = (
    *corpus_moments.HISTORIES,
    *corpus_patterns.HISTORIES,
    *corpus_names.HISTORIES,
    *corpus_time.HISTORIES,
)

if len({h.slug for h in CORPUS}) != len(CORPUS):  # slugs are the gallery's anchors
    raise ValueError("two gallery histories share a slug")
