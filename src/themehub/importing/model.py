"""What a reader of another generator's site (wordpress.py, hugo.py, jekyll.py) hands to the import:
the posts, pages and authors as the source has them, converted to markdown, with every old address and
every picture they reference, and notes on what was converted, kept verbatim or lost.

Readers only read: they never write, never download, and never decide themehub's slugs, themes or
file names (plan.py does, for every format alike).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

NoteKind = Literal["converted", "verbatim", "lost", "skipped"]
"""converted: a construct turned into markdown (a caption, a gallery, a Liquid include inlined);
verbatim: kept as it was because it was not understood (an unknown shortcode): listed so someone looks;
lost: something of the source that has no place in a hub (comments, a post's password);
skipped: a whole item not imported (an attachment page, a custom post type, a revision)."""


@dataclass(frozen=True, slots=True)
class Note:
    kind: NoteKind
    what: str
    """One line a person can act on: "kept verbatim: [contact-form-7 id=\"12\"]", "lost: 3 comments"."""


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture a post references (in its body or as its featured image)."""

    reference: str
    """Exactly as the markdown body (or the featured image) refers to it after conversion, and unique
    across the site: the absolute URL ("https://old.example/wp-content/uploads/2019/05/a.jpg") or the
    site path ("/images/a.jpg"; a Hugo page bundle's picture by its old address, "/2019/05/x/a.jpg", so
    two bundles' cover.jpg stay two pictures). files.py rewrites each occurrence."""
    file: Path | None
    """The file in the source tree (Hugo, Jekyll: resolved, inside the source folder), or None when it
    must be downloaded (WordPress: `reference` is its URL)."""
    alt: str = ""


@dataclass(frozen=True, slots=True)
class Post:
    kind: Literal["article", "page"]
    source: str
    """Where it came from, for the report and diagnostics: "content/posts/x.md", "WXR item 123 (post)"."""
    title: str
    name: str
    """The source's own slug (post_name, file name, `slug:`): plan.py makes themehub's slug from it."""
    date: dt.datetime | None
    """Timezone-aware; None for a page without one (plan.py uses the export's date)."""
    body: str
    """Markdown. Raw HTML the converter left (a table, an iframe) is allowed: themehub sanitizes it."""
    updated: dt.datetime | None = None
    authors: tuple[str, ...] = ()
    """The source's author ids (WordPress logins, Hugo/Jekyll author keys), as in Site.authors."""
    summary: str = ""
    categories: tuple[str, ...] = ()
    """Names as shown ("Cloud Economics"): plan.py makes the N most used campaign themes."""
    tags: tuple[str, ...] = ()
    image: Picture | None = None
    """The featured image (its alt text in Picture.alt)."""
    expires: dt.datetime | None = None
    """When the piece leaves listings (themehub's `expires`; Hugo's expiryDate)."""
    draft: bool = False
    """A draft, a pending or private post, a password-protected one: never published by the import."""
    featured: bool = False
    """Sticky (WordPress), `featured: true`/`pinned` elsewhere."""
    aliases: tuple[str, ...] = ()
    """Every old address of the post, as a path below the old site's base_url with the leading '/', not
    percent-encoded:
    "/2019/05/cloud-costs/", "/?p=123", "/blog/cloud-costs.html" (query strings kept)."""
    pictures: tuple[Picture, ...] = ()
    """Every picture the body references (the featured image apart)."""
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class Author:
    id: str
    """The source's key, as Post.authors names it."""
    name: str
    bio: str = ""
    """Markdown."""
    avatar: Picture | None = None
    role: str = ""
    links: tuple[tuple[str, str], ...] = ()
    """(network or label, URL): ("website", "https://…"), ("twitter", "https://x.com/…")."""


@dataclass(frozen=True, slots=True)
class Site:
    """Everything one reader found."""

    format: Literal["wordpress", "hugo", "jekyll"]
    title: str
    base_url: str
    """The old site's address ("https://old.example/blog/"), or "" when the source does not say. An absolute
    link in a body that starts with it is a link inside the site (plan.py rewrites it)."""
    posts: tuple[Post, ...]
    authors: tuple[Author, ...]
    description: str = ""
    language: str = ""
    notes: tuple[Note, ...] = ()
    """Site-level notes: items skipped, settings not carried over."""
    source: Path = field(default=Path("."))
    """The export file or the site folder that was read."""


class UnreadableSourceError(Exception):
    """The source cannot be read at all (not a WXR file, not a Hugo site): what is wrong, and what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


UnreadableSource = UnreadableSourceError  # the name the readers were briefed with
