"""Front-matter readers shared by several kinds: URLs that may go in an href, site files, image
focus, calls to action, custom slugs and aliases. Each reports at the value's line through the
FieldReader and returns a usable default."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote, urlsplit

from themehub.config import Config
from themehub.diagnostics import error
from themehub.source.fields import FOCUS, FieldReader, parse_focus
from themehub.source.paths import LocalFile, PathProblem, resolve_reference
from themehub.source.slugs import bad_slug_hint, slug_problem

COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})\Z")
_SAFE_SCHEMES = ("http", "https", "mailto", "tel", "")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
"""The date of an item whose date could not be read (it is reported, and the build fails anyway)."""


def safe_url(value: str) -> bool:
    """A URL that may be put in an href: no javascript:, data: or other active schemes."""
    cleaned = re.sub(r"[\x00-\x20]", "", value)
    try:
        scheme = urlsplit(cleaned).scheme.lower() if ":" in cleaned.split("/", 1)[0] else ""
        urlsplit(value.strip())
    except ValueError:  # not a URL at all (an unclosed IPv6 bracket): never put it in an href
        return False
    return scheme in _SAFE_SCHEMES


def url_field(fields: FieldReader, path: tuple[str | int, ...], value: str, what: str) -> str:
    if value and not safe_url(value):
        fields.problem(path, "unsafe-url", f"{what} '{value}' uses a scheme that is not allowed",
                       "use an http(s), mailto: or tel: URL, or a path")
        return ""
    return value


def image_field(f: FieldReader, key: str, config: Config) -> str:
    """An image field: an http(s) URL as written, or the site file it names ('static/images/x.jpg'),
    resolved once here by the one rule of source/paths.py. A path that leaves the site's folders is
    an error at the field, and the field is left empty."""
    value = url_field(f, (key,), f.text(key), key)
    found = resolve_reference(value, f.file, config.base_path) if value else None
    if isinstance(found, PathProblem):
        f.problem((key,), found.code, f"'{key}': {found.message}", found.hint)
        return ""
    return found.rel if isinstance(found, LocalFile) else value


MAX_NAME_BYTES = 255
"""A folder name's limit on every common file system (an alias becomes folders of the output)."""


QUERY_ALIAS = re.compile(r"/\?([A-Za-z_][A-Za-z0-9_-]{0,40})=([A-Za-z0-9_.-]{1,100})")
"""An old address of the home page with one query parameter (`/?p=123`, `/?page_id=7`): the old ids of
WordPress and its kind. A static site sees a query only in the browser: the home page redirects it."""


def read_alias(text: str) -> tuple[str, tuple[str, str] | None]:
    """An old URL path (`/blog/old-post/`) as the folders its redirect page goes in, percent-escapes
    decoded as a web server decodes them; or why it cannot be one (message, hint)."""
    alias = text.strip()
    if "://" in alias or alias.startswith("//"):
        path = urlsplit(alias if "://" in alias else "https:" + alias).path or "/"
        return "", ("is a whole URL, not a path", f"write only its path: {path}")
    if not alias.startswith("/"):
        return "", ("does not start with '/'", f"write old URLs as paths from the site root: /{alias.lstrip('./')}")
    query = QUERY_ALIAS.fullmatch(alias)
    if query is not None:  # the home page's old id (WordPress's /?p=123): its script redirects it
        return f"/?{query[1]}={query[2]}", None
    if "?" in alias or "#" in alias:
        return "", ("has a query (?) or a fragment (#)",
                    "only the home page's one-parameter addresses (/?p=123) can be redirected by the site; "
                    "redirect other such URLs on the web server")
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


def read_aliases(f: FieldReader, file: str) -> tuple[str, ...]:
    """`aliases:` of an article or a page: each old path read, or a `bad-alias` error at its line."""
    aliases: list[str] = []
    for alias, (line, col) in f.strings("aliases"):
        path, problem = read_alias(alias)
        if problem:
            f.diagnostics.append(error(file, line, col, "bad-alias", f"alias '{shown_value(alias)}' {problem[0]}",
                                       problem[1]))
        else:
            aliases.append(path)
    return tuple(aliases)


def shown_value(text: str, limit: int = 80) -> str:
    """A value as a message quotes it: control characters as '?', at most `limit` characters."""
    cleaned = re.sub(r"[\x00-\x1f\x7f]", "?", text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def focus(f: FieldReader) -> str:
    """`image_focus`: where to crop around (top, center, bottom-left, ... or 'x,y' fractions)."""
    value = f.text("image_focus", default="center")
    if parse_focus(value) is None:
        f.problem(("image_focus",), "bad-focus", f"image_focus '{value}' is not a position",
                  f"use one of {', '.join(FOCUS)}, or 'x,y' with fractions such as 0.3,0.2")
        return "center"
    return value


def cta(f: FieldReader) -> tuple[str, str]:
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
    return label, url_field(f, ("cta", "url"), url, "cta url")


def custom_slug(f: FieldReader, file_slug: str) -> str:
    """`slug:` when given and a slug (else reported), or the file's own."""
    if not f.has("slug"):
        return file_slug
    custom = f.text("slug")
    problem = slug_problem(custom)
    if problem is None:
        return custom
    f.problem(("slug",), "bad-slug", f"slug '{custom}' is not a slug: it {problem[0]}", bad_slug_hint(custom))
    return file_slug
