"""The naive peer: one rejection stored per request the way the FastAPI tutorial teaches.

A sync endpoint, a `yield` session dependency (`with Session(engine) as session`), then
`session.add`, `session.commit` and `session.refresh`; the engine as the tutorial builds it (no
pragmas, no pool tuning). Its own table (`peer_rejection`: the rejection fields plus an integer
id) in its own database, `PEER_DATABASE_URL`: a SQLite file of its own, or a PostgreSQL database
of its own when the bench runs on PostgreSQL. `GET /rejections?limit=50` lists rows the same naive
way (ORM objects, `offset`/`limit`).

Nothing here is Rebound's: no auth, no history, no rules, no outbox. It is the cost of "one row
through SQLModel", against which Rebound's whole POST is compared.
"""

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Query, status
from sqlmodel import Field, Session, SQLModel, create_engine, select

from app.rejection.models import RejectionBase, RejectionCreate

DATABASE_URL = os.environ.get("PEER_DATABASE_URL", "sqlite:///peer.db")
connect_args = {"check_same_thread": False} if DATABASE_URL.startswith("sqlite") else {}
engine = create_engine(DATABASE_URL, connect_args=connect_args)


class PeerRejection(RejectionBase, table=True):
    """One stored rejection."""

    __tablename__ = "peer_rejection"

    id: int | None = Field(default=None, primary_key=True)


class PeerRejectionPublic(RejectionBase):
    """A stored rejection as the peer answers it."""

    id: int


def get_session() -> Iterator[Session]:
    """One session per request."""
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    """Create the peer's one table (and only it: the process also knows Rebound's models)."""
    SQLModel.metadata.create_all(engine, tables=[PeerRejection.__table__])  # type: ignore[list-item]
    yield


app = FastAPI(title="naive peer", lifespan=lifespan)


@app.post("/rejections", response_model=PeerRejectionPublic, status_code=status.HTTP_201_CREATED)
def create_rejection(rejection: RejectionCreate, session: SessionDep) -> PeerRejection:
    """Store the body as one row."""
    row = PeerRejection.model_validate(rejection)
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


@app.get("/rejections", response_model=list[PeerRejectionPublic])
def list_rejections(
    session: SessionDep,
    offset: int = 0,
    limit: Annotated[int, Query(le=100)] = 50,
) -> list[PeerRejection]:
    """A page of rows, as ORM objects."""
    return list(session.exec(select(PeerRejection).offset(offset).limit(limit)).all())


@app.get("/livez")
async def livez() -> dict[str, str]:
    """For the bench's start-up probe."""
    return {"status": "ok"}
