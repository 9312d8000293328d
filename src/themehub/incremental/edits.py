"""Body-only edits: re-render just the pages that show a changed body.

A body-only edit (the front matter is byte for byte what it was) cannot change the hub graph:
listings, related content, feeds, the sitemap and hub.json show front matter only. What it can change
is the item's own pages (the body is at the top of their context, see pages.py), the link and health
diagnostics, and /report/. `serve` takes this path for most saves and falls back to a full render
(`render_site`) whenever it cannot prove the shortcut is exact: a changed heading (other bodies may
link to it), images in the body, templates that may read anything, or a date that `now` has crossed.
The tests compare the result with a clean build, byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection

from markupsafe import Markup

from themehub import urls
from themehub.content.model import Article, Content, Item
from themehub.hub.display import shape_digest
from themehub.hub.graph import Hub
from themehub.hub.health import health
from themehub.hub.moments import still_current
from themehub.hub.report import build_report
from themehub.render.bodies import Bodies, Resolved, body_diagnostics, convert, markdown_settings, resolution
from themehub.render.links import check_site_links
from themehub.render.packed import PackedFiles
from themehub.render.pages import article_page, report_page
from themehub.render.pool import WorkPool
from themehub.render.renderpass import RenderPass, render_page
from themehub.render.result import LastRender, RenderedSite
from themehub.render.reuse import RenderCache
from themehub.render.sink import Output


def first_look(items: Collection[Item], now: dt.datetime, cache: RenderCache) -> dict[str, bytes] | None:
    """The pages of edited articles (`items`, their new versions), made against the last complete render
    while the full rebuild of a front-matter edit runs: what the reader has open is up to date in tens of
    milliseconds, the other pages that show the edit follow with the full rebuild (Hugo's server has the
    same "fast render" idea). None when the shortcut may show anything the full rebuild would not."""
    last = cache.last
    if last is None or last.custom_templates or not items or not still_current(last.hub, now):
        return None
    hub = last.hub
    old = {item.source: item for item in hub.content.articles}
    archived = {a.slug for a in hub.archived}
    settings = markdown_settings(hub.config)
    pages: dict[str, bytes] = {}
    for item in items:
        before = old.get(item.source)
        shown = item.slug in hub.article_by_slug or item.slug in archived  # not a draft, nor scheduled
        if not isinstance(item, Article) or before is None or not shown:
            return None
        if shape_digest(item) != shape_digest(before):
            return None  # more than its display fields (hub/display.py): its place in the hub may move
        with WorkPool(1) as pool:  # one body, in this process
            (key,) = convert([item], settings, cache.markdown, pool)
        body = cache.markdown[key]
        if body.ids != last.bodies.links.anchors.get(item.source) or "<img" in body.html:
            return None  # links to it, or image variants: the full render's work
        found = last.bodies.links.resolve(body.html, item.source)
        spec = article_page(hub, item, Markup(found.html), item.slug in archived)
        try:
            template = last.env.get_template(spec.template)
        except Exception:  # a template that fails to load is the full render's to report
            return None
        data, _ = render_page(template, spec)
        if data is None:
            return None
        pages[urls.output_file(spec.url)] = data
    return pages


def render_body_edits(content: Content, now: dt.datetime, cache: RenderCache,
                      changed: Collection[str]) -> RenderedSite | None:
    """Re-render after edits to the bodies of `changed` (content files whose front matter did not
    change; `content` holds their new versions). None when only a full render is exact."""
    last = cache.last
    if last is None or last.custom_templates or not still_current(last.hub, now):
        return None
    hub = dataclasses.replace(last.hub, content=content, now=now)
    fresh = {item.source: item for item in content.items() if item.source in changed}
    bodies = last.bodies
    edited = {source: item for source, item in fresh.items() if source in bodies.raw}
    settings = markdown_settings(hub.config)
    with WorkPool(1) as pool:  # one or two bodies: converted in this process
        keys = dict(zip(edited, convert(list(edited.values()), settings, cache.markdown, pool), strict=True))
    new = Bodies(dict(bodies.raw), dict(bodies.html), dict(bodies.problems), bodies.links, dict(bodies.site_links),
                 dict(bodies.external))
    resolved = dict(cache.resolved)
    for source, item in edited.items():
        body = cache.markdown[keys[source]]
        if body.ids != bodies.links.anchors.get(source):
            return None  # other bodies may link to the old or new ids
        found = bodies.links.resolve(body.html, source)
        if "<img" in found.html or "<img" in new.html[source]:
            return None  # image variants and copies are planned by the full render
        kept = resolution(keys[source], bodies.links.digest, found)
        new.raw[source], new.html[source] = body, kept.html
        # The site's pages and files are those of the last full render: a body edit adds or removes none.
        new.problems[source] = (*body_diagnostics(item, body, found.problems),
                                *check_site_links(source, item.body, item.body_line, found.site_links,
                                                  last.site_files))
        new.site_links[source], new.external[source] = found.site_links, found.external
        resolved[source] = kept
    digests = {**last.digests, **{source: item.digest for source, item in fresh.items()}}
    return _rerender(hub, last, new, edited, digests, cache, resolved)


def _rerender(hub: Hub, last: LastRender, bodies: Bodies, edited: Collection[str], digests: dict[str, str],
              cache: RenderCache, resolved: dict[str, Resolved]) -> RenderedSite | None:
    """The pages that show an edited body, then health and /report/; everything else as it was."""
    site = last.site
    output = Output(hub.config.base_path)
    output.files, output.links, output.paths = PackedFiles.of(site.files), dict(last.page_links), set(site.files)
    pages = list(site.pages)
    render = RenderPass(last.env, hub.config, cache, output, last.site_digest, digests, site_changed=False,
                        new_pages=dict(cache.pages))
    old_html = last.bodies.html
    for source in edited:
        for index in last.body_pages.get(source, ()):
            spec = pages[index]
            context = {key: bodies.html[source] if value is old_html[source] else value
                       for key, value in spec.context.items()}
            pages[index] = dataclasses.replace(spec, context=context)
            if not render.render([pages[index]]):
                return None  # a template failed: the full render reports it
    body_html = dict(bodies.html)
    problems = health(hub, output.links, body_html)
    report = build_report(hub, problems)
    pages[-1] = report_page(report, hub.config.interface())
    if not render.render(pages[-1:]) or render.diagnostics:
        return None
    all_diagnostics = list(last.other_diagnostics)
    for found in bodies.problems.values():
        all_diagnostics += found
    new_site = RenderedSite(output.files, site.copies, tuple(pages), bodies.raw, tuple(all_diagnostics),
                            tuple(render.rendered), body_html, site.images, tuple(problems), report, bodies)
    cache.pages, cache.digests, cache.resolved = render.new_pages, digests, resolved
    # Page indexes do not move: the same pages, some with a new body.
    cache.last = dataclasses.replace(last, hub=hub, site=new_site, bodies=bodies, page_links=output.links,
                                     digests=digests)
    return new_site

