"""Bodies: the markdown of every item that gets a page, converted (cached by its text), its links
resolved against the site's link table, and what the markdown says about it."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from markupsafe import Markup

from themehub import __version__
from themehub.config import Config
from themehub.content.kinds import kind_of
from themehub.content.model import Item
from themehub.diagnostics import Diagnostic, error, line_in_body, warning
from themehub.hub.graph import Hub
from themehub.render.fingerprint import content_hash
from themehub.render.links import (
    ExternalUrl,
    LinkProblem,
    LinkTable,
    ResolvedBody,
    SiteLink,
    link_diagnostic,
    position_in_body,
)
from themehub.render.pool import WorkPool
from themehub.render.rendered_body import MAX_BRACKETS_PER_BLOCK, MarkdownSettings, RenderedBody
from themehub.timings import Timings


@dataclass(frozen=True, slots=True)
class Resolved:
    """A body with its links resolved, and what it was made from."""

    key: str
    """The markdown cache key of the body."""
    table: str
    """The digest of the link table it was resolved against."""
    html: Markup
    links: ResolvedBody


def resolution(key: str, table: str, found: ResolvedBody) -> Resolved:
    """The resolved body kept as one string: Markup(...) copies its text, and the plain copy would
    otherwise stay too (10,000 bodies are about 150 MB of HTML)."""
    html = Markup(found.html)
    return Resolved(key, table, html, dataclasses.replace(found, html=html))


class ResolvedStore(Protocol):
    """Link resolutions kept between builds (incremental/records.py keeps them on disk): a body whose HTML
    and link table are what they were is not scanned again."""

    def find(self, key: str, table: str) -> Resolved | None: ...

    def remember(self, resolved: Resolved) -> None: ...


CONVERTER_FILES = ("markdown.py", "link_text.py", "links.py", "rendered_body.py")
"""The files of render/ whose code makes a body's HTML."""


@functools.cache
def _renderer_version() -> str:
    """themehub's version, Python-Markdown's, and the code of our markdown modules, so a changed renderer
    misses the cache. The modules are read as files, not imported: a rebuild that converts no body
    never loads them. `rendered_body.py` holds the bracket limit, `links.py` finds the ids a body keeps."""
    here = Path(__file__).parent
    code = b"".join((here / name).read_bytes() for name in CONVERTER_FILES)
    return f"{__version__}:{_markdown_release()}:{hashlib.blake2b(code, digest_size=8).hexdigest()}"


def _markdown_release() -> str:
    """Python-Markdown's release, as a digest of the file that names it (`markdown/__meta__.py`), found
    without importing the package; its `__version__` where that file cannot be read."""
    spec = importlib.util.find_spec("markdown")
    for folder in (spec.submodule_search_locations or ()) if spec is not None else ():
        try:
            return hashlib.blake2b((Path(folder) / "__meta__.py").read_bytes(), digest_size=8).hexdigest()
        except OSError:
            continue
    import markdown

    return str(markdown.__version__)


def markdown_key(settings: MarkdownSettings, item: Item) -> str:
    """Cache key of a body: its text, its file (relative links), the settings and the renderer. The
    text stands for itself, or, for an item read from a file, for the digest of its body made when the
    file was read (hashing 10,000 bodies again on every rebuild took 0.3 s). Not the file's digest: a
    front-matter edit (a title) would convert the body again, and load Python-Markdown to do it."""
    text = f"d\0{item.body_digest}" if item.body_digest else f"b\0{item.body}"
    head = f"{_renderer_version()}\0{settings.raw_html}\0{settings.base_path}\0{item.source}\0"
    return hashlib.blake2b((head + text).encode(), digest_size=16).hexdigest()


def markdown_settings(config: Config) -> MarkdownSettings:
    # The root's path in every language: a body's images and links are read from the site root.
    return MarkdownSettings(raw_html=config.raw_html, base_path=config.shared_base_path)


def body_items(hub: Hub) -> list[Item]:
    """Every item that gets a page of its own, hence a rendered body."""
    return hub.items_with_pages()


def link_table(hub: Hub, raw: Mapping[str, RenderedBody]) -> LinkTable:
    content = hub.content
    url_of = {item.source: kind_of(item).url(item.slug) for item in hub.items_with_pages()}
    # In another language, a translation links its siblings by their originals' files (`other.md`);
    # a file nobody translated is the default language's page.
    url_of |= {item.original: url_of[item.source] for item in hub.items_with_pages() if item.original}
    url_of |= {source: page for source, page in hub.language.elsewhere_files.items() if source not in url_of}
    unpublished = frozenset(a.source for a in content.articles if a.slug not in hub.article_by_slug)
    anchors = {src: body.ids for src, body in raw.items()}
    config = hub.config
    language = hub.language
    digest = content_hash(repr((sorted(url_of.items()), sorted((k, sorted(v)) for k, v in anchors.items()),
                                sorted(unpublished), config.base_path, config.base_url, language.folder,
                                sorted(language.moved.items()), sorted(language.elsewhere))).encode())
    return LinkTable(url_of, anchors, unpublished, config.shared_base_path, config.shared_base_url or config.base_url,
                     digest, address=None if language.is_default else language.href)


def body_diagnostics(item: Item, body: RenderedBody, problems: Iterable[LinkProblem]) -> tuple[Diagnostic, ...]:
    """Everything one body's markdown says about that body (links, unsafe URLs, nesting, alt text)."""
    found = [link_diagnostic(problem, item.source, item.body, item.body_line) for problem in problems]
    for url in body.removed_urls:
        found.append(warning(item.source, line_in_body(item.body, item.body_line, url), 1, "unsafe-url",
                             f"removed a link with an active URL scheme: '{url[:60]}'",
                             "only http(s), mailto:, tel: and relative links are kept"))
    if body.problem:
        found.append(error(item.source, item.body_line, 1, "markdown-too-complex",
                           f"the body cannot be rendered: {body.problem}",
                           "flatten the nesting; markdown does not need more than a few levels"))
    if body.defused:
        found.append(warning(item.source, item.body_line, 1, "markdown-too-complex",
                             f"{body.defused} paragraph(s) hold over {MAX_BRACKETS_PER_BLOCK} '[': "
                             "their brackets are shown as plain text",
                             "split the paragraph, or write the brackets as \\["))
    for src in body.images_without_alt:
        found.append(warning(item.source, line_in_body(item.body, item.body_line, src), 1, "missing-alt",
                             f"image '{src}' has no alt text", "describe the image: ![what it shows](path)"))
    return tuple(found)


@dataclass
class Bodies:
    """The markdown of every item that gets a page: as converted, with links resolved, and what it says."""

    raw: dict[str, RenderedBody]
    html: dict[str, Markup]
    problems: dict[str, tuple[Diagnostic, ...]]
    links: LinkTable
    site_links: dict[str, tuple[SiteLink, ...]] = field(default_factory=dict)
    """Content file -> its body's links to pages and files of the site, checked once every page exists."""
    external: dict[str, tuple[ExternalUrl, ...]] = field(default_factory=dict)
    """Content file -> its body's links to other sites (`check --external`)."""


def convert(items: Sequence[Item], settings: MarkdownSettings, converted: MutableMapping[str, RenderedBody],
            pool: WorkPool, advance: Callable[[int, int], None] | None = None) -> list[str]:
    """Each item's markdown key, in order; the bodies `converted` does not hold yet are converted in
    `pool` and added to it."""
    keys = [markdown_key(settings, i) for i in items]
    todo = [(i, k) for i, k in zip(items, keys, strict=True) if k not in converted]
    if not todo:
        return keys
    from themehub.render.markdown import render_many  # the converter: loaded only to convert (see _renderer_version)

    made = render_many([(i.body, i.source) for i, _ in todo], settings, pool, advance)
    for (_, key), body in zip(todo, made, strict=True):
        converted[key] = body
    return keys


def render_bodies(hub: Hub, pool: WorkPool, converted: MutableMapping[str, RenderedBody],
                  resolved_before: Mapping[str, Resolved], timings: Timings,
                  kept: ResolvedStore | None = None) -> tuple[Bodies, dict[str, Resolved]]:
    """Markdown of every item that gets a page, with internal links resolved; and each body's
    resolution, for the next render. `converted` (markdown key -> body) gains the bodies converted
    now; a body whose HTML and link table did not change keeps its resolution from `resolved_before`
    (the last render in this process) or `kept` (an earlier build's)."""
    items = body_items(hub)
    settings = markdown_settings(hub.config)
    with timings.stage("markdown"):
        keys = convert(items, settings, converted, pool, timings.advance)
    raw = {item.source: converted[key] for item, key in zip(items, keys, strict=True)}
    bodies = Bodies(raw, {}, {}, link_table(hub, raw))
    with timings.stage("links"):
        table = bodies.links
        unreadable = frozenset(hub.content.unloaded_files)
        resolved: dict[str, Resolved] = {}
        for item, key in zip(items, keys, strict=True):
            known = resolved_before.get(item.source)
            if known is None or known.key != key or known.table != table.digest:
                known = kept.find(key, table.digest) if kept is not None else None
            if known is None:
                known = resolution(key, table.digest, table.resolve(raw[item.source].html, item.source))
                if kept is not None:
                    kept.remember(known)
            resolved[item.source] = known
            # The one copy of the body's HTML, shared with the next rebuild's memo (10,000 bodies are ~100 MB).
            bodies.html[item.source] = known.html
            # A link to a file that is there but could not be read: that file's own error is the one to fix.
            problems = [p for p in known.links.problems if not (p.kind == "missing" and p.target in unreadable)]
            bodies.problems[item.source] = body_diagnostics(item, raw[item.source], problems)
            if known.links.site_links:
                bodies.site_links[item.source] = known.links.site_links
            if known.links.external:
                bodies.external[item.source] = known.links.external
    return bodies, resolved


def external_links(hub: Hub, bodies: Bodies) -> list[tuple[str, str, int, int]]:
    """(URL, content file, line, column) of every link to another site, for `check --external`."""
    items = {i.source: i for i in body_items(hub)}
    found = []
    for source, links in sorted(bodies.external.items()):
        item = items[source]
        for link in links:
            line, col = position_in_body(item.body, item.body_line, link.url)
            found.append((link.url, source, line, col))
    return found
