"""Feeds, sitemap, robots and hub.json for a small hub (parsed, never string-matched)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from tests.helpers import MINI_NOW
from themehub.build import BuildOptions, load_site
from themehub.hub.graph import Hub
from themehub.render import feeds

ATOM = "{http://www.w3.org/2005/Atom}"


def _hub(root: Path) -> Hub:
    loaded = load_site(BuildOptions(site=root, now=MINI_NOW, jobs=1))
    assert loaded.hub is not None
    return loaded.hub


def test_every_feed_is_atom(site: Callable[..., Path]) -> None:
    produced = dict(feeds.feeds(_hub(site())))
    assert sorted(produced) == ["authors/ana-quinn/feed.xml", "authors/ben-okoro/feed.xml", "feed.xml",
                                "themes/cloud/feed.xml", "themes/data/feed.xml", "themes/finops/feed.xml"]
    for name, data in produced.items():
        root = ET.fromstring(data)
        assert root.tag == f"{ATOM}feed", name
        assert root.findtext(f"{ATOM}updated"), name
        assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"https://example.com/insights/{name}"  # type: ignore[union-attr]


def test_site_feed_entries_are_newest_first_with_authors_and_categories(site: Callable[..., Path]) -> None:
    root = ET.fromstring(dict(feeds.feeds(_hub(site())))["feed.xml"])
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["FinOps in Depth", "Starting FinOps",
                                                             "Data Trust Case Study", "Cloud Basics"]
    deep = entries[0]
    assert [a.findtext(f"{ATOM}name") for a in deep.findall(f"{ATOM}author")] == ["Ben Okoro", "Ana Quinn"]
    assert [c.get("term") for c in deep.findall(f"{ATOM}category")] == ["finops", "cloud"]
    assert deep.findtext(f"{ATOM}published") == "2026-03-01T00:00:00Z"


def test_a_theme_without_content_has_a_valid_empty_feed(site: Callable[..., Path]) -> None:
    root = site({"content/themes/empty.md": "---\ntitle: Empty\n---\n"})
    feed = ET.fromstring(dict(feeds.feeds(_hub(root)))["themes/empty/feed.xml"])
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}title") == "Empty | Mini Hub"


def test_sitemap_and_robots(site: Callable[..., Path]) -> None:
    hub = _hub(site())
    data = feeds.sitemap(hub, ["", "articles/cloud-basics/", "404.html", "themes/cloud/"])
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod") for u in ET.fromstring(data).findall(f"{ns}url")}
    assert urls == {"https://example.com/insights/": None,
                    "https://example.com/insights/articles/cloud-basics/": "2026-01-10",
                    "https://example.com/insights/themes/cloud/": None}
    assert feeds.robots(hub).decode().splitlines()[-1] == "Sitemap: https://example.com/insights/sitemap.xml"


def test_hub_json_links_themes_content_authors_and_services(site: Callable[..., Path]) -> None:
    data = json.loads(feeds.hub_json(_hub(site())))
    themes = {t["slug"]: t for t in data["themes"]}
    assert themes["finops"]["parent"] == "cloud"
    assert sorted(themes["cloud"]["content"]) == ["cloud-basics", "finops-deep", "finops-start"]
    assert themes["cloud"]["services"] == ["cost-review"]
    services = {s["slug"]: s for s in data["services"]}
    assert services["cost-review"]["cta"]["label"] == "Book a review"
    assert services["cost-review"]["cta"]["url"].startswith("https://example.com/contact")
    assert services["cost-review"]["url"] == "https://example.com/insights/services/cost-review/"
    assert data["site"]["depths"][0] == {"key": "entry", "label": "Start here"}
