"""Bodies must be JSON: a form post (curl -d with no header) is told so; nothing is written."""

from sqlalchemy import func, select
from sqlmodel import Session

from app.seeker.models import Seeker
from tests.factories import ApiCaller


def _seekers(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Seeker)) or 0


def test_form_encoded_body_is_415(api: ApiCaller, session: Session) -> None:
    before = _seekers(session)
    response = api.post(
        "/v1/seekers",
        content=b"display_name=Ana",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "unsupported_media_type"
    assert _seekers(session) == before


def test_json_with_charset_or_json_suffix_is_accepted(api: ApiCaller) -> None:
    for media_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = api.post(
            "/v1/seekers", content=b'{"display_name": "Ana"}', headers={"Content-Type": media_type}
        )
        assert response.status_code == 201, media_type
