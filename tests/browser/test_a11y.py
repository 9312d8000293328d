"""Accessibility of the default theme, audited in Chromium on every page kind of the sample hub, in its
own branding and rebranded through themehub.yaml (tests/rebrand.py).

- axe-core (the copy bundled in the `axe-playwright-python` package) at a phone (390 px) and a desktop
  (1280 px) width, in both brandings: no violation at all, of any impact, on every page kind (and on the
  other shapes of a page the sample has: an article with code or tables, a customer's page, …), in the
  theme's markup, article bodies and Pagefind's search widget alike.
- Text on the surfaces painted with the brand's colours (calls to action, service cards, the home and
  SME heroes) measured in both brandings, gradients flattened to their least contrasting end.
- Keyboard: Tab reaches every link and control of a page, in document order, and each shows a focus ring.
- Colour contrast for every campaign-theme `color` of the sample, on every surface painted with it.

The sample gets a few more pieces (tests/rebrand.py's `add_listing_pieces`) so that it has a theme's depth
listing and a service's list of pieces; each branding is built once per run (`shared_hubs`) and the
pages of one branding and width are audited in one browser tab, one after the other.
"""

from __future__ import annotations

import contextlib
import json
import re
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from tests.rebrand import BRAND_COLOR, BRANDINGS, LOGO_ALT, PAGE_KINDS, Hubs, serve, shared_hubs

from themehub.brand import DEFAULT_COLOR

pytestmark = pytest.mark.browser

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
VARIANTS = {
    "sub-theme hub": "themes/finops/",
    "article (track start, picture)": "articles/why-cloud-bills-surprise-finance/",
    "article (raster picture)": "articles/retailer-cloud-reset-case-study/",
    "article (customer voice)": "articles/what-we-would-do-differently/",
    "article (code, tables)": "articles/cloud-unit-cost-model/",
    "article (code)": "articles/tagging-policy-that-sticks/",
    "article (table)": "articles/measuring-it-emissions/",
    "SME (customer, raster avatar)": "authors/sam-whitfield/",
    "report": "report/",
}
"""Other shapes of the page kinds, and the health report (published, not linked)."""
PAGES = {**PAGE_KINDS, **VARIANTS}


class Sites:
    """Each branding's build served on first use, for the whole module."""

    def __init__(self, hubs: Hubs, work: pytest.TempPathFactory, stack: contextlib.ExitStack) -> None:
        self.hubs, self.work, self.stack = hubs, work, stack
        self.urls: dict[str, str] = {}

    def url(self, branding: str) -> str:
        if branding not in self.urls:
            self.urls[branding] = self.stack.enter_context(
                serve(self.hubs[branding].out, self.work.mktemp(f"www-{branding}")))
        return self.urls[branding]


@pytest.fixture(scope="module")
def hubs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Hubs:
    return shared_hubs(request.config, tmp_path_factory)


@pytest.fixture(scope="module")
def sites(hubs: Hubs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    with contextlib.ExitStack() as stack:
        yield Sites(hubs, tmp_path_factory, stack)


@pytest.fixture(scope="module")
def hub_url(sites: Sites) -> str:
    """The sample hub in its own branding, served at /insights/."""
    return sites.url("default")


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def _ready(page: Page, url: str) -> None:
    """Wait for what the audit reads: Pagefind's results on the search page, and the web fonts (the brand's
    font file changes the size of every text box)."""
    if "/search/" in url and "q=" in url:
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
    page.evaluate("document.fonts.ready.then(() => true)")


def _open(browser: Browser, url: str, viewport: dict[str, int]) -> Page:
    page = browser.new_context(viewport=viewport).new_page()  # type: ignore[arg-type]
    page.goto(url)
    _ready(page, url)
    page.wait_for_load_state("networkidle")
    return page


class Tabs:
    """One tab per branding and viewport, reused page after page: a context per page costs as much as the
    audit. Each visit is a fresh navigation, so nothing carries over from the page before."""

    def __init__(self, browser: Browser, sites: Sites) -> None:
        self.browser, self.sites = browser, sites
        self.pages: dict[tuple[str, int, int], Page] = {}

    def open(self, branding: str, viewport: dict[str, int], path: str) -> Page:
        key = (branding, viewport["width"], viewport["height"])
        if key not in self.pages:
            self.pages[key] = self.browser.new_context(viewport=viewport).new_page()  # type: ignore[arg-type]
        page = self.pages[key]
        url = self.sites.url(branding) + path
        page.goto(url)
        _ready(page, url)
        return page

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


@pytest.fixture(scope="module")
def tabs(browser: Browser, sites: Sites) -> Iterator[Tabs]:
    opened = Tabs(browser, sites)
    yield opened
    opened.close()


# ------------------------------------------------------------------------------------------------ axe


def _violations(page: Page, axe: Axe) -> list[str]:
    """Every violation axe finds on the page (every rule axe runs by default), one line per element."""
    response = axe.run(page).response
    return [f"{violation['impact']} {violation['id']}: {node['target']}: {node['html'][:120]}\n"
            f"    {node.get('failureSummary', '')}"
            for violation in response["violations"] for node in violation["nodes"]]


# The brand a page is painted with: a rebranded page audited in the default brand would prove nothing.
BRAND = """() => ({color: getComputedStyle(document.documentElement).getPropertyValue('--brand').trim(),
                  logo: document.querySelector('.site-header img.brand-logo')?.alt ?? null})"""
PAINTED = {"default": {"color": DEFAULT_COLOR, "logo": None}, "rebranded": {"color": BRAND_COLOR, "logo": LOGO_ALT}}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("branding", BRANDINGS)
def test_axe_finds_no_violation(tabs: Tabs, axe: Axe, branding: str, name: str, width: str) -> None:
    page = tabs.open(branding, WIDTHS[width], PAGES[name])
    assert page.evaluate(BRAND) == PAINTED[branding], f"{name} is not in the {branding} branding"
    problems = _violations(page, axe)
    assert not problems, f"{name} (/{PAGES[name]}), {branding} branding, at {width} width:\n" + "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("branding", BRANDINGS)
def test_axe_on_the_search_filters_open_and_ticked(sites: Sites, browser: Browser, axe: Axe, branding: str,
                                                   width: str) -> None:
    """The filter groups (theme, type, depth) shown, every one opened and one value ticked: their headings,
    check boxes and labels are audited along with the results they narrowed."""
    page = _open(browser, sites.url(branding) + "search/?q=cloud", WIDTHS[width])
    try:
        groups = page.locator("summary.pagefind-ui__filter-name")
        assert groups.count() == 3, "the filter groups are not shown"
        for i in range(groups.count()):
            groups.nth(i).click()
        box = page.get_by_role("checkbox", name=re.compile(r"^Case study \(\d+\)$"))
        box.check()
        page.locator(".pagefind-ui__message", has_text=re.compile(r"^\s*1 result for")).wait_for(timeout=10_000)
        assert page.locator("details.pagefind-ui__filter-block[open]").count() == 3
        problems = _violations(page, axe)
        assert not problems, f"search filters, {branding} branding, at {width} width:\n" + "\n".join(problems)
    finally:
        page.context.close()


# What the brand paints, and the colour of each surface at its end that contrasts least with its text: white
# text on the brand's gradients is palest at --brand (they darken to --brand-dark); dark text on the tinted
# surfaces is darkest at --brand-soft (they fade to white or to the page's grey). axe cannot measure text over
# a gradient (it reports it as "incomplete", not as passed), so the surfaces are flattened to that colour first.
BRAND_SURFACES = {".cta-block, .cta": "var(--brand)", ".service-card, .hero, .profile": "var(--brand-soft)"}
FLATTEN = " ".join(f":is({selector}) {{ background: {color} !important; }}" for selector, color in BRAND_SURFACES.items())
# The header's search field draws its magnifier as a background image, in its padding, never under the text.
FLATTEN += " .search-box input { background-image: none !important; }"
MEASURED = ", ".join([*BRAND_SURFACES, ".search-box"])
BRAND_PAGES = ("home", "theme hub", "article", "track", "SME", "service", "services index")


@pytest.mark.parametrize("branding", BRANDINGS)
def test_text_on_brand_colored_surfaces_has_aa_contrast(tabs: Tabs, axe: Axe, branding: str) -> None:
    problems = []
    for width, viewport in WIDTHS.items():
        for name in BRAND_PAGES:
            page = tabs.open(branding, viewport, PAGE_KINDS[name])
            page.add_style_tag(content=FLATTEN)
            assert page.locator(MEASURED).count(), name
            result = axe.run(page, options={"runOnly": ["color-contrast"],
                                            "resultTypes": ["violations", "incomplete"]}).response
            where = f"{name} (/{PAGE_KINDS[name]}) at {width} width"
            problems += [f"{where}: {node['html'][:100]}: {node['failureSummary']}"
                         for violation in result["violations"] for node in violation["nodes"]]
            for node in (n for v in result["incomplete"] for n in v["nodes"]):
                if page.evaluate("([t, s]) => !!document.querySelector(t)?.closest(s)", [node["target"][0], MEASURED]):
                    problems.append(f"{where}: axe could not measure {node['html'][:100]}")
    assert not problems, f"{branding} branding:\n" + "\n".join(problems)


@pytest.mark.parametrize("branding", BRANDINGS)
def test_every_page_kind_reflows_at_320_px(tabs: Tabs, branding: str) -> None:
    """WCAG 1.4.10: at 320 CSS pixels nothing needs scrolling sideways (tables and code wrap, the logo fits)."""
    problems = []
    for name, path in PAGES.items():
        page = tabs.open(branding, {"width": 320, "height": 640}, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            problems.append(f"{name} (/{path}) is {width} px wide")
    assert not problems, f"{branding} branding:\n" + "\n".join(problems)


# ------------------------------------------------------------------------------------------ keyboard

# The content of a closed <details> (Pagefind's filter groups) keeps its boxes in Chromium but is not
# reached by Tab until opened: only its <summary> counts.
FOCUSABLE = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
  .filter(e => !e.disabled && e.tabIndex >= 0 && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .filter(e => !e.closest('details:not([open]) > :not(summary)'))
  .map((e, i) => { e.dataset.focusOrder = i; return i; }).length"""

# Remember each element's unfocused outline and shadow, then report how the focused one (or the box that
# wraps it: a card, a tile) looks different.
BASELINE = """() => { window.__rest = new Map(); for (const e of document.querySelectorAll('*')) {
    const s = getComputedStyle(e); window.__rest.set(e, s.outlineStyle + s.outlineWidth + s.outlineColor + s.boxShadow); } }"""
FOCUSED = """() => {
  const e = document.activeElement;
  const ring = x => { const s = getComputedStyle(x);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && !/rgba\\(.*, 0\\)$/.test(s.outlineColor);
    const changed = window.__rest.get(x) !== s.outlineStyle + s.outlineWidth + s.outlineColor + s.boxShadow;
    return changed && (outline || s.boxShadow !== 'none'); };
  const chain = [e, e.parentElement, e.closest('.card, .tile, .path-step')].filter(Boolean);
  return {order: e.dataset.focusOrder === undefined ? null : Number(e.dataset.focusOrder),
          html: e.outerHTML.slice(0, 100), visible: chain.some(ring)};
}"""

KEYBOARD_PAGES = ("", "themes/cloud-economics/", "articles/commitment-discounts-portfolio/", "authors/maya-okafor/",
                  "services/cloud-cost-optimisation/", "tracks/cloud-costs-in-five-steps/", "tags/", "404.html",
                  "report/", "search/?q=cloud")


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_reaches_every_link_in_order_with_a_visible_focus(hub_url: str, browser: Browser, width: str) -> None:
    for path in KEYBOARD_PAGES:
        page = _open(browser, hub_url + path, WIDTHS[width])
        try:
            count = page.evaluate(FOCUSABLE)
            assert count > 10, path
            page.evaluate(BASELINE)
            seen = []
            for _ in range(count):
                page.keyboard.press("Tab")
                focused = page.evaluate(FOCUSED)
                assert focused["order"] is not None, f"/{path}: Tab went to an element not counted: {focused['html']}"
                assert focused["visible"], f"/{path} at {width} width: no visible focus on {focused['html']}"
                seen.append(focused["order"])
            assert seen == list(range(count)), f"/{path}: Tab order is not the document order: {seen}"
            page.keyboard.press("Tab")  # past the last link: out of the page, or back to the address bar
            assert page.evaluate("document.activeElement.dataset.focusOrder") in (None, "0")
        finally:
            page.context.close()


def test_the_skip_link_is_first_and_moves_focus_to_the_content(hub_url: str, page: Page) -> None:
    page.goto(hub_url + "themes/cloud-economics/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    box = skip.bounding_box()
    assert box and box["y"] >= 0, "the skip link shows when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


# ------------------------------------------------------------------------------------ colour contrast


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _hub(hub_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(hub_url + "hub.json") as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def _painted(hub_url: str, theme: dict[str, Any]) -> str:
    """The colour a theme's hub is painted in (the theme's `color`, darkened by the theme if needed)."""
    with urllib.request.urlopen(theme["url"].replace("https://example.com/insights/", hub_url)) as response:
        html = response.read().decode("utf-8")
    match = re.search(r'<section class="theme-hero" style="--theme-color: (#[0-9a-fA-F]{6})', html)
    assert match, theme["slug"]
    return match.group(1)


def test_white_text_reaches_aa_on_every_theme_color(hub_url: str) -> None:
    themes = [t for t in _hub(hub_url)["themes"] if t["color"]]
    assert len(themes) >= 5
    for theme in themes:
        color = _painted(hub_url, theme)
        ratio = 1.05 / (_luminance(color) + 0.05)
        assert ratio >= 4.5, f"{theme['slug']}: white on {color} (from {theme['color']}) is {ratio:.2f}:1"


def test_text_on_theme_colored_surfaces_has_aa_contrast(hub_url: str, browser: Browser, axe: Axe) -> None:
    """axe's colour-contrast rule on every page painted in a theme's colour, at both widths. Gradients over
    theme colours only ever darken them (a rule of the stylesheet), so they are removed for the measurement:
    axe then measures white text on the plain colour, the lightest that background gets, instead of giving
    up on a gradient. Every text on a theme colour must be measured, not skipped."""
    hub = _hub(hub_url)
    colors = {_painted(hub_url, t).lower() for t in hub["themes"] if t["color"]}
    paths = ["", "themes/", "tracks/", "404.html"]
    for theme in hub["themes"]:
        paths.append(theme["url"].split("/insights/", 1)[1])
        paths += [c["url"].split("/insights/", 1)[1] for c in hub["content"] if c["themes"][0] == theme["slug"]][:1]
    paths += [t["url"].split("/insights/", 1)[1] for t in hub.get("tracks", [])]
    paths += [a["url"].split("/insights/", 1)[1] for a in hub["authors"]][:2]
    problems = []
    painted: set[str] = set()
    for width in WIDTHS.values():
        page = _open(browser, hub_url, width)
        try:
            for path in paths:
                page.goto(hub_url + path)
                # The dashed line joining the steps of a path is decorative and runs beside the text, never
                # under it; axe cannot tell, so it goes for the measurement too.
                page.add_style_tag(content="[style*='--theme-color'], [style*='--theme-color'] * "
                                           "{ background-image: none !important; } "
                                           ".path-step::after { content: none !important; }")
                painted |= set(page.eval_on_selector_all(
                    "[style*='--theme-color']", "els => els.map(e => e.style.getPropertyValue('--theme-color').trim())"))
                result = axe.run(page, options={"runOnly": ["color-contrast"],
                                                "resultTypes": ["violations", "incomplete"]}).response
                for node in (n for v in result["violations"] for n in v["nodes"]):
                    problems.append(f"/{path} at {width['width']}: {node['html'][:100]}: {node['failureSummary']}")
                for node in (n for v in result["incomplete"] for n in v["nodes"]):
                    target = node["target"][0]
                    on_theme = page.evaluate("t => !!document.querySelector(t)?.closest(\"[style*='--theme-color']\")",
                                             target)
                    if on_theme:
                        problems.append(f"/{path}: axe could not measure {node['html'][:100]}")
        finally:
            page.context.close()
    assert not problems, "\n".join(problems)
    assert colors <= {c.lower() for c in painted}, "a theme colour was not checked"
