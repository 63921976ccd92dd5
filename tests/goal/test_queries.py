"""Listing goals with their progress costs a fixed number of SQL statements: no N+1."""

from sqlmodel import Session

from tests.factories import ApiCaller, count_statements


def _seeker_with_goals(api: ApiCaller, count: int) -> str:
    """A seeker with `count` goals, alternately applications and networking, each checked in."""
    seeker_id: str = api.seeker()["id"]
    for day in ("2026-03-02", "2026-03-03", "2026-03-09"):
        api.application(seeker_id, applied_on=day)
    for i in range(count):
        kind = "applications" if i % 2 == 0 else "networking"
        body = {"title": f"Goal {i}", "kind": kind, "target": 5, "start_on": "2026-03-02"}
        response = api.post(f"/v1/seekers/{seeker_id}/goals", json=body)
        assert response.status_code == 201, response.text
        check_in = api.post(f"/v1/goals/{response.json()['id']}/check-ins", json={"value": 2})
        assert check_in.status_code == 201, check_in.text
    return seeker_id


def _list_statements(api: ApiCaller, session: Session, seeker_id: str, count: int) -> int:
    url = f"/v1/seekers/{seeker_id}/goals?limit=200"
    api.get(url)  # warm up whatever a first request caches
    with count_statements(session) as statements:
        response = api.get(url)
    assert response.status_code == 200, response.text
    goals = response.json()["data"]
    assert len(goals) == count
    currents = {g["kind"]: g["progress"]["current"] for g in goals}
    assert currents["applications"] >= 2  # check-ins plus the applications of the current week
    return len(statements)


def test_list_goals_statement_count_does_not_grow_with_goals(
    api: ApiCaller, session: Session
) -> None:
    one = _seeker_with_goals(api, 1)
    fifty = _seeker_with_goals(api, 50)
    single = _list_statements(api, session, one, 1)
    many = _list_statements(api, session, fifty, 50)
    assert 0 < single == many, (single, many)
