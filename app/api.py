"""The /v1 router: one include line per domain."""

from fastapi import APIRouter, Depends

from app.application.router import router as application_router
from app.attention.router import router as attention_router
from app.chart.router import router as chart_router
from app.core.errors import PROBLEM_RESPONSES
from app.goal.router import router as goal_router
from app.idempotency.dependencies import idempotency_guard
from app.insight.router import router as insight_router
from app.next_step.router import router as next_step_router
from app.recommendation.router import router as recommendation_router
from app.rejection.router import router as rejection_router
from app.seeker.router import router as seeker_router
from app.webhook.router import router as webhook_router

api_router = APIRouter(
    prefix="/v1",
    responses=PROBLEM_RESPONSES,
    dependencies=[Depends(idempotency_guard)],  # every POST takes an Idempotency-Key
)
api_router.include_router(seeker_router)
api_router.include_router(application_router)
api_router.include_router(rejection_router)
api_router.include_router(next_step_router)
api_router.include_router(recommendation_router)
api_router.include_router(goal_router)
api_router.include_router(webhook_router)
api_router.include_router(insight_router)
api_router.include_router(attention_router)
api_router.include_router(chart_router)
