"""Optimistic concurrency: ETag on every versioned resource, If-Match on PATCH and DELETE."""

from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session
from starlette.requests import Request

from app.core.conditional import VersionMismatch, precondition
from app.goal.models import Goal
from tests.factories import ApiCaller


def goal(api: ApiCaller) -> dict[str, Any]:
    seeker = api.seeker()
    return api.goal(seeker["id"], title="Meet 3 people", target=3)


def test_reads_and_writes_carry_the_version_as_etag(api: ApiCaller) -> None:
    seeker = api.seeker()
    assert api.get(f"/v1/seekers/{seeker['id']}").headers["etag"] == '"1"'
    changed = api.patch(f"/v1/seekers/{seeker['id']}", json={"display_name": "Ana"})
    assert changed.headers["etag"] == '"2"' and changed.json()["version"] == 2
    listed = api.get("/v1/seekers")
    assert "etag" not in listed.headers  # a list has no single version


def test_two_clients_editing_one_goal_the_stale_one_gets_412_and_the_first_write_stays(
    api: ApiCaller,
) -> None:
    created = goal(api)
    url = f"/v1/goals/{created['id']}"
    first_tag = api.get(url).headers["etag"]
    second_tag = api.get(url).headers["etag"]  # both clients read version 1

    first = api.patch(url, json={"title": "Meet 4 people"}, headers={"If-Match": first_tag})
    assert first.status_code == 200
    stale = api.patch(url, json={"title": "Meet 5 people"}, headers={"If-Match": second_tag})

    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["code"] == "version_mismatch"
    assert stale.headers["etag"] == first.headers["etag"]
    assert api.get(url).json()["title"] == "Meet 4 people"


def test_delete_with_a_stale_etag_is_412_and_keeps_the_resource(api: ApiCaller) -> None:
    seeker = api.seeker()
    application = api.application(seeker["id"])
    url = f"/v1/applications/{application['id']}"
    assert api.patch(url, json={"status": "screening"}).status_code == 200
    refused = api.delete(url, headers={"If-Match": '"1"'})
    assert refused.status_code == 412
    assert api.get(url).status_code == 200
    assert api.delete(url, headers={"If-Match": '"2"'}).status_code == 204
    assert api.get(url).status_code == 404


@pytest.mark.parametrize(("header", "status"), [('"9", "1"', 200), ("*", 200), ('W/"1"', 412)])
def test_if_match_takes_a_list_and_star_and_compares_strongly(
    api: ApiCaller, header: str, status: int
) -> None:
    created = goal(api)
    response = api.patch(
        f"/v1/goals/{created['id']}", json={"target": 4}, headers={"If-Match": header}
    )
    assert response.status_code == status


def test_without_if_match_a_write_goes_through(api: ApiCaller) -> None:
    created = goal(api)
    api.patch(f"/v1/goals/{created['id']}", json={"target": 4})
    assert api.patch(f"/v1/goals/{created['id']}", json={"target": 5}).status_code == 200


def test_if_match_on_a_next_step_is_the_steps_version_not_its_seekers(api: ApiCaller) -> None:
    seeker = api.seeker()
    api.patch(f"/v1/seekers/{seeker['id']}", json={"display_name": "Ana"})  # seeker at 2
    step = api.rejection(seeker["id"])["next_steps"][0]
    url = f"/v1/next-steps/{step['id']}"
    assert api.get(url).headers["etag"] == f'"{step["version"]}"'
    moved = api.patch(url, json={"status": "done"}, headers={"If-Match": f'"{step["version"]}"'})
    assert moved.status_code == 200
    again = api.patch(url, json={"status": "open"}, headers={"If-Match": f'"{step["version"]}"'})
    assert again.status_code == 412


def test_a_get_with_a_matching_if_none_match_is_304_without_a_body(api: ApiCaller) -> None:
    seeker = api.seeker()
    url = f"/v1/seekers/{seeker['id']}"
    tag = api.get(url).headers["etag"]
    cached = api.get(url, headers={"If-None-Match": tag})
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["etag"] == tag
    assert api.get(url, headers={"If-None-Match": f"W/{tag}"}).status_code == 304  # weak match
    api.patch(url, json={"display_name": "Ana"})
    assert api.get(url, headers={"If-None-Match": tag}).status_code == 200


def _patch_request(path: str, if_match: str) -> Request:
    scope = {
        "type": "http",
        "method": "PATCH",
        "path": path,
        "headers": [(b"if-match", if_match.encode())],
        "query_string": b"",
    }
    return Request(scope)


def test_a_resource_re_read_under_a_lock_is_checked_again_before_the_write(
    api: ApiCaller, session: Session
) -> None:
    created = goal(api)
    row = session.get(Goal, created["id"])
    assert row is not None
    precondition(_patch_request(f"/v1/goals/{row.id}", '"1"'), session, row)
    bump = update(Goal).where(Goal.id == row.id).values(version=2)
    session.execute(bump.execution_options(synchronize_session=False))  # another writer
    session.refresh(row)
    row.title = "Meet 9 people"
    with pytest.raises(VersionMismatch):
        session.flush()
    session.rollback()


def test_a_write_that_lost_a_race_fails_instead_of_overwriting(
    api: ApiCaller, session: Session
) -> None:
    created = goal(api)
    row = session.get(Goal, created["id"])
    assert row is not None
    bump = update(Goal).where(Goal.id == row.id).values(version=7)
    session.execute(bump.execution_options(synchronize_session=False))  # unseen by `row`
    row.title = "Meet 9 people"
    with pytest.raises(StaleDataError):
        session.flush()
    session.rollback()
