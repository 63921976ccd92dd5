"""Problem types any route can answer with: the request's form, credentials, limits, the server.

Each entry is `ProblemEntry(code, status, title, meaning, action)`.
"""

from app.problems.models import ProblemEntry

ENTRIES = [
    ProblemEntry(
        "malformed_json",
        400,
        "The body is not valid JSON",
        "The body could not be parsed as JSON: a syntax error, bytes that are not UTF-8, or "
        "nesting too deep to read.",
        "Send one JSON document, encoded as UTF-8; build it with a JSON library rather than by "
        "joining strings.",
    ),
    ProblemEntry(
        "invalid_url",
        400,
        "The URL contains a NUL character",
        "The path or the query string holds a NUL character (`%00`). No id or filter contains one, "
        "so the request cannot mean anything.",
        "Check how the URL is built: an id or a filter value is probably uninitialised or binary.",
    ),
    ProblemEntry(
        "bad_request",
        400,
        "Bad request",
        "The request cannot be understood as it stands; `detail` says why.",
        "Read `detail`, correct the request and send it again. Retrying it unchanged gives the "
        "same answer.",
    ),
    ProblemEntry(
        "invalid_cursor",
        400,
        "The cursor is not valid for this list",
        "The `cursor` was edited, truncated, or comes from another list, another filter or another "
        "tenant. Cursors are signed and bound to the list they came from.",
        "Pass `next_cursor` back exactly as you received it, to the same list with the same "
        "filters; or start again from the first page without `cursor`.",
    ),
    ProblemEntry(
        "invalid_idempotency_key",
        400,
        "The Idempotency-Key header is not valid",
        "`Idempotency-Key` must be 1 to 255 visible ASCII characters; this one is empty, too long, "
        "or contains spaces or other characters.",
        "Use a fresh random value per operation, such as a UUID, and send the same value when you "
        "retry that operation.",
    ),
    ProblemEntry(
        "missing_api_key",
        401,
        "No API key",
        "The request carried no API key: the `Authorization` header is missing, empty, or not of "
        "the `Bearer` kind.",
        "Send `Authorization: Bearer <key>` with every request under `/v1`. Keys are issued with "
        "`rebound tenant create` or `rebound key create`.",
    ),
    ProblemEntry(
        "invalid_api_key",
        401,
        "The API key is not valid",
        "The key sent is unknown or has been revoked.",
        "Check that the whole key was copied, without spaces; if it was revoked, ask for a new "
        "one. Retrying with the same key does not help, and repeated failures are rate limited per "
        "client address.",
    ),
    ProblemEntry(
        "unauthorized",
        401,
        "Not authenticated",
        "The request needs credentials it did not carry.",
        "Send `Authorization: Bearer <key>` with a valid API key.",
    ),
    ProblemEntry(
        "missing_scope",
        403,
        "The API key lacks the scope",
        "The key is valid but was not issued with the scope this route needs; `detail` names the "
        "scope. The check comes before any lookup, so this says nothing about whether the object "
        "exists.",
        "Use a key that has the scope (the route table in the API documentation lists them), or "
        "have one issued with it.",
    ),
    ProblemEntry(
        "forbidden",
        403,
        "Forbidden",
        "The credentials are valid but do not allow this request.",
        "Use a key allowed to make it; retrying with the same key gives the same answer.",
    ),
    ProblemEntry(
        "not_found",
        404,
        "Not found",
        "Nothing is at this address: the path matches no route, or names something that does not "
        "exist.",
        "Check the path against the API documentation at `/docs`, including the `/v1` prefix.",
    ),
    ProblemEntry(
        "method_not_allowed",
        405,
        "Method not allowed",
        "The path exists but does not accept this HTTP method.",
        "Use one of the methods listed in the `Allow` header of the response.",
    ),
    ProblemEntry(
        "conflict",
        409,
        "Conflict",
        "The request clashes with what is stored now; `detail` says how.",
        "Read the resource again, decide whether the change still makes sense, and retry.",
    ),
    ProblemEntry(
        "concurrently_modified",
        409,
        "Changed by another request",
        "Another request changed this resource between this request reading it and writing it. "
        "Nothing was overwritten and nothing was saved.",
        "Read the resource again and apply your change to what is there now. To make such races "
        "explicit, send `If-Match` with the `ETag` you last read.",
    ),
    ProblemEntry(
        "concurrently_deleted",
        409,
        "Deleted while being written to",
        "The seeker (or the application) this request wrote to was deleted while it ran, usually "
        "by an erasure. Nothing was saved.",
        "Do not retry blindly: check whether the seeker still exists, and create it again first if "
        "it should.",
    ),
    ProblemEntry(
        "idempotency_key_in_use",
        409,
        "A request with this Idempotency-Key is still running",
        "An earlier request with the same `Idempotency-Key` has not finished yet.",
        "Wait a moment and retry with the same key: once the first request has finished, the retry "
        "gets its stored response.",
    ),
    ProblemEntry(
        "version_mismatch",
        412,
        "The version in If-Match is not the current one",
        "The resource changed since the version named in `If-Match`; the response's `ETag` carries "
        "the current version. Nothing was changed.",
        "Read the resource again, reapply your change to what is there now, and send it with the "
        "new `ETag` in `If-Match`.",
    ),
    ProblemEntry(
        "payload_too_large",
        413,
        "The body is too large",
        "The body is over the size limit (`detail` gives it; 1 MiB by default), judged by "
        "`Content-Length` or by the bytes actually sent.",
        "Send less in one request: split a batch of rejections into several smaller batches.",
    ),
    ProblemEntry(
        "unsupported_media_type",
        415,
        "The body is not declared as JSON",
        "A body was sent without `Content-Type: application/json` (or another `+json` type), for "
        "example by `curl -d` without a header.",
        "Send the body as JSON with `Content-Type: application/json`.",
    ),
    ProblemEntry(
        "validation_failed",
        422,
        "Invalid fields",
        "The request is well-formed JSON but some values are not acceptable. Each entry of "
        "`errors` points at one: `pointer` is a JSON pointer into the body (`/missing_skills/0`), "
        "`parameter` names a query, path or header parameter.",
        "Fix each field `errors` names; the OpenAPI document declares every bound, pattern and "
        "format. Retrying unchanged gives the same answer.",
    ),
    ProblemEntry(
        "idempotency_key_reused",
        422,
        "This Idempotency-Key was used for another request",
        "The key was first used with a different method, path, query or body, or by another API "
        "key of the tenant. The stored response is not replayed.",
        "Use a new key for each distinct operation; reuse a key only to retry the very same "
        "request with the same API key.",
    ),
    ProblemEntry(
        "rate_limited",
        429,
        "Too many requests",
        "This API key (or, without a valid key, this client address) used up its request budget "
        "for the current window. The `RateLimit` and `RateLimit-Policy` headers describe the "
        "budget.",
        "Wait the number of seconds in `Retry-After`, then continue at a lower pace. Requests "
        "refused meanwhile still count.",
    ),
    ProblemEntry(
        "internal_error",
        500,
        "Internal error",
        "Something failed on the server's side. It has been logged with the `request_id` of this "
        "response.",
        "Retry later, with the same `Idempotency-Key` for a `POST`. If it persists, report the "
        "`request_id` to the operators of this service.",
    ),
    ProblemEntry(
        "database_unavailable",
        503,
        "The database cannot be reached",
        "The service could not reach its database, or lost the connection during the request. If "
        "that happened while committing, the change may have been saved.",
        "Retry after `Retry-After` seconds. For a `POST`, send the same `Idempotency-Key`, so a "
        "change that was saved is not made twice.",
    ),
    ProblemEntry(
        "database_busy",
        503,
        "The database is busy",
        "Another writer held the database for longer than the wait allows. Nothing was saved.",
        "Retry shortly, with the same `Idempotency-Key` for a `POST`.",
    ),
    ProblemEntry(
        "not_saved",
        503,
        "The change was not saved",
        "The response was ready, but committing the change (and the stored idempotent response) "
        "failed, so everything was rolled back.",
        "Retry the request, with the same `Idempotency-Key`: nothing of the first attempt was "
        "kept.",
    ),
]
