"""`Allow` on 405 answers: every method the addressed resource has, as the OpenAPI document says.

Starlette lists only the methods of the first route whose path matches, but FastAPI makes one
route per method: `/v1/seekers/{id}` would answer `Allow: GET` while it also takes PATCH and
DELETE. So the resource is found among the document's paths, in routing order (the first
template that matches wins, as in routing: `/v1/rejections/batch` before `{rejection_id}`), and
`Allow` lists that path's operations. Paths outside the document are tried method by method.
"""

import re
from functools import lru_cache

from starlette.requests import Request
from starlette.routing import Match, compile_path

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


@lru_cache(maxsize=256)
def _regex(template: str) -> re.Pattern[str]:
    return compile_path(template)[0]


def allowed_methods(request: Request) -> list[str]:
    """The methods of the resource at this request's path, in a fixed order."""
    path = request.scope["path"]
    for template, operations in request.app.openapi().get("paths", {}).items():
        if _regex(template).match(path):
            return [method for method in METHODS if method.lower() in operations]
    routes = request.app.router.routes
    allowed = []
    for method in METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in routes):
            allowed.append(method)
    return allowed
