"""Histories where the pattern matters more than the latest event: gaps, repeats, long runs."""

from tests.gallery.model import Apply, History, Profile, Reject

_WAREHOUSE = "Warehouse Operations Supervisor"
# Marcus's two months: (days ago, company, role, stage, reason), oldest first.
_MARCUS = (
    (58, "Amazon", "Area Manager", "application_review", "unspecified"),
    (54, "UPS", _WAREHOUSE, "application_review", "experience_level"),
    (49, "FedEx", "Operations Manager", "phone_screen", "unspecified"),
    (45, "Target", "Distribution Center Supervisor", "application_review", "unspecified"),
    (40, "Walmart", _WAREHOUSE, "interview", "other_candidate"),
    (35, "DHL Supply Chain", "Shift Supervisor", "application_review", "unspecified"),
    (30, "XPO Logistics", _WAREHOUSE, "phone_screen", "other_candidate"),
    (26, "Home Depot", "Inventory Supervisor", "application_review", "unspecified"),
    (21, "Costco", "Receiving Supervisor", "phone_screen", "unspecified"),
    (15, "Sysco", "Warehouse Manager", "application_review", "experience_level"),
    (10, "Ryder", "Operations Supervisor", "assessment", "lacks_skills"),
    (5, "Penske Logistics", _WAREHOUSE, "application_review", "unspecified"),
)

HISTORIES = (
    History(
        slug="withdrawal-then-rejection",
        case="Daniel withdrew from a Siemens rail role himself (the pay was too low), then "
        "Siemens turned him down for a different programme role at the phone screen.",
        expect="Siemens said no once; the other time Daniel walked away. Nothing may say "
        "Siemens rejected him twice, and the possessive is Siemens', not Siemens's.",
        profile=Profile(
            display_name="Daniel Okafor",
            timezone="Europe/Berlin",
            locale="en-GB",
            target_roles=("project manager", "programme manager"),
            strengths=("calm under pressure",),
            skills=("PRINCE2", "Jira", "stakeholder management"),
        ),
        timeline=(
            Apply(45, "Siemens", "Project Manager, Rail Signalling", ref="rail"),
            Reject(
                30,
                "Siemens",
                "Project Manager, Rail Signalling",
                stage="interview",
                ended_by="candidate",
                reason="compensation",
                reason_detail="Withdrew: the offer range was 20% below my current salary",
                application="rail",
            ),
            Apply(20, "Siemens", "Programme Manager, Smart Infrastructure", ref="smart"),
            Apply(12, "ABB", "Project Manager", source="linkedin"),
            Reject(
                1,
                "Siemens",
                "Programme Manager, Smart Infrastructure",
                stage="phone_screen",
                reason="experience_level",
                reason_detail="They want someone who has run a portfolio of several projects",
                mood=3,
                application="smart",
            ),
        ),
    ),
    History(
        slug="recurring-gap-kubernetes",
        case="Mei was told twice that Kubernetes was missing (Northwind wrote 'Kubernetes', "
        "Grab 'kubernetes'); Shopee then turned her down for lacking skills without naming any.",
        expect="Kubernetes, spelled as the employers did, is the recurring gap: one project as "
        "a learning goal. Shopee named no skill, so nothing says Shopee asked for Kubernetes.",
        profile=Profile(
            display_name="Mei Lin",
            timezone="Asia/Singapore",
            locale="en-SG",
            target_roles=("platform engineer", "site reliability engineer"),
            strengths=("incident response",),
            skills=("Terraform", "AWS", "Python"),
        ),
        timeline=(
            Reject(
                50,
                "Northwind Logistics",
                "Platform Engineer",
                stage="assessment",
                reason="lacks_skills",
                missing_skills=("Kubernetes",),
                mood=3,
            ),
            Apply(30, "Grab", "Site Reliability Engineer", ref="grab"),
            Reject(
                21,
                "Grab",
                "Site Reliability Engineer",
                stage="interview",
                reason="lacks_skills",
                feedback="Strong on Terraform; we need hands-on cluster operations.",
                missing_skills=("kubernetes", "Helm"),
                mood=2,
                application="grab",
            ),
            Apply(10, "Shopee", "DevOps Engineer", ref="shopee"),
            Reject(
                0.2,
                "Shopee",
                "DevOps Engineer",
                stage="interview",
                reason="lacks_skills",
                mood=3,
                application="shopee",
            ),
        ),
    ),
    History(
        slug="recurring-gap-cpp",
        case="Lukas keeps hearing that C++ is missing: Infineon and Bosch wrote 'C++', AVL "
        "wrote 'c++' (and praised his test automation).",
        expect="C++ written as C++, one focused learning goal for it, and the praise for his "
        "test automation kept as a strength.",
        profile=Profile(
            display_name="Lukas Brenner",
            timezone="Europe/Vienna",
            locale="de-AT",
            target_roles=("embedded software engineer",),
            strengths=("test automation",),
            skills=("Python", "embedded Linux"),
        ),
        timeline=(
            Reject(
                60,
                "Infineon",
                "Embedded Software Engineer",
                stage="assessment",
                reason="lacks_skills",
                missing_skills=("C++", "AUTOSAR"),
                mood=3,
            ),
            Reject(
                33,
                "AVL List",
                "Firmware Engineer",
                stage="interview",
                reason="lacks_skills",
                feedback="Your test automation work was impressive.",
                missing_skills=("c++",),
                mood=3,
            ),
            Reject(
                2,
                "Bosch",
                "Software Engineer, Driver Assistance",
                stage="phone_screen",
                reason="lacks_skills",
                missing_skills=("C++", "ROS"),
                mood=2,
            ),
        ),
    ),
    History(
        slug="overqualified",
        case="Maggie, a former head of finance, was turned down as overqualified for a finance "
        "manager role (experience_level, reason_detail 'overqualified'). Mood 2.",
        expect="Too senior is not too inexperienced. Care first; then how to present the move "
        "(why this level, for how long), never 'close the gap'.",
        profile=Profile(
            display_name="Maggie Doyle",
            timezone="Europe/Dublin",
            locale="en-IE",
            target_roles=("finance manager", "financial controller"),
            strengths=("leading teams", "audit readiness"),
            skills=("IFRS", "NetSuite"),
        ),
        timeline=(
            Apply(14, "Kerry Group", "Finance Manager", ref="kerry"),
            Reject(
                0.25,
                "Kerry Group",
                "Finance Manager",
                stage="phone_screen",
                reason="experience_level",
                reason_detail="overqualified",
                feedback="Your background is more senior than this role; we worry you would be "
                "bored within a year.",
                mood=2,
                application="kerry",
            ),
        ),
    ),
    History(
        slug="outside-target-roles",
        case="Hannah wants data or BI analyst roles, but both rejections are for a sales and a "
        "customer success job she applied to on the side.",
        expect="Notice, kindly, that these roles are outside her targets and point her back to "
        "analyst roles that use her SQL and Tableau.",
        profile=Profile(
            display_name="Hannah Schmidt",
            timezone="Europe/Berlin",
            locale="de-DE",
            target_roles=("data analyst", "BI analyst"),
            strengths=("clear dashboards",),
            skills=("SQL", "Tableau"),
        ),
        timeline=(
            Apply(20, "Delivery Hero", "Sales Development Representative", ref="dh"),
            Reject(
                12,
                "Delivery Hero",
                "Sales Development Representative",
                stage="phone_screen",
                reason="culture_fit",
                mood=3,
                application="dh",
            ),
            Apply(10, "N26", "Customer Success Manager", ref="n26"),
            Reject(
                0.3,
                "N26",
                "Customer Success Manager",
                stage="application_review",
                reason="lacks_skills",
                reason_detail="Looking for 3+ years in customer-facing roles",
                mood=2,
                application="n26",
            ),
        ),
    ),
    History(
        slug="phone-screen-losses",
        case="Ravi lost three support-lead roles in a row at the phone screen within three weeks.",
        expect="Three early losses at the same step is worth one calm look at how he opens "
        "those calls. Counts in words ('three'), no '3 times'.",
        profile=Profile(
            display_name="Ravi Patel",
            timezone="Asia/Kolkata",
            locale="en-IN",
            target_roles=("support team lead",),
            strengths=("de-escalation",),
            skills=("Zendesk", "SLA reporting"),
        ),
        timeline=(
            Apply(25, "Freshworks", "Support Team Lead", ref="fw"),
            Apply(22, "Zoho", "Customer Support Manager", ref="zoho"),
            Apply(18, "Razorpay", "Support Operations Lead", ref="rp"),
            Reject(16, "Freshworks", "Support Team Lead", stage="phone_screen", application="fw"),
            Reject(
                8,
                "Zoho",
                "Customer Support Manager",
                stage="phone_screen",
                reason="other_candidate",
                application="zoho",
            ),
            Reject(
                0.2,
                "Razorpay",
                "Support Operations Lead",
                stage="phone_screen",
                mood=2,
                application="rp",
            ),
        ),
    ),
    History(
        slug="thirteen-rejections",
        case="Marcus has had thirteen rejections in two months, mostly at the CV stage; the "
        "latest, from Lowe's after an interview, left him at mood 2.",
        expect="Name the run honestly, point at what he controls (a weekly goal), check the "
        "level he targets. Not a wall of tasks at once, and Lowe's spelled right.",
        profile=Profile(
            display_name="Marcus Johnson",
            timezone="America/New_York",
            locale="en-US",
            target_roles=("operations supervisor", "warehouse manager"),
            strengths=("safety record", "shift planning"),
            skills=("WMS", "forklift certification"),
        ),
        timeline=(
            *(
                Reject(days, company, role, stage=stage, reason=reason, mood=3)
                for days, company, role, stage, reason in _MARCUS
            ),
            Apply(4, "Lowe's", "Distribution Supervisor", source="indeed", ref="lowes"),
            Reject(
                0.2,
                "Lowe's",
                "Distribution Supervisor",
                stage="interview",
                reason="other_candidate",
                mood=2,
                application="lowes",
            ),
        ),
    ),
)
