"""The campaign theme kind: a short, visual message that is an entry point, with sub-themes."""

from __future__ import annotations

from themehub.config import Config
from themehub.content import placeholders
from themehub.content.kind import Kind, Reference, Starter, yaml_text
from themehub.content.model import Ref, Theme
from themehub.content.readers import COLOR, cta, focus, image_field
from themehub.diagnostics import Diagnostic
from themehub.source.fields import FieldReader
from themehub.source.frontmatter import Document
from themehub.source.jsonschema import (
    CTA,
    FOCUS_VALUE,
    INTEGER,
    REQUIRED_TEXT,
    SAFE_URL,
    SLUG,
    SLUGS,
    TEXT,
    Schema,
    field,
    mapping,
    optional,
)

KEYS = ("title", "tagline", "parent", "color", "image", "image_alt", "image_focus", "services", "start",
        "weight", "cta")


def read(doc: Document, file: str, file_slug: str, body: str, body_line: int,
         config: Config) -> tuple[Theme | None, FieldReader]:
    f = FieldReader(doc, file)
    f.check_keys(KEYS, "a campaign theme")
    color = f.text("color")
    if color and not COLOR.match(color):
        f.problem(("color",), "bad-color", f"color '{color}' is not a hex colour",
                  "write it like `color: \"#0f766e\"` (with the quotes: # starts a YAML comment)")
        color = ""
    title = f.text("title", required=True, kind="a campaign theme", example="Smarter Planet")
    tagline, parent = f.text("tagline"), f.ref("parent")
    image = image_field(f, "image", config)
    image_alt, services, start = f.text("image_alt"), f.refs("services"), f.refs("start")
    weight = f.integer("weight", 0)
    label, url = cta(f)
    return Theme(slug=file_slug, source=file, title=title, tagline=tagline, parent=parent, color=color.lower(),
                 image=image, image_alt=image_alt, services=services, start=start, weight=weight,
                 body=body, body_line=body_line, cta_label=label, cta_url=url, image_focus=focus(f)), f


def json_schema() -> Schema:
    return mapping("themehub campaign theme front matter", KEYS, {
        "title": field(REQUIRED_TEXT, "the theme's name"),
        "tagline": optional(TEXT, "the short, visual message"),
        "parent": optional(SLUG, "slug of the parent theme"),
        "color": optional({"type": "string", "pattern": "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"},
                          "hex colour, quoted: \"#0f766e\""),
        "image": optional(SAFE_URL, "the tile and hero picture"),
        "image_alt": optional(TEXT, "what the image shows"),
        "image_focus": optional(FOCUS_VALUE, "where to crop the image: a position or 'x,y' fractions"),
        "services": optional(SLUGS, "service slugs this theme offers"),
        "start": optional(SLUGS, "the guided path: article slugs, entry first"),
        "weight": optional(INTEGER, "order on the home page (then title)"),
        "cta": optional(CTA, "the theme's own call to action: label and url"),
    }, ("title",))


def starter(new: Starter) -> str | Diagnostic:
    # Empty image fields, so the marketer sees they exist; a theme without one gets a share image.
    return (f"---\ntitle: {yaml_text(new.title)}\ntagline: \"\"\ncolor: \"#1e40af\"\n"
            "image: \"\"  # /images/x.jpg under static/, or a picture next to this file\n"
            "image_alt: \"\"  # what the picture shows, for readers who cannot see it\n"
            "services: []\nstart: []\nweight: 10\n---\n\n"
            f"{placeholders.THEME}\n")


def _parent(theme: Theme) -> tuple[Ref, ...]:
    # A theme naming itself as parent is a loop, reported once by the theme tree, not as unknown.
    return (theme.parent,) if theme.parent is not None and theme.parent.slug != theme.slug else ()


KIND = Kind(
    name="theme", folder="themes", model=Theme, described="campaign theme", read=read, keys=KEYS,
    json_schema=json_schema, section="themes", template="theme.html", starter=starter,
    references=(
        Reference("parent", "themes", _parent),
        Reference("services", "services", lambda t: t.services),
        Reference("start", "articles", lambda t: t.start),
    ),
)
