"""The documentation pages work offline: every asset they reference is served by the service."""

import re
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

PAGES = ["/docs", "/redoc", "/problems", "/problems/missing_scope"]
# An absolute or scheme-relative URL anywhere in a page: a script, a style, an icon, a font, a
# link, or a URL inside inline script or CSS.
EXTERNAL = re.compile(r"(?:[a-z][a-z0-9+.-]*:)?//[^\s\"'<>)]+", re.IGNORECASE)
REFERENCES = (
    re.compile(r"""\b(?:src|href|spec-url)\s*=\s*["']([^"']+)["']"""),
    re.compile(r"""\burl:\s*'([^']+)'"""),  # Swagger UI's OpenAPI document
)
TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    "": "text/html",
}


def references(html: str) -> list[str]:
    """Every URL a page loads or links to."""
    return [url for pattern in REFERENCES for url in pattern.findall(html)]


def _suffix(url: str) -> str:
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return name[name.rfind(".") :] if "." in name else ""


@pytest.mark.parametrize("page", PAGES)
def test_page_references_no_external_host(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert EXTERNAL.findall(response.text) == []
    assert references(response.text), "the scan found nothing to check"


@pytest.mark.parametrize("page", PAGES)
def test_every_asset_a_page_references_is_served_here(client: TestClient, page: str) -> None:
    for url in references(client.get(page).text):
        response = client.get(url)
        assert response.status_code == 200, url
        media_type = response.headers["content-type"].split(";")[0]
        assert media_type == TYPES[_suffix(url)], url
        assert response.content, url


def test_docs_pages_load_scripts_styles_and_the_icon_from_the_service(client: TestClient) -> None:
    swagger, redoc = (references(client.get(page).text) for page in ("/docs", "/redoc"))
    assert {_suffix(url) for url in swagger} == {".css", ".png", ".js", ".json"}
    assert {_suffix(url) for url in redoc} == {".png", ".js", ".json"}


def test_docs_pages_forbid_loading_from_elsewhere(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        response = client.get(page)
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy
        assert EXTERNAL.findall(policy) == [] and "*" not in policy
        assert response.headers["cache-control"] == "no-cache"  # new digests show up at once


def test_redoc_loads_its_logo_from_beside_the_page(client: TestClient) -> None:
    script_url = next(u for u in references(client.get("/redoc").text) if u.endswith(".js"))
    script = client.get(script_url).text
    assert "cdn.redoc.ly" not in script
    assert 'window.location.pathname+"/logo-mini.svg"' in script
    logo = client.get("/redoc/logo-mini.svg")
    assert logo.status_code == 200
    assert logo.headers["content-type"] == "image/svg+xml"


def test_assets_are_cached_for_good_and_revalidate_to_304(client: TestClient) -> None:
    url = next(u for u in references(client.get("/docs").text) if u.endswith(".css"))
    first = client.get(url)
    assert first.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert first.headers["x-content-type-options"] == "nosniff"
    again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize(
    "path",
    [
        "/docs/assets/0000000000000000/swagger-ui.css",  # another version's URL
        "/docs/assets/{digest}/index.html",  # a file of the package that is not served
        "/docs/assets/{digest}/..%2Fswagger%2Fswagger-ui.css",
    ],
)
def test_unknown_asset_is_a_404_problem(client: TestClient, path: str) -> None:
    url = next(u for u in references(client.get("/docs").text) if u.endswith(".css"))
    digest = url.split("/")[-2]
    response = client.get(path.format(digest=digest))
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_docs_routes_are_left_out_of_the_openapi_document(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    assert not [p for p in paths if p.startswith(("/docs", "/redoc"))]
