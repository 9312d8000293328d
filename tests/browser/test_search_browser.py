"""Search works from the built files, with no server of ours: type a word, see the article, follow it."""

from __future__ import annotations

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
