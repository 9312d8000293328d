"""The track kind: an ordered journey through articles, ending in a call to action for a service."""

from __future__ import annotations

from themehub.config import Config
from themehub.content import placeholders
from themehub.content.kind import Kind, Reference, Starter, yaml_ref, yaml_slug, yaml_text
from themehub.content.model import Track
from themehub.content.readers import cta
from themehub.diagnostics import Diagnostic
from themehub.source.fields import FieldReader
from themehub.source.frontmatter import Document
from themehub.source.jsonschema import CTA, INTEGER, REQUIRED_TEXT, SLUG, SLUGS, TEXT, Schema, field, mapping, optional

KEYS = ("title", "summary", "theme", "steps", "service", "cta", "weight")
STEPS = 5
"""How many of its theme's articles a new track proposes as steps (a campaign journey is short)."""


def read(doc: Document, file: str, file_slug: str, body: str, body_line: int,
         config: Config) -> tuple[Track | None, FieldReader]:
    f = FieldReader(doc, file)
    f.check_keys(KEYS, "a track")
    steps = f.refs("steps")
    if not steps and not f.has("steps"):
        f.missing("steps", "a track", "[first-article, second-article]")
    label, url = cta(f)
    track = Track(
        slug=file_slug, source=file,
        title=f.text("title", required=True, kind="a track", example="Cloud costs in five steps"),
        summary=f.text("summary"), theme=f.ref("theme"), steps=steps, service=f.ref("service"),
        cta_label=label, cta_url=url, weight=f.integer("weight", 0), body=body, body_line=body_line,
    )
    return track, f


def json_schema() -> Schema:
    return mapping("themehub track front matter", KEYS, {
        "title": field(REQUIRED_TEXT, "the track's name"),
        "summary": optional(TEXT, "one sentence"),
        "theme": optional(SLUG, "the campaign theme it belongs to"),
        "steps": field(SLUGS, "article slugs, in reading order"),
        "service": optional(SLUG, "the service the track leads to"),
        "cta": optional(CTA, "call to action at the end, overriding the service's"),
        "weight": optional(INTEGER, "order in listings (then title)"),
    }, ("title", "steps"))


def starter(new: Starter) -> str | Diagnostic:
    """A track through the given (or first) theme: the published articles of its hub (its sub-themes'
    too, as the hub rolls them up), entry level first, oldest first within a level, as proposed steps;
    and the first service the theme (or a parent theme) offers. Each is a slug that exists, so the file
    passes `check`."""
    content, config = new.content, new.config
    theme = new.theme or min((t.slug for t in content.themes), default=None)
    by_slug = {t.slug: t for t in content.themes}
    family = {theme} if theme else set()
    grown = True
    while grown:  # add sub-themes until none is new (a loop of parents stops too)
        before = len(family)
        family |= {t.slug for t in content.themes if t.parent is not None and t.parent.slug in family}
        grown = len(family) > before
    articles = sorted((a for a in content.articles if not a.draft and family & {r.slug for r in a.themes}),
                      key=lambda a: (config.depth_index(a.depth), a.date, a.slug))
    steps = ", ".join(yaml_slug(a.slug) for a in articles[:STEPS])
    services = {s.slug for s in content.services}
    offered: str | None = None
    current, seen = theme, set[str]()
    while current in by_slug and current not in seen and offered is None:  # `seen`: parents may form a loop
        seen.add(current)
        offered = next((r.slug for r in by_slug[current].services if r.slug in services), None)
        parent = by_slug[current].parent
        current = parent.slug if parent else None
    return (f"---\ntitle: {yaml_text(new.title)}\nsummary: \"\"\n{yaml_ref('theme', theme)}"
            f"steps: [{steps}]\n{yaml_ref('service', offered)}---\n\n"
            f"{placeholders.TRACK}\n")


KIND = Kind(
    name="track", folder="tracks", model=Track, described="track", read=read, keys=KEYS,
    json_schema=json_schema, section="tracks", template="track.html", starter=starter,
    references=(
        Reference("steps", "articles", lambda t: t.steps),
        Reference("theme", "themes", lambda t: (t.theme,) if t.theme else ()),
        Reference("service", "services", lambda t: (t.service,) if t.service else ()),
    ),
    new_options=("title", "theme"),
)
