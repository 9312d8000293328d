"""A Pagefind index themehub cannot rewrite fails the build with a diagnostic, never a traceback,
and leaves the previous site as it was."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.helpers import NOW, all_files, article, copy_sample, make_site, replace
from themehub import build as build_module
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


def test_a_build_whose_search_failed_leaves_no_cache_the_next_build_trusts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is saved while Pagefind runs, before the new site is swapped in. When the search then
    fails, the cache names pages that never went live: the next build must make them, not keep the
    live site's old ones, and end with what a clean build of the same content makes."""
    root = make_site(tmp_path / "hub", {"content/articles/kept.md": article("Kept", body="The first words.")})
    assert build(BuildOptions(site=root, now=NOW)).ok
    replace(root / "content/articles/kept.md", "The first words.", "The second words.")

    def unknown_format(folder: Path) -> None:
        raise PagefindFormatError("CBOR major type 7 is not handled")

    with monkeypatch.context() as patched:
        patched.setattr(search, "canonicalize_index", unknown_format)
        assert not build(BuildOptions(site=root, now=NOW)).ok
    assert b"The first words." in (root / "site/articles/kept/index.html").read_bytes()
    assert build(BuildOptions(site=root, now=NOW)).ok
    assert b"The second words." in (root / "site/articles/kept/index.html").read_bytes()
    clean = make_site(tmp_path / "clean", {"content/articles/kept.md": (root / "content/articles/kept.md").read_text()})
    assert build(BuildOptions(site=clean, now=NOW)).ok
    assert all_files(root / "site") == all_files(clean / "site")


def test_a_cache_that_cannot_be_saved_waits_for_the_search_before_the_staging_folder_goes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind writes into the staging folder while the cache is saved: when saving fails (a full
    disk), the build waits for the search before deleting that folder, so nothing is left behind."""
    root = make_site(tmp_path / "hub", {"content/articles/kept.md": article("Kept")})
    assert build(BuildOptions(site=root, now=NOW)).ok
    before = all_files(root / "site")
    late: list[Path] = []

    def slow_index(site: Path, language: str, **kwargs: object) -> None:
        time.sleep(0.5)  # still indexing when the cache fails
        late.append(site / "pagefind" / "late.txt")
        late[-1].parent.mkdir(parents=True, exist_ok=True)
        late[-1].write_text("written after the cache failed\n")

    def full_disk(cache_dir: Path, cache: object) -> None:
        raise OSError(28, "No space left on device", str(cache_dir / "pages.json"))

    monkeypatch.setattr(build_module, "write_search_index", slow_index)
    monkeypatch.setattr(build_module, "save_cache", full_disk)
    replace(root / "content/articles/kept.md", "Body text.", "Other text.")
    result = build(BuildOptions(site=root, now=NOW))
    assert not result.ok
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert problem.code == "write-failed" and "No space left on device" in problem.message
    assert late, "the search ran"
    assert not list(tmp_path.glob("hub/.site.staging*")), "the staging folder is removed, after the search"
    assert all_files(root / "site") == before
