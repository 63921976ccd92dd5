"""HTTP layer for rejections."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response, status

from app.coaching import service as coaching_service
from app.core.auth import Reader, RejectionWriter
from app.core.contract import (
    PRECONDITION_FAILED,
    body,
    conditional_write,
    link,
    links,
    next_page,
    next_step_links,
    rejection_links,
    retryable,
)
from app.core.csv_export import ListFormat, csv_response, csv_responses, list_format
from app.core.db import DbSession
from app.core.pagination import Page, PageParams, page_params, to_page
from app.core.routing import OneHopRoute
from app.rejection import service
from app.rejection.dependencies import OwnedRejection
from app.rejection.models import (
    BatchResult,
    RejectionBatch,
    RejectionCreate,
    RejectionPublic,
    RejectionRecord,
)
from app.seeker.dependencies import OwnedSeeker

router = APIRouter(tags=["rejections"], route_class=OneHopRoute)


def created_rejection_links() -> dict[str, dict[str, Any]]:
    """From a recorded rejection: itself, its first next step, and its seeker's steps."""
    seeker_steps = link("get", "/seekers/{seeker_id}/next-steps", seeker_id=body("seeker_id"))
    return {
        **rejection_links("id"),
        **next_step_links("next_steps/0/id"),
        "list_next_steps": seeker_steps,
    }


@router.post(
    "/seekers/{seeker_id}/rejections",
    status_code=status.HTTP_201_CREATED,
    response_model=RejectionPublic,
    responses={
        200: {
            "model": RejectionPublic,
            "description": "Already recorded (same source and external_id)",
            **links(**created_rejection_links()),
        },
        201: links(**created_rejection_links()),
    },
    openapi_extra=retryable(),
)
def create_rejection(
    _: RejectionWriter,
    rejection_in: RejectionCreate,
    seeker: OwnedSeeker,
    session: DbSession,
    response: Response,
) -> RejectionPublic:
    """Record a rejection; a repeated (source, external_id) answers 200 with the stored one."""
    public, created = coaching_service.record_rejection(
        session, seeker=seeker, rejection_in=rejection_in
    )
    session.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return public


@router.post(
    "/rejections/batch",
    response_model=BatchResult,
    responses={200: links(**rejection_links("results/0/rejection/id"))},
    openapi_extra=retryable(),
)
def create_rejection_batch(
    principal: RejectionWriter, batch: RejectionBatch, session: DbSession
) -> BatchResult:
    """Record up to 500 rejections; each item gets its own result, bad ones never sink good ones."""
    result = coaching_service.import_batch(session, tenant_id=principal.tenant_id, batch=batch)
    session.commit()
    return result


@router.get(
    "/seekers/{seeker_id}/rejections",
    response_model=Page[RejectionRecord],
    responses={
        200: {
            **csv_responses("One page as JSON, or every rejection as CSV (`?format=csv`)")[200],
            **links(
                **rejection_links("data/0/id"),
                **next_page("/seekers/{seeker_id}/rejections", "seeker_id"),
            ),
        }
    },
)
def list_rejections(
    _: Reader,
    seeker: OwnedSeeker,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    format: Annotated[ListFormat, Depends(list_format)],
) -> Page[RejectionRecord] | Response:
    """The seeker's rejections, most recently recorded first (one page, or all of them as CSV)."""
    if format is ListFormat.CSV:
        chunks = service.export_rejections(session, seeker=seeker)
        return csv_response(chunks, filename=f"rejections-{seeker.id}.csv")
    return to_page(service.list_rejections(session, seeker=seeker, params=params), RejectionRecord)


@router.get("/rejections/{rejection_id}", response_model=RejectionRecord)
async def read_rejection(_: Reader, rejection: OwnedRejection) -> RejectionRecord:
    """One rejection."""
    return service.to_public(rejection)


@router.delete(
    "/rejections/{rejection_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=PRECONDITION_FAILED,
    openapi_extra=conditional_write(),
)
def delete_rejection(_: RejectionWriter, rejection: OwnedRejection, session: DbSession) -> Response:
    """Remove a rejection (the "unreject"); steps only it supported are retracted."""
    coaching_service.delete_rejection(session, rejection=rejection)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
