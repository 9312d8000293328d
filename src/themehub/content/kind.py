"""What a content kind is: one frozen record that says everything the pipeline treats alike across
kinds. The records themselves live one module per kind (article.py, theme.py, …) and are listed, in
order, by kinds.py; every stage that handles "each kind" loops over that list.

A record holds only content-level facts and pure functions (where its files are, how its front matter
is read, what it refers to, its address, its page template, what `themehub new` writes). What a page of
the kind shows is the template's business, and the stages that treat a built-in kind in a way of its
own (listings of articles, the theme tree) say so by name.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from themehub.config import Config
from themehub.content.model import Content, Item, Ref
from themehub.diagnostics import Diagnostic, error
from themehub.source.fields import FieldReader
from themehub.source.frontmatter import Document

Reader = Callable[[Document, str, str, str, int, Config], tuple[Item | None, FieldReader]]
"""(front matter, file, slug from the file name, body, body's first line, config) -> the item (None
when it lacks a required key) and the field reader holding its diagnostics."""


@dataclass(frozen=True, slots=True)
class Reference:
    """A front-matter key whose value names items of another kind, checked once everything is loaded."""

    key: str
    """The key as written: 'themes', 'parent', 'steps'."""
    target: str
    """The folder of the kind it names: 'themes'."""
    read: Callable[[Any], tuple[Ref, ...]]
    """The references an item of this kind holds under `key`."""


@dataclass(frozen=True, slots=True)
class Starter:
    """What `themehub new` knows when it writes a file: the options given, checked, and the site."""

    slug: str
    given_title: str | None
    theme: str | None
    author: str | None
    type: str | None
    today: dt.date
    config: Config
    content: Content

    @property
    def title(self) -> str:
        """The title given, or one made from the slug ('cloud-costs' -> 'Cloud costs')."""
        return self.given_title or self.slug.replace("-", " ").capitalize()

    def theme_or_first(self) -> str | Diagnostic:
        """The theme given, or the site's first by slug; an error when the site has none yet."""
        if self.theme is not None:
            return self.theme
        first = min((t.slug for t in self.content.themes), default=None)
        return first if first is not None else error(
            "--theme", 0, 0, "unknown-theme", "the site has no campaign theme yet",
            "create one first: themehub new theme my-theme")


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    """'article': what `themehub new` takes and what messages call it."""
    folder: str
    """'articles': content/<folder>/ holds its files, and `Content.of(folder)` its items."""
    model: type[Item]
    described: str
    """How a reference to one is named in 'unknown campaign theme …': 'campaign theme'."""
    read: Reader
    keys: tuple[str, ...]
    """The front-matter keys it takes, in the order the JSON Schema and the README list them."""
    json_schema: Callable[[], dict[str, Any]]
    """The JSON Schema (draft 2020-12) of its front matter (`themehub schema`)."""
    section: str
    """The first folder of its pages' addresses ('articles' -> articles/<slug>/); '' puts them at the
    site root (pages: /about/)."""
    template: str
    """The template of its own page."""
    starter: Callable[[Starter], str | Diagnostic]
    """The file `themehub new <name> <slug>` writes (a complete front matter `check` accepts), or why
    the site cannot have one yet."""
    references: tuple[Reference, ...] = ()
    nested: bool = False
    """Files may sit in subfolders of its folder (articles, grouped by year or campaign)."""
    title_key: str = "title"
    """The field that names an item (an SME's is `name`)."""
    new_options: tuple[str, ...] = ("title",)
    """The options of `themehub new` it uses; any other is a usage error, never silently ignored."""
    theme_listing: str = ""
    """The heading of the section that lists it on the hub of each theme it names in `themes` ('' for
    none); the cards come from the template `<name>_card.html`."""
    listed: Callable[[Any, dt.datetime], bool] = lambda item, now: True
    """Whether an item shows in listings at `now` (an event, until it is over); its page stays."""
    moments: Callable[[Any], tuple[dt.datetime, ...]] = lambda item: ()
    """The moments at which `listed` changes for an item: `serve` renders everything again once one
    passes (incremental/edits.py)."""
    index_title: str = ""
    """For a kind without a page function of its own: the title of its index at /<section>/ (template
    `<folder>.html`: the items listed now, then the others), made when it has items; '' for none."""
    order: Callable[[Any], Any] = lambda item: item.slug
    """The sort key of its listings."""
    share_footer: Callable[[Any, Callable[..., str]], str] | None = None
    """For a kind without a page function of its own: the footer line of the share image drawn for each
    item (its title and summary above it, in its first theme's colour), given the item and the site's
    `date` filter (dates in the site's language); None draws none."""

    def url(self, slug: str) -> str:
        """The address of an item's page, relative to the site root ('articles/x/', 'about/')."""
        return f"{self.section}/{slug}/" if self.section else f"{slug}/"

    def title_of(self, item: Item) -> str:
        return str(getattr(item, self.title_key))

    @property
    def listing_id(self) -> str:
        """The id of the heading of its listing on theme hubs ('events-heading'); headings in bodies
        never take it (render/markdown.py)."""
        return f"{self.folder}-heading"

    def unknown_code(self) -> str:
        """The diagnostic code of a reference to an item of this kind that does not exist."""
        return f"unknown-{self.name}"


def yaml_text(value: str) -> str:
    """`value` as a YAML string that reads back as written (a JSON string is a double-quoted YAML one)."""
    return json.dumps(value, ensure_ascii=False)


def yaml_slug(slug: str) -> str:
    """A slug as YAML reads it back: plain, unless YAML would read a boolean or nothing (`null`)."""
    return yaml_text(slug) if slug in ("true", "false", "null") else slug


def yaml_ref(key: str, slug: str | None) -> str:
    """The line `key: slug`, or `key:` alone (YAML's null: not set) when there is none."""
    return f"{key}: {yaml_slug(slug)}\n" if slug else f"{key}:\n"
