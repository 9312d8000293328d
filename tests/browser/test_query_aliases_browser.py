"""In Chromium: WordPress's old address `/?p=123` of an imported post opens the post's new page; the
home page without a known id (or with none) stays the home page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from tests.helpers import article, build_and_serve, make_site

pytestmark = pytest.mark.browser


def test_an_old_id_in_the_address_lands_on_the_new_page(tmp_path: Path, page: Page) -> None:
    site = make_site(tmp_path / "hub", {"content/articles/old-post.md": article(
        "Old Post", date="2026-01-05", extra="aliases: ['/?p=123', '/?page_id=7']")})
    with build_and_serve(site) as home:
        page.goto(home + "?p=123")
        page.wait_for_url(home + "articles/old-post/")
        assert page.locator("h1").inner_text() == "Old Post"
        page.goto(home + "?utm_source=x&page_id=7")
        page.wait_for_url(home + "articles/old-post/")
        page.goto(home + "?p=999")
        page.wait_for_load_state("load")
        assert page.url == home + "?p=999"  # an id nobody claims: the home page, as it was
