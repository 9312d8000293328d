"""JSON Schemas (draft 2020-12) of each kind's front matter and of themehub.yaml, for editors and tools.

They describe the same rules content/schema.py and config.py enforce; themehub itself never reads
them (its own diagnostics say more, with lines and hints).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from themehub.config import DEFAULT_DEPTHS, DEFAULT_TYPES, DEFAULT_WEIGHTS, KEYS, RAW_HTML_MODES

SLUG = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
SLUGS = {"oneOf": [SLUG, {"type": "array", "items": SLUG, "minItems": 1}]}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$",
        "description": "ISO 8601 date (2026-03-14) or date-time"}
TEXT = {"type": "string"}
URL_OR_PATH = {"type": "string", "not": {"pattern": "^\\s*(javascript|vbscript|data|file):"}}


def _described(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {**schema, "description": description}


def _object(title: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def schemas() -> dict[str, dict[str, Any]]:
    types = [t for t, _ in DEFAULT_TYPES]
    depths = [d for d, _ in DEFAULT_DEPTHS]
    article = _object("themehub article front matter", {
        "title": _described(TEXT, "a clear, specific title"),
        "date": _described(DATE, "publication date; future dates are published on that day"),
        "authors": _described(SLUGS, "author slugs (content/authors/<slug>.md)"),
        "author": _described(SLUGS, "same as authors"),
        "themes": _described(SLUGS, "campaign-theme slugs; the first is the primary theme"),
        "type": {"type": "string", "description": "content type (themehub.yaml `types`)", "examples": types},
        "depth": {"type": "string", "description": "depth level (themehub.yaml `depths`)", "examples": depths},
        "summary": _described(TEXT, "one sentence for cards, feeds and search engines"),
        "tags": {"type": "array", "items": {"type": ["string", "number"]}},
        "services": _described(SLUGS, "service slugs this piece leads to"),
        "draft": {"type": "boolean"},
        "slug": SLUG,
        "image": URL_OR_PATH, "image_alt": TEXT,
        "updated": DATE, "expires": _described(DATE, "after this date the piece leaves listings, keeps its page"),
        "review_by": _described(DATE, "`check` warns once this date has passed"),
        "aliases": {"type": "array", "items": {"type": "string", "pattern": "^/"}},
    }, ["title", "date", "themes"])
    article["anyOf"] = [{"required": ["authors"]}, {"required": ["author"]}]
    theme = _object("themehub campaign theme front matter", {
        "title": TEXT, "tagline": _described(TEXT, "the short, visual message"), "parent": SLUG,
        "color": {"type": "string", "pattern": "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"},
        "image": URL_OR_PATH, "image_alt": TEXT, "services": SLUGS,
        "start": _described(SLUGS, "the guided path: article slugs, entry first"), "weight": {"type": "integer"},
    }, ["title"])
    author = _object("themehub author (SME) front matter", {
        "name": TEXT, "role": TEXT, "company": TEXT, "avatar": URL_OR_PATH, "expertise": SLUGS,
        "links": {"type": "object", "additionalProperties": URL_OR_PATH},
    }, ["name"])
    service = _object("themehub service front matter", {
        "title": TEXT, "summary": TEXT, "weight": {"type": "integer"},
        "cta": {"type": "object", "properties": {"label": TEXT, "url": URL_OR_PATH},
                "required": ["label", "url"], "additionalProperties": False},
    }, ["title"])
    page = _object("themehub page front matter", {"title": TEXT, "summary": TEXT, "slug": SLUG}, ["title"])
    config = _object("themehub.yaml", {
        "title": TEXT, "base_url": {"type": "string", "pattern": "^https?://"}, "description": TEXT,
        "language": TEXT, "theme": TEXT, "output": TEXT,
        "types": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
        "depths": {"type": "object", "additionalProperties": TEXT},
        "raw_html": {"enum": list(RAW_HTML_MODES)},
        "related": {"type": "integer", "minimum": 0}, "paginate": {"type": "integer", "minimum": 1},
        "cadence_days": {"type": "integer", "minimum": 1},
        "related_weights": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0},
                            "propertyNames": {"enum": [name for name, _ in DEFAULT_WEIGHTS]}},
        "related_per_type": {"type": "integer", "minimum": 1}, "cta_after": {"type": "integer", "minimum": 0},
        "utm": {"type": "object", "properties": {"source": TEXT, "medium": TEXT}, "additionalProperties": False},
    }, ["title", "base_url"])
    for key, meaning in KEYS.items():
        config["properties"][key] = {**config["properties"][key], "description": meaning}
    track = _object("themehub track front matter", {
        "title": TEXT, "summary": TEXT, "theme": SLUG, "service": SLUG, "weight": {"type": "integer"},
        "steps": _described(SLUGS, "article slugs, in reading order"),
        "cta": {"type": "object", "properties": {"label": TEXT, "url": URL_OR_PATH},
                "required": ["label", "url"], "additionalProperties": False},
    }, ["title", "steps"])
    author["properties"]["voice"] = {"enum": ["expert", "customer", "partner"]}
    theme["properties"]["cta"] = track["properties"]["cta"]
    return {"article": article, "theme": theme, "author": author, "service": service, "page": page,
            "track": track, "themehub": config, "hub": hub_schema()}


def hub_schema() -> dict[str, Any]:
    """The versioned schema of /hub.json (`schema: themehub-hub/1`)."""
    nullable_slug = {"type": ["string", "null"]}
    slugs = {"type": "array", "items": {"type": "string"}}
    url = {"type": "string", "format": "uri"}
    cta = {"oneOf": [{"type": "null"}, {
        "type": "object", "additionalProperties": False,
        "required": ["id", "label", "url", "placement", "theme", "depth", "track", "service"],
        "properties": {"id": TEXT, "label": TEXT, "url": TEXT,
                       "placement": {"enum": ["article-end", "track-end", "theme-hub", "service-page"]},
                       "theme": TEXT, "depth": TEXT, "track": TEXT, "service": TEXT}}]}

    def record(properties: dict[str, Any]) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                           "required": list(properties), "properties": properties}}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "themehub hub graph (hub.json)",
        "type": "object",
        "additionalProperties": False,
        "required": ["schema", "site", "themes", "tracks", "content", "authors", "services"],
        "properties": {
            "schema": {"const": "themehub-hub/1"},
            "site": {"type": "object", "required": ["title", "base_url", "language", "depths"], "properties": {
                "title": TEXT, "base_url": url, "language": TEXT,
                "depths": {"type": "array", "items": {"type": "object", "required": ["key", "label"]}}}},
            "themes": record({"slug": TEXT, "title": TEXT, "tagline": TEXT, "url": url, "parent": nullable_slug,
                              "color": nullable_slug, "services": slugs, "path": slugs, "content": slugs, "cta": cta}),
            "tracks": record({"slug": TEXT, "title": TEXT, "url": url, "theme": nullable_slug, "steps": slugs,
                              "cta": cta}),
            "content": record({"slug": TEXT, "title": TEXT, "url": url, "type": TEXT, "depth": TEXT, "date": TEXT,
                               "updated": nullable_slug, "themes": slugs, "authors": slugs, "tags": slugs,
                               "tracks": slugs, "services": slugs, "related": slugs, "next": nullable_slug,
                               "cta": cta}),
            "authors": record({"slug": TEXT, "name": TEXT, "role": TEXT,
                               "voice": {"enum": ["expert", "customer", "partner"]}, "url": url,
                               "expertise": slugs, "content": slugs}),
            "services": record({"slug": TEXT, "title": TEXT, "url": url, "cta": cta, "content": slugs}),
        },
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
