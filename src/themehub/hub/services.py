"""Services and what leads to them: each article's services (its own, then its themes'), each theme's,
and the articles that lead to each service."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from themehub.content.model import Article, Ref, Service, Theme
from themehub.hub.ordering import each_once


@dataclass(frozen=True, slots=True)
class Services:
    by_slug: Mapping[str, Service]
    ordered: tuple[Service, ...]
    """By weight, then title."""
    for_article: Mapping[str, tuple[Service, ...]]
    """Article -> the services it names, then its themes' services, each once."""
    for_theme: Mapping[str, tuple[Service, ...]]
    """Theme -> the services it names, then those its rolled-up articles name, the most often first."""
    articles: Mapping[str, tuple[Article, ...]]
    """Service -> the published articles that name it, then those that lead to it through a theme."""

    def resolve(self, refs: Iterable[Ref]) -> list[Service]:
        """The services `refs` name that exist."""
        return resolve(self.by_slug, refs)


def resolve(services: Mapping[str, Service], refs: Iterable[Ref]) -> list[Service]:
    return [services[r.slug] for r in refs if r.slug in services]


def build_services(services: Iterable[Service], themes: Mapping[str, Theme], shown: Iterable[Article],
                   published: Iterable[Article], theme_articles: Mapping[str, tuple[Article, ...]]) -> Services:
    """`shown`: every article with a page; `published`: those listed; `theme_articles`: each theme's roll-up."""
    by_slug = {s.slug: s for s in services}
    for_article = {a.slug: tuple(each_once(
        resolve(by_slug, a.services)
        + [s for ref in a.themes if ref.slug in themes for s in resolve(by_slug, themes[ref.slug].services)]
    )) for a in shown}
    for_theme = {}
    for slug, theme in themes.items():
        counts = Counter(s.slug for a in theme_articles[slug] for s in resolve(by_slug, a.services))
        by_count = sorted(counts, key=lambda s: (-counts[s], s))
        for_theme[slug] = tuple(each_once(resolve(by_slug, theme.services) + [by_slug[s] for s in by_count]))
    return Services(by_slug=by_slug,
                    ordered=tuple(sorted(by_slug.values(), key=lambda s: (s.weight, s.title.lower(), s.slug))),
                    for_article=for_article, for_theme=for_theme,
                    articles=_leading_articles(by_slug, published, for_article))


def _leading_articles(services: Mapping[str, Service], published: Iterable[Article],
                      for_article: Mapping[str, tuple[Service, ...]]) -> dict[str, tuple[Article, ...]]:
    """Service -> the articles that name it, then those that lead to it through one of their themes."""
    direct: dict[str, list[Article]] = defaultdict(list)
    through_theme: dict[str, list[Article]] = defaultdict(list)
    for a in published:
        own = {r.slug for r in a.services}
        for service in for_article[a.slug]:
            (direct if service.slug in own else through_theme)[service.slug].append(a)
    return {slug: tuple(direct[slug] + through_theme[slug]) for slug in services}
