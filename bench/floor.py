"""The floor: FastAPI validating a rejection body, as Rebound does, and storing nothing.

`POST /rejections` takes `app.rejection.models.RejectionCreate` (the very model Rebound's route
validates) and answers it back with 201. Whatever Rebound spends beyond this is auth, the database,
the rules and the response it builds; nothing here can be made cheaper by Rebound.
"""

from fastapi import FastAPI, status

from app.rejection.models import RejectionCreate

app = FastAPI(title="floor")


@app.post("/rejections", status_code=status.HTTP_201_CREATED)
async def create_rejection(rejection: RejectionCreate) -> RejectionCreate:
    """Validate and echo: the framework's share of a rejection POST."""
    return rejection


@app.get("/livez")
async def livez() -> dict[str, str]:
    """For the bench's start-up probe."""
    return {"status": "ok"}
