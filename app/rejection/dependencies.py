"""Validating dependencies: a rejection id in the path becomes this tenant's Rejection."""

from typing import Annotated

from fastapi import Depends, Path

from app.core.auth import Principal, get_principal
from app.core.db import DbSession
from app.rejection import service
from app.rejection.models import Rejection

RejectionId = Annotated[str, Path(max_length=40, description="The rejection's id")]


def valid_owned_rejection(
    rejection_id: RejectionId,
    principal: Annotated[Principal, Depends(get_principal)],
    session: DbSession,
) -> Rejection:
    """The caller's rejection; another tenant's id answers 404 exactly like an unknown one."""
    return service.get_rejection(session, tenant_id=principal.tenant_id, rejection_id=rejection_id)


OwnedRejection = Annotated[Rejection, Depends(valid_owned_rejection)]
