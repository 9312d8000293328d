"""A Pagefind index themehub cannot rewrite fails the build with a diagnostic, never a traceback,
and leaves the previous site as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import NOW, all_files, copy_sample
from themehub.build import BuildOptions, build
from themehub.render import search
from themehub.render.pagefind_canon import PagefindFormatError


def test_unknown_pagefind_format_is_a_diagnostic_and_keeps_the_previous_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_sample(tmp_path / "hub")
    assert build(BuildOptions(site=root, now=NOW, search=False)).ok
    before = all_files(root / "site")

    def unknown_format(folder: Path) -> None:
        raise PagefindFormatError("CBOR major type 7 is not handled")

    monkeypatch.setattr(search, "canonicalize_index", unknown_format)
    result = build(BuildOptions(site=root, now=NOW))
    assert not result.ok
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert problem.code == "search-index-failed"
    assert "CBOR major type 7" in problem.message and "--no-search" in problem.hint
    assert all_files(root / "site") == before
    assert not list(tmp_path.glob("hub/.site.staging*")), "the staging folder is removed"


def test_pagefind_is_run_as_its_pip_package_finds_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """themehub runs Pagefind's binary itself (not `python -m pagefind`, a Python start per shard), found
    the package's way: PAGEFIND_BINARY_PATH first. A binary that fails is the build's diagnostic."""
    root = copy_sample(tmp_path / "hub")
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho \"fake pagefind given $1 $2\" >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    search._pagefind.cache_clear()
    try:
        result = build(BuildOptions(site=root, now=NOW))
    finally:
        search._pagefind.cache_clear()
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert problem.code == "search-index-failed"
    assert "Pagefind failed (exit 3): fake pagefind given --site" in problem.message
    assert not (root / "site").exists()
