"""Bad requests beyond the fields: broken JSON, oversize bodies, bad cursors, limits and ids."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session

from tests.factories import ApiCaller
from tests.test_bad_input import REJECTION, assert_problem, pointers, stored

WRITES = [
    ("POST", "/v1/seekers"),
    ("PATCH", "/v1/seekers/{seeker_id}"),
    ("POST", "/v1/seekers/{seeker_id}/applications"),
    ("PATCH", "/v1/applications/{application_id}"),
    ("POST", "/v1/seekers/{seeker_id}/rejections"),
    ("POST", "/v1/rejections/batch"),
]
ITEM_ROUTES: list[tuple[str, str, Any]] = [
    ("GET", "/v1/seekers/{id}", None),
    ("PATCH", "/v1/seekers/{id}", {"display_name": "X"}),
    ("DELETE", "/v1/seekers/{id}", None),
    ("GET", "/v1/seekers/{id}/export", None),
    ("GET", "/v1/seekers/{id}/applications", None),
    ("POST", "/v1/seekers/{id}/rejections", REJECTION),
    ("GET", "/v1/applications/{id}", None),
    ("PATCH", "/v1/applications/{id}", {"status": "withdrawn"}),
    ("DELETE", "/v1/applications/{id}", None),
    ("GET", "/v1/rejections/{id}", None),
    ("DELETE", "/v1/rejections/{id}", None),
]
JSON = {"Content-Type": "application/json"}
MALFORMED = {
    "truncated": b'{"company": "Acme",',
    "single_quotes": b"{'company': 'Acme'}",
    "trailing_comma": b'{"company": "Acme",}',
    "bad_utf8": b'{"company": "\xff\xfe"}',
    "too_deep": b"[" * 100_000,
}
NOT_AN_OBJECT = {"array": b"[]", "list_of_objects": b'[{"company": "Acme"}]', "number": b"5"}


@pytest.fixture
def ids(api: ApiCaller) -> dict[str, str]:
    """A seeker with one application."""
    seeker = api.seeker()
    return {"seeker_id": seeker["id"], "application_id": api.application(seeker["id"])["id"]}


@pytest.mark.parametrize("kind", MALFORMED)
@pytest.mark.parametrize("route", WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_write_refuses_malformed_json(
    route: tuple[str, str], kind: str, api: ApiCaller, ids: dict[str, str], session: Session
) -> None:
    method, template = route
    before = stored(session, api, ids)
    response = api.request(method, template.format(**ids), content=MALFORMED[kind], headers=JSON)
    assert_problem(response, 400, "malformed_json")
    assert stored(session, api, ids) == before


@pytest.mark.parametrize("kind", NOT_AN_OBJECT)
@pytest.mark.parametrize("route", WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_write_refuses_json_that_is_not_an_object(
    route: tuple[str, str], kind: str, api: ApiCaller, ids: dict[str, str], session: Session
) -> None:
    method, template = route
    before = stored(session, api, ids)
    body = NOT_AN_OBJECT[kind]
    response = api.request(method, template.format(**ids), content=body, headers=JSON)
    assert pointers(assert_problem(response, 422, "validation_failed")) == [""]
    assert stored(session, api, ids) == before


def test_create_seeker_refuses_empty_or_non_json_body(api: ApiCaller) -> None:
    assert_problem(api.post("/v1/seekers", content=b"", headers=JSON), 422)
    text = {"Content-Type": "text/plain"}
    response = api.post("/v1/seekers", content=b'{"display_name": "Sam"}', headers=text)
    assert 400 <= response.status_code < 500
    assert_problem(response, response.status_code)


def oversize_rejection() -> bytes:
    """A rejection whose note pushes the body just over 1 MiB."""
    return b'{"company": "A", "role": "B", "stage": "interview", "note": "' + b"x" * 2**20 + b'"}'


def chunks(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """`data` as a stream, so the request has no Content-Length (chunked)."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


@pytest.mark.parametrize("streamed", [False, True], ids=["content_length", "chunked"])
def test_create_rejection_refuses_body_over_one_mebibyte(
    streamed: bool, api: ApiCaller, ids: dict[str, str], session: Session
) -> None:
    before = stored(session, api, ids)
    data = oversize_rejection()
    content: Any = chunks(data) if streamed else data
    url = f"/v1/seekers/{ids['seeker_id']}/rejections"
    response = api.post(url, content=content, headers=JSON)
    assert ("content-length" in response.request.headers) is not streamed
    assert_problem(response, 413, "payload_too_large")
    assert stored(session, api, ids) == before


def test_create_rejection_batch_refuses_body_over_one_mebibyte(
    api: ApiCaller, ids: dict[str, str], session: Session
) -> None:
    item = {**REJECTION, "seeker_id": ids["seeker_id"], "note": "x" * 9_000}
    before = stored(session, api, ids)
    response = api.post("/v1/rejections/batch", json={"items": [item] * 120})
    assert_problem(response, 413, "payload_too_large")
    assert stored(session, api, ids) == before


def a_cursor(api: ApiCaller, url: str, **params: Any) -> str:
    """The next_cursor of the first one-item page of `url`."""
    cursor: str = api.get(url, params={"limit": 1, **params}).json()["next_cursor"]
    assert cursor
    return cursor


def flip(text: str, index: int) -> str:
    """`text` with one character changed."""
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


@pytest.mark.parametrize(
    "make",
    [
        lambda _c: "abc",
        lambda _c: "abc.def",
        lambda _c: ".",
        lambda _c: "é.ü",
        lambda _c: "%00",
        lambda c: flip(c, 3),
        lambda c: flip(c, len(c) - 2),
        lambda c: c.split(".")[0],
        lambda c: c + "x",
    ],
    ids=[
        "junk",
        "junk_signed",
        "dot",
        "non_ascii",
        "percent",
        "body",
        "signature",
        "unsigned",
        "x",
    ],
)
def test_list_seekers_refuses_tampered_cursor(api: ApiCaller, make: Any) -> None:
    api.seeker()
    api.seeker()
    cursor = make(a_cursor(api, "/v1/seekers"))
    response = api.get("/v1/seekers", params={"cursor": cursor})
    assert_problem(response, 400, "invalid_cursor")


def test_list_refuses_cursor_of_another_list(api: ApiCaller) -> None:
    first, second = api.seeker(external_id="crm-1")["id"], api.seeker()["id"]
    for seeker in (first, second):
        api.rejection(seeker)
        api.rejection(seeker)
        api.application(seeker)
        api.application(seeker)
    foreign = [
        (f"/v1/seekers/{first}/rejections", f"/v1/seekers/{second}/rejections", {}),
        (f"/v1/seekers/{first}/applications", f"/v1/seekers/{first}/rejections", {}),
        ("/v1/seekers", f"/v1/seekers/{first}/applications", {}),
        ("/v1/seekers", "/v1/seekers", {"external_id": "crm-1"}),
    ]
    for source, target, params in foreign:
        cursor = a_cursor(api, source)
        response = api.get(target, params={"cursor": cursor, **params})
        assert_problem(response, 400, "invalid_cursor")


@pytest.mark.parametrize("limit", ["0", "201", "-1", "ten", "1.5", "9" * 30])
@pytest.mark.parametrize("url", ["/v1/seekers", "/v1/seekers/{seeker_id}/rejections"])
def test_list_refuses_limit_out_of_range(
    url: str, limit: str, api: ApiCaller, ids: dict[str, str]
) -> None:
    response = api.get(url.format(**ids), params={"limit": limit})
    body = assert_problem(response, 422, "validation_failed")
    assert [e["parameter"] for e in body["errors"]] == ["limit"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"external_id": "x" * 256}, 422),
        ({"cursor": "x" * 513}, 400),
        ({"external_id": "crm\x00"}, 400),
    ],
    ids=["long_external_id", "long_cursor", "nul_external_id"],
)
def test_list_seekers_refuses_bad_query(
    params: dict[str, str], status: int, api: ApiCaller
) -> None:
    assert_problem(api.get("/v1/seekers", params=params), status)


@pytest.mark.parametrize(
    "bad_id",
    ["x" * 41, "x" * 5_000, "skr_%00", "skr_\u00e9\U0001f600", "1 OR 1=1", "%25", "..%2f..%2fetc"],
    ids=["41", "5000", "nul", "unicode", "sql", "percent", "traversal"],
)
@pytest.mark.parametrize("route", ITEM_ROUTES, ids=[f"{m} {p}" for m, p, _ in ITEM_ROUTES])
def test_item_route_refuses_bad_id_without_error(
    route: tuple[str, str, Any], bad_id: str, api: ApiCaller, ids: dict[str, str], session: Session
) -> None:
    method, template, body = route
    before = stored(session, api, ids)
    response = api.request(method, template.replace("{id}", bad_id), json=body)
    assert response.status_code in {400, 404, 422}, response.text
    assert_problem(response, response.status_code)
    assert stored(session, api, ids) == before
