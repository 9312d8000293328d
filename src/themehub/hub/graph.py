"""The hub graph: references resolved, the theme tree, roll-ups, paths, services, backlinks.

Built once from the content model; templates and feeds only read it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from themehub import urls
from themehub.config import Config
from themehub.content.kinds import BY_FOLDER, KINDS, RESERVED_SLUGS
from themehub.content.model import Article, Author, Content, Item, Page, Ref, Service, Theme, Track
from themehub.diagnostics import Diagnostic, did_you_mean, error, warning
from themehub.hub.related import Suggestion, score_related, theme_relations, varied
from themehub.source.slugs import slugify


@dataclass(frozen=True, slots=True)
class DepthGroup:
    key: str
    label: str
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class Tag:
    slug: str
    name: str
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class ThemeGroup:
    theme: Theme
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class TrackStep:
    """Where an article sits in a track: step `number` of `total`, with its neighbours."""

    track: Track
    number: int
    total: int
    previous: Article | None
    next: Article | None


@dataclass(frozen=True, slots=True)
class NextStep:
    """'Read deeper': the next item for a reader, and why it was chosen."""

    article: Article
    reason: str


@dataclass(frozen=True)
class Hub:
    config: Config
    content: Content
    articles: tuple[Article, ...]
    """Published articles, newest first: what listings, feeds, paths and related content show."""
    archived: tuple[Article, ...]
    """Expired articles: they keep their page, with an "archived" notice, and leave every listing."""
    now: dt.datetime
    article_by_slug: Mapping[str, Article]
    theme_by_slug: Mapping[str, Theme]
    author_by_slug: Mapping[str, Author]
    service_by_slug: Mapping[str, Service]
    page_by_slug: Mapping[str, Page]
    top_themes: tuple[Theme, ...]
    themes_ordered: tuple[Theme, ...]
    theme_children: Mapping[str, tuple[Theme, ...]]
    theme_ancestors: Mapping[str, tuple[Theme, ...]]
    theme_articles: Mapping[str, tuple[Article, ...]]
    theme_depth_groups: Mapping[str, tuple[DepthGroup, ...]]
    theme_path: Mapping[str, tuple[Article, ...]]
    theme_services: Mapping[str, tuple[Service, ...]]
    theme_authors: Mapping[str, tuple[Author, ...]]
    article_services: Mapping[str, tuple[Service, ...]]
    article_related: Mapping[str, tuple[Suggestion, ...]]
    article_next: Mapping[str, NextStep]
    article_tags: Mapping[str, tuple[Tag, ...]]
    author_articles: Mapping[str, tuple[Article, ...]]
    author_groups: Mapping[str, tuple[ThemeGroup, ...]]
    service_articles: Mapping[str, tuple[Article, ...]]
    services_ordered: tuple[Service, ...]
    authors_ordered: tuple[Author, ...]
    tags: tuple[Tag, ...]
    tracks: tuple[Track, ...] = ()
    track_steps: Mapping[str, tuple[Article, ...]] = field(default_factory=dict)
    article_track_steps: Mapping[str, tuple[TrackStep, ...]] = field(default_factory=dict)
    article_ranked: Mapping[str, tuple[Suggestion, ...]] = field(default_factory=dict)
    """The full ranked candidate list per article (`themehub explain`); article_related is its varied head."""
    aliases: Mapping[str, Article] = field(default_factory=dict)
    """Old path (relative to the site root, ending in '/') -> the article it redirects to."""
    featured: Article | None = None
    """What the home page leads with: the newest `featured: true` piece, else the newest of the deepest."""
    author_services: Mapping[str, tuple[Service, ...]] = field(default_factory=dict)
    """SME -> the services their pieces lead to, the most often first."""
    service_authors: Mapping[str, tuple[Author, ...]] = field(default_factory=dict)
    """Service -> the SMEs whose pieces lead to it, the most often first."""

    def items_with_pages(self) -> list[Item]:
        """Every item that gets a page of its own (hence a rendered body), kind by kind: the articles
        published or archived (not drafts, not future ones), and every item of the other kinds."""
        found: list[Item] = []
        for kind in KINDS:
            found += (*self.articles, *self.archived) if kind.folder == "articles" else self.content.of(kind.folder)
        return found

    def primary_theme(self, article: Article) -> Theme | None:
        for ref in article.themes:
            if ref.slug in self.theme_by_slug:
                return self.theme_by_slug[ref.slug]
        return None

    def breadcrumbs(self, theme: Theme | None) -> tuple[Theme, ...]:
        if theme is None:
            return ()
        return (*self.theme_ancestors.get(theme.slug, ()), theme)


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=lambda a: (-a.date.timestamp(), a.slug)))


def _check_refs(
    source: str, refs: Iterable[Ref], known: Mapping[str, object], what: str, code: str,
    diagnostics: list[Diagnostic], unloaded: frozenset[str] = frozenset(),
) -> None:
    """An error for each reference to an item that does not exist. A file that exists but could not be
    read is not unknown: its own diagnostic says what is wrong, once, not once per reference to it."""
    for ref in refs:
        if ref.slug not in known and ref.slug not in unloaded:
            diagnostics.append(error(source, ref.line, ref.col, code, f"unknown {what} '{ref.slug}'",
                                     did_you_mean(ref.slug, known)))


def build_hub(content: Content, config: Config, *, now: dt.datetime, drafts: bool = False,
              memo: dict[str, object] | None = None) -> tuple[Hub, list[Diagnostic]]:
    """`memo` (kept by `serve`) lets a rebuild reuse the related-content ranking when no front matter
    that feeds it changed (the common case: a body edit)."""
    diagnostics: list[Diagnostic] = []
    themes = {t.slug: t for t in content.themes}
    authors = {a.slug: a for a in content.authors}
    services = {s.slug: s for s in content.services}
    pages = {p.slug: p for p in content.pages}

    # -- references ------------------------------------------------------------------------
    by_folder = {kind.folder: {item.slug: item for item in content.of(kind.folder)} for kind in KINDS}
    for kind in KINDS:
        for item in content.of(kind.folder):
            for reference in kind.references:
                target = BY_FOLDER[reference.target]
                _check_refs(item.source, reference.read(item), by_folder[target.folder], target.described,
                            target.unknown_code(), diagnostics, content.unloaded_slugs(target.folder))
            if not kind.section and item.slug in RESERVED_SLUGS:
                diagnostics.append(error(
                    item.source, 1, 1, "reserved-slug",
                    f"{kind.name} slug '{item.slug}' clashes with the site's own /{item.slug}/ pages",
                    "rename the file or set another `slug:`"))

    parents = _theme_parents(content.themes, themes, diagnostics)

    # -- published articles ----------------------------------------------------------------
    built = newest_first(a for a in content.articles if drafts or (not a.draft and a.date <= now))
    by_slug = {a.slug: a for a in built}
    # Expired content keeps its page (URLs do not break) but leaves listings, feeds, paths and related.
    archived = tuple(a for a in built if a.expires is not None and a.expires <= now)
    published = tuple(a for a in built if a not in archived)
    for a in content.articles:
        if a.review_by is not None and a.review_by <= now and a.slug in by_slug:
            line, col = a.position("review_by")
            diagnostics.append(warning(a.source, line, col, "review-overdue",
                                       f"review date {a.review_by.date().isoformat()} has passed",
                                       "review the piece, then move `review_by` forward (or set `expires`)"))

    # -- theme tree ------------------------------------------------------------------------
    children: dict[str, list[Theme]] = defaultdict(list)
    for slug, parent in parents.items():
        if parent:
            children[parent].append(themes[slug])
    order_key = _theme_order
    theme_children = {slug: tuple(sorted(kids, key=order_key)) for slug, kids in children.items()}
    ancestors: dict[str, tuple[Theme, ...]] = {}
    for slug in themes:
        chain: list[Theme] = []
        parent = parents.get(slug)
        while parent:
            chain.append(themes[parent])
            parent = parents.get(parent)
        ancestors[slug] = tuple(reversed(chain))
    top = tuple(sorted((t for t in content.themes if not parents.get(t.slug)), key=order_key))
    ordered: list[Theme] = []

    # Depth-first, in order, without recursion: a theme tree may be thousands deep.
    stack = list(reversed(top))
    while stack:
        theme = stack.pop()
        ordered.append(theme)
        stack.extend(reversed(theme_children.get(theme.slug, ())))

    def descendants(slug: str) -> list[str]:
        result, todo = [], [slug]
        while todo:
            current = todo.pop()
            result.append(current)
            todo.extend(reversed([child.slug for child in theme_children.get(current, ())]))
        return result

    direct: dict[str, list[Article]] = defaultdict(list)
    for a in published:
        for ref in a.themes:
            if ref.slug in themes:
                direct[ref.slug].append(a)
    theme_articles = {
        slug: newest_first({a.slug: a for d in descendants(slug) for a in direct.get(d, ())}.values())
        for slug in themes
    }
    depth_groups = {
        slug: tuple(
            DepthGroup(key, label, tuple(a for a in theme_articles[slug] if a.depth == key))
            for key, label in config.depths
        )
        for slug in themes
    }
    listed = {a.slug: a for a in published}
    paths = {slug: _guided_path(themes[slug], theme_articles[slug], listed, config) for slug in themes}

    # -- services --------------------------------------------------------------------------
    def resolve_services(refs: Iterable[Ref]) -> list[Service]:
        return [services[r.slug] for r in refs if r.slug in services]

    article_services = {
        a.slug: tuple(_dedupe(
            resolve_services(a.services)
            + [s for ref in a.themes if ref.slug in themes for s in resolve_services(themes[ref.slug].services)]
        ))
        for a in built
    }
    theme_services = {}
    for slug, theme in themes.items():
        counts = Counter(s.slug for a in theme_articles[slug] for s in resolve_services(a.services))
        by_count = sorted(counts, key=lambda s: (-counts[s], s))
        theme_services[slug] = tuple(_dedupe(resolve_services(theme.services) + [services[s] for s in by_count]))
    direct_leads: dict[str, list[Article]] = defaultdict(list)
    theme_leads: dict[str, list[Article]] = defaultdict(list)
    for a in published:
        own = {r.slug for r in a.services}
        for service in article_services[a.slug]:
            (direct_leads if service.slug in own else theme_leads)[service.slug].append(a)
    service_articles = {slug: tuple(direct_leads[slug] + theme_leads[slug]) for slug in services}

    # -- authors ---------------------------------------------------------------------------
    by_author: dict[str, list[Article]] = defaultdict(list)
    for a in published:
        for ref in a.authors:
            by_author[ref.slug].append(a)
    author_articles = {slug: tuple(by_author[slug]) for slug in authors}
    author_groups: dict[str, tuple[ThemeGroup, ...]] = {}
    for slug, items in author_articles.items():
        grouped: dict[str, list[Article]] = defaultdict(list)
        for a in items:
            primary = next((r.slug for r in a.themes if r.slug in themes), None)
            if primary:
                grouped[primary].append(a)
        author_groups[slug] = tuple(
            ThemeGroup(t, tuple(grouped[t.slug])) for t in ordered if t.slug in grouped
        )
    theme_authors = {}
    for slug in themes:
        counts = Counter(r.slug for a in theme_articles[slug] for r in a.authors if r.slug in authors)
        theme_authors[slug] = tuple(authors[s] for s in sorted(counts, key=lambda s: (-counts[s], authors[s].name)))

    # -- tags ------------------------------------------------------------------------------
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    tagged: dict[str, list[Article]] = defaultdict(list)
    for a in built:
        for name in a.tags:
            if not slugify(name):
                line, col = a.position("tags")
                diagnostics.append(warning(a.source, line, col, "bad-tag",
                                           f"tag '{name}' has no letters or digits to make its address from, "
                                           "so it gets no tag page", f"add a word to it (e.g. '{name} launches'), "
                                           "or remove it"))
    for a in published:
        for name in a.tags:
            tslug = slugify(name)
            if not tslug:
                continue
            spellings[tslug][name] += 1
            if not tagged[tslug] or tagged[tslug][-1] is not a:
                tagged[tslug].append(a)
    tags = tuple(
        Tag(tslug, min(spellings[tslug], key=lambda n: (-spellings[tslug][n], n)), tuple(tagged[tslug]))
        for tslug in sorted(tagged)
    )
    tag_by_slug = {t.slug: t for t in tags}
    article_tags = {
        a.slug: tuple(_dedupe(tag_by_slug[slugify(n)] for n in a.tags if slugify(n) in tag_by_slug))
        for a in built
    }

    # -- related and read deeper -----------------------------------------------------------
    # -- tracks ----------------------------------------------------------------------------
    tracks = tuple(sorted(content.tracks, key=lambda t: (t.weight, t.title.lower(), t.slug)))
    track_steps = {t.slug: tuple(listed[r.slug] for r in t.steps if r.slug in listed) for t in tracks}
    positions: dict[str, list[TrackStep]] = defaultdict(list)
    for t in tracks:
        steps = track_steps[t.slug]
        for n, a in enumerate(steps):
            positions[a.slug].append(TrackStep(t, n + 1, len(steps), steps[n - 1] if n else None,
                                               steps[n + 1] if n + 1 < len(steps) else None))
    article_track_steps = {slug: tuple(found) for slug, found in positions.items()}

    # -- related and read deeper -----------------------------------------------------------
    relations = theme_relations(themes, parents)
    tracks_of = {slug: tuple(step.track.slug for step in found) for slug, found in positions.items()}
    pool = _related_pool(published, themes, relations, tracks_of, tracks, config, memo)
    article_next: dict[str, NextStep] = {}
    article_related: dict[str, tuple[Suggestion, ...]] = {a.slug: () for a in archived}
    for a in published:
        # One piece is shown once on a page: the track's own steps have their links (previous / next);
        # "Read deeper" is another piece; related content is neither.
        neighbours = {other.slug for s in article_track_steps.get(a.slug, ()) for other in (s.previous, s.next)
                      if other is not None}
        step = _next_step(a, neighbours, paths, themes, pool[a.slug], config)
        if step is not None:
            article_next[a.slug] = step
            neighbours.add(step.article.slug)
        article_related[a.slug] = varied([s for s in pool[a.slug] if s.article.slug not in neighbours],
                                         config.related, config.related_per_type)

    # -- what the home page leads with, what each SME delivers, who delivers each service ------
    featured = next((a for a in published if a.featured), None) or _deepest_newest(published, config)
    author_services = {slug: _by_count(s for a in items for s in article_services[a.slug])
                       for slug, items in author_articles.items()}
    service_authors = {slug: _by_count(authors[r.slug] for a in items for r in a.authors if r.slug in authors)
                       for slug, items in service_articles.items()}

    aliases = _aliases(built, diagnostics)

    hub = Hub(
        config=config, content=content, articles=published, archived=archived, now=now, article_by_slug=by_slug,
        theme_by_slug=themes, author_by_slug=authors, service_by_slug=services, page_by_slug=pages,
        top_themes=top, themes_ordered=tuple(ordered), theme_children=theme_children,
        theme_ancestors=ancestors, theme_articles=theme_articles, theme_depth_groups=depth_groups,
        theme_path=paths, theme_services=theme_services, theme_authors=theme_authors,
        article_services=article_services, article_related=article_related, article_next=article_next,
        article_tags=article_tags, author_articles=author_articles, author_groups=author_groups,
        service_articles=service_articles,
        services_ordered=tuple(sorted(services.values(), key=lambda s: (s.weight, s.title.lower(), s.slug))),
        authors_ordered=tuple(sorted(authors.values(), key=lambda a: (a.name.lower(), a.slug))),
        tags=tags, tracks=tracks, track_steps=track_steps, article_track_steps=article_track_steps,
        article_ranked=pool, aliases=aliases, featured=featured, author_services=author_services,
        service_authors=service_authors,
    )
    return hub, diagnostics


def _related_pool(published: tuple[Article, ...], themes: Mapping[str, Theme],
                  relations: Mapping[str, Mapping[str, str]],
                  tracks_of: Mapping[str, tuple[str, ...]], tracks: tuple[Track, ...], config: Config,
                  memo: dict[str, object] | None) -> dict[str, tuple[Suggestion, ...]]:
    # Exactly what scoring reads (a title or summary edit keeps the ranking); the list order is the date order.
    key = hashlib.blake2b(repr((
        config.related, config.related_weights,
        [(a.slug, a.depth, a.tags, [r.slug for r in a.themes], [r.slug for r in a.authors]) for a in published],
        sorted((t.slug, t.meta_digest) for t in themes.values()), sorted(tracks_of.items()),
        [(t.slug, t.title) for t in tracks],
    )).encode(), digest_size=16).hexdigest()
    if memo is not None and memo.get("related-key") == key:
        by_slug = {a.slug: a for a in published}
        previous: RankedSlugs = memo["related"]  # type: ignore[assignment]
        known = previous.keys() == by_slug.keys()
        if known and all(s in by_slug for ranked in previous.values() for s, _, _ in ranked):
            # Same front matter, but the articles are new objects (their bodies may have changed).
            return {slug: tuple(Suggestion(by_slug[s], score, reasons) for s, score, reasons in ranked)
                    for slug, ranked in previous.items()}
    pool = score_related(published, themes, relations, tracks_of, {t.slug: t.title for t in tracks}, config,
                         limit=max(3 * config.related, 12))
    if memo is not None:
        memo["related-key"] = key
        memo["related"] = {slug: tuple((s.article.slug, s.score, s.reasons) for s in ranked)
                           for slug, ranked in pool.items()}
    return pool


RankedSlugs = dict[str, tuple[tuple[str, float, tuple[str, ...]], ...]]
"""The related ranking by slug (article -> (candidate, score, reasons)): what `memo` keeps, in
memory for `serve` and in `.themehub-cache/related.json` for `build`."""


def _theme_order(theme: Theme) -> tuple[int, str, str]:
    return (theme.weight, theme.title.lower(), theme.slug)


def _dedupe(items: Iterable) -> list:  # type: ignore[type-arg]
    seen: set[int] = set()
    result = []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            result.append(item)
    return result


def _theme_parents(themes_list: Iterable[Theme], themes: Mapping[str, Theme],
                   diagnostics: list[Diagnostic]) -> dict[str, str | None]:
    """slug -> parent slug, with unknown parents dropped and cycles reported and broken."""
    parents: dict[str, str | None] = {}
    for t in themes_list:
        parent = t.parent.slug if t.parent and t.parent.slug in themes else None
        if parent == t.slug and t.parent is not None:
            diagnostics.append(error(t.source, t.parent.line, t.parent.col, "theme-cycle",
                                     f"campaign theme '{t.slug}' is its own parent",
                                     "remove the `parent:` line or name another theme"))
            parent = None
        parents[t.slug] = parent
    reported: set[str] = set()
    for start in sorted(parents):
        seen: list[str] = []
        node: str | None = start
        while node is not None and node not in seen:
            seen.append(node)
            node = parents.get(node)
        if node is None or node in reported:
            continue
        cycle = seen[seen.index(node):]
        chain = " -> ".join([*cycle, node])
        for slug in cycle:
            reported.add(slug)
            theme = themes[slug]
            ref = theme.parent
            assert ref is not None
            diagnostics.append(error(theme.source, ref.line, ref.col, "theme-cycle",
                                     f"campaign themes form a cycle: {chain}",
                                     "a theme's parent must not lead back to the theme itself"))
        for slug in cycle:
            parents[slug] = None
    return parents


def _guided_path(theme: Theme, rolled_up: tuple[Article, ...], published: Mapping[str, Article],
                 config: Config) -> tuple[Article, ...]:
    """The theme's `start` list; without one, the newest item of each depth, entry first."""
    if theme.start:
        return tuple(published[r.slug] for r in theme.start if r.slug in published)
    path = []
    for key in config.depth_keys:
        match = next((a for a in rolled_up if a.depth == key), None)
        if match is not None:
            path.append(match)
    return tuple(path)


def _next_step(article: Article, shown: set[str], paths: Mapping[str, tuple[Article, ...]],
               themes: Mapping[str, Theme], suggestions: tuple[Suggestion, ...], config: Config) -> NextStep | None:
    """'Read deeper': the next piece on a theme's path, else the best-scored related piece, that goes
    deeper: at the article's depth or deeper, never an entry piece, never one of `shown` (the track's
    own previous and next steps, linked on the page already)."""
    floor = max(config.depth_index(article.depth), 1)

    def deeper(candidate: Article) -> bool:
        return config.depth_index(candidate.depth) >= floor and candidate.slug not in shown | {article.slug}

    for ref in article.themes:
        path = paths.get(ref.slug, ())
        for i, step in enumerate(path[:-1]):
            if step.slug == article.slug:
                following = next((later for later in path[i + 1:] if deeper(later)), None)
                if following is not None:
                    return NextStep(following, f"Next on the {themes[ref.slug].title} path")
    for s in suggestions:
        if deeper(s.article):
            return NextStep(s.article, f"{config.depth_label(s.article.depth)}: " + "; ".join(s.reasons[:1]))
    return None


def _deepest_newest(articles: tuple[Article, ...], config: Config) -> Article | None:
    """The newest piece of the deepest level the hub has ('articles' is newest first)."""
    if not articles:
        return None
    deepest = max(config.depth_index(a.depth) for a in articles if a.depth in config.depth_keys) \
        if any(a.depth in config.depth_keys for a in articles) else 0
    return next((a for a in articles if config.depth_index(a.depth) == deepest), articles[0])


def _by_count(items: Iterable[Service] | Iterable[Author]) -> tuple:  # type: ignore[type-arg]
    """Each item once, the most frequent first, then in the order first met."""
    counts: Counter[int] = Counter()
    first: dict[int, object] = {}
    for item in items:
        counts[id(item)] += 1
        first.setdefault(id(item), item)
    met = {key: n for n, key in enumerate(first)}
    return tuple(first[key] for key in sorted(first, key=lambda key: (-counts[key], met[key])))


def _aliases(built: Iterable[Article], diagnostics: list[Diagnostic]) -> dict[str, Article]:
    """Old path (below the site root, ending in '/') -> the article it now redirects to."""
    aliases: dict[str, Article] = {}
    for a in built:
        for alias in a.aliases:
            path = alias.strip("/") + "/"
            owner = aliases.get(path)
            if path == "/" or path == urls.article(a.slug):
                line, col = a.position("aliases")
                diagnostics.append(error(a.source, line, col, "alias-collision",
                                         f"alias '{alias}' is the address of a page", "remove this alias"))
            elif owner is not None and owner is not a:
                line, col = a.position("aliases")
                diagnostics.append(error(a.source, line, col, "alias-collision",
                                         f"alias '{alias}' is also claimed by {owner.source}",
                                         "keep the alias on one article only"))
            else:
                aliases[path] = a
    return aliases
