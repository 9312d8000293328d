"""A built copy of the sample hub, shared by the journey and image tests of this folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.helpers import copy_sample
from themehub.build import BuildOptions, BuildResult, build

REPO = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)




class Built:
    def __init__(self, root: Path, result: BuildResult) -> None:
        self.root, self.result, self.out = root, result, root / "site"

    def html(self, url: str) -> str:
        return (self.out / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = copy_sample(tmp_path_factory.mktemp("journeys") / "hub")
    result = build(BuildOptions(site=root, now=NOW, search=False))
    assert result.ok, [d for d in result.diagnostics if d.is_error]
    return Built(root, result)
