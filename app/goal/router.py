"""HTTP layer for goals and check-ins."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.core.auth import GoalReader, GoalWriter
from app.core.contract import (
    NOT_MODIFIED,
    PRECONDITION_FAILED,
    conditional_read,
    conditional_write,
    goal_links,
    links,
    next_page,
    retryable,
)
from app.core.db import DbSession
from app.core.pagination import Page, PageParams, page_params, to_page
from app.core.routing import OneHopRoute
from app.goal import service
from app.goal.dependencies import OwnedGoal
from app.goal.models import (
    CheckInCreate,
    CheckInPublic,
    GoalCreate,
    GoalKind,
    GoalPublic,
    GoalStatus,
    GoalUpdate,
    PeriodPublic,
)
from app.seeker.dependencies import OwnedSeeker

router = APIRouter(tags=["goals"], route_class=OneHopRoute)
Params = Annotated[PageParams, Depends(page_params)]


@router.post(
    "/seekers/{seeker_id}/goals",
    status_code=status.HTTP_201_CREATED,
    response_model=GoalPublic,
    responses={201: links(**goal_links("id"))},
    openapi_extra=retryable(),
)
def create_goal(
    _: GoalWriter, goal_in: GoalCreate, seeker: OwnedSeeker, session: DbSession
) -> GoalPublic:
    """Set a goal: a target per week, per month, or once by a due date."""
    goal = service.create_goal(session, seeker=seeker, goal_in=goal_in)
    public = service.public_goals(session, seeker=seeker, goals=[goal])[0]
    session.commit()
    return public


@router.get(
    "/seekers/{seeker_id}/goals",
    response_model=Page[GoalPublic],
    responses={
        200: links(
            **goal_links("data/0/id"), **next_page("/seekers/{seeker_id}/goals", "seeker_id")
        )
    },
)
def list_goals(
    _: GoalReader,
    seeker: OwnedSeeker,
    session: DbSession,
    params: Params,
    goal_status: Annotated[GoalStatus | None, Query(alias="status")] = None,
    kind: GoalKind | None = None,
) -> Page[GoalPublic]:
    """The seeker's goals with their progress, newest first; `?status=` and `?kind=` filter."""
    goals, has_more, cursor = service.list_goals(
        session, seeker=seeker, params=params, status=goal_status, kind=kind
    )
    data = service.public_goals(session, seeker=seeker, goals=goals)
    return Page[GoalPublic](data=data, has_more=has_more, next_cursor=cursor)


@router.get(
    "/goals/{goal_id}",
    response_model=GoalPublic,
    responses=NOT_MODIFIED,
    openapi_extra=conditional_read(),
)
def read_goal(_: GoalReader, goal: OwnedGoal, session: DbSession) -> GoalPublic:
    """One goal with its progress."""
    return service.public_goals(session, seeker=service.owner_of(session, goal), goals=[goal])[0]


@router.patch(
    "/goals/{goal_id}",
    response_model=GoalPublic,
    responses=PRECONDITION_FAILED,
    openapi_extra=conditional_write(),
)
def update_goal(
    _: GoalWriter, goal_in: GoalUpdate, goal: OwnedGoal, session: DbSession
) -> GoalPublic:
    """Change the title, target or due date, or set `status` to `abandoned`."""
    goal = service.update_goal(session, goal=goal, goal_in=goal_in)
    public = service.public_goals(session, seeker=service.owner_of(session, goal), goals=[goal])
    session.commit()
    return public[0]


@router.delete(
    "/goals/{goal_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=PRECONDITION_FAILED,
    openapi_extra=conditional_write(),
)
def delete_goal(_: GoalWriter, goal: OwnedGoal, session: DbSession) -> Response:
    """Delete a goal and its check-ins."""
    service.delete_goal(session, goal=goal)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/goals/{goal_id}/check-ins",
    status_code=status.HTTP_201_CREATED,
    response_model=CheckInPublic,
    responses={201: links(**goal_links("goal_id"))},
    openapi_extra=retryable(),
)
def create_check_in(
    _: GoalWriter, check_in_in: CheckInCreate, goal: OwnedGoal, session: DbSession
) -> CheckInPublic:
    """Report progress (`value`, default 1) on an active goal; 409 on a closed one."""
    check_in = service.add_check_in(
        session, goal=goal, seeker=service.owner_of(session, goal), check_in_in=check_in_in
    )
    session.commit()
    return CheckInPublic.model_validate(check_in)


@router.get(
    "/goals/{goal_id}/check-ins",
    response_model=Page[CheckInPublic],
    responses={200: links(**next_page("/goals/{goal_id}/check-ins", "goal_id"))},
)
def list_check_ins(
    _: GoalReader, goal: OwnedGoal, session: DbSession, params: Params
) -> Page[CheckInPublic]:
    """A goal's check-ins, newest recorded first."""
    return to_page(service.list_check_ins(session, goal=goal, params=params), CheckInPublic)


@router.get("/goals/{goal_id}/periods", response_model=list[PeriodPublic])
def list_goal_periods(_: GoalReader, goal: OwnedGoal, session: DbSession) -> list[PeriodPublic]:
    """Every period so far, oldest first: its total, its target and whether it was met."""
    return service.periods_of(session, seeker=service.owner_of(session, goal), goal=goal)
