"""Problem types of particular resources: seekers, records, steps, goals, webhooks, tenants.

Each entry is `ProblemEntry(code, status, title, meaning, action)`. A `…_not_found` answer is
the same whether the id never existed or belongs to another tenant.
"""

from app.problems.models import ProblemEntry

ENTRIES = [
    ProblemEntry(
        "seeker_not_found",
        404,
        "No such seeker",
        "No seeker with this id exists for your tenant (it may have been erased).",
        "Check the id; look a seeker up by your own id with `GET /v1/seekers?external_id=`.",
    ),
    ProblemEntry(
        "seeker_external_id_taken",
        409,
        "The external id belongs to another seeker",
        "Another seeker of your tenant already has this `external_id`.",
        "Fetch that seeker with `GET /v1/seekers?external_id=` and use it, or choose another "
        "`external_id`.",
    ),
    ProblemEntry(
        "application_not_found",
        404,
        "No such application",
        "No application with this id exists for your tenant.",
        "Check the id; list a seeker's applications with `GET "
        "/v1/seekers/{seeker_id}/applications`.",
    ),
    ProblemEntry(
        "rejection_not_found",
        404,
        "No such rejection",
        "No rejection with this id exists for your tenant (it may have been deleted).",
        "Check the id; list a seeker's rejections with `GET /v1/seekers/{seeker_id}/rejections`.",
    ),
    ProblemEntry(
        "external_id_conflict",
        409,
        "The external id is recorded for another seeker",
        "This `source` and `external_id` pair is already stored for a different seeker. A pair "
        "names one event (or application) of one seeker.",
        "Check which seeker the event belongs to. Resending it for the same seeker is safe and "
        "answers 200 with the stored record.",
    ),
    ProblemEntry(
        "next_step_not_found",
        404,
        "No such next step",
        "No next step with this id exists for your tenant.",
        "Check the id; list a seeker's steps with `GET /v1/seekers/{seeker_id}/next-steps`.",
    ),
    ProblemEntry(
        "invalid_transition",
        409,
        "The step cannot move to that status",
        "The status change is not allowed from where the step stands (a retracted step stays "
        "retracted, a done step can only be reopened), or reopening it would give the seeker "
        "two active steps of the same recommendation; `detail` says which.",
        "Read the step again and choose a move allowed from its current status.",
    ),
    ProblemEntry(
        "no_suggested_goal",
        409,
        "The step suggests no goal",
        "Only a step whose `suggested_goal` is set can be accepted as a goal.",
        "Check `suggested_goal` on the step first, or create the goal yourself with `POST "
        "/v1/seekers/{seeker_id}/goals`.",
    ),
    ProblemEntry(
        "goal_not_found",
        404,
        "No such goal",
        "No goal with this id exists for your tenant.",
        "Check the id; list a seeker's goals with `GET /v1/seekers/{seeker_id}/goals`.",
    ),
    ProblemEntry(
        "goal_closed",
        409,
        "The goal takes no more check-ins",
        "The goal is achieved or abandoned, or the check-in is dated after the goal's `due_on`, "
        "when it can no longer count.",
        "Do not retry. Create a new goal to keep tracking, or date the check-in within the goal's "
        "period.",
    ),
    ProblemEntry(
        "recommendation_not_found",
        404,
        "No such recommendation",
        "No recommendation has this key.",
        "Use one of the keys listed by `GET /v1/recommendations`.",
    ),
    ProblemEntry(
        "export_too_large",
        422,
        "The list is too long to export",
        "A CSV export (`?format=csv`) holds at most 100,000 rows, and this list has more.",
        "Page through the JSON list with `limit` and `cursor` instead.",
    ),
    ProblemEntry(
        "webhook_endpoint_not_found",
        404,
        "No such webhook endpoint",
        "No webhook endpoint with this id exists for your tenant.",
        "Check the id; list your endpoints with `GET /v1/webhook-endpoints`.",
    ),
    ProblemEntry(
        "webhook_delivery_not_found",
        404,
        "No such delivery",
        "No delivery with this id exists for this webhook endpoint (deliveries are kept for a "
        "limited time).",
        "Check both ids; list the endpoint's deliveries with `GET "
        "/v1/webhook-endpoints/{endpoint_id}/deliveries`.",
    ),
    ProblemEntry(
        "webhook_conflict",
        409,
        "Conflicts with the webhook endpoint's state",
        "The request clashes with the state of the endpoint or of its delivery; `detail` says how.",
        "Read the endpoint (or the delivery) again and retry once the state allows it.",
    ),
    ProblemEntry(
        "too_many_webhook_endpoints",
        409,
        "Too many webhook endpoints",
        "A tenant may have at most 20 webhook endpoints, and yours has that many.",
        "Delete an endpoint you no longer use, or point one endpoint at a receiver that handles "
        "several event types.",
    ),
    ProblemEntry(
        "too_many_secret_rotations",
        409,
        "Too many secret rotations",
        "Every rotated-out secret keeps signing for 24 hours, and at most four may do so at "
        "once; this would be a fifth.",
        "Rotate again after the time `detail` gives, once the oldest rotated-out secret has "
        "expired.",
    ),
    ProblemEntry(
        "webhook_endpoint_disabled",
        409,
        "The webhook endpoint is disabled",
        "Deliveries to a disabled endpoint cannot be retried.",
        'Enable the endpoint first (`PATCH` it with `{"status": "enabled"}`), then retry the '
        "delivery.",
    ),
    ProblemEntry(
        "delivery_pending",
        409,
        "The delivery is still scheduled",
        "The delivery has not finished its automatic attempts; it is sent again on its own.",
        "Wait for it to succeed or fail; a manual retry is for a delivery that has finished.",
    ),
    ProblemEntry(
        "tenant_not_found",
        404,
        "No such tenant",
        "No tenant has this id or name. Seen from the `rebound` command line.",
        "Check the name or id; tenants are created with `rebound tenant create`.",
    ),
    ProblemEntry(
        "tenant_exists",
        409,
        "The tenant exists",
        "A tenant with this name already exists. Seen from the `rebound` command line.",
        "Use the existing tenant (issue it another key with `rebound key create`) or choose "
        "another name.",
    ),
    ProblemEntry(
        "api_key_not_found",
        404,
        "No such API key",
        "No API key has this id. Seen from the `rebound` command line.",
        "Check the key's id (`key_…`), not its secret.",
    ),
    ProblemEntry(
        "invalid_rate_limit",
        422,
        "Not a rate limit",
        "The value is not one rate limit with a quota of at least 1. Seen from the `rebound` "
        "command line.",
        "Write it as requests per period, for example `600/minute`, `100/10 seconds` or "
        "`50000/day`.",
    ),
    ProblemEntry(
        "unreadable_row",
        422,
        "The row cannot be read",
        "A line of the file given to `rebound import` is not a row: a CSV line with more or "
        "fewer cells than the header, or a JSON Lines line that is not valid JSON or not an "
        "object. It appears in the import's report, never in an HTTP response.",
        "Fix the line the report names and run the import again: rows already imported are "
        "skipped.",
    ),
]
