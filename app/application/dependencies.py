"""Validating dependencies: an application id in the path becomes this tenant's Application."""

from typing import Annotated

from fastapi import Depends, Path, Request

from app.application import service
from app.application.models import Application
from app.core.auth import Principal, get_principal
from app.core.conditional import precondition
from app.core.db import DbSession

ApplicationId = Annotated[str, Path(max_length=40, description="The application's id")]


def valid_owned_application(
    request: Request,
    application_id: ApplicationId,
    principal: Annotated[Principal, Depends(get_principal)],
    session: DbSession,
) -> Application:
    """The caller's application; another tenant's id answers 404 exactly like an unknown one."""
    application = service.get_application(
        session, tenant_id=principal.tenant_id, application_id=application_id
    )
    return precondition(request, session, application)


OwnedApplication = Annotated[Application, Depends(valid_owned_application)]
