"""HTTP layer for the catalog of recommendations and the rules."""

from fastapi import APIRouter, Path

from app.coaching import service as coaching_service
from app.core.auth import Reader
from app.core.contract import retryable
from app.core.db import DbSession
from app.core.fields import NO_NUL
from app.core.routing import OneHopRoute
from app.recommendation import service
from app.recommendation.models import (
    EvaluationResult,
    RecommendationPublic,
    RuleEvaluation,
    RulePublic,
)

router = APIRouter(tags=["recommendations"], route_class=OneHopRoute)


@router.get("/recommendations", response_model=list[RecommendationPublic])
async def list_recommendations(_: Reader) -> list[RecommendationPublic]:
    """The ten recommendations (the catalog), in the order steps are shown."""
    return service.recommendations()


@router.get("/recommendations/{key}", response_model=RecommendationPublic)
async def read_recommendation(
    _: Reader, key: str = Path(max_length=64, pattern=NO_NUL, description="A recommendation key")
) -> RecommendationPublic:
    """One recommendation by its stable key."""
    return service.recommendation(key)


@router.get("/rules", response_model=list[RulePublic])
async def list_rules(_: Reader) -> list[RulePublic]:
    """Every rule: id, recommendation, version and description."""
    return service.rules()


@router.post("/rules/evaluate", response_model=EvaluationResult, openapi_extra=retryable())
def evaluate_rules(
    principal: Reader, evaluation: RuleEvaluation, session: DbSession
) -> EvaluationResult:
    """A dry run: the next steps a rejection would produce, with explanations; writes nothing."""
    steps = coaching_service.dry_run(
        session,
        tenant_id=principal.tenant_id,
        seeker_id=evaluation.seeker_id,
        rejection_in=evaluation.rejection,
    )
    return EvaluationResult(next_steps=steps)
