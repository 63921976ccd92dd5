"""Composers, one module per recommendation key: `compose(step, say) -> Words`.

A composer decides which facts to say and in what order, and writes with `say` (the locale's
templates and helpers); it never formats a sentence itself. A recommendation without a composer
(a new catalog module, say) reads its own title, summary and actions.
"""

import importlib
import pkgutil
from collections.abc import Callable
from functools import lru_cache

from app.wording.facts import StepFacts, Words
from app.wording.say import Say

Composer = Callable[[StepFacts, Say], Words]


@lru_cache(maxsize=1)
def composers() -> dict[str, Composer]:
    """Every composer by recommendation key."""
    found: dict[str, Composer] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[info.name] = module.compose
    return found
