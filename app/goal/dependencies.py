"""Validating dependencies: a goal id in the path becomes this tenant's Goal, or 404."""

from typing import Annotated

from fastapi import Depends, Path, Request

from app.core.auth import Principal, get_principal
from app.core.conditional import precondition
from app.core.db import DbSession
from app.goal import service
from app.goal.models import Goal

GoalId = Annotated[str, Path(max_length=40, description="The goal's id")]


def valid_owned_goal(
    request: Request,
    goal_id: GoalId,
    principal: Annotated[Principal, Depends(get_principal)],
    session: DbSession,
) -> Goal:
    """The caller's goal; another tenant's id answers 404 exactly like an unknown one."""
    goal = service.get_goal(session, tenant_id=principal.tenant_id, goal_id=goal_id)
    return precondition(request, session, goal)


OwnedGoal = Annotated[Goal, Depends(valid_owned_goal)]
