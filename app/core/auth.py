"""API key authentication: `Authorization: Bearer <key>` → a Principal with tenant and scopes."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.core.db import get_session
from app.core.errors import Forbidden, Unauthorized
from app.core.ratelimit import limit_key, limit_unauthenticated
from app.tenant import service as tenant_service
from app.tenant.models import Scope


@dataclass(frozen=True)
class Principal:
    """Who is calling: the tenant that owns the key, and what the key may do."""

    tenant_id: str
    key_id: str
    scopes: frozenset[str]

    def allows(self, scope: Scope) -> bool:
        """Whether the key carries `scope` (or `*`)."""
        return Scope.ALL.value in self.scopes or scope.value in self.scopes


bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <api key>`")


def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    session: Annotated[Session, Depends(get_session)],
) -> Principal:
    """Authenticate the request and count it against its key's rate limit.

    401 with `WWW-Authenticate: Bearer` without a valid key (such requests are counted per
    client address instead); 429 over either limit. Sync, so Redis is called in the worker
    thread this dependency already runs in.
    """
    token = credentials.credentials if credentials else ""
    if not token.strip():
        limit_unauthenticated(request)
        raise Unauthorized(
            "Send an API key as `Authorization: Bearer <key>`.",
            code="missing_api_key",
            headers={"WWW-Authenticate": 'Bearer realm="rebound"'},
        )
    key = tenant_service.authenticate(session, token.strip())
    if key is None:
        limit_unauthenticated(request)
        raise Unauthorized(
            "The API key is not valid or has been revoked.",
            code="invalid_api_key",
            headers={"WWW-Authenticate": 'Bearer realm="rebound", error="invalid_token"'},
        )
    request.scope.setdefault("state", {})["tenant_id"] = key.tenant_id
    limit_key(request, key.id, key.rate_limit)
    return Principal(tenant_id=key.tenant_id, key_id=key.id, scopes=frozenset(key.scopes.split()))


def require_scope(scope: Scope) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that authenticates and then insists on `scope` (403 without it).

    It is async because it does no I/O: a sync dependency would cost a thread-pool hop.
    """

    async def dependency(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if not principal.allows(scope):
            raise Forbidden(f"This API key lacks the `{scope.value}` scope.", code="missing_scope")
        return principal

    dependency.__name__ = f"require_{scope.name.lower()}"
    return dependency


Reader = Annotated[Principal, Depends(require_scope(Scope.SEEKERS_READ))]
Writer = Annotated[Principal, Depends(require_scope(Scope.SEEKERS_WRITE))]
RejectionWriter = Annotated[Principal, Depends(require_scope(Scope.REJECTIONS_WRITE))]
GoalReader = Annotated[Principal, Depends(require_scope(Scope.GOALS_READ))]
GoalWriter = Annotated[Principal, Depends(require_scope(Scope.GOALS_WRITE))]
