"""Histories where time does the talking: goals, deletions, silence the sweep notices."""

from tests.gallery.model import Apply, CheckIn, Delete, Goal, History, Profile, Reject, Sweep

HISTORIES = (
    History(
        slug="behind-on-goal",
        case="Jamal set himself five applications a week on Monday; by Wednesday he has sent "
        "one, and Deloitte has just turned it down. The sweep runs that afternoon.",
        expect="He is a little behind his own pace: say so in round numbers ('1 of 5, about 2 "
        "by now') and suggest two well-matched applications before Sunday. Once, not twice.",
        profile=Profile(
            display_name="Jamal Carter",
            timezone="America/Chicago",
            locale="en-US",
            target_roles=("staff accountant",),
            strengths=("reconciliations",),
            skills=("QuickBooks", "month-end close"),
        ),
        timeline=(
            # Monday 09:00 in Chicago, so the goal's week starts that day.
            Goal(2 + 2 / 24, "Apply to five roles a week", "applications", 5, ref="five"),
            Apply(2, "Deloitte", "Audit Associate", ref="deloitte"),
            Reject(
                0.1,
                "Deloitte",
                "Audit Associate",
                stage="application_review",
                mood=3,
                application="deloitte",
            ),
            Sweep(0),
        ),
    ),
    History(
        slug="deleted-rejection",
        case="A job-board plugin recorded a UiPath final-round rejection for Elena, who never "
        "applied there; it was deleted an hour later. Her real loss is at Bitdefender.",
        expect="Only the Bitdefender loss remains: nothing still mentions UiPath, Workday or a "
        "final round.",
        profile=Profile(
            display_name="Elena Popescu",
            timezone="Europe/Bucharest",
            locale="ro-RO",
            target_roles=("HR generalist", "people partner"),
            strengths=("employee relations",),
            skills=("labour law", "onboarding"),
        ),
        timeline=(
            Apply(20, "Bitdefender", "HR Generalist", ref="bd"),
            Reject(
                6,
                "Bitdefender",
                "HR Generalist",
                stage="interview",
                reason="other_candidate",
                mood=3,
                application="bd",
            ),
            Reject(
                1,
                "UiPath",
                "People Partner",
                stage="final_round",
                reason="lacks_skills",
                missing_skills=("Workday",),
                mood=2,
                ref="mistake",
            ),
            Delete(1 - 1 / 24, "mistake", why="imported in error: she never applied to UiPath"),
        ),
    ),
    History(
        slug="unanswered-application",
        case="Noah applied to Pentagram five weeks ago and heard nothing; his only other "
        "application was turned down, and he has sent nothing for three weeks. The sweep runs.",
        expect="One friendly follow-up to Pentagram, signed with his name, then let it go; and "
        "a gentle nudge to send something new.",
        profile=Profile(
            display_name="Noah Williams",
            timezone="Europe/London",
            locale="en-GB",
            target_roles=("graphic designer",),
            strengths=("typography",),
            skills=("Adobe InDesign", "brand systems"),
        ),
        timeline=(
            Apply(35, "Pentagram", "Junior Designer", source="company_site", ref="pentagram"),
            Apply(20, "Wolff Olins", "Designer", ref="wolff"),
            Reject(
                18,
                "Wolff Olins",
                "Designer",
                stage="application_review",
                mood=3,
                application="wolff",
            ),
            Sweep(0),
        ),
    ),
    History(
        slug="dry-spell",
        case="Chloe, a teacher moving into instructional design, took two knocks (a skills "
        "gap, then a CV-stage no) and has not applied for 22 days. The sweep runs.",
        expect="A gentle restart: one application in the next two days, nothing that piles on.",
        profile=Profile(
            display_name="Chloe Martin",
            timezone="America/Toronto",
            locale="en-CA",
            target_roles=("instructional designer",),
            strengths=("lesson design", "classroom facilitation"),
            skills=("Canvas LMS",),
        ),
        timeline=(
            Apply(40, "D2L", "Instructional Designer", ref="d2l"),
            Reject(
                25,
                "D2L",
                "Instructional Designer",
                stage="assessment",
                reason="lacks_skills",
                missing_skills=("Articulate Storyline",),
                mood=2,
                application="d2l",
            ),
            Apply(22, "Shopify", "Learning Experience Designer", ref="shopify"),
            Reject(
                16,
                "Shopify",
                "Learning Experience Designer",
                stage="application_review",
                mood=2,
                application="shopify",
            ),
            Sweep(0),
        ),
    ),
    History(
        slug="missed-course-goal",
        case="Ahmed set out to finish a ten-module solar installation course in four weeks; "
        "he did four modules, an employer named the certificate as missing, and the due date "
        "passed. The sweep runs.",
        expect="No scolding: four of ten is progress. Ask whether the course still matters "
        "and offer the remaining six as a fresh goal, linked to the certificate Elsewedy named.",
        profile=Profile(
            display_name="Ahmed Hassan",
            timezone="Africa/Cairo",
            locale="ar-EG",
            target_roles=("solar PV technician",),
            strengths=("electrical safety",),
            skills=("domestic wiring",),
        ),
        timeline=(
            Goal(
                30,
                "Finish the solar PV installation course",
                "learning",
                10,
                period="none",
                unit="modules",
                due_in_days=27,
                ref="pv",
            ),
            CheckIn(25, "pv", 2, note="Modules 1 and 2"),
            CheckIn(15, "pv", 2, note="Wiring and safety modules"),
            Apply(14, "Elsewedy Electric", "Solar PV Technician", ref="elsewedy"),
            Reject(
                10,
                "Elsewedy Electric",
                "Solar PV Technician",
                stage="interview",
                reason="lacks_skills",
                missing_skills=("PV installation certificate",),
                mood=3,
                application="elsewedy",
            ),
            Sweep(0),
        ),
    ),
)
