"""The theme tree: parents and children, the order themes are listed in, and what each theme rolls up
(its own articles and its sub-themes'), grouped by depth and walked as a guided path."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from themehub.config import Config
from themehub.content.model import Article, Theme
from themehub.diagnostics import Diagnostic, error
from themehub.hub.ordering import newest_first


@dataclass(frozen=True, slots=True)
class DepthGroup:
    key: str
    label: str
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class ThemeTree:
    by_slug: Mapping[str, Theme]
    parents: Mapping[str, str | None]
    """slug -> parent slug: unknown parents dropped, cycles broken."""
    children: Mapping[str, tuple[Theme, ...]]
    """Only themes that have children, each list in theme order."""
    ancestors: Mapping[str, tuple[Theme, ...]]
    """slug -> its ancestors, the top theme first."""
    top: tuple[Theme, ...]
    ordered: tuple[Theme, ...]
    """Every theme, depth first, each level in theme order."""
    articles: Mapping[str, tuple[Article, ...]]
    """slug -> the published articles of the theme and of its sub-themes, each once, newest first."""
    depth_groups: Mapping[str, tuple[DepthGroup, ...]]
    paths: Mapping[str, tuple[Article, ...]]
    """slug -> its guided path."""

    def descendants(self, slug: str) -> list[str]:
        """The theme and every theme below it, depth first."""
        return descendants(self.children, slug)

    def primary_theme(self, article: Article) -> Theme | None:
        """The first of the article's themes that exists."""
        for ref in article.themes:
            if ref.slug in self.by_slug:
                return self.by_slug[ref.slug]
        return None

    def breadcrumbs(self, theme: Theme | None) -> tuple[Theme, ...]:
        if theme is None:
            return ()
        return (*self.ancestors.get(theme.slug, ()), theme)


def build_theme_tree(themes: tuple[Theme, ...], published: tuple[Article, ...],
                     config: Config) -> tuple[ThemeTree, list[Diagnostic]]:
    """The tree of `themes` with the `published` articles rolled up it; an error for each parent loop."""
    by_slug = {t.slug: t for t in themes}
    parents, diagnostics = theme_parents(themes)
    children = theme_children(by_slug, parents)
    top = tuple(sorted((t for t in themes if not parents.get(t.slug)), key=theme_order))
    rolled_up = roll_up(by_slug, children, published)
    listed = {a.slug: a for a in published}
    tree = ThemeTree(
        by_slug=by_slug, parents=parents, children=children, ancestors=theme_ancestors(by_slug, parents), top=top,
        ordered=depth_first(top, children), articles=rolled_up,
        depth_groups={slug: depth_groups(articles, config) for slug, articles in rolled_up.items()},
        paths={slug: guided_path(by_slug[slug], rolled_up[slug], listed, config) for slug in by_slug},
    )
    return tree, diagnostics


def theme_order(theme: Theme) -> tuple[int, str, str]:
    return (theme.weight, theme.title.lower(), theme.slug)


def theme_parents(themes: tuple[Theme, ...]) -> tuple[dict[str, str | None], list[Diagnostic]]:
    """slug -> parent slug, with unknown parents dropped and cycles reported and broken."""
    by_slug = {t.slug: t for t in themes}
    diagnostics: list[Diagnostic] = []
    parents: dict[str, str | None] = {}
    for t in themes:
        parent = t.parent.slug if t.parent and t.parent.slug in by_slug else None
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
            theme = by_slug[slug]
            ref = theme.parent
            assert ref is not None
            diagnostics.append(error(theme.source, ref.line, ref.col, "theme-cycle",
                                     f"campaign themes form a cycle: {chain}",
                                     "a theme's parent must not lead back to the theme itself"))
        for slug in cycle:
            parents[slug] = None
    return parents, diagnostics


def theme_children(by_slug: Mapping[str, Theme], parents: Mapping[str, str | None]) -> dict[str, tuple[Theme, ...]]:
    """parent slug -> its children in theme order (only themes that have children)."""
    children: dict[str, list[Theme]] = defaultdict(list)
    for slug, parent in parents.items():
        if parent:
            children[parent].append(by_slug[slug])
    return {slug: tuple(sorted(kids, key=theme_order)) for slug, kids in children.items()}


def theme_ancestors(by_slug: Mapping[str, Theme], parents: Mapping[str, str | None]) -> dict[str, tuple[Theme, ...]]:
    ancestors: dict[str, tuple[Theme, ...]] = {}
    for slug in by_slug:
        chain: list[Theme] = []
        parent = parents.get(slug)
        while parent:
            chain.append(by_slug[parent])
            parent = parents.get(parent)
        ancestors[slug] = tuple(reversed(chain))
    return ancestors


def depth_first(top: tuple[Theme, ...], children: Mapping[str, tuple[Theme, ...]]) -> tuple[Theme, ...]:
    """Every theme below `top`, depth first, in order, without recursion: a theme tree may be thousands deep."""
    ordered: list[Theme] = []
    stack = list(reversed(top))
    while stack:
        theme = stack.pop()
        ordered.append(theme)
        stack.extend(reversed(children.get(theme.slug, ())))
    return tuple(ordered)


def descendants(children: Mapping[str, tuple[Theme, ...]], slug: str) -> list[str]:
    result, todo = [], [slug]
    while todo:
        current = todo.pop()
        result.append(current)
        todo.extend(reversed([child.slug for child in children.get(current, ())]))
    return result


def roll_up(by_slug: Mapping[str, Theme], children: Mapping[str, tuple[Theme, ...]],
            published: Iterable[Article]) -> dict[str, tuple[Article, ...]]:
    """slug -> the articles of the theme and of every theme below it, each once, newest first."""
    direct: dict[str, list[Article]] = defaultdict(list)
    for a in published:
        for ref in a.themes:
            if ref.slug in by_slug:
                direct[ref.slug].append(a)
    return {
        slug: newest_first({a.slug: a for d in descendants(children, slug) for a in direct.get(d, ())}.values())
        for slug in by_slug
    }


def depth_groups(articles: tuple[Article, ...], config: Config) -> tuple[DepthGroup, ...]:
    """The articles under each configured depth, in the configured order (empty groups included)."""
    return tuple(DepthGroup(key, label, tuple(a for a in articles if a.depth == key)) for key, label in config.depths)


def guided_path(theme: Theme, rolled_up: tuple[Article, ...], published: Mapping[str, Article],
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
