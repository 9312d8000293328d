"""The editor's configuration (Sveltia CMS's config.yml) of a site: one collection per content kind,
its fields made from the kind's JSON Schema, and the site-wide settings (backend, media, slugs,
editorial workflow, languages)."""

from __future__ import annotations

from typing import Any

from themehub.cms.widgets import Field, label_of, widget_field
from themehub.config import Config
from themehub.content.kind import Kind
from themehub.content.kinds import KINDS
from themehub.content.translations import TRANSLATED_KEYS
from themehub.source.slugs import MAX_SLUG_BYTES

MEDIA_FOLDER = "static/images"
"""Where the editor uploads pictures, and the address they then have on the site."""
PUBLIC_FOLDER = "/images"

COLLECTION_LABELS: dict[str, tuple[str, str]] = {
    "article": ("Articles", "Article"),
    "theme": ("Campaign themes", "Campaign theme"),
    "author": ("Experts (SMEs)", "Expert"),
    "service": ("Services", "Service"),
    "page": ("Pages", "Page"),
    "track": ("Reading tracks", "Reading track"),
    "event": ("Events", "Event"),
}
"""What the editor's sidebar calls each kind, plural and singular (a kind without an entry: its folder)."""

TRANSLATABLE = frozenset({*TRANSLATED_KEYS, "name", "body", "slug", "updated"})
"""Fields a translation (`<slug>.<lang>.md`) has of its own: the words, its own address and date, its
body. Every other field is edited on the original only, and a translation inherits it."""

NESTED_DEPTH = 3
"""How deep below its folder the editor looks for a nested kind's files (content/articles/2026/x.md)."""


def editor_config(config: Config, *, repo: str, branch: str) -> dict[str, Any]:
    """The whole config.yml, as data (files.py writes it with the `$schema` line first)."""
    document: dict[str, Any] = {
        "backend": {"name": "github", "repo": repo, "branch": branch},
        # Every save is a pull request (drafts -> in review -> ready), checked by `themehub check` in CI.
        "publish_mode": "editorial_workflow",
        "site_url": config.base_url,
        "display_url": config.base_url,
        "app_title": f"{config.title}: editor",
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        # themehub's slugs: letters and digits of any script, lowercase, joined by '-' (source/slugs.py).
        # An optional field left empty is left out of the file: `slug: ''` or `expires: ''` is an error to
        # themehub, a missing key is not.
        "output": {"omit_empty_optional_fields": True},
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-",
                 "lowercase": True, "trim": True, "maxlength": MAX_SLUG_BYTES // 4},
    }
    if config.languages:
        document["i18n"] = {
            # A translation is `<slug>.<lang>.md` beside its original, which has no language in its name.
            "structure": "multiple_files",
            "locales": [language.code for language in config.languages],
            "default_locale": config.languages[0].code,
            "omit_default_locale_from_file_path": True,
        }
    document["collections"] = [_collection(kind, config) for kind in KINDS]
    return document


def _collection(kind: Kind, config: Config) -> dict[str, Any]:
    plural, singular = COLLECTION_LABELS.get(kind.name, (label_of(kind.folder), label_of(kind.name)))
    collection: dict[str, Any] = {
        "name": kind.folder,
        "label": plural,
        "label_singular": singular,
        "folder": f"content/{kind.folder}",
        "extension": "md",
        "format": "yaml-frontmatter",
        "create": True,
        "identifier_field": kind.title_key,
        "slug": "{{slug}}",
        "summary": "{{" + kind.title_key + "}}",
        "preview_path": kind.url("{{slug}}"),
    }
    if kind.nested:
        collection["nested"] = {"depth": NESTED_DEPTH}
    fields = kind_fields(kind, config)
    if any(field["name"] == "date" for field in fields):
        collection["sortable_fields"] = ["date", kind.title_key]
        collection["preview_path_date_field"] = "date"
    if config.languages:
        collection["i18n"] = True
        for field in fields:
            field["i18n"] = field["name"] in TRANSLATABLE
    collection["fields"] = fields
    return collection


def kind_fields(kind: Kind, config: Config) -> list[Field]:
    """Every front-matter key of the kind (a synonym aside), in the order of its schema (the README's),
    then the body."""
    schema = kind.json_schema()
    required = set(schema.get("required", ()))
    # `authors` or its synonym `author`, never both: the editor asks for `authors` only. A file that uses
    # `author` keeps it (the editor keeps keys it has no field for); `check` says to merge the two.
    either = [option["required"][0] for option in schema.get("anyOf", ()) if "required" in option]
    if either:
        required.add(either[0])
    fields = [widget_field(key, value, kind=kind, config=config, required=key in required)
              for key, value in schema["properties"].items() if key not in either[1:]]
    fields.append({"name": "body", "label": "Body", "widget": "markdown", "required": False,
                   "hint": "the text of the page, in Markdown"})
    return fields
