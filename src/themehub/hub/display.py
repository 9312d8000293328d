"""What pages show of an article but the hub never reads: its display fields.

The hub orders, groups, ranks and counts articles by their dates, themes, authors, tags, depth, type,
services and flags, never by their title, summary or image description (related.py and
recommendations.py score without them; services, themes and tracks are ordered by *their* titles, which
is why only articles count here). So when an edit changes only an article's display fields, every
listing, ranking and count of the hub is what it was, and a page can show the edit only if its context
holds the article itself: the rebuild looks at just those pages (render/reuse.py `proven_unchanged`).
The hazard test walks every article of the sample hub to keep this true.
"""

from __future__ import annotations

import dataclasses
import hashlib

from themehub.content.model import Article

DISPLAY_FIELDS = frozenset({"title", "summary", "image_alt"})

_NOT_THE_SHAPE = DISPLAY_FIELDS | {"body", "body_line", "digest", "meta_digest", "positions", "placeholders"}
"""Besides the display fields: the body and what is found in it (a body edit has a proof of its own),
where things are written in the file (diagnostics only) and the digests of the file."""

_SHAPE_FIELDS = tuple(f.name for f in dataclasses.fields(Article) if f.name not in _NOT_THE_SHAPE)


def shape_digest(article: Article) -> str:
    """Hash of everything the hub reads of the article: equal digests, equal place in the hub."""
    values = repr(tuple(getattr(article, name) for name in _SHAPE_FIELDS))
    return hashlib.blake2b(values.encode(), digest_size=12).hexdigest()
