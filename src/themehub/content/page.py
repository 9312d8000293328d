"""The page kind: a standalone page at the site root (/about/)."""

from __future__ import annotations

from themehub.config import Config
from themehub.content import placeholders
from themehub.content.kind import Kind, Starter, yaml_text
from themehub.content.model import Page
from themehub.content.readers import read_aliases
from themehub.diagnostics import Diagnostic
from themehub.source.fields import FieldReader
from themehub.source.frontmatter import Document
from themehub.source.jsonschema import ALIASES, REQUIRED_TEXT, SLUG_ITEM, TEXT, Schema, field, mapping, optional
from themehub.source.slugs import bad_slug_hint, slug_problem

KEYS = ("title", "summary", "slug", "aliases")


def read(doc: Document, file: str, file_slug: str, body: str, body_line: int,
         config: Config) -> tuple[Page | None, FieldReader]:
    f = FieldReader(doc, file)
    f.check_keys(KEYS, "a page")
    slug = f.text("slug") or file_slug  # an empty `slug:` is not given
    problem = slug_problem(slug)
    if problem is not None:
        f.problem(("slug",), "bad-slug", f"slug '{slug}' is not a slug: it {problem[0]}", bad_slug_hint(slug))
        slug = file_slug
    page = Page(slug=slug, source=file, title=f.text("title", required=True, kind="a page", example="About us"),
                summary=f.text("summary"), aliases=read_aliases(f, file), body=body, body_line=body_line)
    return page, f


def json_schema() -> Schema:
    return mapping("themehub page front matter", KEYS, {
        "title": field(REQUIRED_TEXT, "the page's title"),
        "summary": optional(TEXT, "one sentence for search engines"),
        "slug": optional(SLUG_ITEM, "published at /<slug>/ (default: the file name)"),
        "aliases": ALIASES,
    }, ("title",))


def starter(new: Starter) -> str | Diagnostic:
    return f"---\ntitle: {yaml_text(new.title)}\nsummary: \"\"\n---\n\n{placeholders.PAGE}\n"


KIND = Kind(
    name="page", folder="pages", model=Page, described="page", read=read, keys=KEYS,
    json_schema=json_schema, section="", template="page.html", starter=starter,
)
