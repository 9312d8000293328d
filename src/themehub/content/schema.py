"""Per-kind front-matter rules: a Document becomes a typed model item, or diagnostics.

References to other items (themes, authors, services, articles) are only checked for form here;
whether they exist is the hub graph's business, once every file is loaded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from themehub.config import Config
from themehub.content.model import Article, Author, Item, Page, Service, Theme, Track
from themehub.diagnostics import error
from themehub.source.fields import FOCUS, FieldReader, parse_focus
from themehub.source.frontmatter import Document
from themehub.source.paths import LocalFile, PathProblem, resolve_reference
from themehub.source.slugs import bad_slug_hint, slug_problem

ARTICLE_KEYS = ("title", "date", "authors", "author", "themes", "type", "depth", "summary", "tags", "services",
                "draft", "slug", "image", "image_alt", "image_focus", "updated", "aliases", "expires", "review_by",
                "featured")
THEME_KEYS = ("title", "tagline", "parent", "color", "image", "image_alt", "image_focus", "services", "start",
              "weight", "cta")
AUTHOR_KEYS = ("name", "role", "company", "avatar", "expertise", "links", "voice", "contact")
TRACK_KEYS = ("title", "summary", "theme", "steps", "service", "cta", "weight")
VOICES = ("expert", "customer", "partner")
SERVICE_KEYS = ("title", "summary", "cta", "weight")
PAGE_KEYS = ("title", "summary", "slug")

_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})\Z")
_SAFE_SCHEMES = ("http", "https", "mailto", "tel", "")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def safe_url(value: str) -> bool:
    """A URL that may be put in an href: no javascript:, data: or other active schemes."""
    cleaned = re.sub(r"[\x00-\x20]", "", value)
    try:
        scheme = urlsplit(cleaned).scheme.lower() if ":" in cleaned.split("/", 1)[0] else ""
        urlsplit(value.strip())
    except ValueError:  # not a URL at all (an unclosed IPv6 bracket): never put it in an href
        return False
    return scheme in _SAFE_SCHEMES


def _url_field(fields: FieldReader, path: tuple[str | int, ...], value: str, what: str) -> str:
    if value and not safe_url(value):
        fields.problem(path, "unsafe-url", f"{what} '{value}' uses a scheme that is not allowed",
                       "use an http(s), mailto: or tel: URL, or a path")
        return ""
    return value


def _image_field(f: FieldReader, key: str, config: Config) -> str:
    """An image field: an http(s) URL as written, or the site file it names ('static/images/x.jpg'),
    resolved once here by the one rule of source/paths.py. A path that leaves the site's folders is
    an error at the field, and the field is left empty."""
    value = _url_field(f, (key,), f.text(key), key)
    found = resolve_reference(value, f.file, config.base_path) if value else None
    if isinstance(found, PathProblem):
        f.problem((key,), found.code, f"'{key}': {found.message}", found.hint)
        return ""
    return found.rel if isinstance(found, LocalFile) else value


def read_article(doc: Document, file: str, file_slug: str, body: str, body_line: int,
                 config: Config) -> tuple[Article | None, FieldReader]:
    f = FieldReader(doc, file)
    f.check_keys(ARTICLE_KEYS, "an article")
    title = f.text("title", required=True, kind="an article", example="A clear, specific title")
    date = f.date("date", required=True, kind="an article")
    if f.has("author") and f.has("authors"):
        f.problem(("author",), "duplicate-key", "give either 'author' or 'authors', not both",
                  "keep `authors: [slug, ...]`")
    authors = f.refs("authors") or f.refs("author")
    if not authors and not (f.has("author") or f.has("authors")):
        f.missing("authors", "an article", "[your-author-slug]")
    themes = f.refs("themes")
    if not themes and not f.has("themes"):
        f.missing("themes", "an article", "[campaign-theme-slug]")
    type_ = f.choice("type", dict(config.types), "article")
    depth = f.choice("depth", config.depth_keys, config.default_depth(type_))
    slug = file_slug
    if f.has("slug"):
        custom = f.text("slug")
        problem = slug_problem(custom)
        if problem is None:
            slug = custom
        else:
            f.problem(("slug",), "bad-slug", f"slug '{custom}' is not a slug: it {problem[0]}", bad_slug_hint(custom))
    tags = tuple(dict.fromkeys(t for t, _ in f.strings("tags") if t))
    aliases = []
    for alias, (line, col) in f.strings("aliases"):
        path, problem = read_alias(alias)
        if problem:
            f.diagnostics.append(error(file, line, col, "bad-alias", f"alias '{_shown(alias)}' {problem[0]}",
                                       problem[1]))
        else:
            aliases.append(path)
    image = _image_field(f, "image", config)
    article = Article(
        slug=slug, source=file, title=title, date=date or _EPOCH, authors=authors, themes=themes,
        type=type_, depth=depth, summary=f.text("summary"), tags=tags, services=f.refs("services"),
        draft=f.boolean("draft"), image=image, image_alt=f.text("image_alt"),
        updated=f.date("updated"), aliases=tuple(aliases), body=body, body_line=body_line,
        expires=f.date("expires"), review_by=f.date("review_by"), image_focus=_focus(f),
        featured=f.boolean("featured"),
    )
    return (article if date is not None else None), f


MAX_NAME_BYTES = 255
"""A folder name's limit on every common file system (an alias becomes folders of the output)."""


def read_alias(text: str) -> tuple[str, tuple[str, str] | None]:
    """An old URL path (`/blog/old-post/`) as the folders its redirect page goes in, percent-escapes
    decoded as a web server decodes them; or why it cannot be one (message, hint)."""
    alias = text.strip()
    if "://" in alias or alias.startswith("//"):
        path = urlsplit(alias if "://" in alias else "https:" + alias).path or "/"
        return "", ("is a whole URL, not a path", f"write only its path: {path}")
    if not alias.startswith("/"):
        return "", ("does not start with '/'", f"write old URLs as paths from the site root: /{alias.lstrip('./')}")
    if "?" in alias or "#" in alias:
        return "", ("has a query (?) or a fragment (#)",
                    "a static site serves files by path only: redirect such URLs on the web server")
    if "\\" in alias or re.search(r"[\x00-\x1f\x7f]", alias):
        return "", ("holds '\\' or a control character", "write the path with '/' between folders")
    try:
        decoded = unquote(alias, errors="strict")
    except UnicodeDecodeError:
        return "", ("holds a percent-escape that is not UTF-8", "write the characters themselves, e.g. /blog/café/")
    if decoded.count("/") != alias.count("/") or re.search(r"[\x00-\x1f\x7f\\]", decoded):
        return "", ("holds an escaped '/', '\\' or control character (%2F, %5C, %00…)", "write the path as it is")
    parts = decoded.strip("/").split("/")
    if parts == [""]:
        return "", ("is the home page", "remove it: the home page is always there")
    if any(part in (".", "..") for part in parts):
        return "", ("holds '.' or '..'", "write the full path from the site root, e.g. /blog/old-post/")
    if any(part == "" for part in parts):
        return "", ("holds an empty folder name ('//')", "write one '/' between folders")
    too_long = next((part for part in parts if len(part.encode("utf-8")) > MAX_NAME_BYTES), None)
    if too_long is not None:
        return "", (f"has a folder name of {len(too_long.encode('utf-8'))} bytes; file systems allow "
                    f"{MAX_NAME_BYTES}", "shorten that part of the path")
    return "/" + "/".join(parts) + "/", None


def _shown(text: str, limit: int = 80) -> str:
    cleaned = re.sub(r"[\x00-\x1f\x7f]", "?", text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def read_theme(doc: Document, file: str, file_slug: str, body: str, body_line: int,
               config: Config) -> tuple[Theme | None, FieldReader]:
    f = FieldReader(doc, file)
    f.check_keys(THEME_KEYS, "a campaign theme")
    color = f.text("color")
    if color and not _COLOR.match(color):
        f.problem(("color",), "bad-color", f"color '{color}' is not a hex colour",
                  "write it like `color: \"#0f766e\"` (with the quotes: # starts a YAML comment)")
        color = ""
    theme = Theme(
        slug=file_slug, source=file,
        title=f.text("title", required=True, kind="a campaign theme", example="Smarter Planet"),
        tagline=f.text("tagline"), parent=f.ref("parent"), color=color.lower(),
        image=_image_field(f, "image", config), image_alt=f.text("image_alt"),
        services=f.refs("services"), start=f.refs("start"), weight=f.integer("weight", 0),
        body=body, body_line=body_line,
    )
    label, url = _cta(f)
    return dataclasses.replace(theme, cta_label=label, cta_url=url, image_focus=_focus(f)), f


def read_author(doc: Document, file: str, file_slug: str, body: str, body_line: int,
                config: Config) -> tuple[Author | None, FieldReader]:
    f = FieldReader(doc, file)
    f.check_keys(AUTHOR_KEYS, "an author")
    links: list[tuple[str, str]] = []
    for name, url in f.mapping("links").items():
        if not isinstance(url, str) or not url.strip():
            f.problem(("links", name), "wrong-type", f"link '{name}' must be a URL as text")
            continue
        url = url.strip()
        if name == "email" and "@" in url and not url.startswith("mailto:"):
            url = "mailto:" + url
        if _url_field(f, ("links", name), url, f"link '{name}'"):
            links.append((name, url))
    author = Author(
        slug=file_slug, source=file,
        name=f.text("name", required=True, kind="an author", example="Ana Quinn"),
        role=f.text("role"), company=f.text("company"),
        avatar=_image_field(f, "avatar", config),
        expertise=f.refs("expertise"), links=tuple(links), body=body, body_line=body_line,
        voice=f.choice("voice", VOICES, "expert"), contact=_contact(f),
    )
    return author, f


def _contact(f: FieldReader) -> str:
    """`contact`: where a reader talks to the SME: an https URL (a booking page, a form) or an email."""
    value = f.text("contact")
    if value and "@" in value and "://" not in value and not value.startswith("mailto:"):
        value = "mailto:" + value
    return _url_field(f, ("contact",), value, "contact")


def _focus(f: FieldReader) -> str:
    """`image_focus`: where to crop around (top, center, bottom-left, ... or 'x,y' fractions)."""
    value = f.text("image_focus", default="center")
    if parse_focus(value) is None:
        f.problem(("image_focus",), "bad-focus", f"image_focus '{value}' is not a position",
                  f"use one of {', '.join(FOCUS)}, or 'x,y' with fractions such as 0.3,0.2")
        return "center"
    return value


def _cta(f: FieldReader) -> tuple[str, str]:
    """A `cta: {label, url}` mapping: both or neither."""
    cta = f.mapping("cta")
    for key in cta:
        if key not in ("label", "url"):
            f.problem(("cta", key), "unknown-key", f"unknown key '{key}' in 'cta'", "use `label` and `url`")
    if not cta:
        return "", ""
    label = f.text_at("cta", "label")
    url = f.text_at("cta", "url")
    if not label or not url:
        f.problem(("cta",), "missing-field", "'cta' needs both a 'label' and a 'url'",
                  "write `cta: {label: Talk to us, url: https://example.com/contact}`")
    return label, _url_field(f, ("cta", "url"), url, "cta url")


def read_service(doc: Document, file: str, file_slug: str, body: str, body_line: int,
                 config: Config) -> tuple[Service | None, FieldReader]:
    f = FieldReader(doc, file)
    f.check_keys(SERVICE_KEYS, "a service")
    label, url = _cta(f)
    service = Service(
        slug=file_slug, source=file,
        title=f.text("title", required=True, kind="a service", example="Cloud migration"),
        summary=f.text("summary"), cta_label=label, cta_url=url, weight=f.integer("weight", 0),
        body=body, body_line=body_line,
    )
    return service, f


def read_page(doc: Document, file: str, file_slug: str, body: str, body_line: int,
              config: Config) -> tuple[Page | None, FieldReader]:
    f = FieldReader(doc, file)
    f.check_keys(PAGE_KEYS, "a page")
    slug = f.text("slug") or file_slug
    problem = slug_problem(slug)
    if problem is not None:
        f.problem(("slug",), "bad-slug", f"slug '{slug}' is not a slug: it {problem[0]}", bad_slug_hint(slug))
        slug = file_slug
    page = Page(slug=slug, source=file, title=f.text("title", required=True, kind="a page", example="About us"),
                summary=f.text("summary"), body=body, body_line=body_line)
    return page, f


def read_track(doc: Document, file: str, file_slug: str, body: str, body_line: int,
               config: Config) -> tuple[Track | None, FieldReader]:
    f = FieldReader(doc, file)
    f.check_keys(TRACK_KEYS, "a track")
    steps = f.refs("steps")
    if not steps and not f.has("steps"):
        f.missing("steps", "a track", "[first-article, second-article]")
    label, url = _cta(f)
    track = Track(
        slug=file_slug, source=file,
        title=f.text("title", required=True, kind="a track", example="Cloud costs in five steps"),
        summary=f.text("summary"), theme=f.ref("theme"), steps=steps, service=f.ref("service"),
        cta_label=label, cta_url=url, weight=f.integer("weight", 0), body=body, body_line=body_line,
    )
    return track, f


Reader = Callable[[Document, str, str, str, int, Config], tuple[Item | None, FieldReader]]

READERS: dict[str, Reader] = {
    "articles": read_article,
    "themes": read_theme,
    "authors": read_author,
    "services": read_service,
    "pages": read_page,
    "tracks": read_track,
}

