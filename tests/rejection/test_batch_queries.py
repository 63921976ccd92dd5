"""Storing a batch costs one INSERT and one de-duplication lookup, whatever its size.

(Coaching each created rejection still costs a few queries per item; see the README.)
"""

from sqlmodel import Session

from tests.factories import ApiCaller, count_statements


def _batch(api: ApiCaller, seeker_id: str, size: int, tag: str) -> list[dict[str, object]]:
    return [
        {
            "seeker_id": seeker_id,
            "company": f"Company {i}",
            "role": "Analyst",
            "stage": "application_review",
            "source": "ats",
            "external_id": f"{tag}-{i}",
        }
        for i in range(size)
    ]


def test_batch_storage_query_count_does_not_grow_with_items(
    api: ApiCaller, session: Session
) -> None:
    seeker = api.seeker()
    counts = []
    for size, tag in ((3, "small"), (120, "large")):
        with count_statements(session) as statements:
            response = api.post(
                "/v1/rejections/batch", json={"items": _batch(api, seeker["id"], size, tag)}
            )
        assert response.json()["created"] == size
        inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO REJECTION")]
        lookups = [s for s in statements if "rejection.external_id" in s and "IN" in s]
        counts.append((len(inserts), len(lookups)))
    assert counts == [(1, 1), (1, 1)], counts
