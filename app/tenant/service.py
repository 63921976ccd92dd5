"""Tenants and API keys: creation, listing, revocation and key lookup."""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.core.clock import utc_now
from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.ids import new_id
from app.core.ratelimit import parse_limit
from app.tenant.models import ApiKey, Scope, Tenant

KEY_PREFIX = "rbk_"


class TenantNotFound(NotFound):
    """No tenant with that id or name."""

    code = "tenant_not_found"


class TenantConflict(Conflict):
    """A tenant with that name exists."""

    code = "tenant_exists"


class ApiKeyNotFound(NotFound):
    """No API key with that id."""

    code = "api_key_not_found"


class InvalidRateLimit(Unprocessable):
    """Not one rate limit such as `1200/minute`."""

    code = "invalid_rate_limit"


@dataclass(frozen=True)
class IssuedKey:
    """A freshly created key: `secret` is the only time the plain key exists."""

    key: ApiKey
    secret: str


def hash_key(raw: str) -> str:
    """The stored form of a key (keys are 256-bit random, so a plain SHA-256 suffices)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create_tenant(session: Session, *, name: str) -> Tenant:
    """Create a tenant with a unique name."""
    if session.exec(select(Tenant).where(Tenant.name == name)).first() is not None:
        raise TenantConflict(f"A tenant named {name!r} already exists.")
    tenant = Tenant(id=new_id("ten"), name=name, created_at=utc_now())
    session.add(tenant)
    session.flush()
    return tenant


def find_tenant(session: Session, ref: str) -> Tenant:
    """A tenant by id or by name."""
    tenant = session.exec(select(Tenant).where((Tenant.id == ref) | (Tenant.name == ref))).first()
    if tenant is None:
        raise TenantNotFound(f"No tenant {ref!r}.")
    return tenant


def set_rate_limit(session: Session, *, tenant: Tenant, rate_limit: str | None) -> Tenant:
    """Give each of the tenant's keys its own budget (`"1200/minute"`); None: the default."""
    if rate_limit is not None:
        rate_limit = rate_limit.strip()
        try:
            parse_limit(rate_limit)
        except ValueError as exc:
            raise InvalidRateLimit(str(exc)) from exc
        if len(rate_limit) > 64:
            raise InvalidRateLimit("A rate limit is at most 64 characters.")
    tenant.rate_limit = rate_limit
    session.add(tenant)
    session.flush()
    return tenant


def has_tenants(session: Session) -> bool:
    """Whether any tenant exists."""
    return session.exec(select(Tenant.id).limit(1)).first() is not None


def create_key(
    session: Session, *, tenant: Tenant, name: str, scopes: Sequence[Scope]
) -> IssuedKey:
    """Issue a key with the given scopes; the plain key is returned once and never stored."""
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        id=new_id("key"),
        tenant_id=tenant.id,
        name=name,
        prefix=raw[:12],
        key_hash=hash_key(raw),
        scopes=" ".join(sorted({s.value for s in scopes})),
        created_at=utc_now(),
    )
    session.add(key)
    session.flush()
    return IssuedKey(key=key, secret=raw)


def list_keys(session: Session, *, tenant: Tenant) -> Sequence[ApiKey]:
    """Every key of a tenant, revoked ones included."""
    stmt = select(ApiKey).where(ApiKey.tenant_id == tenant.id).order_by(col(ApiKey.id))
    return session.exec(stmt).all()


def revoke_key(session: Session, *, key_id: str) -> ApiKey:
    """Revoke a key at once; revoking twice keeps the first time."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise ApiKeyNotFound(f"No API key {key_id!r}.")
    if key.revoked_at is None:
        key.revoked_at = utc_now()
        session.add(key)
        session.flush()
    return key


@dataclass(frozen=True)
class KeyIdentity:
    """What a live key grants: the columns auth needs, without loading the whole row."""

    id: str
    tenant_id: str
    scopes: str
    rate_limit: str | None  # the tenant's own per-key limit; None: the default


# Built once and run as Core on the session's connection: this runs on every request, and
# building the select each time and running it through the ORM cost ~130 µs more (measured).
_LIVE_KEY = (
    select(ApiKey.id, ApiKey.tenant_id, ApiKey.scopes, Tenant.rate_limit)
    .join(Tenant, col(Tenant.id) == col(ApiKey.tenant_id))
    .where(col(ApiKey.key_hash) == sa.bindparam("key_hash"), col(ApiKey.revoked_at).is_(None))
)


def authenticate(session: Session, raw: str) -> KeyIdentity | None:
    """The live key matching a presented secret, or None: one indexed lookup by hash, joined to
    its tenant by primary key for the tenant's rate limit."""
    if not raw.startswith(KEY_PREFIX) or len(raw) > 100:
        return None
    row = session.connection().execute(_LIVE_KEY, {"key_hash": hash_key(raw)}).first()
    return KeyIdentity(*row) if row else None
