"""One diagnostic per root cause; no shape of content ends in an internal error; a page never holds an
id twice."""

from __future__ import annotations

import collections
import re
from pathlib import Path

from tests.hardening.conftest import NOW, build_in_process, make_mini_hub, show, where
from themehub.build import BuildOptions, load_site
from themehub.content.kinds import KINDS
from themehub.render.markdown import RESERVED_IDS, TEMPLATE_IDS
from themehub.render.templates import BUILTIN_THEMES


def _article(slug: str, authors: str = "[ana-quinn]", themes: str = "[cloud]", body: str = "Body.") -> str:
    return (f"---\ntitle: {slug}\ndate: 2026-01-1{len(slug) % 9}\nauthors: {authors}\nthemes: {themes}\n---\n\n"
            f"{body}\n")


def test_a_broken_author_file_is_one_error_not_one_per_article(tmp_path: Path) -> None:
    """An SME file that does not parse used to make every article naming the SME an unknown-author error."""
    files = {f"content/articles/piece-{n}.md": _article(f"piece-{n}", authors="[dana-broken]") for n in range(7)}
    files["content/authors/dana-broken.md"] = "---\nname: Dana\nrole: [unclosed\n---\n\nBio.\n"
    root = make_mini_hub(tmp_path / "hub", files)
    result = build_in_process(root)
    errors = [where(d) for d in result.diagnostics if d.is_error]
    assert errors == [("yaml-syntax", "content/authors/dana-broken.md", 3, 7)], show(result.diagnostics)


def test_a_broken_article_is_one_error_not_one_per_body_that_links_to_it(tmp_path: Path) -> None:
    """A title written `"Churn" in practice` (text after the closing quote) made every article whose body
    linked to that file an error too: "link to '…', which does not exist". The file exists; its own error
    is the one to fix. A link to a file that truly is not there is still reported."""
    files = {f"content/articles/piece-{n}.md": _article(f"piece-{n}", body="See [the churn piece](churn.md).")
             for n in range(3)}
    files["content/articles/churn.md"] = ('---\ntitle: "Churn" in practice\ndate: 2026-01-10\n'
                                          'authors: [ana-quinn]\nthemes: [cloud]\n---\n\nBody.\n')
    files["content/articles/gone.md"] = _article("gone", body="See [a lost piece](never-written.md).")
    root = make_mini_hub(tmp_path / "hub", files)
    result = build_in_process(root)
    errors = sorted(where(d) for d in result.diagnostics if d.is_error)
    assert errors == [("broken-link", "content/articles/gone.md", 8, 20),
                      ("yaml-syntax", "content/articles/churn.md", 2, 16)], show(result.diagnostics)


def test_a_theme_missing_its_title_is_one_error_not_one_per_reference(tmp_path: Path) -> None:
    files = {f"content/articles/piece-{n}.md": _article(f"piece-{n}", themes="[untitled]") for n in range(4)}
    files["content/themes/untitled.md"] = "---\ntagline: No title here\n---\n\nIntro.\n"
    files["content/tracks/into-untitled.md"] = "---\ntitle: Track\ntheme: untitled\nsteps: [piece-1]\n---\n"
    root = make_mini_hub(tmp_path / "hub", files)
    result = build_in_process(root)
    assert [d.code for d in result.diagnostics if d.is_error] == ["missing-field"], show(result.diagnostics)


def test_a_theme_tree_thousands_deep_is_no_internal_error(tmp_path: Path) -> None:
    """The theme tree was walked recursively: 1,500 levels ended in a RecursionError. 1,200 levels is past
    Python's default recursion limit (1,000)."""
    files = {f"content/themes/level-{n}.md": f"---\ntitle: Level {n}\n"
             + (f"parent: level-{n - 1}\n" if n else "") + "---\n\nx\n" for n in range(1200)}
    files["content/articles/deep.md"] = _article("deep", themes="[level-1199]")
    root = make_mini_hub(tmp_path / "hub", files)
    loaded = load_site(BuildOptions(site=root, now=NOW))
    assert loaded.hub is not None and not [d for d in loaded.diagnostics if d.is_error]
    assert len(loaded.hub.theme_ancestors["level-1199"]) == 1199
    assert [a.slug for a in loaded.hub.theme_articles["level-0"]] == ["deep"]  # rolled up through 1,200 levels


def test_a_heading_never_takes_an_id_the_page_already_has(tmp_path: Path) -> None:
    body = "## Main\n\nText.\n\n## Site search\n\nText.\n\n## Main\n\nAgain.\n"
    root = make_mini_hub(tmp_path / "hub", {"content/articles/ids.md": _article("ids", body=body)})
    result = build_in_process(root)
    assert result.ok, show(result.diagnostics)
    html = (root / "site/articles/ids/index.html").read_text()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert [i for i, n in collections.Counter(ids).items() if n > 1] == []
    assert {"main", "main-1", "site-search", "site-search-1", "main-1_1"} <= set(ids)


def test_the_reserved_ids_are_those_the_built_in_templates_write() -> None:
    written = set()
    for template in (BUILTIN_THEMES / "default" / "templates").rglob("*.html"):
        written |= set(re.findall(r'\bid="([A-Za-z][\w-]*)"', template.read_text()))
    assert written == set(TEMPLATE_IDS)
    # The listings' headings take their ids from their kind (theme.html writes `listing.heading_id`).
    assert RESERVED_IDS == TEMPLATE_IDS | {"events-heading"} == TEMPLATE_IDS | {k.listing_id for k in KINDS
                                                                               if k.theme_listing}
