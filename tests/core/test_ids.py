"""Ids sort in creation order, even many in one millisecond, and never repeat."""

from app.core.ids import new_id


def test_new_id_sorts_in_creation_order_within_a_millisecond() -> None:
    ids = [new_id("rej") for _ in range(2000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_new_id_has_prefix_and_fixed_length() -> None:
    value = new_id("skr")
    assert value.startswith("skr_")
    assert len(value) == 4 + 26
