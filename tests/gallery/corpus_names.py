"""Histories whose names test the writing: accents, non-English names, names ending in s."""

from tests.gallery.model import Apply, History, Profile, Reject

HISTORIES = (
    History(
        slug="societe-generale",
        case="Camille interviewed at Société Générale for a KYC compliance role; the answer, "
        "in French, was that the role needs three days a week on site (logistics).",
        expect="Names exactly as written (Société Générale, Analyste Conformité KYC). A "
        "logistics reason, so no skills talk; she has feedback, so no feedback request.",
        profile=Profile(
            display_name="Camille Dubois",
            timezone="Europe/Paris",
            locale="fr-FR",
            target_roles=("compliance analyst",),
            strengths=("attention to detail",),
            skills=("KYC", "AML"),
        ),
        timeline=(
            Apply(18, "Société Générale", "Analyste Conformité KYC", ref="sg"),
            Reject(
                0.2,
                "Société Générale",
                "Analyste Conformité KYC",
                stage="interview",
                reason="logistics",
                reason_detail="Role requires three days a week in La Défense",
                feedback="Très bon entretien, mais le poste exige une présence sur site trois "
                "jours par semaine.",
                mood=4,
                application="sg",
            ),
        ),
    ),
    History(
        slug="zurich-versicherung",
        case="Jonas was Zürich Versicherung's second choice for a life actuary role after the "
        "final round; the panel valued his clear explanations. Anna Meier ran the process.",
        expect="Second choice at the final round is close: acknowledge it, keep the praise "
        "(explaining numbers clearly) as a strength, stay in touch with Anna Meier.",
        profile=Profile(
            display_name="Jonas Keller",
            timezone="Europe/Zurich",
            locale="de-CH",
            target_roles=("actuary",),
            strengths=("pricing models", "explaining numbers to non-specialists"),
            skills=("Python", "SAS"),
        ),
        timeline=(
            Apply(35, "Zürich Versicherung", "Aktuar Leben", ref="zv", contact_name="Anna Meier"),
            Reject(
                0.15,
                "Zürich Versicherung",
                "Aktuar Leben",
                stage="final_round",
                reason="other_candidate",
                feedback="You were our second choice; the panel valued your clear explanations.",
                mood=3,
                application="zv",
                contact_name="Anna Meier",
            ),
        ),
    ),
    History(
        slug="bending-spoons",
        case="Giulia's iOS take-home at Bending Spoons fell short on SwiftUI and Core Data.",
        expect="A small SwiftUI project as the next step; the possessive is Bending Spoons'.",
        profile=Profile(
            display_name="Giulia Bianchi",
            timezone="Europe/Rome",
            locale="it-IT",
            target_roles=("iOS engineer",),
            strengths=("pixel-perfect UI",),
            skills=("Swift", "UIKit"),
        ),
        timeline=(
            Apply(16, "Bending Spoons", "iOS Engineer", ref="bs"),
            Reject(
                0.2,
                "Bending Spoons",
                "iOS Engineer",
                stage="assessment",
                reason="lacks_skills",
                missing_skills=("SwiftUI", "Core Data"),
                mood=3,
                application="bs",
            ),
        ),
    ),
    History(
        slug="cold-applications",
        case="Lena sent six cold applications from job boards in under four weeks; all six "
        "stopped at the CV review. She has two new ones out.",
        expect="It is the route in, not her ability: rework the CV for junior roles and ask "
        "for a referral or two. Credit the two applications she already sent.",
        profile=Profile(
            display_name="Lena Fischer",
            timezone="Europe/Berlin",
            locale="de-DE",
            target_roles=("junior web developer", "frontend developer"),
            strengths=("fast learner",),
            skills=("JavaScript", "React", "CSS"),
        ),
        timeline=(
            *(
                Reject(days, company, role, stage="application_review", source="linkedin", mood=3)
                for days, company, role in (
                    (25, "Personio", "Junior Frontend Developer"),
                    (21, "Celonis", "Frontend Engineer"),
                    (17, "Contentful", "Junior Web Developer"),
                    (12, "HelloFresh", "Frontend Developer"),
                    (7, "Trade Republic", "Junior Frontend Engineer"),
                )
            ),
            Apply(3, "GetYourGuide", "Junior Frontend Engineer", source="linkedin"),
            Apply(1, "Zalando", "Frontend Developer", source="linkedin"),
            Reject(
                0.2,
                "N26",
                "Junior Web Developer",
                stage="application_review",
                source="linkedin",
                mood=2,
            ),
        ),
    ),
    History(
        slug="hard-week",
        case="Beatriz had three rejections in six days; the last, from QuintoAndar after an "
        "interview, asked for more quantitative research. Mood 2.",
        expect="Care first: a hard week, not a verdict. Then one thing at a time: survey "
        "design as a small project, later.",
        profile=Profile(
            display_name="Beatriz Souza",
            timezone="America/Sao_Paulo",
            locale="pt-BR",
            target_roles=("UX researcher",),
            strengths=("interviewing users",),
            skills=("usability testing", "Dovetail"),
        ),
        timeline=(
            Reject(
                6, "Nubank", "UX Researcher", stage="phone_screen", reason="other_candidate", mood=3
            ),
            Reject(3, "iFood", "Product Researcher", stage="application_review", mood=3),
            Reject(
                0.2,
                "QuintoAndar",
                "Senior UX Researcher",
                stage="interview",
                reason="lacks_skills",
                feedback="We'd like to see more quantitative research in your portfolio.",
                missing_skills=("survey design",),
                mood=2,
            ),
        ),
    ),
    History(
        slug="same-employer-twice",
        case="Grace has been turned down twice by St Vincent's Hospital, for two different "
        "roles a few months apart; this time they named a missing teaching certificate.",
        expect="'Twice', and that two teams decided separately; the certificate is the "
        "concrete next step; her ward teaching was praised. St Vincent's spelled right.",
        profile=Profile(
            display_name="Grace Kim",
            timezone="Australia/Sydney",
            locale="en-AU",
            target_roles=("clinical nurse educator",),
            strengths=("ward teaching", "triage"),
            skills=("ALS certification",),
        ),
        timeline=(
            Reject(
                100,
                "St Vincent's Hospital",
                "Clinical Nurse, Emergency",
                stage="interview",
                reason="other_candidate",
                mood=3,
            ),
            Apply(
                15, "St Vincent's Hospital", "Clinical Nurse Educator", source="referral", ref="sv"
            ),
            Reject(
                0.3,
                "St Vincent's Hospital",
                "Clinical Nurse Educator",
                stage="interview",
                reason="lacks_skills",
                feedback="Your ward teaching examples were excellent.",
                missing_skills=("Cert IV in Training and Assessment",),
                mood=3,
                application="sv",
            ),
        ),
    ),
)
