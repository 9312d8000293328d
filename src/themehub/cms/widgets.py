"""One front-matter key's JSON Schema (content/<kind>.py) -> one field of the editor.

The schema says the shape (a slug or a list of them, a date, a boolean, a choice, a mapping) and
whether the key is required; the kind's references say which collection a slug names; the site's
config gives the choices of `type` and `depth`. What a schema cannot say (that a path is a picture,
that a text is long) is the two small tables below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from themehub.config import Config
from themehub.content.kind import Kind
from themehub.content.kinds import BY_FOLDER
from themehub.source.jsonschema import CTA, DATE, SLUG, SLUG_ITEM, SLUGS, TEXTS, Schema

Field = dict[str, Any]

IMAGE_KEYS = frozenset({"image", "avatar"})
"""Keys whose value is a picture (a path below static/, next to the file, or a URL): the image widget."""
LONG_TEXT_KEYS = frozenset({"summary", "tagline"})
"""Text shown as a paragraph: a multi-line box."""
SLUG_MESSAGE = "lowercase letters and digits (any script) joined by single hyphens"

DATE_ONLY_KEYS = frozenset({"updated", "review_by"})
"""Dates that never need a time of day: the picker shows none, and saves 2026-03-14."""

# Choices that live in themehub.yaml, not in the schema (which lists the defaults as examples).
_SITE_CHOICES: dict[str, Callable[[Config], list[dict[str, str]]]] = {
    "type": lambda config: [{"label": key.replace("-", " ").capitalize(), "value": key} for key, _ in config.types],
    "depth": lambda config: [{"label": label, "value": key} for key, label in config.depths],
}


def without_null(schema: Schema) -> Schema:
    """An optional key's schema (`anyOf: [X, null]`, where null means "not given") as X."""
    options = schema.get("anyOf")
    if isinstance(options, list) and len(options) == 2 and options[1] == {"type": "null"}:
        return dict(options[0])
    return schema


def label_of(key: str) -> str:
    return key.replace("_", " ").capitalize()


def widget_field(key: str, schema: Schema, *, kind: Kind, config: Config, required: bool) -> Field:
    """The editor field of `key`: its widget and options, its hint (the schema's description), whether
    it must be filled, and the pattern a value must match, with the schema's words as the message."""
    description = str(schema.get("description", "")).strip()
    shape = without_null(schema)
    field: Field = {"name": key, "label": label_of(key), **_widget(key, shape, kind, config)}
    if description:
        field["hint"] = description[0].upper() + description[1:]
    field["required"] = required
    return field


def _widget(key: str, shape: Schema, kind: Kind, config: Config) -> Field:
    reference = next((ref for ref in kind.references if ref.key == key), None)
    if reference is not None and _is_slugs(shape):
        return _relation(reference.target, multiple=_same(shape, SLUGS))
    if key in _SITE_CHOICES:
        return {"widget": "select", "options": _SITE_CHOICES[key](config)}
    if _same(shape, DATE):
        return _datetime(key)
    if shape.get("type") == "boolean":
        return {"widget": "boolean", "default": False}
    if shape.get("type") == "integer":
        return {"widget": "number", "value_type": "int"}
    if "enum" in shape:
        return {"widget": "select", "options": [str(value) for value in shape["enum"]]}
    if _same(shape, CTA):
        return {"widget": "object", "collapsed": True, "fields": [
            {"name": "label", "label": "Label", "widget": "string", "required": False,
             "hint": "the button's words (give both, or neither)"},
            {"name": "url", "label": "Link", "widget": "string", "required": False,
             "hint": "where it goes: /services/x/, https://…, mailto:…"}]}
    if shape.get("type") == "object":  # a mapping of names to addresses (an SME's links)
        return {"widget": "keyvalue", "key_label": "Name", "value_label": "Address"}
    if _same(shape, TEXTS) or _is_list(shape):
        return {"widget": "list"}
    if key in IMAGE_KEYS:
        return {"widget": "image", "choose_url": True}
    if str(shape.get("pattern", "")).startswith("^#("):
        return {"widget": "color"}
    if _is_slugs(shape):  # a slug of its own (`slug:`): typed, held to the slug rules
        return {"widget": "string", "pattern": [SLUG["pattern"], SLUG_MESSAGE]}
    text: Field = {"widget": "text" if key in LONG_TEXT_KEYS else "string"}
    pattern = shape.get("pattern")
    if isinstance(pattern, str) and pattern != r"\S":  # \S is "required", which the editor says itself
        text["pattern"] = [pattern, f"not a value themehub reads as {label_of(key).lower()}"]
    return text


def _relation(folder: str, *, multiple: bool) -> Field:
    """A search box over another collection's entries, saving their slugs (the file names)."""
    title = BY_FOLDER[folder].title_key
    return {"widget": "relation", "collection": folder, "value_field": "{{slug}}",
            "search_fields": [title], "display_fields": [title], "multiple": multiple}


def _datetime(key: str) -> Field:
    if key in DATE_ONLY_KEYS:
        return {"widget": "datetime", "time_format": False, "format": "YYYY-MM-DD"}
    # A publication moment: the site builds it once the moment has passed (scheduled publishing), so the
    # time and the offset are kept (2026-03-14T09:30:00+01:00).
    return {"widget": "datetime", "format": "YYYY-MM-DDTHH:mm:ssZ"}


def _is_slugs(shape: Schema) -> bool:
    return _same(shape, SLUGS) or _same(shape, SLUG_ITEM) or _same(shape, SLUG)


def _is_list(shape: Schema) -> bool:
    options = shape.get("anyOf")
    return isinstance(options, list) and any(isinstance(o, dict) and o.get("type") == "array" for o in options)


def _same(shape: Schema, form: Schema) -> bool:
    """Whether a key's schema is one of source/jsonschema.py's forms (the kinds build theirs from them)."""
    return {k: v for k, v in shape.items() if k != "description"} == form
