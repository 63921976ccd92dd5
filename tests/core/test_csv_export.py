"""`?format=csv` on every list that has it: the JSON list's rows, what is refused, and what
another tenant gets. (Each list's columns and values are pinned next to its domain's tests.)"""

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest

from tests.factories import ApiCaller, csv_export, json_ids

PROBLEM = "application/problem+json"
LISTS: dict[str, Callable[..., Any]] = {  # kind -> (api, seeker id, company) -> a new item
    "rejections": lambda api, sid, company="Hooli": api.rejection(sid, company=company),
    "applications": lambda api, sid, company="Hooli": api.application(sid, company=company),
}


@pytest.mark.parametrize("kind", LISTS)
def test_the_export_lists_what_the_json_list_lists(
    api: ApiCaller, other_api: ApiCaller, kind: str
) -> None:
    seeker, neighbour = api.seeker(), api.seeker()
    for company in ("Acme", "Globex", "Initech"):
        LISTS[kind](api, seeker["id"], company)
    LISTS[kind](api, neighbour["id"], "Umbrella")
    LISTS[kind](other_api, other_api.seeker()["id"])
    url = f"/v1/seekers/{seeker['id']}/{kind}"
    rows = list(csv.DictReader(io.StringIO(csv_export(api, url).content.decode("utf-8-sig"))))
    assert [row["id"] for row in rows] == json_ids(api, url)
    assert {row["company"] for row in rows} == {"Acme", "Globex", "Initech"}


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
