"""Fingerprints of what a page shows, so that unchanged pages are not rendered again.

A page's fingerprint hashes its template context, where every content item stands for its
`meta_digest` (the hash of its front matter; bodies are in the context as rendered HTML), plus a
site-wide digest of everything templates may read besides their context (config, templates, the
`hub` lookups used by shared macros). Equal fingerprints mean equal output; the byte-for-byte tests
against clean builds keep that promise honest.

The walk also collects the content files whose items the context holds: an edit of what a page shows
of an article that the hub never orders or ranks by (hub/display.py) can only change the pages holding
that article (render/reuse.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

from themehub.content.kinds import KINDS
from themehub.hub.tags import Tag

_ITEMS = tuple(kind.model for kind in KINDS)


def _tag_as_shown(tag: Tag) -> tuple[str, str, int]:
    return (tag.slug, tag.name, len(tag.articles))


_AS_SHOWN: dict[type, Any] = {Tag: _tag_as_shown}
"""Records that stand for only what the built-in templates read of them. A tag on an article's page is
its name and address, and in the tag index its count: hashing its every article made a title edit
re-render each page of an article sharing one of its tags (80 pages for one title, 13 of them changed).
Templates of the site's own read anything: those make every content edit re-render every page
(render/site.py's site digest), so this is exact either way."""


Memo = dict[int, tuple[Any, str, frozenset[str]]]
"""id -> (the object, its token, the content files of the items inside it). Holding the object keeps its
id from being reused by another."""

NO_ITEMS: frozenset[str] = frozenset()


_ITEM_TYPES = frozenset(_ITEMS)
_SCALARS = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


_COMPOSITE: dict[type, bool] = {tuple: True, list: True}


def _is_composite(kind: type) -> bool:
    """Tuples, lists and dataclass records: what recurs across pages and is worth a memo entry."""
    found = _COMPOSITE.get(kind)
    if found is None:
        found = _COMPOSITE[kind] = dataclasses.is_dataclass(kind)
    return found


def _feed(value: Any, out: list[str], memo: Memo | None, refs: set[str]) -> None:
    kind = type(value)
    shown = _AS_SHOWN.get(kind)
    if shown is not None:  # a few scalars: cheaper to hash again than to keep in the memo
        _feed_inner(shown(value), out, memo, refs)
        return
    if kind in _ITEM_TYPES:
        # Front matter only: a body reaches a page as rendered Markup in the context, hashed below.
        out.append(value.meta_digest)
        refs.add(value.source)
        return
    if kind in _SCALARS:
        out.append(repr(value))
        return
    if memo is not None and _is_composite(kind):
        # Shared tuples and derived records (a theme's listing, a suggestion) recur across many
        # pages: hash each once per render.
        found = memo.get(id(value))
        if found is None:
            parts: list[str] = []
            inside: set[str] = set()
            _feed_inner(value, parts, memo, inside)
            token = hashlib.blake2b("".join(parts).encode(), digest_size=12).hexdigest()
            found = memo[id(value)] = (value, token, frozenset(inside) if inside else NO_ITEMS)
        out.append(found[1])
        if found[2]:
            refs.update(found[2])
        return
    _feed_inner(value, out, memo, refs)


def _feed_inner(value: Any, out: list[str], memo: Memo | None, refs: set[str]) -> None:
    if isinstance(value, _ITEMS) or type(value) in _SCALARS:
        _feed(value, out, memo, refs)
    elif isinstance(value, Markup):
        out.append("<md:" + hashlib.blake2b(value.encode(), digest_size=12).hexdigest() + ">")
    elif isinstance(value, str | int | float | bool | dt.date | Path):
        out.append(repr(value))
    elif isinstance(value, tuple | list):
        out.append("[")
        for item in value:
            if type(item) in _ITEM_TYPES:
                out.append(item.meta_digest)
                refs.add(item.source)
            else:
                _feed(item, out, memo, refs)
            out.append(",")
        out.append("]")
    elif isinstance(value, Mapping):
        out.append("{")
        for key in sorted(value, key=str):
            out.append(f"{key!r}:")
            _feed(value[key], out, memo, refs)
            out.append(",")
        out.append("}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(type(value).__name__ + "(")
        for name in _field_names(type(value)):
            _feed(getattr(value, name), out, memo, refs)
            out.append(",")
        out.append(")")
    else:
        raise TypeError(f"cannot fingerprint {type(value).__name__}")


def fingerprint(*values: Any, memo: Memo | None = None, refs: set[str] | None = None) -> str:
    """`memo`: shared by the fingerprints of one render, to hash recurring objects once. `refs`, when
    given, gets the content file of every item the values hold (however deep)."""
    parts: list[str] = []
    found = refs if refs is not None else set()
    for value in values:
        _feed(value, parts, memo, found)
        parts.append("|")
    return hashlib.blake2b("".join(parts).encode(), digest_size=16).hexdigest()


def files_digest(folders: Iterable[Path], allowed: Iterable[Path] = ()) -> str:
    """Digest of every file under `folders` (templates of the presentation-theme chain). With `allowed`,
    a file whose real path lies outside all of them (a link out of the site) is not read: it counts by
    its name only, as the template loader never reads it either."""
    roots = tuple(root.resolve() for root in allowed)
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                inside = not roots or any(path.resolve().is_relative_to(root) for root in roots)
                h.update(path.relative_to(folder).as_posix().encode() + b"\0"
                         + (path.read_bytes() if inside else b"") + b"\0")
    return h.hexdigest()


def content_hash(data: bytes) -> str:
    """A file's bytes, hashed: to trust a kept file only while it is exactly what was rendered."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
