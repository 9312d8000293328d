"""The render stage: the hub graph -> every output file, in memory.

Markdown bodies and pages are cached in a RenderCache that `serve` keeps in memory and `build`
keeps in `.themehub-cache/`: a body is converted again only when its text changes, and a page is
rendered again only when its fingerprint (what it shows, see fingerprint.py) changes.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import multiprocessing
import re
import sys
import traceback
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import jinja2
import jinja2.bccache
from markupsafe import Markup

from themehub import __version__, urls
from themehub.config import Config
from themehub.content.model import Item
from themehub.diagnostics import Diagnostic, error, line_in_body, warning
from themehub.hub.graph import Hub
from themehub.hub.health import health
from themehub.hub.report import HubReport, build_report
from themehub.output.writer import StagingWriter, file_stamp, static_files
from themehub.render import feeds
from themehub.render import markdown as markdown_module
from themehub.render.brand_assets import brand_files
from themehub.render.fingerprint import Memo, files_digest, fingerprint
from themehub.render.images.img_html import responsive_body_images
from themehub.render.images.pipeline import ImagePipeline
from themehub.render.images.plan import plan_and_share
from themehub.render.images.sizes import image_sizes
from themehub.render.links import (
    ExternalUrl,
    LinkProblem,
    LinkTable,
    ResolvedBody,
    SiteFiles,
    SiteLink,
    check_site_links,
    ids_in,
    link_diagnostic,
    position_in_body,
    template_ids,
)
from themehub.render.markdown import MAX_BRACKETS_PER_BLOCK, MarkdownSettings, RenderedBody, render_many
from themehub.render.pages import PageInputs, PageSpec, all_pages, report_page
from themehub.render.pool import WorkPool
from themehub.render.statics import vet_static_files
from themehub.render.templates import BUILTIN_THEMES, UnsafeTemplateError, asset_version, make_environment, theme_dirs
from themehub.timings import Timings


@dataclass
class CachedPage:
    fingerprint: str
    data: bytes | None
    """The rendered bytes, or None when they live in the previous output folder (`build`)."""
    sha: str = ""
    """Hash of the bytes, to trust a file of the previous output folder only if it is untouched."""
    links: tuple[str, ...] | None = None
    """The page's links to site pages (kept so a reused page is not scanned again)."""
    stamp: str = ""
    """'size:mtime_ns' of the file in the output folder (`build` sets it once the files are written):
    while it holds, the file is untouched and is reused without being read (rsync's quick check)."""


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


@dataclass(frozen=True, slots=True)
class Resolved:
    """A body with its links resolved, and what it was made from."""

    key: str
    """The markdown cache key of the body."""
    table: str
    """The digest of the link table it was resolved against."""
    html: Markup
    links: ResolvedBody


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
    last: LastRender | None = None
    """The last complete in-memory render (`serve`): what a body-only edit starts from (render/edits.py)."""


_HREF = re.compile(rb'href="([^"#?]*)')


class Output:
    """Where rendered files go: kept in memory (`serve`, `check`) or streamed to the staging folder
    (`build`, so a 10,000-article hub is never held in memory). Either way, the links of every
    page to other site pages are kept, for the reachability check."""

    def __init__(self, base_path: str, writer: StagingWriter | None = None) -> None:
        self.base = base_path.encode()
        self.writer = writer
        self.files: dict[str, bytes] = {}
        self.links: dict[str, tuple[str, ...]] = {}
        self.paths: set[str] = set()
        self.refused: list[str] = []
        """Paths that name no file inside the site (a bug upstream): never placed, reported."""

    @property
    def streaming(self) -> bool:
        return self.writer is not None

    def put(self, path: str, data: bytes, *, unchanged: bool = False,
            links: tuple[str, ...] | None = None) -> tuple[str, ...] | None:
        """Place one file; returns the page's links (given, or found in `data`)."""
        if not urls.is_safe_output_path(path):
            self.refused.append(path)
            return None
        self.paths.add(path)
        if links is not None:
            self.links[path] = links
        elif path.endswith(".html"):
            base, n = self.base, len(self.base)
            self.links[path] = tuple(dict.fromkeys(
                sys.intern(_site_path(href[n:])) for href in _HREF.findall(data)
                if href.startswith(base) and (href.endswith(b"/") or len(href) == n)
            ))
        if self.writer is None:
            self.files[path] = data
            return self.links.get(path)
        if unchanged and self.writer.previous is not None:
            self.writer.put_unchanged(path)
        else:
            self.writer.put(path, data)
        return self.links.get(path)


def _site_path(href: bytes) -> str:
    """A link's site path as the output names it: percent-escapes (a tag in any script) decoded."""
    text = href.decode("utf-8", "replace")
    return unquote(text) if "%" in text else text


@dataclass(frozen=True)
class RenderedSite:
    files: Mapping[str, bytes]
    copies: Mapping[str, Path]
    pages: tuple[PageSpec, ...]
    bodies: Mapping[str, RenderedBody]
    diagnostics: tuple[Diagnostic, ...]
    rendered: tuple[tuple[str, str], ...] = ()
    """(page URL, why it was rendered) for every page rendered this time."""
    resolved: Mapping[str, str] = field(default_factory=dict)
    """Body HTML by content file, with internal links resolved to URLs."""
    images: ImagePipeline | None = None
    """Keeps generated image files alive until they are written."""
    health: tuple[Diagnostic, ...] = ()
    """The hub's health warnings (hub/health.py): reported by `check`, summed up on /report/."""
    report: HubReport | None = None
    rendered_bodies: Bodies | None = None
    """The bodies as rendered, with their links (check's external links come from here)."""


@dataclass(frozen=True)
class LastRender:
    """A complete in-memory render and what made it: enough to re-render only the pages that show a
    body when nothing but bodies changed (render/edits.py)."""

    hub: Hub
    site: RenderedSite
    bodies: Bodies
    other_diagnostics: tuple[Diagnostic, ...]
    """The render's diagnostics that are not about one body's markdown."""
    page_links: Mapping[str, tuple[str, ...]]
    env: jinja2.Environment
    site_digest: str
    digests: Mapping[str, str]
    body_pages: Mapping[str, tuple[int, ...]]
    """Content file -> indexes (in site.pages) of the pages that show its body."""
    custom_templates: bool
    site_files: SiteFiles
    """What the bodies' links were checked against (an edited body's links are checked against it again)."""


@functools.cache
def _renderer_version() -> str:
    """themehub's version plus the markdown module's own code, so a changed renderer misses the cache."""
    code = Path(markdown_module.__file__ or "").read_bytes()
    return __version__ + ":" + hashlib.blake2b(code, digest_size=8).hexdigest()


def markdown_key(settings: MarkdownSettings, source: str, body: str) -> str:
    """Cache key of a body: its text, its file (relative links), the settings and the renderer."""
    text = f"{_renderer_version()}\0{settings.raw_html}\0{settings.base_path}\0{source}\0{body}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _template_diagnostic(exc: jinja2.TemplateSyntaxError, config: Config) -> Diagnostic:
    return error(_shown(exc.filename or exc.name or "template", config), exc.lineno or 1, 1, "template-error",
                 f"template syntax error: {exc.message}", "fix the template tag on this line")


def _shown(filename: str, config: Config) -> str:
    """A template's file as diagnostics show it: relative to the site, or to the built-in themes."""
    path = Path(filename).resolve()
    for base in (config.root.resolve(), BUILTIN_THEMES.parent):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return filename


def _site_digest(hub: Hub, template_dirs: tuple[Path, ...], versions: Mapping[str, str],
                 custom_templates: bool) -> str:
    """Everything a page may show besides its own context: config, templates, assets and the `hub`
    lookups the built-in macros make (author names, theme tiles, footer pages). A site that overrides
    templates may read anything from `hub`, so there every content file counts."""
    content = hub.content
    parts: list[object] = [
        repr(hub.config), files_digest(template_dirs), sorted(versions.items()),
        [a.meta_digest for a in content.authors], [p.meta_digest for p in content.pages],
        [(t.meta_digest, len(hub.theme_articles[t.slug])) for t in content.themes],
    ]
    if custom_templates:
        parts.append([a.digest for a in content.articles] + [s.digest for s in content.services])
    return fingerprint(*parts)


def link_table(hub: Hub, raw: Mapping[str, RenderedBody]) -> LinkTable:
    content = hub.content
    url_of = {a.source: urls.article(a.slug) for a in (*hub.articles, *hub.archived)}
    url_of.update({t.source: urls.theme(t.slug) for t in content.themes})
    url_of.update({a.source: urls.author(a.slug) for a in content.authors})
    url_of.update({s.source: urls.service(s.slug) for s in content.services})
    url_of.update({p.source: urls.page(p.slug) for p in content.pages})
    url_of.update({t.source: urls.track(t.slug) for t in content.tracks})
    unpublished = frozenset(a.source for a in content.articles if a.slug not in hub.article_by_slug)
    anchors = {src: ids_in(body.html) for src, body in raw.items()}
    config = hub.config
    digest = content_hash(repr((sorted(url_of.items()), sorted((k, sorted(v)) for k, v in anchors.items()),
                                sorted(unpublished), config.base_path, config.base_url)).encode())
    return LinkTable(url_of, anchors, unpublished, config.base_path, config.base_url, digest)


def body_items(hub: Hub) -> list[Item]:
    """Every item that gets a page of its own, hence a rendered body."""
    content = hub.content
    return [*hub.articles, *hub.archived, *content.themes, *content.authors, *content.services, *content.pages,
            *content.tracks]


def markdown_settings(config: Config) -> MarkdownSettings:
    return MarkdownSettings(raw_html=config.raw_html, base_path=config.base_path)


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


def render_bodies(hub: Hub, pool: WorkPool, cache: RenderCache, timings: Timings) -> Bodies:
    """Markdown of every item that gets a page, with internal links resolved."""
    items = body_items(hub)
    settings = markdown_settings(hub.config)
    keys = [markdown_key(settings, i.source, i.body) for i in items]
    with timings.stage("markdown"):
        todo = [(i, k) for i, k in zip(items, keys, strict=True) if k not in cache.markdown]
        converted = render_many([(i.body, i.source) for i, _ in todo], settings, pool, timings.advance)
        for (_, key), body in zip(todo, converted, strict=True):
            cache.markdown[key] = body
    raw = {item.source: cache.markdown[key] for item, key in zip(items, keys, strict=True)}
    bodies = Bodies(raw, {}, {}, link_table(hub, raw))
    with timings.stage("links"):
        table = bodies.links
        resolved: dict[str, Resolved] = {}
        for item, key in zip(items, keys, strict=True):
            known = cache.resolved.get(item.source)
            if known is None or known.key != key or known.table != table.digest:
                found = table.resolve(raw[item.source].html, item.source)
                known = Resolved(key, table.digest, Markup(found.html), found)
            resolved[item.source] = known
            # The one copy of the body's HTML, shared with the next rebuild's memo (10,000 bodies are ~100 MB).
            bodies.html[item.source] = known.html
            bodies.problems[item.source] = body_diagnostics(item, raw[item.source], known.links.problems)
            if known.links.site_links:
                bodies.site_links[item.source] = known.links.site_links
            if known.links.external:
                bodies.external[item.source] = known.links.external
    cache.resolved = resolved
    return bodies


def _why(spec: PageSpec, cache: RenderCache, digests: Mapping[str, str], site_changed: bool) -> str:
    if spec.url not in cache.pages and urls.output_file(spec.url) not in cache.pages:
        return "new page"
    if site_changed:
        return "site-wide change (config, templates, assets, authors, themes or pages)"
    changed = [s for s in spec.sources if cache.digests.get(s) != digests.get(s)]
    if changed:
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        return f"content it shows changed: {shown}"
    return "its listing changed (order, pagination, related items or links)"


def render_site(hub: Hub, *, jobs: int = 1, timings: Timings | None = None,
                cache: RenderCache | None = None, images: bool = True,
                writer: StagingWriter | None = None) -> RenderedSite:
    """`images=False` (check) validates image references without resizing anything.
    With a `writer` (build), files are streamed into its staging folder instead of kept in memory."""
    timings = timings or Timings()
    cache = cache if cache is not None else RenderCache()
    with WorkPool(jobs) as pool:
        return _render_site(hub, pool, timings, cache, images, writer)


def _render_site(hub: Hub, pool: WorkPool, timings: Timings, cache: RenderCache, images: bool,
                 writer: StagingWriter | None) -> RenderedSite:
    config = hub.config
    dirs = theme_dirs(config)
    with timings.stage("images"):
        # Planned first, made in the background: markdown goes ahead of them in the pool.
        pipeline = ImagePipeline(config, image_sizes(config, [d.parent for d in dirs.templates]), cache.images_dir,
                                 config.image_quality, process=images)
        share = plan_and_share(pipeline, hub)
        pipeline.queue_pending(pool)
    rendered_bodies = render_bodies(hub, pool, cache, timings)
    raw, bodies = rendered_bodies.raw, rendered_bodies.html
    diagnostics: list[Diagnostic] = []
    copies, problems = vet_static_files(config, static_files_for(config, dirs.static),
                                        pipeline.cache_dir if images else None)
    diagnostics += problems
    with timings.stage("images"):
        items = {i.source: i for i in (*hub.articles, *hub.archived, *hub.content.themes, *hub.content.authors,
                                         *hub.content.services, *hub.content.pages, *hub.content.tracks)}
        for source, html in bodies.items():
            with_images = responsive_body_images(html, source, pipeline, items[source].body, items[source].body_line)
            if with_images is not html:  # only bodies with images are copied
                bodies[source] = Markup(with_images)
        pipeline.queue_pending(pool)
    diagnostics += pipeline.diagnostics
    copies.update(pipeline.copies)
    # brand: assets/brand.css and the favicon set (brand.py); a file the site or its theme
    # publishes at one of their addresses is kept, as a theme's file overrides the built-in one.
    for rel, path in brand_files(config, pipeline.cache_dir).items():
        copies.setdefault(rel, path)
    versions = {rel.removeprefix("assets/"): asset_version(path.read_bytes())
                for rel, path in copies.items() if rel.startswith("assets/") and rel.endswith((".css", ".js"))}
    # A fresh environment per render (imported macros capture its globals), but compiled template
    # code is kept between rebuilds: compiling costs more than rendering a few pages.
    env = make_environment(config, dirs, versions, bytecode_cache=cache.bytecode)
    env.globals["hub"] = hub
    env.globals["image"] = lambda url, size: pipeline.variants.get((url, size))
    env.globals["share_image"] = lambda kind, slug: share.get((kind, slug))
    pages, copies = _without_clashes(all_pages(PageInputs(hub, bodies)), copies, hub, diagnostics)
    seen_urls: dict[str, int] = {}
    for spec in pages:
        seen_urls[spec.url] = seen_urls.get(spec.url, 0) + 1
    for url, count in sorted(seen_urls.items()):
        if count > 1 and url in hub.aliases:
            owner = hub.aliases[url]
            line, col = owner.position("aliases")
            diagnostics.append(error(owner.source, line, col, "alias-collision",
                                     f"alias '/{url}' is also the address of a generated page", "remove this alias"))
    custom = any(not d.is_relative_to(BUILTIN_THEMES) for d in dirs.templates)
    site_digest = fingerprint(_site_digest(hub, dirs.templates, versions, custom), pipeline.digest(),
                              sorted(share.items()))
    site_changed = site_digest != cache.site_digest
    content = hub.content
    digests = {i.source: i.digest for kind in (content.articles, content.themes, content.authors, content.services,
                                                content.pages, content.tracks) for i in kind}
    output = Output(config.base_path, writer)
    memo: Memo = {}
    new_pages: dict[str, CachedPage] = {}
    rendered: list[tuple[str, str]] = []
    failures: dict[tuple[str, int, str], list[str]] = {}
    """(template file, line, error) -> the pages it failed on."""
    templates: dict[str, jinja2.Template | None] = {}  # per render: Jinja's own cache checks for changes
    with timings.stage("templates"):
        todo: list[tuple[PageSpec, str]] = []
        for spec in pages:
            print_ = _reuse(spec, output, new_pages, cache, site_digest, memo)
            if print_ is not None:
                todo.append((spec, print_))
        for name in sorted({spec.template for spec, _ in todo}):
            templates[name] = _load_template(env, name, config, diagnostics)
        todo = [(spec, print_) for spec, print_ in todo if templates[spec.template] is not None]  # else reported
        html_of = _render_all([spec for spec, _ in todo], templates, pool.workers)
        for done, ((spec, print_), (data, failure)) in enumerate(zip(todo, html_of, strict=True), 1):
            if done % 50 == 0:
                timings.advance(done, len(todo))
            if data is None:
                failures.setdefault(failure, []).append(spec.url)
                continue
            _place(spec, data, print_, output, new_pages, cache, digests, site_changed, rendered)
    resolved: dict[str, str] = dict(bodies)
    with timings.stage("health"):
        problems = health(hub, output.links, resolved)
        report = build_report(hub, problems)
        pages.append(report_page(report))
        failure = _render_one(pages[-1], env, templates, output, new_pages, cache, site_digest, digests,
                              site_changed, rendered, config, diagnostics, memo)
        if failure is not None:
            failures.setdefault(failure, []).append(pages[-1].url)
    for (where, line, message), failed in failures.items():
        # One diagnostic per distinct failure, not one per page (a broken base template fails them all).
        others = f" and {len(failed) - 1} more pages" if len(failed) > 1 else ""
        diagnostics.append(error(_shown(where, config), line, 1, "template-error",
                                 f"rendering /{failed[0]}{others} failed: {message}",
                                 "fix the template, or the content it shows"))
    with timings.stage("feeds"):
        for path, data in feeds.feeds(hub):
            output.put(path, data)
        output.put("sitemap.xml", feeds.sitemap(hub, seen_urls))
        output.put("robots.txt", feeds.robots(hub))
        output.put("hub.json", feeds.hub_json(hub))
    with timings.stage("images"):
        pool.wait(timings.advance)
    for rel in sorted(copies):
        if rel in output.paths:
            diagnostics.append(warning(f"static/{rel}", 1, 1, "static-collision",
                                       f"static file '{rel}' has the same address as a generated page; "
                                       "the page wins", "rename or move the static file"))
    with timings.stage("links"):
        site_files = SiteFiles(frozenset(output.paths) | frozenset(copies), _page_ids(rendered_bodies.links),
                               _template_ids(dirs.templates, config))
        items = {i.source: i for i in body_items(hub)}
        for source, links in rendered_bodies.site_links.items():
            item = items[source]
            found = check_site_links(source, item.body, item.body_line, links, site_files)
            if found:
                rendered_bodies.problems[source] += tuple(found)
    for path in output.refused:
        diagnostics.append(error(config.output.as_posix(), 1, 1, "unsafe-path",
                                 f"refusing to write '{path[:120]}': it is not a path inside the site",
                                 "this is a bug in themehub; please report it"))
    other = tuple(diagnostics)
    for found in rendered_bodies.problems.values():
        diagnostics += found
    site = RenderedSite(output.files, copies, tuple(pages), raw, tuple(diagnostics), tuple(rendered), resolved,
                        pipeline, tuple(problems), report, rendered_bodies)
    cache.last = None
    if not failures:
        # Only a complete render may become the next render's baseline.
        cache.pages, cache.digests, cache.site_digest = new_pages, digests, site_digest
        if not output.streaming:
            cache.last = LastRender(hub, site, rendered_bodies, other, output.links, env, site_digest, digests,
                                    _body_pages(pages, bodies), custom, site_files)
    return site


RESERVED_FOLDERS = ("pagefind",)
"""Folders the build fills after rendering (the search index): nothing else may be put there."""


def _without_clashes(pages: list[PageSpec], copies: dict[str, Path], hub: Hub,
                     diagnostics: list[Diagnostic]) -> tuple[list[PageSpec], dict[str, Path]]:
    """Drop the aliases and static files that would need a folder where another output is a file (an
    alias `/feed.xml/` beside the feed, a static file `static/tags` beside the tag pages), or that fall
    into a folder the build fills itself. Found from the page list, before anything is written, so
    `check` and `build` report the same thing."""
    owners: dict[str, PageSpec | None] = {urls.output_file(spec.url): spec for spec in pages}
    for path in (*feeds.feed_paths(hub), *feeds.FIXED_FILES, "report/index.html"):
        owners.setdefault(path, None)
    movable = {path for path, spec in owners.items() if spec is not None and spec.template == "alias.html"}
    for rel in copies:
        if rel not in owners:  # a page at a static file's address wins (static-collision)
            owners[rel] = None
            movable.add(rel)
    folders = {folder for path in owners for folder in _folders_of(path)}
    clashing = {path for path in owners if path in folders}
    dropped: dict[str, str] = {}
    for path in sorted(clashing):
        inside = [other for other in owners if other.startswith(path + "/")]
        for culprit in ([path] if path in movable else [o for o in inside if o in movable]):
            dropped.setdefault(culprit, f"'{path}' is a file of the site, and '{culprit}' would need it to be a folder")
    for path in movable:
        if path.split("/", 1)[0] in RESERVED_FOLDERS:
            dropped.setdefault(path, f"'{path.split('/', 1)[0]}/' is the search index's folder")
    for path, why in sorted(dropped.items()):
        spec = owners[path]
        if spec is not None:  # an alias
            owner = hub.aliases[spec.url]
            line, col = owner.position("aliases")
            diagnostics.append(error(owner.source, line, col, "alias-collision", f"alias '/{spec.url}' cannot be "
                                     f"published: {why}", "remove this alias, or give it another path"))
        else:
            source = copies[path]
            shown = source.relative_to(hub.config.root).as_posix() if source.is_relative_to(hub.config.root) \
                else str(source)
            diagnostics.append(error(shown, 1, 1, "path-collision", f"this file cannot be published: {why}",
                                     "rename or move the file"))
    if not dropped:
        return pages, copies
    return ([spec for spec in pages if urls.output_file(spec.url) not in dropped],
            {rel: source for rel, source in copies.items() if rel not in dropped})


def _folders_of(path: str) -> Iterator[str]:
    """'a/b/c.html' -> 'a', 'a/b'."""
    end = path.find("/")
    while end != -1:
        yield path[:end]
        end = path.find("/", end + 1)


def _page_ids(table: LinkTable) -> dict[str, frozenset[str]]:
    """Output path of each content page -> the ids its body holds (what links' fragments may name)."""
    return {urls.output_file(url): table.anchors[source] for source, url in table.url_of.items()
            if source in table.anchors}


def _template_ids(folders: Iterable[Path], config: Config) -> frozenset[str]:
    """The ids the presentation theme's templates write on every page they make (read from their
    sources; a template that links out of the site is never read, as for rendering)."""
    allowed = (config.root.resolve(), BUILTIN_THEMES.resolve())
    sources = []
    for folder in folders:
        for path in sorted(folder.rglob("*.html")):
            real = path.resolve()
            if any(real.is_relative_to(root) for root in allowed) and real.is_file():
                sources.append(real.read_text(encoding="utf-8", errors="replace"))
    return template_ids(sources)


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


def _body_pages(pages: Iterable[PageSpec], bodies: Mapping[str, Markup]) -> dict[str, tuple[int, ...]]:
    """Which pages show which body. Bodies reach a page as one Markup object per content file, at the
    top of its context (pages.py), so identity finds them."""
    owner = {id(html): source for source, html in bodies.items()}
    found: dict[str, list[int]] = {}
    for index, spec in enumerate(pages):
        for value in spec.context.values():
            source = owner.get(id(value)) if isinstance(value, Markup) else None
            if source is not None:
                found.setdefault(source, []).append(index)
    return {source: tuple(indexes) for source, indexes in found.items()}


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _render_one(spec: PageSpec, env: jinja2.Environment, templates: dict[str, jinja2.Template | None],
                output: Output, new_pages: dict[str, CachedPage], cache: RenderCache, site_digest: str,
                digests: Mapping[str, str], site_changed: bool, rendered: list[tuple[str, str]], config: Config,
                diagnostics: list[Diagnostic], memo: Memo) -> Failure | None:
    """Render one page, or reuse its previous bytes when its fingerprint is unchanged.
    Returns where and how the template failed on this page, if it did."""
    print_ = _reuse(spec, output, new_pages, cache, site_digest, memo)
    if print_ is None:
        return None
    if spec.template not in templates:
        templates[spec.template] = _load_template(env, spec.template, config, diagnostics)
    template = templates[spec.template]
    if template is None:
        return None
    data, failure = _render_page(template, spec)
    if data is None:
        return failure
    _place(spec, data, print_, output, new_pages, cache, digests, site_changed, rendered)
    return None


def _reuse(spec: PageSpec, output: Output, new_pages: dict[str, CachedPage], cache: RenderCache, site_digest: str,
           memo: Memo) -> str | None:
    """Place the page's previous bytes when its fingerprint is unchanged (None); else its new fingerprint."""
    path = urls.output_file(spec.url)
    print_ = fingerprint(site_digest, spec.template, spec.url, spec.context, memo=memo)
    old = cache.pages.get(path)
    if old is None or old.fingerprint != print_:
        return print_
    on_disk = old.data is None
    if on_disk and old.links is not None and _untouched(cache.previous_output, path, old.stamp):
        data: bytes | None = b""  # reused as it is in the output folder, never read
    else:
        data = old.data if not on_disk else _read_previous(cache.previous_output, path, old.sha)
    if data is None:
        return print_
    links = output.put(path, data, unchanged=on_disk, links=old.links)
    new_pages[path] = CachedPage(print_, None if output.streaming else data, old.sha, links)
    return None


def _place(spec: PageSpec, data: bytes, print_: str, output: Output, new_pages: dict[str, CachedPage],
           cache: RenderCache, digests: Mapping[str, str], site_changed: bool,
           rendered: list[tuple[str, str]]) -> None:
    """Put a freshly rendered page in the output and remember it for the next render."""
    path = urls.output_file(spec.url)
    links = output.put(path, data)
    new_pages[path] = CachedPage(print_, None if output.streaming else data, content_hash(data), links)
    rendered.append((spec.url, _why(spec, cache, digests, site_changed)))


Failure = tuple[str, int, str]
"""Where a template failed on a page (its file and line) and the error."""
NO_FAILURE: Failure = ("", 0, "")


def _render_page(template: jinja2.Template, spec: PageSpec) -> tuple[bytes | None, Failure]:
    """The page's bytes, or None and where and how the template failed."""
    try:
        return template.render(**spec.context, page_url=spec.url, page_kind=spec.template[:-5]).encode("utf-8"), \
            NO_FAILURE
    except Exception as exc:  # a template can raise anything (`{{ 1 / 0 }}`, a filter given nonsense): report it
        where, line = template.filename or template.name or spec.template, 1
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename.endswith((".html", ".xml", ".j2")):
                where, line = frame.f_code.co_filename, lineno  # Jinja maps template frames to template lines
        message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
        return None, (where, line, message)


PARALLEL_PAGES = 128
"""Fewer pages to render than this are rendered in this process: forking would cost more."""

_FORKED: tuple[list[PageSpec], Mapping[str, jinja2.Template]] | None = None
"""The pages and templates of the render in progress, inherited by forked template workers."""


def _render_forked(indexes: list[int]) -> list[tuple[bytes | None, Failure]]:
    assert _FORKED is not None
    pages, templates = _FORKED
    return [_render_page(templates[pages[i].template], pages[i]) for i in indexes]


def _render_all(specs: list[PageSpec], templates: Mapping[str, jinja2.Template | None],
                workers: int) -> Iterator[tuple[bytes | None, Failure]]:
    """Each page's bytes (or None and where its template failed), in order; every page's template
    loaded. With many pages and several cores,
    rendered by worker processes forked now: they inherit the hub, the pages and the compiled
    templates, so only page numbers go to them and only bytes come back."""
    # Linux only: there forking a process with threads (serve's watcher and server) is safe as long as
    # the child touches nothing those threads hold; macOS's system libraries do not promise that.
    if workers <= 1 or len(specs) < PARALLEL_PAGES or not sys.platform.startswith("linux"):
        for spec in specs:
            yield _render_page(_loaded(templates, spec), spec)
        return
    global _FORKED
    _FORKED = (specs, {spec.template: _loaded(templates, spec) for spec in specs})
    gc.collect()
    gc.freeze()  # the children's collector leaves the inherited objects alone (no copy-on-write storms)
    try:
        size = max(16, len(specs) // (workers * 8))
        chunks = [list(range(i, min(i + size, len(specs)))) for i in range(0, len(specs), size)]
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as executor:
            for chunk in executor.map(_render_forked, chunks):
                yield from chunk
    finally:
        _FORKED = None
        gc.unfreeze()


def _loaded(templates: Mapping[str, jinja2.Template | None], spec: PageSpec) -> jinja2.Template:
    template = templates[spec.template]
    assert template is not None, "pages whose template did not load are not rendered"
    return template


def _untouched(folder: Path | None, path: str, stamp: str) -> bool:
    return folder is not None and bool(stamp) and file_stamp(folder / path) == stamp


def _read_previous(folder: Path | None, path: str, sha: str) -> bytes | None:
    """The previous build's file, if it is still exactly what was rendered."""
    if folder is None or not sha:
        return None
    try:
        data = (folder / path).read_bytes()
    except OSError:
        return None
    return data if content_hash(data) == sha else None


def _load_template(env: jinja2.Environment, name: str, config: Config,
                   diagnostics: list[Diagnostic]) -> jinja2.Template | None:
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        diagnostics.append(_template_diagnostic(exc, config))
    except jinja2.TemplateNotFound as exc:
        diagnostics.append(error("themehub.yaml", 1, 1, "template-error",
                                 f"template '{exc.name}' not found in presentation theme '{config.theme}'",
                                 "add it to your theme's templates/ folder"))
    except UnsafeTemplateError as exc:
        diagnostics.append(error(_shown(exc.filename, config), 1, 1, "template-error", str(exc),
                                 "copy the template into the theme instead of linking to it"))
    return None


def static_files_for(config: Config, theme_static: tuple[Path, ...]) -> dict[str, Path]:
    return static_files([(d, "assets/") for d in theme_static] + [(config.root / "static", "")])
