"""Tenants and API keys: creation, listing, revocation and key lookup."""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.core.clock import utc_now
from app.core.errors import Conflict, NotFound
from app.core.ids import new_id
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


def authenticate(session: Session, raw: str) -> KeyIdentity | None:
    """The live key matching a presented secret, or None (one indexed lookup by hash)."""
    if not raw.startswith(KEY_PREFIX) or len(raw) > 100:
        return None
    stmt = select(ApiKey.id, ApiKey.tenant_id, ApiKey.scopes).where(
        ApiKey.key_hash == hash_key(raw), col(ApiKey.revoked_at).is_(None)
    )
    row = session.exec(stmt).first()
    return KeyIdentity(*row) if row else None
