"""JSON Schemas (draft 2020-12) of each kind's front matter and of themehub.yaml, for editors and tools.

They describe the same rules each kind's reader (content/<kind>.py) and config.py enforce, key for key
(a test holds them to KEYS and each kind's keys); themehub itself never reads them (its own diagnostics say more, with
lines and hints). What a schema cannot say (whether a slug names an existing item, whether a file
exists) is left to `themehub check`. A key themehub reads is never refused here: null means "not
given" to themehub, so every optional key accepts it.
"""

from __future__ import annotations

import json
from pathlib import Path

from themehub.brand import BRAND_KEYS, NETWORKS, SUBSCRIBE_KEYS
from themehub.config import CONFIG_FILE, DEFAULT_WEIGHTS, KEYS, LANGUAGE_TAG, RAW_HTML_MODES
from themehub.content.author import VOICES
from themehub.content.kinds import KINDS
from themehub.diagnostics import Diagnostic, error
from themehub.source.jsonschema import (
    DRAFT,
    FOLDER_NAME,
    REQUIRED_TEXT,
    SLUG,
    TEXT,
    Schema,
    field,
    mapping,
    optional,
)


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
        optional(site_file, "the logo in the header: a path below static/ (/images/brand/logo.svg)"),
        optional(TEXT, "the logo's alt text (default: the site title)"),
        optional(site_file, "one square image, PNG/JPEG/WebP of 180 px or more, or SVG: the favicon set is "
                             "made from it"),
        optional(hex_color, "the brand colour, quoted (\"#1e3a8a\"): header accents, buttons"),
        optional(hex_color, "a second colour, quoted: highlights, the subscribe button"),
        optional({"type": "string", "pattern": r"^[^;{}<>\\]*$"},
                  "a font file below static/ (/fonts/Brand.woff2: woff2, woff, ttf, otf) or a CSS font list "
                  "(Georgia, serif)"),
    ), strict=True))}
    # A network themehub does not know is allowed (a plain link icon); a near miss of one it knows is not,
    # which a schema cannot say: `themehub check` does.
    social = {"type": "object", "additionalProperties": optional(
        {"type": "string", "pattern": r"^\s*([hH][tT][tT][pP][sS]?://|mailto:|[^:/\s]+@)"},
        "a network themehub does not know: its address (shown with a plain link icon)"),
        "properties": {name: optional(https, f"{label} address") for name, (label, _) in NETWORKS.items()
                       if name != "email"} | {"email": optional(
                           {"type": "string", "pattern": r"^\s*(mailto:)?[^@\s:/]+@"}, "an email address")}}
    subscribe = {"type": "object", "additionalProperties": False, "required": ["action"],
                 "properties": dict(zip(SUBSCRIBE_KEYS, (
                     field(https, "the address the form posts to (your newsletter provider's)"),
                     optional({"type": "string", "pattern": r"^[A-Za-z0-9_.:\[\]-]{1,100}$"},
                               "the name of the email input (default: email)"),
                     optional(TEXT, "the submit button's text (default: Subscribe)"),
                 ), strict=True))}
    fields: dict[str, Schema] = {
        "title": REQUIRED_TEXT,
        "base_url": {"type": "string", "pattern": r"^[hH][tT][tT][pP][sS]?://[^/?#@\s]+(/[^?#\s]*)?$"},
        "description": optional(TEXT),
        "language": optional(TEXT),
        "default_language": optional({"type": "string", "pattern": LANGUAGE_PATTERN}),
        "languages": optional({"type": "object", "propertyNames": {"pattern": LANGUAGE_PATTERN},
                                "additionalProperties": {
                                    "type": "object", "required": ["name"], "additionalProperties": False,
                                    "properties": {
                                        "name": field(REQUIRED_TEXT, "the language's own name, as the switcher "
                                                                     "shows it (Deutsch)"),
                                        "title": optional(TEXT, "the site's title in this language"),
                                        "description": optional(TEXT, "the site's description in this language"),
                                        "path": optional({"type": "string", "pattern": r"^/?[a-z0-9][a-z0-9-]*/?$"},
                                                         "its folder below the site root (default: its code)"),
                                    }}}),
        "theme": optional({"type": ["string", "number"], "pattern": FOLDER_NAME, "not": {"enum": [".", ".."]}}),
        "output": optional({"type": ["string", "number"], "pattern": r"^[^\x00-\x1f\x7f]*$"}),
        "types": optional({"type": "object", "propertyNames": SLUG,
                            "additionalProperties": {"type": ["string", "null"]}}),
        "depths": optional({"type": "object", "propertyNames": SLUG,
                             "additionalProperties": {"type": "string", "pattern": r"\S"}}),
        "raw_html": optional({"enum": list(RAW_HTML_MODES)}),
        "related": optional({"type": "integer", "minimum": 0}),
        "paginate": optional({"type": "integer", "minimum": 1}),
        "cadence_days": optional({"type": "integer", "minimum": 1}),
        "related_weights": optional({"type": "object", "properties": weights, "additionalProperties": False}),
        "related_per_type": optional({"type": "integer", "minimum": 1}),
        "cta_after": optional({"type": "integer", "minimum": 0}),
        "utm": optional({"type": "object", "additionalProperties": False,
                          "properties": {"source": optional(TEXT, "utm_source (default: the site title as a slug)"),
                                         "medium": optional(TEXT, "utm_medium (default: content-hub)")}}),
        "images": optional(images),
        "brand": optional(brand),
        "social": optional(social),
        "footer": optional(TEXT),
        "subscribe": optional(subscribe),
    }
    # One wording for each key: config.py's KEYS, which the README's table repeats.
    described = {key: {**schema, "description": KEYS[key]} for key, schema in fields.items() if key in KEYS}
    return mapping(CONFIG_FILE, tuple(KEYS), described, ("title", "base_url"))


LANGUAGE_PATTERN = "^" + LANGUAGE_TAG.pattern + "$"


def schemas() -> dict[str, Schema]:
    """Every schema `themehub schema` writes, by file name: one per content kind, then themehub.yaml's
    and hub.json's."""
    return {**{kind.name: kind.json_schema() for kind in KINDS}, "themehub": config_schema(), "hub": hub_schema()}


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
