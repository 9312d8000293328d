"""Screenshots of the sample hub for docs/screenshots/: every main page kind at 390 px and 1280 px wide.

    python scripts/screenshots.py            # build the sample into a temporary folder, serve it, shoot
    python scripts/screenshots.py --out DIR  # write the PNGs somewhere else

It builds with `themehub build` (search index included), serves the output under base_url's path
(/insights/) with a plain static file server, and drives Debian's chromium through playwright.
Pages are shot full length and saved as 256-colour PNGs; a shot still over 1.5 MB is retaken at
viewport height to keep the repository small.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
WIDTHS = {390: 844, 1280: 900}
MAX_BYTES = 1_500_000


def _search(page: Page) -> None:
    box = page.locator(".pagefind-ui__search-input")
    box.wait_for(timeout=10_000)
    box.fill("cloud cost")
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
    page.wait_for_timeout(600)  # result excerpts load one by one


# name -> (path below base_url, what to do once loaded)
PAGES: dict[str, tuple[str, Callable[[Page], None] | None]] = {
    "home": ("", None),
    "theme-hub": ("themes/cloud-economics/", None),
    "article": ("articles/why-cloud-bills-surprise-finance/", None),
    "sme": ("authors/maya-okafor/", None),
    "service": ("services/cloud-cost-optimisation/", None),
    "search": ("search/", _search),
    "404": ("does-not-exist/", None),
    "track": ("tracks/cloud-costs-in-five-steps/", None),
}


def _save(png: bytes, target: Path) -> None:
    """Write a screenshot as a 256-colour PNG: a quarter of the bytes, no visible difference for a web page."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as shot:
        shot.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
            target, optimize=True)


def _load_lazy_images(page: Page) -> None:
    """Scroll down the page so that images with loading="lazy" load before a full-page shot."""
    height = page.evaluate("document.documentElement.scrollHeight")
    step = page.viewport_size["height"] if page.viewport_size else 800
    for y in range(0, height, step):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_load_state("networkidle")
    page.evaluate("Promise.all([...document.images].map(i => i.complete ? 0 : i.decode().catch(() => 0)))")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, with /404.html for a missing page (as a static host does)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "insights" / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def build_sample(work: Path) -> Path:
    site = work / "hub"
    site.mkdir()
    shutil.copy2(REPO / "themehub.yaml", site / "themehub.yaml")
    for folder in ("content", "static"):
        shutil.copytree(REPO / folder, site / folder)
    subprocess.run([sys.executable, "-m", "themehub", "build", "--site", str(site)], check=True)
    root = work / "www"
    root.mkdir()
    (root / "insights").symlink_to(site / "site")
    return root


def shoot(root: Path, out: Path) -> list[Path]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/insights/"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
                page = context.new_page()
                for name, (path, action) in PAGES.items():
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    if action is not None:
                        action(page)
                    _load_lazy_images(page)
                    target = out / f"{name}-{width}.png"
                    _save(page.screenshot(full_page=True), target)
                    if target.stat().st_size > MAX_BYTES:
                        page.evaluate("window.scrollTo(0, 0)")
                        _save(page.screenshot(full_page=False), target)
                    written.append(target)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--built", type=Path, help="shoot this already built output folder instead of building")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="themehub-shots-") as work:
        if args.built:
            root = Path(work) / "www"
            root.mkdir()
            (root / "insights").symlink_to(args.built.resolve())
        else:
            root = build_sample(Path(work))
        for path in shoot(root, args.out):
            print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
