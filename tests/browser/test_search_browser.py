"""Search works from the built files, with no server of ours: type a word, see the article, follow it."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.helpers import REPO, article, build_and_serve, copy_sample, parse_html, write_files
from tests.sample_content import SampleContent

pytestmark = pytest.mark.browser


def test_search_finds_an_article_and_follows_the_link(built_site: str, page: Page) -> None:
    page.goto(built_site + "search/")
    box = page.locator(".pagefind-ui__search-input")
    expect(box).to_be_visible(timeout=10_000)
    box.fill("laddering")
    result = page.locator(".pagefind-ui__result-link").first
    expect(result).to_be_visible(timeout=10_000)
    expect(result).to_contain_text("Commitment Discounts")
    result.click()
    expect(page).to_have_url(built_site + "articles/commitment-discounts-portfolio/")
    expect(page.locator("h1")).to_contain_text("Commitment Discounts")


def test_header_search_box_runs_the_query(built_site: str, page: Page) -> None:
    page.goto(built_site)
    page.locator("#site-search").fill("laddering")
    page.locator("#site-search").press("Enter")
    expect(page.locator(".pagefind-ui__result-link").first).to_contain_text("Commitment Discounts", timeout=10_000)


RESULT = ".pagefind-ui__result-inner > .pagefind-ui__result-title .pagefind-ui__result-link"
"""The link of each result (not of its sub-results)."""


def _result_count(page: Page) -> int:
    message = page.locator(".pagefind-ui__message")
    expect(message).to_contain_text("result", timeout=10_000)
    match = re.match(r"\s*(\d+) results? for", message.inner_text())
    assert match, message.inner_text()
    return int(match.group(1))


def _hub(built_site: str) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(built_site + "hub.json") as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def test_results_are_the_pages_own_content_not_their_related_lists(built_site: str, page: Page) -> None:
    """'hardware-era' is in one article's summary, which cards on a dozen other pages (theme hubs, related
    lists, the SME's page) repeat: only the article itself is a result, since related lists, service blocks and
    navigation are not indexed."""
    page.goto(built_site + "search/?q=hardware-era")
    assert _result_count(page) == 1
    expect(page.locator(RESULT)).to_have_attribute(
        "href", re.compile(r"/insights/articles/why-cloud-bills-surprise-finance/$"))


def test_results_carry_their_type_depth_and_themes(built_site: str, page: Page) -> None:
    """Pagefind returns each result's filter values (for a custom results list, or analytics)."""
    content = {item["url"].removeprefix("https://example.com"): item for item in _hub(built_site)["content"]}
    page.goto(built_site + "search/")
    found = page.evaluate("""async bundle => {
        const pagefind = await import(bundle + "pagefind.js");
        const search = await pagefind.search("lineage");
        return Promise.all(search.results.map(async r => { const d = await r.data(); return [d.url, d.filters]; }))
    }""", "/insights/pagefind/")
    assert found
    for url, filters in found:
        if url in content:
            assert filters["type"] == [content[url]["type"].replace("-", " ").capitalize()]
            assert len(filters["depth"]) == 1 and filters["depth"][0] in ("Start here", "Go deeper", "Deep dives")
            assert filters["theme"]
        else:
            assert filters["type"][0] in ("Theme", "Expert", "Customer voice", "Partner voice", "Service"), url


def test_the_query_is_kept_in_the_address_bar(built_site: str, page: Page) -> None:
    page.goto(built_site + "search/")
    box = page.locator(".pagefind-ui__search-input")
    expect(box).to_have_attribute("aria-label", re.compile("Search"))
    box.fill("lineage")
    expect(page).to_have_url(re.compile(r"/search/\?q=lineage$"))
    page.reload()
    expect(page.locator(".pagefind-ui__search-input")).to_have_value("lineage", timeout=10_000)


# ---------------------------------------------------------------------------------------------- filters
# What a filter should leave is worked out from the sample's front matter (tests/sample_content.py) and, for
# a service, from the themes its built page shows under "Part of": never from the search index, nor from the
# template markup that feeds it.

DEPTH_LABELS = {"entry": "Start here", "deeper": "Go deeper", "deepest": "Deep dives"}
CASE_STUDY = "/insights/articles/retailer-cloud-reset-case-study/"
"""A case study with three themes, one of them a sub-theme."""


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One build of the sample hub for the filter tests, served at /insights/."""
    with build_and_serve(copy_sample(tmp_path_factory.mktemp("filters") / "hub")) as url:
        yield url


@pytest.fixture(scope="module")
def sample() -> SampleContent:
    return SampleContent.read(REPO)


def _titles(sample: SampleContent, slugs: list[str]) -> set[str]:
    """The titles of these themes and of all their parents."""
    family = {parent for slug in slugs for parent in sample.ancestors(slug)} | set(slugs)
    return {str(sample.themes[slug]["title"]) for slug in family}


def _part_of(hub: str, url: str) -> set[str]:
    """The themes a service page shows under "Part of"."""
    with urllib.request.urlopen(hub.removesuffix("/insights/") + url) as response:
        doc = parse_html(response.read().decode("utf-8"))
    shown = [p for p in doc.find_all("p", class_="expertise") if p.text.startswith("Part of")]
    return {a.text for p in shown for a in p.find_all("a")}


def _values(sample: SampleContent, hub: str, url: str) -> dict[str, set[str]]:
    """Filter group -> the values a result at `url` should be found under."""
    kind, slug = url.removeprefix("/insights/").strip("/").split("/")
    if kind == "articles":
        fm = sample.articles[slug]
        return {"Theme": _titles(sample, sample.themes_of(slug)),
                "Type": {str(fm.get("type", "article")).replace("-", " ").capitalize()},
                "Depth": {DEPTH_LABELS[sample.depth_of(slug)]}}
    if kind == "themes":
        return {"Theme": _titles(sample, [slug]), "Type": {"Theme"}, "Depth": set()}
    if kind == "authors":
        voice = str(sample.authors[slug].get("voice", "expert"))
        return {"Theme": _titles(sample, [str(t) for t in sample.authors[slug].get("expertise", [])]),
                "Type": {"Expert" if voice == "expert" else f"{voice.capitalize()} voice"}, "Depth": set()}
    assert kind == "services", url
    return {"Theme": _part_of(hub, url), "Type": {"Service"}, "Depth": set()}


def _results(page: Page, count: int | None = None) -> set[str]:
    """Every result of the search shown, loading more until all are listed; once the page says there are
    `count` results, when given (a filter just ticked: the search runs again)."""
    if count is not None:
        expect(page.locator(".pagefind-ui__message")).to_have_text(re.compile(rf"^\s*{count} results? for"),
                                                                  timeout=10_000)
    count = _result_count(page)
    links = page.locator(RESULT)
    while links.count() < count and page.locator(".pagefind-ui__button").is_visible():
        page.locator(".pagefind-ui__button").click()
        page.wait_for_timeout(100)
    expect(links).to_have_count(count, timeout=10_000)
    return {href for href in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")}


def _tick(page: Page, group: str, value: str) -> None:
    """Open a filter group and tick one value, by the names a screen reader would announce."""
    page.locator("summary.pagefind-ui__filter-name", has_text=group).click()
    box = page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(value)} \(\d+\)$"))
    box.check()
    expect(box).to_be_checked()


def test_the_filter_groups_are_theme_type_and_depth(hub: str, page: Page, sample: SampleContent) -> None:
    page.goto(hub + "search/?q=cloud")
    _result_count(page)
    expect(page.locator("summary.pagefind-ui__filter-name")).to_have_text(["Depth", "Theme", "Type"])
    themes = page.locator(".pagefind-ui__filter-checkbox[name=theme]")
    assert set(themes.evaluate_all("els => els.map(e => e.value)")) == {str(t["title"]) for t in sample.themes.values()}


@pytest.mark.parametrize(("word", "group", "value"), [
    ("cloud", "Type", "Case study"),
    ("cloud", "Depth", "Start here"),
    ("retailer", "Theme", "Sustainable Operations"),
    ("retailer", "Theme", "FinOps"),
    ("data", "Theme", "AI at Scale"),
])
def test_a_filter_leaves_exactly_the_results_it_names(hub: str, page: Page, sample: SampleContent, word: str,
                                                      group: str, value: str) -> None:
    page.goto(hub + "search/?q=" + word)
    everything = _results(page)
    expected = {url for url in everything if value in _values(sample, hub, url)[group]}
    assert expected and expected < everything, "the case must narrow the results, else it shows nothing"
    _tick(page, group, value)
    assert _results(page, len(expected)) == expected


def test_a_page_with_several_themes_is_found_under_each(hub: str, page: Page, sample: SampleContent) -> None:
    themes = _titles(sample, sample.themes_of(CASE_STUDY.strip("/").rsplit("/", 1)[1]))
    assert len(themes) >= 3
    for title in sorted(themes):
        page.goto(hub + "search/?q=retailer")
        expected = {url for url in _results(page) if title in _values(sample, hub, url)["Theme"]}
        assert CASE_STUDY in expected
        _tick(page, "Theme", title)
        assert _results(page, len(expected)) == expected, title


def test_filters_combine_across_groups(hub: str, page: Page, sample: SampleContent) -> None:
    page.goto(hub + "search/?q=cloud")
    everything = _results(page)
    expected = {url for url in everything
                if "Deep dives" in _values(sample, hub, url)["Depth"] and "FinOps" in _values(sample, hub, url)["Theme"]}
    assert expected
    _tick(page, "Theme", "FinOps")
    _tick(page, "Depth", "Deep dives")
    assert _results(page, len(expected)) == expected


def test_a_theme_title_with_markup_is_listed_as_text(tmp_path: Path, page: Page) -> None:
    """Pagefind's UI writes filter values into the page as HTML; themehub's index holds them as escaped text."""
    site = copy_sample(tmp_path / "hub")
    payload = '<img src=/x onerror="window.__pwned = 1">'
    write_files(site, {
        "content/themes/hostile.md": f"---\ntitle: '{payload}'\n---\n\nA theme.\n",
        "content/articles/hostile-notes.md": article("Zanzibarite notes", themes="[hostile]", authors="[maya-okafor]",
                                                     body="Zanzibarite is a word only this page has."),
    })
    with build_and_serve(site) as url:
        page.goto(url + "search/?q=zanzibarite")
        assert _result_count(page) == 1
        page.locator("summary.pagefind-ui__filter-name", has_text="Theme").click()
        label = page.locator(".pagefind-ui__filter-label", has_text="onerror")
        expect(label).to_have_text(f"{payload} (1)")
        assert page.locator("#search img").count() == 0
        assert page.evaluate("window.__pwned") is None
