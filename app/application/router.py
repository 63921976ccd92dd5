"""HTTP layer for applications."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.application import service
from app.application.dependencies import OwnedApplication
from app.application.models import ApplicationCreate, ApplicationPublic, ApplicationUpdate
from app.core.auth import Reader, Writer
from app.core.contract import (
    NOT_MODIFIED,
    PRECONDITION_FAILED,
    application_links,
    conditional_read,
    conditional_write,
    links,
    next_page,
    retryable,
)
from app.core.csv_export import ListFormat, csv_response, csv_responses, list_format
from app.core.db import DbSession
from app.core.pagination import Page, PageParams, page_params, to_page
from app.core.routing import OneHopRoute
from app.seeker.dependencies import OwnedSeeker

router = APIRouter(tags=["applications"], route_class=OneHopRoute)


@router.post(
    "/seekers/{seeker_id}/applications",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationPublic,
    responses={
        200: {
            "model": ApplicationPublic,
            "description": "Already recorded (same source and external_id)",
            **links(**application_links("id")),
        },
        201: links(**application_links("id")),
    },
    openapi_extra=retryable(),
)
def create_application(
    _: Writer,
    application_in: ApplicationCreate,
    seeker: OwnedSeeker,
    session: DbSession,
    response: Response,
) -> ApplicationPublic:
    """Record an application; a repeated (source, external_id) answers 200 with the stored one."""
    application, created = service.create_application(
        session, seeker=seeker, application_in=application_in
    )
    session.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return ApplicationPublic.model_validate(application)


@router.get(
    "/seekers/{seeker_id}/applications",
    response_model=Page[ApplicationPublic],
    responses={
        200: {
            **csv_responses("One page as JSON, or every application as CSV (`?format=csv`)")[200],
            **links(
                **application_links("data/0/id"),
                **next_page("/seekers/{seeker_id}/applications", "seeker_id"),
            ),
        }
    },
)
def list_applications(
    _: Reader,
    seeker: OwnedSeeker,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    format: Annotated[ListFormat, Depends(list_format)],
) -> Page[ApplicationPublic] | Response:
    """The seeker's applications, newest first (one page, or all of them as CSV)."""
    if format is ListFormat.CSV:
        chunks = service.export_applications(session, seeker=seeker)
        return csv_response(chunks, filename=f"applications-{seeker.id}.csv")
    return to_page(
        service.list_applications(session, seeker=seeker, params=params), ApplicationPublic
    )


@router.get(
    "/applications/{application_id}",
    response_model=ApplicationPublic,
    responses=NOT_MODIFIED,
    openapi_extra=conditional_read(),
)
async def read_application(_: Reader, application: OwnedApplication) -> ApplicationPublic:
    """One application."""
    return ApplicationPublic.model_validate(application)


@router.patch(
    "/applications/{application_id}",
    response_model=ApplicationPublic,
    responses=PRECONDITION_FAILED,
    openapi_extra=conditional_write(),
)
def update_application(
    _: Writer,
    application_in: ApplicationUpdate,
    application: OwnedApplication,
    session: DbSession,
) -> ApplicationPublic:
    """Change the fields sent (status, dates, links)."""
    application = service.update_application(
        session, application=application, application_in=application_in
    )
    session.commit()
    return ApplicationPublic.model_validate(application)


@router.delete(
    "/applications/{application_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=PRECONDITION_FAILED,
    openapi_extra=conditional_write(),
)
def delete_application(_: Writer, application: OwnedApplication, session: DbSession) -> Response:
    """Delete an application; rejections that named it stay, unlinked."""
    service.delete_application(session, application=application)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
