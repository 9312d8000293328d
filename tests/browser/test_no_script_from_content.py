"""No script from content runs on the published site, proved in Chromium.

One hub holds a hostile payload in every field of every kind (the XSS corpus of the hardening suite)
and the hostile SVG corpus twice: under static/ and next to an article, referenced from its body.
It is built as a user builds it (`themehub build`, search included) and served by a plain static
server. Chromium then opens every published SVG file and the pages that show content, clicks them,
and watches for any script the document runs (tests/browser/inert.py). The theme's own scripts
(assets/ and pagefind/) are the only ones allowed to run.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page
from tests.browser.inert import scripts_that_ran
from tests.hardening.conftest import make_mini_hub
from tests.hardening.test_xss import xss_files
from tests.helpers import build_and_serve

pytestmark = pytest.mark.browser

HOSTILE_SVG = Path(__file__).resolve().parents[1] / "fixtures" / "hostile_svg"


def _publishable_svgs() -> list[str]:
    """The corpus's SVGs the sanitizer publishes (the refused ones stop a build, with bad-image)."""
    cases = json.loads((HOSTILE_SVG / "cases.json").read_text())
    return sorted(name for name, case in cases.items() if not case.get("problem") and not case.get("refused"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = make_mini_hub(tmp_path_factory.mktemp("hostile") / "hub", xss_files())
    names = _publishable_svgs()
    assert len(names) >= 40
    (root / "static" / "hostile").mkdir(parents=True)
    folder = root / "content" / "articles" / "svg-gallery"
    folder.mkdir(parents=True)
    for name in names:
        shutil.copy(HOSTILE_SVG / name, root / "static" / "hostile" / name)
        shutil.copy(HOSTILE_SVG / name, folder / name)
    gallery = "\n\n".join(f"![{name}]({name})" for name in names)
    (folder / "svg-gallery.md").write_text(
        "---\ntitle: Gallery\ndate: 2026-01-05\nauthors: [ana-quinn]\nthemes: [cloud]\n---\n\n" + gallery + "\n")
    with build_and_serve(root) as base:
        yield base, root / "site"


def _theirs(evidence: list[str], base: str) -> list[str]:
    """Evidence of script from content: everything but the theme's own script files."""
    own = (f"script compiled from {base}assets/", f"script compiled from {base}pagefind/")
    return [line for line in evidence if not line.startswith(own)]


def test_no_published_svg_runs_script(hostile: tuple[str, Path], page: Page) -> None:
    base, site = hostile
    svgs = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.svg"))
    assert len([s for s in svgs if s.startswith("hostile/")]) == len(_publishable_svgs())
    assert len([s for s in svgs if s.startswith("images/_generated/")]) >= 30  # the gallery's (some are equal)
    ran = {rel: found for rel in svgs if (found := scripts_that_ran(page, base + rel, wait_ms=150))}
    assert ran == {}


def test_no_page_showing_hostile_content_runs_script(hostile: tuple[str, Path], page: Page) -> None:
    base, site = hostile
    pages = ["", "themes/", "authors/", "services/", "tags/", "tracks/", "search/?q=alert",
             "articles/svg-gallery/"]
    pages += sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("articles/xss-*/index.html"))
    pages += ["themes/xss-theme-1/", "authors/xss-author-1/", "services/xss-service-1/", "tracks/xss-track-1/"]
    assert len(pages) > 40
    ran = {url: found for url in pages if (found := _theirs(scripts_that_ran(page, base + url, wait_ms=100), base))}
    assert ran == {}
