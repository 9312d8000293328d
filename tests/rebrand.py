"""The sample hub rebranded through themehub.yaml alone, and the sample hub with every page kind.

One definition, shared by the brand test (tests/integration/test_brand.py), the accessibility and HTML
validity tests and scripts/screenshots.py, so that they all look at the same rebranding:

- `rebrand(root)` makes a copy of the sample hub someone else's: a second colour, a logo, a font file,
  a favicon, social links, footer text and a subscribe form, written into `themehub.yaml` and `static/`
  only (no template, no stylesheet);
- `add_listing_pieces(root)` adds pieces to one theme and one service so that their depth group and
  their list of pieces overflow the hub pages: the sample alone has no `/themes/<slug>/<depth>/` and no
  `/services/<slug>/all/` page, and those page kinds must be checked too;
- `PAGE_KINDS`: one page of every kind the hub publishes, by what a reader would call it;
- `shared_hubs` builds the sample with every page kind once per branding, on first use, for all the
  modules of a run (each keeps it in a fixture of its own).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers import NOW, copy_sample, run_build, static_server
from themehub.render.brand_assets import FONTS

BRAND_COLOR = "#0e7490"
ACCENT_COLOR = "#9f1239"
LOGO_ALT = "Northwind Advisory"
FOOTER = "© 2026 Northwind Advisory. Registered in England."
BRAND_YAML = f"""
brand:
  logo: /images/brand/logo.svg
  logo_alt: {LOGO_ALT}
  favicon: /images/brand/mark.png
  color: "{BRAND_COLOR}"
  accent: "{ACCENT_COLOR}"
  font: /fonts/Brand.ttf
social:
  linkedin: https://www.linkedin.com/company/northwind
  mastodon: https://mastodon.example/@northwind
footer: "{FOOTER}"
subscribe:
  action: https://newsletter.example.com/subscribe
  email_field: EMAIL
  label: Get the monthly briefing
"""
LOGO = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 40"><title>Northwind Advisory</title>'
        b'<rect width="40" height="40" rx="8" fill="#0e7490"/><path d="M11 30V10h4l10 13V10h4v20h-4L15 17v13z" fill="#fff"/>'
        b'<text x="47" y="27" font-family="DejaVu Sans, Arial, sans-serif" font-size="18" font-weight="700" '
        b'fill="#0f172a">Northwind</text></svg>')
"""A mark in the brand colour and the company's name: a logo as a marketer would hand it over."""
MARK_RGB = (14, 116, 144)
"""The favicon's background: the brand colour, with a white square in the middle."""
FONT_SOURCE = FONTS / "DejaVuSans.ttf"
"""The brand font: a real TrueType file that ships with themehub, so the rebranding needs nothing else."""


def mark_png() -> bytes:
    """A 256×256 favicon: the brand colour with a white square in the middle."""
    image = Image.new("RGB", (256, 256), MARK_RGB)
    image.paste((255, 255, 255), (96, 96, 160, 160))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def rebrand(root: Path) -> None:
    """Rebrand the site in `root` (a copy of the sample hub) through themehub.yaml and static files alone."""
    config = root / "themehub.yaml"
    config.write_text(config.read_text(encoding="utf-8") + BRAND_YAML, encoding="utf-8")
    (root / "static/images/brand").mkdir(parents=True)
    (root / "static/images/brand/logo.svg").write_bytes(LOGO)
    (root / "static/images/brand/mark.png").write_bytes(mark_png())
    (root / "static/fonts").mkdir()
    shutil.copyfile(FONT_SOURCE, root / "static/fonts/Brand.ttf")


# ------------------------------------------------------------------------------------- every page kind

LISTING_THEME, LISTING_DEPTH, LISTING_SERVICE = "data-trust", "deeper", "data-governance"
LISTING_PIECES = 7
"""One more than a hub page shows of a depth group (render/pages.py's GROUP_CARDS), so the group and the
service's pieces each get their own listing page."""


def add_listing_pieces(root: Path) -> None:
    """Add LISTING_PIECES "Go deeper" pieces on Data You Can Trust, leading to Data Governance.

    They are older than every piece of the sample, so the theme's guided path, the home page's latest
    pieces and the featured piece stay what the sample shows."""
    folder = root / "content/articles/listing"
    folder.mkdir(parents=True)
    for n in range(1, LISTING_PIECES + 1):
        (folder / f"data-trust-field-note-{n}.md").write_text(textwrap.dedent(f"""\
            ---
            title: "Data trust field note {n}: one control that held"
            date: 2024-0{n}-10
            authors: [daniel-reyes]
            themes: [{LISTING_THEME}]
            type: article
            depth: {LISTING_DEPTH}
            summary: "A short account of one data-quality control a client kept, and why it lasted."
            tags: [Data Quality]
            services: [{LISTING_SERVICE}]
            ---

            A client put one data-quality control in place and kept it. This note says which, and why it held.
            """), encoding="utf-8")


PAGE_KINDS: dict[str, str] = {
    "home": "",
    "themes index": "themes/",
    "theme hub": "themes/cloud-economics/",
    "theme depth listing": f"themes/{LISTING_THEME}/{LISTING_DEPTH}/",
    "article": "articles/commitment-discounts-portfolio/",
    "track": "tracks/cloud-costs-in-five-steps/",
    "tracks index": "tracks/",
    "SME": "authors/maya-okafor/",
    "SMEs index": "authors/",
    "service": "services/cloud-cost-optimisation/",
    "services index": "services/",
    "service listing": f"services/{LISTING_SERVICE}/all/",
    "tag": "tags/finops/",
    "tags index": "tags/",
    "standalone page": "about/",
    "event": "events/cloud-costs-live-2027/",
    "events index": "events/",
    "past event": "events/data-trust-breakfast-2026/",
    "search": "search/?q=cloud",
    "404": "404.html",
}
"""One page of each kind a reader reaches, by the name a reader would give it -> its path below base_url.
The two listings exist only with `add_listing_pieces`."""

BRANDINGS = ("default", "rebranded")


@dataclass(frozen=True)
class Hub:
    branding: str
    root: Path
    out: Path


def build_hub(root: Path, branding: str, *, listings: bool = True, search: bool = True) -> Hub:
    """The sample hub copied into `root`, with the listing pieces, in `branding`, built with a fixed clock."""
    assert branding in BRANDINGS, branding
    copy_sample(root)
    if listings:
        add_listing_pieces(root)
    if branding == "rebranded":
        rebrand(root)
    result = run_build(root, now=NOW, search=search)
    problems = [d for d in result.diagnostics if d.is_error or d.code in ("low-contrast", "bad-font")]
    assert not problems, problems
    return Hub(branding, root, root / "site")


class Hubs:
    """The sample hub with every page kind, built at most once per branding."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.built: dict[str, Hub] = {}

    def __getitem__(self, branding: str) -> Hub:
        if branding not in self.built:
            self.built[branding] = build_hub(self.work / branding, branding)
        return self.built[branding]


_HUBS = pytest.StashKey[Hubs]()


def shared_hubs(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Hubs:
    """The run's builds: made by the first module that asks, kept in the run's stash for the others, so the
    accessibility and validity tests read the same two builds (search index included)."""
    if _HUBS not in config.stash:
        config.stash[_HUBS] = Hubs(tmp_path_factory.mktemp("hubs"))
    return config.stash[_HUBS]


@contextlib.contextmanager
def serve(out: Path, work: Path) -> Iterator[str]:
    """A built site served by a plain static file server under base_url's path, as a static host does;
    `work` is an empty folder for the server's root. Yields the URL of the home page."""
    (work / "insights").symlink_to(out)
    with static_server(work) as url:
        yield url + "insights/"
