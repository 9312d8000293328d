"""A page's old addresses (`aliases:` in a page, as in an article): each gets a redirect page; an alias that
is the page's own address, or that another piece claims, is `alias-collision`."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import article, errors, make_site, run_build
from tests.integration.test_multilingual import MULTILINGUAL

PAGE = "content/pages/about.md"


def test_a_pages_old_address_redirects_to_it(tmp_path: Path) -> None:
    site = make_site(tmp_path / "hub", {
        PAGE: "---\ntitle: About us\naliases: [/about-us.html, /company/about/, /?page_id=7]\n---\n\nWho we are.\n"})
    result = run_build(site)
    assert errors(result) == []
    for old in ("about-us.html", "company/about"):
        moved = (result.out / old / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<link rel="canonical" href="https://example.com/insights/about/"', moved), old
    assert '"page_id=7": "/insights/about/"' in (result.out / "index.html").read_text(encoding="utf-8")


def test_a_pages_alias_at_its_own_address_or_claimed_twice_is_an_error(tmp_path: Path) -> None:
    result = run_build(make_site(tmp_path / "hub", {
        PAGE: "---\ntitle: About us\naliases: [/about/, /old/]\n---\n\nWho we are.\n",
        "content/articles/x.md": article("X", extra="aliases: [/old/]")}))
    found = [(d.code, d.file, d.line, d.message) for d in errors(result)]
    assert found == [("alias-collision", PAGE, 3, "alias '/about/' is the address of a page"),
                     ("alias-collision", PAGE, 3, "alias '/old/' is also claimed by content/articles/x.md")]


def test_in_a_multilingual_hub_a_pages_old_address_redirects_once(tmp_path: Path) -> None:
    """The old address is the default language's: /old-contact/ redirects, /de/old-contact/ is not made
    (an untranslated page stands in for itself in German; it would be a second, made-up old address)."""
    site = make_site(tmp_path / "hub", {
        "themehub.yaml": MULTILINGUAL,
        "content/pages/contact.md": "---\ntitle: Contact\naliases: [/old-contact/]\n---\n\nWrite to us.\n",
        "content/articles/cloud-basics.de.md": "---\ntitle: Grundlagen\n---\n"})
    result = run_build(site)
    assert errors(result) == []
    assert (result.out / "de" / "articles" / "cloud-basics" / "index.html").is_file()  # German is built
    assert (result.out / "old-contact" / "index.html").is_file()
    assert not (result.out / "de" / "old-contact").exists()
