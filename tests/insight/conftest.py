"""Insights are computed as of NOW; histories are recorded with explicit dates."""

import pytest

from app.insight import service
from tests.insight.support import NOW


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the insight service's clock to NOW."""
    monkeypatch.setattr(service, "utc_now", lambda: NOW)
