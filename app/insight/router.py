"""HTTP layer for insight."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.core.auth import Reader
from app.core.db import DbSession
from app.core.routing import OneHopRoute
from app.insight import service
from app.insight.models import DEFAULT_DAYS, MAX_DAYS, SeekerInsights
from app.seeker.dependencies import OwnedSeeker

router = APIRouter(tags=["insights"], route_class=OneHopRoute)


@router.get("/seekers/{seeker_id}/insights", response_model=SeekerInsights)
def read_seeker_insights(
    _: Reader,
    seeker: OwnedSeeker,
    session: DbSession,
    days: Annotated[
        int, Query(ge=1, le=MAX_DAYS, description="The window: this many days up to today")
    ] = DEFAULT_DAYS,
) -> SeekerInsights:
    """What the seeker's last `days` days say: rejections, funnel, skills, steps and goals."""
    return service.seeker_insights(session, seeker=seeker, days=days)
