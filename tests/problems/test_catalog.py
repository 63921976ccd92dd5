"""The problem catalog names every `code` the app can emit, and nothing else."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import app as app_package
from app.core.errors import AppError
from app.problems.catalog import CATALOG

APP_DIR = Path(app_package.__file__).parent
# Where a code is written as a literal: `code = "x"` (a class), `code="x"` (a raise),
# `"code": "x"` (a report line), and `409, "x"` / `405: "x"` (a status with its code: a class's
# `status, code = …`, a `problem_response(request, 503, "x", …)`, a refusal tuple, a table).
CODE_LITERALS = (
    re.compile(r'\bcode\s*=\s*"([a-z][a-z0-9_]*)"'),
    re.compile(r'"code"\s*:\s*"([a-z][a-z0-9_]*)"'),
)
STATUS_AND_CODE = re.compile(r'\b([1-5]\d\d)\s*[,:]\s*"([a-z][a-z0-9_]*)"')
# Written in each of those forms today: if the scan stops seeing one, the scan is broken.
KNOWN = {
    "seeker_not_found",  # code = "..."
    "missing_scope",  # code="..."
    "unreadable_row",  # "code": "..."
    "database_unavailable",  # problem_response(request, 503, "...")
    "unsupported_media_type",  # a refusal tuple split over lines
    "method_not_allowed",  # the status → code table
    "version_mismatch",  # status, code = 412, "..."
}


def _sources() -> list[Path]:
    return [p for p in APP_DIR.rglob("*.py") if "problems" not in p.relative_to(APP_DIR).parts]


def scanned_codes() -> dict[str, set[int]]:
    """Every code literal in the app's source, with the statuses written next to it."""
    found: dict[str, set[int]] = {}
    for path in _sources():
        text = path.read_text()
        for pattern in CODE_LITERALS:
            for code in pattern.findall(text):
                found.setdefault(code, set())
        for status, code in STATUS_AND_CODE.findall(text):
            found.setdefault(code, set()).add(int(status))
    return found


def error_classes() -> list[type[AppError]]:
    """Every AppError subclass of the app, after importing every module."""
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    classes: list[type[AppError]] = []
    pending: list[type[AppError]] = [AppError]
    while pending:
        cls = pending.pop()
        classes.append(cls)
        pending.extend(cls.__subclasses__())
    return classes


def test_the_scan_sees_each_way_a_code_is_written() -> None:
    assert set(scanned_codes()) >= KNOWN


def test_every_code_written_in_the_source_has_an_entry() -> None:
    missing = sorted(set(scanned_codes()) - set(CATALOG))
    assert missing == [], f"add these to app/problems/: {missing}"


def test_every_error_class_has_an_entry_with_its_status() -> None:
    classes = error_classes()
    assert len(classes) > 20
    for cls in classes:
        assert cls.code in CATALOG, f"{cls.__qualname__}: add {cls.code!r} to app/problems/"
        assert CATALOG[cls.code].status == cls.status, cls.__qualname__


def test_a_status_written_beside_a_code_is_the_entry_status() -> None:
    for code, statuses in scanned_codes().items():
        if statuses and code in CATALOG:
            assert statuses == {CATALOG[code].status}, code


def test_every_entry_is_a_code_the_app_emits() -> None:
    emitted = set(scanned_codes()) | {cls.code for cls in error_classes()}
    assert sorted(set(CATALOG) - emitted) == []


@pytest.mark.parametrize("code", CATALOG)
def test_entry_is_written_for_an_integrator(code: str) -> None:
    entry = CATALOG[code]
    assert entry.code == code
    assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", code)
    assert 400 <= entry.status <= 599
    assert entry.title and entry.title[0].isupper() and not entry.title.endswith(".")
    for text in (entry.meaning, entry.action):
        assert len(text) >= 20 and text.endswith("."), text
        assert text.count("`") % 2 == 0, text  # literal names are closed, or the page garbles
        assert "  " not in text, text
