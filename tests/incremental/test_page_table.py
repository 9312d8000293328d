"""The page table (.themehub-cache/pages.json) is written back after every build. A page that holds the
links and items it was read with keeps its row as it was; the rest are encoded again, their new
addresses appended to the table. Whatever the mix, reading the table back gives every page as it was
left, and the tables are made whole again once a quarter of the rows were encoded since."""

from __future__ import annotations

import json
from pathlib import Path

from themehub.incremental.store import _read_pages, _write_pages
from themehub.render.reuse import CachedPage, RenderCache


def page(n: int, links: tuple[str, ...], items: frozenset[str] | None) -> CachedPage:
    return CachedPage(f"print-{n}", None, f"sha-{n}", links, f"10:{n}", items)


def pages(count: int) -> dict[str, CachedPage]:
    return {f"articles/a{n:02d}/index.html": page(n, (f"/articles/a{(n + 1) % count:02d}/", "/"),
                                                  frozenset({f"content/articles/a{n:02d}.md"}))
            for n in range(count)}


def read(file: Path) -> RenderCache:
    cache = RenderCache()
    _read_pages(cache, file)
    assert cache.pages, "the table did not read back"
    return cache


def seen(cache: RenderCache) -> dict[str, tuple[object, ...]]:
    return {path: (p.fingerprint, p.sha, p.stamp, p.links, p.items) for path, p in cache.pages.items()}


def test_a_table_written_back_reads_as_the_pages_it_was_given(tmp_path: Path) -> None:
    file = tmp_path / "pages.json"
    first = RenderCache(pages=pages(20))
    _write_pages(file, first)
    cache = read(file)
    before = json.loads(file.read_text())
    # This build: one page re-rendered with a link to an address no page had, one with no items known,
    # one gone, one new; every other page reused with the very links it was read with.
    wanted = dict(cache.pages)
    wanted["articles/a03/index.html"] = page(3, ("/articles/a04/", "/brand-new/"), frozenset({"content/x.md"}))
    wanted["articles/a05/index.html"] = page(55, ("/",), None)
    del wanted["articles/a07/index.html"]
    wanted["articles/new/index.html"] = page(99, ("/another-new/", "/"), frozenset({"content/new.md"}))
    for path in ("articles/a01/index.html", "articles/a02/index.html"):  # reused: new objects, old links
        old = cache.pages[path]
        wanted[path] = CachedPage("new-print", None, old.sha, old.links, "11:1", old.items)
    held = cache.pages["articles/a08/index.html"]  # the same links, other items: encoded again
    wanted["articles/a08/index.html"] = CachedPage("p", None, held.sha, held.links, "", frozenset({"content/o.md"}))
    cache.pages = dict(wanted)
    _write_pages(file, cache)
    after = json.loads(file.read_text())
    assert after["urls"][: len(before["urls"])] == before["urls"]  # the table as it was, then what is new
    assert after["urls"][len(before["urls"]):] == ["/brand-new/", "/another-new/"]
    assert after["appended"] == 4
    assert after["sources"][len(before["sources"]):] == ["content/x.md", "content/o.md", "content/new.md"]
    assert after["pages"]["articles/a01/index.html"][3:] == before["pages"]["articles/a01/index.html"][3:]
    assert seen(read(file)) == seen(RenderCache(pages=wanted))


def test_the_tables_are_made_whole_again_after_a_quarter_of_the_rows_changed(tmp_path: Path) -> None:
    file = tmp_path / "pages.json"
    _write_pages(file, RenderCache(pages=pages(20)))
    for n in range(7):  # one page re-rendered per build, each time linking to a new address
        cache = read(file)
        path = f"articles/a{n:02d}/index.html"
        cache.pages[path] = page(n, (f"/gone-{n}/",), None)
        _write_pages(file, cache)
        record = json.loads(file.read_text())
        if n < 6:
            assert record["appended"] == n + 1 and f"/gone-{n}/" in record["urls"]
    # The seventh build found six rows encoded since (more than 20 // 4): the tables were made whole, sorted,
    # without the addresses no page links to any more.
    assert record["appended"] == 0
    assert record["urls"] == sorted({url for p in read(file).pages.values() for url in p.links or ()})
    assert "/gone-0/" in record["urls"]  # still linked from a00
    expected = pages(20)
    for n in range(7):
        expected[f"articles/a{n:02d}/index.html"] = page(n, (f"/gone-{n}/",), None)
    assert seen(read(file)) == seen(RenderCache(pages=expected))


def test_a_row_whose_index_counts_from_the_end_is_a_damaged_table(tmp_path: Path) -> None:
    """Python reads -1 as a table's last entry; kept as it is while new addresses are appended, it would
    name another one. Such a table is a miss: every page rendered again, the table written anew."""
    file = tmp_path / "pages.json"
    _write_pages(file, RenderCache(pages=pages(4)))
    record = json.loads(file.read_text())
    record["pages"]["articles/a00/index.html"][3] = [-1]
    file.write_text(json.dumps(record))
    cache = RenderCache()
    _read_pages(cache, file)
    assert cache.pages == {} and cache.stored is None
