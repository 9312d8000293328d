"""Small fixture sites built in tmp_path: what readers see, and what authors are told when it goes wrong."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Built
from tests.helpers import (
    all_files,
    article,
    card_links,
    depth_groups,
    internal_link_problems,
    main_of,
    make_site,
    page,
    run_build,
)

Site = Callable[..., Path]


def art(slug: str, base: str = "/insights/") -> str:
    return f"{base}articles/{slug}/"


def located(result, code: str) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    return [(d.file, d.line, d.severity) for d in result.diagnostics if d.code == code]


# ---------------------------------------------------------------------------- the fixture hub


def test_fixture_hub_builds_cleanly_with_no_broken_links(mini_built: Built) -> None:
    assert mini_built.result.ok
    assert list(mini_built.result.diagnostics) == []
    assert internal_link_problems(mini_built.out) == []


def test_theme_hub_rolls_up_sub_theme_content_exactly_once(mini_built: Built) -> None:
    """Every piece of the theme and its sub-themes is on the hub, each once: on the guided path, or in
    its depth group."""
    for url, expected in (("/insights/themes/cloud/", [art("cloud-basics"), art("finops-deep"), art("finops-start")]),
                          ("/insights/themes/finops/", [art("finops-deep"), art("finops-start")])):
        links = [link for link in card_links(main_of(page(mini_built.out, url))) if "/articles/" in link]
        assert sorted(links) == expected, url


def test_theme_hub_shows_only_depth_groups_with_content(mini_built: Built) -> None:
    doc = page(mini_built.out, "/insights/themes/cloud/")
    path = card_links(doc.section("Your path through Cloud Economics"))
    groups = depth_groups(doc.section("More on Cloud Economics"))
    assert groups and all(links for _, links in groups)
    assert sorted(path + [link for _, links in groups for link in links]) == [
        art("cloud-basics"), art("finops-deep"), art("finops-start")]


def test_theme_hub_services_and_experts(mini_built: Built) -> None:
    """The theme's service leads by its call to action; it is not shown again among the services."""
    doc = page(mini_built.out, "/insights/themes/cloud/")
    cta = doc.one("aside", class_="cta-block").find("a")
    assert cta is not None and cta.attrs["data-service"] == "cost-review"
    assert "/insights/services/cost-review/" not in main_of(doc).hrefs()
    experts = [h for h in doc.section("Experts on Cloud Economics").hrefs() if "/authors/" in h]
    assert experts == ["/insights/authors/ana-quinn/", "/insights/authors/ben-okoro/"]


def test_markdown_link_to_another_article(mini_built: Built) -> None:
    body = page(mini_built.out, art("finops-start")).one("div", class_="prose")
    assert body.links() == [(art("cloud-basics"), "the basics")]


def test_tags_that_slugify_alike_are_one_tag_page(mini_built: Built) -> None:
    out = mini_built.out
    assert sorted(p.name for p in (out / "tags").iterdir() if p.is_dir()) == ["cloud-costs", "operating-model"]
    listing = main_of(page(out, "/insights/tags/cloud-costs/"))
    assert sorted(card_links(listing)) == [art("cloud-basics"), art("finops-start")]
    index = [h for h in main_of(page(out, "/insights/tags/")).hrefs() if h.startswith("/insights/tags/")]
    assert index == ["/insights/tags/cloud-costs/", "/insights/tags/operating-model/"]
    for slug in ("cloud-basics", "finops-start"):
        tags = page(out, art(slug)).one("ul", class_="tags").hrefs()
        assert "/insights/tags/cloud-costs/" in tags


def test_article_breadcrumbs_and_author_boxes(mini_built: Built) -> None:
    doc = page(mini_built.out, art("finops-deep"))
    assert doc.one("nav", class_="breadcrumbs").links() == [
        ("/insights/", "Home"), ("/insights/themes/cloud/", "Cloud Economics"), ("/insights/themes/finops/", "FinOps")]
    boxes = doc.section("About the authors").find_all("div", class_="author-box")
    assert [b.hrefs() for b in boxes] == [["/insights/authors/ben-okoro/"], ["/insights/authors/ana-quinn/"]]
    # The service the piece leads to: its call to action closes the article, once.
    ctas = [a.attrs.get("data-service") for a in main_of(doc).find_all("a") if a.attrs.get("data-cta-id")]
    assert ctas == ["cost-review"]


def test_article_read_deeper_follows_the_guided_path(mini_built: Built) -> None:
    # Without `start`, the finops path is its newest entry piece, then its newest deepest piece.
    doc = page(mini_built.out, art("finops-start"))
    assert card_links(doc.section("Read deeper")) == [art("finops-deep")]


def test_static_files_are_copied(mini_built: Built) -> None:
    assert (mini_built.out / "images/logo.svg").read_bytes() == (mini_built.root / "static/images/logo.svg").read_bytes()


def test_hub_json(mini_built: Built) -> None:
    data = json.loads((mini_built.out / "hub.json").read_text())
    assert [t["slug"] for t in data["themes"]] == ["cloud", "finops", "data"]
    assert sorted(c["slug"] for c in data["content"]) == ["cloud-basics", "data-intro", "finops-deep", "finops-start"]
    assert sorted(a["slug"] for a in data["authors"]) == ["ana-quinn", "ben-okoro"]
    assert sorted(s["slug"] for s in data["services"]) == ["cost-review", "data-audit"]


# ------------------------------------------------------------------------------- guided path


def test_guided_path_order_comes_from_start(site: Site) -> None:
    root = site({"content/themes/cloud.md": """
        ---
        title: Cloud Economics
        start: [finops-deep, cloud-basics, finops-start]
        ---
        Intro.
        """})
    result = run_build(root)
    assert result.ok, result.diagnostics
    doc = page(root / "site", "/insights/themes/cloud/")
    path = doc.section("Your path through Cloud Economics").one("ol", class_="path")
    assert card_links(path) == [art("finops-deep"), art("cloud-basics"), art("finops-start")]
    # "Read deeper" goes deeper: not from the deepest piece back to an entry piece, even along the path.
    assert not [h for h in page(root / "site", art("finops-deep")).find_all("h2") if h.text == "Read deeper"]
    assert card_links(page(root / "site", art("cloud-basics")).section("Read deeper")) == [art("finops-deep")]


# ------------------------------------------------------------------------------- pagination


def test_long_listings_are_paginated_and_linked(site: Site) -> None:
    """A theme hub shows the first six pieces of each depth level and links to the level's own
    listing, paginated; tag and SME listings are paginated as they are."""
    files: dict[str, str | None] = {"themehub.yaml": "title: Mini Hub\nbase_url: https://example.com/insights/\npaginate: 4\n"}
    for i in range(1, 10):
        files[f"content/articles/data-{i}.md"] = article(f"Data {i}", date=f"2026-02-0{i}", authors="[ben-okoro]",
                                                         themes="[data]", extra="tags: [Big Data]")
    root = site(files)
    result = run_build(root)
    assert result.ok, result.diagnostics
    out = root / "site"
    entry = {art(f"data-{i}") for i in range(1, 10)}

    hub_page = page(out, "/insights/themes/data/")
    groups = dict(depth_groups(hub_page.section("More on Data Trust")))
    assert len(groups["Start here"]) == 6  # two rows of three
    see_all = hub_page.find_all("p", class_="see-all")
    assert [p.links() for p in see_all] == [[("/insights/themes/data/entry/", "All 9 “Start here” pieces on Data Trust")]]
    seen: list[str] = []
    for url in ("/insights/themes/data/entry/", "/insights/themes/data/entry/page/2/",
                "/insights/themes/data/entry/page/3/"):
        seen += card_links(main_of(page(out, url)))
    assert sorted(seen) == sorted(entry)
    assert not (out / "themes/data/entry/page/4").exists()
    assert page(out, "/insights/themes/data/entry/").one("nav", class_="breadcrumbs").links() == [
        ("/insights/", "Home"), ("/insights/themes/", "Themes"), ("/insights/themes/data/", "Data Trust")]
    second = page(out, "/insights/themes/data/entry/page/2/")
    assert [a.attrs["href"] for a in second.find_all("a", rel="prev")] == ["/insights/themes/data/entry/"]

    tag_first = page(out, "/insights/tags/big-data/")
    assert "/insights/tags/big-data/page/2/" in tag_first.one("nav", class_="pager").hrefs()
    assert (out / "tags/big-data/page/2/index.html").is_file()
    author_first = page(out, "/insights/authors/ben-okoro/")
    assert "/insights/authors/ben-okoro/page/2/" in author_first.one("nav", class_="pager").hrefs()
    assert internal_link_problems(out) == []


# ---------------------------------------------------------------------- drafts and the future


def test_drafts_and_future_articles_are_left_out_unless_asked(site: Site) -> None:
    root = site({
        "content/articles/draft-piece.md": article("Draft Piece", extra="draft: true"),
        "content/articles/future-piece.md": article("Future Piece", date="2026-12-24"),
    })
    result = run_build(root)
    assert result.ok, result.diagnostics
    out = root / "site"
    for slug in ("draft-piece", "future-piece"):
        assert not (out / "articles" / slug).exists()
        assert art(slug) not in page(out, "/insights/themes/cloud/").hrefs()
        assert slug not in (out / "feed.xml").read_text()
        assert slug not in (out / "sitemap.xml").read_text()
        assert slug not in (out / "hub.json").read_text()

    result = run_build(root, drafts=True)
    assert result.ok, result.diagnostics
    for slug, title in (("draft-piece", "Draft Piece"), ("future-piece", "Future Piece")):
        assert page(out, art(slug)).one("h1").text == title
        assert art(slug) in page(out, "/insights/themes/cloud/").hrefs()


def test_a_link_to_a_draft_is_a_warning_not_an_error(site: Site) -> None:
    root = site({
        "content/articles/draft-piece.md": article("Draft Piece", extra="draft: true"),
        "content/articles/linker.md": article("Linker", body="See [the draft](draft-piece.md)."),
    })
    result = run_build(root)
    assert result.ok
    assert located(result, "draft-link") == [("content/articles/linker.md", 8, "warning")]


# ------------------------------------------------------------------------------------- links


def test_link_to_a_missing_file_is_a_broken_link_error_with_file_and_line(site: Site) -> None:
    body = "Intro paragraph.\n\nThen see [the gone one](gone-article.md) for more."
    root = site({"content/articles/linker.md": article("Linker", body=body)})
    result = run_build(root)
    assert not result.ok
    broken = [d for d in result.diagnostics if d.code == "broken-link"]
    assert [(d.file, d.line, d.severity) for d in broken] == [("content/articles/linker.md", 10, "error")]
    assert "gone-article.md" in broken[0].message
    assert not (root / "site").exists(), "a failed build must not write a site"


def test_links_to_headings_are_checked(site: Site) -> None:
    good = "[money](cloud-basics.md#where-the-money-goes)"
    root = site({"content/articles/linker.md": article("Linker", body=f"{good} and [nope](cloud-basics.md#no-such)")})
    result = run_build(root)
    assert result.ok
    assert located(result, "broken-anchor") == [("content/articles/linker.md", 8, "warning")]
    links = page(root / "site", art("linker")).one("div", class_="prose").hrefs()
    assert links[0] == "/insights/articles/cloud-basics/#where-the-money-goes"
    assert page(root / "site", art("cloud-basics")).find("h2", id="where-the-money-goes") is not None
    assert not run_build(root, strict=True).ok


def test_links_between_kinds_and_from_the_site_root(site: Site) -> None:
    body = ("[theme](../themes/finops.md) [sme](../authors/ana-quinn.md) [svc](../services/cost-review.md) "
            "[about](../pages/about.md) [root](/about/) [img](/images/logo.svg) [ext](https://example.org/x)")
    root = site({"content/articles/linker.md": article("Linker", body=body)})
    result = run_build(root)
    assert result.ok, result.diagnostics
    assert page(root / "site", art("linker")).one("div", class_="prose").hrefs() == [
        "/insights/themes/finops/", "/insights/authors/ana-quinn/", "/insights/services/cost-review/",
        "/insights/about/", "/insights/about/", "/insights/images/logo.svg", "https://example.org/x"]
    assert internal_link_problems(root / "site") == []


def test_base_url_override_moves_every_link(site: Site) -> None:
    root = site()
    result = run_build(root, base_url="https://preview.example.net/pr-7/")
    assert result.ok, result.diagnostics
    out = root / "site"
    doc = page(out, "/pr-7/articles/finops-start/", base_path="/pr-7/")
    assert doc.one("div", class_="prose").hrefs() == ["/pr-7/articles/cloud-basics/"]
    assert not [h for h in doc.hrefs() if h.startswith("/insights/")]
    assert internal_link_problems(out, "/pr-7/") == []
    assert "https://preview.example.net/pr-7/articles/cloud-basics/" in (out / "sitemap.xml").read_text()


def test_a_site_at_the_domain_root(site: Site) -> None:
    root = site({"themehub.yaml": "title: Root Hub\nbase_url: https://example.com\n"})
    result = run_build(root)
    assert result.ok, result.diagnostics
    doc = page(root / "site", "/articles/finops-start/", base_path="/")
    assert doc.one("div", class_="prose").hrefs() == ["/articles/cloud-basics/"]
    assert internal_link_problems(root / "site", "/") == []


# ---------------------------------------------------------------------------------- raw HTML

DANGEROUS = """
Safe text before.

<script>alert('owned')</script>

<img src="/images/logo.svg" alt="logo" onerror="alert(1)">

[click me](javascript:alert(2)) and <a href="javascript:alert(3)">raw link</a>

Safe text after.
"""


DATA_SCRIPTS = ("application/ld+json", "application/json")


def _active_content(node) -> list[str]:  # type: ignore[no-untyped-def]
    """Elements and attributes that would run code (a JSON-LD data block does not)."""
    found = [f"<{n.tag}>" for n in node.iter() if n.tag in ("script", "iframe", "object", "embed")
             and not (n.tag == "script" and n.attrs.get("type") in DATA_SCRIPTS)]
    found += [f"{n.tag}[{k}]" for n in node.iter() for k in n.attrs if k.lower().startswith("on")]
    found += [f"{n.tag}[{k}={v}]" for n in node.iter() for k, v in n.attrs.items()
              if k in ("href", "src") and v and "javascript:" in v.lower()]
    return found


def test_raw_html_is_sanitized_by_default(site: Site) -> None:
    root = site({"content/articles/xss.md": article("XSS", body=DANGEROUS)})
    result = run_build(root)
    assert result.ok, result.diagnostics
    prose = page(root / "site", art("xss")).one("div", class_="prose")
    assert _active_content(prose) == []
    assert "Safe text before." in prose.text and "Safe text after." in prose.text
    # A tag the allow-list refuses is shown as text (never run, never dropped with what follows it).
    assert "<script>alert('owned')</script>" in prose.text
    assert "unsafe-url" in [d.code for d in result.diagnostics]


def test_raw_html_is_escaped_under_escape(site: Site) -> None:
    root = site({
        "themehub.yaml": "title: Mini Hub\nbase_url: https://example.com/insights/\nraw_html: escape\n",
        "content/articles/xss.md": article("XSS", body=DANGEROUS),
    })
    result = run_build(root)
    assert result.ok, result.diagnostics
    prose = page(root / "site", art("xss")).one("div", class_="prose")
    assert _active_content(prose) == []
    assert "<script>alert('owned')</script>" in prose.text  # shown to the reader as text
    assert 'onerror="alert(1)"' in prose.text


def test_front_matter_text_is_escaped_in_pages(site: Site) -> None:
    root = site({"content/articles/title.md": article('"<b>Bold</b> & <script>x()</script>"',
                                                      extra='summary: "<img src=x onerror=alert(1)>"')})
    result = run_build(root)
    assert result.ok, result.diagnostics
    doc = page(root / "site", art("title"))
    assert doc.one("h1").text == "<b>Bold</b> & <script>x()</script>"
    assert _active_content(main_of(doc)) == []
    # the hostile title adds no script anywhere (head, meta tags, JSON-LD): same scripts as any article page
    scripts = lambda d: sorted((s.attrs.get("src") or "", s.attrs.get("type") or "") for s in d.find_all("script"))  # noqa: E731
    assert scripts(doc) == scripts(page(root / "site", art("cloud-basics")))
    assert [f"{n.tag}[{k}]" for n in doc.iter() for k in n.attrs if k.lower().startswith("on")] == []
    for block in doc.find_all("script", type="application/ld+json"):  # structured data stays valid JSON
        data = json.loads("".join(c for c in block.children if isinstance(c, str)))
        if data.get("@type") == "Article":
            assert data["headline"] == "<b>Bold</b> & <script>x()</script>"


# -------------------------------------------------------------------------- aliases and 404


def test_alias_redirect_page(site: Site) -> None:
    root = site({"content/articles/cloud-basics.md": article("Cloud Basics", extra="aliases: [/blog/2019/basics/]")})
    result = run_build(root)
    assert result.ok, result.diagnostics
    doc = page(root / "site", "/insights/blog/2019/basics/")
    assert [n.attrs.get("href") for n in doc.find_all("link", rel="canonical")] == [
        "https://example.com/insights/articles/cloud-basics/"]
    assert art("cloud-basics") in doc.hrefs()
    assert "blog/2019" not in (root / "site/sitemap.xml").read_text()


def test_404_page_exists(mini_built: Built) -> None:
    doc = page(mini_built.out, "/insights/404.html")
    assert doc.one("h1").text == "Page not found"


# ------------------------------------------------------------------- configuration in builds


def test_custom_depth_labels_appear_on_theme_pages(site: Site) -> None:
    root = site({"themehub.yaml": """
        title: Mini Hub
        base_url: https://example.com/insights/
        depths:
          basics: First steps
          expert: For experts
        types:
          article: basics
          case-study: expert
          white-paper: expert
        """})
    result = run_build(root)
    assert result.ok, result.diagnostics
    doc = page(root / "site", "/insights/themes/cloud/")
    path = doc.section("Your path through Cloud Economics").text
    assert "First steps" in path and "For experts" in path
    assert [label for label, _ in depth_groups(doc.section("More on Cloud Economics"))] == ["First steps"]


def test_presentation_theme_overrides_templates_file_by_file(site: Site) -> None:
    root = site({
        "themehub.yaml": "title: Mini Hub\nbase_url: https://example.com/insights/\ntheme: brand\n",
        "themes/brand/templates/article.html": """
            {% extends "base.html" %}
            {% block main %}<h1 class="brand-title">{{ article.title }}</h1>{% endblock %}
            """,
        "themes/brand/static/brand.css": "body { color: red; }\n",
    })
    result = run_build(root)
    assert result.ok, result.diagnostics
    out = root / "site"
    assert page(out, art("cloud-basics")).one("h1", class_="brand-title").text == "Cloud Basics"
    assert page(out, "/insights/themes/cloud/").one("h1").text == "Cloud Economics"  # still the default template
    assert (out / "assets/brand.css").is_file()
    assert (out / "assets/style.css").is_file()


def test_unknown_presentation_theme_is_an_error(site: Site) -> None:
    root = site({"themehub.yaml": "title: Mini Hub\nbase_url: https://example.com/insights/\ntheme: nope\n"})
    result = run_build(root)
    assert not result.ok
    assert [(d.file, d.code) for d in result.diagnostics if d.is_error] == [
        ("themehub.yaml", "unknown-presentation-theme")]


def test_template_syntax_error_is_a_diagnostic(site: Site) -> None:
    root = site({
        "themehub.yaml": "title: Mini Hub\nbase_url: https://example.com/insights/\ntheme: brand\n",
        "themes/brand/templates/article.html": '{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n',
    })
    result = run_build(root)
    assert not result.ok
    bad = [d for d in result.diagnostics if d.is_error]
    assert [(d.file, d.line, d.code) for d in bad] == [("themes/brand/templates/article.html", 3, "template-error")]


def test_template_runtime_error_names_the_template_line(site: Site) -> None:
    root = site({
        "themehub.yaml": "title: Mini Hub\nbase_url: https://example.com/insights/\ntheme: brand\n",
        "themes/brand/templates/page.html": '{% extends "!default/page.html" %}\n{% block main %}\n'
                                             "<p>{{ 1 / 0 }}</p>\n{% endblock %}\n",
        "content/pages/about.md": "---\ntitle: About\n---\n\nAbout us.\n",
    })
    result = run_build(root)
    assert not result.ok
    bad = [d for d in result.diagnostics if d.is_error]
    assert [(d.file, d.line, d.code) for d in bad] == [("themes/brand/templates/page.html", 3, "template-error")]
    assert "ZeroDivisionError" in bad[0].message and "/about/" in bad[0].message


# ------------------------------------------------------------------------ failing safely


def test_a_failed_build_leaves_the_previous_site_intact(site: Site) -> None:
    root = site()
    assert run_build(root).ok
    before = all_files(root / "site")
    (root / "content/articles/broken.md").write_text(article("Broken", themes="[clod]"))
    result = run_build(root)
    assert not result.ok
    assert [d.code for d in result.diagnostics if d.is_error] == ["unknown-theme"]
    assert all_files(root / "site") == before
    assert [p.name for p in root.iterdir() if "staging" in p.name] == []


def test_a_rebuild_reports_unchanged_files(site: Site) -> None:
    root = site()
    first = run_build(root)
    second = run_build(root)
    assert first.ok and second.ok
    assert first.written == first.files
    assert (second.written, second.unchanged) == (0, second.files)


@pytest.mark.parametrize("output", ["content", ".", "..", "static", "content/articles"])
def test_dangerous_output_folders_are_refused_before_anything_is_written(site: Site, output: str) -> None:
    root = site({"themehub.yaml": f"title: Mini Hub\nbase_url: https://example.com/insights/\noutput: {output}\n"})
    before = all_files(root)
    result = run_build(root)
    assert not result.ok
    assert "dangerous-output" in [d.code for d in result.diagnostics]
    assert all_files(root) == before


def test_strict_build_fails_on_warnings(site: Site) -> None:
    root = site({"content/articles/img.md": article("Img", body="![](/images/logo.svg)")})
    assert located(run_build(root), "missing-alt") == [("content/articles/img.md", 8, "warning")]
    result = run_build(root, strict=True)
    assert not result.ok


def test_every_error_of_a_run_is_reported_together(site: Site) -> None:
    root = site({
        "content/articles/a.md": article("A", themes="[clod]"),
        "content/articles/b.md": article("B", authors="[nobody]"),
        "content/articles/c.md": article("C", extra="type: blog"),
    })
    result = run_build(root)
    assert sorted((d.file, d.code) for d in result.diagnostics if d.is_error) == [
        ("content/articles/a.md", "unknown-theme"), ("content/articles/b.md", "unknown-author"),
        ("content/articles/c.md", "unknown-type")]


def test_alias_that_is_the_address_of_another_page_is_an_error_in_the_article(site: Site) -> None:
    root = site({"content/articles/aliased.md": article("Aliased", extra="aliases: [/themes/data/]")})
    result = run_build(root)
    assert not result.ok
    bad = [d for d in result.diagnostics if d.is_error]
    assert len(bad) == 1
    # the author needs to know which file (and line) holds the alias, not just that some alias clashes
    assert (bad[0].file, bad[0].line) == ("content/articles/aliased.md", 6)
    assert "/themes/data/" in bad[0].message


def test_a_foreign_output_folder_is_kept_unless_forced(site: Site) -> None:
    root = site()
    (root / "site").mkdir()
    (root / "site/notes.txt").write_text("mine")
    result = run_build(root)
    assert not result.ok
    assert [d.code for d in result.diagnostics if d.is_error] == ["dangerous-output"]
    assert "--force" in result.diagnostics[0].hint
    assert [p.name for p in (root / "site").iterdir()] == ["notes.txt"]
    forced = run_build(root, force=True)
    assert forced.ok
    assert not (root / "site/notes.txt").exists()
    assert (root / "site/index.html").is_file()


def test_special_characters_in_titles_survive_pages_and_feeds(site: Site) -> None:
    import xml.etree.ElementTree as ET

    title = "R&D <costs> “quoted” 'too'"
    root = site({"content/articles/amp.md": article(json.dumps(title), extra='summary: "Less < more & more > less"')})
    result = run_build(root)
    assert result.ok, result.diagnostics
    out = root / "site"
    assert page(out, art("amp")).one("h1").text == title
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring((out / "feed.xml").read_bytes())
    entries = {e.findtext(f"{atom}title"): e.findtext(f"{atom}summary") for e in feed.findall(f"{atom}entry")}
    assert entries[title] == "Less < more & more > less"
    assert title in [c["title"] for c in json.loads((out / "hub.json").read_text())["content"]]


def test_link_to_a_file_with_a_custom_slug_uses_the_slug(site: Site) -> None:
    root = site({
        "content/articles/2026-01-05-renamed.md": article("Renamed", extra="slug: renamed"),
        "content/articles/linker.md": article("Linker", body="See [it](2026-01-05-renamed.md)."),
    })
    result = run_build(root)
    assert result.ok, result.diagnostics
    assert page(root / "site", art("linker")).one("div", class_="prose").hrefs() == [art("renamed")]
    assert (root / "site/articles/renamed/index.html").is_file()


def test_a_missing_image_is_an_error_on_its_line(site: Site) -> None:
    body = "First paragraph.\n\n![A chart](charts/missing-chart.png)"
    result = run_build(site({"content/articles/chart.md": article("Chart", body=body)}))
    assert not result.ok
    bad = [d for d in result.diagnostics if d.is_error]
    assert [(d.file, d.line) for d in bad] == [("content/articles/chart.md", 10)]
    assert "missing-chart.png" in bad[0].message


def test_build_can_be_called_from_code_running_an_event_loop(site: Site) -> None:
    """`build` is a library function: a notebook, an async web app or a test using Playwright calls it
    while an asyncio event loop runs; it must still build (and never raise)."""
    import asyncio
    import threading

    root = site()

    async def caller() -> bool:
        return run_build(root, search=True).ok  # a default build, search index included

    # In a thread of its own: the browser tests' playwright session may already run a loop in this one.
    results: list[bool] = []
    worker = threading.Thread(target=lambda: results.append(asyncio.run(caller())))
    worker.start()
    worker.join()
    assert results == [True]
    assert (root / "site/index.html").is_file()


# ---------------------------------------------------------------------------- the garbage collector


def test_the_collector_is_off_while_the_site_loads_and_as_the_caller_left_it_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading makes no garbage worth collecting, and the collector's passes over the new objects cost a
    10,000-article rebuild some 0.16 s: it is paused while the content loads. A build must still
    hand the collector back as it found it, after a success and after a failure (`serve` and other
    long-lived callers depend on it)."""
    import gc

    import themehub.build as build_module

    seen: list[bool] = []
    real_load_content = build_module.load_content

    def load_content(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real_load_content(*args, **kwargs)

    monkeypatch.setattr(build_module, "load_content", load_content)
    site = make_site(tmp_path / "site")
    assert gc.isenabled()
    assert run_build(site).ok
    assert gc.isenabled() and seen == [False]
    (site / "content/articles/broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n")
    assert not run_build(site).ok
    assert gc.isenabled() and seen == [False, False]
    gc.disable()
    try:
        assert not run_build(site).ok
        assert not gc.isenabled()  # the caller had it off: it stays off
    finally:
        gc.enable()
