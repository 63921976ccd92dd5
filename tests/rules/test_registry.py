"""The registry: a new recommendation is one file; a malformed catalog module refuses to load."""

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import uuid4

import pytest

import app.rules.catalog
from app.rules.base import scenario
from app.rules.engine import evaluate
from app.rules.registry import CatalogError, Registry, get_registry, load
from tests.rules.support import written

CATALOG = Path(app.rules.catalog.__file__).parent
NEW_KEY = "celebrate_progress"
HEADER = textwrap.dedent('''\
    """Celebrate progress: notice the steps you took, not only the replies you got."""

    from app.rules.base import Reason, Recommendation, rule, scenario
    from app.rules.context import RuleContext

''')
RULE = textwrap.dedent('''

    @rule(
        fires=[scenario(stage="assessment")],
        silent=[scenario(stage="interview"), scenario(stage="assessment", ended_by="candidate")],
    )
    def after_assessment(ctx: RuleContext) -> Reason | None:
        """Finishing an assessment is progress, whatever the outcome."""
        if ctx.event.stage == "assessment" and ctx.employer_ended:
            return Reason("", {"stage": ctx.event.stage})
        return None
''')

Catalog = Callable[[dict[str, str]], str]


def recommendation(key: str = NEW_KEY, *, actions: int = 3, paragraphs: int = 2) -> str:
    """The RECOMMENDATION of a new catalog module, with `actions` actions."""
    guidance = "\n\n".join(
        f"Paragraph {n}: look back at what you did this week, not only at the answers."
        for n in range(1, paragraphs + 1)
    )
    steps = tuple(f"Write down one thing you did well, number {n}" for n in range(1, actions + 1))
    return (
        "RECOMMENDATION = Recommendation(\n"
        f"    key={key!r},\n"
        '    title="Celebrate progress",\n'
        '    summary="Notice the steps you took, not only the replies you got.",\n'
        f"    guidance={guidance!r},\n"
        f"    actions={steps!r},\n"
        "    priority=25,\n"
        ")\n"
    )


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Catalog]:
    """Build a package of the real catalog's sources plus extra modules; returns its name."""
    monkeypatch.syspath_prepend(str(tmp_path))
    names: list[str] = []

    def build(extra: dict[str, str]) -> str:
        name = f"tmp_catalog_{uuid4().hex}"  # unique: sys.modules must not serve an old one
        package = tmp_path / name
        package.mkdir()
        (package / "__init__.py").write_text("")
        for module in sorted(CATALOG.glob("*.py")):
            if module.name != "__init__.py":
                (package / module.name).write_text(module.read_text())
        for module_name, source in extra.items():
            (package / f"{module_name}.py").write_text(source)
        names.append(name)
        return name

    yield build
    for module in [m for m in sys.modules if m.split(".")[0] in names]:
        del sys.modules[module]


def test_load_copied_catalog_matches_the_built_in_registry(catalog: Catalog) -> None:
    registry = load(catalog({}))
    builtin = get_registry()
    assert [r.key for r in registry.recommendations] == [r.key for r in builtin.recommendations]
    assert [r.id for r in registry.rules] == [r.id for r in builtin.rules]


def test_load_eleventh_recommendation_from_one_new_file(catalog: Catalog) -> None:
    registry = load(catalog({NEW_KEY: HEADER + recommendation() + RULE}))

    assert len(registry.recommendations) == 11
    added = registry.recommendation(NEW_KEY)
    assert added is not None and added.title == "Celebrate progress"
    assert [r.id for r in registry.rules_for(NEW_KEY)] == [f"{NEW_KEY}.after_assessment"]
    new_rule = registry.rules_for(NEW_KEY)[0]
    assert new_rule.description == "Finishing an assessment is progress, whatever the outcome."
    # placed by priority: after seek_feedback (20), before evaluate_application (30)
    keys = [r.key for r in registry.recommendations]
    assert keys.index("seek_feedback") < keys.index(NEW_KEY) < keys.index("evaluate_application")


def test_evaluate_eleventh_recommendation_produces_its_suggestion(catalog: Catalog) -> None:
    registry = load(catalog({NEW_KEY: HEADER + recommendation() + RULE}))
    ctx = scenario(stage="assessment", company="Globex", role="Analyst")

    suggestions = evaluate(registry, ctx)

    by_key = {s.recommendation_key: s for s in suggestions}
    added = by_key[NEW_KEY]
    assert [(h.rule_id, h.facts) for h in added.hits] == [
        (f"{NEW_KEY}.after_assessment", {"stage": "assessment"})
    ]
    # with no composer of its own, its step reads the recommendation's own words
    words = {key: w for key, w, _ in written(ctx, registry)}[NEW_KEY]
    assert words.title == "Celebrate progress"
    assert "Globex" in words.body
    assert len(words.actions) == 3
    # the ten built-in recommendations say exactly what they said before
    assert [s for s in suggestions if s.recommendation_key != NEW_KEY] == evaluate(
        get_registry(), ctx
    )


def test_evaluate_eleventh_recommendation_stays_out_when_its_rule_is_silent(
    catalog: Catalog,
) -> None:
    registry = load(catalog({NEW_KEY: HEADER + recommendation() + RULE}))
    ctx = scenario(stage="interview")
    assert evaluate(registry, ctx) == evaluate(get_registry(), ctx)


def test_load_new_rule_in_an_existing_module_is_one_function(catalog: Catalog) -> None:
    source = (CATALOG / "seek_feedback.py").read_text() + RULE.replace(
        "after_assessment", "after_assessment_too"
    )
    registry = load(catalog({"seek_feedback": source}))

    assert len(registry.recommendations) == 10
    assert "seek_feedback.after_assessment_too" in {r.id for r in registry.rules}
    suggestions = evaluate(registry, scenario(stage="assessment", reason="other_candidate"))
    feedback = next(s for s in suggestions if s.recommendation_key == "seek_feedback")
    assert [h.rule_id for h in feedback.hits] == ["seek_feedback.after_assessment_too"]


MALFORMED = {
    "missing_recommendation": (HEADER + RULE, "no RECOMMENDATION"),
    "key_not_module_name": (
        HEADER + recommendation(key="celebrate") + RULE,
        "the key must be the module's name",
    ),
    "two_actions": (HEADER + recommendation(actions=2) + RULE, "3 to 6 actions"),
    "seven_actions": (HEADER + recommendation(actions=7) + RULE, "3 to 6 actions"),
    "one_paragraph_guidance": (
        HEADER + recommendation(paragraphs=1) + RULE,
        "guidance needs a few paragraphs",
    ),
    "rule_without_silent_examples": (
        HEADER
        + recommendation()
        + RULE.replace(
            'silent=[scenario(stage="interview"), scenario(stage="assessment", '
            'ended_by="candidate")]',
            "silent=[]",
        ),
        "firing and silent examples",
    ),
    "rule_without_docstring": (
        HEADER
        + recommendation()
        + RULE.replace(
            '    """Finishing an assessment is progress, whatever the outcome."""\n', ""
        ),
        "docstring",
    ),
    "module_without_rules": (HEADER + recommendation(), "no rules"),
}


@pytest.mark.parametrize(("source", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_load_malformed_module_raises_catalog_error(
    catalog: Catalog, source: str, message: str
) -> None:
    assert source != HEADER + recommendation() + RULE  # each case really breaks something
    package = catalog({NEW_KEY: source})
    with pytest.raises(CatalogError, match=message) as raised:
        load(package)
    assert NEW_KEY in str(raised.value)  # the error names the module at fault


def test_load_well_formed_new_module_passes_the_same_checks(catalog: Catalog) -> None:
    assert isinstance(load(catalog({NEW_KEY: HEADER + recommendation() + RULE})), Registry)
