"""Fingerprints of what a page shows, so that unchanged pages are not rendered again.

A page's fingerprint hashes its template context, where every content item stands for its
`meta_digest` (the hash of its front matter; bodies are in the context as rendered HTML), plus a
site-wide digest of everything templates may read besides their context (config, templates, the
`hub` lookups used by shared macros). Equal fingerprints mean equal output; the byte-for-byte tests
against clean builds keep that promise honest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

from themehub.content.model import Article, Author, Page, Service, Theme, Track

_ITEMS = (Article, Theme, Author, Service, Page, Track)


def _feed(value: Any, out: list[str]) -> None:
    if isinstance(value, _ITEMS):
        # Front matter only: a body reaches a page as rendered Markup in the context, hashed below.
        out.append(f"<{type(value).__name__}:{value.meta_digest}>")
    elif isinstance(value, Markup):
        out.append("<md:" + hashlib.blake2b(value.encode(), digest_size=12).hexdigest() + ">")
    elif value is None or isinstance(value, str | int | float | bool | dt.date | Path):
        out.append(repr(value))
    elif isinstance(value, tuple | list):
        out.append("[")
        for item in value:
            _feed(item, out)
            out.append(",")
        out.append("]")
    elif isinstance(value, Mapping):
        out.append("{")
        for key in sorted(value, key=str):
            out.append(f"{key!r}:")
            _feed(value[key], out)
            out.append(",")
        out.append("}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(type(value).__name__ + "(")
        for f in dataclasses.fields(value):
            _feed(getattr(value, f.name), out)
            out.append(",")
        out.append(")")
    else:
        raise TypeError(f"cannot fingerprint {type(value).__name__}")


def fingerprint(*values: Any) -> str:
    parts: list[str] = []
    for value in values:
        _feed(value, parts)
        parts.append("|")
    return hashlib.blake2b("".join(parts).encode(), digest_size=16).hexdigest()


def files_digest(folders: Iterable[Path]) -> str:
    """Digest of every file under `folders` (templates of the presentation-theme chain)."""
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()
