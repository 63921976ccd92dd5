"""Every problem's `type` resolves on the service: HTML for people, JSON for programs."""

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.problems.catalog import CATALOG
from app.problems.models import ProblemEntry
from app.problems.pages import entry_page

PROBLEM = "application/problem+json"
JSON = {"Accept": "application/json"}


def _problem(response: Any) -> dict[str, Any]:
    assert response.headers["content-type"] == PROBLEM, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_problem_type_is_an_absolute_url_on_the_host_called(client: TestClient) -> None:
    body = _problem(client.get("/v1/seekers"))
    assert body["type"] == "http://testserver/problems/missing_api_key"
    behind = client.get("/v1/seekers", headers={"Host": "api.example.org:8443"})
    assert _problem(behind)["type"] == "http://api.example.org:8443/problems/missing_api_key"


def test_a_problem_type_keeps_the_prefix_and_scheme_the_service_is_served_under(
    app: FastAPI,
) -> None:
    with TestClient(app, base_url="https://rebound.test", root_path="/api") as client:
        body = _problem(client.get("/api/v1/seekers"))
        assert body["type"] == "https://rebound.test/api/problems/missing_api_key"
        page = client.get("/api/problems/missing_api_key")
        assert page.status_code == 200
        assert 'href="/api/problems"' in page.text


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "code"),
    [
        ("GET", "/v1/seekers", {}, "missing_api_key"),
        ("GET", "/v1/nothing-here", {}, "not_found"),
        ("DELETE", "/livez", {}, "method_not_allowed"),
        ("GET", "/v1/seekers%00", {}, "invalid_url"),
        ("POST", "/v1/seekers", {"content": b"x", "headers": {"Content-Type": "text/plain"}}, None),
        ("POST", "/v1/seekers", {"content": b"x" * (2 << 20)}, "payload_too_large"),
    ],
)
def test_the_type_of_a_real_problem_leads_to_its_page(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any], code: str | None
) -> None:
    body = _problem(client.request(method, path, **kwargs))
    assert code is None or body["code"] == code
    assert body["type"] == f"http://testserver/problems/{body['code']}"
    page = client.get(body["type"], headers=JSON)
    assert page.status_code == 200
    assert page.json()["code"] == body["code"]
    assert page.json()["status"] == body["status"]
    assert page.json()["type"] == body["type"]


@pytest.mark.parametrize("code", CATALOG)
def test_each_code_has_a_page_in_html_and_in_json(client: TestClient, code: str) -> None:
    entry = CATALOG[code]
    html = client.get(f"/problems/{code}")
    assert html.status_code == 200
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert f"<code>{code}</code>" in html.text
    as_json = client.get(f"/problems/{code}", headers=JSON)
    assert as_json.headers["content-type"] == "application/json"
    assert as_json.json() == {
        "code": code,
        "status": entry.status,
        "title": entry.title,
        "meaning": entry.meaning,
        "action": entry.action,
        "type": f"http://testserver/problems/{code}",
    }


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/html"),
        ("*/*", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("application/json", "application/json"),
        ("APPLICATION/JSON", "application/json"),
        ("application/*", "application/json"),
        ("application/json, text/html;q=0.9", "application/json"),
        ("text/html, application/json;q=0.9", "text/html"),
        ("application/json, text/html", "text/html"),  # a tie goes to the page
        ("text/*;q=0.3, application/json;q=0.4", "application/json"),
        ("application/json;q=0, */*", "text/html"),
        ("application/json;q=oops, text/html;q=0.1", "text/html"),
        ("image/png", "text/html"),
        ("nonsense", "text/html"),
    ],
)
def test_problem_pages_negotiate_on_accept(
    client: TestClient, accept: str | None, expected: str
) -> None:
    headers = {} if accept is None else {"Accept": accept}
    for path in ("/problems", "/problems/rate_limited"):
        response = client.get(path, headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == expected, (path, accept)
        assert response.headers["vary"] == "Accept"
        assert response.headers["cache-control"].startswith("public")


def test_the_list_names_every_code_in_both_forms(client: TestClient) -> None:
    listed = client.get("/problems", headers=JSON).json()
    assert [item["code"] for item in listed] == list(CATALOG)
    assert all(item["type"] == f"http://testserver/problems/{item['code']}" for item in listed)
    page = client.get("/problems").text
    for code in CATALOG:
        assert f'<a href="/problems/{code}"><code>{code}</code></a>' in page


@pytest.mark.parametrize(
    "code", ["nope", "<script>alert(1)</script>", "Missing_Scope", "missing_scope.html", "é" * 300]
)
def test_an_unknown_code_is_a_404_problem_that_does_not_echo_it(
    client: TestClient, code: str
) -> None:
    response = client.get(f"/problems/{code}", headers={"Accept": "text/html"})
    assert response.status_code == 404
    body = _problem(response)  # JSON even to a browser: no page is made from the code
    assert body["code"] == "not_found"
    assert code not in body["detail"]


def test_the_page_escapes_its_text_and_sets_literal_names_as_code() -> None:
    entry = ProblemEntry("x_y", 409, "A <b> & c", "Send `<key>` & wait.", "Do `this` now.")
    page = entry_page(entry, index_url="/problems", favicon_url="/icon.png")
    assert "<b>" not in page and "A &lt;b&gt; &amp; c" in page
    assert "Send <code>&lt;key&gt;</code> &amp; wait." in page
    assert "Do <code>this</code> now." in page


def test_the_problem_routes_are_in_the_openapi_document(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    for path in ("/problems", "/problems/{code}"):
        operation = paths[path]["get"]
        assert "security" not in operation
        assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/html"}
    assert list(paths["/problems/{code}"]["get"]["responses"]["404"]["content"]) == [PROBLEM]
