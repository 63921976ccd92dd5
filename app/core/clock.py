"""The only clock: everything that needs 'now' asks here, so tests can pin it."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

# One process-wide value rather than a context variable: TestClient serves requests on another
# thread, which must see the pin too. Reading a module attribute is atomic, so no lock is needed;
# pins are for tests and the advice gallery, which replay one history at a time.
_pinned: datetime | None = None


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC (the pinned moment inside `pinned`)."""
    at = _pinned
    return at if at is not None else datetime.now(UTC)


@contextmanager
def pinned(at: datetime) -> Iterator[datetime]:
    """Make `utc_now()` answer `at` (aware; yielded in UTC) in every thread until the block ends.

    Pins nest: leaving an inner block restores the outer pin. Ids keep their own wall-clock
    order (`core.ids`), so records created under one pin still sort by creation.
    """
    global _pinned
    if at.tzinfo is None:
        raise ValueError("pin the clock to an aware datetime")
    moment = at.astimezone(UTC)
    previous, _pinned = _pinned, moment
    try:
        yield moment
    finally:
        _pinned = previous
