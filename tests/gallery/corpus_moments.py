"""Histories about single hard moments: a first no, a final-round loss, silence, an offer lost."""

from tests.gallery.model import Apply, History, Profile, Reject

HISTORIES = (
    History(
        slug="first-rejection",
        case="Priya's very first rejection: a junior design role, turned down at the CV stage "
        "with no reason given.",
        expect="A short acknowledgement and one practical next move. Nothing that treats a "
        "single answer as a pattern or asks her to rethink her whole search.",
        profile=Profile(
            display_name="Priya Raman",
            timezone="Europe/London",
            locale="en-GB",
            target_roles=("product designer",),
            strengths=("user interviews", "prototyping"),
            skills=("Figma", "accessibility audits"),
        ),
        timeline=(
            Apply(9, "Monzo", "Junior Product Designer", source="linkedin", ref="monzo"),
            Reject(
                0.2,
                "Monzo",
                "Junior Product Designer",
                stage="application_review",
                mood=3,
                note="First one. Expected it, still stings a bit.",
                application="monzo",
            ),
        ),
    ),
    History(
        slug="final-round-loss-mood-1",
        case="Tomás lost a senior role at Mercado Libre after five rounds to another candidate, "
        "and rates his mood 1. He came in through a referral from Lucía.",
        expect="Today only care: the loss is real and going to another candidate is not a "
        "verdict. Later, not today: ask Lucía for feedback, keep in touch with the team, "
        "remember he was credible enough for the final round.",
        profile=Profile(
            display_name="Tomás Herrera",
            timezone="America/Argentina/Buenos_Aires",
            locale="es-AR",
            target_roles=("senior backend engineer", "staff engineer"),
            strengths=("system design", "mentoring"),
            skills=("Java", "Kotlin", "PostgreSQL"),
        ),
        timeline=(
            Apply(
                40,
                "Mercado Libre",
                "Senior Backend Engineer",
                source="referral",
                ref="meli",
                contact_name="Lucía Gómez",
            ),
            Reject(
                0.1,
                "Mercado Libre",
                "Senior Backend Engineer",
                stage="final_round",
                reason="other_candidate",
                mood=1,
                note="Five rounds over six weeks. I really thought this was it.",
                application="meli",
                contact_name="Lucía Gómez",
            ),
        ),
    ),
    History(
        slug="ghosted-after-interview",
        case="Aisha had a second interview at Paystack three weeks ago and has heard nothing "
        "since, despite two emails (no_response, ended by unknown).",
        expect="Silence, not a no: a friendly follow-up to Tunde asking whether the role is "
        "still open. No 'they rejected you', no feedback request as if a decision was made.",
        profile=Profile(
            display_name="Aisha Bello",
            timezone="Africa/Lagos",
            locale="en-NG",
            target_roles=("growth marketing manager",),
            strengths=("brand storytelling", "budget ownership"),
            skills=("HubSpot", "Google Analytics"),
        ),
        timeline=(
            Apply(
                30,
                "Paystack",
                "Growth Marketing Manager",
                source="company_site",
                ref="paystack",
                contact_name="Tunde Bakare",
            ),
            Reject(
                0.3,
                "Paystack",
                "Growth Marketing Manager",
                stage="interview",
                ended_by="unknown",
                reason="no_response",
                mood=3,
                note="Second interview was three weeks ago. Two emails, no reply.",
                application="paystack",
                contact_name="Tunde Bakare",
            ),
        ),
    ),
    History(
        slug="rescinded-offer",
        case="Sofia's offer was rescinded two days before her start date after a budget cut; "
        "she had already resigned. Mood 1.",
        expect="Its own case: she had won the role. Care first; then practical footing (the "
        "written offer, her notice period, people who can help quickly). Never 'ask what "
        "would have made your application stronger'.",
        profile=Profile(
            display_name="Sofia Rossi",
            timezone="Europe/Rome",
            locale="it-IT",
            target_roles=("product marketing manager",),
            strengths=("launch planning", "customer research"),
            skills=("positioning", "Salesforce"),
        ),
        timeline=(
            Apply(50, "Yoox Net-a-Porter", "Product Marketing Manager", ref="ynap"),
            Reject(
                0.1,
                "Yoox Net-a-Porter",
                "Product Marketing Manager",
                stage="offer",
                reason="position_closed",
                reason_detail="Offer rescinded two days before the start date after a budget cut",
                mood=1,
                note="I had already resigned from my job.",
                application="ynap",
            ),
        ),
    ),
    History(
        slug="hiring-freeze",
        case="Kwame's interview process at Zalando ended because of a hiring freeze on the "
        "data platform team (position_closed). Birgit was his recruiter.",
        expect="Nothing to fix: the role was frozen. A keep-in-touch note to Birgit for when "
        "hiring reopens (not a feedback request), and keep applying.",
        profile=Profile(
            display_name="Kwame Mensah",
            timezone="Europe/London",
            locale="en-GB",
            target_roles=("data engineer",),
            strengths=("data modelling",),
            skills=("Spark", "Airflow", "SQL"),
        ),
        timeline=(
            Apply(25, "Zalando", "Senior Data Engineer", source="linkedin", ref="zalando"),
            Reject(
                0.2,
                "Zalando",
                "Senior Data Engineer",
                stage="interview",
                reason="position_closed",
                reason_detail="Hiring freeze across the data platform team until Q2",
                mood=3,
                application="zalando",
                contact_name="Birgit Lang",
            ),
        ),
    ),
    History(
        slug="praise-in-feedback",
        case="Olivia was turned down for a billing product role; the employer wrote: 'The "
        "panel loved your roadmap presentation, but we hired someone with payments experience.'",
        expect="The praise (her roadmap presentation) goes to strengths, the miss (payments) to "
        "upskilling. No request for feedback: she already has it.",
        profile=Profile(
            display_name="Olivia Nguyen",
            timezone="America/Los_Angeles",
            locale="en-US",
            target_roles=("product manager",),
            strengths=("stakeholder alignment",),
            skills=("SQL", "Figma"),
        ),
        timeline=(
            Apply(28, "Stripe", "Product Manager, Billing", ref="stripe"),
            Reject(
                0.2,
                "Stripe",
                "Product Manager, Billing",
                stage="interview",
                reason="lacks_skills",
                feedback="The panel loved your roadmap presentation, but we hired someone with "
                "payments experience.",
                missing_skills=("payments",),
                mood=3,
                application="stripe",
            ),
        ),
    ),
    History(
        slug="no-name-no-strengths",
        case="A seeker who gave no name, strengths or skills, rejected after an interview "
        "with no reason.",
        expect="Drafts that read well without a signature to fill in, and a strengths step "
        "that helps them find some rather than praising ones we do not know.",
        profile=Profile(display_name=None),
        timeline=(Reject(0.1, "Acme Logistics", "Warehouse Team Lead", stage="interview", mood=3),),
    ),
    History(
        slug="pay-gap-good-mood",
        case="Diego reached the final round at Kavak; it came down to pay (their ceiling was "
        "15% under his ask). He feels fine (mood 4).",
        expect="No consolation overload. Keep in touch, sanity-check his range against the "
        "market, keep applying.",
        profile=Profile(
            display_name="Diego Fernández",
            timezone="America/Mexico_City",
            locale="es-MX",
            target_roles=("account executive",),
            strengths=("closing enterprise deals",),
            skills=("Salesforce", "negotiation"),
        ),
        timeline=(
            Reject(
                0.2,
                "Kavak",
                "Senior Account Executive",
                stage="final_round",
                reason="compensation",
                reason_detail="Their ceiling was 15% under my ask",
                feedback="We couldn't meet your salary expectations, but we'd love to stay in "
                "touch.",
                mood=4,
            ),
        ),
    ),
    History(
        slug="vague-phone-screen",
        case="Yuki's phone screen at Mercari ended with no reason and no feedback.",
        expect="One short, specific question to Mercari about the screen; no pattern talk "
        "after a single event.",
        profile=Profile(
            display_name="Yuki Tanaka",
            timezone="Asia/Tokyo",
            locale="ja-JP",
            target_roles=("data scientist",),
            strengths=("experiment design",),
            skills=("Python", "causal inference"),
        ),
        timeline=(
            Apply(12, "Mercari", "Data Scientist", ref="mercari"),
            Reject(
                0.2,
                "Mercari",
                "Data Scientist",
                stage="phone_screen",
                mood=3,
                application="mercari",
            ),
        ),
    ),
)
