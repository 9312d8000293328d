"""JSON Schemas (draft 2020-12) of each kind's front matter and of themehub.yaml, for editors and tools.

They describe the same rules content/schema.py and config.py enforce, key for key (a test holds them
to KEYS and the *_KEYS tuples); themehub itself never reads them (its own diagnostics say more, with
lines and hints). What a schema cannot say (whether a slug names an existing item, whether a file
exists) is left to `themehub check`. A key themehub reads is never refused here: null means "not
given" to themehub, so every optional key accepts it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from themehub.brand import BRAND_KEYS, NETWORKS, SUBSCRIBE_KEYS
from themehub.config import CONFIG_FILE, DEFAULT_DEPTHS, DEFAULT_TYPES, DEFAULT_WEIGHTS, KEYS, RAW_HTML_MODES
from themehub.content.schema import (
    ARTICLE_KEYS,
    AUTHOR_KEYS,
    PAGE_KEYS,
    SERVICE_KEYS,
    THEME_KEYS,
    TRACK_KEYS,
    VOICES,
)
from themehub.diagnostics import Diagnostic, error
from themehub.source.fields import FOCUS
from themehub.source.slugs import MAX_SLUG_BYTES

Schema = dict[str, Any]

DRAFT = "https://json-schema.org/draft/2020-12/schema"

# A slug is letters and digits of any script joined by '-'. Unicode classes (\p{L}) are not in the
# regex dialect both JSON Schema's ECMA-262 and Python's `re` read, so this refuses every ASCII
# character but a-z, 0-9 and '-', and all white space; `themehub check` is exact about the rest.
_SLUG_CHAR = r"[^\x00-\x2f\x3a-\x60\x7b-\x7f\s]"
SLUG: Schema = {"type": "string", "pattern": f"^{_SLUG_CHAR}+(-{_SLUG_CHAR}+)*$", "maxLength": MAX_SLUG_BYTES}
# Slug lists read `2026` as the slug '2026'; a lone slug is a list of one.
_SLUG_ITEM: Schema = {"anyOf": [SLUG, {"type": "integer", "minimum": 0}]}
SLUGS: Schema = {"anyOf": [_SLUG_ITEM, {"type": "array", "items": _SLUG_ITEM}]}
# Text fields take a number as its text (`title: 2026`); booleans, lists and mappings are refused.
TEXT: Schema = {"type": ["string", "number"]}
REQUIRED_TEXT: Schema = {"type": ["string", "number"], "pattern": r"\S"}
TEXTS: Schema = {"anyOf": [TEXT, {"type": "array", "items": TEXT}]}
DATE: Schema = {"type": "string",
                "pattern": r"^\s*\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?)?\s*$"}
# content/schema.py safe_url: only http(s), mailto and tel URLs, or a path (no ':' before the first '/').
SAFE_URL: Schema = {"type": "string",
                    "pattern": r"^(\s*([hH][tT][tT][pP][sS]?|[mM][aA][iI][lL][tT][oO]|[tT][eE][lL]):|[^:/]*(/|$))"}
INTEGER: Schema = {"type": "integer"}
FOCUS_VALUE: Schema = {"type": "string", "anyOf": [
    {"enum": list(FOCUS)},
    {"pattern": r"^\s*(0?\.\d+|[01](\.0*)?)\s*,\s*(0?\.\d+|[01](\.0*)?)\s*$"},
]}
CTA: Schema = {
    "type": "object",
    "properties": {"label": REQUIRED_TEXT, "url": {**SAFE_URL, "minLength": 1}},
    "additionalProperties": False,
    # Both or neither: `cta: {}` is no call to action, half of one is an error.
    "anyOf": [{"maxProperties": 0}, {"required": ["label", "url"]}],
}
_FOLDER_NAME = r"^[A-Za-z0-9_.-]+$"

UNDESCRIBED = "(no schema yet: `themehub check` validates this key)"


def _field(schema: Schema, description: str) -> Schema:
    return {**schema, "description": description}


def _optional(schema: Schema, description: str = "") -> Schema:
    """An optional key: null (an empty `key:` line) means not given, to themehub."""
    return {"description": description, "anyOf": [schema, {"type": "null"}]}


def _object(title: str, keys: tuple[str, ...], fields: dict[str, Schema], required: tuple[str, ...]) -> Schema:
    """A schema of a mapping whose keys are exactly `keys`, in that order. A key with no entry in
    `fields` is still allowed (a schema must never refuse what themehub accepts); a test makes sure
    there is none."""
    properties = {key: fields.get(key, {"description": UNDESCRIBED}) for key in keys}
    return {"$schema": DRAFT, "title": title, "type": "object", "properties": properties,
            "required": [key for key in required if key in keys], "additionalProperties": False}


def article_schema() -> Schema:
    types = [t for t, _ in DEFAULT_TYPES]
    depths = [d for d, _ in DEFAULT_DEPTHS]
    schema = _object("themehub article front matter", ARTICLE_KEYS, {
        "title": _field(REQUIRED_TEXT, "a clear, specific title"),
        "date": _field(DATE, "publication date (2026-03-14 or 2026-03-14T09:30:00+01:00); a future date is "
                             "published on that day"),
        "authors": _optional(SLUGS, "author slugs (content/authors/<slug>.md)"),
        "author": _optional(SLUGS, "the same as authors"),
        "themes": _field(SLUGS, "campaign-theme slugs; the first is the primary theme"),
        "type": _optional({"type": "string", "examples": types}, "content type: one of `types` in themehub.yaml"),
        "depth": _optional({"type": "string", "examples": depths}, "depth level: one of `depths` in themehub.yaml"),
        "summary": _optional(TEXT, "one sentence for cards, feeds and search engines"),
        "tags": _optional(TEXTS, "free text; tags that slugify alike are one tag"),
        "services": _optional(SLUGS, "service slugs this piece leads to"),
        "draft": _optional({"type": "boolean"}, "drafts are built only with --drafts"),
        "slug": _optional(_SLUG_ITEM, "the address of the piece (default: the file name)"),
        "image": _optional(SAFE_URL, "a picture: /images/x.jpg (under static/), photo.jpg (next to the file) "
                                     "or an https:// URL"),
        "image_alt": _optional(TEXT, "what the image shows, for readers who cannot see it"),
        "image_focus": _optional(FOCUS_VALUE, "where to crop the image: a position or 'x,y' fractions"),
        "updated": _optional(DATE, "date of the last substantial change"),
        "aliases": _optional({"anyOf": [{"type": "string", "pattern": r"^\s*/"},
                                        {"type": "array", "items": {"type": "string", "pattern": r"^\s*/"}}]},
                             "old paths below the site root, each redirected here"),
        "expires": _optional(DATE, "after this date the piece leaves listings, and keeps its page"),
        "review_by": _optional(DATE, "`check` warns once this date has passed"),
        "featured": _optional({"type": "boolean"}, "lead the home page with this piece (the newest featured one)"),
    }, ("title", "date", "themes"))
    schema["anyOf"] = [{"required": ["authors"]}, {"required": ["author"]}]
    schema["not"] = {"required": ["authors", "author"]}  # either one, never both
    return schema


def theme_schema() -> Schema:
    return _object("themehub campaign theme front matter", THEME_KEYS, {
        "title": _field(REQUIRED_TEXT, "the theme's name"),
        "tagline": _optional(TEXT, "the short, visual message"),
        "parent": _optional(SLUG, "slug of the parent theme"),
        "color": _optional({"type": "string", "pattern": "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"},
                           "hex colour, quoted: \"#0f766e\""),
        "image": _optional(SAFE_URL, "the tile and hero picture"),
        "image_alt": _optional(TEXT, "what the image shows"),
        "image_focus": _optional(FOCUS_VALUE, "where to crop the image: a position or 'x,y' fractions"),
        "services": _optional(SLUGS, "service slugs this theme offers"),
        "start": _optional(SLUGS, "the guided path: article slugs, entry first"),
        "weight": _optional(INTEGER, "order on the home page (then title)"),
        "cta": _optional(CTA, "the theme's own call to action: label and url"),
    }, ("title",))


def author_schema() -> Schema:
    link = {"type": "string", "allOf": [{"pattern": r"\S"}, SAFE_URL]}
    return _object("themehub author (SME) front matter", AUTHOR_KEYS, {
        "name": _field(REQUIRED_TEXT, "the SME's name"),
        "role": _optional(TEXT, "job title"),
        "company": _optional(TEXT, "organisation"),
        "avatar": _optional(SAFE_URL, "a portrait: /images/x.jpg, photo.jpg or an https:// URL"),
        "expertise": _optional(SLUGS, "campaign-theme slugs"),
        "links": _optional({"type": "object", "additionalProperties": link},
                           "name: URL (website, linkedin, x, email, …); an email becomes a mailto: link"),
        "voice": _optional({"enum": list(VOICES)}, "expert (default), or customer / partner for advocates"),
        "contact": _optional({"type": "string", "allOf": [{"pattern": r"\S"}, SAFE_URL]},
                             "where readers talk to them: a booking page's URL, or an email address"),
    }, ("name",))


def service_schema() -> Schema:
    return _object("themehub service front matter", SERVICE_KEYS, {
        "title": _field(REQUIRED_TEXT, "the service's name"),
        "summary": _optional(TEXT, "one sentence"),
        "cta": _optional(CTA, "call to action: label and url"),
        "weight": _optional(INTEGER, "order in listings (then title)"),
    }, ("title",))


def page_schema() -> Schema:
    return _object("themehub page front matter", PAGE_KEYS, {
        "title": _field(REQUIRED_TEXT, "the page's title"),
        "summary": _optional(TEXT, "one sentence for search engines"),
        "slug": _optional(_SLUG_ITEM, "published at /<slug>/ (default: the file name)"),
    }, ("title",))


def track_schema() -> Schema:
    return _object("themehub track front matter", TRACK_KEYS, {
        "title": _field(REQUIRED_TEXT, "the track's name"),
        "summary": _optional(TEXT, "one sentence"),
        "theme": _optional(SLUG, "the campaign theme it belongs to"),
        "steps": _field(SLUGS, "article slugs, in reading order"),
        "service": _optional(SLUG, "the service the track leads to"),
        "cta": _optional(CTA, "call to action at the end, overriding the service's"),
        "weight": _optional(INTEGER, "order in listings (then title)"),
    }, ("title", "steps"))


def config_schema() -> Schema:
    weights = {name: {"type": "number", "minimum": 0} for name, _ in DEFAULT_WEIGHTS}
    size = {"type": "array", "prefixItems": [{"type": "integer", "minimum": 1}, {"type": "integer", "minimum": 0}],
            "minItems": 2, "maxItems": 2}
    images = {"type": "object", "additionalProperties": False, "properties": {
        "sizes": {"type": ["object", "null"], "additionalProperties": size,
                  "description": "name: [width, height] (height 0 keeps proportions)"},
        "quality": {"type": "integer", "minimum": 1, "maximum": 100, "description": "JPEG and WebP quality"},
        "share": {"type": "boolean", "description": "generate share images"},
    }}
    hex_color = {"type": "string", "pattern": "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"}
    site_file = {"type": "string", "pattern": r"^[^\\]*$"}  # below static/: `themehub check` resolves it
    https = {"type": "string", "pattern": r"^\s*[hH][tT][tT][pP][sS]?://[^\s/?#]+"}
    brand = {"type": "object", "additionalProperties": False, "properties": dict(zip(BRAND_KEYS, (
        _optional(site_file, "the logo in the header: a path below static/ (/images/brand/logo.svg)"),
        _optional(TEXT, "the logo's alt text (default: the site title)"),
        _optional(site_file, "one square image, PNG/JPEG/WebP of 180 px or more, or SVG: the favicon set is "
                             "made from it"),
        _optional(hex_color, "the brand colour, quoted (\"#1e3a8a\"): header accents, buttons"),
        _optional(hex_color, "a second colour, quoted: highlights, the subscribe button"),
        _optional({"type": "string", "pattern": r"^[^;{}<>\\]*$"},
                  "a font file below static/ (/fonts/Brand.woff2: woff2, woff, ttf, otf) or a CSS font list "
                  "(Georgia, serif)"),
    ), strict=True))}
    # A network themehub does not know is allowed (a plain link icon); a near miss of one it knows is not,
    # which a schema cannot say: `themehub check` does.
    social = {"type": "object", "additionalProperties": _optional(
        {"type": "string", "pattern": r"^\s*([hH][tT][tT][pP][sS]?://|mailto:|[^:/\s]+@)"},
        "a network themehub does not know: its address (shown with a plain link icon)"),
        "properties": {name: _optional(https, f"{label} address") for name, (label, _) in NETWORKS.items()
                       if name != "email"} | {"email": _optional(
                           {"type": "string", "pattern": r"^\s*(mailto:)?[^@\s:/]+@"}, "an email address")}}
    subscribe = {"type": "object", "additionalProperties": False, "required": ["action"],
                 "properties": dict(zip(SUBSCRIBE_KEYS, (
                     _field(https, "the address the form posts to (your newsletter provider's)"),
                     _optional({"type": "string", "pattern": r"^[A-Za-z0-9_.:\[\]-]{1,100}$"},
                               "the name of the email input (default: email)"),
                     _optional(TEXT, "the submit button's text (default: Subscribe)"),
                 ), strict=True))}
    fields: dict[str, Schema] = {
        "title": REQUIRED_TEXT,
        "base_url": {"type": "string", "pattern": r"^[hH][tT][tT][pP][sS]?://[^/?#@\s]+(/[^?#\s]*)?$"},
        "description": _optional(TEXT),
        "language": _optional(TEXT),
        "theme": _optional({"type": ["string", "number"], "pattern": _FOLDER_NAME, "not": {"enum": [".", ".."]}}),
        "output": _optional({"type": ["string", "number"], "pattern": r"^[^\x00-\x1f\x7f]*$"}),
        "types": _optional({"type": "object", "propertyNames": SLUG,
                            "additionalProperties": {"type": ["string", "null"]}}),
        "depths": _optional({"type": "object", "propertyNames": SLUG,
                             "additionalProperties": {"type": "string", "pattern": r"\S"}}),
        "raw_html": _optional({"enum": list(RAW_HTML_MODES)}),
        "related": _optional({"type": "integer", "minimum": 0}),
        "paginate": _optional({"type": "integer", "minimum": 1}),
        "cadence_days": _optional({"type": "integer", "minimum": 1}),
        "related_weights": _optional({"type": "object", "properties": weights, "additionalProperties": False}),
        "related_per_type": _optional({"type": "integer", "minimum": 1}),
        "cta_after": _optional({"type": "integer", "minimum": 0}),
        "utm": _optional({"type": "object", "additionalProperties": False,
                          "properties": {"source": _optional(TEXT, "utm_source (default: the site title as a slug)"),
                                         "medium": _optional(TEXT, "utm_medium (default: content-hub)")}}),
        "images": _optional(images),
        "brand": _optional(brand),
        "social": _optional(social),
        "footer": _optional(TEXT),
        "subscribe": _optional(subscribe),
    }
    # One wording for each key: config.py's KEYS, which the README's table repeats.
    described = {key: {**schema, "description": KEYS[key]} for key, schema in fields.items() if key in KEYS}
    return _object(CONFIG_FILE, tuple(KEYS), described, ("title", "base_url"))


def schemas() -> dict[str, Schema]:
    return {"article": article_schema(), "theme": theme_schema(), "author": author_schema(),
            "service": service_schema(), "page": page_schema(), "track": track_schema(),
            "themehub": config_schema(), "hub": hub_schema()}


def hub_schema() -> Schema:
    """The versioned schema of /hub.json (`schema: themehub-hub/1`)."""
    text = {"type": "string"}
    nullable_slug = {"type": ["string", "null"]}
    slugs = {"type": "array", "items": {"type": "string"}}
    url = {"type": "string", "format": "uri"}
    cta = {"oneOf": [{"type": "null"}, {
        "type": "object", "additionalProperties": False,
        "required": ["id", "label", "url", "placement", "theme", "depth", "track", "service"],
        "properties": {"id": text, "label": text, "url": text,
                       "placement": {"enum": ["article-end", "track-end", "theme-hub", "service-page"]},
                       "theme": text, "depth": text, "track": text, "service": text}}]}

    def record(properties: Schema) -> Schema:
        return {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                           "required": list(properties), "properties": properties}}

    return {
        "$schema": DRAFT,
        "title": "themehub hub graph (hub.json)",
        "type": "object",
        "additionalProperties": False,
        "required": ["schema", "site", "themes", "tracks", "content", "authors", "services"],
        "properties": {
            "schema": {"const": "themehub-hub/1"},
            "site": {"type": "object", "required": ["title", "base_url", "language", "depths"], "properties": {
                "title": text, "base_url": url, "language": text,
                "depths": {"type": "array", "items": {"type": "object", "required": ["key", "label"]}}}},
            "themes": record({"slug": text, "title": text, "tagline": text, "url": url, "parent": nullable_slug,
                              "color": nullable_slug, "services": slugs, "path": slugs, "content": slugs, "cta": cta}),
            "tracks": record({"slug": text, "title": text, "url": url, "theme": nullable_slug, "steps": slugs,
                              "cta": cta}),
            "content": record({"slug": text, "title": text, "url": url, "type": text, "depth": text, "date": text,
                               "updated": nullable_slug, "themes": slugs, "authors": slugs, "tags": slugs,
                               "tracks": slugs, "services": slugs, "related": slugs, "next": nullable_slug,
                               "cta": cta}),
            "authors": record({"slug": text, "name": text, "role": text,
                               "voice": {"enum": list(VOICES)}, "url": url,
                               "expertise": slugs, "content": slugs}),
            "services": record({"slug": text, "title": text, "url": url, "cta": cta, "content": slugs}),
        },
    }


def write_schemas(folder: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Write every schema into `folder` (made if needed). A folder that cannot be made or written is a
    `write-failed` diagnostic, never an exception: the user typed the path."""
    shown = str(folder)
    written: list[Path] = []
    try:
        if folder.exists() and not folder.is_dir():
            return [], [error(shown, 0, 0, "write-failed", f"{shown} is a file, not a folder",
                              "pass --out a folder to write the schemas into (it is made if it does not exist)")]
        folder.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas().items():
            path = folder / f"{name}.schema.json"
            path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            written.append(path)
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else shown
        return written, [error(where, 0, 0, "write-failed", f"could not write the schemas: {exc.strerror or exc}",
                               "check the folder's permissions and free disk space")]
    return written, []
