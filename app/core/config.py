"""Settings: the one place configuration enters the service."""

from enum import StrEnum
from functools import lru_cache
from typing import Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_CURSOR_SECRET = "dev-insecure-cursor-secret-change-me"  # noqa: S105 - a marker, refused in production
DEFAULT_DATABASE_URL = "sqlite:///./rebound.db"
# A Fernet key (urlsafe base64 of 32 bytes) spelling "rebound-dev-insecure-webhook-key": a marker.
DEV_WEBHOOK_SECRET_KEY = "cmVib3VuZC1kZXYtaW5zZWN1cmUtd2ViaG9vay1rZXk="  # noqa: S105
FERNET_KEYS = r"^[A-Za-z0-9_-]{43}=(,[A-Za-z0-9_-]{43}=)*$"


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
    redis_url: str | None = None  # shared rate-limit counters; None: each process counts alone
    rate_limit: str = "600/minute"  # per API key, unless its tenant has a limit of its own
    rate_limit_unauthenticated: str = "60/minute"  # requests without a valid key, per address
    # Encrypts webhook signing secrets at rest: Fernet keys, comma-separated; the first encrypts,
    # every one decrypts (so the key can be rotated).
    webhook_secret_key: str = Field(default=DEV_WEBHOOK_SECRET_KEY, pattern=FERNET_KEYS)
    webhook_allow_private: bool = False  # deliver to private/loopback addresses (dev and tests)
    webhook_worker_in_process: bool | None = None  # None: only in development
    webhook_timeout_seconds: float = Field(default=10, gt=0, le=60)
    webhook_concurrency: int = Field(default=8, ge=1, le=64)  # deliveries sent at once per worker
    webhook_poll_seconds: float = Field(default=1, gt=0, le=60)  # idle worker's pause
    webhook_retention_days: int = Field(default=30, ge=1, le=3650)  # then the log is pruned

    @field_validator("rate_limit", "rate_limit_unauthenticated")
    @classmethod
    def _one_rate_limit(cls, value: str) -> str:
        from app.core.ratelimit import parse_limit  # here: ratelimit itself reads the settings

        parse_limit(value)
        return value.strip()

    @model_validator(mode="after")
    def _refuse_dev_defaults_in_production(self) -> Self:
        if self.environment is Environment.PRODUCTION:
            problems = []
            if self.cursor_secret == DEV_CURSOR_SECRET:
                problems.append("REBOUND_CURSOR_SECRET must be set to a secret of your own")
            if self.database_url == DEFAULT_DATABASE_URL:
                problems.append("REBOUND_DATABASE_URL must point at the production database")
            if DEV_WEBHOOK_SECRET_KEY in self.webhook_secret_key.split(","):
                problems.append("REBOUND_WEBHOOK_SECRET_KEY must be a Fernet key of your own")
            if problems:
                raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self

    @property
    def runs_webhook_worker_in_process(self) -> bool:
        """Whether `rebound serve` delivers webhooks itself (by default only in development)."""
        if self.webhook_worker_in_process is None:
            return self.environment is Environment.DEVELOPMENT
        return self.webhook_worker_in_process

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite default."""
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
