"""The interface in German, French, Spanish and Japanese, read in Chromium at a phone's width: every page
kind of the sample hub (with the listing pieces) fits 390 px without scrolling sideways, whatever the
length of the translated headings, badges and buttons; axe finds no violation; the search page finds
pieces and its widget speaks the page's language (Pagefind's UI reads `<html lang>`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser
from tests.helpers import NOW, copy_sample, in_one_language, run_build
from tests.rebrand import PAGE_KINDS, add_listing_pieces, serve

pytestmark = pytest.mark.browser

LANGUAGES = ("de", "fr", "es", "ja")
PHONE = {"width": 390, "height": 844}
# Pagefind's UI in each language, as its own translations word the search box's placeholder.
SEARCH_PLACEHOLDER = {"de": "Suche", "fr": "Rechercher", "es": "Buscar", "ja": "検索"}
# The search's filter groups, as the catalogues name them (the index keys them theme, type and depth).
FILTER_NAMES = {"de": ["Tiefe", "Thema", "Art"], "fr": ["Profondeur", "Thème", "Type"],
                "es": ["Profundidad", "Tema", "Tipo"], "ja": ["深度", "テーマ", "種類"]}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The sample hub built once per language (search included), each served at /insights/."""
    with contextlib.ExitStack() as stack:
        urls = {}
        for language in LANGUAGES:
            root = copy_sample(tmp_path_factory.mktemp(f"hub-{language}") / "hub")
            add_listing_pieces(root)
            in_one_language(root, language)
            result = run_build(root, now=NOW, search=True)
            assert result.ok, [d for d in result.diagnostics if d.is_error]
            urls[language] = stack.enter_context(serve(root / "site", Path(tmp_path_factory.mktemp(f"www-{language}"))))
        yield urls


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_kind_fits_a_phone_and_passes_axe(browser: Browser, sites: dict[str, str], language: str) -> None:
    page = browser.new_context(viewport=PHONE).new_page()  # type: ignore[arg-type]
    axe = Axe()
    problems = []
    for name, path in PAGE_KINDS.items():
        page.goto(sites[language] + path)
        if "q=" in path:
            page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
        page.evaluate("document.fonts.ready.then(() => true)")
        assert page.evaluate("document.documentElement.lang") == language, name
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{name} (/{path}) is {width} px wide")
        wide = page.evaluate("""() => [...document.querySelectorAll('h1, h2, h3, .badge, button, nav a, .cta')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 60))""")
        problems += [f"{name} (/{path}): {text} runs past the screen's edge" for text in wide]
        violations = axe.run(page).response["violations"]
        problems += [f"{name} (/{path}): axe {v['id']}: {v['nodes'][0]['html'][:100]}" for v in violations]
    assert not problems, f"{language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_finds_pieces_in_a_widget_that_speaks_the_language(browser: Browser, sites: dict[str, str],
                                                                 language: str) -> None:
    page = browser.new_context(viewport=PHONE).new_page()  # type: ignore[arg-type]
    page.goto(sites[language] + "search/?q=cloud")
    results = page.locator(".pagefind-ui__result-link")
    results.first.wait_for(timeout=10_000)
    assert results.count() > 3
    placeholder = page.locator(".pagefind-ui__search-input").get_attribute("placeholder") or ""
    assert SEARCH_PLACEHOLDER[language] in placeholder
    groups = page.locator(".pagefind-ui__filter-name")
    assert [groups.nth(i).text_content() for i in range(groups.count())] == FILTER_NAMES[language]
    said = page.locator(".pagefind-ui__result-tag .visually-hidden").first.text_content() or ""
    assert said.split(":")[0] in FILTER_NAMES[language]


# What is laid out on the reading side: the "read deeper" box's coloured border, the skip link, the
# breadcrumb separator. On a right-to-left page each is on the other side, or points the other way.
SIDES = """() => {
  const box = getComputedStyle(document.querySelector('.read-deeper'));
  const skip = document.querySelector('.skip-link').getBoundingClientRect();
  const crumb = document.querySelector('.breadcrumbs li:not(:last-child)');
  return {border: [box.borderLeftWidth, box.borderRightWidth],
          skip: skip.left + skip.width / 2 < document.documentElement.clientWidth / 2 ? 'left' : 'right',
          separator: getComputedStyle(crumb, '::after').content};
}"""


@pytest.fixture(scope="module")
def right_to_left(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The sample in Arabic (an interface themehub has no words for: English words, Arabic layout) and
    in English, served."""
    with contextlib.ExitStack() as stack:
        urls = {}
        for language in ("ar", "en"):
            root = copy_sample(tmp_path_factory.mktemp(f"hub-{language}") / "hub")
            add_listing_pieces(root)
            in_one_language(root, language)
            assert run_build(root, now=NOW, search=True).ok
            urls[language] = stack.enter_context(serve(root / "site", Path(tmp_path_factory.mktemp(f"www-{language}"))))
        yield urls


def test_a_right_to_left_page_is_laid_out_from_the_right(browser: Browser, right_to_left: dict[str, str]) -> None:
    article = PAGE_KINDS["article"]
    expected = {"ar": {"border": ["0px", "6px"], "skip": "right", "separator": '"‹"'},
                "en": {"border": ["6px", "0px"], "skip": "left", "separator": '"›"'}}
    for language, sides in expected.items():
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(right_to_left[language] + article)
        assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "")
        page.keyboard.press("Tab")  # the skip link shows when focused
        found = page.evaluate(SIDES)
        assert {**found, "separator": found["separator"].split(" /")[0]} == sides, language


def test_every_right_to_left_page_kind_fits_and_passes_axe(browser: Browser, right_to_left: dict[str, str]) -> None:
    problems = []
    axe = Axe()
    for viewport in (PHONE, {"width": 1280, "height": 900}):
        page = browser.new_context(viewport=viewport).new_page()  # type: ignore[arg-type]
        for name, path in PAGE_KINDS.items():
            page.goto(right_to_left["ar"] + path)
            if "q=" in path:
                page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > viewport["width"]:
                problems.append(f"{name} (/{path}) is {width} px wide at {viewport['width']}")
            problems += [f"{name} (/{path}): axe {v['id']}" for v in axe.run(page).response["violations"]]
    assert not problems, "\n".join(problems)
