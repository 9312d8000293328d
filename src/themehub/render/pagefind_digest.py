"""What Pagefind reads of a page, hashed: a page whose digest did not change indexes to the same bytes.

A title edit changes the bytes of many pages (related lists, listings) but what Pagefind indexes of only
one: the search index's shards (render/search.py) compare these digests, not the pages' bytes. Pagefind
reads, of a page that marks its body: the subtrees of the `data-pagefind-body` elements; every element
with a `data-pagefind-filter`, `-meta`, `-sort`, `-default-meta`, `-index-attrs` or `-weight` attribute,
wherever it is (filters inside a `data-pagefind-ignore` element still count); and, for its default
metadata, the first `<h1>`, the first `<img>` and the `<title>`. The digest takes each of those, whole,
and the `<html>` tag (its language); it may take more than Pagefind reads, never less, so the worst a
wrong guess can do is index a shard that did not need it. Comments, scripts and styles are skipped
when looking for where an element ends (a `</div>` in a comment must not end it early). A page
that marks no body is indexed whole, and its digest is that of all its bytes. The tests compare an
index made from reused shards with a cold build's, byte for byte.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator

_ATTRIBUTE = "data-pagefind-"
_IGNORE = re.compile(r"ignore(?![a-z-])")
_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_FIRST = (re.compile(r"<html\b[^>]*>", re.I), re.compile(r"<title\b[^>]*>.*?</title>", re.I | re.S),
          re.compile(r"<h1\b.*?</h1>", re.I | re.S), re.compile(r"<img\b[^>]*>", re.I))
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})


@functools.cache
def _tags_of(name: str) -> re.Pattern[str]:
    """Start and end tags of one element name, to find where an element ends; comments, scripts and
    styles are matched whole, so that a `</div>` inside one does not count."""
    return re.compile(rf"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)|<(/?){re.escape(name)}\b[^>]*>",
                      re.I | re.S)


def _subtree(text: str, start: int, end_of_start_tag: int, name: str) -> str:
    """The element whose start tag spans start..end_of_start_tag, up to its matching end tag (or the end
    of the page, for HTML that never closes it: more than Pagefind reads, never less)."""
    if name.lower() in VOID or text[end_of_start_tag - 2] == "/":
        return text[start:end_of_start_tag]
    depth = 1
    for tag in _tags_of(name).finditer(text, end_of_start_tag):
        if tag.group(2) is None:
            continue  # a comment, script or style
        depth += -1 if tag.group(2) else 1
        if depth == 0:
            return text[start:tag.end()]
    return text[start:]


def _marked_tags(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, element name) of each start tag with a data-pagefind-* attribute other than
    data-pagefind-ignore alone. A plain string search: a regular expression trying every tag of a
    20 KB page took 0.2 ms, which is seconds at 10,000 pages."""
    at = text.find(_ATTRIBUTE)
    while at != -1:
        start, end = text.rfind("<", 0, at), text.find(">", at)
        if start == -1 or end == -1:
            return
        tag = text[start:end + 1]
        name = _NAME.match(tag)
        names = [tag[i + len(_ATTRIBUTE):] for i in _positions(tag, _ATTRIBUTE)]
        if name is not None and not all(_IGNORE.match(rest) for rest in names):
            yield start, end + 1, name.group(1)
        at = text.find(_ATTRIBUTE, end)


def _positions(text: str, part: str) -> Iterator[int]:
    at = text.find(part)
    while at != -1:
        yield at
        at = text.find(part, at + 1)


def search_digest(page: bytes) -> str:
    """The digest of what Pagefind reads of `page` (see the module's docstring)."""
    h = hashlib.blake2b(digest_size=16)
    if b"data-pagefind-body" not in page:
        h.update(page)
        return h.hexdigest()
    text = page.decode("utf-8", "replace")
    for pattern in _FIRST:
        found = pattern.search(text)
        h.update((found.group(0) if found else "").encode() + b"\0")
    for start, end, name in _marked_tags(text):
        h.update(_subtree(text, start, end, name).encode() + b"\0")
    return h.hexdigest()
