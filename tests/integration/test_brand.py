"""The sample hub rebranded through themehub.yaml alone: a colour, a second colour, a logo, a font file, a
favicon, social links, footer text and a subscribe form reach every page kind; and a site theme that
overrides only `partials/footer.html` changes the footer and nothing else."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers import NOW, SAMPLE_LANGUAGES, Node, all_files, copy_sample, hub_pages, parse_html, run_build
from tests.rebrand import FONT_SOURCE, MARK_RGB, rebrand

KINDS = ("home", "theme", "article", "track", "author", "authors", "service", "services", "tag", "tags", "page",
         "search", "404")


@dataclass(frozen=True)
class Site:
    root: Path
    out: Path


def _rebranded(root: Path, theme_files: dict[str, str] | None = None, theme: str = "") -> Site:
    copy_sample(root)
    rebrand(root)  # the same rebranding the accessibility, validity and screenshot code use
    if theme:
        config = root / "themehub.yaml"
        config.write_text(config.read_text(encoding="utf-8") + f"theme: {theme}\n", encoding="utf-8")
    for rel, text in (theme_files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    result = run_build(root, now=NOW)
    assert [d for d in result.diagnostics if d.is_error or d.code in ("low-contrast", "bad-font")] == []
    return Site(root, root / "site")


@pytest.fixture(scope="module")
def branded(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return _rebranded(tmp_path_factory.mktemp("brand") / "hub")


def kind_of(html: str) -> str:
    match = re.search(r'<body class="kind-([a-z0-9-]+)"', html)
    return match.group(1) if match else ("alias" if 'http-equiv="refresh"' in html else "unknown")


@pytest.fixture(scope="module")
def pages(branded: Site) -> dict[str, Path]:
    """One page of each kind (the first in path order)."""
    found: dict[str, Path] = {}
    for path in hub_pages(branded.out):
        if path.relative_to(branded.out).parts[0] in SAMPLE_LANGUAGES:
            continue  # the default language's (links to hub.json and feeds are each language's own)
        found.setdefault(kind_of(path.read_text(encoding="utf-8")), path)
    assert set(KINDS) | {"alias"} <= set(found), set(KINDS) - set(found)
    return found


def _doc(path: Path) -> Node:
    return parse_html(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", KINDS)
def test_the_brand_reaches_every_page_kind(branded: Site, pages: dict[str, Path], kind: str) -> None:
    doc = _doc(pages[kind])
    head = doc.one("head")
    sheets = [link.attrs["href"] or "" for link in head.find_all("link", rel="stylesheet")]
    assert [s.split("?")[0] for s in sheets[:2]] == ["/insights/assets/style.css", "/insights/assets/brand.css"]
    assert "--brand: #0e7490;" in (branded.out / "assets/brand.css").read_text()
    assert head.one("link", rel="icon", sizes="32x32").attrs["href"] == "/insights/favicon.ico"
    assert head.one("link", rel="apple-touch-icon").attrs["href"] == "/insights/apple-touch-icon.png"
    assert head.one("link", rel="manifest").attrs["href"] == "/insights/site.webmanifest"
    assert head.one("meta", name="theme-color").attrs["content"] == "#0e7490"
    assert head.one("link", rel="alternate", type="application/json").attrs["href"] == "/insights/hub.json"

    header = doc.one("header", class_="site-header")
    logo = header.one("img", class_="brand-logo")
    assert (logo.attrs["src"], logo.attrs["alt"]) == ("/insights/images/brand/logo.svg", "Northwind Advisory")
    assert logo.parent is not None and logo.parent.attrs.get("href") == "/insights/"
    assert header.find(class_="brand-mark") is None

    footer = doc.one("footer", class_="site-footer")
    assert "© 2026 Northwind Advisory. Registered in England." in footer.text
    social = [(a.attrs["href"], a.text, a.attrs.get("rel")) for a in footer.find_all("a", class_="social")]
    assert social == [("https://www.linkedin.com/company/northwind", "LinkedIn", "me"),
                      ("https://mastodon.example/@northwind", "Mastodon", "me")]
    assert all(a.find("svg", class_="icon") for a in footer.find_all("a", class_="social"))
    assert footer.one("a", class_="feed").attrs["href"] == "/insights/feed.xml"
    assert footer.one("a", class_="feed").text == "RSS/Atom feed"
    form = footer.one("form", class_="subscribe")
    assert (form.attrs["method"], form.attrs["action"]) == ("post", "https://newsletter.example.com/subscribe")
    field = form.one("input", type="email")
    assert field.attrs["name"] == "EMAIL" and field.parent is not None and field.parent.tag == "label"
    assert form.one("button", type="submit").text == "Get the monthly briefing"
    assert footer.find("script") is None  # a plain form, no script

    body = doc.one("body")
    assert "Hub graph" not in body.text and "hub.json" not in " ".join(body.hrefs())


def test_the_home_page_offers_the_newsletter_under_a_heading(branded: Site) -> None:
    main = _doc(branded.out / "index.html").one("main")
    form = main.one("form", class_="subscribe")
    section = form.parent
    assert section is not None and section.tag == "section" and {"wrap", "section"} <= section.classes()
    assert section.one("h2").text == "Get new pieces by email"


def test_the_alias_page_sends_readers_to_a_branded_page(branded: Site, pages: dict[str, Path]) -> None:
    # alias.html is a bare redirect with no header or footer (and outside this change): what the reader sees
    # is the page it redirects to, which carries the brand.
    text = pages["alias"].read_text(encoding="utf-8")
    target = re.search(r'url=/insights/([^"]*)"', text)
    assert target, text
    doc = _doc(branded.out / target.group(1) / "index.html")
    assert doc.one("header", class_="site-header").one("img", class_="brand-logo").attrs["alt"] == "Northwind Advisory"


def test_the_icon_set_is_made_from_the_favicon(branded: Site) -> None:
    out = branded.out
    ico = Image.open(out / "favicon.ico")
    assert ico.format == "ICO" and ico.info["sizes"] == {(16, 16), (32, 32), (48, 48)}
    for name, size in (("apple-touch-icon.png", 180), ("icon-192.png", 192), ("icon-512.png", 512)):
        with Image.open(out / name) as image:
            assert (image.format, image.size) == ("PNG", (size, size))
            rgb = image.convert("RGB")
            assert rgb.getpixel((4, 4)) == MARK_RGB and rgb.getpixel((size // 2, size // 2)) == (255, 255, 255)
    manifest = json.loads((out / "site.webmanifest").read_text())
    assert [icon["src"] for icon in manifest["icons"]] == ["icon-192.png", "icon-512.png"]
    assert not (out / "icon.svg").exists()  # only for an SVG favicon


def test_the_font_file_is_published_and_declared(branded: Site) -> None:
    css = (branded.out / "assets/brand.css").read_text()
    assert 'src: url("/insights/fonts/Brand.ttf") format("truetype")' in css
    assert '--font-sans: "themehub-brand",' in css and "--accent: #9f1239;" in css
    assert (branded.out / "fonts/Brand.ttf").read_bytes() == FONT_SOURCE.read_bytes()


FOOTER = re.compile(r'<footer class="site-footer".*?</footer>\n', re.S)


def test_a_theme_overriding_only_the_footer_changes_the_footer_and_nothing_else(
        branded: Site, tmp_path: Path) -> None:
    mine = _rebranded(tmp_path / "mine", {"themes/mine/templates/partials/footer.html": (
        '<footer class="site-footer mine">{{ brand.footer }} · {{ site.title }}</footer>\n')}, theme="mine")
    before, after = all_files(branded.out), all_files(mine.out)
    assert sorted(before) == sorted(after)
    html = [name for name in before if name.endswith(".html")]
    assert len(html) > 60
    changed = []
    for name in html:
        old, new = before[name].decode(), after[name].decode()
        if "site-footer" not in old:
            assert new == old, name  # the alias pages have no footer
            continue
        title = SAMPLE_LANGUAGES.get(name.split("/")[0], "Northwind Insights")
        assert '<footer class="site-footer mine">© 2026 Northwind Advisory. Registered in England. · ' \
               f"{title}</footer>" in new, name
        assert FOOTER.sub("", old) == re.sub(r'<footer class="site-footer mine">.*?</footer>\n', "", new), name
        changed.append(name)
    assert len(changed) == len(html) - sum(1 for n in html if "site-footer" not in before[n].decode())
    assert {n: b for n, b in before.items() if not n.endswith(".html")} == \
        {n: b for n, b in after.items() if not n.endswith(".html")}
