"""Search works from the built files, with no server of ours: type a word, see the article, follow it."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_search_finds_an_article_and_follows_the_link(built_site: str, page: Page) -> None:
    page.goto(built_site + "search/")
    box = page.locator(".pagefind-ui__search-input")
    expect(box).to_be_visible(timeout=10_000)
    box.fill("laddering")
    result = page.locator(".pagefind-ui__result-link").first
    expect(result).to_be_visible(timeout=10_000)
    expect(result).to_contain_text("Commitment Discounts")
    result.click()
    expect(page).to_have_url(built_site + "articles/commitment-discounts-portfolio/")
    expect(page.locator("h1")).to_contain_text("Commitment Discounts")


def test_header_search_box_runs_the_query(built_site: str, page: Page) -> None:
    page.goto(built_site)
    page.locator("#site-search").fill("laddering")
    page.locator("#site-search").press("Enter")
    expect(page.locator(".pagefind-ui__result-link").first).to_contain_text("Commitment Discounts", timeout=10_000)


RESULT = ".pagefind-ui__result-inner > .pagefind-ui__result-title .pagefind-ui__result-link"
"""The link of each result (not of its sub-results)."""


def _result_count(page: Page) -> int:
    message = page.locator(".pagefind-ui__message")
    expect(message).to_contain_text("result", timeout=10_000)
    match = re.match(r"\s*(\d+) results? for", message.inner_text())
    assert match, message.inner_text()
    return int(match.group(1))


def _hub(built_site: str) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(built_site + "hub.json") as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def test_results_are_the_pages_own_content_not_their_related_lists(built_site: str, page: Page) -> None:
    """'hardware-era' is in one article's summary, which cards on a dozen other pages (theme hubs, related
    lists, the SME's page) repeat: only the article itself is a result, since related lists, service blocks and
    navigation are not indexed."""
    page.goto(built_site + "search/?q=hardware-era")
    assert _result_count(page) == 1
    expect(page.locator(RESULT)).to_have_attribute(
        "href", re.compile(r"/insights/articles/why-cloud-bills-surprise-finance/$"))


def test_results_carry_their_type_depth_and_themes(built_site: str, page: Page) -> None:
    """Pagefind returns each result's metadata (for a custom results list, or analytics)."""
    content = {item["url"].removeprefix("https://example.com"): item for item in _hub(built_site)["content"]}
    page.goto(built_site + "search/")
    found = page.evaluate("""async bundle => {
        const pagefind = await import(bundle + "pagefind.js");
        const search = await pagefind.search("lineage");
        return Promise.all(search.results.map(async r => { const d = await r.data(); return [d.url, d.meta]; }));
    }""", "/insights/pagefind/")
    assert found
    for url, meta in found:
        if url in content:
            assert meta["type"] == content[url]["type"].replace("-", " ").capitalize()
            assert meta["depth"] in ("Start here", "Go deeper", "Deep dives")
            assert meta["themes"]
        else:
            assert meta["type"] in ("Theme", "Expert", "Customer voice", "Partner voice", "Service"), url


def test_the_query_is_kept_in_the_address_bar(built_site: str, page: Page) -> None:
    page.goto(built_site + "search/")
    box = page.locator(".pagefind-ui__search-input")
    expect(box).to_have_attribute("aria-label", re.compile("Search"))
    box.fill("lineage")
    expect(page).to_have_url(re.compile(r"/search/\?q=lineage$"))
    page.reload()
    expect(page.locator(".pagefind-ui__search-input")).to_have_value("lineage", timeout=10_000)
