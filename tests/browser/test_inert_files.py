"""Published files opened directly in Chromium run no script.

- every hostile SVG of tests/fixtures/hostile_svg/, after sanitize_svg, opened (and clicked) runs nothing;
- the originals that cases.json marks `runs_unsanitized` do run script in this Chromium: the check can fail;
- ordinary SVGs (the sample hub's images and the benign fixtures) look pixel for pixel the same after sanitizing;
- find_active_content agrees with Chromium on HTML and XML files: it finds something exactly when script runs.

Nothing is built: the files are served by a plain static HTTP server, as a static host would serve them.
"""

from __future__ import annotations

import http.server
import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from playwright.sync_api import Page
from tests.browser.inert import assert_no_script_runs, scripts_that_ran
from tests.helpers import QuietHandler, static_server

from themehub.sanitize.active import find_active_content
from themehub.sanitize.svg import sanitize_svg

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "fixtures" / "hostile_svg"
CASES: dict[str, dict[str, object]] = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
SVG = "http://www.w3.org/2000/svg"
# Made here rather than kept as files: the bytes are UTF-16.
GENERATED = {
    "utf16-script.svg": f'<svg xmlns="{SVG}" width="200" height="200" onload="alert(1)"><rect width="200" height="200"/>'
                        "<script>document.title = 'pwned'</script></svg>".encode("utf-16"),
}
HOSTILE = {name: (CORPUS / name).read_bytes() for name in CASES} | GENERATED
PUBLISHED = sorted(name for name in HOSTILE if "problem" not in CASES.get(name, {}))
RUNS = sorted(name for name in HOSTILE if CASES.get(name, {}).get("runs_unsanitized", True))
BENIGN = {f"benign/{p.name}": p for p in sorted((CORPUS / "benign").glob("*.svg"))} | {
    f"sample/{p.name}": p for p in sorted((REPO / "static" / "images").glob("*.svg"))}

# (file name, content, whether script runs when opened): find_active_content must agree with Chromium.
PAGES = [
    ("script.html", "<!doctype html><p>hi</p><script>alert(1)</script>", True),
    ("onerror.htm", '<!doctype html><img src="missing.png" onerror="alert(1)">', True),
    ("link.html", '<!doctype html><a href="javascript:alert(1)" style="display:block;height:100vh">x</a>', True),
    ("page.xhtml", '<html xmlns="http://www.w3.org/1999/xhtml"><body><script>alert(1)</script></body></html>', True),
    ("prefixed.xhtml", '<h:html xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert(1)</h:script></h:html>', True),
    ("entity.xht", '<!DOCTYPE html [<!ENTITY x "&#60;script>alert(1)&#60;/script>">]>'
                   '<html xmlns="http://www.w3.org/1999/xhtml"><body>&x;</body></html>', True),
    ("feed.xml", '<feed><div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></div></feed>', True),
    ("chart.xml", f'<data><svg xmlns="{SVG}" onload="alert(1)"/></data>', True),
    ("broken.xml", '<doc><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script><oops></doc>', True),
    ("google1234567890abcdef.html", "google-site-verification: google1234567890abcdef.html", False),
    ("plain.html", '<!doctype html><title>t</title><link rel="stylesheet" href="s.css"><a href="/x">x</a>'
                   '<img src="a.png" alt=""><style>p { color: red }</style>', False),
    ("sitemap.xml", '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.com/</loc>'
                    "</url></urlset>", False),
]


class TypedHandler(QuietHandler):
    # The types a static host sends, whatever this machine's /etc/mime.types says.
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".svg": "image/svg+xml", ".xhtml": "application/xhtml+xml", ".xht": "application/xhtml+xml",
        ".xml": "application/xml"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """original/ and sanitized/ copies of every SVG, and the HTML and XML pages, on a static server."""
    root = tmp_path_factory.mktemp("inert")
    files = {f"original/{name}": data for name, data in HOSTILE.items()}
    files |= {f"sanitized/{name}": sanitize_svg(data).data for name, data in HOSTILE.items()}
    files |= {f"original/{name}": path.read_bytes() for name, path in BENIGN.items()}
    files |= {f"sanitized/{name}": sanitize_svg(path.read_bytes()).data for name, path in BENIGN.items()}
    files |= {f"pages/{name}": text.encode() for name, text, _ in PAGES}
    for rel, data in files.items():
        if data:  # a refused SVG is not published
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
    with static_server(root, TypedHandler) as url:
        yield url


@pytest.mark.parametrize("name", PUBLISHED)
def test_sanitized_svg_runs_no_script(served: str, page: Page, name: str) -> None:
    assert_no_script_runs(page, f"{served}sanitized/{name}")


@pytest.mark.parametrize("name", RUNS)
def test_unsanitized_svg_runs_script(served: str, page: Page, name: str) -> None:
    assert scripts_that_ran(page, f"{served}original/{name}"), f"{name} was expected to run script in Chromium"


def _still_screenshot(page: Page, url: str) -> bytes:
    page.goto(url, wait_until="load")
    page.evaluate("() => { const r = document.documentElement; if (r.pauseAnimations) { r.pauseAnimations(); "
                  "r.setCurrentTime(0); } }")
    return page.screenshot(animations="disabled")


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_sanitized_benign_svg_looks_the_same(served: str, page: Page, name: str) -> None:
    assert _still_screenshot(page, f"{served}sanitized/{name}") == _still_screenshot(page, f"{served}original/{name}")


@pytest.mark.parametrize(("name", "text", "runs"), PAGES, ids=[name for name, _, _ in PAGES])
def test_active_content_agrees_with_chromium(served: str, page: Page, name: str, text: str, runs: bool) -> None:
    findings = find_active_content(text.encode(), Path(name).suffix)
    evidence = scripts_that_ran(page, f"{served}pages/{name}")
    assert bool(evidence) == runs, evidence
    assert bool(findings) == runs, findings
