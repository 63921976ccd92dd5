"""An application that came through a referral is not a cold application, even at its own event."""

from datetime import UTC, datetime, timedelta

from tests.factories import ApiCaller

SCREEN = {"company": "Acme", "role": "Analyst", "stage": "application_review"}
AT = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _cold_rule_fired(rejection: dict[str, object]) -> bool:
    steps = rejection["next_steps"]
    assert isinstance(steps, list)
    return any(
        e["rule_id"] == "leverage_network.cold_applications"
        and e["rejection_id"] == rejection["id"]
        for s in steps
        for e in s["explanation"]
    )


def test_referral_application_does_not_count_as_cold_screening(api: ApiCaller) -> None:
    seeker = api.seeker()["id"]
    for day in range(4):
        occurred = (AT - timedelta(days=day + 1)).isoformat()
        api.rejection(seeker, **SCREEN, occurred_at=occurred)
    referred = api.application(seeker, source="referral", applied_on="2026-11-01")
    fifth = api.rejection(
        seeker, **SCREEN, application_id=referred["id"], occurred_at=AT.isoformat()
    )
    assert not _cold_rule_fired(fifth)
    cold = api.rejection(seeker, **SCREEN, occurred_at=(AT + timedelta(hours=1)).isoformat())
    assert _cold_rule_fired(cold)  # the fifth cold one within 30 days
