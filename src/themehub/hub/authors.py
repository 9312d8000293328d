"""Authors (SMEs) and their content: what each wrote, grouped by theme; who writes on each theme; which
services each one's pieces lead to, and who delivers each service."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from themehub.content.model import Article, Author, Service, Theme
from themehub.hub.ordering import most_often_first
from themehub.hub.services import Services
from themehub.hub.themes import ThemeTree


@dataclass(frozen=True, slots=True)
class ThemeGroup:
    theme: Theme
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class Authors:
    by_slug: Mapping[str, Author]
    ordered: tuple[Author, ...]
    """By name."""
    articles: Mapping[str, tuple[Article, ...]]
    """Author -> their published articles, newest first."""
    groups: Mapping[str, tuple[ThemeGroup, ...]]
    """Author -> their articles under each primary theme, in theme order."""
    for_theme: Mapping[str, tuple[Author, ...]]
    """Theme -> the authors of its rolled-up articles, the most prolific first."""
    services: Mapping[str, tuple[Service, ...]]
    """Author -> the services their pieces lead to, the most often first."""
    for_service: Mapping[str, tuple[Author, ...]]
    """Service -> the authors whose pieces lead to it, the most often first."""


def build_authors(authors: Iterable[Author], published: Iterable[Article], tree: ThemeTree,
                  services: Services) -> Authors:
    by_slug = {a.slug: a for a in authors}
    written: dict[str, list[Article]] = defaultdict(list)
    for a in published:
        for ref in a.authors:
            written[ref.slug].append(a)
    articles = {slug: tuple(written[slug]) for slug in by_slug}
    return Authors(
        by_slug=by_slug, ordered=tuple(sorted(by_slug.values(), key=lambda a: (a.name.lower(), a.slug))),
        articles=articles, groups={slug: theme_groups(pieces, tree) for slug, pieces in articles.items()},
        for_theme={slug: _most_prolific(pieces, by_slug) for slug, pieces in tree.articles.items()},
        services={slug: most_often_first(s for a in pieces for s in services.for_article[a.slug])
                  for slug, pieces in articles.items()},
        for_service={slug: most_often_first(by_slug[r.slug] for a in pieces for r in a.authors if r.slug in by_slug)
                     for slug, pieces in services.articles.items()},
    )


def theme_groups(articles: Iterable[Article], tree: ThemeTree) -> tuple[ThemeGroup, ...]:
    """`articles` under their primary theme, the themes in tree order (articles without a theme left out)."""
    grouped: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        primary = tree.primary_theme(a)
        if primary is not None:
            grouped[primary.slug].append(a)
    return tuple(ThemeGroup(t, tuple(grouped[t.slug])) for t in tree.ordered if t.slug in grouped)


def _most_prolific(articles: Iterable[Article], authors: Mapping[str, Author]) -> tuple[Author, ...]:
    counts = Counter(r.slug for a in articles for r in a.authors if r.slug in authors)
    return tuple(authors[s] for s in sorted(counts, key=lambda s: (-counts[s], authors[s].name)))
