"""The brand in themehub.yaml: every key validated at its line, brand.css, and the favicon set."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import jinja2
import pytest
from PIL import Image

from themehub.brand import (
    DEFAULT_ACCENT,
    DEFAULT_COLOR,
    Brand,
    SocialLink,
    Subscribe,
    font_stack_problem,
    title_initial,
)
from themehub.colors import contrast, contrast_with_white
from themehub.config import Config, load_config
from themehub.diagnostics import Diagnostic
from themehub.render.brand_assets import FONTS, brand_css, brand_files, draw_default_icon, icon_set
from themehub.render.templates import make_environment, theme_dirs

MINIMAL = "title: Northwind Insights\nbase_url: https://example.com/insights/\n"
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><rect width="120" height="40"/></svg>'


def png(width: int, height: int, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


def site(tmp_path: Path, yaml: str, files: dict[str, bytes] | None = None) -> tuple[Config | None, list[Diagnostic]]:
    """A site folder with `yaml` after the two required keys, and `files` below it."""
    for rel, data in (files or {}).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    (tmp_path / "themehub.yaml").write_text(MINIMAL + yaml, encoding="utf-8")
    return load_config(tmp_path)


def where(problems: list[Diagnostic]) -> list[tuple[int, str, str]]:
    return [(d.line, d.code, d.severity) for d in problems]


FULL = """\
brand:
  logo: /images/brand/logo.svg
  logo_alt: Northwind Advisory
  favicon: /images/brand/mark.png
  color: "#1e3a8a"
  accent: "#0f766e"
  font: /fonts/Brand.ttf
social:
  linkedin: https://www.linkedin.com/company/northwind
  Substack: https://northwind.substack.com/
  email: hello@example.com
footer: "© 2026 Northwind Advisory. Registered in England."
subscribe:
  action: https://newsletter.example.com/subscribe
  email_field: EMAIL
  label: Get the monthly briefing
"""


def full_site(tmp_path: Path, yaml: str = FULL) -> tuple[Config | None, list[Diagnostic]]:
    return site(tmp_path, yaml, {"static/images/brand/logo.svg": LOGO, "static/images/brand/mark.png": png(256, 256),
                                 "static/fonts/Brand.ttf": (FONTS / "DejaVuSans.ttf").read_bytes()})


# ------------------------------------------------------------------------------------------ config


def test_no_brand_is_the_default_brand(tmp_path: Path) -> None:
    config, problems = site(tmp_path, "")
    assert problems == [] and config is not None
    assert config.brand == Brand(logo_alt="Northwind Insights", initial="N")
    assert (config.brand.color, config.brand.accent) == (DEFAULT_COLOR, DEFAULT_ACCENT)


def test_every_key_is_read(tmp_path: Path) -> None:
    config, problems = full_site(tmp_path)
    assert problems == [] and config is not None
    brand = config.brand
    assert (brand.logo, brand.logo_alt, brand.favicon) == ("images/brand/logo.svg", "Northwind Advisory",
                                                           "static/images/brand/mark.png")
    assert (brand.color, brand.accent) == ("#1e3a8a", "#0f766e")
    assert (brand.font_file, brand.font_format, brand.font_stack) == ("static/fonts/Brand.ttf", "truetype", "")
    assert brand.social == (
        SocialLink("linkedin", "LinkedIn", "https://www.linkedin.com/company/northwind", "linkedin"),
        SocialLink("substack", "Substack", "https://northwind.substack.com/", "link"),
        SocialLink("email", "Email", "mailto:hello@example.com", "email"),
    )
    assert brand.footer == "© 2026 Northwind Advisory. Registered in England."
    assert brand.subscribe == Subscribe("https://newsletter.example.com/subscribe", "EMAIL", "Get the monthly briefing")


def test_brand_holds_text_only_never_a_path(tmp_path: Path) -> None:
    config, _ = full_site(tmp_path)
    assert config is not None

    def values(value: object) -> list[object]:
        if isinstance(value, tuple):
            return [v for item in value for v in values(item)]
        fields = getattr(value, "__dataclass_fields__", None)
        return [v for name in fields for v in values(getattr(value, name))] if fields else [value]

    assert {type(v) for v in values(config.brand)} <= {str, type(None)}


@pytest.mark.parametrize(("yaml", "line", "hint"), [
    ("brand:\n  colour: '#123456'\n", 4, "did you mean 'color'?"),
    ("brand:\n  logo_alt: x\n  favicn: /x.png\n", 5, "did you mean 'favicon'?"),
    ("subscribe:\n  action: https://e.com/s\n  lable: Join\n", 5, "did you mean 'label'?"),
    ("brnad:\n  color: '#123456'\n", 3, "did you mean 'brand'?"),
])
def test_unknown_keys_are_errors_at_their_line_with_did_you_mean(tmp_path: Path, yaml: str, line: int,
                                                                  hint: str) -> None:
    _, problems = site(tmp_path, yaml)
    assert where(problems) == [(line, "unknown-key", "error")]
    assert problems[0].hint == hint


@pytest.mark.parametrize(("yaml", "line"), [
    ("brand: '#123456'\n", 3),
    ("brand:\n  logo_alt: [a, b]\n", 4),
    ("brand:\n  color: {a: 1}\n", 4),
    ("social: https://www.linkedin.com/company/x\n", 3),
    ("social:\n  linkedin: [https://a.example/]\n", 4),
    ("footer: [a, b]\n", 3),
    ("subscribe: yes\n", 3),
    ("subscribe:\n  action: https://e.com/s\n  email_field: 'my email'\n", 5),
])
def test_wrong_types_are_errors_at_their_line(tmp_path: Path, yaml: str, line: int) -> None:
    _, problems = site(tmp_path, yaml)
    assert where(problems) == [(line, "wrong-type", "error")]


@pytest.mark.parametrize(("key", "value", "code"), [
    ("logo", "../../x.svg", "unsafe-path"),
    ("logo", "/images/../../../etc/passwd.svg", "unsafe-path"),
    ("logo", "images/logo.svg", "unsafe-path"),  # relative to the site root: not below static/
    ("logo", "https://cdn.example.com/logo.svg", "unsafe-path"),
    ("logo", "/images/logo.svg%00.png", "unsafe-path"),
    ("logo", "/images/missing.svg", "missing-image"),
    ("logo", "/images/brand/logo.txt", "bad-image"),
    ("favicon", "/images/brand/mark.gif", "bad-image"),
    ("favicon", "/images/brand/wide.png", "bad-image"),
    ("favicon", "/images/brand/small.png", "bad-image"),
    ("favicon", "/images/brand/broken.png", "bad-image"),
    ("favicon", "/images/brand/script.svg", "bad-image"),
])
def test_files_are_below_static_exist_and_fit(tmp_path: Path, key: str, value: str, code: str) -> None:
    files = {"static/images/brand/logo.txt": b"x", "static/images/brand/mark.gif": b"GIF89a",
             "static/images/brand/wide.png": png(400, 200), "static/images/brand/small.png": png(64, 64),
             "static/images/brand/broken.png": b"\x89PNG not really", "x.svg": LOGO,
             "static/images/brand/script.svg": b"<!DOCTYPE svg [<!ENTITY a 'b'>]><svg/>"}
    config, problems = site(tmp_path, f"brand:\n  {key}: {value}\n", files)
    assert where(problems) == [(4, code, "error")]
    assert config is not None and getattr(config.brand, key) == ""


def test_a_favicon_may_be_an_svg_a_jpeg_or_a_webp(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200)).save(buffer, format="WEBP")
    for name, data in (("m.svg", LOGO), ("m.webp", buffer.getvalue())):
        config, problems = site(tmp_path, f"brand:\n  favicon: /{name}\n", {f"static/{name}": data})
        assert problems == [] and config is not None and config.brand.favicon == f"static/{name}"


@pytest.mark.parametrize(("value", "message"), [
    ("/fonts/missing.woff2", "does not exist"),
    ("/fonts/fake.woff2", "is not a font"),
    ("/fonts/notes.txt", "is not a font file"),
    ("'Georgia; } body { background: url(https://evil.example/x) }'", "';'"),
    ("'Arial, sans-serif; } * { color: red'", "';'"),
    ("'Georgia, url(x)'", "url("),
    ("'Georgia </style><script>'", "'<'"),
    ("'Georgia, 3M Sans'", "'3M Sans' is not a font name"),
    ("'\"Unclosed, serif'", "is not a font name"),
])
def test_fonts_are_real_font_files_or_plain_font_lists(tmp_path: Path, value: str, message: str) -> None:
    files = {"static/fonts/fake.woff2": b"<html>not a font</html>", "static/fonts/notes.txt": b"wOF2"}
    config, problems = site(tmp_path, f"brand:\n  font: {value}\n", files)
    assert where(problems) == [(4, "bad-font", "error")]
    assert message in problems[0].message
    assert config is not None and (config.brand.font_file, config.brand.font_stack) == ("", "")


@pytest.mark.parametrize(("head", "kind"), [(b"wOF2", "woff2"), (b"wOFF", "woff"), (b"OTTO", "opentype"),
                                             (b"\x00\x01\x00\x00", "truetype"), (b"true", "truetype")])
def test_font_formats_come_from_the_magic_bytes(tmp_path: Path, head: bytes, kind: str) -> None:
    config, problems = site(tmp_path, "brand:\n  font: /fonts/Brand.otf\n", {"static/fonts/Brand.otf": head + b"..."})
    assert problems == [] and config is not None and config.brand.font_format == kind


@pytest.mark.parametrize("stack", ["Georgia, serif", '"Source Sans 3", Arial, sans-serif', "'Noto Sans SC', 微软雅黑",
                                   "system-ui", "Helvetica Neue, -apple-system, sans-serif"])
def test_plain_font_lists_are_accepted(stack: str) -> None:
    assert font_stack_problem(stack) == ""


def test_a_low_contrast_colour_is_darkened_with_a_warning_at_its_line(tmp_path: Path) -> None:
    config, problems = site(tmp_path, 'brand:\n  color: "#7dd3fc"\n  accent: "#fde047"\n')
    assert config is not None
    assert where(problems) == [(4, "low-contrast", "warning"), (5, "low-contrast", "warning")]
    for diagnostic, used, given in zip(problems, (config.brand.color, config.brand.accent), ("#7dd3fc", "#fde047"),
                                       strict=True):
        assert used != given and contrast_with_white(used) >= 4.5
        assert given in diagnostic.message and used in diagnostic.hint
    readable, _ = site(tmp_path, 'brand:\n  color: "#0F766E"\n  accent: "#000"\n')
    assert readable is not None and (readable.brand.color, readable.brand.accent) == ("#0f766e", "#000000")


@pytest.mark.parametrize("value", ["'#12345'", "blue", "'rgb(0, 0, 0)'", "'#ggg'"])
def test_a_colour_that_is_not_hex_is_an_error(tmp_path: Path, value: str) -> None:
    config, problems = site(tmp_path, f"brand:\n  color: {value}\n")
    assert where(problems) == [(4, "bad-color", "error")]
    assert config is not None and config.brand.color == DEFAULT_COLOR


def test_an_unquoted_colour_is_a_comment_and_says_so(tmp_path: Path) -> None:
    config, problems = site(tmp_path, "brand:\n  color: #1e3a8a\n")
    assert [d.code for d in problems] == ["yaml-comment-value"]
    assert config is not None and config.brand.color == DEFAULT_COLOR


def test_social_networks_near_misses_are_errors_and_other_names_are_allowed(tmp_path: Path) -> None:
    config, problems = site(tmp_path, "social:\n  linkdin: https://a.example/\n  Mastadon: https://b.example/\n"
                                      "  substack: https://c.example/\n  twitter: https://x.com/n\n")
    assert where(problems) == [(4, "unknown-key", "error"), (5, "unknown-key", "error")]
    assert problems[0].hint.startswith("did you mean 'linkedin'?")
    assert problems[1].hint.startswith("did you mean 'mastodon'?")
    assert config is not None
    assert [(s.label, s.icon) for s in config.brand.social] == [("Substack", "link"), ("X (Twitter)", "x")]


@pytest.mark.parametrize(("yaml", "code"), [
    ("social:\n  linkedin: javascript:alert(1)\n", "unsafe-url"),
    ("social:\n  github: www.github.com/northwind\n", "wrong-type"),
    ("social:\n  email: not-an-address\n", "wrong-type"),
    ("subscribe:\n  action: data:text/html,x\n", "unsafe-url"),
])
def test_addresses_are_http_urls(tmp_path: Path, yaml: str, code: str) -> None:
    config, problems = site(tmp_path, yaml)
    assert where(problems) == [(4, code, "error")]
    assert config is not None and config.brand.social == () and config.brand.subscribe is None


def test_subscribe_needs_an_action_and_has_defaults(tmp_path: Path) -> None:
    _, problems = site(tmp_path, "subscribe:\n  label: Join\n")
    assert where(problems) == [(3, "missing-field", "error")]
    config, problems = site(tmp_path, "subscribe:\n  action: https://e.example/s\n")
    assert problems == [] and config is not None
    assert config.brand.subscribe == Subscribe("https://e.example/s", "email", "Subscribe")


@pytest.mark.parametrize(("title", "initial"), [("Northwind Insights", "N"), ("云计算洞察", "云"),
                                                 ("ψηφιακή Ελλάδα", "Ψ"), ("  2026 review", "2"), ("ßtraße", "ß"),
                                                 ("🙂 — !", "")])
def test_the_initial_is_the_first_letter_or_digit_in_any_script(title: str, initial: str) -> None:
    assert title_initial(title) == initial


# ---------------------------------------------------------------------------------------- brand.css


def test_brand_css_holds_the_colours_and_the_font_file(tmp_path: Path) -> None:
    config, _ = full_site(tmp_path, FULL.replace('"#1e3a8a"', '"#9f1239"'))
    assert config is not None
    css = brand_css(config.brand, "/insights/").decode()
    assert "--brand: #9f1239;" in css and "--accent: #0f766e;" in css
    assert '@font-face { font-family: "themehub-brand"; src: url("/insights/fonts/Brand.ttf") format("truetype")' in css
    assert '--font-sans: "themehub-brand", system-ui,' in css
    dark = css.split("--brand-dark: ")[1].split(";")[0]
    soft = css.split("--brand-soft: ")[1].split(";")[0]
    assert contrast(dark, soft) >= 4.5  # the navigation's current page: --brand-dark on --brand-soft


def test_brand_css_without_a_brand_repeats_style_css(tmp_path: Path) -> None:
    css = brand_css(Brand(), "/").decode()
    assert ":root { --brand: #1e3a8a; --brand-dark: #172554; --brand-soft: #eef2ff; --accent: #0f766e; " in css
    assert "@font-face" not in css
    style = (FONTS.parent / "static" / "style.css").read_text()
    for name in ("--brand: #1e3a8a", "--brand-dark: #172554", "--brand-soft: #eef2ff", "--accent: #0f766e"):
        assert name in style


def test_a_font_list_goes_into_brand_css_as_written(tmp_path: Path) -> None:
    css = brand_css(Brand(font_stack='"Source Sans 3", Georgia, serif'), "/").decode()
    assert '--font-sans: "Source Sans 3", Georgia, serif; }' in css


def test_a_font_file_name_cannot_break_out_of_its_url() -> None:
    css = brand_css(Brand(font_file='static/fonts/a") } body{x:url(b.woff2', font_format="woff2"), "/x/").decode()
    assert 'url("/x/fonts/a%22%29%20%7D%20body%7Bx%3Aurl%28b.woff2")' in css


@pytest.mark.parametrize("color", ["#767676", "#0f766e", "#1e3a8a", "#000000", "#b91c1c"])
def test_the_shades_keep_text_readable(color: str) -> None:
    css = brand_css(Brand(color=color), "/").decode()
    dark, soft = (css.split(f"--brand-{name}: ")[1].split(";")[0] for name in ("dark", "soft"))
    assert contrast(dark, soft) >= 4.5 and contrast_with_white(dark) >= 4.5


# ------------------------------------------------------------------------------------------ favicons


def _decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_the_favicon_set_from_a_raster_image(tmp_path: Path) -> None:
    config, _ = full_site(tmp_path)
    assert config is not None
    files = brand_files(config, tmp_path / "cache")
    assert sorted(files) == ["apple-touch-icon.png", "assets/brand.css", "favicon.ico", "icon-192.png",
                             "icon-512.png", "site.webmanifest"]
    ico = _decoded(files["favicon.ico"].read_bytes())
    assert ico.format == "ICO" and ico.info["sizes"] == {(16, 16), (32, 32), (48, 48)}
    for name, size in (("apple-touch-icon.png", 180), ("icon-192.png", 192), ("icon-512.png", 512)):
        image = _decoded(files[name].read_bytes())
        assert (image.format, image.size) == ("PNG", (size, size)), name
        assert image.convert("RGB").getpixel((size // 2, size // 2)) == (200, 30, 30), "made from the marketer's image"
    manifest = json.loads(files["site.webmanifest"].read_text())
    assert [(i["src"], i["sizes"]) for i in manifest["icons"]] == [("icon-192.png", "192x192"),
                                                                    ("icon-512.png", "512x512")]
    assert manifest["name"] == "Northwind Insights"


def test_the_favicon_set_is_deterministic_and_cached(tmp_path: Path) -> None:
    config, _ = full_site(tmp_path)
    assert config is not None
    first = {rel: path.read_bytes() for rel, path in brand_files(config, tmp_path / "one").items()}
    second = {rel: path.read_bytes() for rel, path in brand_files(config, tmp_path / "two").items()}
    assert first == second
    cached = brand_files(config, tmp_path / "one")
    mtimes = {rel: path.stat().st_mtime_ns for rel, path in cached.items()}
    assert {rel: path.stat().st_mtime_ns for rel, path in brand_files(config, tmp_path / "one").items()} == mtimes


def test_an_svg_favicon_is_published_sanitized_and_the_rest_is_drawn(tmp_path: Path) -> None:
    svg = LOGO.replace(b"<rect", b'<script>alert(1)</script><rect onclick="x()"')
    config, problems = site(tmp_path, "brand:\n  favicon: /mark.svg\n", {"static/mark.svg": svg})
    assert problems == [] and config is not None
    files = brand_files(config, tmp_path / "cache")
    published = files["icon.svg"].read_bytes()
    assert b"<rect" in published and b"script" not in published and b"onclick" not in published
    drawn = icon_set(b"", "N", DEFAULT_COLOR)
    assert files["icon-512.png"].read_bytes() == drawn["icon-512.png"]


def _white_share(image: Image.Image) -> float:
    data = image.convert("RGB").tobytes()
    pixels = [data[i:i + 3] for i in range(0, len(data), 3)]
    return sum(1 for p in pixels if min(p) > 230) / len(pixels)


def test_default_favicons_for_titles_in_latin_chinese_and_greek() -> None:
    latin, chinese, greek = (draw_default_icon(title_initial(t), DEFAULT_COLOR, 512)
                             for t in ("Northwind Insights", "云计算洞察", "Ψηφιακή Ελλάδα"))
    mark = draw_default_icon("", DEFAULT_COLOR, 512)  # the simple mark, for a title DejaVu Sans cannot write
    assert chinese.tobytes() == mark.tobytes(), "no 'missing glyph' box: DejaVu Sans has no Chinese"
    assert len({latin.tobytes(), greek.tobytes(), mark.tobytes()}) == 3
    for image in (latin, chinese, greek):
        assert image.size == (512, 512) and image.mode == "RGBA"
        assert image.getpixel((256, 30))[:3] == (0x1e, 0x3a, 0x8a), "the brand colour"
        assert image.getpixel((2, 2))[3] == 0, "rounded corners"
        assert 0.05 < _white_share(image) < 0.4, "a white letter or mark"
    assert draw_default_icon("N", DEFAULT_COLOR, 512).tobytes() == latin.tobytes()


def test_the_drawn_favicon_takes_the_brand_colour(tmp_path: Path) -> None:
    icons = icon_set(b"", "N", "#9f1239")
    assert _decoded(icons["apple-touch-icon.png"]).convert("RGB").getpixel((0, 0)) == (0x9f, 0x12, 0x39)


# ------------------------------------------------------------------------------------------ templates


def test_templates_get_the_brand_as_a_frozen_text_value(tmp_path: Path) -> None:
    config, _ = full_site(tmp_path)
    assert config is not None
    env = make_environment(config, theme_dirs(config), {})
    render = lambda src: env.from_string(src).render()  # noqa: E731
    assert render("{{ brand.color }} {{ site.brand.logo }} {{ brand.social[0].label }}") == \
        "#1e3a8a images/brand/logo.svg LinkedIn"
    assert render("{{ brand.subscribe.email_field }} {{ brand.initial }}") == "EMAIL N"
    with pytest.raises(jinja2.TemplateError):  # the sandbox hands out no way to change it
        render("{{ brand.social.append(1) }}")
    with pytest.raises(jinja2.TemplateError):
        render("{{ brand.__class__.__init__.__globals__ }}")
    shutil.rmtree(tmp_path / "static")
    bare = Config(root=tmp_path, title="Ψηφιακή", base_url="https://example.com/")
    assert make_environment(bare, theme_dirs(bare), {}).from_string("{{ brand.initial }}").render() == "Ψ"
