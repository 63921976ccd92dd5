"""HTTP layer for chart: SVG images of a goal's progress and of a seeker's insights."""

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.chart import service
from app.chart.models import InsightMetric
from app.core.auth import GoalReader, Reader
from app.core.conditional import client_has
from app.core.db import DbSession
from app.core.routing import OneHopRoute
from app.goal.dependencies import OwnedGoal
from app.insight.models import DEFAULT_DAYS, MAX_DAYS
from app.seeker.dependencies import OwnedSeeker

router = APIRouter(tags=["insights"], route_class=OneHopRoute)

SVG = "image/svg+xml"
CACHE_CONTROL = "private, max-age=60"  # progress changes with every check-in: briefly, per user
SVG_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {SVG: {"schema": {"type": "string"}}},
        "description": "An SVG image; its <title> and <desc> say what it shows",
        "headers": {
            "ETag": {"schema": {"type": "string"}, "description": "A hash of the image"},
            "Cache-Control": {"schema": {"type": "string"}, "description": CACHE_CONTROL},
        },
    },
    304: {"description": "Not Modified: `If-None-Match` names the current image"},
}


class SvgResponse(Response):
    """An SVG image."""

    media_type = SVG


def _svg(request: Request, body: bytes) -> Response:
    """The image with a strong ETag (its hash); 304 when `If-None-Match` already names it."""
    tag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    if client_has(request.headers, tag):
        return Response(status_code=304, headers=headers)
    return SvgResponse(body, headers=headers)


@router.get("/goals/{goal_id}/chart.svg", response_class=SvgResponse, responses=SVG_RESPONSE)
def read_goal_chart(
    _: GoalReader, goal: OwnedGoal, session: DbSession, request: Request
) -> Response:
    """The goal's progress as an SVG chart.

    A weekly or monthly goal: a bar per period (the last 26) with its total, coloured met,
    missed or in progress, and the target as a dashed line. A one-off goal: what was done,
    added up day by day, against an even pace from `start_on` that reaches the target on `due_on`.
    """
    return _svg(request, service.goal_chart(session, goal=goal))


@router.get(
    "/seekers/{seeker_id}/insights/chart.svg",
    response_class=SvgResponse,
    responses=SVG_RESPONSE,
)
def read_insights_chart(
    _: Reader,
    seeker: OwnedSeeker,
    session: DbSession,
    request: Request,
    metric: Annotated[
        InsightMetric,
        Query(description="`rejections_by_week`: bars per week; `funnel`: application to offer"),
    ],
    days: Annotated[int, Query(ge=1, le=MAX_DAYS, description="The window, today included")] = (
        DEFAULT_DAYS
    ),
) -> Response:
    """One metric of the seeker's insights (as `GET .../insights` reports it) as an SVG chart."""
    return _svg(request, service.insights_chart(session, seeker=seeker, metric=metric, days=days))
