"""The real sample hub (content/ + themehub.yaml), copied and built: what a reader of it sees.

Expectations come from the sample's own front matter (tests/sample_content.py reads it with plain
PyYAML), so the tests keep working as the sample grows, and a few fixed facts of the sample are named.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import Built
from tests.helpers import (
    BASE_URL,
    NOW,
    SAMPLE_LANGUAGES,
    Node,
    all_files,
    card_links,
    copy_sample,
    depth_groups,
    hub_pages,
    internal_link_problems,
    main_of,
    page,
    run_build,
)
from tests.sample_content import SampleContent

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DRAFT = "green-software-patterns-video"  # the sample's draft


@pytest.fixture(scope="module")
def sample(sample_built: Built) -> SampleContent:
    return SampleContent.read(sample_built.root)


def art(slug: str) -> str:
    return f"/insights/articles/{slug}/"


def arts(slugs: set[str] | list[str]) -> list[str]:
    return sorted(art(s) for s in slugs)


def article_links(node: Node) -> list[str]:
    return [h for h in node.hrefs() if h.startswith("/insights/articles/")]


# ------------------------------------------------------------------------------ the build itself


def test_sample_hub_builds_without_errors(sample_built: Built) -> None:
    result = sample_built.result
    assert [d for d in result.diagnostics if d.is_error] == []
    assert result.ok
    assert (sample_built.out / "index.html").is_file()


def test_no_broken_internal_links_in_the_sample_hub(sample_built: Built) -> None:
    assert internal_link_problems(sample_built.out) == []


def test_the_sample_has_what_these_tests_rely_on(sample: SampleContent) -> None:
    assert DRAFT in sample.unpublished
    assert sample.parent_of("finops") == "cloud-economics"
    assert "finops-first-90-days" in sample.published
    assert len(sample.published) >= 10


def test_every_item_has_its_page(sample_built: Built, sample: SampleContent) -> None:
    out = sample_built.out
    urls = ([art(s) for s in sample.published] + [f"/insights/themes/{s}/" for s in sample.themes]
            + [f"/insights/authors/{s}/" for s in sample.authors] + [f"/insights/services/{s}/" for s in sample.services]
            + [f"/insights/{s}/" for s in sample.pages]
            + ["/insights/", "/insights/themes/", "/insights/authors/", "/insights/services/", "/insights/tags/",
               "/insights/search/"])
    missing = [url for url in urls if not (out / url.removeprefix("/insights/") / "index.html").is_file()]
    assert missing == []
    for name in ("404.html", "feed.xml", "sitemap.xml", "robots.txt", "hub.json"):
        assert (out / name).is_file(), name


def test_static_files_are_copied(sample_built: Built) -> None:
    for src in (sample_built.root / "static").rglob("*"):
        if src.is_file():
            rel = src.relative_to(sample_built.root / "static")
            assert (sample_built.out / rel).read_bytes() == src.read_bytes(), rel


def test_output_is_byte_identical_across_builds(sample_built: Built, tmp_path: Path) -> None:
    again = tmp_path / "again"
    # the very same sources as the first build, without its output or cache
    shutil.copytree(sample_built.root, again, ignore=shutil.ignore_patterns("site", ".themehub-cache", ".site.*"))
    result = run_build(again, now=NOW, search=True)
    assert result.ok
    first, second = all_files(sample_built.out), all_files(again / "site")
    assert {
        "only in the first build": sorted(set(first) - set(second)),
        "only in the second build": sorted(set(second) - set(first)),
        "different bytes": sorted(n for n in set(first) & set(second) if first[n] != second[n]),
    } == {"only in the first build": [], "only in the second build": [], "different bytes": []}


# ---------------------------------------------------------------------------------------- pages


def test_every_page_has_language_canonical_url_and_image_alt(sample_built: Built) -> None:
    out = sample_built.out
    problems = []
    for html in hub_pages(out):
        if html.name != "index.html":
            continue
        rel = html.relative_to(out).parent.as_posix()
        url = "/insights/" + ("" if rel == "." else rel + "/")
        doc = page(out, url)
        language = rel.split("/")[0] if rel.split("/")[0] in SAMPLE_LANGUAGES else "en"
        if doc.one("html").attrs.get("lang") != language:
            problems.append(f"{url}: lang is not {language}")
        problems += [f"{url}: <img src={i.attrs.get('src')}> has no alt" for i in doc.find_all("img") if "alt" not in i.attrs]
        if rel.startswith("blog/"):
            continue  # an alias page's canonical URL is its new address (tested below)
        canonical = [n.attrs.get("href") for n in doc.find_all("link", rel="canonical")]
        if canonical != [BASE_URL + ("" if rel == "." else rel + "/")]:
            problems.append(f"{url}: canonical {canonical}")
    assert problems == []


def test_home_page_shows_top_level_themes_as_tiles_in_weight_order(sample_built: Built, sample: SampleContent) -> None:
    doc = page(sample_built.out, "/insights/")
    tiles = [a.attrs["href"] for a in main_of(doc).find_all("a", class_="tile")]
    assert tiles == [f"/insights/themes/{s}/" for s in sample.top_themes()]
    assert "/insights/themes/finops/" not in tiles  # a sub-theme is reached through its parent
    # The hero leads with a piece (no `featured: true` in the sample: the newest of the deepest level),
    # and "Latest thinking" does not show it again.
    newest = sorted(sample.listed, key=lambda s: (-sample.date_of(s).timestamp(), s))
    featured = next(s for s in newest if sample.depth_of(s) == "deepest")
    assert card_links(main_of(doc).one("article", class_="feature")) == [art(featured)]
    latest = card_links(doc.section("Latest thinking"))
    assert latest == [art(s) for s in newest if s != featured][: len(latest)]
    assert latest
    assert "/insights/authors/maya-okafor/" in doc.section("Meet our experts").hrefs()


def test_theme_hub_links_to_its_articles_smes_and_services(sample_built: Built, sample: SampleContent) -> None:
    doc = page(sample_built.out, "/insights/themes/cloud-economics/")
    assert doc.one("h1").text == "Cloud Economics"
    assert main_of(doc).one("p", class_="tagline").text == sample.themes["cloud-economics"]["tagline"]
    content = [link for link in card_links(main_of(doc)) if "/articles/" in link]
    assert sorted(content) == arts(sample.theme_content("cloud-economics"))
    assert len(content) == len(set(content)), "an article is shown twice"
    # The first service leads by the theme's call to action; the others follow, each once.
    cta = main_of(doc).one("aside", class_="cta-block").find("a")
    own_services = sample.themes["cloud-economics"]["services"]
    assert cta is not None and cta.attrs["data-service"] == own_services[0]
    help_links = [h for h in doc.section("How we can help").hrefs() if h.startswith("/insights/services/")]
    assert help_links[: len(own_services) - 1] == [f"/insights/services/{s}/" for s in own_services[1:]]
    assert f"/insights/services/{own_services[0]}/" not in help_links
    experts = {h for h in doc.section("Experts on Cloud Economics").hrefs() if h.startswith("/insights/authors/")}
    writers = {a for s in sample.theme_content("cloud-economics") for a in sample.authors_of(s)}
    assert experts == {f"/insights/authors/{a}/" for a in writers}
    assert "/insights/themes/finops/" in main_of(doc).hrefs()


def test_theme_hub_groups_content_by_depth(sample_built: Built, sample: SampleContent) -> None:
    """Pieces not on the guided path or among the customer stories are grouped by depth, each once."""
    doc = page(sample_built.out, "/insights/themes/cloud-economics/")
    elsewhere = set(card_links(doc.section("Your path through Cloud Economics")))
    elsewhere |= {link for h in ("Customer stories", "More ways into Cloud Economics")
                  for link in (card_links(doc.section(h)) if any(x.text == h for x in doc.find_all("h2")) else [])}
    groups = depth_groups(doc.section("More on Cloud Economics"))
    labels = {"entry": "Start here", "deeper": "Go deeper", "deepest": "Deep dives"}
    expected = {label: arts({s for s in sample.theme_content("cloud-economics") if sample.depth_of(s) == key
                             and art(s) not in elsewhere})
                for key, label in labels.items()}
    assert {label: sorted(links) for label, links in groups} == {k: v for k, v in expected.items() if v}


def test_theme_hub_guided_path_follows_start(sample_built: Built, sample: SampleContent) -> None:
    doc = page(sample_built.out, "/insights/themes/cloud-economics/")
    path = doc.section("Your path through Cloud Economics").one("ol", class_="path")
    assert article_links(path) == [art(s) for s in sample.start_of("cloud-economics")]
    assert len(article_links(path)) >= 3


def test_sub_theme_hub_has_breadcrumbs_to_its_parent(sample_built: Built, sample: SampleContent) -> None:
    doc = page(sample_built.out, "/insights/themes/finops/")
    crumbs = doc.one("nav", class_="breadcrumbs")
    assert crumbs.links() == [("/insights/", "Home"), ("/insights/themes/", "Themes"),
                              ("/insights/themes/cloud-economics/", "Cloud Economics")]
    assert crumbs.one("span", aria_current="page").text == "FinOps"
    assert sorted(link for link in card_links(main_of(doc)) if "/articles/" in link) == arts(
        sample.theme_content("finops"))


def test_parent_theme_rolls_up_sub_theme_content_exactly_once(sample_built: Built, sample: SampleContent) -> None:
    only_finops = {s for s in sample.theme_content("finops") if "cloud-economics" not in sample.themes_of(s)}
    assert only_finops, "the sample needs a FinOps piece not tagged Cloud Economics"
    listed = card_links(main_of(page(sample_built.out, "/insights/themes/cloud-economics/")))
    for slug in sample.theme_content("finops"):
        assert listed.count(art(slug)) == 1, slug


def test_article_page_breadcrumbs_run_home_parent_theme_sub_theme(sample_built: Built, sample: SampleContent) -> None:
    slug = "finops-first-90-days"
    assert sample.themes_of(slug)[0] == "finops"
    doc = page(sample_built.out, art(slug))
    crumbs = doc.one("nav", class_="breadcrumbs")
    assert crumbs.links() == [("/insights/", "Home"), ("/insights/themes/cloud-economics/", "Cloud Economics"),
                              ("/insights/themes/finops/", "FinOps")]
    assert crumbs.one("span", aria_current="page").text == sample.articles[slug]["title"]


def test_article_page_author_boxes_link_to_sme_pages(sample_built: Built, sample: SampleContent) -> None:
    slug = next(s for s in sorted(sample.published) if len(sample.authors_of(s)) > 1)
    doc = page(sample_built.out, art(slug))
    boxes = doc.section("About the authors").find_all("div", class_="author-box")
    expected = [f"/insights/authors/{a}/" for a in sample.authors_of(slug)]
    assert [[h for h in b.hrefs() if h.startswith("/insights/authors/")] for b in boxes] == [[e] for e in expected]
    names = [str(sample.authors[a]["name"]) for a in sample.authors_of(slug)]
    assert [b.one("p", class_="author-name").find("a").text for b in boxes] == names  # type: ignore[union-attr]
    assert [h for h in doc.one("p", class_="article-meta").hrefs() if "/authors/" in h] == expected


def test_article_page_read_deeper_is_the_next_step(sample_built: Built, sample: SampleContent) -> None:
    """FinOps: Your First 90 Days is followed by the tagging policy on its track: the track's own "next"
    link shows it, so "Read deeper" offers another piece, deeper, and nothing shows twice."""
    doc = page(sample_built.out, art("finops-first-90-days"))
    assert [a.attrs["href"] for a in doc.find_all("a", class_="track-next")] == [art("tagging-policy-that-sticks")]
    (deeper,) = card_links(doc.section("Read deeper"))
    assert deeper != art("tagging-policy-that-sticks")
    order = ["entry", "deeper", "deepest"]
    assert order.index(sample.depth_of(deeper.split("/")[-2])) >= max(order.index(sample.depth_of("finops-first-90-days")), 1)
    shown = [link for link in card_links(main_of(doc)) if "/articles/" in link]
    assert len(shown) == len(set(shown)), "a piece is shown twice on the page"


def test_article_page_related_services(sample_built: Built, sample: SampleContent) -> None:
    slug = "finops-first-90-days"
    doc = page(sample_built.out, art(slug))
    services = [h for h in doc.section("How we can help").hrefs() if h.startswith("/insights/services/")]
    # The piece's first service with a call to action closes the article; the others follow, each once.
    cta = [a.attrs["data-service"] for a in main_of(doc).find_all("a") if a.attrs.get("data-cta-id")]
    named = [f"/insights/services/{s}/" for s in sample.articles[slug].get("services", []) if s not in cta]
    assert services[: len(named)] == named
    assert len(services) == len(set(services))
    assert not {f"/insights/services/{s}/" for s in cta} & set(services)


def test_article_page_related_content_explains_itself_with_real_titles(sample_built: Built) -> None:
    doc = page(sample_built.out, art("ai-inference-economics-podcast"))
    related = doc.section("Related")
    links = card_links(related)
    assert links and art("ai-inference-economics-podcast") not in links
    # Why each piece is suggested is for the team (data attributes, `themehub explain`), never shown to readers:
    # theme titles and tag names as written in the content ("AI at Scale", not "ai at scale").
    reasons = [card.attrs.get("data-related-reasons", "") for card in related.find_all("article", class_="card")]
    assert any("AI at Scale" in r for r in reasons), reasons
    assert "same theme" not in related.text and "shared tag" not in related.text


def test_article_page_tags_link_to_slugified_tag_pages(sample_built: Built, sample: SampleContent) -> None:
    doc = page(sample_built.out, art("why-cloud-bills-surprise-finance"))
    assert ("/insights/tags/cloud-costs/", "Cloud Costs") in doc.one("ul", class_="tags").links()
    tagged = {s for s in sample.listed if "cloud-costs" in [t.lower().replace(" ", "-") for t in sample.tags_of(s)]}
    listing = main_of(page(sample_built.out, "/insights/tags/cloud-costs/"))
    assert sorted(card_links(listing)) == arts(tagged)


def test_markdown_links_to_content_files_become_page_urls(sample_built: Built) -> None:
    body = page(sample_built.out, art("why-cloud-bills-surprise-finance")).one("div", class_="prose")
    assert ("/insights/themes/finops/", "FinOps") in body.links()
    assert ("/insights/articles/cloud-unit-cost-model/", "a unit-cost model for cloud spend") in body.links()
    nested = page(sample_built.out, art("carbon-aware-cloud-basics")).one("div", class_="prose")
    assert ("/insights/articles/retailer-cloud-reset-case-study/", "retailer case study") in nested.links()
    up = page(sample_built.out, art("retailer-cloud-reset-case-study")).one("div", class_="prose")
    assert ("/insights/themes/cloud-economics/", "Cloud Economics") in up.links()
    about = page(sample_built.out, "/insights/about/").one("div", class_="prose")
    assert ("/insights/authors/maya-okafor/", "Maya Okafor") in about.links()
    every_body = [page(sample_built.out, art(s)) for s in ("why-cloud-bills-surprise-finance", "carbon-aware-cloud-basics")]
    assert not [h for d in [*every_body, page(sample_built.out, "/insights/about/")] for h in d.hrefs() if ".md" in h]


def test_author_page(sample_built: Built, sample: SampleContent) -> None:
    doc = page(sample_built.out, "/insights/authors/maya-okafor/")
    assert doc.one("h1").text == "Maya Okafor"
    main = main_of(doc)
    newest = max(sample.date_of(s) for s in sample.content_by("maya-okafor"))
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    assert f"last published {newest.day} {months[newest.month - 1]} {newest.year}" in main.text
    assert "https://www.linkedin.com/" in " ".join(main.one("ul", class_="links").hrefs())
    groups = [s.one("h2").text for s in main.find_all("section", class_="section")]
    assert "On Cloud Economics" in groups or "On FinOps" in groups
    linked = set(article_links(main))
    assert linked == {art(s) for s in sample.content_by("maya-okafor")}


def test_service_page_shows_its_cta_and_the_thinking_behind_it(sample_built: Built, sample: SampleContent) -> None:
    doc = page(sample_built.out, "/insights/services/cloud-cost-optimisation/")
    cta = sample.services["cloud-cost-optimisation"]["cta"]
    buttons = [(href, text) for href, text in main_of(doc).links() if text == cta["label"]]
    assert buttons and all(href.startswith(cta["url"]) for href, _ in buttons)
    linked = set(card_links(doc.section("Thinking behind this service"))) | set(card_links(doc.section("The proof")))
    naming = {s for s in sample.listed if "cloud-cost-optimisation" in sample.articles[s].get("services", [])}
    assert {art(s) for s in naming} <= linked


# -------------------------------------------------------------------------- drafts and aliases


def test_drafts_are_not_published(sample_built: Built) -> None:
    out = sample_built.out
    assert not (out / "articles" / DRAFT).exists()
    # not linked or listed anywhere: no page, feed, sitemap or hub.json mentions it
    texts = {name: data for name, data in all_files(out).items() if name.endswith((".html", ".xml", ".json"))}
    assert [name for name, data in texts.items() if DRAFT.encode() in data] == []


def test_drafts_are_published_with_drafts_option(tmp_path: Path, sample: SampleContent) -> None:
    root = copy_sample(tmp_path / "s")
    result = run_build(root, now=NOW, drafts=True)
    assert result.ok
    doc = page(root / "site", art(DRAFT))
    assert doc.one("h1").text == sample.articles[DRAFT]["title"]


def test_alias_is_a_redirect_page_to_the_new_url(sample_built: Built) -> None:
    doc = page(sample_built.out, "/insights/blog/old-cloud-post/")
    new = BASE_URL + "articles/why-cloud-bills-surprise-finance/"
    assert [n.attrs.get("href") for n in doc.find_all("link", rel="canonical")] == [new]
    refresh = doc.one("meta", http_equiv="refresh").attrs["content"] or ""
    assert refresh.replace(" ", "").endswith("url=/insights/articles/why-cloud-bills-surprise-finance/")
    assert "/insights/articles/why-cloud-bills-surprise-finance/" in doc.hrefs()


def test_404_page(sample_built: Built) -> None:
    doc = page(sample_built.out, "/insights/404.html")
    assert doc.one("h1").text == "Page not found"
    assert "/insights/themes/cloud-economics/" in main_of(doc).hrefs()
    relative = [h for h in doc.hrefs() if not h.startswith(("/insights/", "https://", "#"))]
    assert relative == [], "a 404 page is served at any address: its links must not be relative"


def test_search_page_scripts_are_part_of_the_build(sample_built: Built) -> None:
    """/search/ is full-text search working with no server: every script and stylesheet it loads must exist."""
    doc = page(sample_built.out, "/insights/search/")
    wanted = [n.attrs.get("src") for n in doc.find_all("script") if n.attrs.get("src")]
    wanted += [n.attrs.get("href") for n in doc.find_all("link", rel="stylesheet")]
    assert any("pagefind" in (u or "") for u in wanted)
    missing = [u for u in wanted if u and u.startswith("/insights/")
               and not (sample_built.out / u.split("?")[0].removeprefix("/insights/")).is_file()]
    assert missing == []


# ------------------------------------------------------------------- feeds, sitemap, hub.json


def _feed(out: Path, rel: str) -> ET.Element:
    root = ET.fromstring((out / rel).read_bytes())
    assert root.tag == f"{ATOM}feed"
    return root


def _entry_slugs(feed: ET.Element) -> list[str]:
    slugs = []
    for entry in feed.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None
        href = link.get("href") or ""
        assert href.startswith(BASE_URL + "articles/")
        slugs.append(href.removeprefix(BASE_URL + "articles/").strip("/"))
    return slugs


def _newest(sample: SampleContent, slugs: set[str], n: int = 20) -> list[str]:
    return sorted(slugs, key=lambda s: (-sample.date_of(s).timestamp(), s))[:n]


def test_site_feed_is_atom_with_the_newest_articles(sample_built: Built, sample: SampleContent) -> None:
    feed = _feed(sample_built.out, "feed.xml")
    assert feed.findtext(f"{ATOM}title") == "Northwind Insights"
    slugs = _entry_slugs(feed)
    assert slugs == _newest(sample, sample.listed, len(slugs))
    assert len(slugs) == min(20, len(sample.listed))
    entry = feed.find(f"{ATOM}entry")
    assert entry is not None
    for child in ("title", "id", "updated", "published"):
        assert entry.findtext(f"{ATOM}{child}"), child
    assert entry.find(f"{ATOM}author/{ATOM}name") is not None
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))


def test_theme_feed_rolls_up_sub_themes(sample_built: Built, sample: SampleContent) -> None:
    for theme in ("finops", "cloud-economics"):
        slugs = _entry_slugs(_feed(sample_built.out, f"themes/{theme}/feed.xml"))
        assert sorted(slugs) == sorted(_newest(sample, sample.theme_content(theme))), theme


def test_author_feed(sample_built: Built, sample: SampleContent) -> None:
    slugs = _entry_slugs(_feed(sample_built.out, "authors/lena-hartmann/feed.xml"))
    assert sorted(slugs) == sorted(sample.content_by("lena-hartmann"))


def test_sitemap(sample_built: Built, sample: SampleContent) -> None:
    root = ET.fromstring((sample_built.out / "sitemap.xml").read_bytes())
    assert root.tag == f"{SITEMAP}urlset"
    locs = [u.findtext(f"{SITEMAP}loc") or "" for u in root.findall(f"{SITEMAP}url")]
    assert len(locs) == len(set(locs))
    assert all(loc.startswith(BASE_URL) for loc in locs)
    assert BASE_URL in locs
    assert {BASE_URL + f"articles/{s}/" for s in sample.published} <= set(locs)
    assert BASE_URL + f"articles/{DRAFT}/" not in locs
    assert BASE_URL + "blog/old-cloud-post/" not in locs
    for loc in locs:
        assert (sample_built.out / loc.removeprefix(BASE_URL) / "index.html").is_file(), loc


def test_robots_points_at_the_sitemap(sample_built: Built) -> None:
    assert f"Sitemap: {BASE_URL}sitemap.xml" in (sample_built.out / "robots.txt").read_text().splitlines()


def test_hub_json_lists_themes_content_authors_and_services(sample_built: Built, sample: SampleContent) -> None:
    data = json.loads((sample_built.out / "hub.json").read_text(encoding="utf-8"))
    assert {t["slug"] for t in data["themes"]} == set(sample.themes)
    assert {c["slug"] for c in data["content"]} >= sample.listed
    assert {c["slug"] for c in data["content"]} <= sample.published
    assert {a["slug"] for a in data["authors"]} == set(sample.authors)
    assert {s["slug"] for s in data["services"]} == set(sample.services)
    themes = {t["slug"]: t for t in data["themes"]}
    assert themes["finops"]["parent"] == "cloud-economics"
    assert themes["cloud-economics"]["parent"] is None
    assert themes["finops"]["url"] == BASE_URL + "themes/finops/"
    assert set(themes["cloud-economics"]["content"]) == sample.theme_content("cloud-economics")
    content = {c["slug"]: c for c in data["content"]}
    first90 = content["finops-first-90-days"]
    assert first90["themes"] == sample.themes_of("finops-first-90-days")
    assert first90["authors"] == sample.authors_of("finops-first-90-days")
    assert first90["url"] == BASE_URL + "articles/finops-first-90-days/"
    authors = {a["slug"]: a for a in data["authors"]}
    assert set(authors["lena-hartmann"]["content"]) == sample.content_by("lena-hartmann")


@pytest.mark.parametrize("kind", ["themes", "authors", "services"])
def test_index_pages_list_everything(sample_built: Built, sample: SampleContent, kind: str) -> None:
    links = set(main_of(page(sample_built.out, f"/insights/{kind}/")).hrefs())
    assert {f"/insights/{kind}/{s}/" for s in getattr(sample, kind)} <= links
