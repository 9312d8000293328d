"""Accessibility of the default theme, audited in Chromium on every page kind of the sample hub.

- axe-core (the copy bundled in the `axe-playwright-python` package) at a phone and a desktop width:
  no serious or critical violation anywhere, and none at all in the theme's own markup (article bodies
  and Pagefind's search widget are content and a third-party component; only their serious ones count).
- Keyboard: Tab reaches every link and control of a page, in document order, and each shows a focus ring.
- Colour contrast for every campaign-theme `color` of the sample, on every surface painted with it.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from tests.helpers import copy_sample

pytestmark = pytest.mark.browser

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PAGES = {
    "home": "",
    "themes index": "themes/",
    "theme hub": "themes/cloud-economics/",
    "sub-theme hub": "themes/finops/",
    "article (track start, picture)": "articles/why-cloud-bills-surprise-finance/",
    "article (track end, CTA)": "articles/commitment-discounts-portfolio/",
    "article (raster picture)": "articles/retailer-cloud-reset-case-study/",
    "article (customer voice)": "articles/what-we-would-do-differently/",
    "article (code, tables)": "articles/cloud-unit-cost-model/",
    "article (code)": "articles/tagging-policy-that-sticks/",
    "article (table)": "articles/measuring-it-emissions/",
    "tracks index": "tracks/",
    "track": "tracks/cloud-costs-in-five-steps/",
    "authors": "authors/",
    "author": "authors/maya-okafor/",
    "author (customer, raster avatar)": "authors/sam-whitfield/",
    "services": "services/",
    "service": "services/cloud-cost-optimisation/",
    "tags": "tags/",
    "tag": "tags/finops/",
    "search (results)": "search/?q=cloud",
    "404": "404.html",
    "about page": "about/",
    "report": "report/",
}
SERIOUS = ("serious", "critical")
THIRD_PARTY = ".prose, #search"
"""Markup the theme does not write: markdown bodies and Pagefind's UI."""


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def hub_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample hub built once for this module (search index included), served at /insights/."""
    work = tmp_path_factory.mktemp("a11y")
    site = copy_sample(work / "hub")
    subprocess.run([sys.executable, "-m", "themehub", "build", "--site", str(site)], check=True, capture_output=True)
    (work / "www").mkdir()
    (work / "www" / "insights").symlink_to(site / "site")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(work / "www")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/insights/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def _open(browser: Browser, url: str, viewport: dict[str, int]) -> Page:
    page = browser.new_context(viewport=viewport).new_page()  # type: ignore[arg-type]
    page.goto(url)
    if "/search/" in url:
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
    page.wait_for_load_state("networkidle")
    return page


# ------------------------------------------------------------------------------------------------ axe


def _axe_problems(page: Page, axe: Axe) -> list[str]:
    """Serious and critical violations anywhere, and any violation in the theme's own markup."""
    problems = []
    for violation in axe.run(page).response["violations"]:
        for node in violation["nodes"]:
            target = node["target"][0] if isinstance(node["target"][0], str) else node["target"][0][0]
            ours = page.evaluate("([t, s]) => { const e = document.querySelector(t); return !e || !e.closest(s); }",
                                 [target, THIRD_PARTY])
            if violation["impact"] in SERIOUS or ours:
                problems.append(f"{violation['impact']} {violation['id']}: {target}: {node['html'][:120]}\n"
                                f"    {node.get('failureSummary', '')}")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_violation(hub_url: str, browser: Browser, axe: Axe, name: str, width: str) -> None:
    page = _open(browser, hub_url + PAGES[name], WIDTHS[width])
    try:
        problems = _axe_problems(page, axe)
        assert not problems, f"{name} at {width} width:\n" + "\n".join(problems)
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_on_the_search_filters_open_and_ticked(hub_url: str, browser: Browser, axe: Axe, width: str) -> None:
    """The filter groups (theme, type, depth) shown, every one opened and one value ticked: their headings,
    check boxes and labels are audited along with the results they narrowed."""
    page = _open(browser, hub_url + "search/?q=cloud", WIDTHS[width])
    try:
        groups = page.locator("summary.pagefind-ui__filter-name")
        assert groups.count() == 3, "the filter groups are not shown"
        for i in range(groups.count()):
            groups.nth(i).click()
        box = page.get_by_role("checkbox", name=re.compile(r"^Case study \(\d+\)$"))
        box.check()
        page.locator(".pagefind-ui__message", has_text=re.compile(r"^\s*1 result for")).wait_for(timeout=10_000)
        assert page.locator("details.pagefind-ui__filter-block[open]").count() == 3
        problems = _axe_problems(page, axe)
        assert not problems, f"search filters at {width} width:\n" + "\n".join(problems)
    finally:
        page.context.close()


def test_every_page_kind_reflows_at_320_px(hub_url: str, browser: Browser) -> None:
    """WCAG 1.4.10: at 320 CSS pixels nothing needs scrolling sideways (tables and code wrap)."""
    problems = []
    for name, path in PAGES.items():
        page = _open(browser, hub_url + path, {"width": 320, "height": 640})
        try:
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                problems.append(f"{name} (/{path}) is {width} px wide")
        finally:
            page.context.close()
    assert not problems, "\n".join(problems)


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
