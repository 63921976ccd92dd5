"""Operations endpoints: liveness, readiness and Prometheus metrics (no auth, outside /v1)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine

from app.core.db import get_engine
from app.core.errors import problem_response
from app.core.routing import OneHopRoute
from app.ops import service

router = APIRouter(tags=["operations"], route_class=OneHopRoute)


@router.get("/livez")
async def livez() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "The database is unreachable"}})
def readyz(request: Request, engine: Annotated[Engine, Depends(get_engine)]) -> Response:
    """Ready when the database answers; 503 otherwise."""
    if service.database_reachable(engine):
        return JSONResponse({"status": "ok"})
    return problem_response(request, 503, "database_unavailable", "The database is not reachable.")


@router.get("/metrics", response_class=Response)
async def metrics() -> Response:
    """Prometheus metrics in the text exposition format."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
