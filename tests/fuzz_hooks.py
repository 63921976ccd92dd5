"""Schemathesis hooks of the fuzz runs, loaded through `schemathesis.toml` (`hooks`), so that
tests/test_fuzz.py and the CLI that `make fuzz` runs behave alike."""

import itertools
import re
from typing import Any

import schemathesis
from schemathesis.specs.openapi import stateful

_VALID_KEY = re.compile(r"[!-~]{1,255}")
_serial = itertools.count()


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: schemathesis.Case, kwargs: Any) -> None:
    """Make each valid generated `Idempotency-Key` unique, and give unroutable ids a value.

    The same key with another body is a 422 by design (API.md), and a generator offers the same
    short keys to every case of an operation. An invalid key is sent as generated (a 400).
    """
    key = case.headers.get("Idempotency-Key") if case.headers else None
    if isinstance(key, str) and _VALID_KEY.fullmatch(key):
        case.headers["Idempotency-Key"] = f"{key[:240]}.{next(_serial)}"  # type: ignore[index]
    for name in _unaddressable(case):  # an id of nothing instead: the 404 the client meant
        case.path_parameters[name] = "unknown"  # type: ignore[index]


def _unaddressable(case: schemathesis.Case) -> list[str]:
    """The path ids that cannot address anything, yet their schema does not exclude them.

    An empty id collapses the URL onto another resource (`/next-steps//accept-goal` is a 405), and
    NUL in a URL is refused before routing (400). Once an id's schema says `minLength: 1` and a
    pattern, such values are invalid, and left for the negative cases to send.
    """
    declared = {p.name: p.definition.get("schema", {}) for p in case.operation.path_parameters}
    names = []
    for name, value in (case.path_parameters or {}).items():
        schema = declared.get(name, {})
        if (value == "" and not schema.get("minLength")) or (
            isinstance(value, str) and "\x00" in value and "pattern" not in schema
        ):
            names.append(name)
    return names


# Schemathesis' dependency analysis reads `external_id` (the client's own id for a seeker, an
# application or a rejection) as the key of an "External" resource that no operation produces,
# and so never starts a stateful scenario with `POST /v1/seekers` or `GET /v1/seekers`: nothing
# that hangs off a seeker (applications, rejections, next steps, goals) would be reached. An
# operation without path parameters needs nothing made before it, so it may always start one.
_likely_root = stateful.is_likely_root_transition


def _root_without_path_parameters(operation: Any, node: Any, produced_anywhere: Any) -> bool:
    if operation.method in ("get", "post") and not operation.path_parameters:
        return True
    return bool(_likely_root(operation, node, produced_anywhere))


stateful.is_likely_root_transition = _root_without_path_parameters
