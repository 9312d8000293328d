"""Machine-readable outputs: Atom feeds, sitemap, robots.txt and the hub graph (hub.json)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence

from themehub import __version__, urls
from themehub.content.model import Article, Ref
from themehub.hub.ctas import Cta, article_cta, service_cta, theme_cta, track_cta
from themehub.hub.graph import Hub
from themehub.xml_text import escape_text, quoted

FEED_SIZE = 20
HUB_SCHEMA_VERSION = 1


def _rfc3339(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(hub: Hub, title: str, page_url: str, feed_url: str, articles: Sequence[Article]) -> bytes:
    config = hub.config
    address = hub.language.absolute
    items = articles[:FEED_SIZE]
    updated = max((a.last_modified for a in items), default=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoted(config.language)}>',
        f"  <title>{escape_text(title)}</title>",
        f"  <id>{escape_text(address(feed_url))}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoted(address(feed_url))}/>',
        f'  <link rel="alternate" type="text/html" href={quoted(address(page_url))}/>',
        f"  <updated>{_rfc3339(updated)}</updated>",
        f'  <generator version="{__version__}">themehub</generator>',
    ]
    if config.description:
        out.append(f"  <subtitle>{escape_text(config.description)}</subtitle>")
    for a in items:
        link = address(urls.article(a.slug))
        out += [
            "  <entry>",
            f"    <title>{escape_text(a.title)}</title>",
            f"    <id>{escape_text(link)}</id>",
            f'    <link rel="alternate" type="text/html" href={quoted(link)}/>',
            f"    <published>{_rfc3339(a.date)}</published>",
            f"    <updated>{_rfc3339(a.last_modified)}</updated>",
        ]
        for ref in a.authors:
            author = hub.author_by_slug.get(ref.slug)
            if author is not None:
                out.append(f"    <author><name>{escape_text(author.name)}</name>"
                           f"<uri>{escape_text(address(urls.author(author.slug)))}</uri></author>")
        for ref in a.themes:
            theme = hub.theme_by_slug.get(ref.slug)
            if theme is not None:
                out.append(f"    <category term={quoted(theme.slug)} label={quoted(theme.title)}/>")
        if a.summary:
            out.append(f"    <summary>{escape_text(a.summary)}</summary>")
        out.append("  </entry>")
    out.append("</feed>\n")
    return "\n".join(out).encode("utf-8")


FIXED_FILES = ("sitemap.xml", "robots.txt", "hub.json")


def feed_paths(hub: Hub) -> list[str]:
    """Where `feeds` writes, known before anything is rendered."""
    return [urls.feed(), *(urls.feed(urls.theme(t.slug)) for t in hub.themes_ordered if _has(hub, urls.theme(t.slug))),
            *(urls.feed(urls.author(a.slug)) for a in hub.authors_ordered if _has(hub, urls.author(a.slug)))]


def _has(hub: Hub, page: str) -> bool:
    """Whether this hub's language has the page (a theme or SME nobody translated has its feed in the
    default language only)."""
    return hub.language.has_page(page)


def feeds(hub: Hub) -> Iterable[tuple[str, bytes]]:
    yield urls.feed(), atom_feed(hub, hub.config.title, urls.home(), urls.feed(), hub.articles)
    for theme in hub.themes_ordered:
        page = urls.theme(theme.slug)
        if not _has(hub, page):
            continue
        yield urls.feed(page), atom_feed(hub, f"{theme.title} | {hub.config.title}", page, urls.feed(page),
                                          hub.theme_articles[theme.slug])
    for author in hub.authors_ordered:
        page = urls.author(author.slug)
        if not _has(hub, page):
            continue
        yield urls.feed(page), atom_feed(hub, f"{author.name} | {hub.config.title}", page, urls.feed(page),
                                          hub.author_articles[author.slug])


def sitemap(hub: Hub, page_urls: Iterable[str]) -> bytes:
    address = hub.language.absolute
    lastmod: dict[str, dt.datetime] = {urls.article(a.slug): a.last_modified for a in hub.articles}
    versions = hub.language.versions
    multilingual = bool(versions.languages)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
           + (' xmlns:xhtml="http://www.w3.org/1999/xhtml">' if multilingual else ">")]
    for url in sorted(set(page_urls)):
        if url.endswith(".html") or url in hub.aliases:
            continue
        # Google reads a page's translations from the sitemap as from its <head>: every version, itself too.
        alternates = "".join(f'<xhtml:link rel="alternate" hreflang={quoted(code)} href={quoted(href)}/>'
                             for code, href in versions.alternates(url)) if multilingual else ""
        out.append(f"  <url><loc>{escape_text(address(url))}</loc>"
                   + (f"<lastmod>{lastmod[url].date().isoformat()}</lastmod>" if url in lastmod else "")
                   + alternates + "</url>")
    out.append("</urlset>\n")
    return "\n".join(out).encode("utf-8")


def robots(hub: Hub) -> bytes:
    if hub.config.noindex:  # a preview (`build --noindex`): no crawler, and no sitemap to lead one in
        return b"User-agent: *\nDisallow: /\n"
    maps = [hub.config.base_url + urls.href(lang.path) + "sitemap.xml" for lang in hub.config.languages] or [
        hub.config.base_url + "sitemap.xml"]
    return ("User-agent: *\nAllow: /\n" + "".join(f"Sitemap: {url}\n" for url in maps)).encode()


def hub_json(hub: Hub) -> bytes:
    """The hub graph for analytics and marketing-automation tools (schema: `themehub schema`, hub.schema.json)."""
    config = hub.config
    base = config.base_url
    address = hub.language.absolute

    def slugs(refs: Iterable[Ref]) -> list[str]:
        return [r.slug for r in refs]

    def cta(value: Cta | None) -> dict[str, str] | None:
        if value is None:
            return None
        return {"id": value.id, "label": value.label, "url": value.url, "placement": value.placement,
                "theme": value.theme, "depth": value.depth, "track": value.track, "service": value.service}

    tracks_of: dict[str, list[str]] = {}
    for track in hub.tracks:
        for a in hub.track_steps[track.slug]:
            tracks_of.setdefault(a.slug, []).append(track.slug)
    data = {
        "schema": f"themehub-hub/{HUB_SCHEMA_VERSION}",
        "site": {"title": config.title, "base_url": base, "language": config.language,
                 "depths": [{"key": k, "label": v} for k, v in config.depths]},
        "themes": [
            {"slug": t.slug, "title": t.title, "tagline": t.tagline,
             "url": address(urls.theme(t.slug)),
             "parent": hub.theme_ancestors[t.slug][-1].slug if hub.theme_ancestors[t.slug] else None,
             "color": t.color or None, "services": [s.slug for s in hub.theme_services[t.slug]],
             "path": [a.slug for a in hub.theme_path[t.slug]],
             "content": [a.slug for a in hub.theme_articles[t.slug]], "cta": cta(theme_cta(hub, t))}
            for t in hub.themes_ordered
        ],
        "tracks": [
            {"slug": t.slug, "title": t.title, "url": address(urls.track(t.slug)),
             "theme": t.theme.slug if t.theme else None, "steps": [a.slug for a in hub.track_steps[t.slug]],
             "cta": cta(track_cta(hub, t))}
            for t in hub.tracks
        ],
        "content": [
            {"slug": a.slug, "title": a.title, "url": address(urls.article(a.slug)), "type": a.type,
             "depth": a.depth, "date": a.date.isoformat(), "updated": a.updated.isoformat() if a.updated else None,
             "themes": slugs(a.themes), "authors": slugs(a.authors), "tags": list(a.tags),
             "tracks": tracks_of.get(a.slug, []),
             "services": [s.slug for s in hub.article_services[a.slug]],
             "related": [s.article.slug for s in hub.article_related[a.slug]],
             "next": hub.article_next[a.slug].article.slug if a.slug in hub.article_next else None,
             "cta": cta(article_cta(hub, a))}
            for a in hub.articles
        ],
        "authors": [
            {"slug": au.slug, "name": au.name, "role": au.role, "voice": au.voice,
             "url": address(urls.author(au.slug)), "expertise": slugs(au.expertise),
             "content": [a.slug for a in hub.author_articles[au.slug]]}
            for au in hub.authors_ordered
        ],
        "services": [
            {"slug": s.slug, "title": s.title, "url": address(urls.service(s.slug)),
             "cta": cta(service_cta(hub, s)),
             "content": [a.slug for a in hub.service_articles[s.slug]]}
            for s in hub.services_ordered
        ],
    }
    # Compact: json's C encoder only runs without `indent`, and machines read this file.
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
