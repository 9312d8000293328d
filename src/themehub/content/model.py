"""The content model: frozen values, built once by the loader and only read afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from themehub.source.fields import Ref as Ref  # read with the front matter; the items hold it


@dataclass(frozen=True, slots=True)
class Located:
    """What every content item carries besides its fields: identity of this version of its file,
    and where each front-matter key was written (for diagnostics raised after loading)."""

    digest: str = field(default="", kw_only=True)
    """Hash of the file's text: identifies this version of the file."""
    meta_digest: str = field(default="", kw_only=True)
    """Hash of the front matter only: what listings show of the item (its body shows on its own page)."""
    positions: tuple[tuple[str, int, int], ...] = field(default=(), kw_only=True)
    """(key, line, col) of each front-matter key (of its value when on the same line)."""

    def position(self, key: str) -> tuple[int, int]:
        for name, line, col in self.positions:
            if name == key:
                return line, col
        return 1, 1


@dataclass(frozen=True, slots=True)
class Article(Located):
    slug: str
    source: str
    title: str
    date: dt.datetime
    authors: tuple[Ref, ...]
    themes: tuple[Ref, ...]
    type: str
    depth: str
    summary: str
    tags: tuple[str, ...]
    services: tuple[Ref, ...]
    draft: bool
    image: str
    image_alt: str
    updated: dt.datetime | None
    aliases: tuple[str, ...]
    body: str
    body_line: int
    expires: dt.datetime | None = None
    review_by: dt.datetime | None = None
    image_focus: str = "center"
    featured: bool = False
    """Lead the home page with this piece (the newest featured one wins)."""

    @property
    def last_modified(self) -> dt.datetime:
        return self.updated or self.date


@dataclass(frozen=True, slots=True)
class Theme(Located):
    slug: str
    source: str
    title: str
    tagline: str
    parent: Ref | None
    color: str
    image: str
    image_alt: str
    services: tuple[Ref, ...]
    start: tuple[Ref, ...]
    weight: int
    body: str
    body_line: int
    cta_label: str = ""
    cta_url: str = ""
    image_focus: str = "center"


@dataclass(frozen=True, slots=True)
class Author(Located):
    slug: str
    source: str
    name: str
    role: str
    company: str
    avatar: str
    expertise: tuple[Ref, ...]
    links: tuple[tuple[str, str], ...]
    body: str
    body_line: int
    voice: str = "expert"
    """Whose voice this is: `expert` (our SME), `customer` or `partner` (advocates telling the story)."""
    contact: str = ""
    """Where a reader talks to them: a URL or a mailto: link ('' for none)."""


@dataclass(frozen=True, slots=True)
class Service(Located):
    slug: str
    source: str
    title: str
    summary: str
    cta_label: str
    cta_url: str
    weight: int
    body: str
    body_line: int


@dataclass(frozen=True, slots=True)
class Page(Located):
    slug: str
    source: str
    title: str
    summary: str
    body: str
    body_line: int


@dataclass(frozen=True, slots=True)
class Track(Located):
    """An ordered journey through articles, ending in a call to action that leads to a service."""

    slug: str
    source: str
    title: str
    summary: str
    theme: Ref | None
    steps: tuple[Ref, ...]
    service: Ref | None
    cta_label: str
    cta_url: str
    weight: int
    body: str
    body_line: int


Item = Article | Theme | Author | Service | Page | Track


ITEM_FIELDS = ("articles", "themes", "authors", "services", "pages", "tracks")
"""The fields of `Content` that hold items, one per content kind (its folder under content/)."""


@dataclass(frozen=True, slots=True)
class Content:
    """Everything under content/, each kind sorted by slug."""

    articles: tuple[Article, ...] = ()
    themes: tuple[Theme, ...] = ()
    authors: tuple[Author, ...] = ()
    services: tuple[Service, ...] = ()
    pages: tuple[Page, ...] = ()
    tracks: tuple[Track, ...] = ()
    unloaded: tuple[tuple[str, str], ...] = ()
    """(kind folder, slug) of each file that exists but could not be read into an item: references to it
    are not reported again as unknown (its own diagnostic says what is wrong: one per root cause)."""

    def items(self) -> Iterator[Item]:
        for name in ITEM_FIELDS:
            yield from getattr(self, name)

    def unloaded_slugs(self, kind: str) -> frozenset[str]:
        return frozenset(slug for folder, slug in self.unloaded if folder == kind)
