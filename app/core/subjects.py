"""The data subjects (seekers) a request acts on, noted as their records are loaded or made.

Each domain's loader notes the seeker that owns what it returns (`get_seeker`, `get_goal`, …,
`create_seeker`, the batch's seeker look-up), so whatever a request stores beside its change — today
a replayable idempotent response — is linked to those seekers by construction, from the objects the
request touched rather than from what its response body happens to mention. Erasing a seeker then
erases everything linked to them.
"""

from collections.abc import Iterable

from sqlalchemy.orm import Session

SUBJECTS = "rebound.subjects"


def concern(session: Session, seeker_ids: Iterable[str]) -> None:
    """Note that this request acts on these seekers' data."""
    session.info.setdefault(SUBJECTS, set()).update(seeker_ids)


def reset(session: Session) -> None:
    """Forget what was noted so far (a new request begins on this session)."""
    session.info[SUBJECTS] = set()


def take(session: Session) -> frozenset[str]:
    """The seekers noted since the last reset, forgetting them."""
    return frozenset(session.info.pop(SUBJECTS, ()))
