"""Template catalogs, one package per language (`en/`), one module per subject inside it.

Each module holds `TEMPLATES`: message key → a template, or a mapping of CLDR plural category
(`one`, `other`, …) → template for sentences that count something. Templates name their values
(`{company}`); values are always text the composer prepared, never templates themselves, so a
client string such as "{role}" is printed as it is. A second language is one more package here.
"""

import importlib
import pkgutil
from collections.abc import Mapping
from functools import lru_cache

Template = str | Mapping[str, str]
DEFAULT_LANGUAGE = "en"


class CatalogError(Exception):
    """A template catalog is malformed (a key defined twice, a plural without `other`)."""


@lru_cache(maxsize=16)
def catalog(language: str) -> Mapping[str, Template]:
    """Every template of one language (`en`), merged from its modules; English when unknown."""
    try:
        package = importlib.import_module(f"{__name__}.{language}")
    except ModuleNotFoundError:
        if language == DEFAULT_LANGUAGE:
            raise
        return catalog(DEFAULT_LANGUAGE)
    merged: dict[str, Template] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for key, template in getattr(module, "TEMPLATES", {}).items():
            if key in merged:
                raise CatalogError(f"{language}: {key!r} is defined twice")
            if not isinstance(template, str) and "other" not in template:
                raise CatalogError(f"{language}: {key!r} has no `other` plural form")
            merged[key] = template
    return merged


@lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """The languages there is a catalog for."""
    return frozenset(i.name for i in pkgutil.iter_modules(__path__) if i.ispkg)
