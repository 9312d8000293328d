"""The search index in shards (render/search.py): every searchable page in exactly one shard, a page never
moving shard when others come and go, and a rebuild that re-indexes only the shards whose pages changed
while giving the same bytes as a cold build.

Shards hold 128 pages in a real site; these sites are made of 100 articles with 16 pages to a shard, so
that they have several shards and build in seconds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import article, make_site, run_build, tree
from themehub.render import search
from themehub.render.search import plan_shards

ARTICLES = 100
SMALL_SHARDS = 16


@pytest.fixture(autouse=True)
def small_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SHARD_PAGES", SMALL_SHARDS)


def many_articles(root: Path) -> Path:
    files: dict[str, str | bytes | None] = {
        f"content/articles/piece-{n:03d}.md": article(
            f"Piece {n:03d}", body=f"Piece number {n:03d} speaks of word{n:03d} and of {'odd' if n % 2 else 'even'} things.")
        for n in range(ARTICLES)}
    return make_site(root, files)


def manifest(out: Path) -> dict:  # type: ignore[type-arg]
    """The shards, as the search page reads them, each with the pages it holds from the builds' list."""
    public = json.loads((out / "pagefind" / "themehub-shards.json").read_text(encoding="utf-8"))
    pages = json.loads((out / "pagefind" / "themehub-pages.json").read_text(encoding="utf-8"))["shards"]
    assert set(public) == {"format", "pagefind", "language", "shards"}  # small: no page lists for browsers
    return {**public, "shards": [{**s, "pages": list(pages[s["bundle"]])} for s in public["shards"]]}


def entry_inodes(out: Path) -> dict[str, int]:
    """Each shard's folder -> the inode of its pagefind-entry.json (a shard made again gets a new file)."""
    return {shard["bundle"]: (out / shard["bundle"] / "pagefind-entry.json").stat().st_ino
            for shard in manifest(out)["shards"]}


def indexed_count(out: Path, bundle: str) -> int:
    entry = json.loads((out / bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return int(entry["languages"]["en"]["page_count"])


def cold_build_of(site: Path, tmp_path: Path) -> dict[str, bytes]:
    """The same content built from scratch, with no live site and no cache."""
    copy = tmp_path / "cold"
    shutil.copytree(site / "content", copy / "content")
    for name in ("themehub.yaml", "static"):
        if (site / name).is_dir():
            shutil.copytree(site / name, copy / name)
        elif (site / name).exists():
            shutil.copy2(site / name, copy / name)
    assert run_build(copy, search=True).ok
    return tree(copy / "site")


def test_every_searchable_page_is_in_exactly_one_shard(tmp_path: Path) -> None:
    site = many_articles(tmp_path / "hub")
    assert run_build(site, search=True).ok
    out = site / "site"
    shards = manifest(out)["shards"]
    assert len(shards) == 8  # 111 pages at 16 to a shard: the next power of two
    assert shards[0]["bundle"] == "pagefind/"
    assert [s["bundle"] for s in shards[1:]] == [f"pagefind/shards/{n:02d}/" for n in range(1, 8)]
    listed = [page for s in shards for page in s["pages"]]
    articles = {f"articles/piece-{n:03d}/index.html" for n in range(ARTICLES)}
    assert len(listed) == len(set(listed)) and articles <= set(listed)
    for shard in shards:
        assert shard["pages"], "no shard is empty"
        assert indexed_count(out, shard["bundle"]) == len(shard["pages"])
        assert (out / shard["bundle"] / "pagefind.js").is_file()


def test_a_page_keeps_its_shard_when_others_come_and_go() -> None:
    pages = [f"articles/piece-{n:03d}/index.html" for n in range(300)]
    before = {page: shard.number for shard in plan_shards(pages) for page in shard.pages}
    after = {page: shard.number for shard in plan_shards([*pages[:150], *pages[151:], "articles/new/index.html"])
             for page in shard.pages}
    assert len(set(before.values())) == 32
    assert all(after[page] == before[page] for page in after if page in before)


def test_one_body_edit_reindexes_one_shard_and_gives_the_cold_build_bytes(tmp_path: Path) -> None:
    site = many_articles(tmp_path / "hub")
    assert run_build(site, search=True).ok
    out = site / "site"
    before = entry_inodes(out)
    edited = site / "content/articles/piece-042.md"
    edited.write_text(edited.read_text().replace("speaks of", "speaks at length of zebrafish and"))
    assert run_build(site, search=True).ok
    after = entry_inodes(out)
    owner = next(s["bundle"] for s in manifest(out)["shards"] if "articles/piece-042/index.html" in s["pages"])
    assert [bundle for bundle in after if after[bundle] != before[bundle]] == [owner]
    assert tree(out) == cold_build_of(site, tmp_path)


def test_a_deleted_page_leaves_its_shard_and_the_index(tmp_path: Path) -> None:
    site = many_articles(tmp_path / "hub")
    assert run_build(site, search=True).ok
    (site / "content/articles/piece-007.md").unlink()
    assert run_build(site, search=True).ok
    out = site / "site"
    assert all("articles/piece-007/index.html" not in s["pages"] for s in manifest(out)["shards"])
    assert tree(out) == cold_build_of(site, tmp_path)


@pytest.mark.parametrize("damage", ["manifest", "shard"])
def test_a_damaged_live_index_is_made_again_not_reused(tmp_path: Path, damage: str) -> None:
    """The live site's manifest says what each shard holds; when it cannot be read, or a shard's folder is
    not whole, the shard is indexed again."""
    site = many_articles(tmp_path / "hub")
    assert run_build(site, search=True).ok
    out = site / "site"
    if damage == "manifest":
        (out / "pagefind" / "themehub-pages.json").write_text("{not json")
    else:
        shutil.rmtree(out / "pagefind" / "shards" / "03")
    edited = site / "content/articles/piece-001.md"
    edited.write_text(edited.read_text().replace("speaks of", "speaks of tide tables and"))
    assert run_build(site, search=True).ok
    assert tree(out) == cold_build_of(site, tmp_path)


def test_a_small_site_is_one_index_at_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SHARD_PAGES", 128)
    site = make_site(tmp_path / "hub")
    assert run_build(site, search=True).ok
    out = site / "site"
    shards = manifest(out)["shards"]
    assert [s["bundle"] for s in shards] == ["pagefind/"]
    assert not (out / "pagefind" / "shards").exists()
    assert indexed_count(out, "pagefind/") == len(shards[0]["pages"])


def changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def test_a_title_edit_reindexes_the_shard_of_its_own_page_only(tmp_path: Path) -> None:
    """A title shows on many pages (related lists, listings) but is indexed from one: Pagefind reads
    their related lists no more than their navigation."""
    site = many_articles(tmp_path / "hub")
    assert run_build(site, search=True).ok
    out = site / "site"
    before, inodes = tree(out), entry_inodes(out)
    shard_of = {page: s["bundle"] for s in manifest(out)["shards"] for page in s["pages"]}
    # The piece whose title shows on searchable pages of the most shards (in their related lists).
    shown_in = {n: {shard_of[page] for page in shard_of if f"Piece {n:03d}<".encode() in before[page]}
                for n in range(ARTICLES)}
    n = max(shown_in, key=lambda k: (len(shown_in[k]), -k))
    own = f"articles/piece-{n:03d}/index.html"
    edited = site / f"content/articles/piece-{n:03d}.md"
    edited.write_text(edited.read_text().replace(f"title: Piece {n:03d}", f"title: Piece {n:03d} about zebrafish"))
    assert run_build(site, search=True).ok
    pages_changed = {path for path in changed_files(before, tree(out)) if path in shard_of}
    assert len({shard_of[page] for page in pages_changed}) > 1  # the title reached pages of other shards
    after = entry_inodes(out)
    assert [b for b in after if after[b] != inodes[b]] == [shard_of[own]]
    assert tree(out) == cold_build_of(site, tmp_path)


def test_shards_stay_whole_over_generations_of_a_reused_staging_folder(tmp_path: Path) -> None:
    """From the second rebuild on, the site is staged into the one the last build replaced: its index
    holds shards of two builds ago, some still links to the live files. Each build equals a cold one."""
    site = many_articles(tmp_path / "hub")
    assert run_build(site, search=True).ok
    for n, piece in enumerate((3, 50, 3, 77)):
        edited = site / f"content/articles/piece-{piece:03d}.md"
        edited.write_text(edited.read_text().replace("speaks of", f"speaks (edit {n}) of"))
        assert run_build(site, search=True).ok
        assert tree(site / "site") == cold_build_of(site, tmp_path / f"cold-{n}"), f"after edit {n}"
    (site / "content/articles/piece-050.md").unlink()  # a shard loses a page; then a build without search
    assert run_build(site, search=True).ok
    assert tree(site / "site") == cold_build_of(site, tmp_path / "cold-deleted")
    assert run_build(site, search=False).ok
    assert not (site / "site" / "pagefind").exists()
    assert run_build(site, search=True).ok
    assert tree(site / "site") == cold_build_of(site, tmp_path / "cold-last")


def test_another_pagefind_makes_every_shard_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index records the version the Pagefind binary that ran says it is (not the pip package's
    metadata, which knows nothing of a binary given by PAGEFIND_BINARY_PATH): when another one runs, no
    shard of the old one is kept."""
    site = many_articles(tmp_path / "site")
    run_build(site, search=True)
    before = entry_inodes(site / "site")
    assert manifest(site / "site")["pagefind"] == search._pagefind_version() != "unknown"
    real = search._pagefind()
    newer = tmp_path / "pagefind-newer"
    newer.write_text('#!/bin/sh\nif [ "$1" = --version ]; then echo "pagefind 9.9.9"; exit 0; fi\n'
                     f'exec {" ".join(real)} "$@"\n')
    newer.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(newer))
    search._pagefind.cache_clear()
    search._pagefind_version.cache_clear()
    try:
        run_build(site, search=True)
    finally:
        search._pagefind.cache_clear()
        search._pagefind_version.cache_clear()
    assert manifest(site / "site")["pagefind"] == "9.9.9"
    after = entry_inodes(site / "site")
    assert set(after) == set(before) and len(after) > 1
    assert all(after[bundle] != inode for bundle, inode in before.items()), "every shard made again"


def test_the_pages_searched_are_those_pagefinds_glob_matches(tmp_path: Path) -> None:
    """The searchable pages are listed with one stat each; what is listed must be what the glob
    matches, oddities included: a folder without a page, an index.html that is a folder, a linked
    folder, a hidden one, a stray file, a missing section."""
    site = tmp_path / "site"
    for rel in ("articles/b/index.html", "articles/a/index.html", "articles/.hidden/index.html",
                "themes/t/index.html", "services/s/index.html", "articles/stray.html", "articles/c/other.html",
                "elsewhere/x/index.html", "articles/deep/er/index.html"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("<p>x</p>", encoding="utf-8")
    (site / "articles/folder/index.html").mkdir(parents=True)
    (site / "articles/linked").symlink_to(site / "elsewhere/x", target_is_directory=True)
    (site / "articles/a-loop").symlink_to(site / "articles/a-loop")  # first in the listing: the rest still count
    expected = sorted(p.relative_to(site).as_posix() for section in search.SEARCHED_SECTIONS
                      for p in (site / section).glob("*/index.html") if p.is_file())
    assert "articles/linked/index.html" in expected and "articles/.hidden/index.html" in expected
    assert search._candidates(site) == expected
