"""`?format=csv` on every list that has it: what is refused, and what another tenant gets."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.factories import ApiCaller

PROBLEM = "application/problem+json"
LISTS: dict[str, Callable[[ApiCaller, str], Any]] = {
    "rejections": lambda api, sid: api.rejection(sid, company="Hooli"),
    "applications": lambda api, sid: api.application(sid, company="Hooli"),
}


@pytest.mark.parametrize("kind", LISTS)
@pytest.mark.parametrize("value", ["xlsx", "CSV", ""])
def test_an_unknown_format_is_a_problem(api: ApiCaller, kind: str, value: str) -> None:
    seeker = api.seeker()
    response = api.get(f"/v1/seekers/{seeker['id']}/{kind}", params={"format": value})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["parameter"] == "format"


@pytest.mark.parametrize("kind", LISTS)
@pytest.mark.parametrize("paging", [{"limit": 10}, {"cursor": "abc"}, {"limit": 1, "cursor": "x"}])
def test_limit_and_cursor_are_refused_with_csv(
    api: ApiCaller, kind: str, paging: dict[str, Any]
) -> None:
    seeker = api.seeker()
    response = api.get(f"/v1/seekers/{seeker['id']}/{kind}", params={"format": "csv", **paging})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert [e["parameter"] for e in response.json()["errors"]] == list(paging)


@pytest.mark.parametrize("kind", LISTS)
def test_another_tenants_export_is_not_found(
    api: ApiCaller, other_api: ApiCaller, kind: str
) -> None:
    stranger = other_api.seeker()
    LISTS[kind](other_api, stranger["id"])
    unknown = api.get(f"/v1/seekers/skr_unknown/{kind}", params={"format": "csv"})
    response = api.get(f"/v1/seekers/{stranger['id']}/{kind}", params={"format": "csv"})
    assert response.status_code == unknown.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == unknown.json()["code"]
    assert "Hooli" not in response.text
