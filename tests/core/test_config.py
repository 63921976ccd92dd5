"""Settings: defaults, the REBOUND_ prefix, and refusing development defaults in production."""

import pytest
from pydantic import ValidationError

from app.core.config import Environment, Settings


def test_settings_default_to_embedded_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REBOUND_DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "sqlite:///./rebound.db"
    assert settings.is_sqlite


def test_settings_read_the_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REBOUND_DATABASE_URL", "postgresql+psycopg://u@db/rebound")
    monkeypatch.setenv("REBOUND_PORT", "9000")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url.startswith("postgresql+psycopg")
    assert settings.port == 9000


def test_settings_refuse_production_with_development_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REBOUND_DATABASE_URL", raising=False)
    monkeypatch.setenv("REBOUND_ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="REBOUND_CURSOR_SECRET"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_settings_accept_production_with_own_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REBOUND_ENVIRONMENT", "production")
    monkeypatch.setenv("REBOUND_DATABASE_URL", "postgresql+psycopg://u@db/rebound")
    monkeypatch.setenv("REBOUND_CURSOR_SECRET", "a-long-production-secret-value")
    monkeypatch.setenv("REBOUND_WEBHOOK_SECRET_KEY", "1_uwwhZKsBECOaCZTheEii-e5j898rzwqi6AdMZ77tY=")
    assert Settings(_env_file=None).environment is Environment.PRODUCTION  # type: ignore[call-arg]
