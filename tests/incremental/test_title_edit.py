"""A title edit re-renders the pages that show that title, and no others.

A page is rendered again when its fingerprint changes (render/fingerprint.py). The fingerprint stands
for what the page shows: when it hashed more (a tag with its every article), one title edit re-rendered
every page of an article sharing one of its tags, most of them to the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import FIXTURES, NOW, article, copy_sample, in_one_language, make_site, replace, run_build, tree

ARTICLE = "content/articles/cloud-unit-cost-model.md"
OWN_PAGE = "articles/cloud-unit-cost-model/index.html"


def page_file(url: str) -> str:
    return url + "index.html"


def test_a_title_edit_renders_exactly_the_pages_whose_bytes_change(tmp_path: Path) -> None:
    site = in_one_language(copy_sample(tmp_path / "site"))
    assert run_build(site, now=NOW).ok
    before = tree(site / "site")

    replace(site / ARTICLE, "title: ", "title: Revised ")
    result = run_build(site, now=NOW)
    assert result.ok
    after = tree(site / "site")

    changed_pages = {rel for rel, data in after.items() if rel.endswith(".html") and before.get(rel) != data}
    rendered = {page_file(url) for url, _ in result.rendered}
    # The article's own page, its theme hubs, its SMEs, its tags, its services, its track and the
    # articles whose related lists show it: all changed, all rendered.
    assert OWN_PAGE in changed_pages and len(changed_pages) >= 10
    # Exactly those: the tracks index, whose context holds each track's steps (a site's own templates
    # may list them), is fingerprinted by what the built-in one shows, their number (PageSpec.shown).
    assert changed_pages == rendered
    assert all("Revised" in after[rel].decode() for rel in changed_pages)


def test_the_pages_of_articles_sharing_a_tag_are_not_rendered_again(tmp_path: Path) -> None:
    # Thirty articles with one tag in common: each page links to the tag, and its related list shows
    # only a few of the others.
    files = {f"content/articles/piece-{n:02d}.md": article(f"Piece {n:02d}", date=f"2026-02-{n % 28 + 1:02d}",
                                                           themes="[cloud]" if n % 2 else "[data]",
                                                           extra="tags: [Shared Tag]")
             for n in range(30)}
    site = make_site(tmp_path / "site", files)
    assert run_build(site).ok
    pages = {n: site / "site" / "articles" / f"piece-{n:02d}" / "index.html" for n in range(30)}
    assert all("tags/shared-tag/" in path.read_text(encoding="utf-8") for path in pages.values())

    replace(site / "content/articles/piece-07.md", "title: Piece 07", "title: Revised Piece 07")
    result = run_build(site)
    assert result.ok
    rendered = {url for url, _ in result.rendered}
    showing = {n for n, path in pages.items() if "Revised Piece 07" in path.read_text(encoding="utf-8")}
    assert 7 in showing and len(showing) < 30
    # Those that show the new title (the article itself, related lists) were rendered; the others not.
    assert {f"articles/piece-{n:02d}/" for n in showing} <= rendered
    assert rendered.isdisjoint({f"articles/piece-{n:02d}/" for n in set(pages) - showing})
    assert any(url.startswith("tags/shared-tag/") for url in rendered)  # the tag's listing shows it


def test_a_title_edit_renders_one_page_of_a_long_depth_listing(tmp_path: Path) -> None:
    # Twenty-four pieces of one theme at one depth, five to a page: the depth group's listing has five
    # pages. Its pages held the whole group, so one title re-rendered all five, four to the same bytes.
    files = {f"content/articles/piece-{n:02d}.md": article(f"Piece {n:02d}", date=f"2026-02-{n + 1:02d}",
                                                           extra="depth: deeper")
             for n in range(24)}
    files["themehub.yaml"] = (FIXTURES / "mini_hub" / "themehub.yaml").read_text() + "paginate: 5\n"
    site = make_site(tmp_path / "site", files)
    assert run_build(site).ok
    listing = [f"themes/cloud/deeper/{'' if n == 1 else f'page/{n}/'}index.html" for n in range(1, 6)]
    before = tree(site / "site")
    assert all(page in before for page in listing)
    assert [page for page in listing if b"Piece 23" in before[page]] == [listing[0]]  # newest first

    replace(site / "content/articles/piece-23.md", "title: Piece 23", "title: Revised Piece 23")
    result = run_build(site)
    assert result.ok
    after = tree(site / "site")
    rendered = {page_file(url) for url, _ in result.rendered}
    assert b"Revised Piece 23" in after[listing[0]] and listing[0] in rendered
    assert rendered.isdisjoint(listing[1:])
    assert all(after[page] == before[page] for page in listing[1:])
    changed_pages = {rel for rel, data in after.items() if rel.endswith(".html") and before.get(rel) != data}
    assert rendered == changed_pages


def test_a_site_template_reading_the_whole_group_still_sees_every_title(tmp_path: Path) -> None:
    # The fingerprint hashes a depth page's group as the built-in template shows it (key and label); a
    # site's own template may list the group's every article, and must never show a stale title.
    files = {f"content/articles/piece-{n:02d}.md": article(f"Piece {n:02d}", date=f"2026-02-{n + 1:02d}",
                                                           extra="depth: deeper")
             for n in range(12)}
    files["themehub.yaml"] = (FIXTURES / "mini_hub" / "themehub.yaml").read_text() + "paginate: 5\n"
    files["themes/default/templates/theme_depth.html"] = (
        '{% extends "!default/theme_depth.html" %}{% block main %}<ol class="whole-group">'
        "{% for a in group.articles %}<li>{{ a.title }}</li>{% endfor %}</ol>{{ super() }}{% endblock %}")
    site = make_site(tmp_path / "site", files)
    assert run_build(site).ok
    last_page = site / "site/themes/cloud/deeper/page/3/index.html"
    assert "Piece 11" in last_page.read_text(encoding="utf-8")  # the whole group, on its last page too

    replace(site / "content/articles/piece-11.md", "title: Piece 11", "title: Revised Piece 11")
    assert run_build(site).ok
    assert "Revised Piece 11" in last_page.read_text(encoding="utf-8")
