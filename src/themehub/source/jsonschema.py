"""The JSON Schema (draft 2020-12) forms of the values source/fields.py reads: slugs, text, dates,
URLs, image focus, calls to action. Each content kind's schema (content/<kind>.py) and themehub.yaml's
(schemas.py) are made of them, so a form is written once."""

from __future__ import annotations

from typing import Any

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
SLUG_ITEM: Schema = {"anyOf": [SLUG, {"type": "integer", "minimum": 0}]}
SLUGS: Schema = {"anyOf": [SLUG_ITEM, {"type": "array", "items": SLUG_ITEM}]}
# Text fields take a number as its text (`title: 2026`); booleans, lists and mappings are refused.
TEXT: Schema = {"type": ["string", "number"]}
REQUIRED_TEXT: Schema = {"type": ["string", "number"], "pattern": r"\S"}
TEXTS: Schema = {"anyOf": [TEXT, {"type": "array", "items": TEXT}]}
DATE: Schema = {"type": "string",
                "pattern": r"^\s*\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?)?\s*$"}
# content/readers.py safe_url: only http(s), mailto and tel URLs, or a path (no ':' before the first '/').
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
FOLDER_NAME = r"^[A-Za-z0-9_.-]+$"
_OLD_PATH: Schema = {"type": "string", "pattern": r"^\s*/"}
ALIASES: Schema = {
    "description": "old paths below the site root, each redirected here (/blog/old-post/; the home page's old "
                   "id /?p=123 too)",
    "anyOf": [{"anyOf": [_OLD_PATH, {"type": "array", "items": _OLD_PATH}]}, {"type": "null"}],
}

UNDESCRIBED = "(no schema yet: `themehub check` validates this key)"


def field(schema: Schema, description: str) -> Schema:
    return {**schema, "description": description}


def optional(schema: Schema, description: str = "") -> Schema:
    """An optional key: null (an empty `key:` line) means not given, to themehub."""
    return {"description": description, "anyOf": [schema, {"type": "null"}]}


def mapping(title: str, keys: tuple[str, ...], fields: dict[str, Schema], required: tuple[str, ...]) -> Schema:
    """A schema of a mapping whose keys are exactly `keys`, in that order. A key with no entry in
    `fields` is still allowed (a schema must never refuse what themehub accepts); a test makes sure
    there is none."""
    properties = {key: fields.get(key, {"description": UNDESCRIBED}) for key in keys}
    return {"$schema": DRAFT, "title": title, "type": "object", "properties": properties,
            "required": [key for key in required if key in keys], "additionalProperties": False}
