"""Search engines and social networks: titles, descriptions, canonical and social tags, structured data
(JSON-LD), the search-index markup and page weight, read back from a build of the sample hub.

These tests parse the built HTML; only the one that needs layout (what is below the fold) drives Chromium.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from playwright.sync_api import Page, Route
from tests.helpers import (
    BASE_PATH,
    BASE_URL,
    NOW,
    SAMPLE_LANGUAGES,
    Node,
    copy_sample,
    hub_pages,
    main_of,
    parse_html,
    run_build,
)

SITE_TITLE = "Northwind Insights"


def language_of(url: str) -> str:
    """The language of a page of the (multilingual) sample, by its folder."""
    first = url.split("/")[0]
    return first if first in SAMPLE_LANGUAGES else "en"


def site_title(url: str) -> str:
    """The site's title in the page's language."""
    return SAMPLE_LANGUAGES.get(language_of(url), SITE_TITLE)


def is_search_index(resource: str) -> bool:
    """A file of a language's Pagefind index (not built by these tests)."""
    return any(resource.startswith(BASE_PATH + folder + "pagefind/") for folder in ("", *(f"{lang}/" for lang in
                                                                                             SAMPLE_LANGUAGES)))
ORIGIN = "https://example.com"
BUDGET = 50 * 1024
"""CSS + JS of the default theme, in bytes (Pagefind's own files, loaded only on /search/, excluded)."""


@dataclass(frozen=True)
class Built:
    out: Path
    pages: dict[str, Node]
    """Site-relative page URL ('articles/x/', '404.html', '') -> parsed page; redirects excluded."""
    aliases: dict[str, Node]
    hub: dict[str, Any]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = copy_sample(tmp_path_factory.mktemp("seo") / "hub")
    # No search index: these tests read pages; the index is exercised in test_search_browser.py.
    result = run_build(root, now=NOW, search=False)
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    out = root / "site"
    pages: dict[str, Node] = {}
    aliases: dict[str, Node] = {}
    for path in hub_pages(out):
        rel = path.relative_to(out).as_posix()
        url = rel.removesuffix("index.html")
        doc = parse_html(path.read_text(encoding="utf-8"))
        if any(m.attrs.get("http-equiv") == "refresh" for m in doc.find_all("meta")):
            aliases[url] = doc
        else:
            pages[url] = doc
    hub = json.loads((out / "hub.json").read_text(encoding="utf-8"))
    return Built(out, pages, aliases, hub)


# ------------------------------------------------------------------------------------------- helpers


def meta(doc: Node, key: str) -> str | None:
    """The content of <meta name=key> or <meta property=key>; fails if there are several."""
    found = [m.attrs.get("content") or "" for m in doc.find_all("meta")
             if m.attrs.get("name") == key or m.attrs.get("property") == key]
    assert len(found) <= 1, f"{len(found)} <meta> {key}"
    return found[0] if found else None


def title_of(doc: Node) -> str:
    return doc.one("title").text


def canonical(doc: Node) -> str:
    links = [link for link in doc.find_all("link") if link.attrs.get("rel") == "canonical"]
    assert len(links) == 1
    return links[0].attrs.get("href") or ""


def json_ld(doc: Node) -> list[dict[str, Any]]:
    blocks = []
    for script in doc.find_all("script"):
        if script.attrs.get("type") == "application/ld+json":
            text = "".join(c for c in script.children if isinstance(c, str))
            assert "</" not in text, "JSON-LD must not hold '</' (tojson escapes it)"
            blocks.append(json.loads(text))
    return blocks


def ld_of_type(doc: Node, *types: str) -> dict[str, Any]:
    found = [b for b in json_ld(doc) if b.get("@type") in types]
    assert len(found) == 1, f"expected one JSON-LD block of type {types}, found {[b.get('@type') for b in json_ld(doc)]}"
    assert found[0]["@context"] == "https://schema.org"
    return found[0]


def absolute(href: str) -> str:
    return ORIGIN + href if href.startswith("/") else href


def file_of(out: Path, url: str) -> Path:
    assert url.startswith(BASE_URL), url
    rel = url.removeprefix(BASE_URL)
    return out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def kind(doc: Node) -> str:
    return (doc.one("body").attrs.get("class") or "").removeprefix("kind-")


def without_utm(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


# ------------------------------------------------------------------------------------ titles and meta


def test_the_sample_has_every_page_kind(built: Built) -> None:
    kinds = Counter(kind(doc) for doc in built.pages.values())
    for expected in ("home", "themes", "theme", "article", "tracks", "track", "authors", "author", "services",
                     "service", "tags", "tag", "search", "404", "page", "report"):
        assert kinds[expected], f"no page of kind {expected}: {kinds}"
    assert built.aliases, "the sample has an alias redirect"


def test_every_page_has_a_unique_title_and_description(built: Built) -> None:
    titles: dict[str, list[str]] = {}
    descriptions: dict[str, list[str]] = {}
    for url, doc in {**built.pages, **built.aliases}.items():
        title = title_of(doc)
        description = meta(doc, "description")
        assert title.endswith(site_title(url)), (url, title)
        # a Japanese character says what two or three Latin letters do ("Spend that tracks value": 価値に連動する支出)
        assert description and len(description) >= (8 if language_of(url) == "ja" else 20), (url, description)
        titles.setdefault(title, []).append(url)
        descriptions.setdefault(description, []).append(url)
    assert not {t: u for t, u in titles.items() if len(u) > 1}, "duplicate titles"
    assert not {d: u for d, u in descriptions.items() if len(u) > 1}, "duplicate descriptions"


def test_every_page_has_lang_canonical_and_social_tags(built: Built) -> None:
    for url, doc in built.pages.items():
        assert doc.one("html").attrs.get("lang") == language_of(url), url
        assert canonical(doc) == BASE_URL + url, url
        title = title_of(doc)
        home = url in ("", *(f"{lang}/" for lang in SAMPLE_LANGUAGES))
        assert meta(doc, "og:title") == (site_title(url) if home else title.removesuffix(f" | {site_title(url)}")), url
        assert meta(doc, "og:description") == meta(doc, "description"), url
        assert meta(doc, "og:url") == BASE_URL + url, url
        assert meta(doc, "og:site_name") == site_title(url), url
        assert meta(doc, "og:type") == {"article": "article", "author": "profile"}.get(kind(doc), "website"), url
        assert meta(doc, "twitter:title") == meta(doc, "og:title"), url
        assert meta(doc, "twitter:description") == meta(doc, "description"), url
        image = meta(doc, "og:image")
        if image:
            assert image.startswith(BASE_URL), (url, image)
            assert file_of(built.out, image).is_file(), (url, image)
            assert meta(doc, "twitter:image") == image
            assert meta(doc, "twitter:card") == "summary_large_image", url
            assert meta(doc, "og:image:alt"), url
        else:
            assert meta(doc, "twitter:card") == "summary", url


def test_content_pages_share_their_own_picture_or_a_generated_card(built: Built) -> None:
    for url, doc in built.pages.items():
        if kind(doc) not in ("article", "theme", "author", "service"):
            continue
        image = meta(doc, "og:image")
        assert image, f"{url} has no og:image"
        assert meta(doc, "og:image:width") and meta(doc, "og:image:height"), url
        shown = doc.find("img", class_="article-image") or doc.find("img", class_="theme-image")
        if shown is not None and shown.attrs.get("srcset"):  # a raster picture of its own: that one, resized
            assert image == absolute(shown.attrs.get("src") or ""), url
            assert meta(doc, "og:image:alt") == shown.attrs.get("alt"), url
        else:  # none, or an SVG (which social networks do not show): the generated card
            # a language's own cards are in its folder of share/ (their words are its own)
            assert re.fullmatch(re.escape(BASE_URL) + r"share/(?:(?:de|ja)/)?[a-z]+/[a-z0-9-]+\.png", image), (url, image)


def test_article_pages_carry_open_graph_article_tags(built: Built) -> None:
    for item in built.hub["content"]:
        doc = built.pages[item["url"].removeprefix(BASE_URL)]
        assert meta(doc, "article:published_time") == item["date"]
        assert meta(doc, "article:modified_time") == (item["updated"] or item["date"])
        authors = [m.attrs.get("content") for m in doc.find_all("meta") if m.attrs.get("property") == "article:author"]
        assert authors == [f"{BASE_URL}authors/{a}/" for a in item["authors"]]


def test_alias_pages_redirect_with_a_canonical_and_noindex(built: Built) -> None:
    assert canonical(built.aliases["blog/old-cloud-post/"]) == BASE_URL + "articles/why-cloud-bills-surprise-finance/"
    for url, doc in built.aliases.items():
        target = canonical(doc)
        assert target.startswith(BASE_URL + "articles/"), (url, target)
        assert meta(doc, "robots") == "noindex"
        refresh = next(m.attrs.get("content") for m in doc.find_all("meta") if m.attrs.get("http-equiv") == "refresh")
        assert refresh == f"0; url={target.removeprefix(ORIGIN)}"
        assert file_of(built.out, target).is_file()
        assert doc.one("a").attrs.get("href") == target.removeprefix(ORIGIN)


def test_sitemap_lists_articles_with_lastmod_from_updated_or_date(built: Built) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring((built.out / "sitemap.xml").read_bytes())
    lastmod = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
               for u in root.findall("s:url", ns)}
    for item in built.hub["content"]:
        assert lastmod[item["url"]] == (item["updated"] or item["date"])[:10], item["slug"]
    for url in built.aliases:
        assert BASE_URL + url not in lastmod
    noindex = [u for u, doc in built.pages.items() if meta(doc, "robots") == "noindex"]
    assert not [u for u in noindex if BASE_URL + u in lastmod], "a noindex page is in the sitemap"


# ---------------------------------------------------------------------------------------- JSON-LD


def test_json_ld_parses_and_breadcrumbs_match_the_visible_trail(built: Built) -> None:
    with_crumbs = 0
    for url, doc in built.pages.items():
        blocks = json_ld(doc)
        nav = doc.find("nav", class_="breadcrumbs")
        lists = [b for b in blocks if b.get("@type") == "BreadcrumbList"]
        if nav is None:
            assert not lists, url
            continue
        with_crumbs += 1
        assert len(lists) == 1, url
        items = lists[0]["itemListElement"]
        visible = [li.text for li in nav.find_all("li")]
        assert [i["name"] for i in items] == visible, url
        assert [i["position"] for i in items] == list(range(1, len(visible) + 1)), url
        assert [i["item"] for i in items[:-1]] == [absolute(h) for h in nav.hrefs()], url
        assert items[-1]["item"] == BASE_URL + url, url
    assert with_crumbs > 40


def test_articles_are_articles_or_reports_by_people_with_pages(built: Built) -> None:
    authors = {a["slug"]: a for a in built.hub["authors"]}
    reports = {"white-paper", "survey", "report"}
    seen = set()
    for item in built.hub["content"]:
        doc = built.pages[item["url"].removeprefix(BASE_URL)]
        ld = ld_of_type(doc, "Article", "Report")
        seen.add(ld["@type"])
        assert ld["@type"] == ("Report" if item["type"] in reports else "Article"), item["slug"]
        assert ld["headline"] == item["title"] == doc.one("h1").text
        assert ld["url"] == ld["mainEntityOfPage"]["@id"] == item["url"]
        assert ld["datePublished"] == item["date"]
        assert ld["dateModified"] == (item["updated"] or item["date"])
        assert ld["publisher"] == {"@type": "Organization", "name": SITE_TITLE, "url": BASE_URL}
        assert [p["@type"] for p in ld["author"]] == ["Person"] * len(item["authors"])
        assert [p["name"] for p in ld["author"]] == [authors[a]["name"] for a in item["authors"]]
        assert [p["url"] for p in ld["author"]] == [authors[a]["url"] for a in item["authors"]]
        for person in ld["author"]:
            assert file_of(built.out, person["url"]).is_file()
        assert ld["image"] == meta(doc, "og:image"), item["slug"]
        assert ld.get("description", "") == (doc.find("p", class_="lead").text if doc.find("p", class_="lead") else "")
    assert seen == {"Article", "Report"}


def test_sme_pages_are_profile_pages_of_a_person(built: Built) -> None:
    for author in built.hub["authors"]:
        doc = built.pages[author["url"].removeprefix(BASE_URL)]
        ld = ld_of_type(doc, "ProfilePage")
        person = ld["mainEntity"]
        assert person["@type"] == "Person"
        assert person["name"] == author["name"] == doc.one("h1").text
        assert person["url"] == ld["url"] == author["url"]
        if author["role"]:
            assert person["jobTitle"] == author["role"]
        titles = {t["slug"]: t["title"] for t in built.hub["themes"]}
        assert person.get("knowsAbout", []) == [titles[s] for s in author["expertise"]]
        for link in person.get("sameAs", []):
            assert link.startswith("https://")


def test_theme_hubs_are_collection_pages_listing_their_articles(built: Built) -> None:
    for theme in built.hub["themes"]:
        doc = built.pages[theme["url"].removeprefix(BASE_URL)]
        ld = ld_of_type(doc, "CollectionPage")
        assert ld["name"] == theme["title"]
        assert ld["url"] == theme["url"]
        item_list = ld["mainEntity"]
        assert item_list["@type"] == "ItemList"
        # Every piece the hub shows, in page order: the guided path, the customer stories, the depth groups.
        section = main_of(doc)
        shown = [absolute(a.attrs.get("href") or "") for a in section.find_all("a")
                 if "/articles/" in (a.attrs.get("href") or "")
                 and ("path-title" in a.classes() or (a.parent is not None and "card-title" in a.parent.classes()))]
        assert shown, theme["slug"]
        assert [i["url"] for i in item_list["itemListElement"]] == shown
        assert [i["position"] for i in item_list["itemListElement"]] == list(range(1, len(shown) + 1))
        assert item_list["numberOfItems"] == len(shown)
        assert {i["url"] for i in item_list["itemListElement"]} == {
            c["url"] for c in built.hub["content"] if c["slug"] in theme["content"]}


@pytest.mark.parametrize("section", ["themes", "services", "authors", "tracks"])
def test_index_pages_are_collection_pages_listing_every_entry(built: Built, section: str) -> None:
    doc = built.pages[f"{section}/"]
    ld = ld_of_type(doc, "CollectionPage")
    assert ld["name"] == doc.one("h1").text
    assert ld["url"] == f"{BASE_URL}{section}/"
    entries = {e["url"]: e.get("title") or e.get("name") for e in built.hub[section]}
    listed = ld["mainEntity"]["itemListElement"]
    # Every entry of hub.json, each once, in the order the page links them.
    linked = list(dict.fromkeys(url for url in (absolute(a.attrs.get("href") or "") for a in doc.find_all("a"))
                                if url in entries))
    assert [item["url"] for item in listed] == linked
    assert sorted(linked) == sorted(entries)
    assert [item["name"] for item in listed] == [entries[url] for url in linked]
    assert [item["position"] for item in listed] == list(range(1, len(listed) + 1))
    assert ld["mainEntity"]["numberOfItems"] == len(entries)


def test_service_pages_describe_a_service_offered_by_the_site(built: Built) -> None:
    for service in built.hub["services"]:
        doc = built.pages[service["url"].removeprefix(BASE_URL)]
        ld = ld_of_type(doc, "Service")
        assert ld["name"] == service["title"] == doc.one("h1").text
        assert ld["url"] == service["url"]
        assert ld["provider"] == {"@type": "Organization", "name": SITE_TITLE, "url": BASE_URL}
        if service["cta"]:
            assert ld["offers"]["@type"] == "Offer"
            assert ld["offers"]["url"] == without_utm(service["cta"]["url"])
            assert ld["offers"]["name"] == service["cta"]["label"]


def test_home_is_a_website_with_a_search_action(built: Built) -> None:
    ld = ld_of_type(built.pages[""], "WebSite")
    assert ld["name"] == SITE_TITLE and ld["url"] == BASE_URL
    target = ld["potentialAction"]["target"]["urlTemplate"]
    assert target == BASE_URL + "search/?q={search_term_string}"


# ------------------------------------------------------------------------------------ search index


def test_search_indexes_only_the_pages_own_content(built: Built) -> None:
    for url, doc in built.pages.items():
        bodies = [node for node in doc.iter() if "data-pagefind-body" in node.attrs]
        if kind(doc) not in ("article", "theme", "author", "service") or "/page/" in url:
            continue
        assert bodies, f"{url}: no data-pagefind-body"
        assert any(b.find("h1") is not None for b in bodies), url
        for body in bodies:
            for heading in ("Related", "How we can help", "Read deeper", "About the author", "Experts on"):
                assert not any(h.text.startswith(heading) for h in body.find_all("h2")), (url, heading)
        for section in doc.find_all("section"):
            heading = section.find("h2")
            if heading is not None and heading.text in ("Related", "How we can help", "Read deeper"):
                assert "data-pagefind-ignore" in section.attrs, (url, heading.text)


def test_searchable_pages_carry_theme_type_and_depth_filters(built: Built) -> None:
    """Each result is filed under its campaign themes (with their parents), its type and its depth: Pagefind
    filters, listed beside the results on /search/, one element per value. (Pagefind writes its filter index
    in hash-map order, its issue 638; themehub rewrites the index in a fixed order afterwards.)"""
    themes = {t["slug"]: t for t in built.hub["themes"]}
    depth_labels = {"entry": "Start here", "deeper": "Go deeper", "deepest": "Deep dives"}

    def with_parents(slug: str) -> list[str]:
        chain = []
        while slug:
            chain.insert(0, themes[slug]["title"])
            slug = themes[slug]["parent"] or ""
        return chain

    def metadata(doc: Node) -> dict[str, str]:
        found: dict[str, str] = {}
        for node in doc.iter():
            name = node.attrs.get("data-pagefind-meta")
            if name:
                assert name not in found, f"metadata {name} twice"
                found[name] = node.text
        return found

    def filters(doc: Node) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for node in doc.iter():
            name = node.attrs.get("data-pagefind-filter")
            if name:
                found.setdefault(name, []).append(node.text)
        return found

    for item in built.hub["content"]:
        doc = built.pages[item["url"].removeprefix(BASE_URL)]
        expected_themes: list[str] = []
        for slug in item["themes"]:
            expected_themes += [t for t in with_parents(slug) if t not in expected_themes]
        assert metadata(doc) == {"title": item["title"]}
        assert filters(doc) == {"theme": expected_themes, "type": [item["type"].replace("-", " ").capitalize()],
                                "depth": [depth_labels[item["depth"]]]}
    for theme in built.hub["themes"]:
        doc = built.pages[theme["url"].removeprefix(BASE_URL)]
        assert metadata(doc) == {"title": theme["title"]}
        assert filters(doc) == {"theme": with_parents(theme["slug"]), "type": ["Theme"]}
    for author in built.hub["authors"]:
        doc = built.pages[author["url"].removeprefix(BASE_URL)]
        assert metadata(doc)["title"] == author["name"]
        voice = "Expert" if author["voice"] == "expert" else f"{author['voice'].capitalize()} voice"
        assert filters(doc) == {"theme": [themes[s]["title"] for s in author["expertise"]], "type": [voice]}
    for service in built.hub["services"]:
        doc = built.pages[service["url"].removeprefix(BASE_URL)]
        assert metadata(doc)["title"] == service["title"] and filters(doc)["type"] == ["Service"]


# ------------------------------------------------------------------------------------- page weight

RESOURCE_ATTRIBUTES = {"script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"),
                       "video": ("src", "poster"), "audio": ("src",), "iframe": ("src",), "embed": ("src",),
                       "object": ("data",), "track": ("src",), "input": ("src",)}
LINK_RESOURCES = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}


def _resource_urls(doc: Node) -> list[str]:
    urls = []
    for node in doc.iter():
        names = RESOURCE_ATTRIBUTES.get(node.tag, ())
        if node.tag == "link" and set((node.attrs.get("rel") or "").split()) & LINK_RESOURCES:
            names = ("href",)
        for name in names:
            value = node.attrs.get(name) or ""
            if name == "srcset":
                urls += [part.strip().split()[0] for part in value.split(",") if part.strip()]
            elif value:
                urls.append(value)
        if "style" in node.attrs:
            urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", node.attrs.get("style") or "")
    return urls


def test_no_page_loads_anything_from_another_site(built: Built) -> None:
    for url, doc in {**built.pages, **built.aliases}.items():
        for resource in _resource_urls(doc):
            assert resource.startswith(BASE_PATH) and not resource.startswith("//"), (url, resource)
            if not is_search_index(resource):
                assert file_of(built.out, ORIGIN + resource.split("?")[0]).is_file(), (url, resource)
    for css in (built.out / "assets").rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert "@import" not in text and "@font-face" not in text, css.name
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            assert ref.startswith("data:"), (css.name, ref)
    for js in (built.out / "assets").rglob("*.js"):
        assert not re.search(r"https?://", js.read_text(encoding="utf-8")), js.name


def test_theme_css_and_js_stay_under_50_kb(built: Built) -> None:
    assets = [p for p in (built.out / "assets").rglob("*") if p.suffix in (".css", ".js")]
    assert {p.name for p in assets} >= {"style.css", "search.js"}
    total = sum(p.stat().st_size for p in assets)
    assert total < BUDGET, f"CSS + JS of the theme weigh {total} bytes"
    for url, doc in built.pages.items():
        own = {r.split("?")[0] for r in _resource_urls(doc)
               if r.endswith((".css", ".js")) or ".css?" in r or ".js?" in r}
        own = {r for r in own if not is_search_index(r)}
        assert sum(file_of(built.out, ORIGIN + r).stat().st_size for r in own) < BUDGET, url


def test_every_image_has_its_size_and_an_alt(built: Built) -> None:
    count = 0
    for url, doc in built.pages.items():
        for img in doc.find_all("img"):
            count += 1
            width, height = img.attrs.get("width") or "", img.attrs.get("height") or ""
            assert width.isdigit() and height.isdigit() and int(width) > 0 and int(height) > 0, (url, img.attrs)
            assert "alt" in img.attrs, (url, img.attrs)
            if img.attrs.get("srcset"):
                assert img.attrs.get("sizes"), (url, img.attrs)
    assert count > 50


FOLD_PAGES = ("", "themes/", "themes/cloud-economics/", "themes/finops/", "articles/retailer-cloud-reset-case-study/",
              "authors/", "authors/sam-whitfield/", "404.html")
MEASURE = """() => [...document.querySelectorAll('main img')].map(i => {
    const r = i.getBoundingClientRect();
    return {src: i.getAttribute('src'), lazy: i.loading === 'lazy',
            box: [Math.round(r.left), Math.round(r.top + scrollY), Math.round(r.width), Math.round(r.height)]};
})"""


@pytest.mark.browser
def test_images_keep_their_box_while_loading_and_lazy_ones_are_below_the_fold(built_site: str, page: Page) -> None:
    """Every image's box is the same before and after its bytes arrive (width/height do their job: no layout
    shift), images below the first screen load lazily, and those at the top of a page do not."""
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    images = re.compile(r"\.(svg|png|jpe?g|webp)(\?.*)?$")
    problems: list[str] = []
    fold = (page.viewport_size or {"height": 900})["height"]
    for path in FOLD_PAGES:
        page.route(images, hold)
        page.goto(built_site + path, wait_until="domcontentloaded")
        page.wait_for_function("getComputedStyle(document.body).display === 'flex'")  # the stylesheet applies
        pending = page.evaluate(MEASURE)
        assert pending, path
        for route in held:
            route.continue_()
        held.clear()
        page.unroute(images, hold)
        page.evaluate("async () => { for (let y = 0; y < document.body.scrollHeight; y += 400) {"
                      " scrollTo(0, y); await new Promise(r => setTimeout(r, 20)); } scrollTo(0, 0); }")
        page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        loaded = page.evaluate(MEASURE)
        for before, after in zip(pending, loaded, strict=True):
            where = f"/{path}: {before['src']} at {before['box']}"
            if before["box"] != after["box"]:
                problems.append(f"{where} moved or resized to {after['box']} when it loaded")
            top = before["box"][1]
            if top >= fold and not before["lazy"]:
                problems.append(f"{where} is below the fold but loads eagerly")
            elif top + before["box"][3] <= fold and before["lazy"]:
                problems.append(f"{where} is on the first screen but loads lazily")
    assert not problems, "\n".join(problems)
