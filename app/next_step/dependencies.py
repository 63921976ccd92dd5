"""Validating dependencies: a next step id in the path becomes this tenant's NextStep, or 404."""

from typing import Annotated

from fastapi import Depends, Path, Request

from app.core.auth import Principal, get_principal
from app.core.conditional import precondition
from app.core.db import DbSession
from app.next_step import service
from app.next_step.models import NextStep

NextStepId = Annotated[str, Path(max_length=40, description="The next step's id")]


def valid_owned_next_step(
    request: Request,
    next_step_id: NextStepId,
    principal: Annotated[Principal, Depends(get_principal)],
    session: DbSession,
) -> NextStep:
    """The caller's next step; another tenant's id answers 404 exactly like an unknown one."""
    next_step = service.get_next_step(
        session, tenant_id=principal.tenant_id, next_step_id=next_step_id
    )
    return precondition(request, session, next_step)


OwnedNextStep = Annotated[NextStep, Depends(valid_owned_next_step)]
