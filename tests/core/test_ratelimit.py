"""Rate limits per API key: headers on every response, 429 past the budget, per key, per tenant."""

import logging
import os
import re
import socket
import uuid
from collections.abc import Iterator

import httpx
import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import delete
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import cli
from app.core import ratelimit
from app.core.config import Settings, get_settings
from app.core.db import get_engine
from app.core.ratelimit import Policy, RateLimiter, parse_limit
from app.tenant import service as tenant_service
from app.tenant.models import Scope, Tenant
from tests.factories import ApiCaller, count_statements, make_key, make_tenant

STATE = re.compile(r'^"(?P<name>[a-z]+)";r=(?P<r>\d+);t=(?P<t>\d+)$')
DAY = 86_400


def redis_url_for_tests() -> str:
    """REBOUND_TEST_REDIS_URL (CI sets it: unreachable there is a failure), else a local
    Redis if one answers, else skip."""
    configured = os.environ.get("REBOUND_TEST_REDIS_URL")
    url = configured or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as exc:
        if configured:
            pytest.fail(f"REBOUND_TEST_REDIS_URL={configured} is unreachable: {exc}")
        pytest.skip(f"no Redis at {url} ({exc}); set REBOUND_TEST_REDIS_URL to run this")
    return url


def state(response: httpx.Response) -> tuple[str, int, int]:
    """The `RateLimit` header as (policy name, remaining, seconds to reset)."""
    match = STATE.match(response.headers["ratelimit"])
    assert match, response.headers["ratelimit"]
    return match["name"], int(match["r"]), int(match["t"])


def limited_tenant(session: Session, name: str, limit: str | None) -> tuple[str, str]:
    """A tenant with its own rate limit (None: the default); its id and a key."""
    made = make_tenant(session, f"{name}-{uuid.uuid4().hex[:8]}")
    tenant = tenant_service.find_tenant(session, made.tenant_id)
    tenant_service.set_rate_limit(session, tenant=tenant, rate_limit=limit)
    session.commit()
    return made.tenant_id, made.secret


# --- over HTTP -------------------------------------------------------------------------------


def test_responses_carry_the_default_policy_and_count_down(api: ApiCaller) -> None:
    default = get_settings().rate_limit
    quota = parse_limit(default).amount
    window = parse_limit(default).get_expiry()
    seen = [api.get("/v1/seekers") for _ in range(3)]
    for response in seen:
        assert response.status_code == 200
        assert response.headers["ratelimit-policy"] == f'"default";q={quota};w={window}'
    remaining = [state(r)[1] for r in seen]
    assert remaining == [quota - 1, quota - 2, quota - 3]
    assert all(1 <= state(r)[2] <= window for r in seen)


def test_over_the_limit_is_a_429_problem_with_retry_after(
    client: TestClient, session: Session
) -> None:
    _, secret = limited_tenant(session, "tight", "3/day")
    caller = ApiCaller(client, secret)
    allowed = [caller.get("/v1/seekers") for _ in range(3)]
    assert [r.status_code for r in allowed] == [200, 200, 200]
    assert [state(r)[1] for r in allowed] == [2, 1, 0]

    refused = caller.get("/v1/seekers")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    body = refused.json()
    assert body["code"] == "rate_limited"
    assert body["status"] == 429
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= DAY
    assert state(refused) == ("tenant", 0, retry_after)
    assert refused.headers["ratelimit-policy"] == f'"tenant";q=3;w={DAY}'
    assert caller.post("/v1/seekers", json={"display_name": "x"}).status_code == 429


def test_a_tenants_own_limit_overrides_the_default_and_can_be_cleared(
    client: TestClient, session: Session
) -> None:
    tenant_id, secret = limited_tenant(session, "own", "5/day")
    caller = ApiCaller(client, secret)
    assert caller.get("/v1/seekers").headers["ratelimit-policy"] == f'"tenant";q=5;w={DAY}'

    tenant = tenant_service.find_tenant(session, tenant_id)
    tenant_service.set_rate_limit(session, tenant=tenant, rate_limit=None)
    session.commit()
    response = caller.get("/v1/seekers")
    assert response.headers["ratelimit-policy"].startswith('"default";')


def test_one_keys_budget_does_not_touch_anothers(client: TestClient, session: Session) -> None:
    _, spent = limited_tenant(session, "spent", "1/day")
    _, fresh = limited_tenant(session, "fresh", "1/day")
    assert ApiCaller(client, spent).get("/v1/seekers").status_code == 200
    assert ApiCaller(client, spent).get("/v1/seekers").status_code == 429
    response = ApiCaller(client, fresh).get("/v1/seekers")
    assert response.status_code == 200
    assert state(response)[1] == 0


def test_the_limit_is_per_key_not_per_tenant(client: TestClient, session: Session) -> None:
    tenant_id, first = limited_tenant(session, "two-keys", "2/day")
    second = make_key(session, tenant_id, (Scope.ALL,))
    assert [ApiCaller(client, first).get("/v1/seekers").status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    response = ApiCaller(client, second).get("/v1/seekers")
    assert response.status_code == 200
    assert state(response)[:2] == ("tenant", 1)


def test_errors_after_authentication_carry_the_headers_and_count(
    client: TestClient, session: Session
) -> None:
    tenant_id, secret = limited_tenant(session, "errors", "10/day")
    reader = make_key(session, tenant_id, (Scope.SEEKERS_READ,))
    caller = ApiCaller(client, secret)
    not_found = caller.get("/v1/seekers/skr_00000000000000000000000000")
    invalid = caller.get("/v1/seekers", params={"limit": 0})
    forbidden = ApiCaller(client, reader).post("/v1/seekers", json={"display_name": "x"})
    assert [not_found.status_code, invalid.status_code, forbidden.status_code] == [404, 422, 403]
    assert state(not_found)[1] == 9
    assert state(invalid)[1] == 8
    assert state(forbidden)[1] == 9  # the read-only key has a budget of its own
    for response in (not_found, invalid, forbidden):
        assert response.headers["ratelimit-policy"] == f'"tenant";q=10;w={DAY}'


def test_an_idempotent_replay_carries_the_current_budget_once(api: ApiCaller) -> None:
    headers = {"Idempotency-Key": f"rl-{uuid.uuid4().hex}"}
    first = api.post("/v1/seekers", json={"display_name": "Ana"}, headers=headers)
    replay = api.post("/v1/seekers", json={"display_name": "Ana"}, headers=headers)
    assert first.status_code == replay.status_code == 201
    assert replay.headers.get("idempotent-replayed") == "true"
    assert len(replay.headers.get_list("ratelimit")) == 1
    assert state(replay)[1] == state(first)[1] - 1


@pytest.mark.parametrize("path", ["/livez", "/readyz", "/metrics", "/openapi.json"])
def test_operations_routes_are_not_limited(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "ratelimit" not in response.headers
    assert "ratelimit-policy" not in response.headers


def from_new_address(app: FastAPI) -> TestClient:
    """A client calling from an address no other test uses."""
    return TestClient(app, client=(f"test-{uuid.uuid4().hex}", 50000))


def test_requests_without_a_valid_key_are_counted_per_address(
    app: FastAPI, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "rate_limit_unauthenticated", "2/day")
    stranger, client = from_new_address(app), from_new_address(app)
    missing = stranger.get("/v1/seekers")
    invalid = stranger.get("/v1/seekers", headers={"Authorization": "Bearer rbk_guess"})
    assert [missing.status_code, invalid.status_code] == [401, 401]
    assert missing.headers["ratelimit-policy"] == f'"unauthenticated";q=2;w={DAY}'
    assert [state(missing)[:2], state(invalid)[:2]] == [
        ("unauthenticated", 1),
        ("unauthenticated", 0),
    ]

    refused = stranger.get("/v1/seekers", headers={"Authorization": "Bearer rbk_guess"})
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) >= 1

    assert client.get("/v1/seekers").status_code == 401  # another address is not affected
    secret = make_tenant(session, f"stranger-{uuid.uuid4().hex[:8]}").secret
    valid = stranger.get("/v1/seekers", headers={"Authorization": f"Bearer {secret}"})
    assert valid.status_code == 200  # a valid key is counted against its own budget
    assert state(valid)[0] == "default"


# --- the limiter itself ----------------------------------------------------------------------


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_window_resets_when_it_ends_and_not_before() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock)
    policy = Policy("default", quota=2, window=60)
    first = limiter.hit(policy, "key:a")
    assert (first.allowed, first.remaining) == (True, 1)
    assert limiter.hit(policy, "key:a").remaining == 0
    over = limiter.hit(policy, "key:a")
    assert (over.allowed, over.remaining) == (False, 0)
    assert over.reset == first.reset

    clock.now += over.reset - 1  # still inside the window
    assert not limiter.hit(policy, "key:a").allowed
    clock.now += 1  # the window has ended
    fresh = limiter.hit(policy, "key:a")
    assert (fresh.allowed, fresh.remaining, fresh.reset) == (True, 1, 60)


def test_windows_are_offset_per_identity() -> None:
    limiter = RateLimiter(clock=FakeClock())
    policy = Policy("default", quota=5, window=3600)
    resets = {limiter.hit(policy, f"key:{n}").reset for n in range(20)}
    assert len(resets) > 10  # keys do not all refill at the same instant
    assert all(1 <= reset <= 3600 for reset in resets)


def test_parse_limit_takes_one_positive_limit() -> None:
    assert parse_limit("600/minute").amount == 600
    assert parse_limit(" 100/10 seconds ").get_expiry() == 10
    for bad in ("lots", "10/minute;5/second", "0/minute", "", "600/fortnight"):
        with pytest.raises(ValueError, match="not one rate limit"):
            parse_limit(bad)


def test_a_bad_limit_setting_fails_at_start_up() -> None:
    with pytest.raises(ValidationError, match="not one rate limit"):
        Settings(rate_limit="600 a minute")
    with pytest.raises(ValidationError, match="not one rate limit"):
        Settings(rate_limit_unauthenticated="5/second;10/minute")
    assert Settings(rate_limit="1200/minute").rate_limit == "1200/minute"


def test_authenticate_loads_the_tenants_limit_in_the_same_statement(session: Session) -> None:
    tenant_id, secret = limited_tenant(session, "one-query", "7/hour")
    with count_statements(session) as statements:
        key = tenant_service.authenticate(session, secret)
    assert key is not None
    assert (key.tenant_id, key.rate_limit) == (tenant_id, "7/hour")
    assert len(statements) == 1


def test_set_rate_limit_refuses_what_is_not_one_limit(session: Session) -> None:
    made = make_tenant(session, f"refuse-{uuid.uuid4().hex[:8]}")
    tenant = tenant_service.find_tenant(session, made.tenant_id)
    with pytest.raises(tenant_service.InvalidRateLimit):
        tenant_service.set_rate_limit(session, tenant=tenant, rate_limit="fast please")
    with pytest.raises(tenant_service.InvalidRateLimit):
        tenant_service.set_rate_limit(session, tenant=tenant, rate_limit="1/" + "1" * 70 + " days")
    assert tenant.rate_limit is None


def test_an_invalid_stored_limit_falls_back_to_the_default(
    client: TestClient, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    tenant_id, secret = limited_tenant(session, "corrupt", None)
    tenant = tenant_service.find_tenant(session, tenant_id)
    tenant.rate_limit = f"garbage-{uuid.uuid4().hex[:6]}"  # as if edited by hand in the database
    session.add(tenant)
    session.commit()
    with caplog.at_level(logging.WARNING, logger="rebound.ratelimit"):
        response = ApiCaller(client, secret).get("/v1/seekers")
    assert response.status_code == 200
    assert response.headers["ratelimit-policy"].startswith('"default";')
    assert "invalid rate limit" in caplog.text


runner = CliRunner()


@pytest.fixture
def tenant_name(engine: object) -> Iterator[str]:
    """A tenant committed for real (the CLI commits), deleted afterwards."""
    name = f"cli-rl-{uuid.uuid4().hex[:8]}"
    with Session(get_engine(), expire_on_commit=False) as session:
        tenant_service.create_tenant(session, name=name)
        session.commit()
    yield name
    with Session(get_engine()) as session:
        session.execute(delete(Tenant).where(Tenant.name == name))  # type: ignore[arg-type]
        session.commit()


def test_cli_sets_and_clears_a_tenants_rate_limit(tenant_name: str) -> None:
    result = runner.invoke(cli, ["tenant", "set-rate-limit", tenant_name, "1200/minute"])
    assert result.exit_code == 0, result.output
    assert "1200/minute per API key" in result.output
    with Session(get_engine()) as session:
        assert tenant_service.find_tenant(session, tenant_name).rate_limit == "1200/minute"

    refused = runner.invoke(cli, ["tenant", "set-rate-limit", tenant_name, "quickly"])
    assert refused.exit_code != 0
    assert isinstance(refused.exception, tenant_service.InvalidRateLimit)

    result = runner.invoke(cli, ["tenant", "clear-rate-limit", tenant_name])
    assert result.exit_code == 0, result.output
    assert "the default" in result.output
    with Session(get_engine()) as session:
        assert tenant_service.find_tenant(session, tenant_name).rate_limit is None


# --- Redis -----------------------------------------------------------------------------------


def test_two_limiters_on_one_redis_share_one_budget() -> None:
    url = redis_url_for_tests()
    first, second = RateLimiter(url), RateLimiter(url)
    policy = Policy("default", quota=4, window=DAY)
    identity = f"key:test-{uuid.uuid4().hex}"
    outcomes = [(first if n % 2 else second).hit(policy, identity) for n in range(6)]
    assert [d.allowed for d in outcomes] == [True] * 4 + [False] * 2
    assert [d.remaining for d in outcomes] == [3, 2, 1, 0, 0, 0]
    assert first.shared and second.shared


def free_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_redis_fails_open_to_counting_in_process(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    limiter = RateLimiter(f"redis://127.0.0.1:{free_port()}/0", clock=clock)
    policy = Policy("default", quota=2, window=60)
    with caplog.at_level(logging.WARNING, logger="rebound.ratelimit"):
        outcomes = [limiter.hit(policy, "key:a") for _ in range(3)]
    assert [d.allowed for d in outcomes] == [True, True, False]  # still limited, per process
    assert not limiter.shared
    assert caplog.text.count("rate-limit store unreachable") == 1  # logged once, not per request


def test_counting_returns_to_redis_once_it_answers_again(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = redis_url_for_tests()
    clock = FakeClock()
    limiter = RateLimiter(url, clock=clock)
    policy = Policy("default", quota=10, window=DAY)
    identity = f"key:test-{uuid.uuid4().hex}"
    store = limiter._redis
    assert store is not None

    def down(*_: object, **__: object) -> int:
        raise redis.ConnectionError("down for the test")

    with caplog.at_level(logging.WARNING, logger="rebound.ratelimit"):
        monkeypatch.setattr(store, "incr", down)
        assert limiter.hit(policy, identity).remaining == 9  # counted in memory
        assert not limiter.shared
        monkeypatch.undo()
        clock.now += ratelimit.REDIS_RETRY_SECONDS - 1
        assert limiter.hit(policy, identity).remaining == 8  # not retried yet: memory
        clock.now += 1
        assert limiter.hit(policy, identity).remaining == 9  # Redis again, its own count
    assert limiter.shared
    assert "reachable again" in caplog.text
