"""The multilingual sample hub read in Chromium: English at the root, German at /de/, Japanese at /ja/.

- A reader walks home → theme → article in German and in Japanese through the header's language switcher
  and the pages' own links, finds the page in that language (`<html lang>`, the hreflang alternates, the
  interface's words from the language's catalogue), and switches back to the same piece in English.
- Where a piece has no translation the switcher goes to the nearest page the language has: the piece's
  theme, or the language's home.
- Search on a language's search page finds a word of that language's translations, and only pages of it.
- axe finds no violation on the translated home, theme, article and search pages at a phone's and a
  desktop's width; nothing runs past the phone screen's edge; the Nu HTML Checker finds nothing on them.

What is expected is read from the sample's files (the translations' front matter, the .po catalogues), not
from the built pages.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect
from tests.helpers import NOW, REPO, copy_sample, run_build
from tests.rebrand import serve
from tests.validator.test_html_valid import vnu_jar

pytestmark = pytest.mark.browser

LANGUAGES = {"de": "Deutsch", "ja": "日本語"}
"""Each translated language -> its name in the switcher (the sample's themehub.yaml)."""
BASE_URL = "https://example.com/insights/"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}

THEME = "cloud-economics"
ARTICLE = "why-cloud-bills-surprise-finance"
"""A translated piece of THEME; its German translation publishes under a slug of its own."""
SEARCH_WORD = {"de": ("Lenkungsausschuss", "articles/finops-first-90-days/"),
               "ja": ("割引", "articles/commitment-discounts-portfolio/")}
"""A word of each language's translation of a piece's body (not of the English one) -> that piece."""
UNTRANSLATED = {"articles/measuring-it-emissions/": "",  # its theme has no translation: the language's home
                "articles/retailer-cloud-reset-case-study/": "themes/cloud-economics/",
                "articles/what-we-would-do-differently/": "themes/finops/"}
"""Pieces with no translation -> where the switcher takes a reader in another language (from its root)."""


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    _, head, _ = text.split("---\n", 2)
    found = yaml.safe_load(head)
    assert isinstance(found, dict), path
    return found


def translation(kind: str, slug: str, language: str) -> dict[str, object]:
    return front_matter(REPO / "content" / kind / f"{slug}.{language}.md")


def catalogue(language: str) -> dict[str, str]:
    """msgid -> msgstr of themehub's own catalogue for `language`."""
    with (REPO / "src/themehub/locales" / language / "LC_MESSAGES/themehub.po").open("rb") as source:
        return {str(m.id): str(m.string) for m in read_po(source) if m.id and isinstance(m.id, str) and m.string}


def article_path(language: str) -> str:
    """ARTICLE's page in `language`, from that language's root."""
    slug = translation("articles", ARTICLE, language).get("slug", ARTICLE)
    return f"articles/{slug}/"


@dataclass(frozen=True)
class Site:
    out: Path
    url: str
    """The English home page as served: http://127.0.0.1:PORT/insights/."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The sample hub (all three languages) built once with its search indexes, served at /insights/."""
    root = copy_sample(tmp_path_factory.mktemp("multilingual") / "hub")
    result = run_build(root, now=NOW, search=True)
    assert result.ok, [d for d in result.diagnostics if d.is_error]
    with serve(root / "site", tmp_path_factory.mktemp("www")) as url:
        yield Site(root / "site", url)


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    yield context.new_page()
    context.close()


def alternates(page: Page) -> dict[str, str]:
    """hreflang -> href of the page's `<link rel="alternate" hreflang>` tags."""
    found: list[list[str]] = page.eval_on_selector_all(
        "head link[rel=alternate][hreflang]", "links => links.map(l => [l.hreflang, l.getAttribute('href')])")
    assert len({lang for lang, _ in found}) == len(found), f"an hreflang is given twice: {found}"
    return dict((lang, href) for lang, href in found)


def switch_to(page: Page, name: str) -> None:
    """Follow the language switcher's entry for the language called `name`."""
    switcher = page.locator("header nav.languages")
    expect(switcher).to_have_count(1)
    switcher.get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


def address(site: Site, path: str) -> re.Pattern[str]:
    """The address of `path` (from the English root) in the browser's address bar, exactly."""
    return re.compile("^" + re.escape(site.url + path) + "$")


# ------------------------------------------------------------------------------------------- the walk


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_theme_article_through_the_switcher_and_back(site: Site, tab: Page, language: str) -> None:
    name = LANGUAGES[language]
    words = catalogue(language)
    theme_title = str(translation("themes", THEME, language)["title"])
    article_title = str(translation("articles", ARTICLE, language)["title"])
    english_title = str(front_matter(REPO / "content/articles" / f"{ARTICLE}.md")["title"])
    here = f"{language}/{article_path(language)}"

    # the English home: its switcher names the language in the language itself
    tab.goto(site.url)
    assert tab.evaluate("document.documentElement.lang") == "en"
    entry = tab.locator("header nav.languages a", has_text=name)
    expect(entry).to_have_attribute("hreflang", language)
    expect(entry).to_have_attribute("lang", language)
    expect(tab.locator("header nav.languages [aria-current]")).to_have_text("English")
    switch_to(tab, name)

    # the language's home
    expect(tab).to_have_url(address(site, f"{language}/"))
    assert tab.evaluate("document.documentElement.lang") == language
    expect(tab.locator("header nav.languages [aria-current]")).to_have_text(name)
    assert alternates(tab) == {"en": BASE_URL, "de": BASE_URL + "de/", "ja": BASE_URL + "ja/", "x-default": BASE_URL}
    tab.locator("main a", has_text=theme_title).first.click()

    # the theme, in the language
    expect(tab).to_have_url(address(site, f"{language}/themes/{THEME}/"))
    assert tab.evaluate("document.documentElement.lang") == language
    expect(tab.locator("h1")).to_have_text(theme_title)
    assert alternates(tab) == {"en": f"{BASE_URL}themes/{THEME}/", "de": f"{BASE_URL}de/themes/{THEME}/",
                               "ja": f"{BASE_URL}ja/themes/{THEME}/", "x-default": f"{BASE_URL}themes/{THEME}/"}
    tab.locator("main a", has_text=article_title).first.click()

    # the article, in the language
    expect(tab).to_have_url(address(site, here))
    assert tab.evaluate("document.documentElement.lang") == language
    expect(tab.locator("h1")).to_have_text(article_title)
    assert alternates(tab) == {
        "en": f"{BASE_URL}articles/{ARTICLE}/",
        "de": f"{BASE_URL}de/{article_path('de')}",
        "ja": f"{BASE_URL}ja/{article_path('ja')}",
        "x-default": f"{BASE_URL}articles/{ARTICLE}/",
    }
    assert tab.locator("head link[rel=canonical]").get_attribute("href") == BASE_URL + here
    # the interface in the language's words
    expect(tab.locator("nav.breadcrumbs")).to_have_attribute("aria-label", words["Breadcrumb"])
    expect(tab.locator("nav.breadcrumbs a").first).to_have_attribute("href", f"/insights/{language}/")
    expect(tab.locator("header nav.languages")).to_have_attribute("aria-label", words["Language"])
    expect(tab.locator("#related-heading")).to_have_text(words["Related"])
    expect(tab.locator("#deeper-heading")).to_have_text(words["Read deeper"])
    current = tab.locator("header nav.languages [aria-current='true']")
    expect(current).to_have_text(name)
    expect(current).to_have_attribute("lang", language)
    # each other language's entry is this piece's version there
    for other, other_name in {"en": "English", **LANGUAGES}.items():
        if other == language:
            continue
        link = tab.locator("header nav.languages").get_by_role("link", name=other_name, exact=True)
        expect(link).to_have_attribute("hreflang", other)
        expect(link).to_have_attribute("lang", other)
        folder = "" if other == "en" else f"{other}/"
        path = f"articles/{ARTICLE}/" if other == "en" else article_path(other)
        expect(link).to_have_attribute("href", f"/insights/{folder}{path}")
    switch_to(tab, "English")

    # back in English, on the same piece
    expect(tab).to_have_url(address(site, f"articles/{ARTICLE}/"))
    assert tab.evaluate("document.documentElement.lang") == "en"
    expect(tab.locator("h1")).to_have_text(english_title)
    expect(tab.locator("nav.breadcrumbs")).to_have_attribute("aria-label", "Breadcrumb")


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_in_the_language_finds_only_its_pages(site: Site, tab: Page, language: str) -> None:
    word, piece = SEARCH_WORD[language]
    body = (REPO / "content" / f"{piece.split('/')[0]}/{piece.split('/')[1]}.{language}.md").read_text("utf-8")
    assert word in body.split("---\n", 2)[2], f"{word!r} is not in the body of {piece}'s translation"
    tab.goto(f"{site.url}{language}/search/")
    assert tab.evaluate("document.documentElement.lang") == language
    box = tab.locator(".pagefind-ui__search-input")
    expect(box).to_be_visible(timeout=10_000)
    box.fill(word)
    results = tab.locator(".pagefind-ui__result-link")
    expect(results.first).to_be_visible(timeout=10_000)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert hrefs, f"no result for {word!r}"
    assert all(href.startswith(f"/insights/{language}/") for href in hrefs), hrefs
    assert f"/insights/{language}/{piece}" in {href.split("#")[0] for href in hrefs}, hrefs
    results.first.click()
    expect(tab).to_have_url(re.compile(re.escape(f"{site.url}{language}/")))
    assert tab.evaluate("document.documentElement.lang") == language


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("untranslated", UNTRANSLATED)
def test_the_switcher_on_an_untranslated_piece_goes_to_the_nearest_page(site: Site, tab: Page, language: str,
                                                                       untranslated: str) -> None:
    slug = untranslated.split("/")[1]
    assert not list((REPO / "content/articles").rglob(f"{slug}.{language}.md")), f"{slug} is translated"
    tab.goto(site.url + untranslated)
    assert tab.evaluate("document.documentElement.lang") == "en"
    assert alternates(tab) == {}, "a piece in one language has no alternates"
    switch_to(tab, LANGUAGES[language])
    expect(tab).to_have_url(address(site, f"{language}/{UNTRANSLATED[untranslated]}"))
    assert tab.evaluate("document.documentElement.lang") == language


# ----------------------------------------------------------------------------------- axe and overflow


def pages_of(language: str) -> dict[str, str]:
    """The translated pages audited, by name -> path from the English root: the walk's, and a translated
    article with a table and code (long German compounds in narrow cells)."""
    return {"home": f"{language}/", "theme": f"{language}/themes/{THEME}/",
            "article": f"{language}/{article_path(language)}",
            "article (code, tables)": f"{language}/articles/cloud-unit-cost-model/",
            "search": f"{language}/search/?q={SEARCH_WORD[language][0]}"}


# The outermost elements whose box ends past the right edge of the screen, not counting what a scrolling box (a wide
# table's or a code block's) holds: that scrolls inside its box, not the page.
OVERFLOWING = r"""() => {
  const edge = document.documentElement.clientWidth + 1;
  const scrolls = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
  const wide = new Set([...document.body.querySelectorAll('*')]
    .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > edge && !scrolls(e); }));
  return [...wide].filter(e => !wide.has(e.parentElement))
    .map(e => `<${[e.tagName.toLowerCase(), ...e.classList].join('.')}> ${Math.round(e.getBoundingClientRect().right)} px: `
              + (e.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60));
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_translated_pages_pass_axe_and_fit(site: Site, browser: Browser, language: str, width: str) -> None:
    viewport = WIDTHS[width]
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    page = context.new_page()
    axe = Axe()
    problems: list[str] = []
    try:
        for name, path in pages_of(language).items():
            page.goto(site.url + path)
            if "q=" in path:
                page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
            page.evaluate("document.fonts.ready.then(() => true)")
            where = f"{name} (/{path}) at {viewport['width']} px"
            assert page.evaluate("document.documentElement.lang") == language, where
            for violation in axe.run(page).response["violations"]:
                problems += [f"{where}: axe {violation['impact']} {violation['id']}: {node['html'][:120]}"
                             for node in violation["nodes"]]
            if viewport is PHONE:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > viewport["width"]:
                    problems.append(f"{where}: the page is {scroll} px wide")
                problems += [f"{where}: {e} runs past the screen's edge" for e in page.evaluate(OVERFLOWING)]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------------------- HTML validator

VALIDATED = ("", "themes/", f"themes/{THEME}/", "themes/finops/", "articles/{article}", "articles/cloud-unit-cost-model/",
             "authors/maya-okafor/", "services/cloud-cost-optimisation/", "tracks/cloud-costs-in-five-steps/", "about/",
             "search/", "tags/", "404.html")
"""Translated pages of each language, from its root ({article}: ARTICLE under the language's slug)."""


def test_translated_pages_are_valid_html(site: Site) -> None:
    java = shutil.which("java")
    assert java, "no Java runtime: apt-get install -y default-jre-headless"
    files: list[Path] = []
    for language in LANGUAGES:
        for path in VALIDATED:
            rel = path.replace("articles/{article}", article_path(language))
            file = site.out / language / rel
            file = file / "index.html" if rel == "" or rel.endswith("/") else file
            assert file.is_file(), f"{language}/{rel} was not built"
            files.append(file.resolve())
    run = subprocess.run([java, "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", *map(str, files)],
                         capture_output=True, text=True, timeout=600)
    report = json.loads(run.stderr or run.stdout)
    out = site.out.resolve()
    problems = [f"{Path(m['url'].removeprefix('file:')).relative_to(out)}:{m.get('lastLine', '?')}: "
                f"{m.get('subType') or m['type']}: {m['message']}"
                for m in report["messages"] if not (m["type"] == "info" and m.get("subType") != "warning")]
    assert not problems, "\n".join(problems)
