"""Insights and who ended it: a withdrawal is no rejection, yet it (like any rejection that names
no application) stands for an application that was sent."""

from tests.factories import ApiCaller
from tests.insight.support import ZERO_REASONS, ZERO_STAGES, at, funnel, insights, weeks


def test_a_withdrawal_then_a_rejection_at_the_same_company_is_one_rejection(
    api: ApiCaller,
) -> None:
    seeker_id = api.seeker()["id"]
    api.rejection(  # the seeker walked away at the screen
        seeker_id,
        company="GLOVO",
        stage="phone_screen",
        ended_by="candidate",
        reason="compensation",
        missing_skills=["Go"],
        occurred_at=at("2026-06-02T10:00"),
    )
    api.rejection(
        seeker_id,
        company="Glovo",
        stage="interview",
        reason="lacks_skills",
        missing_skills=["SQL"],
        occurred_at=at("2026-06-09T10:00"),
    )
    body = insights(api, seeker_id, days=30)
    assert body["rejections"] == 1
    assert body["by_stage"] == ZERO_STAGES | {"interview": 1}
    assert body["by_reason"] == ZERO_REASONS | {"lacks_skills": 1}
    assert body["by_week"] == weeks("2026-05-18", 5, {"2026-06-08": 1})
    assert body["missing_skills"] == [{"skill": "sql", "rejections": 1}]
    assert body["repeat_companies"] == []
    # Both are attempts, each as far as it got: the funnel is about applications.
    assert body["funnel"] == {
        "steps": funnel([2, 2, 1, 0, 0], [None, 1.0, 0.5, 0.0, None]),
        "most_rejections_at": "interview",
    }


def test_repeat_companies_count_and_spell_rejections_only(api: ApiCaller) -> None:
    seeker_id = api.seeker()["id"]
    for company, ended_by, day in (
        ("Glovo", "employer", "03"),
        ("glovo", "employer", "05"),
        ("GLOVO", "candidate", "07"),  # the latest, but no rejection: not its spelling
    ):
        api.rejection(
            seeker_id, company=company, ended_by=ended_by, occurred_at=at(f"2026-06-{day}T10:00")
        )
    body = insights(api, seeker_id, days=30)
    assert body["repeat_companies"] == [{"company": "glovo", "rejections": 2}]
    assert body["rejections"] == 2


def test_three_rejections_and_no_application_count_from_the_latest(api: ApiCaller) -> None:
    seeker_id = api.seeker(timezone="America/New_York")["id"]
    for day in ("01", "05", "11"):  # 02:00 UTC is the evening before in New York
        api.rejection(seeker_id, company=f"Co{day}", occurred_at=at(f"2026-06-{day}T02:00"))
    body = insights(api, seeker_id, days=30)
    assert body["days_since_last_application"] == 7  # the 10th in New York; today is the 17th
    assert body["funnel"]["steps"][0]["reached"] == 3


def test_a_withdrawal_naming_its_application_counts_through_it(api: ApiCaller) -> None:
    seeker_id = api.seeker()["id"]
    sent = api.application(seeker_id, company="Glovo", applied_on="2026-06-01")
    api.rejection(
        seeker_id,
        company="Glovo",
        application_id=sent["id"],
        stage="final_round",
        ended_by="candidate",
        occurred_at=at("2026-06-12T10:00"),
    )
    body = insights(api, seeker_id, days=30)
    assert body["days_since_last_application"] == 16  # sent on the 1st, not on the 12th
    assert body["rejections"] == 0 and body["funnel"]["most_rejections_at"] is None
    assert [s["reached"] for s in body["funnel"]["steps"]] == [1, 1, 1, 1, 0]
