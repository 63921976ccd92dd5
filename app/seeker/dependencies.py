"""Validating dependencies: a seeker id in the path becomes this tenant's Seeker, or 404."""

from typing import Annotated

from fastapi import Depends, Path, Request
from sqlmodel import Session

from app.core.auth import Principal, get_principal
from app.core.conditional import precondition
from app.core.db import get_session
from app.seeker import service
from app.seeker.models import Seeker

SeekerId = Annotated[str, Path(max_length=40, description="The seeker's id")]


def valid_owned_seeker(
    request: Request,
    seeker_id: SeekerId,
    principal: Annotated[Principal, Depends(get_principal)],
    session: Annotated[Session, Depends(get_session)],
) -> Seeker:
    """The caller's seeker; another tenant's id answers 404 exactly like an unknown one."""
    seeker = service.get_seeker(session, tenant_id=principal.tenant_id, seeker_id=seeker_id)
    return precondition(request, session, seeker)


OwnedSeeker = Annotated[Seeker, Depends(valid_owned_seeker)]
