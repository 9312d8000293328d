"""Screenshots of the sample hub for docs/screenshots/: every page kind at 390 px and 1280 px wide.

    python scripts/screenshots.py                 # the sample hub -> docs/screenshots/
    python scripts/screenshots.py --rebrand       # rebranded through themehub.yaml -> docs/screenshots/rebranded/
    python scripts/screenshots.py --out DIR       # write the PNGs somewhere else
    python scripts/screenshots.py --built SITE    # shoot an output folder built already (a listing kind
                                                  # it does not have is skipped)
    python scripts/screenshots.py --weights       # no screenshots: print the CSS, JS and font bytes each
                                                  # page kind makes a reader download, as a markdown table

It builds with `themehub build` (search index included) into a temporary folder, serves the output under
base_url's path (/insights/) with a plain static file server, and drives Debian's chromium through
playwright. The sample as it ships has no theme depth listing (`/themes/<slug>/<depth>/`) and no service
listing (`/services/<slug>/all/`): those two kinds are shot from a second build with a few more pieces
(tests/rebrand.py's `add_listing_pieces`), every other kind from the sample itself. `--rebrand` applies
tests/rebrand.py's `rebrand` to both builds: the rebranding the brand, accessibility and validity tests use.

Pages are shot full length and saved as 256-colour PNGs; a shot still over 1.5 MB is retaken at
viewport height to keep the repository small.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, Response, sync_playwright

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


@dataclass(frozen=True)
class Shot:
    path: str
    """Below base_url."""
    action: Callable[[Page], None] | None = None
    """What to do once the page has loaded."""
    listings: bool = False
    """Shot from the build with the listing pieces: the sample alone has no page of this kind."""


# file name -> page; the first eight are the names the screenshots made before the presentation rework use.
SHOTS: dict[str, Shot] = {
    "home": Shot(""),
    "theme-hub": Shot("themes/cloud-economics/"),
    "article": Shot("articles/why-cloud-bills-surprise-finance/"),
    "sme": Shot("authors/maya-okafor/"),
    "service": Shot("services/cloud-cost-optimisation/"),
    "search": Shot("search/", _search),
    "404": Shot("does-not-exist/"),
    "track": Shot("tracks/cloud-costs-in-five-steps/"),
    "themes": Shot("themes/"),
    "theme-depth": Shot("themes/data-trust/deeper/", listings=True),
    "tracks": Shot("tracks/"),
    "smes": Shot("authors/"),
    "services": Shot("services/"),
    "service-listing": Shot("services/data-governance/all/", listings=True),
    "tag": Shot("tags/finops/"),
    "tags": Shot("tags/"),
    "page": Shot("about/"),
    "event": Shot("events/cloud-costs-live-2027/"),
    "events": Shot("events/"),
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
    page.evaluate("document.fonts.ready.then(() => 0)")  # the brand's font file, when it has one


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


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # Chromium drops requests it no longer needs when the next page loads: not worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def build_sample(work: Path, *, rebranded: bool, listings: bool) -> Path:
    """Build a copy of the sample hub in `work`; returns the folder to serve (it holds insights/ -> the site)."""
    # The rebranding and the listing pieces are the tests' own (tests/rebrand.py), so the screenshots show
    # exactly what the accessibility and validity tests audit.
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from tests.helpers import copy_sample
    from tests.rebrand import add_listing_pieces, rebrand

    site = copy_sample(work / "hub")
    if listings:
        add_listing_pieces(site)
    if rebranded:
        rebrand(site)
    subprocess.run([sys.executable, "-m", "themehub", "build", "--site", str(site)], check=True)
    return _root_for(site / "site", work)


def _root_for(out: Path, work: Path) -> Path:
    root = work / "www"
    root.mkdir()
    (root / "insights").symlink_to(out.resolve())
    return root


def _serve(roots: dict[bool, Path]) -> dict[bool, _Server]:
    servers = {}
    for listings, root in roots.items():
        server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers[listings] = server
    return servers


def _url(server: _Server, shot: Shot) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/insights/{shot.path}"


def shoot(roots: dict[bool, Path], out: Path) -> list[Path]:
    """Shoot every kind from roots[shot.listings] (a kind whose build is missing, or lacks the page, is skipped)."""
    servers = _serve(roots)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
                page = context.new_page()
                for name, shot in SHOTS.items():
                    server = servers.get(shot.listings)
                    if server is None:
                        continue
                    response = page.goto(_url(server, shot))
                    if name != "404" and (response is None or response.status != 200):
                        print(f"skipped {name}: /{shot.path} is not in this build", file=sys.stderr)
                        continue
                    page.wait_for_load_state("networkidle")
                    if shot.action is not None:
                        shot.action(page)
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
        for server in servers.values():
            server.shutdown()
            server.server_close()
    return written


# What a reader downloads besides the HTML and the pictures, by who ships it.
PARTS = ("style.css + brand.css", "search.css + search.js", "Pagefind UI", "Pagefind engine + index", "fonts")
PRECOMPRESSED = (".pagefind", ".pf_index", ".pf_filter", ".pf_fragment", ".pf_meta")
"""Pagefind writes these gzip-compressed already: a server sends them as they are."""


def _part(response: Response) -> str | None:
    path = response.url.split("?", 1)[0]
    name = path.rsplit("/", 1)[-1]
    if "/insights/pagefind/" in path:
        # Its UI, then its runtime (script, worker, WebAssembly) and the parts of the index a search reads.
        return "Pagefind UI" if name.startswith("pagefind-ui.") else "Pagefind engine + index"
    if name in ("style.css", "brand.css"):
        return "style.css + brand.css"
    if name in ("search.css", "search.js"):
        return "search.css + search.js"
    if response.request.resource_type == "font":
        return "fonts"
    if response.request.resource_type in ("stylesheet", "script"):
        raise AssertionError(f"a stylesheet or script nobody accounts for: {response.url}")
    return None


def _recorder(seen: dict[str, tuple[str, bytes]]) -> Callable[[Response], None]:
    def record(response: Response) -> None:
        part = _part(response)
        if part is not None:
            seen[response.url] = (part, response.body())
    return record


def weights(roots: dict[bool, Path]) -> list[tuple[str, dict[str, tuple[int, int]]]]:
    """For each kind: part -> (bytes, gzip bytes) a first visit downloads (a fresh browser profile, so no cache);
    gzip at level 6, each file on its own, as a web server compresses each response. The search page is
    measured once its query's first results and excerpts are shown."""
    servers = _serve(roots)
    table = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for name, shot in SHOTS.items():
                server = servers.get(shot.listings)
                if server is None:
                    continue
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                seen: dict[str, tuple[str, bytes]] = {}
                context.on("response", _recorder(seen))
                page = context.new_page()
                response = page.goto(_url(server, shot))
                if name != "404" and (response is None or response.status != 200):
                    context.close()
                    continue
                page.wait_for_load_state("networkidle")
                if shot.action is not None:
                    shot.action(page)
                    page.wait_for_load_state("networkidle")
                context.close()
                sums = {part: (0, 0) for part in PARTS}
                for url, (part, body) in seen.items():
                    size, packed = sums[part]
                    squeezed = len(body) if url.split("?", 1)[0].endswith(PRECOMPRESSED) else \
                        len(gzip.compress(body, compresslevel=6, mtime=0))
                    sums[part] = (size + len(body), packed + squeezed)
                table.append((name, sums))
            browser.close()
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()
    return table


def _bytes(size: int) -> str:
    return f"{size:,}"


def weights_table(table: list[tuple[str, dict[str, tuple[int, int]]]]) -> str:
    lines = ["Bytes, and in brackets gzipped (level 6, each file on its own; Pagefind's index and WebAssembly files "
             "are gzipped by Pagefind already and count as they are).", "",
             "| page | " + " | ".join(PARTS) + " | CSS + JS in all |", "| --- |" + " ---: |" * (len(PARTS) + 1)]
    for name, sums in table:
        cells = [f"{_bytes(size)} ({_bytes(packed)})" if size else "–" for size, packed in sums.values()]
        code = [sums[part] for part in PARTS if part != "fonts"]
        total = f"{_bytes(sum(s for s, _ in code))} ({_bytes(sum(g for _, g in code))})"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {total} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rebrand", action="store_true",
                        help="rebrand the sample through themehub.yaml first (tests/rebrand.py)")
    parser.add_argument("--out", type=Path,
                        help="where to write the PNGs (default docs/screenshots/, or its rebranded/ with --rebrand)")
    parser.add_argument("--built", type=Path, help="shoot this already built output folder instead of building")
    parser.add_argument("--weights", action="store_true",
                        help="print the CSS, JS and font bytes of each page kind instead of shooting")
    args = parser.parse_args(argv)
    out = args.out or REPO / "docs" / "screenshots" / ("rebranded" if args.rebrand else "")
    if args.built and args.rebrand:
        parser.error("--rebrand builds the sample: it cannot be used with --built")
    with tempfile.TemporaryDirectory(prefix="themehub-shots-") as work:
        if args.built:
            root = _root_for(args.built, Path(work))
            roots = {False: root, True: root}
        else:
            (Path(work) / "sample").mkdir()
            (Path(work) / "listings").mkdir()
            roots = {False: build_sample(Path(work) / "sample", rebranded=args.rebrand, listings=False),
                     True: build_sample(Path(work) / "listings", rebranded=args.rebrand, listings=True)}
        if args.weights:
            print(weights_table(weights(roots)))
            return 0
        for path in shoot(roots, out):
            print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
