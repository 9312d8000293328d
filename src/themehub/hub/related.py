"""Related content, scored deterministically, each suggestion with the reasons it was chosen.

Score of candidate B for article A:
- campaign themes: 3 for a shared theme, 2 for a parent/child theme, 1 for a sibling or
  grandparent theme (the best pair counts), +0.5 for each further shared theme;
- +1 per shared tag, +1 per shared author;
- +0.75 when B is exactly one depth level deeper than A (readers go deeper);
- up to +0.5 for recency (newest content gets the most).
Ties break on date (newest first), then slug. Only candidates sharing a theme, tag or author count.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from themehub.config import Config
from themehub.content.fields import slugify
from themehub.content.model import Article, Theme

THEME_WEIGHTS = {0: 3.0, 1: 2.0, 2: 1.0}
EXTRA_THEME = 0.5
TAG_WEIGHT = 1.0
AUTHOR_WEIGHT = 1.0
DEEPER_WEIGHT = 0.75
RECENCY_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Suggestion:
    article: Article
    score: float
    reasons: tuple[str, ...]


def theme_distances(themes: Mapping[str, Theme], parents: Mapping[str, str | None]) -> dict[str, dict[str, int]]:
    """For each theme, the themes within distance 2 in the tree (0 = itself)."""

    def neighbours(slug: str) -> set[str]:
        result = set()
        parent = parents.get(slug)
        if parent:
            result.add(parent)
        result.update(child for child, p in parents.items() if p == slug)
        return result

    near: dict[str, dict[str, int]] = {}
    for slug in themes:
        found = {slug: 0}
        frontier = [slug]
        for distance in (1, 2):
            nxt = []
            for node in frontier:
                for other in sorted(neighbours(node)):
                    if other not in found:
                        found[other] = distance
                        nxt.append(other)
            frontier = nxt
        near[slug] = found
    return near


def score_related(
    articles: Sequence[Article],
    themes: Mapping[str, Theme],
    distances: Mapping[str, Mapping[str, int]],
    config: Config,
    limit: int,
) -> dict[str, tuple[Suggestion, ...]]:
    """The best `limit` suggestions (and a longer list for 'read deeper') for every article."""
    by_theme: dict[str, list[int]] = defaultdict(list)
    by_tag: dict[str, list[int]] = defaultdict(list)
    by_author: dict[str, list[int]] = defaultdict(list)
    tag_slugs = [tuple(dict.fromkeys(slugify(t) for t in a.tags)) for a in articles]
    for i, a in enumerate(articles):
        for ref in a.themes:
            by_theme[ref.slug].append(i)
        for t in tag_slugs[i]:
            by_tag[t].append(i)
        for ref in a.authors:
            by_author[ref.slug].append(i)
    count = len(articles)
    # `articles` is newest first: rank 0 gets the full recency bonus.
    recency = [RECENCY_WEIGHT * (1 - i / count) for i in range(count)] if count else []
    depth_of = [config.depth_index(a.depth) for a in articles]
    result: dict[str, tuple[Suggestion, ...]] = {}
    for i, a in enumerate(articles):
        theme_best: dict[int, tuple[int, str]] = {}
        shared_themes: dict[int, int] = defaultdict(int)
        for slug in (r.slug for r in a.themes):
            for other, distance in distances.get(slug, {slug: 0}).items():
                for j in by_theme.get(other, ()):
                    if distance == 0:
                        shared_themes[j] += 1
                    best = theme_best.get(j)
                    if best is None or distance < best[0]:
                        theme_best[j] = (distance, other)
        tags: dict[int, list[str]] = defaultdict(list)
        for t in tag_slugs[i]:
            for j in by_tag[t]:
                tags[j].append(t)
        people: dict[int, int] = defaultdict(int)
        for ref in a.authors:
            for j in by_author[ref.slug]:
                people[j] += 1
        deeper = depth_of[i] + 1

        scored: list[tuple[float, int]] = []
        for j in (theme_best.keys() | tags.keys() | people.keys()) - {i}:
            total = recency[j] + TAG_WEIGHT * len(tags.get(j, ())) + AUTHOR_WEIGHT * people.get(j, 0)
            if j in theme_best:
                total += THEME_WEIGHTS[theme_best[j][0]] + EXTRA_THEME * max(0, shared_themes.get(j, 0) - 1)
            if depth_of[j] == deeper:
                total += DEEPER_WEIGHT
            scored.append((-total, j))
        # Newest-first index order doubles as the date-then-slug tie-break.
        best = heapq.nsmallest(limit, scored)
        suggestions = []
        for negative, j in best:
            reasons: list[str] = []
            if j in theme_best:
                distance, via = theme_best[j]
                title = themes[via].title if via in themes else via
                reasons.append(("same theme: " if distance == 0 else "related theme: ") + title)
            if j in tags:
                reasons.append("shared tags: " + ", ".join(n for n in articles[j].tags if slugify(n) in tags[j]))
            if j in people:
                reasons.append("same author")
            if depth_of[j] == deeper:
                reasons.append("one level deeper")
            suggestions.append(Suggestion(articles[j], -negative, tuple(reasons)))
        result[a.slug] = tuple(suggestions)
    return result
