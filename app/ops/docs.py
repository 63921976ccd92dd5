"""The API documentation, `/docs` (Swagger UI) and `/redoc` (ReDoc), with every asset served here.

FastAPI's own pages load their scripts, styles and favicon from public hosts, so they are blank
offline and on networks that block them. These pages load the same assets from this service:
the files ship in the `fastapi-standalone-docs` package (whose ReDoc build also loads its logo
from next to the page instead of a CDN). Only its files are used, not its code, which patches
FastAPI's functions globally.

Asset URLs carry a digest of the file, so a new package version is a new URL and the files can
be cached for good (`immutable`); the pages themselves are revalidated, to pick up new digests.
"""

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from app.core.conditional import client_has
from app.core.errors import NotFound
from app.core.routing import OneHopRoute

ASSETS_PATH = "/docs/assets"
STATIC = files("fastapi_standalone_docs") / "static"
FOREVER = "public, max-age=31536000, immutable"
DAY = "public, max-age=86400"
# The pages run one inline script (Swagger UI's start-up) and ReDoc injects its styles and runs
# its search in a blob worker; nothing is loaded from anywhere but here.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Asset:
    """A file of the documentation pages: where it ships, and what it is."""

    resource: str
    media_type: str


ASSETS = {
    "swagger-ui-bundle.js": Asset("swagger/swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    "swagger-ui.css": Asset("swagger/swagger-ui.css", "text/css; charset=utf-8"),
    "redoc.standalone.js": Asset("redoc/redoc.standalone.js", "text/javascript; charset=utf-8"),
    "favicon.png": Asset("fastapi/favicon.png", "image/png"),
}
REDOC_LOGO = Asset("redoc/logo-mini.svg", "image/svg+xml")

router = APIRouter(tags=["operations"], include_in_schema=False, route_class=OneHopRoute)


@cache
def _load(asset: Asset) -> tuple[bytes, str]:
    body = (STATIC / asset.resource).read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:16]


def asset_url(request: Request, name: str) -> str:
    """The URL of a documentation asset, below the prefix the service is served under."""
    _, digest = _load(ASSETS[name])
    return f"{request.scope.get('root_path', '')}{ASSETS_PATH}/{digest}/{name}"


def _page(html: HTMLResponse) -> HTMLResponse:
    html.headers["Cache-Control"] = "no-cache"
    html.headers["Content-Security-Policy"] = PAGE_POLICY
    return html


def _file(request: Request, asset: Asset, cache_control: str) -> Response:
    body, digest = _load(asset)
    tag = f'"{digest}"'
    headers = {"Cache-Control": cache_control, "ETag": tag, "X-Content-Type-Options": "nosniff"}
    if client_has(request.headers, tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=asset.media_type, headers=headers)


def _openapi_url(request: Request) -> str:
    return f"{request.scope.get('root_path', '')}{request.app.openapi_url}"


@router.get("/docs")
def read_swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over the OpenAPI document."""
    return _page(
        get_swagger_ui_html(
            openapi_url=_openapi_url(request),
            title=f"{request.app.title} — API documentation",
            swagger_js_url=asset_url(request, "swagger-ui-bundle.js"),
            swagger_css_url=asset_url(request, "swagger-ui.css"),
            swagger_favicon_url=asset_url(request, "favicon.png"),
            oauth2_redirect_url=None,
            # Swagger UI would otherwise send the document's URL to a public validator.
            swagger_ui_parameters={"validatorUrl": None},
        )
    )


@router.get("/redoc")
def read_redoc(request: Request) -> HTMLResponse:
    """ReDoc over the OpenAPI document."""
    return _page(
        get_redoc_html(
            openapi_url=_openapi_url(request),
            title=f"{request.app.title} — API reference",
            redoc_js_url=asset_url(request, "redoc.standalone.js"),
            redoc_favicon_url=asset_url(request, "favicon.png"),
            with_google_fonts=False,
        )
    )


@router.get("/redoc/logo-mini.svg")
def read_redoc_logo(request: Request) -> Response:
    """ReDoc's "powered by" logo, which its script requests next to the page, at a fixed URL."""
    return _file(request, REDOC_LOGO, DAY)


@router.get(ASSETS_PATH + "/{digest}/{name}")
def read_asset(request: Request, digest: str, name: str) -> Response:
    """A script, style sheet or icon of the documentation pages, cached for good."""
    asset = ASSETS.get(name)
    # Another digest named another version of the file: serving this one there would break
    # the promise that the URL's content never changes.
    if asset is None or _load(asset)[1] != digest:
        raise NotFound("No such documentation asset.")
    return _file(request, asset, FOREVER)
