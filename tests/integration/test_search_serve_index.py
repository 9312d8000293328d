"""The preview's search index (serve/search_index.py): Pagefind run in the background on each good build.

A stand-in for Pagefind that waits to be released shows the rules: one run at a time, the newest build
wins over those that came while a run was under way, a failed run keeps the previous index and is reported
once. The real Pagefind then shows that the preview's index is the one `build` makes, written outside the
output folder.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.conftest import Built
from tests.helpers import NOW, copy_sample
from themehub.incremental.store import CACHE_DIR
from themehub.render.search import SearchIndexError
from themehub.serve.preview import Preview
from themehub.serve.search_index import BUILDING, FAILED, READY, SCRATCH, BackgroundIndex, scratch_folder

WAIT = 20.0


def pages(*slugs: str, body: str = "") -> dict[str, bytes]:
    """A build's files: one searchable article page per slug, and pages search leaves out."""
    files = {f"articles/{slug}/index.html": f"<h1>{slug}</h1>{body}".encode() for slug in slugs}
    files |= {"index.html": b"<h1>home</h1>", "tags/x/index.html": b"<h1>tag</h1>", "articles/index.html": b"list"}
    return files


class SlowPagefind:
    """Stands in for write_search_index: each run notes the pages it finds, waits until released, then writes
    a bundle naming them (or fails, when a page asks it to)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Semaphore(0)
        self.lock = threading.Lock()
        self.running = 0
        self.most_at_once = 0
        self.runs: list[list[str]] = []

    def __call__(self, folder: Path, language: str, **_: object) -> None:
        with self.lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            found = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("index.html"))
            self.runs.append(found)
            self.started.release()
            assert self.release.wait(WAIT), "never released"
            if any(b"FAIL" in (folder / rel).read_bytes() for rel in found):
                raise SearchIndexError("Pagefind failed (exit 1): a page it cannot read")
            (folder / "pagefind").mkdir()
            (folder / "pagefind" / "pagefind.js").write_text("\n".join(found))
            (folder / "pagefind" / "fragment").mkdir()
            (folder / "pagefind" / "fragment" / "x.pf_fragment").write_text(language)
        finally:
            with self.lock:
                self.running -= 1

    def wait_started(self) -> None:
        assert self.started.acquire(timeout=WAIT), "Pagefind was not run"


def indexed(index: BackgroundIndex) -> list[str]:
    bundle = index.bundle()
    assert bundle is not None
    return bundle["pagefind.js"].decode().split("\n")


def test_builds_that_land_during_a_run_do_not_pile_up_the_newest_wins(tmp_path: Path) -> None:
    pagefind = SlowPagefind()
    index = BackgroundIndex(tmp_path / "scratch", indexer=pagefind, report=lambda message: None)
    index.submit(pages("a"), "en")
    pagefind.wait_started()
    assert index.status() == BUILDING and index.bundle() is None
    for slug in ("b", "c", "d"):  # three saves while Pagefind runs
        index.submit(pages("a", slug), "en")
    pagefind.release.set()
    assert index.wait_idle(WAIT)
    assert pagefind.runs == [["articles/a/index.html"], ["articles/a/index.html", "articles/d/index.html"]]
    assert indexed(index) == ["articles/a/index.html", "articles/d/index.html"]
    assert index.status() == READY
    assert pagefind.most_at_once == 1


def test_one_pagefind_at_a_time_whoever_submits(tmp_path: Path) -> None:
    """Rebuilds come from the watcher's threads: however many submit at once, Pagefind runs alone, and the
    index ends with the last build."""
    pagefind = SlowPagefind()
    pagefind.release.set()
    index = BackgroundIndex(tmp_path / "scratch", indexer=pagefind, report=lambda message: None)

    def saves(writer: int) -> None:
        for n in range(25):
            index.submit(pages(f"w{writer}-{n}"), "en")

    threads = [threading.Thread(target=saves, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    index.submit(pages("last"), "en")
    assert index.wait_idle(WAIT)
    assert pagefind.most_at_once == 1
    assert len(pagefind.runs) < 6 * 25 + 1, "every build was indexed: they piled up"
    assert indexed(index) == ["articles/last/index.html"]


def test_a_build_with_the_same_pages_is_not_indexed_again(tmp_path: Path) -> None:
    pagefind = SlowPagefind()
    pagefind.release.set()
    index = BackgroundIndex(tmp_path / "scratch", indexer=pagefind, report=lambda message: None)
    index.submit(pages("a"), "en")
    assert index.wait_idle(WAIT)
    files = pages("a")
    files["style.css"] = b"changed"  # a stylesheet edit: no searchable page changed
    index.submit(files, "en")
    assert index.wait_idle(WAIT)
    assert len(pagefind.runs) == 1
    index.submit(pages("a"), "fr")  # the language is part of the index
    assert index.wait_idle(WAIT)
    assert len(pagefind.runs) == 2
    assert index.bundle() is not None and index.bundle()["fragment/x.pf_fragment"] == b"fr"  # type: ignore[index]


def test_a_failed_run_keeps_the_previous_index_and_is_reported_once(tmp_path: Path) -> None:
    pagefind = SlowPagefind()
    pagefind.release.set()
    reports: list[str] = []
    index = BackgroundIndex(tmp_path / "scratch", indexer=pagefind, report=reports.append)
    index.submit(pages("a"), "en")
    assert index.wait_idle(WAIT)
    for body in ("FAIL", "FAIL again"):  # two saves, the same failure
        index.submit(pages("a", "b", body=body), "en")
        assert index.wait_idle(WAIT)
        assert indexed(index) == ["articles/a/index.html"]
        assert index.status() == READY
    assert len(pagefind.runs) == 3
    assert len(reports) == 1, reports
    assert "Pagefind failed (exit 1): a page it cannot read" in reports[0]
    assert "previous index" in reports[0] and "Traceback" not in reports[0]
    index.submit(pages("a", "c"), "en")  # fixed
    assert index.wait_idle(WAIT)
    assert indexed(index) == ["articles/a/index.html", "articles/c/index.html"]
    index.submit(pages("d", body="FAIL"), "en")  # failing again after a success: news again
    assert index.wait_idle(WAIT)
    assert len(reports) == 2


def test_without_any_index_a_failure_is_the_status(tmp_path: Path) -> None:
    pagefind = SlowPagefind()
    pagefind.release.set()
    reports: list[str] = []
    index = BackgroundIndex(tmp_path / "scratch", indexer=pagefind, report=reports.append)
    index.submit(pages("a", body="FAIL"), "en")
    assert index.wait_idle(WAIT)
    assert index.status() == FAILED and index.bundle() is None
    assert len(reports) == 1 and "unavailable" in reports[0]


def test_the_scratch_folder_holds_exactly_the_searchable_pages_of_the_last_build(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    (scratch / "site" / "articles" / "stale").mkdir(parents=True)  # a previous preview's page
    (scratch / "site" / "articles" / "stale" / "index.html").write_text("old")
    pagefind = SlowPagefind()
    pagefind.release.set()
    index = BackgroundIndex(scratch, indexer=pagefind, report=lambda message: None)
    index.submit(pages("a", "b"), "en")
    assert index.wait_idle(WAIT)
    assert pagefind.runs == [["articles/a/index.html", "articles/b/index.html"]]
    index.submit(pages("a"), "en")
    assert index.wait_idle(WAIT)
    assert pagefind.runs[-1] == ["articles/a/index.html"]
    assert sorted(p.relative_to(scratch).as_posix() for p in scratch.rglob("*") if p.is_file()
                  and "pagefind" not in p.parts) == ["site/articles/a/index.html"]
    assert not (scratch / "site" / "articles" / "b").exists()


def test_the_preview_index_is_the_build_index_and_nothing_is_written_in_site(tmp_path: Path,
                                                                              sample_built: Built) -> None:
    """The real Pagefind on the sample hub built in memory: the bundle served equals, file for file and byte
    for byte, the pagefind/ folder `themehub build` writes; made in .themehub-cache/, never in site/."""
    root = copy_sample(tmp_path / "hub")
    preview = Preview(root, now=NOW)
    assert not [d for d in preview.rebuild() if d.is_error]
    with scratch_folder(root.resolve(), preview.cache.images_dir is not None) as scratch:
        assert scratch == root.resolve() / ".themehub-cache" / SCRATCH
        index = BackgroundIndex(scratch)
        index.submit(preview.state.files, "en")
        assert index.wait_idle(120)
        bundle = index.bundle()
    assert bundle is not None, "no index"
    built = sample_built.out / "pagefind"
    expected = {p.relative_to(built).as_posix(): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    assert sorted(bundle) == sorted(expected)
    assert [name for name in expected if bundle[name] != expected[name]] == []
    assert not (root / "site").exists()


@pytest.mark.parametrize("usable", [True, False])
def test_a_foreign_cache_is_never_written(tmp_path: Path, usable: bool) -> None:
    with scratch_folder(tmp_path, usable) as scratch:
        inside = scratch.is_relative_to(tmp_path)
        scratch.mkdir(parents=True, exist_ok=True)
    assert inside is usable
    if not usable:
        assert not scratch.exists(), "the temporary folder is left behind"


def test_a_second_serve_of_the_site_indexes_in_a_folder_of_its_own(tmp_path: Path) -> None:
    # Two previews of one site mirroring pages and linking shards in one folder broke each other's runs
    # ("File exists" on a shard's folder, and a stale index served).
    with scratch_folder(tmp_path, True) as first:
        with scratch_folder(tmp_path, True) as second:
            assert first == tmp_path / CACHE_DIR / SCRATCH
            assert not second.is_relative_to(tmp_path) and second.is_dir()
        assert not second.exists()
    with scratch_folder(tmp_path, True) as again:  # the first has stopped: the cache's folder is free
        assert again == first
