"""HTTP layer for next steps."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.coaching import service as coaching_service
from app.core.auth import GoalWriter, Reader, Writer
from app.core.contract import (
    NOT_MODIFIED,
    PRECONDITION_FAILED,
    conditional_read,
    conditional_write,
    goal_links,
    links,
    next_page,
    next_step_links,
    retryable,
)
from app.core.db import DbSession
from app.core.pagination import Page, PageParams, page_params
from app.core.routing import OneHopRoute
from app.goal.models import GoalPublic
from app.next_step import service
from app.next_step.dependencies import OwnedNextStep
from app.next_step.models import NextStepPublic, NextStepUpdate, StepStatus
from app.seeker.dependencies import OwnedSeeker

router = APIRouter(tags=["next steps"], route_class=OneHopRoute)


@router.get(
    "/seekers/{seeker_id}/next-steps",
    response_model=Page[NextStepPublic],
    responses={
        200: links(
            **next_step_links("data/0/id"),
            **next_page("/seekers/{seeker_id}/next-steps", "seeker_id"),
        )
    },
)
def list_next_steps(
    _: Reader,
    seeker: OwnedSeeker,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    status: Annotated[StepStatus, Query(description="Which steps; default open")] = StepStatus.OPEN,
) -> Page[NextStepPublic]:
    """The seeker's steps in one status, by priority, then due time."""
    steps, has_more, cursor = service.list_next_steps(
        session, seeker_id=seeker.id, status=status, params=params
    )
    return Page[NextStepPublic](data=steps, has_more=has_more, next_cursor=cursor)


@router.get(
    "/next-steps/{next_step_id}",
    response_model=NextStepPublic,
    responses=NOT_MODIFIED,
    openapi_extra=conditional_read(),
)
async def read_next_step(_: Reader, step: OwnedNextStep) -> NextStepPublic:
    """One next step, with why it was made."""
    return service.to_public(step)


@router.post(
    "/next-steps/{next_step_id}/accept-goal",
    status_code=status.HTTP_201_CREATED,
    response_model=GoalPublic,
    responses={
        200: {
            "model": GoalPublic,
            "description": "Accepted before: the same goal",
            **links(**goal_links("id")),
        },
        201: links(**goal_links("id")),
    },
    openapi_extra=retryable(),
)
def accept_goal(
    _: GoalWriter, step: OwnedNextStep, session: DbSession, response: Response
) -> GoalPublic:
    """Create the goal the step suggests (linked by recommendation) and mark the step done."""
    goal, created = coaching_service.accept_goal(session, step=step)
    session.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return goal


@router.patch(
    "/next-steps/{next_step_id}",
    response_model=NextStepPublic,
    responses=PRECONDITION_FAILED,
    openapi_extra=conditional_write(),
)
def update_next_step(
    _: Writer, step_in: NextStepUpdate, step: OwnedNextStep, session: DbSession
) -> NextStepPublic:
    """Mark a step done, dismissed, snoozed until a time, or open again; 409 if not allowed."""
    step = service.update_next_step(session, step=step, step_in=step_in)
    session.commit()
    return service.to_public(step)
