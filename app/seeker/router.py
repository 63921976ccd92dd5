"""HTTP layer for seekers."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.core.auth import Reader, Writer
from app.core.contract import (
    NOT_MODIFIED,
    PRECONDITION_FAILED,
    conditional_read,
    conditional_write,
    links,
    next_page,
    retryable,
    seeker_links,
)
from app.core.db import DbSession
from app.core.fields import NO_NUL
from app.core.pagination import Page, PageParams, page_params, to_page
from app.core.routing import OneHopRoute
from app.privacy import service as privacy_service
from app.privacy.models import SeekerExport
from app.seeker import service
from app.seeker.dependencies import OwnedSeeker
from app.seeker.models import SeekerCreate, SeekerPublic, SeekerUpdate

router = APIRouter(prefix="/seekers", tags=["seekers"], route_class=OneHopRoute)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SeekerPublic,
    responses={201: links(**seeker_links("id"))},
    openapi_extra=retryable(),
)
def create_seeker(seeker_in: SeekerCreate, principal: Writer, session: DbSession) -> SeekerPublic:
    """Create a seeker; `external_id` is unique within the tenant (409 when taken)."""
    seeker = service.create_seeker(session, tenant_id=principal.tenant_id, seeker_in=seeker_in)
    session.commit()
    return SeekerPublic.model_validate(seeker)


@router.get(
    "",
    response_model=Page[SeekerPublic],
    responses={200: links(**seeker_links("data/0/id"), **next_page("/seekers"))},
)
def list_seekers(
    principal: Reader,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    external_id: Annotated[str | None, Query(max_length=255, pattern=NO_NUL)] = None,
) -> Page[SeekerPublic]:
    """The tenant's seekers, newest first; `?external_id=` finds one by the client's id."""
    result = service.list_seekers(
        session, tenant_id=principal.tenant_id, params=params, external_id=external_id
    )
    return to_page(result, SeekerPublic)


@router.get(
    "/{seeker_id}",
    response_model=SeekerPublic,
    responses=NOT_MODIFIED,
    openapi_extra=conditional_read(),
)
async def read_seeker(_: Reader, seeker: OwnedSeeker) -> SeekerPublic:
    """One seeker."""
    return SeekerPublic.model_validate(seeker)


@router.patch(
    "/{seeker_id}",
    response_model=SeekerPublic,
    responses=PRECONDITION_FAILED,
    openapi_extra=conditional_write(),
)
def update_seeker(
    _: Writer, seeker_in: SeekerUpdate, seeker: OwnedSeeker, session: DbSession
) -> SeekerPublic:
    """Change the fields sent; others stay as they are."""
    seeker = service.update_seeker(session, seeker=seeker, seeker_in=seeker_in)
    session.commit()
    return SeekerPublic.model_validate(seeker)


@router.delete(
    "/{seeker_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=PRECONDITION_FAILED,
    openapi_extra=conditional_write(),
)
def delete_seeker(_: Writer, seeker: OwnedSeeker, session: DbSession) -> Response:
    """Erase the seeker and everything recorded about them (right to erasure)."""
    service.delete_seeker(session, seeker=seeker)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{seeker_id}/export", response_model=SeekerExport)
def export_seeker(_: Reader, seeker: OwnedSeeker, session: DbSession) -> SeekerExport:
    """Everything recorded about one seeker, as one document (right of access)."""
    return privacy_service.export_seeker(session, seeker=seeker)
