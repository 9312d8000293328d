"""Which articles are shown: published, archived, left out; what the home page leads with; old addresses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from themehub import urls
from themehub.config import Config
from themehub.content.model import Article, Page
from themehub.diagnostics import Diagnostic, error, warning
from themehub.hub.ordering import newest_first


@dataclass(frozen=True, slots=True)
class Publication:
    """The articles a build shows, newest first. Drafts and future pieces are left out (unless asked for)."""

    shown: tuple[Article, ...]
    """Every article that gets a page: the published and the archived."""
    published: tuple[Article, ...]
    """What listings, feeds, paths and related content show."""
    archived: tuple[Article, ...]
    """Expired articles: they keep their page, with an "archived" notice, and leave every listing."""
    by_slug: Mapping[str, Article]
    """Every shown article by slug."""
    listed: Mapping[str, Article]
    """Every published article by slug."""


def publish(articles: Iterable[Article], *, now: dt.datetime, drafts: bool = False) -> Publication:
    shown = newest_first(a for a in articles if drafts or (not a.draft and a.date <= now))
    # Expired content keeps its page (URLs do not break) but leaves listings, feeds, paths and related.
    archived = tuple(a for a in shown if a.expires is not None and a.expires <= now)
    published = tuple(a for a in shown if a not in archived)
    return Publication(shown=shown, published=published, archived=archived, by_slug={a.slug: a for a in shown},
                       listed={a.slug: a for a in published})


def overdue_reviews(articles: Iterable[Article], publication: Publication, now: dt.datetime) -> list[Diagnostic]:
    """A warning for each shown article whose `review_by` date has passed."""
    found = []
    for a in articles:
        if a.review_by is not None and a.review_by <= now and a.slug in publication.by_slug:
            line, col = a.position("review_by")
            found.append(warning(a.source, line, col, "review-overdue",
                                 f"review date {a.review_by.date().isoformat()} has passed",
                                 "review the piece, then move `review_by` forward (or set `expires`)"))
    return found


def featured_article(published: tuple[Article, ...], config: Config) -> Article | None:
    """What the home page leads with: the newest `featured: true` piece, else the newest of the deepest."""
    return next((a for a in published if a.featured), None) or _deepest_newest(published, config)


def _deepest_newest(articles: tuple[Article, ...], config: Config) -> Article | None:
    """The newest piece of the deepest level the hub has ('articles' is newest first)."""
    if not articles:
        return None
    deepest = max(config.depth_index(a.depth) for a in articles if a.depth in config.depth_keys) \
        if any(a.depth in config.depth_keys for a in articles) else 0
    return next((a for a in articles if config.depth_index(a.depth) == deepest), articles[0])


Redirected = Article | Page
"""What an old address can lead to: an article or a page (both take `aliases:`)."""


def aliases_of(shown: Iterable[Redirected]) -> tuple[dict[str, Redirected], list[Diagnostic]]:
    """Old path (below the site root, ending in '/'; or the home page's old id, '?p=123') -> the article or
    page it now redirects to; an error for each alias that is the piece's own address or is claimed twice."""
    aliases: dict[str, Redirected] = {}
    diagnostics: list[Diagnostic] = []
    for a in shown:
        for alias in a.aliases:
            path = alias[1:] if alias.startswith("/?") else alias.strip("/") + "/"
            owner = aliases.get(path)
            if path == "/" or path == address(a):
                line, col = a.position("aliases")
                diagnostics.append(error(a.source, line, col, "alias-collision",
                                         f"alias '{alias}' is the address of a page", "remove this alias"))
            elif owner is not None and owner is not a:
                line, col = a.position("aliases")
                diagnostics.append(error(a.source, line, col, "alias-collision",
                                         f"alias '{alias}' is also claimed by {owner.source}",
                                         "keep the alias on one article or page only"))
            else:
                aliases[path] = a
    return aliases, diagnostics


def address(item: Redirected) -> str:
    """Where an article or a page is, below the site root ('articles/x/', 'about/')."""
    return urls.article(item.slug) if isinstance(item, Article) else f"{item.slug}/"
