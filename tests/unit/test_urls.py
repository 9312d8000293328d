"""urls.py: the one place that decides URLs; and slugify, which tag URLs use."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from themehub import urls
from themehub.content.fields import SLUG_RE, slugify


def test_page_urls_are_pretty_and_relative_to_the_site_root() -> None:
    assert urls.home() == ""
    assert urls.article("cloud-basics") == "articles/cloud-basics/"
    assert urls.theme("finops") == "themes/finops/"
    assert urls.author("ana-quinn") == "authors/ana-quinn/"
    assert urls.service("cost-review") == "services/cost-review/"
    assert urls.page("about") == "about/"


def test_tag_urls_are_slugified() -> None:
    assert urls.tag("Cloud Costs") == "tags/cloud-costs/"
    assert urls.tag("cloud costs") == "tags/cloud-costs/"
    assert urls.tag("  Cloud   COSTS ") == "tags/cloud-costs/"


def test_pagination_urls() -> None:
    assert urls.paginated("themes/finops/", 1) == "themes/finops/"
    assert urls.paginated("themes/finops/", 2) == "themes/finops/page/2/"
    assert urls.paginated("tags/x/", 10) == "tags/x/page/10/"


def test_feed_urls() -> None:
    assert urls.feed() == "feed.xml"
    assert urls.feed("themes/finops/") == "themes/finops/feed.xml"


def test_output_files() -> None:
    assert urls.output_file("") == "index.html"
    assert urls.output_file("articles/x/") == "articles/x/index.html"
    assert urls.output_file("404.html") == "404.html"
    assert urls.output_file("feed.xml") == "feed.xml"


def test_slugify_examples() -> None:
    assert slugify("Cloud Costs") == "cloud-costs"
    assert slugify("AI/ML") == "ai-ml"
    assert slugify("C++ & Rust!") == "c-rust"
    assert slugify("Café Society") == "cafe-society"
    assert slugify("---") == ""


@given(st.text(max_size=60))
def test_slugify_makes_slugs_and_is_idempotent(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or SLUG_RE.match(slug)
    assert slugify(slug) == slug
