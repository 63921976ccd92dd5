"""HTTP layer for the coach's view of who needs attention."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.attention import service
from app.attention.models import SeekerAttention, Signal
from app.core.auth import Reader
from app.core.contract import links, next_page, seeker_links
from app.core.db import DbSession
from app.core.pagination import Page, PageParams, page_params
from app.core.routing import OneHopRoute

router = APIRouter(tags=["insights"], route_class=OneHopRoute)


@router.get(
    "/insights/seekers",
    response_model=Page[SeekerAttention],
    responses={200: links(**seeker_links("data/0/seeker_id"), **next_page("/insights/seekers"))},
)
def list_seekers_needing_attention(
    principal: Reader,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    signal: Annotated[Signal | None, Query(description="Only seekers showing this signal")] = None,
    min_score: Annotated[
        int, Query(ge=0, le=1000, description="Only seekers scoring at least this; 0 lists all")
    ] = 1,
) -> Page[SeekerAttention]:
    """The tenant's seekers ranked by who needs attention now, each with why (see the README)."""
    filters = service.Filters(signal=signal, min_score=min_score)
    data, has_more, cursor = service.ranked(
        session, tenant_id=principal.tenant_id, filters=filters, params=params
    )
    return Page[SeekerAttention](data=data, has_more=has_more, next_cursor=cursor)
