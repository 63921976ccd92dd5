"""Settings: the one place configuration enters the service."""

from enum import StrEnum
from functools import lru_cache
from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_CURSOR_SECRET = "dev-insecure-cursor-secret-change-me"  # noqa: S105 - a marker, refused in production
DEFAULT_DATABASE_URL = "sqlite:///./rebound.db"


class Environment(StrEnum):
    """Where the service runs; production refuses development defaults."""

    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Every setting, read from `REBOUND_*` environment variables (or a `.env` file)."""

    model_config = SettingsConfigDict(env_prefix="REBOUND_", env_file=".env", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = DEFAULT_DATABASE_URL
    database_echo: bool = False
    database_pool_size: int = Field(default=10, ge=1, le=200)
    cursor_secret: str = Field(default=DEV_CURSOR_SECRET, min_length=16)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    log_level: str = "INFO"
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    dev_key_file: str = ".dev-api-key"
    sweep_interval_seconds: float = Field(default=300, ge=0)  # 0: `serve` does not sweep
    sweep_batch_size: int = Field(default=500, ge=1, le=10_000)

    @model_validator(mode="after")
    def _refuse_dev_defaults_in_production(self) -> Self:
        if self.environment is Environment.PRODUCTION:
            problems = []
            if self.cursor_secret == DEV_CURSOR_SECRET:
                problems.append("REBOUND_CURSOR_SECRET must be set to a secret of your own")
            if self.database_url == DEFAULT_DATABASE_URL:
                problems.append("REBOUND_DATABASE_URL must point at the production database")
            if problems:
                raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite default."""
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
