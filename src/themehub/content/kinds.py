"""The content kinds, in order: every stage that treats kinds alike loops over KINDS (loading,
reference checks, `themehub new`, `themehub schema`, link tables, share images, health checks).
Adding a kind is one module beside this one, one entry here, one template and its tests."""

from __future__ import annotations

from themehub.content import article, author, event, page, service, theme, track
from themehub.content.kind import Kind
from themehub.content.model import Item
from themehub.urls import RESERVED_TOP_LEVEL

KINDS: tuple[Kind, ...] = (article.KIND, theme.KIND, author.KIND, service.KIND, page.KIND, track.KIND, event.KIND)

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
"""'article' -> its record: what `themehub new` takes."""
BY_FOLDER: dict[str, Kind] = {kind.folder: kind for kind in KINDS}
"""'articles' -> its record: the folder under content/ its files are in."""

RESERVED_SLUGS = RESERVED_TOP_LEVEL | {kind.section for kind in KINDS if kind.section}
"""Names a page at the site root (a kind with no section) may not take: the site's own files and
folders, and every kind's section."""

_BY_MODEL: dict[type, Kind] = {kind.model: kind for kind in KINDS}


def kind_of(item: Item) -> Kind:
    """The kind an item is of (by its class: each kind has its own)."""
    return _BY_MODEL[type(item)]
