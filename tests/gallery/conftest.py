"""Fixtures: the gallery's generator script, and the corpus replayed once on its own database."""

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tests.gallery.replay import Replayed

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "advice_gallery.py"


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    """scripts/advice_gallery.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("advice_gallery", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def replayed(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> list[Replayed]:
    """Every history replayed on a fresh SQLite database, as the generator does it."""
    results: list[Replayed] = generator.replay_corpus(tmp_path_factory.mktemp("gallery"))
    return results
