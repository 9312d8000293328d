"""The site's brand, as themehub.yaml says it.

`brand:` (logo, favicon, colours, font), `social:`, `footer:` and `subscribe:` are read here, each
problem at its line (config.py calls `read_brand`). Templates get one frozen value, `brand` (also
`site.brand`), that holds text only, never a path. Every file a key names is resolved by the one rule
of source/paths.py and must lie below static/. What the build makes of it (brand.css, the favicon
set) is render/brand_assets.py's job.
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from themehub.colors import contrast_with_white, on_white_text
from themehub.diagnostics import did_you_mean, error, warning
from themehub.sanitize.svg import sanitize_svg
from themehub.source.fields import FieldReader, describe
from themehub.source.paths import PathProblem, locate, resolve_reference

DEFAULT_COLOR, DEFAULT_ACCENT = "#1e3a8a", "#0f766e"

BRAND_KEYS = ("logo", "logo_alt", "favicon", "color", "accent", "font")
SUBSCRIBE_KEYS = ("action", "email_field", "label")
NETWORKS: dict[str, tuple[str, str]] = {
    "linkedin": ("LinkedIn", "linkedin"), "x": ("X", "x"), "twitter": ("X (Twitter)", "x"),
    "youtube": ("YouTube", "youtube"), "github": ("GitHub", "github"), "mastodon": ("Mastodon", "mastodon"),
    "bluesky": ("Bluesky", "bluesky"), "instagram": ("Instagram", "instagram"), "facebook": ("Facebook", "facebook"),
    "threads": ("Threads", "threads"), "tiktok": ("TikTok", "tiktok"), "rss": ("RSS feed", "rss"),
    "email": ("Email", "email"),
}
"""Social network -> (the link's accessible name, its icon in partials/social.html)."""

FONT_MAGIC = {b"wOF2": "woff2", b"wOFF": "woff", b"\x00\x01\x00\x00": "truetype", b"true": "truetype",
              b"OTTO": "opentype"}
"""A font file's first four bytes -> its CSS format(): the extension alone proves nothing."""
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf")
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif")
FAVICON_MIN = 180

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
_FAMILY = re.compile(r"\"[^\"\\]*\"|'[^'\\]*'|-?[^\W\d][\w-]*(?:[ \t]+-?[^\W\d][\w-]*)*")
_NOT_IN_FONT_LIST = re.compile(r"[;{}<>\\\x00-\x1f\x7f]|url\s*\(|/\*", re.IGNORECASE)
_FIELD_NAME = re.compile(r"[A-Za-z0-9_.:\[\]-]{1,100}")
_FILE_HINT = "write a path below static/ starting with '/': /images/brand/logo.svg is static/images/brand/logo.svg"


@dataclass(frozen=True, slots=True)
class SocialLink:
    network: str
    label: str
    """The link's accessible name: 'LinkedIn', or the name as written for a network themehub does not know."""
    url: str
    icon: str
    """Which icon of partials/social.html: the network's, or 'link'."""


@dataclass(frozen=True, slots=True)
class Subscribe:
    """A newsletter form that posts the reader's email address to the marketer's provider."""

    action: str
    email_field: str = "email"
    label: str = "Subscribe"


@dataclass(frozen=True, slots=True)
class Brand:
    """What themehub.yaml says of the brand. Text only: a template can never reach a file from it."""

    logo: str = ""
    """The logo's address from the site root ('images/brand/logo.svg', for the `url` filter); '' for the wordmark."""
    logo_alt: str = ""
    favicon: str = ""
    """The favicon's source, from the site root ('static/images/brand/mark.png'); '' to draw one."""
    color: str = DEFAULT_COLOR
    accent: str = DEFAULT_ACCENT
    font_file: str = ""
    """A self-hosted font, from the site root ('static/fonts/Brand.woff2'), with its CSS `font_format`."""
    font_format: str = ""
    font_stack: str = ""
    social: tuple[SocialLink, ...] = ()
    footer: str = ""
    subscribe: Subscribe | None = None
    initial: str = ""
    """The site title's first letter or digit, for the wordmark's mark and the drawn favicon."""


def title_initial(title: str) -> str:
    for ch in unicodedata.normalize("NFC", title):
        if ch.isalnum():
            upper = ch.upper()
            return upper if len(upper) == 1 else ch  # 'ß'.upper() is 'SS'
    return ""


def with_initial(brand: Brand, title: str) -> Brand:
    """`brand` with its initial filled in (a Config made in code rather than read has none)."""
    return brand if brand.initial else replace(brand, initial=title_initial(title))


# ------------------------------------------------------------------------------------------- reading


def read_brand(fields: FieldReader, root: Path, base_path: str, title: str) -> Brand:
    """The `brand`, `social`, `footer` and `subscribe` keys of themehub.yaml; problems go to `fields`."""
    raw = fields.mapping("brand")
    _unknown_keys(fields, "brand", raw, BRAND_KEYS)
    logo = _site_file(fields, raw, "logo", root, base_path, LOGO_SUFFIXES, "an image (SVG, PNG, JPEG, WebP, GIF)")
    font_file, font_format, font_stack = _font(fields, raw, root, base_path)
    return Brand(
        logo=logo[0].removeprefix("static/") if logo else "",
        logo_alt=_text(fields, "brand", raw, "logo_alt") or title,
        favicon=_favicon(fields, raw, root, base_path),
        color=_color(fields, raw, "color", DEFAULT_COLOR),
        accent=_color(fields, raw, "accent", DEFAULT_ACCENT),
        font_file=font_file, font_format=font_format, font_stack=font_stack,
        social=_social(fields),
        footer=fields.text("footer").strip(),
        subscribe=_subscribe(fields),
        initial=title_initial(title),
    )


def _unknown_keys(fields: FieldReader, section: str, raw: dict[str, Any], known: tuple[str, ...]) -> None:
    for key in raw:
        if key not in known:
            fields.problem((section, key), "unknown-key", f"unknown key '{key}' in '{section}'",
                           did_you_mean(str(key), known))


def _text(fields: FieldReader, section: str, raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if isinstance(value, list | dict):
        fields.problem((section, key), "wrong-type", f"'{section}.{key}' must be text, not {describe(value)}")
        return ""
    return fields.written((section, key), value).strip()


def _site_file(fields: FieldReader, raw: dict[str, Any], key: str, root: Path, base_path: str,
               suffixes: tuple[str, ...], kind: str, bad: str = "bad-image",
               missing: str = "missing-image") -> tuple[str, bytes] | None:
    """The file below static/ that `brand.<key>` names (its path from the site root, and its bytes), or
    None with a diagnostic: `bad` for a file of the wrong kind, `missing` for one that does not exist."""
    text = _text(fields, "brand", raw, key)
    if not text:
        return None
    where = ("brand", key)
    found = resolve_reference(text, "themehub.yaml", base_path)
    if found is None or isinstance(found, PathProblem) or not found.rel.startswith("static/"):
        why = found.message if isinstance(found, PathProblem) else f"'{text}' is not a file below static/"
        fields.problem(where, "unsafe-path", f"brand.{key}: {why}", _FILE_HINT)
        return None
    if found.suffix not in suffixes:
        fields.problem(where, bad, f"brand.{key}: {found.rel} is not {kind}",
                       f"use a file ending in {', '.join(suffixes)}")
        return None
    located = locate(found, root)
    if isinstance(located, PathProblem):
        code = missing if located.code == "missing-image" else located.code
        fields.problem(where, code, f"brand.{key}: {located.message}", _FILE_HINT)
        return None
    try:
        return found.rel, located.read_bytes()
    except OSError as exc:
        fields.problem(where, "unreadable-file", f"brand.{key}: cannot read {found.rel}: {exc.strerror}")
        return None


def _color(fields: FieldReader, raw: dict[str, Any], key: str, default: str) -> str:
    """A hex colour, darkened (with a `low-contrast` warning) until white text on it, and it as text
    on white, reach 4.5:1: the theme puts white text on both colours (buttons, the subscribe form)."""
    text = _text(fields, "brand", raw, key)
    if not text:
        return default
    if not _HEX.fullmatch(text):
        fields.problem(("brand", key), "bad-color", f"brand.{key} '{text}' is not a hex colour",
                       f'write it quoted, like `{key}: "{default}"`')
        return default
    color = "#" + (text[1:] if len(text) == 7 else "".join(ch * 2 for ch in text[1:])).lower()
    readable = on_white_text(color)
    if readable != color:
        line, col = fields.doc.pos("brand", key)
        fields.diagnostics.append(warning(
            fields.file, line, col, "low-contrast",
            f"brand.{key} '{text}' has a contrast of {contrast_with_white(color):.2f}:1 with white; text on "
            "white and white text on it need 4.5:1",
            f'themehub uses {readable} instead (darkened just enough); write `{key}: "{readable}"` or a darker '
            "colour to silence this warning"))
    return readable


def font_stack_problem(text: str) -> str:
    """Why `text` is not a plain CSS font list ('' when it is): it is written into brand.css as it is."""
    bad = _NOT_IN_FONT_LIST.search(text)
    if bad:
        shown = bad.group() if bad.group().isprintable() else f"U+{ord(bad.group()):04X}"
        return f"it holds '{shown}', which a list of font names never does"
    for family in text.split(","):
        if not _FAMILY.fullmatch(family.strip()):
            return f"'{family.strip()}' is not a font name (quote names that hold digits or other characters)"
    return ""


def _font(fields: FieldReader, raw: dict[str, Any], root: Path, base_path: str) -> tuple[str, str, str]:
    """(font file, its CSS format, '') for a file below static/, ('', '', stack) for a CSS font list."""
    text = _text(fields, "brand", raw, "font")
    if not text:
        return "", "", ""
    if text.startswith("/") or text.lower().endswith(FONT_SUFFIXES):  # a file; anything else is a font list
        found = _site_file(fields, raw, "font", root, base_path, FONT_SUFFIXES, "a font file", bad="bad-font",
                           missing="bad-font")
        head = found[1][:4] if found else b""
        if found and head not in FONT_MAGIC:
            fields.problem(("brand", "font"), "bad-font", f"brand.font: {found[0]} is not a font: it does not start "
                           "like a WOFF2, WOFF, TrueType or OpenType file", "export the font again as .woff2")
        return (found[0], FONT_MAGIC[head], "") if found and head in FONT_MAGIC else ("", "", "")
    problem = font_stack_problem(text)
    if problem:
        fields.problem(("brand", "font"), "bad-font", f"brand.font is not a CSS font list: {problem}",
                       "write font names separated by commas (`font: Georgia, serif`), or a font file below "
                       "static/ (`font: /fonts/Brand.woff2`)")
        return "", "", ""
    return "", "", ", ".join(family.strip() for family in text.split(","))


def _favicon(fields: FieldReader, raw: dict[str, Any], root: Path, base_path: str) -> str:
    found = _site_file(fields, raw, "favicon", root, base_path, (".svg", ".png", ".jpg", ".jpeg", ".webp"),
                       "a PNG, JPEG, WebP or SVG image")
    if found is None:
        return ""
    rel, data = found
    problem = sanitize_svg(data).problem if rel.endswith(".svg") else raster_icon_problem(data)
    if problem:
        fields.problem(("brand", "favicon"), "bad-image", f"brand.favicon: {rel} cannot be the favicon: {problem}",
                       f"use one square PNG, JPEG or WebP of at least {FAVICON_MIN}×{FAVICON_MIN} pixels "
                       "(512×512 is best), or an SVG")
        return ""
    return rel


def raster_icon_problem(data: bytes) -> str:
    """Why an image cannot be the source of the favicon set ('' when it can). Reads the header only."""
    from PIL import Image  # only for a raster favicon: the config stage does not load Pillow otherwise

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return "it cannot be read as an image"
    if kind not in ("PNG", "JPEG", "WEBP"):
        return f"it is a {kind} image, not PNG, JPEG or WebP"
    if width != height:
        return f"it is {width}×{height} pixels, not square"
    if width < FAVICON_MIN:
        return f"it is {width}×{height} pixels, smaller than {FAVICON_MIN}×{FAVICON_MIN}"
    return ""


def _web_address(fields: FieldReader, where: tuple[str, Any], text: str, *, mail: bool = False) -> str:
    """`text` if it is an http(s) address with a host (or, for `mail`, an email address); else ''."""
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = urlsplit("")
    if mail and parts.scheme in ("", "mailto") and re.fullmatch(r"(mailto:)?[^@\s:/]+@[^@\s/]+", text):
        return text if parts.scheme else f"mailto:{text}"
    if parts.scheme.lower() in ("http", "https") and parts.hostname and not re.search(r"[\s\x00-\x1f]", text):
        return text
    shown = f"{where[0]}.{where[1]}"
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        fields.problem(where, "unsafe-url", f"'{shown}' must be an https:// address, not a {parts.scheme}: URL")
    else:
        fields.problem(where, "wrong-type", f"'{shown}' must be a full https:// address, not '{text[:80]}'",
                       f"write `{where[-1]}: https://…`")
    return ""


def _social(fields: FieldReader) -> tuple[SocialLink, ...]:
    """Follow links, in the order written. A name close to a known network is a typo (an error with
    did-you-mean); any other name is a network themehub does not know, shown with a plain link icon."""
    links = []
    for key, value in fields.mapping("social").items():
        name = str(key)
        network = name.lower()
        if network not in NETWORKS:
            close = difflib.get_close_matches(network, NETWORKS, n=1, cutoff=0.75)
            if close:
                fields.problem(("social", key), "unknown-key", f"unknown social network '{name}'",
                               f"did you mean '{close[0]}'? (a name themehub does not know gets a plain link icon)")
                continue
        if value is None:
            continue  # `linkedin:` with nothing after it: not given
        if isinstance(value, list | dict):
            fields.problem(("social", key), "wrong-type", f"'social.{name}' must be an address, not {describe(value)}")
            continue
        url = _web_address(fields, ("social", key), str(value).strip(), mail=network == "email")
        if url:
            label, icon = NETWORKS.get(network, (name if name != network else name[:1].upper() + name[1:], "link"))
            links.append(SocialLink(network, label, url, icon))
    return tuple(links)


def _subscribe(fields: FieldReader) -> Subscribe | None:
    raw = fields.mapping("subscribe")
    if not raw:
        return None
    _unknown_keys(fields, "subscribe", raw, SUBSCRIBE_KEYS)
    action = _text(fields, "subscribe", raw, "action")
    if not action:
        line, col = fields.doc.key_positions.get("subscribe", fields.doc.pos("subscribe"))
        fields.diagnostics.append(error(
            fields.file, line, col, "missing-field", "'subscribe' needs an 'action': the address its form posts to",
            "add `action: https://newsletter.example.com/subscribe` (your provider's form address)"))
        return None
    action = _web_address(fields, ("subscribe", "action"), action)
    field_name = _text(fields, "subscribe", raw, "email_field") or "email"
    if not _FIELD_NAME.fullmatch(field_name):
        fields.problem(("subscribe", "email_field"), "wrong-type", f"subscribe.email_field '{field_name[:80]}' is "
                       "not a form field name", "write the name your provider's form gives its email input: "
                       "letters, digits, '_', '-', '.', ':' or brackets")
        field_name = "email"
    label = _text(fields, "subscribe", raw, "label") or "Subscribe"
    return Subscribe(action, field_name, label) if action else None
