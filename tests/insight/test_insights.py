"""Insights over HTTP: every figure of a fixed history, an empty one, local days and weeks in
the seeker's time zone, and the window's edges."""

from tests.factories import ApiCaller
from tests.insight.support import (
    ZERO_REASONS,
    ZERO_STAGES,
    at,
    funnel,
    insights,
    weeks,
)


def test_read_insights_of_an_empty_history_is_zeros_and_nulls(api: ApiCaller) -> None:
    seeker = api.seeker()
    body = insights(api, seeker["id"], days=14)
    assert body == {
        "seeker_id": seeker["id"],
        "days": 14,
        "since": "2026-06-04",
        "until": "2026-06-17",
        "timezone": "UTC",
        "rejections": 0,
        "by_stage": ZERO_STAGES,
        "by_reason": ZERO_REASONS,
        "by_week": weeks("2026-06-01", 3, {}),
        "funnel": {
            "steps": funnel([0, 0, 0, 0, 0], [None] * 5),
            "most_rejections_at": None,
        },
        "missing_skills": [],
        "repeat_companies": [],
        "days_since_last_application": None,
        "next_steps": [],
        "goals": [],
    }


def _history(api: ApiCaller) -> str:
    """A seeker's applications, rejections and goals around the default 90-day window.

    As of NOW the window is 2026-03-20 .. 2026-06-17 (UTC).
    """
    seeker_id: str = api.seeker()["id"]
    app = api.application
    acme = app(seeker_id, company="Acme", applied_on="2026-06-01")["id"]
    app(seeker_id, company="Globex", applied_on="2026-05-20", status="screening")
    app(seeker_id, company="Initech", applied_on="2026-05-10", status="interviewing")
    app(seeker_id, company="Umbrella", applied_on="2026-04-01", status="hired")
    hooli = app(seeker_id, company="Hooli", applied_on="2026-03-01")["id"]  # before the window
    app(seeker_id, company="Stark", applied_on="2026-06-10", status="withdrawn")
    app(seeker_id, company="Wonka", applied_on="2026-06-15", status="rejected")  # no rejection
    app(seeker_id, company="Future", applied_on="2026-07-01")  # dated after today
    rejection = api.rejection
    rejection(  # ends Acme's application at the interview
        seeker_id,
        company="Acme",
        application_id=acme,
        stage="interview",
        reason="lacks_skills",
        missing_skills=["SQL", "dbt"],
        occurred_at=at("2026-06-05T09:00"),
    )
    rejection(
        seeker_id,
        company="acme",
        stage="application_review",
        reason="other_candidate",
        missing_skills=["sql", "Python", "SQL"],  # one rejection names sql once
        occurred_at=at("2026-06-12T15:00"),
    )
    rejection(
        seeker_id,
        company="ACME",
        stage="phone_screen",
        reason="experience_level",
        missing_skills=["python"],
        occurred_at=at("2026-06-16T08:00"),
    )
    rejection(
        seeker_id,
        company="Globex",
        stage="phone_screen",
        reason="no_response",
        missing_skills=["Tableau"],
        occurred_at=at("2026-04-02T12:00"),
    )
    rejection(  # in the window, but its application (sent before it) is no attempt of the window
        seeker_id,
        company="Hooli",
        application_id=hooli,
        stage="final_round",
        reason="other_candidate",
        missing_skills=["dbt"],
        occurred_at=at("2026-03-25T12:00"),
    )
    rejection(
        seeker_id,
        company="Globex",
        stage="offer",
        reason="compensation",
        occurred_at=at("2026-05-25T00:30"),
    )
    rejection(  # the window's very first instant
        seeker_id,
        company="Wayne",
        stage="application_review",
        missing_skills=["SQL"],
        occurred_at=at("2026-03-20T00:00"),
    )
    rejection(  # a second before the window: counted nowhere
        seeker_id,
        company="Hooli",
        stage="offer",
        reason="logistics",
        missing_skills=["SQL", "Excel"],
        occurred_at=at("2026-03-19T23:59:59"),
    )
    goal = api.goal
    goal(seeker_id, kind="applications", target=2, start_on="2026-06-01", title="Apply twice")
    learn = goal(
        seeker_id, kind="learning", target=4, period="month", start_on="2026-05-01", title="Learn"
    )
    done = goal(seeker_id, period="none", target=1, start_on="2026-06-01", due_on="2026-06-30")
    dropped = goal(seeker_id, start_on="2026-06-01")
    for goal_id, value, day in ((learn["id"], 2, "2026-06-03"), (done["id"], 1, "2026-06-05")):
        body = {"value": value, "occurred_at": at(f"{day}T12:00")}
        assert api.post(f"/v1/goals/{goal_id}/check-ins", json=body).status_code == 201
    assert api.patch(f"/v1/goals/{dropped['id']}", json={"status": "abandoned"}).status_code == 200
    return seeker_id


def test_read_insights_pins_every_figure_of_a_history(api: ApiCaller) -> None:
    seeker_id = _history(api)
    body = insights(api, seeker_id)
    assert (body["days"], body["since"], body["until"]) == (90, "2026-03-20", "2026-06-17")
    assert body["rejections"] == 7  # the one a second before the window is left out
    assert body["by_stage"] == ZERO_STAGES | {
        "application_review": 2,
        "phone_screen": 2,
        "interview": 1,
        "final_round": 1,
        "offer": 1,
    }
    assert body["by_reason"] == ZERO_REASONS | {
        "lacks_skills": 1,
        "experience_level": 1,
        "other_candidate": 2,
        "compensation": 1,
        "no_response": 1,
        "unspecified": 1,
    }
    weekly = {"2026-03-16": 1, "2026-03-23": 1, "2026-03-30": 1, "2026-05-25": 1}
    weekly |= {"2026-06-01": 1, "2026-06-08": 1, "2026-06-15": 1}
    assert body["by_week"] == weeks("2026-03-16", 14, weekly)
    # Attempts: 7 applications of the window (Acme at its rejection's interview, Globex
    # screening, Initech interviewing, Umbrella hired, Stark withdrawn, Wonka rejected) and the
    # 5 unlinked rejections (acme review, ACME screen, Globex screen, Globex offer, Wayne review).
    assert body["funnel"] == {
        "steps": funnel([11, 7, 4, 2, 2], [None, 0.6364, 0.5714, 0.5, 1.0]),
        "most_rejections_at": "application_review",  # tied with phone_screen: the earlier one
    }
    assert body["missing_skills"] == [
        {"skill": "sql", "rejections": 3},
        {"skill": "dbt", "rejections": 2},
        {"skill": "python", "rejections": 2},
        {"skill": "tableau", "rejections": 1},
    ]
    assert body["repeat_companies"] == [
        {"company": "ACME", "rejections": 3},  # the latest spelling of Acme, acme and ACME
        {"company": "Globex", "rejections": 2},
    ]
    # ACME's rejection of the 16th names no application: it implies one sent that day at the
    # latest, after Wonka's of the 15th (July's is ahead).
    assert body["days_since_last_application"] == 1
    keys = ["acknowledge_feelings", "avoid_taking_it_personally", "continue_upskilling"]
    keys += ["evaluate_application", "focus_on_strengths", "leverage_network", "seek_feedback"]
    keys += ["set_new_goals", "stay_proactive"]
    one_open = {"open": 1, "snoozed": 0, "done": 0, "dismissed": 0}
    expected = [{"recommendation_key": k, **one_open} for k in keys]
    expected[keys.index("seek_feedback")]["open"] = 3  # a feedback request to each of 3 companies
    assert body["next_steps"] == expected
    assert [{k: v for k, v in g.items() if k != "goal_id"} for g in body["goals"]] == [
        {
            "title": "Apply twice",
            "kind": "applications",
            "pace": "on_track",
            "current": 1.0,  # Wonka's application of Monday the 15th
            "expected": 0.86,
            "target": 2.0,
            "period_target": 2.0,
            "period_start": "2026-06-15",
            "period_end": "2026-06-21",
        },
        {
            "title": "Learn",
            "kind": "learning",
            "pace": "behind",
            "current": 2.0,
            "expected": 2.27,
            "target": 4.0,
            "period_target": 4.0,
            "period_start": "2026-06-01",
            "period_end": "2026-06-30",
        },
    ]  # the reached one-off goal and the abandoned one are not active


def test_read_insights_window_edges_follow_days(api: ApiCaller) -> None:
    seeker_id = _history(api)
    week = insights(api, seeker_id, days=7)
    assert (week["since"], week["rejections"]) == ("2026-06-11", 2)  # acme on 12th, ACME 16th
    assert week["by_week"] == weeks("2026-06-08", 2, {"2026-06-08": 1, "2026-06-15": 1})
    assert week["repeat_companies"] == [{"company": "ACME", "rejections": 2}]
    # Stark (10th) is outside; Wonka (15th) and the two unlinked rejections are attempts.
    assert week["funnel"]["steps"] == funnel([3, 1, 0, 0, 0], [None, 0.3333, 0.0, None, None])
    assert week["funnel"]["most_rejections_at"] == "application_review"
    today = insights(api, seeker_id, days=1)
    assert (today["since"], today["rejections"], today["by_week"]) == (
        "2026-06-17",
        0,
        weeks("2026-06-15", 1, {}),
    )
    edge = insights(api, seeker_id, days=730)
    assert edge["rejections"] == 8  # now the one of 23:59:59 on 19 March counts
    assert edge["repeat_companies"][-1] == {"company": "Hooli", "rejections": 2}


def test_read_insights_buckets_by_the_seekers_local_days(api: ApiCaller) -> None:
    # 10:00 UTC on Wednesday 17 June is 06:00 in New York (UTC-4): the window is 11..17 June.
    seeker_id = api.seeker(timezone="America/New_York")["id"]
    api.rejection(seeker_id, occurred_at=at("2026-06-15T02:00"))  # Sunday the 14th, 22:00
    api.rejection(seeker_id, occurred_at=at("2026-06-11T03:30"))  # the 10th, 23:30: outside
    api.rejection(seeker_id, occurred_at=at("2026-06-11T04:00"))  # local midnight of the 11th
    body = insights(api, seeker_id, days=7)
    assert (body["since"], body["until"], body["timezone"]) == (
        "2026-06-11",
        "2026-06-17",
        "America/New_York",
    )
    assert body["rejections"] == 2
    assert body["by_week"] == weeks("2026-06-08", 2, {"2026-06-08": 2})


def test_read_insights_handles_half_hour_zones_and_local_today(api: ApiCaller) -> None:
    # 10:00 UTC is 15:30 in Kolkata (UTC+5:30); 18:45 UTC on Sunday the 14th is 00:15 on Monday.
    seeker_id = api.seeker(timezone="Asia/Kolkata")["id"]
    api.rejection(seeker_id, occurred_at=at("2026-06-14T18:45"))
    api.rejection(seeker_id, occurred_at=at("2026-06-14T18:15"))  # 23:45 on Sunday the 14th
    api.application(seeker_id, applied_on="2026-06-12")
    body = insights(api, seeker_id, days=10)
    assert (body["since"], body["until"]) == ("2026-06-08", "2026-06-17")
    assert body["by_week"] == weeks("2026-06-08", 2, {"2026-06-08": 1, "2026-06-15": 1})
    assert body["days_since_last_application"] == 2  # the rejection of 00:15 on Monday the 15th
    assert body["funnel"]["steps"][0]["reached"] == 3
