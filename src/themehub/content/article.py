"""The article kind: a piece of thought leadership (an article, a case study, a white paper, …)."""

from __future__ import annotations

from themehub.config import DEFAULT_DEPTHS, DEFAULT_TYPES, Config
from themehub.content import placeholders
from themehub.content.kind import Kind, Reference, Starter, yaml_slug, yaml_text
from themehub.content.model import Article
from themehub.content.readers import EPOCH, custom_slug, focus, image_field, read_aliases
from themehub.diagnostics import Diagnostic, error
from themehub.source.fields import FieldReader
from themehub.source.frontmatter import Document
from themehub.source.jsonschema import (
    ALIASES,
    DATE,
    FOCUS_VALUE,
    REQUIRED_TEXT,
    SAFE_URL,
    SLUG_ITEM,
    SLUGS,
    TEXT,
    TEXTS,
    Schema,
    field,
    mapping,
    optional,
)

KEYS = ("title", "date", "authors", "author", "themes", "type", "depth", "summary", "tags", "services",
        "draft", "slug", "image", "image_alt", "image_focus", "updated", "aliases", "expires", "review_by",
        "featured")


def read(doc: Document, file: str, file_slug: str, body: str, body_line: int,
         config: Config) -> tuple[Article | None, FieldReader]:
    f = FieldReader(doc, file)
    f.check_keys(KEYS, "an article")
    title = f.text("title", required=True, kind="an article", example="A clear, specific title")
    date = f.date("date", required=True, kind="an article")
    if f.has("author") and f.has("authors"):
        f.problem(("author",), "duplicate-key", "give either 'author' or 'authors', not both",
                  "keep `authors: [slug, ...]`")
    authors = f.refs("authors") or f.refs("author")
    if not authors and not (f.has("author") or f.has("authors")):
        f.missing("authors", "an article", "[your-author-slug]")
    themes = f.refs("themes")
    if not themes and not f.has("themes"):
        f.missing("themes", "an article", "[campaign-theme-slug]")
    type_ = f.choice("type", dict(config.types), "article")
    depth = f.choice("depth", config.depth_keys, config.default_depth(type_))
    slug = custom_slug(f, file_slug)
    tags = tuple(dict.fromkeys(t for t, _ in f.strings("tags") if t))
    aliases = read_aliases(f, file)
    image = image_field(f, "image", config)
    article = Article(
        slug=slug, source=file, title=title, date=date or EPOCH, authors=authors, themes=themes,
        type=type_, depth=depth, summary=f.text("summary"), tags=tags, services=f.refs("services"),
        draft=f.boolean("draft"), image=image, image_alt=f.text("image_alt"),
        updated=f.date("updated"), aliases=aliases, body=body, body_line=body_line,
        expires=f.date("expires"), review_by=f.date("review_by"), image_focus=focus(f),
        featured=f.boolean("featured"),
    )
    return (article if date is not None else None), f


def json_schema() -> Schema:
    types = [t for t, _ in DEFAULT_TYPES]
    depths = [d for d, _ in DEFAULT_DEPTHS]
    schema = mapping("themehub article front matter", KEYS, {
        "title": field(REQUIRED_TEXT, "a clear, specific title"),
        "date": field(DATE, "publication date (2026-03-14 or 2026-03-14T09:30:00+01:00); a future date is "
                            "published on that day"),
        "authors": optional(SLUGS, "author slugs (content/authors/<slug>.md)"),
        "author": optional(SLUGS, "the same as authors"),
        "themes": field(SLUGS, "campaign-theme slugs; the first is the primary theme"),
        "type": optional({"type": "string", "examples": types}, "content type: one of `types` in themehub.yaml"),
        "depth": optional({"type": "string", "examples": depths}, "depth level: one of `depths` in themehub.yaml"),
        "summary": optional(TEXT, "one sentence for cards, feeds and search engines"),
        "tags": optional(TEXTS, "free text; tags that slugify alike are one tag"),
        "services": optional(SLUGS, "service slugs this piece leads to"),
        "draft": optional({"type": "boolean"}, "drafts are built only with --drafts"),
        "slug": optional(SLUG_ITEM, "the address of the piece (default: the file name)"),
        "image": optional(SAFE_URL, "a picture: /images/x.jpg (under static/), photo.jpg (next to the file) "
                                    "or an https:// URL"),
        "image_alt": optional(TEXT, "what the image shows, for readers who cannot see it"),
        "image_focus": optional(FOCUS_VALUE, "where to crop the image: a position or 'x,y' fractions"),
        "updated": optional(DATE, "date of the last substantial change"),
        "aliases": ALIASES,
        "expires": optional(DATE, "after this date the piece leaves listings, and keeps its page"),
        "review_by": optional(DATE, "`check` warns once this date has passed"),
        "featured": optional({"type": "boolean"}, "lead the home page with this piece (the newest featured one)"),
    }, ("title", "date", "themes"))
    schema["anyOf"] = [{"required": ["authors"]}, {"required": ["author"]}]
    schema["not"] = {"required": ["authors", "author"]}  # either one, never both
    return schema


def starter(new: Starter) -> str | Diagnostic:
    """A draft in the given (or first) theme by the given (or first) author: `check` accepts it."""
    theme = new.theme_or_first()
    if isinstance(theme, Diagnostic):
        return theme
    authors = sorted(a.slug for a in new.content.authors)
    if new.author is None and not authors:
        return error("--author", 0, 0, "unknown-author", "the site has no author yet",
                     "create one first: themehub new author your-name")
    type_ = new.type or "article"
    return (f"---\ntitle: {yaml_text(new.title)}\ndate: {new.today.isoformat()}\n"
            f"authors: [{yaml_slug(new.author or authors[0])}]\n"
            f"themes: [{yaml_slug(theme)}]\ntype: {yaml_slug(type_)}\n"
            f"depth: {yaml_slug(new.config.default_depth(type_))}\nsummary: \"\"\ntags: []\nservices: []\n"
            "draft: true\n---\n\n"
            f"{placeholders.ARTICLE}\n\n## First section\n\n{placeholders.ARTICLE_SECTION}\n")


KIND = Kind(
    name="article", folder="articles", model=Article, described="article", read=read, keys=KEYS,
    json_schema=json_schema, section="articles", template="article.html", starter=starter,
    references=(
        Reference("themes", "themes", lambda a: a.themes),
        Reference("authors", "authors", lambda a: a.authors),
        Reference("services", "services", lambda a: a.services),
    ),
    nested=True, new_options=("title", "theme", "author", "type"),
)
