"""A search index in shards finds what one index of the whole site finds: the same site built twice, once in
eight shards and once as one index, searched through the search page in Chromium (whose script merges the
shards) with the same queries."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.helpers import run_build, static_server
from tests.integration.test_search_shards import manifest, many_articles

from themehub.render import search

pytestmark = pytest.mark.browser

QUERIES = ("piece", "odd", "even things", "word042", "numb")  # every page, half, half, one, a prefix
FIND_ALL = """async ([bundle, query]) => {
  const pagefind = await import(bundle + "pagefind.js");
  const found = await pagefind.search(query);
  const data = await Promise.all(found.results.map((result) => result.data()));
  return {urls: data.map((page) => page.url).sort(), filters: await pagefind.filters()};
}"""


@contextlib.contextmanager
def hub_served(root: Path, shard_pages: int) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_PAGES", shard_pages)
        site = many_articles(root / "hub")
        assert run_build(site, search=True).ok
    www = root / "www"
    www.mkdir()
    (www / "insights").symlink_to(site / "site")
    with static_server(www) as url:
        yield url + "insights/"


def searched(page: Page, hub: str, query: str) -> tuple[str, dict]:  # type: ignore[type-arg]
    """The search page's own count of results, and every result and filter Pagefind gives the page's script."""
    page.goto(hub + "search/?q=" + query)
    message = page.locator(".pagefind-ui__message")
    expect(message).to_contain_text("for", timeout=15_000)
    return message.inner_text(), page.evaluate(FIND_ALL, [hub.removeprefix(hub.split("/insights/")[0]) + "pagefind/",
                                                          query])


def test_eight_shards_find_what_one_index_finds(tmp_path: Path, page: Page) -> None:
    with hub_served(tmp_path / "sharded", 16) as sharded, hub_served(tmp_path / "whole", 10_000) as whole:
        assert len(manifest(tmp_path / "sharded" / "hub" / "site")["shards"]) == 8
        assert len(manifest(tmp_path / "whole" / "hub" / "site")["shards"]) == 1
        for query in QUERIES:
            message, results = searched(page, sharded, query)
            expected_message, expected = searched(page, whole, query)
            assert results["urls"], query
            assert message == expected_message, query
            assert results == expected, query
        _, one = searched(page, sharded, "word042")
        assert one["urls"] == ["/insights/articles/piece-042/"]
        # The top result on the page is the piece itself, from whichever shard holds it.
        expect(page.locator(".pagefind-ui__result-link").first).to_have_text("Piece 042")
