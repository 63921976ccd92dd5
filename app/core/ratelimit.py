"""Rate limits per API key, counted with `limits` (in memory, or in Redis shared by replicas).

Each key gets a fixed window of its policy's length (`600/minute`: 60 s), offset per key so that
keys do not all reset at the same instant. One atomic increment per request is the whole cost:
its result is the count, and the window's end follows from the clock, so the `RateLimit` header
needs no second round trip. Requests without a valid key are counted per client address.

If Redis cannot be reached, the limiter fails open to counting in this process (each replica
then enforces the budget on its own), logs it once, and tries Redis again a few seconds later.
"""

import logging
import math
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from fastapi import Request
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, RedisStorage
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import get_settings
from app.core.errors import TooManyRequests

DEFAULT_POLICY = "default"
TENANT_POLICY = "tenant"
UNAUTHENTICATED_POLICY = "unauthenticated"
STATE_KEY = "rate_limit"
REDIS_KEY_PREFIX = "rebound:ratelimit"
REDIS_TIMEOUT_SECONDS = 0.25  # a request waits at most this long for Redis before failing open
REDIS_RETRY_SECONDS = 5.0  # after a failure, count in memory this long before trying Redis again

logger = logging.getLogger("rebound.ratelimit")


def parse_limit(value: str) -> RateLimitItem:
    """One limit such as `600/minute` or `100/10 seconds`; ValueError for anything else."""
    try:
        items = parse_many(value.strip())
    except ValueError:
        items = []
    if len(items) != 1 or items[0].amount < 1:
        raise ValueError(
            f"{value!r} is not one rate limit: write it as `600/minute` or `100/10 seconds`"
        )
    return items[0]


@dataclass(frozen=True)
class Policy:
    """A named budget: `quota` requests per `window` seconds."""

    name: str
    quota: int
    window: int

    @property
    def header(self) -> bytes:
        """The `RateLimit-Policy` value, e.g. `"default";q=600;w=60`."""
        return f'"{self.name}";q={self.quota};w={self.window}'.encode()


@lru_cache(maxsize=1024)
def policy(name: str, limit: str) -> Policy:
    """The policy `name` for a limit string (parsed once per distinct string)."""
    item = parse_limit(limit)
    return Policy(name=name, quota=item.amount, window=item.get_expiry())


@lru_cache(maxsize=1024)
def _tenant_policy(limit: str) -> Policy | None:
    try:
        return policy(TENANT_POLICY, limit)
    except ValueError:
        logger.warning("ignoring a tenant's invalid rate limit %r; using the default", limit)
        return None


@dataclass(frozen=True)
class Decision:
    """The outcome of counting one request against a policy."""

    policy: Policy
    allowed: bool
    remaining: int
    reset: int  # whole seconds until the window ends, at least 1

    def headers(self) -> list[tuple[bytes, bytes]]:
        """`RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers)."""
        state = f'"{self.policy.name}";r={self.remaining};t={self.reset}'.encode()
        return [(b"ratelimit-policy", self.policy.header), (b"ratelimit", state)]


class RateLimiter:
    """Counts requests per identity in fixed, per-identity-offset windows."""

    def __init__(
        self, redis_url: str | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._clock = clock
        self._memory = MemoryStorage()
        self._redis = (
            RedisStorage(
                redis_url,
                key_prefix=REDIS_KEY_PREFIX,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            if redis_url
            else None
        )
        self._lock = threading.Lock()
        self._redis_down = False
        self._retry_redis_at = 0.0

    @property
    def shared(self) -> bool:
        """Whether counts live in Redis right now (False: in this process)."""
        return self._redis is not None and not self._redis_down

    def hit(self, policy: Policy, identity: str) -> Decision:
        """Count one request of `identity` against `policy` and say whether it may pass."""
        now = self._clock()
        offset = zlib.crc32(identity.encode()) % policy.window
        window, elapsed = divmod(now + offset, policy.window)
        count = self._incr(f"{identity}/{policy.window}/{int(window)}", policy.window, now)
        return Decision(
            policy=policy,
            allowed=count <= policy.quota,
            remaining=max(0, policy.quota - count),
            reset=max(1, math.ceil(policy.window - elapsed)),
        )

    def _incr(self, key: str, expiry: int, now: float) -> int:
        if self._redis is not None and now >= self._retry_redis_at:
            try:
                count = self._redis.incr(key, expiry)
            except RedisError as exc:
                self._redis_failed(now, exc)
            else:
                if self._redis_down:
                    self._redis_back()
                return count
        return self._memory.incr(key, expiry)

    def _redis_failed(self, now: float, exc: RedisError) -> None:
        with self._lock:
            self._retry_redis_at = now + REDIS_RETRY_SECONDS
            first = not self._redis_down
            self._redis_down = True
        if first:
            logger.warning(
                "rate-limit store unreachable; counting in this process until it is back",
                extra={"error": repr(exc)},
            )

    def _redis_back(self) -> None:
        with self._lock:
            was_down, self._redis_down = self._redis_down, False
        if was_down:
            logger.warning("rate-limit store reachable again; counts are shared once more")


@lru_cache
def get_rate_limiter() -> RateLimiter:
    """The process-wide limiter, built on first use from the settings."""
    return RateLimiter(get_settings().redis_url)


def _enforce(request: Request, limit: Policy, identity: str) -> None:
    decision = get_rate_limiter().hit(limit, identity)
    request.scope.setdefault("state", {})[STATE_KEY] = decision
    if not decision.allowed:
        raise TooManyRequests(
            f"Over the rate limit of {limit.quota} requests per {limit.window} seconds; "
            f"retry in {decision.reset} seconds.",
            retry_after=decision.reset,
        )


def limit_key(request: Request, key_id: str, tenant_limit: str | None) -> None:
    """Count a request made with a valid key: the tenant's own limit, else the default (429)."""
    chosen = _tenant_policy(tenant_limit) if tenant_limit else None
    _enforce(request, chosen or policy(DEFAULT_POLICY, get_settings().rate_limit), f"key:{key_id}")


def limit_unauthenticated(request: Request) -> None:
    """Count a request without a valid key against its client address (429 when over)."""
    address = request.client.host if request.client else "unknown"
    limit = policy(UNAUTHENTICATED_POLICY, get_settings().rate_limit_unauthenticated)
    _enforce(request, limit, f"address:{address}")


class RateLimitHeaders:
    """Adds the `RateLimit-Policy` and `RateLimit` headers of the request's decision, if any.

    Pure ASGI, outside the layers that hold or store a response, so that an idempotent replay
    carries the current budget rather than the one stored with it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                decision: Decision | None = scope.get("state", {}).get(STATE_KEY)
                if decision is not None:
                    headers = [*message.get("headers", ()), *decision.headers()]
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
