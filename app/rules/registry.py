"""The registry: discovers catalog modules at start-up and refuses a malformed one, loudly."""

import importlib
import pkgutil
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from app.rules.base import Recommendation, Rule, RuleSpec

KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class CatalogError(Exception):
    """A catalog module does not follow the rules of the catalog."""


@dataclass(frozen=True)
class Registry:
    """Every recommendation (in output order) and every rule (by recommendation, then name)."""

    recommendations: tuple[Recommendation, ...]
    rules: tuple[Rule, ...]

    def recommendation(self, key: str) -> Recommendation | None:
        """The recommendation with this key, if any."""
        return next((r for r in self.recommendations if r.key == key), None)

    def rules_for(self, key: str) -> tuple[Rule, ...]:
        """The rules of one recommendation."""
        return tuple(r for r in self.rules if r.recommendation_key == key)


def _check(module: ModuleType, name: str) -> Recommendation:
    recommendation = getattr(module, "RECOMMENDATION", None)
    if not isinstance(recommendation, Recommendation):
        raise CatalogError(f"{name}: no RECOMMENDATION")
    if recommendation.key != name or not KEY.match(name):
        raise CatalogError(f"{name}: the key must be the module's name, in snake_case")
    if not (recommendation.title.strip() and recommendation.summary.strip()):
        raise CatalogError(f"{name}: a title and a summary are required")
    if len([p for p in recommendation.guidance.split("\n\n") if p.strip()]) < 2:
        raise CatalogError(f"{name}: guidance needs a few paragraphs")
    if not 3 <= len(recommendation.actions) <= 6:
        raise CatalogError(f"{name}: 3 to 6 actions")
    return recommendation


def _rules(module: ModuleType, key: str) -> list[Rule]:
    rules = []
    for attribute, value in vars(module).items():
        spec = getattr(value, "__rule__", None)
        if not isinstance(spec, RuleSpec):
            continue
        rule_id = f"{key}.{attribute}"
        if spec.version < 1 or not spec.fires or not spec.silent:
            raise CatalogError(f"{rule_id}: needs a version >= 1 and firing and silent examples")
        if not spec.on or not spec.on <= {"rejection", "time"}:
            raise CatalogError(f"{rule_id}: `on` names the triggers: rejection and/or time")
        examples = spec.fires + spec.silent
        if any(example.trigger not in spec.on for example in examples):
            raise CatalogError(f"{rule_id}: an example uses a trigger the rule does not answer")
        if not (value.__doc__ or "").strip():
            raise CatalogError(f"{rule_id}: the docstring is the rule's description")
        description = " ".join((value.__doc__ or "").split())
        rules.append(
            Rule(rule_id, key, spec.version, description, value, spec.fires, spec.silent, spec.on)
        )
    if not rules:
        raise CatalogError(f"{key}: no rules")
    return sorted(rules, key=lambda r: r.id)


def load(package: str = "app.rules.catalog") -> Registry:
    """Import every module of `package` and build the registry; CatalogError if one is malformed."""
    root = importlib.import_module(package)
    recommendations: list[Recommendation] = []
    rules: list[Rule] = []
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package}.{info.name}")
        recommendation = _check(module, info.name)
        recommendations.append(recommendation)
        rules += _rules(module, recommendation.key)
    return _build(recommendations, rules)


def _build(recommendations: Iterable[Recommendation], rules: Iterable[Rule]) -> Registry:
    ordered = tuple(sorted(recommendations, key=lambda r: (r.priority, r.key)))
    if not ordered:
        raise CatalogError("the catalog is empty")
    rank = {r.key: i for i, r in enumerate(ordered)}
    return Registry(ordered, tuple(sorted(rules, key=lambda r: (rank[r.recommendation_key], r.id))))


@lru_cache
def get_registry() -> Registry:
    """The registry of the built-in catalog, loaded once."""
    return load()
