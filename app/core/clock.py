"""The only clock: everything that needs 'now' asks here, so tests can pin it."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)
