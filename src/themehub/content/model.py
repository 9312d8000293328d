"""The content model: frozen values, built once by the loader and only read afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import cast

from themehub.source.fields import Ref as Ref  # read with the front matter; the items hold it


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """What every content item has, whatever its kind (content/kinds.py): its address, its file and its
    body, the identity of this version of the file, and where each front-matter key was written (for
    diagnostics raised after loading). Items are made with keywords only."""

    slug: str
    source: str
    """The file, relative to the site root with '/' separators: what diagnostics show."""
    body: str
    body_line: int
    """The line of the file the body starts on (for diagnostics about the body)."""
    digest: str = ""
    """Hash of the file's text: identifies this version of the file."""
    meta_digest: str = ""
    """Hash of the front matter only: what listings show of the item (its body shows on its own page)."""
    body_digest: str = ""
    """Hash of the body only: what its rendered markdown is made from (render/bodies.py), so a front-matter
    edit keeps it."""
    positions: tuple[tuple[str, int, int], ...] = ()
    """(key, line, col) of each front-matter key (of its value when on the same line)."""
    language: str = ""
    """For a translation (content/translations.py): its language; '' for an original."""
    original: str = ""
    """For a translation: its original's file. It keeps the original's slug (references name originals)."""
    localized_slug: str = ""
    """For a translation published under an address of its own (`slug:`): that slug ('' for the original's)."""
    placeholders: tuple[str, ...] | None = None
    """The texts `themehub new` wrote for the author to replace that the body still holds
    (content/placeholders.py), found when the file is read, so a rebuild does not scan every body
    again (None: not looked for)."""

    def position(self, key: str) -> tuple[int, int]:
        for name, line, col in self.positions:
            if name == key:
                return line, col
        return 1, 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Article(Item):
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
    expires: dt.datetime | None = None
    review_by: dt.datetime | None = None
    image_focus: str = "center"
    featured: bool = False
    """Lead the home page with this piece (the newest featured one wins)."""

    @property
    def last_modified(self) -> dt.datetime:
        return self.updated or self.date


@dataclass(frozen=True, slots=True, kw_only=True)
class Theme(Item):
    title: str
    tagline: str
    parent: Ref | None
    color: str
    image: str
    image_alt: str
    services: tuple[Ref, ...]
    start: tuple[Ref, ...]
    weight: int
    cta_label: str = ""
    cta_url: str = ""
    image_focus: str = "center"


@dataclass(frozen=True, slots=True, kw_only=True)
class Author(Item):
    name: str
    role: str
    company: str
    avatar: str
    expertise: tuple[Ref, ...]
    links: tuple[tuple[str, str], ...]
    voice: str = "expert"
    """Whose voice this is: `expert` (our SME), `customer` or `partner` (advocates telling the story)."""
    contact: str = ""
    """Where a reader talks to them: a URL or a mailto: link ('' for none)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Service(Item):
    title: str
    summary: str
    cta_label: str
    cta_url: str
    weight: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Page(Item):
    title: str
    summary: str
    aliases: tuple[str, ...] = ()
    """Old paths below the site root that redirect here (as an article's)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Track(Item):
    """An ordered journey through articles, ending in a call to action that leads to a service."""

    title: str
    summary: str
    theme: Ref | None
    steps: tuple[Ref, ...]
    service: Ref | None
    cta_label: str
    cta_url: str
    weight: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Event(Item):
    """A webinar, a round table, a conference talk: listed on the hubs of its themes while it is ahead."""

    title: str
    date: dt.datetime
    """When it starts."""
    end: dt.datetime | None
    location: str
    """Where: a city and venue, or 'Online'."""
    themes: tuple[Ref, ...]
    speakers: tuple[Ref, ...]
    services: tuple[Ref, ...]
    summary: str
    cta_label: str
    cta_url: str
    """Where readers sign up."""


@dataclass(frozen=True, slots=True)
class Content:
    """Everything under content/: each kind's items, under its folder's name (content/kinds.py), in the
    order of the kinds, each sorted by slug."""

    folders: tuple[tuple[str, tuple[Item, ...]], ...] = ()
    translations: tuple[Item, ...] = ()
    """Every translation (`<slug>.<lang>.md`), by file: outside `folders`, which are the site's default
    language; hub/languages.py makes each language's content from them."""
    unloaded: tuple[tuple[str, str], ...] = ()
    """(kind folder, slug) of each file that exists but could not be read into an item: references to it
    are not reported again as unknown (its own diagnostic says what is wrong: one per root cause)."""
    unloaded_files: tuple[str, ...] = ()
    """The same files by path from the site root (`content/articles/x.md`): a body's link to one is not
    reported as a link to a file that does not exist."""

    def of(self, folder: str) -> tuple[Item, ...]:
        """The items of the kind whose folder is `folder` ('articles')."""
        for name, items in self.folders:
            if name == folder:
                return items
        return ()

    def items(self) -> Iterator[Item]:
        """Every item, kind by kind."""
        for _, items in self.folders:
            yield from items

    def with_items(self, changed: Iterable[Item]) -> Content:
        """This content with each of `changed` in place of the item of the same file."""
        by_source = {item.source: item for item in changed}
        return replace(self, folders=tuple((folder, tuple(by_source.get(item.source, item) for item in items))
                                           for folder, items in self.folders))

    def unloaded_slugs(self, kind: str) -> frozenset[str]:
        return frozenset(slug for folder, slug in self.unloaded if folder == kind)

    # The built-in kinds by name, typed, for the stages that treat each kind in its own way.
    @property
    def articles(self) -> tuple[Article, ...]:
        return cast("tuple[Article, ...]", self.of("articles"))

    @property
    def themes(self) -> tuple[Theme, ...]:
        return cast("tuple[Theme, ...]", self.of("themes"))

    @property
    def authors(self) -> tuple[Author, ...]:
        return cast("tuple[Author, ...]", self.of("authors"))

    @property
    def services(self) -> tuple[Service, ...]:
        return cast("tuple[Service, ...]", self.of("services"))

    @property
    def pages(self) -> tuple[Page, ...]:
        return cast("tuple[Page, ...]", self.of("pages"))

    @property
    def tracks(self) -> tuple[Track, ...]:
        return cast("tuple[Track, ...]", self.of("tracks"))
