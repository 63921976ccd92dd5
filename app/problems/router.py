"""`GET /problems` and `GET /problems/{code}`: where every problem's `type` leads (no auth)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from app.core.errors import PROBLEM_RESPONSES, NotFound
from app.core.routing import OneHopRoute
from app.ops.docs import asset_url
from app.problems.catalog import CATALOG, type_uri
from app.problems.dependencies import HTML, Representation, representation
from app.problems.models import ProblemEntry, ProblemTypePublic
from app.problems.pages import entry_page, index_page

# Either representation may be cached for an hour, by the client or a shared cache, each
# variant apart: the catalog changes only with a release.
HEADERS = {"Vary": "Accept", "Cache-Control": "public, max-age=3600"}
HTML_ALSO: dict[int | str, dict[str, Any]] = {
    200: {"content": {HTML: {"schema": {"type": "string"}}}, "description": "HTML or JSON"}
}
UNKNOWN_CODE = {**PROBLEM_RESPONSES[404], "description": "No problem type has this code"}

router = APIRouter(prefix="/problems", tags=["problems"], route_class=OneHopRoute)


def _public(request: Request, entry: ProblemEntry) -> ProblemTypePublic:
    return ProblemTypePublic(
        code=entry.code,
        status=entry.status,
        title=entry.title,
        meaning=entry.meaning,
        action=entry.action,
        type=type_uri(str(request.base_url), entry.code),
    )


def _index_path(request: Request) -> str:
    return f"{request.scope.get('root_path', '')}{router.prefix}"


def _answer(form: Representation, json: Any, html: str) -> Response:
    if form is Representation.JSON:
        return JSONResponse(json, headers=HEADERS)
    return HTMLResponse(html, headers=HEADERS)


@router.get("", response_model=list[ProblemTypePublic], responses=HTML_ALSO)
async def list_problem_types(
    request: Request, form: Annotated[Representation, Depends(representation)]
) -> Response:
    """Every problem `code` the API can answer with, and what each means.

    HTML unless `Accept` prefers `application/json`.
    """
    types = [_public(request, entry).model_dump() for entry in CATALOG.values()]
    # The page links by path, not by `type`: the Host header is the client's to write.
    links = ((entry, f"{_index_path(request)}/{entry.code}") for entry in CATALOG.values())
    html = index_page(links, favicon_url=asset_url(request, "favicon.png"))
    return _answer(form, types, html)


@router.get(
    "/{code}",
    response_model=ProblemTypePublic,
    # Any string is a well-formed code, but FastAPI declares a 422 for every path parameter:
    # it is declared as what this app would send, a problem document.
    responses={**HTML_ALSO, 404: UNKNOWN_CODE, 422: PROBLEM_RESPONSES[422]},
)
async def read_problem_type(
    request: Request, code: str, form: Annotated[Representation, Depends(representation)]
) -> Response:
    """What one problem `code` means and what to do about it (the page its `type` names).

    HTML unless `Accept` prefers `application/json`; an unknown code is a 404 problem.
    """
    entry = CATALOG.get(code)
    if entry is None:  # checked before the code is echoed anywhere
        raise NotFound("No problem type has this code; GET /problems lists them all.")
    public = _public(request, entry)
    favicon_url = asset_url(request, "favicon.png")
    page = entry_page(entry, index_url=_index_path(request), favicon_url=favicon_url)
    return _answer(form, public.model_dump(), page)
