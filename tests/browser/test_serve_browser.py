"""The marketer's loop in a real browser: save a file, see the page change, never lose the server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ARTICLE = "content/articles/cloud-unit-cost-model.md"


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1))


def test_edit_shows_new_text_without_touching_the_browser(served: Any, page: Page) -> None:
    page.goto(served.base + "articles/cloud-unit-cost-model/")
    expect(page.locator("h1")).to_have_text("A Unit-Cost Model for Cloud Spend")
    edit(served.site, ARTICLE, "title: ", "title: Revised ")
    expect(page.locator("h1")).to_contain_text("Revised", timeout=10_000)


def test_a_title_edit_reloads_the_article_once_and_its_listings_too(served: Any, page: Page) -> None:
    # The article is served first (its first look), its theme hub with the full rebuild just after: the
    # article's tab reloads once, not once per step, and the hub's tab shows the new title too.
    page.goto(served.base + "articles/cloud-unit-cost-model/")
    hub = page.context.new_page()
    hub.goto(served.base + "themes/finops/")
    expect(hub.locator("main")).to_contain_text("A Unit-Cost Model for Cloud Spend")
    loads: list[str] = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    edit(served.site, ARTICLE, "title: ", "title: Revised ")
    expect(page.locator("h1")).to_contain_text("Revised", timeout=10_000)
    expect(hub.locator("main")).to_contain_text("Revised A Unit-Cost Model", timeout=15_000)
    page.wait_for_timeout(1_500)  # time for a second reload, were one coming
    assert len(loads) == 1


def test_broken_front_matter_shows_overlay_then_recovers(served: Any, page: Page) -> None:
    page.goto(served.base + "articles/cloud-unit-cost-model/")
    edit(served.site, ARTICLE, "themes: [", "themes: [smarter-planit, ")
    overlay = page.locator("#themehub-errors")
    expect(overlay).to_be_visible(timeout=10_000)
    expect(overlay).to_contain_text(re.compile(r"content/articles/cloud-unit-cost-model\.md:\d+:\d+"))
    expect(overlay).to_contain_text("unknown campaign theme 'smarter-planit'")
    # The last good page is still served underneath.
    expect(page.locator("h1")).to_have_text("A Unit-Cost Model for Cloud Spend")
    edit(served.site, ARTICLE, "themes: [smarter-planit, ", "themes: [")
    expect(overlay).to_have_count(0, timeout=10_000)


def test_invalid_yaml_overlay_names_the_line(served: Any, page: Page) -> None:
    page.goto(served.base)
    edit(served.site, ARTICLE, "title: ", "title: [unclosed ")
    overlay = page.locator("#themehub-errors")
    expect(overlay).to_contain_text("yaml-syntax", timeout=10_000)
    expect(overlay).to_contain_text("cloud-unit-cost-model.md:")


def test_new_article_appears_on_its_theme_hub(served: Any, page: Page) -> None:
    page.goto(served.base + "themes/finops/")
    expect(page.locator("body")).not_to_contain_text("Freshly Written Piece")
    (served.site / "content/articles/freshly-written.md").write_text(
        "---\ntitle: Freshly Written Piece\ndate: 2026-01-05\nauthors: [maya-okafor]\nthemes: [finops]\n---\n\nHello.\n"
    )
    link = page.locator("a", has_text="Freshly Written Piece")
    expect(link.first).to_be_visible(timeout=10_000)
    link.first.click()
    expect(page.locator("h1")).to_have_text("Freshly Written Piece")


def test_deleted_article_leaves_the_hub(served: Any, page: Page) -> None:
    extra = served.site / "content/articles/short-lived.md"
    extra.write_text(
        "---\ntitle: Short-Lived Piece\ndate: 2026-01-05\nauthors: [maya-okafor]\nthemes: [finops]\n---\n\nHi.\n"
    )
    page.goto(served.base + "themes/finops/")
    expect(page.locator("a", has_text="Short-Lived Piece").first).to_be_visible(timeout=10_000)
    extra.unlink()
    expect(page.locator("a", has_text="Short-Lived Piece")).to_have_count(0, timeout=10_000)
    response = page.request.get(served.base + "articles/short-lived/")
    assert response.status == 404


def test_deleting_a_referenced_article_names_the_referring_file(served: Any, page: Page) -> None:
    page.goto(served.base + "themes/data-trust/")
    (served.site / "content/articles/interview-cdo-data-quality.md").unlink()
    overlay = page.locator("#themehub-errors")
    expect(overlay).to_contain_text("content/articles/what-data-trust-means.md", timeout=10_000)
    expect(overlay).to_contain_text("broken-link")


def test_template_change_reloads_the_page(served: Any, page: Page) -> None:
    page.goto(served.base + "about/")
    templates = served.site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text(
        '{% extends "!default/page.html" %}{% block main %}<p id="custom">Custom page template</p>'
        "{{ super() }}{% endblock %}"
    )
    expect(page.locator("#custom")).to_have_text("Custom page template", timeout=10_000)


def test_live_reload_script_is_not_in_build_output(served: Any, tmp_path: Path) -> None:
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "themehub", "build", "--site", str(served.site)], check=True,
                   capture_output=True)
    html = (served.site / "site" / "index.html").read_text()
    assert "__themehub" not in html
    assert "<h1>" in html
