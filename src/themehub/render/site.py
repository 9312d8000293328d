"""The render stage: the hub graph -> every output file, driven as a sequence of jobs, each in its own
module: bodies (bodies.py), images (images/), the page list (pages.py), a render pass over the pages
(renderpass.py, reusing what reuse.py remembers of the last render), health and the report, feeds,
and the checks of the whole (checks.py). Files go to a sink (sink.py): memory, or the build's writer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from markupsafe import Markup

from themehub import i18n
from themehub.config import Config
from themehub.diagnostics import Diagnostic, error
from themehub.hub.graph import Hub
from themehub.hub.health import health
from themehub.hub.report import build_report
from themehub.render import feeds
from themehub.render.bodies import render_bodies
from themehub.render.brand_assets import brand_files
from themehub.render.checks import (
    alias_collisions,
    check_body_links,
    site_files,
    static_collisions,
    without_clashes,
)
from themehub.render.fingerprint import content_hash, files_digest, fingerprint
from themehub.render.images import ImagePipeline, image_sizes, plan_and_share, responsive_body_images
from themehub.render.pages import PageInputs, all_pages, body_pages, report_page
from themehub.render.pool import WorkPool
from themehub.render.renderpass import RenderPass
from themehub.render.result import LastRender, RenderedSite
from themehub.render.reuse import RenderCache, article_shapes, hub_files_kept, proven_unchanged, same_frame
from themehub.render.sink import InFolder, Output, Sink
from themehub.render.statics import vet_static_files
from themehub.render.templates import (
    BUILTIN_THEMES,
    asset_version,
    interface_diagnostics,
    make_environment,
    theme_dirs,
)
from themehub.source.files import static_files
from themehub.timings import Timings


def render_site(hub: Hub, *, jobs: int = 1, timings: Timings | None = None,
                cache: RenderCache | None = None, images: bool = True,
                writer: Sink | None = None, elsewhere: frozenset[str] = frozenset()) -> RenderedSite:
    """`images=False` (check) validates image references without resizing anything.
    With a `writer` (build), files are streamed into it instead of kept in memory.
    A hub of a language other than the default (hub/languages.py) renders only its own pages, its
    feeds and its sitemap (paths from its folder); `elsewhere` is every file of the default language's
    render, which its links may name."""
    timings = timings or Timings()
    cache = cache if cache is not None else RenderCache()
    with WorkPool(jobs) as pool:
        return _render_site(hub, pool, timings, cache, images, writer, elsewhere)


def _render_site(hub: Hub, pool: WorkPool, timings: Timings, cache: RenderCache, images: bool,
                 writer: Sink | None, elsewhere: frozenset[str]) -> RenderedSite:
    config = hub.config
    language = hub.language
    dirs = theme_dirs(config)
    with timings.stage("images"):
        # Planned first, made in the background: markdown goes ahead of them in the pool.
        pipeline = ImagePipeline(config, image_sizes(config, [d.parent for d in dirs.templates]), cache.images_dir,
                                 config.image_quality, process=images)
        share = plan_and_share(pipeline, hub)
        pipeline.queue_pending(pool)
    rendered_bodies, cache.resolved = render_bodies(hub, pool, cache.markdown, cache.resolved, timings,
                                                     cache.kept_resolved)
    raw, bodies = rendered_bodies.raw, rendered_bodies.html
    diagnostics: list[Diagnostic] = []
    with timings.stage("assets"):
        copies, problems = vet_static_files(config, static_files_for(config, dirs.static),
                                            pipeline.cache_dir if images else None)
    diagnostics += problems
    with timings.stage("images"):
        items = {i.source: i for i in hub.items_with_pages()}
        for source, html in bodies.items():
            with_images = responsive_body_images(html, source, pipeline, items[source].body, items[source].body_line)
            if with_images is not html:  # only bodies with images are copied
                bodies[source] = Markup(with_images)
        pipeline.queue_pending(pool)
    diagnostics += pipeline.diagnostics
    copies.update(pipeline.copies)
    with timings.stage("assets"):
        # brand: assets/brand.css and the favicon set (brand.py); a file the site or its theme
        # publishes at one of their addresses is kept, as a theme's file overrides the built-in one.
        for rel, path in brand_files(config, pipeline.cache_dir).items():
            copies.setdefault(rel, path)
        versions = {rel.removeprefix("assets/"): asset_version(path.read_bytes())
                    for rel, path in copies.items() if rel.startswith("assets/") and rel.endswith((".css", ".js"))}
    if not language.is_default:
        # The shared files are the default language's to write; this language writes its share cards.
        share_folder = f"share/{config.language_path}"
        copies = {rel: path for rel, path in copies.items() if rel.startswith(share_folder)}
    with timings.stage("pages"):
        every = all_pages(PageInputs(hub, bodies))
        if not language.is_default:
            every = [spec for spec in every if language.has_page(spec.url)]
        pages, copies = without_clashes(every, copies, hub, diagnostics)
        if not language.is_default:
            # Its links to a listing it does not have (no piece in it is translated) go to the default's.
            language = replace(language, listed=frozenset(spec.url for spec in pages) | {
                "hub.json", "sitemap.xml", *feeds.feed_paths(hub)})
        # A fresh environment per render (imported macros capture its globals), but compiled template
        # code is kept between rebuilds: compiling costs more than rendering a few pages.
        env = make_environment(config, dirs, versions, bytecode_cache=cache.bytecode, language=language)
        env.globals["hub"] = hub
        env.globals["image"] = lambda url, size: pipeline.variants.get((url, size))
        env.globals["share_image"] = lambda kind, slug: share.get((kind, slug))
        diagnostics += interface_diagnostics(env, config, dirs)
        seen_urls, collisions = alias_collisions(pages, hub)
        diagnostics += collisions
        custom = any(not d.is_relative_to(BUILTIN_THEMES) for d in dirs.templates)
        site_digest = fingerprint(_site_digest(hub, dirs.templates, versions, custom), pipeline.digest(),
                                  sorted(share.items()))
        digests = {i.source: i.digest for i in hub.content.items()}
        meta = {i.source: i.meta_digest for i in hub.content.items()}
        # Asked once: whether no moment passed walks every item's dates (hub/moments.py).
        frame = same_frame(cache, hub, digests, site_digest, rendered_bodies.links.digest)
        known = proven_unchanged(cache, hub, pages, bodies, digests, meta) if frame else {}
        # The front matter, config, templates, pages and moment of the last render: the same hub.
        same_hub = frame and meta == cache.meta
    output = Output(config.base_path, writer if writer is None or language.is_default else InFolder(writer, language))
    render = RenderPass(env, config, cache, output, site_digest, digests, site_changed=site_digest != cache.site_digest,
                        known=known)
    with timings.stage("templates"):
        render.render(pages, pool.workers, timings.advance)
    resolved: dict[str, str] = dict(bodies)
    health_problems: list[Diagnostic] = []
    report = None
    if language.is_default:  # one report, of the whole hub
        with timings.stage("health"):
            health_problems = health(hub, output.links, resolved)
            report = build_report(hub, health_problems)
            pages.append(report_page(report, config.interface()))
            render.render(pages[-1:])
    diagnostics += render.diagnostics
    diagnostics += render.failure_diagnostics()
    with timings.stage("feeds"):
        # Made from the hub's front matter alone (never a body): the same hub, the same files.
        hub_files = [*feeds.feed_paths(hub), "sitemap.xml", *(["robots.txt"] if language.is_default else []),
                     "hub.json"]
        if output.streaming and hub_files_kept(cache, hub_files, same_hub):
            for rel in hub_files:
                output.put(rel, b"", unchanged=True)
        else:
            for feed_path, feed in feeds.feeds(hub):
                output.put(feed_path, feed)
            output.put("sitemap.xml", feeds.sitemap(hub, seen_urls))
            if language.is_default:
                output.put("robots.txt", feeds.robots(hub))
            output.put("hub.json", feeds.hub_json(hub))
    with timings.stage("images"):
        pool.wait(timings.advance)
    if language.is_default:
        diagnostics += static_collisions(copies, output.paths)
    with timings.stage("links"):
        checked_against = site_files(output.paths | elsewhere, copies, rendered_bodies.links, dirs.templates, config)
        check_body_links(hub, rendered_bodies, checked_against)
    for refused in output.refused:
        diagnostics.append(error(config.output.as_posix(), 1, 1, "unsafe-path",
                                 f"refusing to write '{refused[:120]}': it is not a path inside the site",
                                 "this is a bug in themehub; please report it"))
    other = tuple(diagnostics)
    for body_problems in rendered_bodies.problems.values():
        diagnostics += body_problems
    site = RenderedSite(output.files, copies, tuple(pages), raw, tuple(diagnostics), tuple(render.rendered),
                        resolved, pipeline, tuple(health_problems), report, rendered_bodies, proven=len(known),
                        paths=frozenset(output.paths) | frozenset(copies))
    cache.last = None
    if not render.failures:
        # Only a complete render may become the next render's baseline.
        cache.shapes = article_shapes(hub, cache, same_site=site_digest == cache.site_digest)
        cache.files = dict.fromkeys(hub_files, "")  # stamped by `build` once written
        cache.pages, cache.digests, cache.site_digest = render.new_pages, digests, site_digest
        cache.meta = meta
        cache.links_digest, cache.made_at = rendered_bodies.links.digest, hub.now
        if not output.streaming:
            cache.last = LastRender(hub, site, rendered_bodies, other, output.links, env, site_digest, digests,
                                    body_pages(pages, bodies), custom, checked_against)
    return site


def _site_digest(hub: Hub, template_dirs: tuple[Path, ...], versions: Mapping[str, str],
                 custom_templates: bool) -> str:
    """Everything a page may show besides its own context: config, templates, the interface's catalogues,
    assets and the `hub` lookups the built-in macros make (author names, theme tiles, footer pages). A
    site that overrides templates may read anything from `hub`, so there every content file counts."""
    content = hub.content
    config = hub.config
    catalogues = (i18n.catalogue_path(config.language),
                  i18n.theme_catalogue(config.root, config.theme, config.language))
    parts: list[object] = [
        repr(config), files_digest(template_dirs, (config.root, BUILTIN_THEMES)), sorted(versions.items()),
        [content_hash(path.read_bytes()) for path in catalogues if path is not None],  # the interface's words
        [a.meta_digest for a in content.authors], [p.meta_digest for p in content.pages],
        [(t.meta_digest, len(hub.theme_articles[t.slug])) for t in content.themes],
        # A translation added or moved changes the alternates and the switcher of its original's pages.
        hub.language.versions.shown(), sorted(hub.language.moved.items()), sorted(hub.language.elsewhere),
    ]
    if custom_templates:
        parts.append([item.digest for item in content.items()])  # every kind's, events and tracks too
    return fingerprint(*parts)


def static_files_for(config: Config, theme_static: tuple[Path, ...]) -> dict[str, Path]:
    return static_files([(d, "assets/") for d in theme_static] + [(config.root / "static", "")])
