"""Shared fixtures: fixture sites written in tmp_path, and one build of the sample hub per session."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from tests.helpers import NOW, copy_sample, make_site, run_build
from themehub.build import BuildResult

# No hypothesis example may fail for taking longer than hypothesis's default 200 ms deadline: that is a
# wall-clock bound that fails on a loaded machine. Tests that set their own settings still inherit this.
settings.register_profile("themehub", deadline=None)
settings.load_profile("themehub")


@pytest.fixture
def site(tmp_path: Path) -> Callable[..., Path]:
    """make_site bound to a fresh folder: `site({"content/articles/x.md": "..."})`."""
    counter = iter(range(1000))

    def factory(files: Mapping[str, str | bytes | None] | None = None, *, base: str | None = "mini_hub") -> Path:
        return make_site(tmp_path / f"site{next(counter)}", files, base=base)

    return factory


@dataclass(frozen=True)
class Built:
    root: Path
    out: Path
    result: BuildResult


@pytest.fixture(scope="session")
def sample_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The real sample hub, copied and built once; tests only read it."""
    root = copy_sample(tmp_path_factory.mktemp("sample"))
    result = run_build(root, now=NOW, search=True)
    return Built(root, root / "site", result)


@pytest.fixture(scope="session")
def mini_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """tests/fixtures/mini_hub, copied and built once; tests only read it."""
    root = make_site(tmp_path_factory.mktemp("mini") / "mini")
    result = run_build(root, search=True)
    return Built(root, root / "site", result)
