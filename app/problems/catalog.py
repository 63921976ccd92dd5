"""Every problem `code` the service can answer with: what it means and what to do about it.

Pure data, imported by the error handlers (to point `type` at an entry) and by the pages at
`/problems`. Text is plain; backticks mark literal names (headers, fields, values), which the
HTML page shows as code. A test fails when the app can emit a code that has no entry here.
"""

from app.problems import general, specific
from app.problems.models import ProblemEntry


def _catalog() -> dict[str, ProblemEntry]:
    entries = [*general.ENTRIES, *specific.ENTRIES]
    catalog = {entry.code: entry for entry in entries}
    if len(catalog) != len(entries):  # a code written twice would silently lose one text
        raise RuntimeError("a problem code has two entries")
    return dict(sorted(catalog.items()))


CATALOG: dict[str, ProblemEntry] = _catalog()


def type_uri(base_url: str, code: str) -> str:
    """A problem's `type`: the page of `code` under the service's `base_url` (ending in `/`)."""
    if code not in CATALOG:  # RFC 9457's "nothing to add to the status"; a test keeps it unused
        return "about:blank"
    return f"{base_url}problems/{code}"
