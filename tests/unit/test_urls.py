"""urls.py: the one place that decides URLs; and slugify, which tag URLs use."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from themehub import urls
from themehub.source.slugs import MAX_SLUG_BYTES, is_slug, slug_problem, slugify


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
    assert slugify("Café Society") == "café-society"
    assert slugify("---") == ""


def test_slugs_keep_the_letters_of_every_script() -> None:
    assert slugify("云计算 入门") == "云计算-入门"
    assert slugify("Ελληνικά Νέα") == "ελληνικά-νέα"
    assert slugify("नमस्ते दुनिया") == "नमस्ते-दुनिया"  # vowel signs are marks: kept inside the word
    assert slugify("Привет, мир!") == "привет-мир"
    assert slugify("クラウド・コスト") == "クラウド-コスト"
    assert slugify("e\u0301te") == "\u00e9te"  # NFC: one character for é
    assert slugify("Straße") == "straße"  # lowercase, not case-folded: folding would make 'ss'
    assert slugify("Μελέτη Περίπτωσης") == "μελέτη-περίπτωσης"  # and would make the final 'ς' a 'σ'
    assert slugify("🚀") == ""  # no letters: the caller reports it


def test_tag_urls_in_any_script_name_their_folder() -> None:
    assert urls.tag("云计算") == "tags/云计算/"
    assert urls.tag("Ελληνικά") == "tags/ελληνικά/"


def test_slugs_are_cut_at_the_file_system_limit_on_a_character_boundary() -> None:
    long = slugify("департамент " * 40)
    assert len(long.encode()) <= MAX_SLUG_BYTES and long == long.strip("-")
    assert is_slug(long)
    name = "department-of-labor-general-services-administration-to-centralize-" * 2 + "federal-fleet-en-espanol"
    assert len(name) > 150 and is_slug(name)


def test_each_way_a_slug_is_wrong_has_its_own_words() -> None:
    assert slug_problem("cloud-costs") is None
    assert slug_problem("Cloud-Costs") == ("has capital letters", "cloud-costs")
    assert slug_problem("cloud costs")[0] == "has characters other than letters, digits and '-': ' '"
    assert slug_problem("-cloud")[0] == "starts or ends with '-', or has '--'"
    assert slug_problem("x" * 300)[0].startswith("is 300 bytes long; a slug is at most 251 bytes")
    assert slug_problem("!!!") == ("has no letters or digits to make an address from", "")
    assert slug_problem("e\u0301te")[0].startswith("is not in Unicode normal form NFC")


@given(st.text(max_size=60))
def test_slugify_makes_slugs_and_is_idempotent(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or is_slug(slug)
    assert slugify(slug) == slug
