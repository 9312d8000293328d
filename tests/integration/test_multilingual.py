"""A multilingual hub (`languages:` in themehub.yaml): the real sample (English at the root, German in de/,
Japanese in ja/) built and read as its readers and search engines read it, and the checks that guard its
`languages:` settings and translation files (`x.de.md`)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

from tests.conftest import Built
from tests.helpers import (
    BASE_URL,
    NOW,
    SAMPLE_LANGUAGES,
    Node,
    all_files,
    article,
    codes,
    copy_sample,
    in_one_language,
    internal_link_problems,
    make_site,
    page,
    parse_html,
    replace,
    run_build,
    tree,
    write_files,
)
from themehub.build import BuildOptions, BuildResult, build
from themehub.i18n import LOCALES

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
REPO = Path(__file__).resolve().parents[2]

RENAMED = "why-cloud-bills-surprise-finance"  # its German translation has a `slug:` of its own
GERMAN_SLUG = "warum-die-cloud-rechnung-ueberrascht"
UNTRANSLATED_IN_TRANSLATED_THEME = "what-we-would-do-differently"  # themes: [finops, cloud-economics]
UNTRANSLATED_IN_UNTRANSLATED_THEME = "lineage-for-regulators"  # themes: [data-trust]
UNTRANSLATED_SME = "lena-hartmann"
UNTRANSLATED_SERVICE = "sustainability-reporting"

MULTILINGUAL = """\
title: Mini Hub
base_url: https://example.com/insights/
default_language: en
languages:
  en: {name: English}
  de: {name: Deutsch}
"""
"""A themehub.yaml for the mini hub in English (the root) and German (de/)."""


# ------------------------------------------------------------------------------------------ oracle


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text[4:].split("\n---\n", 1)[0]) or {}
    assert isinstance(data, dict), path
    return data


def translated(folder: str, language: str) -> dict[str, dict[str, Any]]:
    """Original slug -> the translation's own front matter, of every `<slug>.<language>.md` in
    content/<folder>/ of the sample."""
    return {path.name.removesuffix(f".{language}.md"): front_matter(path)
            for path in sorted((REPO / "content" / folder).glob(f"*.{language}.md"))}


def address(language: str, section: str, slug: str) -> str:
    """The URL path of an item's page in `language` ('' for the default), its translated slug included."""
    own = translated(section, language).get(slug, {}).get("slug", slug) if language else slug
    return f"/insights/{language + '/' if language else ''}{section}/{own}/"


def catalogue(language: str) -> dict[str, str]:
    with (LOCALES / language / "LC_MESSAGES" / "themehub.po").open("rb") as source:
        return {m.id: m.string for m in read_po(source) if isinstance(m.id, str) and isinstance(m.string, str)}


def hreflangs(doc: Node) -> list[tuple[str, str]]:
    """(hreflang, href) of every <link rel=alternate hreflang> in the page's head, in order."""
    return [(link.attrs["hreflang"] or "", link.attrs["href"] or "")
            for link in doc.find_all("link", rel="alternate") if "hreflang" in link.attrs]


def switcher(doc: Node) -> Node:
    return doc.one("nav", class_="languages")


def entry(doc: Node, language: str) -> Node:
    """The language switcher's link to `language`."""
    return switcher(doc).one("a", hreflang=language)


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def page_hrefs(path: Path) -> list[str]:
    """Every href of the HTML file at `path`."""
    return [node.attrs.get("href") or "" for node in parse_html(path.read_text(encoding="utf-8")).iter()
            if node.attrs.get("href")]


def everything_below(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def clean_build(site: Path, out: Path) -> dict[str, bytes]:
    result = build(BuildOptions(site=site, out=out, now=NOW, jobs=1, cache=False, search=False))
    assert result.ok, result.diagnostics
    files = tree(out)
    files.pop(".themehub-output", None)
    return files


def incremental_build(site: Path) -> dict[str, bytes]:
    result = run_build(site, now=NOW)
    assert result.ok, result.diagnostics
    files = tree(site / "site")
    files.pop(".themehub-output", None)
    return files


def mini(tmp_path: Path, files: Mapping[str, str | bytes | None], config: str = MULTILINGUAL,
         ) -> tuple[Path, BuildResult]:
    root = make_site(tmp_path / "hub", {"themehub.yaml": config, **files})
    return root, run_build(root, now=NOW)


def at(result: BuildResult, code: str) -> list[tuple[str, int, str]]:
    """(file, line, severity) of every diagnostic of `code`."""
    return [(d.file, d.line, d.severity) for d in result.diagnostics if d.code == code]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The real sample, copied and built once (no search index); tests only read it."""
    root = copy_sample(tmp_path_factory.mktemp("multilingual"))
    result = run_build(root, now=NOW)
    return Built(root, root / "site", result)


# ----------------------------------------------------------------------------------- the pages


def test_the_sample_builds_in_every_language_without_a_diagnostic(built: Built) -> None:
    assert built.result.ok
    assert codes(built.result) == []
    assert sorted(SAMPLE_LANGUAGES) == ["de", "ja"]
    assert len(translated("articles", "de")) == len(translated("articles", "ja")) == 5


@pytest.mark.parametrize("language", sorted(SAMPLE_LANGUAGES))
def test_each_language_has_its_home_listings_and_translated_items(built: Built, language: str) -> None:
    out = built.out
    urls = [f"/insights/{language}/", f"/insights/{language}/themes/", f"/insights/{language}/tracks/"]
    for section in ("articles", "themes", "tracks", "services", "authors"):
        urls += [address(language, section, slug) for slug in translated(section, language)]
    urls += [f"/insights/{language}/{slug}/" for slug in translated("pages", language)]
    assert len(urls) == 3 + 5 + 2 + 1 + 1 + 1 + 1
    for url in urls:
        assert page(out, url).one("html").attrs["lang"] == language, url


@pytest.mark.parametrize("language", sorted(SAMPLE_LANGUAGES))
def test_only_translated_articles_and_items_have_pages_in_a_language(built: Built, language: str) -> None:
    out = built.out
    english = {p.name for p in (out / "articles").iterdir() if p.is_dir()}
    expected = {translated("articles", language)[slug].get("slug", slug) for slug in translated("articles", language)}
    assert {p.name for p in (out / language / "articles").iterdir()} == expected
    assert len(english - expected) >= 10, "most of the sample is English only"
    assert not (out / language / "articles" / UNTRANSLATED_IN_TRANSLATED_THEME).exists()
    assert not (out / language / "authors" / UNTRANSLATED_SME).exists()
    assert not (out / language / "services" / UNTRANSLATED_SERVICE).exists()
    assert not (out / language / "themes" / "data-trust").exists()
    assert not (out / language / "events").exists(), "no event of the sample is translated"
    # The original's old addresses (`aliases:`) are not inherited: only the English redirect exists.
    assert (out / "blog" / "old-cloud-post" / "index.html").is_file()
    assert not (out / language / "blog").exists()


@pytest.mark.parametrize("language", ["", *sorted(SAMPLE_LANGUAGES)])
def test_each_language_has_its_lang_and_its_own_site_title(built: Built, language: str) -> None:
    title = SAMPLE_LANGUAGES.get(language, "Northwind Insights")
    folder = f"{language}/" if language else ""
    home = page(built.out, f"/insights/{folder}")
    assert home.one("html").attrs["lang"] == (language or "en")
    assert title in home.one("title").text
    theme = page(built.out, f"/insights/{folder}themes/cloud-economics/")
    assert theme.one("title").text.endswith(f"| {title}")


def test_german_pages_speak_german_and_english_pages_english(built: Built) -> None:
    german, japanese = catalogue("de"), catalogue("ja")
    de_doc = page(built.out, address("de", "articles", RENAMED))
    en_doc = page(built.out, address("", "articles", RENAMED))
    ja_doc = page(built.out, address("ja", "articles", RENAMED))
    assert de_doc.one("nav", class_="breadcrumbs").attrs["aria-label"] == german["Breadcrumb"] == "Pfadnavigation"
    assert switcher(de_doc).attrs["aria-label"] == german["Language"]
    assert ja_doc.one("nav", class_="breadcrumbs").attrs["aria-label"] == japanese["Breadcrumb"]
    assert en_doc.one("nav", class_="breadcrumbs").attrs["aria-label"] == "Breadcrumb"
    assert switcher(en_doc).attrs["aria-label"] == "Language"
    own = translated("articles", "de")[RENAMED]
    assert de_doc.one("h1").text == own["title"]
    assert own["summary"] in de_doc.one("p", class_="lead").text


def test_a_translated_mapping_changes_only_its_own_keys(built: Built) -> None:
    """`cta: {label: …}` in the service's translation translates the label and keeps the original's URL."""
    en_cta = page(built.out, "/insights/services/cloud-cost-optimisation/").one("aside", class_="cta").one("a")
    de_cta = page(built.out, "/insights/de/services/cloud-cost-optimisation/").one("aside", class_="cta").one("a")
    assert de_cta.text == translated("services", "de")["cloud-cost-optimisation"]["cta"]["label"]
    assert en_cta.text == "Book a cloud cost review"
    assert de_cta.attrs["href"] == en_cta.attrs["href"]
    assert (de_cta.attrs["href"] or "").startswith("https://example.com/contact?service=cloud-cost-optimisation")


# ------------------------------------------------------------------------------ addresses and links


def test_a_translated_slug_is_the_pieces_address_in_its_language(built: Built) -> None:
    out = built.out
    assert (out / "de" / "articles" / GERMAN_SLUG / "index.html").is_file()
    assert not (out / "de" / "articles" / RENAMED).exists()
    assert (out / "ja" / "articles" / RENAMED / "index.html").is_file(), "the Japanese translation has no slug"
    german_links = [href for path in html_files(out / "de") for href in page_hrefs(path)]
    assert f"/insights/de/articles/{GERMAN_SLUG}/" in german_links
    assert f"/insights/de/articles/{RENAMED}/" not in german_links
    # The German track lists it at its German address.
    track = page(out, "/insights/de/tracks/cloud-costs-in-five-steps/")
    assert f"/insights/de/articles/{GERMAN_SLUG}/" in track.hrefs()


def test_a_translated_slugs_alternates_point_both_ways(built: Built) -> None:
    english, german = f"{BASE_URL}articles/{RENAMED}/", f"{BASE_URL}de/articles/{GERMAN_SLUG}/"
    en_doc, de_doc = page(built.out, f"/insights/articles/{RENAMED}/"), page(built.out, f"/insights/de/articles/{GERMAN_SLUG}/")
    assert ("de", german) in hreflangs(en_doc)
    assert ("en", english) in hreflangs(de_doc)
    assert entry(en_doc, "de").attrs["href"] == f"/insights/de/articles/{GERMAN_SLUG}/"
    assert entry(de_doc, "en").attrs["href"] == f"/insights/articles/{RENAMED}/"
    assert de_doc.one("link", rel="canonical").attrs["href"] == german


@pytest.mark.parametrize("path", ["", "themes/cloud-economics/", f"articles/{RENAMED}/", "articles/cloud-unit-cost-model/",
                                  "about/"])
def test_every_version_lists_every_version_and_x_default(built: Built, path: str) -> None:
    def localized(language: str) -> str:
        folder = f"{language}/" if language else ""
        return folder + (path.replace(RENAMED, GERMAN_SLUG) if language == "de" else path)

    expected = [("en", BASE_URL + path), ("de", BASE_URL + localized("de")), ("ja", BASE_URL + localized("ja")),
                ("x-default", BASE_URL + path)]
    for language in ("", "de", "ja"):
        doc = page(built.out, "/insights/" + localized(language))
        assert hreflangs(doc) == expected, language
        assert all(href.startswith("https://") for _, href in hreflangs(doc))


@pytest.mark.parametrize("path", [f"articles/{UNTRANSLATED_IN_TRANSLATED_THEME}/", "themes/data-trust/",
                                  f"authors/{UNTRANSLATED_SME}/"])
def test_a_page_in_one_language_has_no_hreflang(built: Built, path: str) -> None:
    assert hreflangs(page(built.out, "/insights/" + path)) == []


def test_the_switcher_shows_the_current_language_as_current(built: Built) -> None:
    for language, url in (("en", f"/insights/articles/{RENAMED}/"), ("de", f"/insights/de/articles/{GERMAN_SLUG}/"),
                          ("ja", f"/insights/ja/articles/{RENAMED}/")):
        nav = switcher(page(built.out, url))
        [current] = nav.find_all("span")
        assert (current.attrs["aria-current"], current.attrs["lang"]) == ("true", language)
        assert sorted(a.attrs["hreflang"] or "" for a in nav.find_all("a")) == sorted({"en", "de", "ja"} - {language})


def test_the_switcher_goes_to_the_exact_version_of_a_translated_article(built: Built) -> None:
    doc = page(built.out, "/insights/articles/cloud-unit-cost-model/")
    link = entry(doc, "de")
    assert (link.attrs["href"], link.attrs.get("rel"), link.text) == (
        "/insights/de/articles/cloud-unit-cost-model/", "alternate", "Deutsch")
    assert entry(doc, "ja").attrs["href"] == "/insights/ja/articles/cloud-unit-cost-model/"


def test_the_switcher_goes_to_the_theme_of_an_untranslated_article(built: Built) -> None:
    doc = page(built.out, f"/insights/articles/{UNTRANSLATED_IN_TRANSLATED_THEME}/")
    link = entry(doc, "de")
    assert link.attrs["href"] == "/insights/de/themes/finops/"
    assert "rel" not in link.attrs, "the theme is not a version of the article"


def test_the_switcher_goes_home_when_the_articles_theme_is_untranslated(built: Built) -> None:
    doc = page(built.out, f"/insights/articles/{UNTRANSLATED_IN_UNTRANSLATED_THEME}/")
    assert entry(doc, "de").attrs["href"] == "/insights/de/"
    assert entry(doc, "ja").attrs["href"] == "/insights/ja/"


def test_the_switcher_on_a_tag_page_goes_to_that_tag_page_in_the_other_languages(built: Built) -> None:
    """A tag of translated pieces has its page in every language (de/tags/finops/): that page is the
    version the switcher should offer, as it does for every other page a language has."""
    assert (built.out / "de" / "tags" / "finops" / "index.html").is_file()
    assert (built.out / "ja" / "tags" / "finops" / "index.html").is_file()
    assert entry(page(built.out, "/insights/tags/finops/"), "de").attrs["href"] == "/insights/de/tags/finops/"
    assert entry(page(built.out, "/insights/de/tags/finops/"), "ja").attrs["href"] == "/insights/ja/tags/finops/"


def test_german_pages_link_untranslated_items_in_the_default_language(built: Built) -> None:
    theme = page(built.out, "/insights/de/themes/cloud-economics/").hrefs()
    assert f"/insights/authors/{UNTRANSLATED_SME}/" in theme
    assert f"/insights/services/{UNTRANSLATED_SERVICE}/" in theme
    assert f"/insights/de/authors/{UNTRANSLATED_SME}/" not in theme
    assert f"/insights/de/services/{UNTRANSLATED_SERVICE}/" not in theme
    piece = page(built.out, f"/insights/de/articles/{GERMAN_SLUG}/").hrefs()
    assert "/insights/de/authors/maya-okafor/" in piece, "a translated SME is linked in German"
    assert "/insights/de/themes/cloud-economics/" in piece


def test_shared_files_stay_at_the_root(built: Built) -> None:
    out = built.out
    for language in SAMPLE_LANGUAGES:
        assert not (out / language / "assets").exists() and not (out / language / "images").exists()
    doc = page(built.out, f"/insights/de/articles/{GERMAN_SLUG}/")
    sheets = [link.attrs["href"] or "" for link in doc.find_all("link", rel="stylesheet")]
    assert sheets and all(href.startswith("/insights/assets/") for href in sheets)
    images = [img.attrs["src"] or "" for img in doc.find_all("img")]
    assert images and all(src.startswith("/insights/images/") for src in images)


def test_every_internal_link_of_every_language_resolves(built: Built) -> None:
    assert internal_link_problems(built.out) == []


# ------------------------------------------------------------------------- feeds, graph, sitemaps


def test_each_language_has_its_own_feed_of_its_translations(built: Built) -> None:
    german = translated("articles", "de")
    root = ET.parse(built.out / "de" / "feed.xml").getroot()
    assert root.attrib["{http://www.w3.org/XML/1998/namespace}lang"] == "de"
    assert root.findtext(f"{ATOM}title") == SAMPLE_LANGUAGES["de"]
    entries = root.findall(f"{ATOM}entry")
    assert sorted(e.findtext(f"{ATOM}title") or "" for e in entries) == sorted(t["title"] for t in german.values())
    links = [e.find(f"{ATOM}link").attrib["href"] for e in entries]  # type: ignore[union-attr]
    assert all(link.startswith(f"{BASE_URL}de/articles/") for link in links)
    assert f"{BASE_URL}de/articles/{GERMAN_SLUG}/" in links
    english = ET.parse(built.out / "feed.xml").getroot()
    assert len(english.findall(f"{ATOM}entry")) > len(entries)


def test_each_language_has_its_own_hub_graph(built: Built) -> None:
    data = json.loads((built.out / "de" / "hub.json").read_text(encoding="utf-8"))
    assert (data["site"]["language"], data["site"]["base_url"]) == ("de", f"{BASE_URL}de/")
    urls = sorted(c["url"] for c in data["content"])
    assert urls == sorted(BASE_URL + address("de", "articles", s).removeprefix("/insights/")
                          for s in translated("articles", "de"))
    themes = {t["slug"]: t["url"] for t in data["themes"]}
    assert themes["cloud-economics"] == f"{BASE_URL}de/themes/cloud-economics/"
    assert themes["data-trust"] == f"{BASE_URL}themes/data-trust/", "an untranslated theme is the English one"


def test_each_language_has_a_sitemap_with_its_alternates(built: Built) -> None:
    root = ET.parse(built.out / "de" / "sitemap.xml").getroot()
    urls = {u.findtext(f"{SITEMAP}loc"): u for u in root.findall(f"{SITEMAP}url")}
    assert urls and all((loc or "").startswith(f"{BASE_URL}de/") for loc in urls)
    assert f"{BASE_URL}de/articles/{RENAMED}/" not in urls
    alternates = [(link.attrib["hreflang"], link.attrib["href"])
                  for link in urls[f"{BASE_URL}de/articles/{GERMAN_SLUG}/"].findall(f"{XHTML}link")]
    assert alternates == [("en", f"{BASE_URL}articles/{RENAMED}/"), ("de", f"{BASE_URL}de/articles/{GERMAN_SLUG}/"),
                          ("ja", f"{BASE_URL}ja/articles/{RENAMED}/"), ("x-default", f"{BASE_URL}articles/{RENAMED}/")]
    english = ET.parse(built.out / "sitemap.xml").getroot()
    lone = next(u for u in english.findall(f"{SITEMAP}url")
                if u.findtext(f"{SITEMAP}loc") == f"{BASE_URL}articles/{UNTRANSLATED_IN_UNTRANSLATED_THEME}/")
    assert lone.findall(f"{XHTML}link") == []


def test_robots_txt_lists_every_languages_sitemap(built: Built) -> None:
    lines = (built.out / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        f"Sitemap: {BASE_URL}sitemap.xml", f"Sitemap: {BASE_URL}de/sitemap.xml", f"Sitemap: {BASE_URL}ja/sitemap.xml"]
    assert not (built.out / "de" / "robots.txt").exists()


def test_each_language_has_its_own_search_index(sample_built: Built) -> None:
    """Pagefind names the language of the pages it indexed in pagefind-entry.json."""
    out = sample_built.out
    for folder, language in (("", "en"), ("de/", "de"), ("ja/", "ja")):
        entry_file = out / f"{folder}pagefind" / "pagefind-entry.json"
        assert list(json.loads(entry_file.read_text(encoding="utf-8"))["languages"]) == [language], folder
    search = (out / "de" / "search" / "index.html").read_text(encoding="utf-8")
    assert "/insights/de/pagefind/pagefind-ui.js" in search
    assert internal_link_problems(out) == []


# ------------------------------------------------------------------------------------ diagnostics


def test_a_translation_into_a_language_not_listed_is_named_at_the_file(tmp_path: Path) -> None:
    _, result = mini(tmp_path, {"content/articles/cloud-basics.fr.md": "---\ntitle: Les bases\n---\n"})
    assert at(result, "unknown-language") == [("content/articles/cloud-basics.fr.md", 1, "error")]
    assert not result.ok


def test_a_translation_into_the_default_language_is_refused(tmp_path: Path) -> None:
    _, result = mini(tmp_path, {"content/articles/cloud-basics.en.md": "---\ntitle: Basics again\n---\n"})
    assert at(result, "unknown-language") == [("content/articles/cloud-basics.en.md", 1, "error")]


def test_a_translation_without_its_original_is_named(tmp_path: Path) -> None:
    _, result = mini(tmp_path, {"content/articles/nothing.de.md": "---\ntitle: Nichts\n---\n"})
    assert at(result, "translation-without-original") == [("content/articles/nothing.de.md", 1, "error")]


def test_an_outdated_translation_is_a_warning_at_its_updated_line(tmp_path: Path) -> None:
    root, result = mini(tmp_path, {
        "content/articles/cloud-basics.md": article("Cloud Basics", date="2026-01-10", extra="updated: 2026-05-01"),
        "content/articles/cloud-basics.de.md": "---\ntitle: Grundlagen\nupdated: 2026-02-01\n---\n"})
    assert result.ok
    assert at(result, "translation-outdated") == [("content/articles/cloud-basics.de.md", 3, "warning")]
    assert page(root / "site", "/insights/de/articles/cloud-basics/").one("h1").text == "Grundlagen"


def test_an_up_to_date_translation_is_not_outdated(tmp_path: Path) -> None:
    _, result = mini(tmp_path, {
        "content/articles/cloud-basics.md": article("Cloud Basics", date="2026-01-10", extra="updated: 2026-05-01"),
        "content/articles/cloud-basics.de.md": "---\ntitle: Grundlagen\nupdated: 2026-05-02\n---\n"})
    assert result.ok and "translation-outdated" not in codes(result)


LANGUAGES_PROBLEMS = {
    "bad-tag": (MULTILINGUAL + "  DE_x: {name: X}\n", "bad-language", 7),
    "nested-path": (MULTILINGUAL.replace("de: {name: Deutsch}", "de: {name: Deutsch, path: a/b}"), "bad-language-path", 6),
    "reserved": (MULTILINGUAL.replace("de: {name: Deutsch}", "de: {name: Deutsch, path: themes}"), "bad-language-path", 6),
    "shared": (MULTILINGUAL + "  fr: {name: Français, path: de}\n", "bad-language-path", 7),
    "conflict": (MULTILINGUAL.replace("default_language: en", "language: de\ndefault_language: en"), "language-conflict", 4),
    "default-unlisted": (MULTILINGUAL.replace("default_language: en", "default_language: fr"), "unknown-language", 3),
}


@pytest.mark.parametrize("case", sorted(LANGUAGES_PROBLEMS))
def test_a_languages_setting_that_cannot_be_used_is_named_at_its_line(tmp_path: Path, case: str) -> None:
    config, code, line = LANGUAGES_PROBLEMS[case]
    _, result = mini(tmp_path, {}, config)
    assert at(result, code) == [("themehub.yaml", line, "error")]
    assert not result.ok


def test_a_translations_own_bad_value_is_named_at_its_line(tmp_path: Path) -> None:
    _, result = mini(tmp_path, {"content/articles/cloud-basics.de.md": "---\nsummary: Kurz\ntitle: [a, b]\n---\n"})
    assert at(result, "wrong-type") == [("content/articles/cloud-basics.de.md", 3, "error")]


def test_a_translations_bad_slug_is_named_once_at_its_line(tmp_path: Path) -> None:
    _, result = mini(tmp_path, {"content/articles/cloud-basics.de.md": "---\ntitle: X\nslug: Not A Slug\n---\n"})
    assert at(result, "bad-slug") == [("content/articles/cloud-basics.de.md", 3, "error")]


def test_an_inherited_problem_is_named_once_on_the_original(tmp_path: Path) -> None:
    _, result = mini(tmp_path, {
        "content/articles/cloud-basics.md": article("Cloud Basics", themes="[nope]"),
        "content/articles/cloud-basics.de.md": "---\ntitle: Grundlagen\n---\n"})
    assert at(result, "unknown-theme") == [("content/articles/cloud-basics.md", 5, "error")]
    assert [d for d in result.diagnostics if d.file.endswith(".de.md")] == []


def test_an_originals_bad_slug_is_not_blamed_on_the_translations_own_slug(tmp_path: Path) -> None:
    """`slug: ''` in the original (an editor's emptied field) is the original's error only, even when the
    translation has a good `slug:` of its own on the line the message would otherwise point to."""
    _, result = mini(tmp_path, {
        "content/articles/cloud-basics.md": article("Cloud Basics", extra="slug: ''"),
        "content/articles/cloud-basics.de.md": "---\ntitle: Grundlagen\nslug: cloud-grundlagen\n---\n"})
    assert at(result, "bad-slug") == [("content/articles/cloud-basics.md", 6, "error")]


# ------------------------------------------------------------------------------------------ attacks


def test_a_language_folder_out_of_the_site_is_refused(tmp_path: Path) -> None:
    config = MULTILINGUAL.replace("de: {name: Deutsch}", "de: {name: Deutsch, path: ../../outside}")
    root, result = mini(tmp_path, {"content/articles/cloud-basics.de.md": "---\ntitle: Grundlagen\n---\n"}, config)
    assert at(result, "bad-language-path") == [("themehub.yaml", 6, "error")]
    assert not (tmp_path / "outside").exists() and not (root / "outside").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub"]


def test_a_translated_slug_out_of_its_language_is_refused(tmp_path: Path) -> None:
    root = make_site(tmp_path / "hub", {"themehub.yaml": MULTILINGUAL})
    assert run_build(root, now=NOW).ok
    before = everything_below(root / "site")
    write_files(root, {"content/articles/cloud-basics.de.md": "---\ntitle: Grundlagen\nslug: ../../x\n---\n"})
    result = run_build(root, now=NOW)
    assert ("content/articles/cloud-basics.de.md", 3, "error") in at(result, "bad-slug")
    assert everything_below(root / "site") == before
    assert not (root / "site" / "x").exists() and not (root / "x").exists() and not (tmp_path / "x").exists()


def test_a_file_name_of_dots_does_not_escape(tmp_path: Path) -> None:
    root, result = mini(tmp_path, {"content/articles/x...md": article("Dots"),
                                   "content/articles/x...de.md": "---\ntitle: Punkte\n---\n"})
    assert "bad-file-name" in codes(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub"]
    written = everything_below(root / "site") if (root / "site").exists() else set()
    assert not any(".." in part for rel in written for part in rel.split("/"))


COLLISIONS = {
    # a language whose folder is the address of a page of the site (content/pages/about.md)
    "language-path-of-a-page": ("themehub.yaml", "content/pages/about.md"),
    # a page whose address is a language's folder
    "page-in-a-language-folder": ("content/pages/de.md",),
    # an old address (`aliases:`) that is a language's home
    "alias-of-a-language-home": (f"content/articles/{UNTRANSLATED_IN_UNTRANSLATED_THEME}.md",),
    # a static file at a language's home
    "static-file-at-a-language-home": ("static/de/index.html",),
}


@pytest.mark.parametrize("case", sorted(COLLISIONS))
def test_a_language_folder_never_silently_replaces_another_page(tmp_path: Path, case: str) -> None:
    """Two things at one address: like a page and a static file (static-collision) or two aliases
    (alias-collision), the build names it rather than publishing one over the other."""
    root = copy_sample(tmp_path / "hub")
    if case == "language-path-of-a-page":
        replace(root / "themehub.yaml", "    title: Northwind Einblicke", "    title: Northwind Einblicke\n    path: about")
    elif case == "page-in-a-language-folder":
        write_files(root, {"content/pages/de.md": "---\ntitle: Our German office\n---\n\nBerlin.\n"})
    elif case == "alias-of-a-language-home":
        replace(root / COLLISIONS[case][0], "\n---\n", "\naliases: [/de/]\n---\n")
    else:
        write_files(root, {"static/de/index.html": "<p>Our German office</p>\n"})
    result = run_build(root, now=NOW)
    named = [d for d in result.diagnostics if d.is_error and d.file in COLLISIONS[case]]
    assert named, f"nothing said; {[(d.code, d.file) for d in result.diagnostics]}"


# ----------------------------------------------------------------------- determinism, incremental


def test_two_clean_builds_are_byte_identical(tmp_path: Path) -> None:
    first, second = copy_sample(tmp_path / "a"), copy_sample(tmp_path / "b")
    one, two = clean_build(first, first / "site"), clean_build(second, second / "site")
    assert one.keys() == two.keys()
    assert [rel for rel in one if one[rel] != two[rel]] == []
    assert any(rel.startswith("de/") for rel in all_files(first / "site"))


def test_an_edited_translation_builds_incrementally_as_a_clean_build(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    incremental_build(site)
    replace(site / "content/articles/cloud-unit-cost-model.de.md", 'title: "', 'title: "Neu: ')
    actual = incremental_build(site)
    assert page(site / "site", "/insights/de/articles/cloud-unit-cost-model/").one("h1").text.startswith("Neu: ")
    expected = clean_build(site, tmp_path / "clean")
    assert actual.keys() == expected.keys()
    assert [rel for rel in expected if actual[rel] != expected[rel]] == []


def test_an_edited_translation_body_builds_incrementally_as_a_clean_build(tmp_path: Path) -> None:
    """A translation's body is keyed on its own digest (the title edit above keeps it): an edit of the
    body must reach its page, and only its page's body."""
    site = copy_sample(tmp_path / "hub")
    incremental_build(site)
    file = site / "content/articles/cloud-unit-cost-model.de.md"
    file.write_text(file.read_text(encoding="utf-8").rstrip("\n") + "\n\nEin neuer Absatz über Stückkosten.\n",
                    encoding="utf-8")
    actual = incremental_build(site)
    german = page(site / "site", "/insights/de/articles/cloud-unit-cost-model/")
    assert "Ein neuer Absatz über Stückkosten." in german.text
    expected = clean_build(site, tmp_path / "clean")
    assert actual.keys() == expected.keys()
    assert [rel for rel in expected if actual[rel] != expected[rel]] == []


def test_a_new_translation_gives_its_original_a_version(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    slug = UNTRANSLATED_IN_UNTRANSLATED_THEME
    incremental_build(site)
    assert hreflangs(page(site / "site", f"/insights/articles/{slug}/")) == []
    write_files(site, {f"content/articles/{slug}.de.md": "---\ntitle: Herkunftsnachweise für Aufsichtsbehörden\n---\n"})
    actual = incremental_build(site)
    english = page(site / "site", f"/insights/articles/{slug}/")
    assert ("de", f"{BASE_URL}de/articles/{slug}/") in hreflangs(english)
    assert entry(english, "de").attrs["href"] == f"/insights/de/articles/{slug}/"
    assert page(site / "site", f"/insights/de/articles/{slug}/").one("h1").text.startswith("Herkunftsnachweise")
    expected = clean_build(site, tmp_path / "clean")
    assert actual.keys() == expected.keys()
    assert [rel for rel in expected if actual[rel] != expected[rel]] == []


# ------------------------------------------------------------------------------- one language


def test_a_hub_in_one_language_has_no_switcher_and_no_alternates(tmp_path: Path) -> None:
    site = in_one_language(copy_sample(tmp_path / "hub"))
    result = run_build(site, now=NOW)
    assert result.ok
    out = site / "site"
    for url in ("/insights/", f"/insights/articles/{RENAMED}/", "/insights/themes/cloud-economics/"):
        doc = page(out, url)
        assert doc.find("nav", class_="languages") is None
        assert hreflangs(doc) == []
    assert [line for line in (out / "robots.txt").read_text().splitlines() if line.startswith("Sitemap:")] == [
        f"Sitemap: {BASE_URL}sitemap.xml"]
    assert "xhtml" not in (out / "sitemap.xml").read_text()
    assert not any((out / language).exists() for language in SAMPLE_LANGUAGES)


def test_a_language_keeps_its_pages_between_builds_and_renders_only_what_an_edit_shows(tmp_path: Path) -> None:
    """Each language's page table is kept in the cache (`languages/<code>/pages.json`): a build with
    nothing changed renders no page of a language, and a German title edit renders exactly the pages
    whose bytes change (German ones only), and the same bytes as a clean build."""
    site = copy_sample(tmp_path / "hub")
    assert run_build(site, now=NOW).ok
    again = run_build(site, now=NOW)
    assert again.ok and [url for url, _ in again.rendered if url.startswith(("de/", "ja/"))] == []
    before = tree(site / "site")
    replace(site / "content/articles/cloud-unit-cost-model.de.md", 'title: "', 'title: "Neu – ')
    edited = run_build(site, now=NOW)
    assert edited.ok
    after = tree(site / "site")
    rendered = {url for url, _ in edited.rendered}
    changed = {rel.removesuffix("index.html") for rel in after
               if rel.endswith("index.html") and after[rel] != before.get(rel)}
    assert "de/articles/cloud-unit-cost-model/" in rendered
    assert rendered == changed, "exactly the pages that show the title: German ones, not English or Japanese"
    expected = clean_build(site, tmp_path / "clean")
    after.pop(".themehub-output", None)
    assert [rel for rel in expected if expected[rel] != after.get(rel)] == []


def test_an_original_edit_reaches_its_translations_through_the_parse_cache(tmp_path: Path) -> None:
    """A translation is kept in the parse cache keyed on both files: editing what it inherits (the
    original's tags) shows on the translated page at the next build, as in a clean build."""
    site = copy_sample(tmp_path / "hub")
    assert run_build(site, now=NOW).ok
    assert run_build(site, now=NOW).ok  # the translations now come from the cache
    replace(site / "content/articles/cloud-unit-cost-model.md", "tags: [", "tags: [Neues Etikett, ")
    files = incremental_build(site)
    german = files["de/articles/cloud-unit-cost-model/index.html"].decode()
    assert "Neues Etikett" in german and "de/tags/neues-etikett/index.html" in files
    expected = clean_build(site, tmp_path / "clean")
    assert [rel for rel in expected if expected[rel] != files.get(rel)] == []
