"""The hub graph: references resolved, the theme tree, roll-ups, paths, services, backlinks.

Built once from the content model, by small steps (one module each: articles, themes, services, authors,
tags, tracks, recommendations), each of which makes one frozen part; templates and feeds only read it.
`Hub` holds the parts, and reads them under the names templates have always used (`hub.theme_articles`,
`hub.track_steps`, …): those names are a public API, kept for the default theme and users' own themes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from themehub.config import Config
from themehub.content.kinds import KINDS
from themehub.content.model import Article, Author, Content, Item, Page, Service, Theme, Track
from themehub.diagnostics import Diagnostic
from themehub.hub.articles import (
    Publication,
    Redirected,
    aliases_of,
    featured_article,
    overdue_reviews,
    publish,
)
from themehub.hub.authors import Authors, ThemeGroup, build_authors
from themehub.hub.languages import Localization, default_localization
from themehub.hub.ordering import newest_first
from themehub.hub.recommendations import NextStep, RankedSlugs, Recommendations, build_recommendations
from themehub.hub.references import check_references
from themehub.hub.related import Suggestion
from themehub.hub.services import Services, build_services
from themehub.hub.tags import Tag, Tags, build_tags
from themehub.hub.themes import DepthGroup, ThemeTree, build_theme_tree
from themehub.hub.tracks import Tracks, TrackStep, build_tracks

__all__ = ["DepthGroup", "Hub", "NextStep", "RankedSlugs", "Tag", "ThemeGroup", "TrackStep", "build_hub",
           "newest_first"]


@dataclass(frozen=True)
class Hub:
    config: Config
    content: Content
    now: dt.datetime
    publication: Publication
    theme_tree: ThemeTree
    service_index: Services
    author_index: Authors
    tag_index: Tags
    track_index: Tracks
    recommendations: Recommendations
    page_by_slug: Mapping[str, Page]
    aliases: Mapping[str, Redirected]
    """Old path (relative to the site root, ending in '/') -> the article or page it redirects to; the home
    page's old ids ('?p=123') are `query_aliases`."""
    featured: Article | None
    """What the home page leads with: the newest `featured: true` piece, else the newest of the deepest."""
    query_aliases: Mapping[str, Redirected] = field(default_factory=dict)
    """The home page's old ids ('p=123', from `aliases: [/?p=123]`) -> what each redirects to."""
    language: Localization = field(default_factory=Localization)
    """How this hub's pages address the site: its language's folder, and its links to other languages."""

    def has_own_page(self, item: Item) -> bool:
        """Whether `item` gets a page in this hub's language: every item in the default language; in
        another, only its translations (hub/languages.py)."""
        return self.language.is_default or item.language == self.language.code

    def items_with_pages(self) -> list[Item]:
        """Every item that gets a page of its own (hence a rendered body), kind by kind: the articles
        published or archived (not drafts, not future ones), and every item of the other kinds."""
        found: list[Item] = []
        for kind in KINDS:
            found += (*self.articles, *self.archived) if kind.folder == "articles" else self.content.of(kind.folder)
        return found

    def primary_theme(self, article: Article) -> Theme | None:
        return self.theme_tree.primary_theme(article)

    def breadcrumbs(self, theme: Theme | None) -> tuple[Theme, ...]:
        return self.theme_tree.breadcrumbs(theme)

    # -- the names templates read -------------------------------------------------------------------
    @property
    def articles(self) -> tuple[Article, ...]:
        """Published articles, newest first: what listings, feeds, paths and related content show."""
        return self.publication.published

    @property
    def archived(self) -> tuple[Article, ...]:
        """Expired articles: they keep their page, with an "archived" notice, and leave every listing."""
        return self.publication.archived

    @property
    def article_by_slug(self) -> Mapping[str, Article]:
        return self.publication.by_slug

    @property
    def theme_by_slug(self) -> Mapping[str, Theme]:
        return self.theme_tree.by_slug

    @property
    def top_themes(self) -> tuple[Theme, ...]:
        return self.theme_tree.top

    @property
    def themes_ordered(self) -> tuple[Theme, ...]:
        return self.theme_tree.ordered

    @property
    def theme_children(self) -> Mapping[str, tuple[Theme, ...]]:
        return self.theme_tree.children

    @property
    def theme_ancestors(self) -> Mapping[str, tuple[Theme, ...]]:
        return self.theme_tree.ancestors

    @property
    def theme_articles(self) -> Mapping[str, tuple[Article, ...]]:
        return self.theme_tree.articles

    @property
    def theme_depth_groups(self) -> Mapping[str, tuple[DepthGroup, ...]]:
        return self.theme_tree.depth_groups

    @property
    def theme_path(self) -> Mapping[str, tuple[Article, ...]]:
        return self.theme_tree.paths

    @property
    def service_by_slug(self) -> Mapping[str, Service]:
        return self.service_index.by_slug

    @property
    def services_ordered(self) -> tuple[Service, ...]:
        return self.service_index.ordered

    @property
    def article_services(self) -> Mapping[str, tuple[Service, ...]]:
        return self.service_index.for_article

    @property
    def theme_services(self) -> Mapping[str, tuple[Service, ...]]:
        return self.service_index.for_theme

    @property
    def service_articles(self) -> Mapping[str, tuple[Article, ...]]:
        return self.service_index.articles

    @property
    def author_by_slug(self) -> Mapping[str, Author]:
        return self.author_index.by_slug

    @property
    def authors_ordered(self) -> tuple[Author, ...]:
        return self.author_index.ordered

    @property
    def author_articles(self) -> Mapping[str, tuple[Article, ...]]:
        return self.author_index.articles

    @property
    def author_groups(self) -> Mapping[str, tuple[ThemeGroup, ...]]:
        return self.author_index.groups

    @property
    def theme_authors(self) -> Mapping[str, tuple[Author, ...]]:
        return self.author_index.for_theme

    @property
    def author_services(self) -> Mapping[str, tuple[Service, ...]]:
        """SME -> the services their pieces lead to, the most often first."""
        return self.author_index.services

    @property
    def service_authors(self) -> Mapping[str, tuple[Author, ...]]:
        """Service -> the SMEs whose pieces lead to it, the most often first."""
        return self.author_index.for_service

    @property
    def tags(self) -> tuple[Tag, ...]:
        return self.tag_index.tags

    @property
    def article_tags(self) -> Mapping[str, tuple[Tag, ...]]:
        return self.tag_index.for_article

    @property
    def tracks(self) -> tuple[Track, ...]:
        return self.track_index.ordered

    @property
    def track_steps(self) -> Mapping[str, tuple[Article, ...]]:
        return self.track_index.steps

    @property
    def article_track_steps(self) -> Mapping[str, tuple[TrackStep, ...]]:
        return self.track_index.for_article

    @property
    def article_related(self) -> Mapping[str, tuple[Suggestion, ...]]:
        return self.recommendations.related

    @property
    def article_next(self) -> Mapping[str, NextStep]:
        return self.recommendations.next

    @property
    def article_ranked(self) -> Mapping[str, tuple[Suggestion, ...]]:
        """The full ranked candidate list per article (`themehub explain`); article_related is its varied head."""
        return self.recommendations.ranked


def build_hub(content: Content, config: Config, *, now: dt.datetime, drafts: bool = False,
              memo: dict[str, object] | None = None, language: Localization | None = None,
              ) -> tuple[Hub, list[Diagnostic]]:
    """`memo` (kept by `serve`) lets a rebuild reuse the related-content ranking when no front matter
    that feeds it changed (the common case: a body edit)."""
    publication = publish(content.articles, now=now, drafts=drafts)
    published = publication.published
    tree, loops = build_theme_tree(content.themes, published, config)
    services = build_services(content.services, tree.by_slug, publication.shown, published, tree.articles)
    tags, bad_tags = build_tags(publication.shown, published)
    tracks = build_tracks(content.tracks, publication.listed)
    # A page's old addresses are the default language's, as an article's (a translation inherits none): a
    # language's hub, where untranslated pages stand in for themselves, redirects none of them again.
    pages = () if config.language_path else content.pages
    every_alias, clashes = aliases_of((*publication.shown, *pages))
    aliases = {old: a for old, a in every_alias.items() if not old.startswith("?")}
    query_aliases = {old[1:]: a for old, a in every_alias.items() if old.startswith("?")}
    hub = Hub(
        config=config, content=content, now=now, publication=publication, theme_tree=tree,
        service_index=services, author_index=build_authors(content.authors, published, tree, services),
        tag_index=tags, track_index=tracks,
        recommendations=build_recommendations(published, publication.archived, tree, tracks, config, memo),
        page_by_slug={p.slug: p for p in content.pages}, aliases=aliases, query_aliases=query_aliases,
        featured=featured_article(published, config), language=language or default_localization(config),
    )
    diagnostics = [*check_references(content), *loops, *overdue_reviews(content.articles, publication, now),
                   *bad_tags, *clashes]
    return hub, diagnostics
