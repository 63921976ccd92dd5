"""Small factories for tests: tenants with keys, an authenticated caller, a statement counter,
and readers of list exports."""

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from app.tenant import service as tenant_service
from app.tenant.models import Scope


@dataclass
class TenantWithKey:
    """A tenant and the plain secret of one of its keys."""

    tenant_id: str
    key_id: str
    secret: str


def make_tenant(
    session: Session, name: str, scopes: tuple[Scope, ...] = (Scope.ALL,)
) -> TenantWithKey:
    """Create a tenant and a key with `scopes`."""
    tenant = tenant_service.create_tenant(session, name=name)
    issued = tenant_service.create_key(session, tenant=tenant, name="test", scopes=scopes)
    session.commit()
    return TenantWithKey(tenant.id, issued.key.id, issued.secret)


def make_key(session: Session, tenant_id: str, scopes: tuple[Scope, ...]) -> str:
    """Another key for an existing tenant."""
    tenant = tenant_service.find_tenant(session, tenant_id)
    issued = tenant_service.create_key(session, tenant=tenant, name="extra", scopes=scopes)
    session.commit()
    return issued.secret


class ApiCaller:
    """A TestClient that sends one tenant's API key with every request."""

    def __init__(self, client: TestClient, secret: str) -> None:
        self.client = client
        self.secret = secret

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send a request with this caller's key."""
        headers = {"Authorization": f"Bearer {self.secret}", **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """GET with the key."""
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """POST with the key."""
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        """PATCH with the key."""
        return self.request("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        """DELETE with the key."""
        return self.request("DELETE", url, **kwargs)

    def seeker(self, **fields: Any) -> dict[str, Any]:
        """Create a seeker and return its JSON."""
        response = self.post("/v1/seekers", json={"display_name": "Sam", **fields})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def application(self, seeker_id: str, **fields: Any) -> dict[str, Any]:
        """Record an application and return its JSON."""
        payload = {"company": "Acme", "role": "Data Analyst", **fields}
        response = self.post(f"/v1/seekers/{seeker_id}/applications", json=payload)
        assert response.status_code in (200, 201), response.text
        body: dict[str, Any] = response.json()
        return body

    def goal(self, seeker_id: str, **fields: Any) -> dict[str, Any]:
        """Create a goal (by default 3 networking conversations a week) and return its JSON."""
        payload = {"title": "Talk to 3 people a week", "kind": "networking", "target": 3, **fields}
        response = self.post(f"/v1/seekers/{seeker_id}/goals", json=payload)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def rejection(self, seeker_id: str, **fields: Any) -> dict[str, Any]:
        """Record a rejection and return its JSON."""
        payload = {"company": "Acme", "role": "Data Analyst", "stage": "interview", **fields}
        response = self.post(f"/v1/seekers/{seeker_id}/rejections", json=payload)
        assert response.status_code in (200, 201), response.text
        body: dict[str, Any] = response.json()
        return body


@contextmanager
def count_statements(session: Session) -> Iterator[list[str]]:
    """Collect every SQL statement the session's connection runs inside the block."""
    statements: list[str] = []
    connection = session.connection()

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", record)


def csv_export(api: ApiCaller, url: str) -> httpx.Response:
    """The `?format=csv` export of the list at `url` (asserted 200)."""
    response = api.get(url, params={"format": "csv"})
    assert response.status_code == 200, response.text
    return response


def csv_table(response: httpx.Response, header: list[str]) -> list[dict[str, str]]:
    """The rows of a CSV export, keyed by its header (which must be `header`)."""
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for Excel
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0] == header
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def json_ids(api: ApiCaller, url: str) -> list[str]:
    """Every id of the JSON list at `url`, page by page."""
    ids: list[str] = []
    params: dict[str, Any] = {"limit": 200}
    while True:
        body = api.get(url, params=params).json()
        ids += [item["id"] for item in body["data"]]
        if not body["has_more"]:
            return ids
        params["cursor"] = body["next_cursor"]
