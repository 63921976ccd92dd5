"""(source, external_id) belongs to one seeker; a seeker erased mid-request is a 409, not a 500."""

import pytest
from sqlmodel import Session

from app.core.clock import utc_now
from app.core.external import RecordVanished
from app.rejection import service
from app.rejection.models import RejectionCreate, Stage
from app.seeker import service as seeker_service
from app.seeker.models import Seeker
from tests.factories import ApiCaller

PUSH = {"company": "Acme", "role": "Analyst", "stage": "interview", "source": "ats"}


def test_create_rejection_refuses_another_seekers_external_id(api: ApiCaller) -> None:
    first, second = api.seeker(), api.seeker()
    api.rejection(first["id"], **PUSH, external_id="r-1")
    response = api.post(
        f"/v1/seekers/{second['id']}/rejections", json={**PUSH, "external_id": "r-1"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "external_id_conflict"
    assert api.get(f"/v1/seekers/{second['id']}/rejections").json()["data"] == []


def test_batch_fails_the_item_naming_another_seekers_external_id(api: ApiCaller) -> None:
    first, second = api.seeker(), api.seeker()
    api.rejection(first["id"], **PUSH, external_id="r-1")
    items = [
        {**PUSH, "seeker_id": second["id"], "external_id": "r-1"},
        {**PUSH, "seeker_id": second["id"], "external_id": "r-2"},
    ]
    body = api.post("/v1/rejections/batch", json={"items": items}).json()
    assert [r["outcome"] for r in body["results"]] == ["failed", "created"]
    assert body["results"][0]["error"]["code"] == "external_id_conflict"


def test_create_application_refuses_another_seekers_external_id(api: ApiCaller) -> None:
    first, second = api.seeker(), api.seeker()
    api.application(first["id"], source="ats", external_id="a-1")
    response = api.post(
        f"/v1/seekers/{second['id']}/applications",
        json={"company": "Acme", "role": "Analyst", "source": "ats", "external_id": "a-1"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "external_id_conflict"


@pytest.mark.parametrize("alone", [False, True], ids=["in a batch", "alone"])
def test_insert_rejection_for_a_seeker_erased_meanwhile_is_a_conflict(
    api: ApiCaller, session: Session, alone: bool
) -> None:
    seeker_id = api.seeker()["id"]
    seeker = seeker_service.get_seeker(
        session, tenant_id=_tenant_of(session, seeker_id), seeker_id=seeker_id
    )
    rejection_in = RejectionCreate(company="Acme", role="Analyst", stage=Stage.INTERVIEW)
    row = service.build_rejection(seeker, rejection_in, {}, utc_now())
    seeker_service.delete_seeker(session, seeker=seeker)  # the concurrent erasure commits first
    with pytest.raises(RecordVanished):
        service.insert_rejection(session, row, {}, alone=alone)


def _tenant_of(session: Session, seeker_id: str) -> str:
    found = session.get(Seeker, seeker_id)
    assert found is not None
    return found.tenant_id
