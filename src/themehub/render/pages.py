"""The pages to produce: one function per page kind, each yielding (url, template, context).

Nothing here renders; it decides what is on each page. `build` renders them all the same way.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from markupsafe import Markup

from themehub import urls
from themehub.content.kind import Kind
from themehub.content.kinds import KINDS
from themehub.content.model import Article, Item
from themehub.hub.articles import address
from themehub.hub.ctas import Cta, article_cta, author_cta, service_cta, theme_cta, track_cta
from themehub.hub.graph import DepthGroup, Hub, ThemeGroup
from themehub.hub.report import HubReport


@dataclass(frozen=True, slots=True)
class PageSpec:
    url: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    """The content files this page shows (its declared inputs, for incremental work)."""
    shown: Mapping[str, Any] | None = None
    """Context values as the built-in templates read them, where that is less than the context holds
    (a depth group's label, not its every article): the fingerprint hashes these instead, so an edit
    re-renders only the pages that show it. Exact for a site's own templates too, which may read
    anything: for them every content edit changes the site digest (render/site.py)."""


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    total: int
    items: tuple[Any, ...]
    pages: tuple[tuple[int, str], ...]
    """Every page's number and URL, for a numbered page list."""

    @property
    def prev_url(self) -> str | None:
        return self.pages[self.number - 2][1] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.pages[self.number][1] if self.number < self.total else None


def paginate(items: Sequence[Any], per_page: int, first_url: str) -> list[Pagination]:
    total = max(1, -(-len(items) // per_page))
    page_urls = tuple((n, urls.paginated(first_url, n)) for n in range(1, total + 1))
    return [
        Pagination(n, total, tuple(items[(n - 1) * per_page : n * per_page]), page_urls)
        for n in range(1, total + 1)
    ]


@dataclass(frozen=True, slots=True)
class PageInputs:
    hub: Hub
    bodies: Mapping[str, Markup]
    """Rendered markdown by source file (links resolved)."""


def group_by_depth(hub: Hub, articles: Sequence[Article]) -> tuple[DepthGroup, ...]:
    return tuple(
        DepthGroup(key, label, tuple(a for a in articles if a.depth == key))
        for key, label in hub.config.depths
        if any(a.depth == key for a in articles)
    )


def _sources(articles: Sequence[Item]) -> tuple[str, ...]:
    return tuple(a.source for a in articles)


GROUP_CARDS = 6
"""Cards of one depth group (or of a service's proof) shown on a hub page: two rows of three on a wide
screen, so a group stays under two screens; the rest are one click away, on the group's own listing."""


def _paged(_: Callable[[str], str], title: str, pagination: Pagination) -> str:
    """A listing's title, with its page number after the first page."""
    if pagination.number == 1:
        return title
    return _("%(title)s (page %(number)d)") % {"title": title, "number": pagination.number}


def home_page(inputs: PageInputs) -> Iterator[PageSpec]:
    hub = inputs.hub
    counts = {slug: len(items) for slug, items in hub.author_articles.items()}
    experts = sorted((a for a in hub.authors_ordered if counts.get(a.slug)),
                     key=lambda a: (-counts[a.slug], a.name.lower()))[:4]
    featured = hub.featured
    latest = tuple(a for a in hub.articles if a is not featured)[:6]  # each piece once on a page
    yield PageSpec(urls.home(), "home.html", {
        "title": hub.config.title, "description": hub.config.description, "themes": hub.top_themes,
        "featured": featured, "latest": latest, "experts": experts, "services": hub.services_ordered[:4],
        "counts": {t.slug: len(hub.theme_articles[t.slug]) for t in hub.top_themes},
        # old ids ('p=123') and where each now is: the page's script redirects /?p=123 (a query no file can answer)
        "old_addresses": sorted((old, address(a)) for old, a in hub.query_aliases.items()),
    }, _sources((*latest, *((featured,) if featured else ()), *hub.query_aliases.values())))


def theme_pages(inputs: PageInputs) -> Iterator[PageSpec]:
    hub = inputs.hub
    _ = hub.config.interface().gettext
    site = {"site": hub.config.title}
    yield PageSpec("themes/", "themes.html", {
        "title": _("Campaign themes"), "description": _("Every campaign theme of %(site)s.") % site,
        "themes": hub.themes_ordered, "counts": {t.slug: len(hub.theme_articles[t.slug]) for t in hub.themes_ordered},
    })
    by_depth_order = {key: i for i, key in enumerate(hub.config.depth_keys)}
    listings = theme_listings(hub)
    for theme in hub.themes_ordered:
        articles = hub.theme_articles[theme.slug]
        ordered = sorted(articles, key=lambda a: (by_depth_order.get(a.depth, 99), -a.date.timestamp(), a.slug))
        # Each piece once, in its most useful place: on the guided path, else among the customer
        # stories, else in its depth group (whose first few show here, all of them on the group's page).
        path = hub.theme_path.get(theme.slug, ())
        # By slug: a set of articles hashes each one's every field (10,000 articles: a tenth of a second).
        shown = {a.slug for a in path}
        customer_stories = tuple(islice((a for a in articles if _has_advocate(hub, a) and a.slug not in shown), 6))
        shown.update(a.slug for a in customer_stories)
        rest = [a for a in ordered if a.slug not in shown]
        cta = theme_cta(hub, theme)
        groups = tuple(
            DepthGroup(group.key, group.label, group.articles[:GROUP_CARDS])
            for group in group_by_depth(hub, rest)
        )
        every = {group.key: group for group in group_by_depth(hub, ordered)}
        more = {group.key: (len(every[group.key].articles), urls.theme_depth(theme.slug, group.key))
                for group in group_by_depth(hub, rest) if len(group.articles) > GROUP_CARDS}
        tracks = tuple(t for t in hub.tracks if t.theme and t.theme.slug == theme.slug)
        services = tuple(s for s in hub.theme_services[theme.slug] if not cta or s.slug != cta.service)
        theme_listed = listings.get(theme.slug, ())
        yield PageSpec(urls.theme(theme.slug), "theme.html", {
            "title": theme.title,
            "description": theme.tagline or _("%(theme)s: thought leadership from %(site)s.") % {
                "theme": theme.title, **site},
            "theme": theme, "intro": inputs.bodies.get(theme.source, Markup("")),
            "breadcrumbs": hub.theme_ancestors.get(theme.slug, ()),
            "path": path, "groups": groups, "more": more,
            "blocks": listing_blocks(groups, cta, hub.config.cta_after),
            "customer_stories": customer_stories, "tracks": tracks, "listings": theme_listed,
            "coverage": hub.theme_depth_groups[theme.slug],
            "subthemes": hub.theme_children.get(theme.slug, ()),
            "services": services, "authors": hub.theme_authors[theme.slug],
            "count": len(articles), "feed": urls.feed(urls.theme(theme.slug)),
        }, (theme.source, *_sources(articles), *(i.source for listing in theme_listed for i in listing.items)))
        for key in more:
            group = every[key]
            for pagination in paginate(group.articles, hub.config.paginate, urls.theme_depth(theme.slug, group.key)):
                yield PageSpec(pagination.pages[pagination.number - 1][1], "theme_depth.html", {
                    "title": _paged(_, f"{theme.title}: {_(group.label)}", pagination),
                    "description": _("Every %(depth)s piece on %(theme)s.") % {
                        "depth": _(group.label).lower(), "theme": theme.title},
                    "theme": theme, "group": group, "breadcrumbs": hub.theme_ancestors.get(theme.slug, ()),
                    "pagination": pagination,
                }, _sources(pagination.items), shown={"group": (group.key, group.label)})


def article_pages(inputs: PageInputs) -> Iterator[PageSpec]:
    hub = inputs.hub
    archived = {a.slug for a in hub.archived}
    for article in (*hub.articles, *hub.archived):
        yield article_page(hub, article, inputs.bodies.get(article.source, Markup("")), article.slug in archived)


def article_page(hub: Hub, article: Article, body: Markup, archived: bool) -> PageSpec:
    """One article's page: its own fields, and what the hub says around it (by slug)."""
    theme = hub.primary_theme(article)
    step = hub.article_next.get(article.slug)
    related = hub.article_related.get(article.slug, ())
    cta = article_cta(hub, article)
    track_ctas = {s.track.slug: track_cta(hub, s.track)
                  for s in hub.article_track_steps.get(article.slug, ()) if s.next is None}
    # One call to action per placement: the end of a track replaces the article's own, and a
    # service whose CTA is shown is not shown again among the services.
    shown_cta = {c.service for c in (*track_ctas.values(), cta if not track_ctas else None) if c}
    return PageSpec(urls.article(article.slug), "article.html", {
        "title": article.title, "description": article.summary, "article": article, "body": body,
        "theme": theme, "breadcrumbs": hub.breadcrumbs(theme),
        "themes": tuple(hub.theme_by_slug[r.slug] for r in article.themes if r.slug in hub.theme_by_slug),
        "authors": tuple(hub.author_by_slug[r.slug] for r in article.authors if r.slug in hub.author_by_slug),
        "next_step": step, "related": related,
        "services": tuple(s for s in hub.article_services.get(article.slug, ()) if s.slug not in shown_cta),
        "tags": hub.article_tags.get(article.slug, ()), "archived": archived,
        "cta": cta if not track_ctas else None, "track_steps": hub.article_track_steps.get(article.slug, ()),
        "track_ctas": track_ctas,
    }, (article.source, *(s.article.source for s in related)))


def author_pages(inputs: PageInputs) -> Iterator[PageSpec]:
    hub = inputs.hub
    _ = hub.config.interface().gettext
    yield PageSpec("authors/", "authors.html", {
        "title": _("Our experts"),
        "description": _("The subject-matter experts behind %(site)s.") % {"site": hub.config.title},
        "authors": hub.authors_ordered, "counts": {s: len(a) for s, a in hub.author_articles.items()},
    })
    for author in hub.authors_ordered:
        articles = hub.author_articles[author.slug]
        sources = (author.source, *_sources(articles))
        for pagination in paginate(articles, hub.config.paginate, urls.author(author.slug)):
            groups = _regroup(pagination.items, hub.author_groups[author.slug])
            yield PageSpec(pagination.pages[pagination.number - 1][1], "author.html", {
                "title": _paged(_, author.name, pagination),
                "description": _("%(name)s: articles and expertise on %(site)s.") % {
                    "name": f"{author.name}, {author.role}" if author.role else author.name, "site": hub.config.title},
                "author": author, "bio": inputs.bodies.get(author.source, Markup("")),
                "expertise": tuple(hub.theme_by_slug[r.slug] for r in author.expertise
                                   if r.slug in hub.theme_by_slug),
                "groups": groups, "count": len(articles),
                "last_published": articles[0].date if articles else None,
                "services": hub.author_services.get(author.slug, ()), "contact": author_cta(hub, author),
                "pagination": pagination, "feed": urls.feed(urls.author(author.slug)),
            }, sources)


def _regroup(items: Sequence[Article], groups: Sequence[ThemeGroup]) -> tuple[ThemeGroup, ...]:
    """The author's theme groups, restricted to the articles on this page."""
    on_page = {a.slug for a in items}
    result = []
    for group in groups:
        kept = tuple(a for a in group.articles if a.slug in on_page)
        if kept:
            result.append(ThemeGroup(group.theme, kept))
    return tuple(result)


def service_pages(inputs: PageInputs) -> Iterator[PageSpec]:
    hub = inputs.hub
    _ = hub.config.interface().gettext
    yield PageSpec("services/", "services.html", {
        "title": _("How we can help"), "description": _("The services of %(site)s.") % {"site": hub.config.title},
        "services": hub.services_ordered,
    })
    proof_types = {"case-study", "survey", "report"}
    for service in hub.services_ordered:
        articles = hub.service_articles[service.slug]
        themes = tuple(t for t in hub.themes_ordered if service in hub.theme_services[t.slug])
        # Proof first (what was done for clients, in their words or ours), then the rest by depth; each
        # piece once; the first few here, every one on the service's own listing.
        proof = tuple(islice((a for a in articles if a.type in proof_types or _has_advocate(hub, a)), GROUP_CARDS))
        in_proof = {a.slug for a in proof}
        rest = [a for a in articles if a.slug not in in_proof]
        groups = tuple(DepthGroup(g.key, g.label, g.articles[:GROUP_CARDS]) for g in group_by_depth(hub, rest))
        listing = urls.service_pieces(service.slug) if len(articles) > len(proof) + sum(
            len(g.articles) for g in groups) else ""
        yield PageSpec(urls.service(service.slug), "service.html", {
            "title": service.title, "description": service.summary or service.title, "service": service,
            "cta": service_cta(hub, service), "closing_cta": service_cta(hub, service, "service-end"),
            "body": inputs.bodies.get(service.source, Markup("")), "articles": articles, "proof": proof,
            "groups": groups, "themes": themes, "experts": hub.service_authors.get(service.slug, ())[:4],
            "listing": listing,
        }, (service.source, *_sources(articles)))
        if listing:
            for pagination in paginate(articles, hub.config.paginate, listing):
                yield PageSpec(pagination.pages[pagination.number - 1][1], "service_pieces.html", {
                    "title": _paged(_, _("%(service)s: every piece") % {"service": service.title}, pagination),
                    "description": _("The thought leadership that leads to %(service)s.") % {
                        "service": service.title},
                    "service": service, "pagination": pagination,
                }, _sources(articles))


def _has_advocate(hub: Hub, article: Article) -> bool:
    """Written (or co-written) by a customer or a partner: the upside-down funnel's voices."""
    return any(hub.author_by_slug[r.slug].voice != "expert" for r in article.authors if r.slug in hub.author_by_slug)


def listing_blocks(groups: Sequence[DepthGroup], cta: Cta | None, after: int) -> tuple[tuple[str, Any], ...]:
    """A listing as ('heading', group) / ('cards', articles) / ('cta', cta) blocks. The call to action
    comes after the group in which the `after`-th card falls, never inside a group (a banner between two
    rows of one depth level reads as the end of it)."""
    blocks: list[tuple[str, Any]] = []
    seen = 0
    for group in groups:
        blocks.append(("heading", group))
        if group.articles:
            blocks.append(("cards", tuple(group.articles)))
        seen += len(group.articles)
        if cta is not None and seen >= after:
            blocks.append(("cta", cta))
            cta = None
    if cta is not None:
        blocks.append(("cta", cta))
    return tuple(blocks)


def track_pages(inputs: PageInputs) -> Iterator[PageSpec]:
    hub = inputs.hub
    if not hub.tracks:
        return
    _ = hub.config.interface().gettext
    ngettext = hub.config.interface().ngettext
    yield PageSpec("tracks/", "tracks.html", {
        "title": _("Tracks"), "description": _("Guided journeys through %(site)s.") % {"site": hub.config.title},
        "tracks": hub.tracks,
        "steps": hub.track_steps,
    }, shown={"steps": {slug: len(steps) for slug, steps in hub.track_steps.items()}})
    for track in hub.tracks:
        steps = hub.track_steps[track.slug]
        theme = hub.theme_by_slug.get(track.theme.slug) if track.theme else None
        yield PageSpec(urls.track(track.slug), "track.html", {
            "title": track.title,
            "description": track.summary or ngettext(
                "A guided track of %(num)d step.", "A guided track of %(num)d steps.", len(steps),
            ) % {"num": len(steps)},
            "track": track, "intro": inputs.bodies.get(track.source, Markup("")), "steps": steps, "theme": theme,
            "cta": track_cta(hub, track),
        }, (track.source, *_sources(steps)))


def tag_pages(inputs: PageInputs) -> Iterator[PageSpec]:
    hub = inputs.hub
    _ = hub.config.interface().gettext
    yield PageSpec("tags/", "tags.html", {
        "title": _("Tags"), "description": _("Every tag used on %(site)s.") % {"site": hub.config.title},
        "tags": hub.tags,
    })
    for tag in hub.tags:
        for pagination in paginate(tag.articles, hub.config.paginate, urls.tag(tag.slug)):
            yield PageSpec(pagination.pages[pagination.number - 1][1], "tag.html", {
                "title": _paged(_, _("Tagged “%(tag)s”") % {"tag": tag.name}, pagination),
                "description": _("Content tagged %(tag)s.") % {"tag": tag.name}, "tag": tag, "pagination": pagination,
            }, _sources(tag.articles))


def standalone_pages(inputs: PageInputs) -> Iterator[PageSpec]:
    for page in inputs.hub.page_by_slug.values():
        yield PageSpec(urls.page(page.slug), "page.html", {
            "title": page.title, "description": page.summary, "page": page,
            "body": inputs.bodies.get(page.source, Markup("")),
        }, (page.source,))


def utility_pages(inputs: PageInputs) -> Iterator[PageSpec]:
    hub = inputs.hub
    _ = hub.config.interface().gettext
    yield PageSpec("search/", "search.html", {
        "title": _("Search"), "description": _("Search %(site)s.") % {"site": hub.config.title}})
    yield PageSpec("404.html", "404.html", {"title": _("Page not found"), "description": _("This page does not exist."),
                                            "themes": hub.top_themes})
    for old, moved in sorted(hub.aliases.items()):
        yield PageSpec(old, "alias.html", {"title": _("Moved"), "description": _("This page has moved."),
                                           "target": address(moved)}, (moved.source,))


BUILT_IN_PAGES = frozenset({"articles", "themes", "authors", "services", "pages", "tracks"})
"""The kinds whose pages the functions above make, each in a way of its own. Every other kind gets the
page kind_pages makes from its record."""


@dataclass(frozen=True, slots=True)
class Listing:
    """A section of a theme hub listing the items of one kind that name the theme (its upcoming events)."""

    heading: str
    heading_id: str
    """The id of its heading ('events-heading'), which the section is labelled by."""
    card: str
    """The template of one item's card."""
    items: tuple[Item, ...]


def _themes_reference(kind: Kind) -> Callable[[Any], tuple[Any, ...]] | None:
    return next((r.read for r in kind.references if r.key == "themes" and r.target == "themes"), None)


def theme_listings(hub: Hub) -> dict[str, tuple[Listing, ...]]:
    """Theme slug -> the listings its hub shows, kind by kind: the items listed now (`Kind.listed`) that
    name the theme in `themes`, in the kind's order."""
    found: dict[str, list[Listing]] = {}
    for kind in KINDS:
        read_themes = _themes_reference(kind)
        if not kind.theme_listing or read_themes is None:
            continue
        by_theme: dict[str, list[Item]] = {}
        for item in sorted(hub.content.of(kind.folder), key=kind.order):
            if kind.listed(item, hub.now):
                for slug in dict.fromkeys(ref.slug for ref in read_themes(item)):
                    by_theme.setdefault(slug, []).append(item)
        for slug, items in by_theme.items():
            found.setdefault(slug, []).append(Listing(kind.theme_listing, kind.listing_id,
                                                      f"{kind.name}_card.html", tuple(items)))
    return {slug: tuple(listings) for slug, listings in found.items()}


def kind_pages(inputs: PageInputs) -> Iterator[PageSpec]:
    """A page for each item of a kind with no page function of its own: its record's template, given the
    item (under its kind's name), its body, whether it is listed now, and each of its references as the
    items they name that exist (an event's `speakers` as authors)."""
    hub = inputs.hub
    _ = hub.config.interface().gettext
    for kind in KINDS:
        if kind.folder in BUILT_IN_PAGES:
            continue
        lookups: dict[str, Mapping[str, Any]] = {
            ref.key: hub.article_by_slug if ref.target == "articles"
            else {i.slug: i for i in hub.content.of(ref.target)}
            for ref in kind.references
        }
        items = sorted(hub.content.of(kind.folder), key=kind.order)
        if kind.index_title and items:  # no index of nothing (as for tracks)
            yield PageSpec(f"{kind.section}/", f"{kind.folder}.html", {
                "title": _(kind.index_title),
                "description": _("%(kind)s of %(site)s.") % {"kind": _(kind.index_title), "site": hub.config.title},
                "listed": tuple(i for i in items if kind.listed(i, hub.now)),
                "past": tuple(reversed([i for i in items if not kind.listed(i, hub.now)])),  # latest first
                "card": f"{kind.name}_card.html",
            }, tuple(i.source for i in items))
        for item in items:
            named = {ref.key: tuple(lookups[ref.key][slug] for slug in dict.fromkeys(r.slug for r in ref.read(item))
                                    if slug in lookups[ref.key])
                     for ref in kind.references}
            yield PageSpec(kind.url(item.slug), kind.template, {
                **named, "title": kind.title_of(item), "description": str(getattr(item, "summary", "")),
                kind.name: item, "body": inputs.bodies.get(item.source, Markup("")),
                "listed": kind.listed(item, hub.now),
            }, (item.source,))


PAGE_KINDS: tuple[Callable[[PageInputs], Iterator[PageSpec]], ...] = (
    home_page, theme_pages, article_pages, track_pages, author_pages, service_pages, tag_pages, standalone_pages,
    kind_pages, utility_pages,
)


def all_pages(inputs: PageInputs) -> list[PageSpec]:
    return [spec for kind in PAGE_KINDS for spec in kind(inputs)]


def report_page(report: HubReport, interface: gettext.NullTranslations) -> PageSpec:
    """The hub health report: made after every other page, since it counts what they link to."""
    _ = interface.gettext
    return PageSpec("report/", "report.html", {
        "title": _("Hub health report"),
        "description": _("Where the hub is thin, who is writing, what needs attention."),
        "report": report,
    })


def body_pages(pages: Iterable[PageSpec], bodies: Mapping[str, Markup]) -> dict[str, tuple[int, ...]]:
    """Which pages show which body. Bodies reach a page as one Markup object per content file, at the
    top of its context (see above), so identity finds them."""
    owner = {id(html): source for source, html in bodies.items()}
    found: dict[str, list[int]] = {}
    for index, spec in enumerate(pages):
        for value in spec.context.values():
            source = owner.get(id(value)) if isinstance(value, Markup) else None
            if source is not None:
                found.setdefault(source, []).append(index)
    return {source: tuple(indexes) for source, indexes in found.items()}
