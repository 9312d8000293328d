"""Reuse bookkeeping: what one render leaves for the next (each page's fingerprint and bytes or stamp,
the digests of the content it was made from), and why a page was rendered again. `serve` keeps it in
memory; `build` keeps it in .themehub-cache/ (incremental/store.py)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.bccache
from markupsafe import Markup

from themehub import urls
from themehub.hub.display import shape_digest
from themehub.hub.graph import Hub
from themehub.hub.moments import same_hub_between
from themehub.render.bodies import Resolved, ResolvedStore
from themehub.render.fingerprint import content_hash
from themehub.render.pages import PageSpec, body_pages
from themehub.render.rendered_body import RenderedBody
from themehub.render.result import LastRender
from themehub.source.files import stat_stamp


@dataclass
class CachedPage:
    fingerprint: str
    data: bytes | None
    """The rendered bytes as the in-memory output keeps them (packed, render/packed.py), or None when
    they live in the previous output folder (`build`)."""
    sha: str = ""
    """Hash of the bytes, to trust a file of the previous output folder only if it is untouched."""
    links: tuple[str, ...] | None = None
    """The page's links to site pages (kept so a reused page is not scanned again)."""
    stamp: str = ""
    """'size:mtime_ns' of the file in the output folder (`build` sets it once the files are written):
    while it holds, the file is untouched and is reused without being read (rsync's quick check)."""
    items: frozenset[str] | None = None
    """The content files whose items its context held when it was last fingerprinted: an edit of an
    article's display fields (hub/display.py) can change this page only if the article is one of them.
    None: not known (every edit of front matter then looks at the page)."""


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, keyed by Jinja on the template's name and source."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


@dataclass
class RenderCache:
    """What one render leaves for the next. Safe to start empty; owned by one driver at a time."""

    markdown: MutableMapping[str, RenderedBody] = field(default_factory=dict)
    pages: dict[str, CachedPage] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    """Content file -> digest at the previous render (to explain why a page was rendered)."""
    site_digest: str = ""
    previous_output: Path | None = None
    """Where `data=None` pages can be read from."""
    images_dir: Path | None = None
    """Where resized and generated images are kept between builds (None: a temporary folder)."""
    bytecode: jinja2.BytecodeCache = field(default_factory=lambda: MemoryBytecodeCache())
    resolved: dict[str, Resolved] = field(default_factory=dict)
    """Content file -> its body with links resolved: a body whose HTML and link targets did not change is
    not scanned again (`serve` rebuilds)."""
    kept_resolved: ResolvedStore | None = None
    """The same, kept between builds (`build`: in .themehub-cache/links.jsonl)."""
    last: LastRender | None = None
    """The last complete in-memory render (`serve`): what a body-only edit starts from (incremental/edits.py)."""
    meta: dict[str, str] = field(default_factory=dict)
    """Content file -> front-matter digest at the previous render."""
    shapes: dict[str, str] = field(default_factory=dict)
    """Article file -> its shape digest at the previous render (hub/display.py)."""
    files: dict[str, str] = field(default_factory=dict)
    """The files made from the hub alone (feeds, sitemap, robots.txt, hub.json) -> their stamps in the
    output folder (set by `build` once they are written, as for pages)."""
    links_digest: str = ""
    """The previous render's link table (every page's address, every body's ids)."""
    previous_name: Callable[[str], str] | None = None
    """A page's path in the live site, from `previous_output`, where it is not its output path (a
    language's page under its translated address, hub/languages.py `Localization.output`)."""
    made_at: dt.datetime | None = None
    """The `now` of the previous render's hub."""
    stored: object | None = None
    """The page table as it was read from the build's cache (incremental/store.py `StoredTable`): written
    back, only the pages that changed are encoded again."""

    def previous_file(self, path: str) -> Path | None:
        """Where the live site holds the page that renders to `path` (None: nowhere to look)."""
        if self.previous_output is None:
            return None
        return self.previous_output / (self.previous_name(path) if self.previous_name is not None else path)

    def for_language(self) -> RenderCache:
        """A cache for another language's render of the same build: the rendered markdown, images and
        compiled templates shared (they do not depend on the language), the rest its own."""
        return RenderCache(markdown=self.markdown, images_dir=self.images_dir, bytecode=self.bytecode)


def proven_unchanged(cache: RenderCache, hub: Hub, pages: Sequence[PageSpec], bodies: Mapping[str, Markup],
                     digests: Mapping[str, str], meta: Mapping[str, str]) -> dict[str, str]:
    """Output path -> fingerprint, for the pages a rebuild can prove unchanged without hashing them;
    asked only when `same_frame` holds. When, besides, every front-matter edit changed only display
    fields of articles (hub/display.py), the hub is the one the previous render made but for those
    articles' words: a page's context can differ only by the bodies it shows, which reach it at the top
    of its context (pages.py), and by the edited articles it holds (CachedPage.items). So every other
    page keeps its fingerprint. A 10,000-article rebuild after a body edit spent 1.7 s hashing 14,000
    contexts to learn that. Empty when the proof does not hold: every page is fingerprinted, as before."""
    reworded = display_edits(hub, meta, cache)
    if reworded is None:
        return {}
    changed = {source: bodies[source] for source, digest in digests.items()
               if cache.digests.get(source) != digest and source in bodies}
    showing = {index for indexes in body_pages(pages, changed).values() for index in indexes}
    known: dict[str, str] = {}
    for index, spec in enumerate(pages):
        path = urls.output_file(spec.url)
        old = cache.pages.get(path)
        if index in showing or old is None:
            continue
        if reworded and (old.items is None or not old.items.isdisjoint(reworded)):
            continue
        known[path] = old.fingerprint
    return known


def same_frame(cache: RenderCache, hub: Hub, digests: Mapping[str, str], site_digest: str,
               links_digest: str) -> bool:
    """Whether the previous render saw the same site digest, link table and files, with no moment
    passed in between (hub/moments.py): then its hub differs from this one only by what the content
    files' edits changed."""
    return (bool(cache.pages) and cache.made_at is not None and site_digest == cache.site_digest
            and links_digest == cache.links_digest and digests.keys() == cache.digests.keys()
            and same_hub_between(hub, cache.made_at))


def display_edits(hub: Hub, meta: Mapping[str, str], cache: RenderCache) -> frozenset[str] | None:
    """The content files whose front matter changed since the previous render, when each is an
    article whose display fields are all that changed; None when any other front matter changed."""
    edited = [source for source, digest in meta.items() if cache.meta.get(source) != digest]
    if not edited or meta.keys() != cache.meta.keys():
        return None if edited else frozenset()
    articles = {article.source: article for article in hub.content.articles}
    for source in edited:
        article = articles.get(source)
        if article is None or cache.shapes.get(source) != shape_digest(article):
            return None
    return frozenset(edited)


def article_shapes(hub: Hub, cache: RenderCache, same_site: bool) -> dict[str, str]:
    """Every article's shape digest, for the next render's proof: the previous render's where the
    article's front matter and the site (config among it) are unchanged, so a rebuild computes only
    those of the edited articles."""
    kept = cache.shapes if same_site else {}
    shapes = {}
    for article in hub.content.articles:
        shape = kept.get(article.source) if cache.meta.get(article.source) == article.meta_digest else None
        shapes[article.source] = shape if shape is not None else shape_digest(article)
    return shapes


def why_rendered(spec: PageSpec, cache: RenderCache, digests: Mapping[str, str], site_changed: bool) -> str:
    if spec.url not in cache.pages and urls.output_file(spec.url) not in cache.pages:
        return "new page"
    if site_changed:
        return "site-wide change (config, templates, assets, authors, themes or pages)"
    changed = [s for s in spec.sources if cache.digests.get(s) != digests.get(s)]
    if changed:
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        return f"content it shows changed: {shown}"
    return "its listing changed (order, pagination, related items or links)"


def hub_files_kept(cache: RenderCache, paths: Sequence[str], same_hub: bool) -> bool:
    """Whether the previous output's hub-only files (`paths`) can stay as they are: the hub is the
    previous render's (`same_hub`), the same files were made, and each is untouched since."""
    return (same_hub and cache.previous_output is not None and cache.files.keys() == set(paths)
            and all(untouched(cache.previous_file(path), cache.files[path]) for path in paths))


def untouched(file: Path | None, stamp: str) -> bool:
    return untouched_stat(file, stamp) is not None


def untouched_stat(file: Path | None, stamp: str) -> os.stat_result | None:
    """The file's stat when its size and mtime are `stamp` (rsync's quick check), else None."""
    if file is None or not stamp:
        return None
    try:
        seen = os.stat(file)
    except OSError:
        return None
    return seen if stat_stamp(seen) == stamp else None


def read_previous(file: Path | None, sha: str) -> bytes | None:
    """The previous build's file, if it is still exactly what was rendered."""
    if file is None or not sha:
        return None
    try:
        data = file.read_bytes()
    except OSError:
        return None
    return data if content_hash(data) == sha else None
