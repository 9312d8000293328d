"""Search under `themehub serve`, in Chromium: the index is made in the background, the search page says so
until it is there and then searches without a reload; results look like the site (16 px text, type and
depth badges, filter groups open on a wide screen and folded on a phone).

The server runs in a subprocess whose Pagefind waits for a gate file: the "being built" state lasts exactly
until the test opens the gate, so it is seen whatever the speed of the machine.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.helpers import REPO, copy_sample

pytestmark = pytest.mark.browser

GATED_SERVE = """
import sys, time
from pathlib import Path
from themehub.render.search import write_search_index
from themehub.serve.server import serve

gate = Path(sys.argv[3])

def after_the_gate(folder, language, **kwargs):
    while not gate.exists():
        time.sleep(0.05)
    write_search_index(folder, language, **kwargs)

sys.exit(serve(Path(sys.argv[1]), port=int(sys.argv[2]), search_indexer=after_the_gate))
"""
RESULT = ".pagefind-ui__result-inner > .pagefind-ui__result-title .pagefind-ui__result-link"
BUILDING = "The search index is being built…"


@dataclass
class GatedServe:
    site: Path
    gate: Path
    base: str
    proc: subprocess.Popen[str]

    def open_gate(self) -> None:
        self.gate.write_text("go")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def gated(tmp_path: Path) -> Iterator[GatedServe]:
    site = copy_sample(tmp_path / "hub")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", GATED_SERVE, str(site), str(port), str(tmp_path / "gate")],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError as exc:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(proc.communicate()[0]) from exc
            time.sleep(0.1)
    served = GatedServe(site, tmp_path / "gate", f"http://127.0.0.1:{port}/insights/", proc)
    try:
        yield served
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0]
        assert "Traceback" not in output, output


def _status(page: Page, served: GatedServe) -> str:
    response = page.request.get(served.base + "__themehub/search-status")
    assert response.ok
    return str(response.json()["state"])


def test_search_says_the_index_is_being_built_then_finds_without_a_reload(gated: GatedServe, page: Page) -> None:
    page.goto(gated.base + "search/?q=laddering")
    expect(page.locator("#search-status")).to_have_text(BUILDING, timeout=10_000)
    assert _status(page, gated) == "building"
    assert page.request.get(gated.base + "pagefind/pagefind.js").status == 404
    page.evaluate("window.__sameDocument = true")

    gated.open_gate()
    result = page.locator(RESULT).first
    expect(result).to_contain_text("Commitment Discounts", timeout=20_000)  # the ?q= query, run once ready
    expect(page.locator("#search-status")).to_have_text("")
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"
    assert _status(page, gated) == "ready"

    box = page.locator(".pagefind-ui__search-input")
    box.fill("lineage")
    expect(page).to_have_url(re.compile(r"/search/\?q=lineage$"))
    expect(page.locator(".pagefind-ui__message")).to_contain_text("lineage", timeout=10_000)
    expect(page.locator(RESULT).first).to_be_visible()
    assert not (gated.site / "site").exists(), "serve wrote the output folder"


def test_the_header_search_box_leads_to_results_in_serve(gated: GatedServe, page: Page) -> None:
    gated.open_gate()
    page.goto(gated.base)
    page.locator("#site-search").fill("laddering")
    page.locator("#site-search").press("Enter")
    expect(page.locator(RESULT).first).to_contain_text("Commitment Discounts", timeout=20_000)


def _search(browser: Browser, served: GatedServe, width: int, query: str) -> Page:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(served.base + "search/?q=" + query)
    expect(page.locator(RESULT).first).to_be_visible(timeout=20_000)
    return page


def test_results_show_type_and_depth_badges_in_readable_text(gated: GatedServe, browser: Browser) -> None:
    gated.open_gate()
    page = _search(browser, gated, 1280, "laddering")
    try:
        first = page.locator(".pagefind-ui__result").first
        expect(first.locator(RESULT)).to_contain_text("Commitment Discounts")
        # The white paper's type and depth, as the site's badges (the depth in its level's colours).
        expect(first.locator(".pagefind-ui__result-tag.badge.type")).to_have_text(re.compile(r"^Type:\s*White paper\s*$"))
        depth = first.locator(".pagefind-ui__result-tag.badge.depth.depth-deepest")
        expect(depth).to_have_text(re.compile(r"^Depth:\s*Deep dives\s*$"))
        shown = depth.evaluate("""e => [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('').trim()""")
        assert shown == "Deep dives", "the badge shows its value; its name is for screen readers only"
        label = first.locator(".pagefind-ui__result-tag.badge.type .visually-hidden")
        assert label.evaluate("e => e.getBoundingClientRect().width") <= 1
        style = first.locator(".pagefind-ui__result-excerpt").first.evaluate(
            "e => { const s = getComputedStyle(e); return [parseFloat(s.fontSize), s.fontFamily]; }")
        assert style[0] >= 16, f"result text is {style[0]} px"
        assert style[1] == page.evaluate("getComputedStyle(document.body).fontFamily"), "not the site's font"
        excerpt = first.locator(".pagefind-ui__result-excerpt").first.inner_text()
        assert not re.match(r"(?i)(here|deeper|dives|white paper)\b", excerpt), excerpt
        # Every result has a type badge; theme hubs, experts and services too.
        page.locator(".pagefind-ui__search-input").fill("cloud")
        expect(page.locator(".pagefind-ui__message")).to_contain_text("cloud", timeout=10_000)
        results = page.locator(".pagefind-ui__result")
        expect(results.first.locator(".badge.type")).to_be_visible(timeout=10_000)
        for i in range(results.count()):
            expect(results.nth(i).locator(".badge.type")).to_have_count(1)
    finally:
        page.context.close()


@pytest.mark.parametrize(("width", "open_groups"), [(1280, 3), (390, 0)])
def test_filter_groups_are_open_on_a_wide_screen_only(gated: GatedServe, browser: Browser, width: int,
                                                      open_groups: int) -> None:
    gated.open_gate()
    page = _search(browser, gated, width, "cloud")
    try:
        groups = page.locator("details.pagefind-ui__filter-block")
        expect(groups).to_have_count(3, timeout=10_000)
        expect(page.locator("details.pagefind-ui__filter-block[open]")).to_have_count(open_groups)
        if open_groups:  # a sidebar: it stays open when its heading is clicked
            page.locator("summary.pagefind-ui__filter-name", has_text="Theme").click()
            expect(page.locator("details.pagefind-ui__filter-block[open]")).to_have_count(3)
        else:  # folded away, and opened by a tap
            page.locator("summary.pagefind-ui__filter-name", has_text="Depth").click()
            expect(page.get_by_role("checkbox", name=re.compile(r"^Start here \(\d+\)$"))).to_be_visible()
    finally:
        page.context.close()


def test_the_favicon_is_answered_at_the_host_root(gated: GatedServe, page: Page) -> None:
    """Browsers ask /favicon.ico whatever the base path: the answer is the site's own favicon.ico, when the
    build has one (a generated one, or static/favicon.ico), else 404 (tests/integration/test_search_serve_routes.py
    covers both cases in-process)."""
    at_base = page.request.get(gated.base + "favicon.ico")
    at_root = page.request.get(gated.base.removesuffix("insights/") + "favicon.ico")
    if at_base.status == 200:
        assert at_root.status == 200 and at_root.body() == at_base.body()
        assert at_root.headers["content-type"].startswith("image/")
    else:
        assert at_root.status == 404
