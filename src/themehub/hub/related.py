"""Related content, scored deterministically, each suggestion with the reasons it was chosen.

Score of candidate B for article A:
- campaign themes: 3 for a shared theme, 2 for a parent/child theme, 1 for a sibling or
  grandparent theme (the best pair counts), +0.5 for each further shared theme;
- +1 per shared tag, +1 per shared author;
- +0.75 when B is exactly one depth level deeper than A (readers go deeper);
- up to +0.5 for recency (newest content gets the most).
Ties break on date (newest first), then slug. Candidates: every piece sharing a theme (or a theme
within distance 2), and the newest PER_LIST pieces of each shared tag and of each shared author.
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
PER_LIST = 30
"""Only the newest PER_LIST pieces of each shared tag and author are candidates (keeps big hubs fast)."""


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


def _offer(heap: list[tuple[float, int]], limit: int, score: float, j: int) -> None:
    """Keep `j` in the top list if it beats the last place (lower index wins a tie: newer)."""
    entry = (score, -j)
    if len(heap) < limit:
        heapq.heappush(heap, entry)
    elif entry > heap[0]:
        heapq.heapreplace(heap, entry)


def score_related(
    articles: Sequence[Article],
    themes: Mapping[str, Theme],
    distances: Mapping[str, Mapping[str, int]],
    config: Config,
    limit: int,
) -> dict[str, tuple[Suggestion, ...]]:
    """The best `limit` suggestions for every article (`articles` newest first).

    Exact, but pruned: candidates that share only campaign themes (no tag, no author) are grouped by
    (theme set, depth). Within a group every member gets the same score but for recency, so only the
    newest members of a group can make the top list, and a group whose best possible score cannot
    beat the current last place is skipped. Cost grows with the number of groups, not of articles.
    """
    count = len(articles)
    recency = [RECENCY_WEIGHT * (1 - i / count) for i in range(count)] if count else []
    depth_of = [config.depth_index(a.depth) for a in articles]
    theme_sets = [tuple(sorted({r.slug for r in a.themes})) for a in articles]
    tag_slugs = [tuple(dict.fromkeys(slugify(t) for t in a.tags)) for a in articles]
    by_tag: dict[str, list[int]] = defaultdict(list)
    by_author: dict[str, list[int]] = defaultdict(list)
    groups: dict[tuple[tuple[str, ...], int], list[int]] = defaultdict(list)
    for i, a in enumerate(articles):
        for t in tag_slugs[i]:
            by_tag[t].append(i)
        for ref in a.authors:
            by_author[ref.slug].append(i)
        groups[(theme_sets[i], depth_of[i])].append(i)
    group_items = sorted(groups.items())
    groups_with_theme: dict[str, list[int]] = defaultdict(list)
    for g, ((theme_set, _depth), _members) in enumerate(group_items):
        for t in theme_set:
            groups_with_theme[t].append(g)
    ranked_cache: dict[tuple[tuple[str, ...], int], list[tuple[float, list[int]]]] = {}

    def ranked_groups(own: tuple[str, ...], deeper: int) -> list[tuple[float, list[int]]]:
        """Groups related to the theme set `own`, best base score first (shared by like articles)."""
        key = (own, deeper)
        ranked = ranked_cache.get(key)
        if ranked is None:
            near = {g for mine in own for t in distances.get(mine, {mine: 0}) for g in groups_with_theme.get(t, ())}
            ranked = []
            for g in sorted(near):
                (theme_set, depth), members = group_items[g]
                points = theme_part(own, theme_set)[0]
                if points > 0:
                    ranked.append((points + (DEEPER_WEIGHT if depth == deeper else 0.0), members))
            ranked.sort(key=lambda item: (-item[0], item[1][0]))
            ranked_cache[key] = ranked
        return ranked

    theme_part_cache: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[float, int, str]] = {}

    def theme_part(own: tuple[str, ...], other: tuple[str, ...]) -> tuple[float, int, str]:
        """(points, distance, via theme) for two theme sets; distance 99 when unrelated."""
        key = (own, other)
        cached = theme_part_cache.get(key)
        if cached is None:
            best, via = 99, ""
            for mine in own:
                near = distances.get(mine, {mine: 0})
                for theirs in other:
                    d = near.get(theirs, 99)
                    if d < best or (d == best and theirs < via):
                        best, via = d, theirs
            shared = len(set(own) & set(other))
            points = THEME_WEIGHTS[best] + EXTRA_THEME * max(0, shared - 1) if best in THEME_WEIGHTS else 0.0
            cached = theme_part_cache[key] = (points, best, via)
        return cached

    result: dict[str, tuple[Suggestion, ...]] = {}
    for i, a in enumerate(articles):
        own = theme_sets[i]
        deeper = depth_of[i] + 1
        tags: dict[int, list[str]] = defaultdict(list)
        for t in tag_slugs[i]:
            for j in by_tag[t][: PER_LIST + 1]:
                tags[j].append(t)
        people: dict[int, int] = defaultdict(int)
        for ref in a.authors:
            for j in by_author[ref.slug][: PER_LIST + 1]:
                people[j] += 1
        special = (tags.keys() | people.keys()) - {i}
        # Min-heap of the current top list: the root is the last place (lowest score, then newest last).
        heap: list[tuple[float, int]] = []

        for j in special:
            points = theme_part(own, theme_sets[j])[0]
            score = points + TAG_WEIGHT * len(tags.get(j, ())) + AUTHOR_WEIGHT * people.get(j, 0) + recency[j]
            _offer(heap, limit, score + (DEEPER_WEIGHT if depth_of[j] == deeper else 0.0), j)
        for base, members in ranked_groups(own, deeper):
            if len(heap) == limit:
                if base + RECENCY_WEIGHT < heap[0][0]:
                    break  # groups come best first: no later group can place
                if base + recency[members[0]] < heap[0][0]:
                    continue
            for j in members:  # newest first: the score only falls along a group
                if j == i or j in special:
                    continue
                score = base + recency[j]
                if len(heap) == limit and (score, -j) <= heap[0]:
                    break
                _offer(heap, limit, score, j)
        suggestions = []
        for score, negative_j in sorted(heap, key=lambda e: (-e[0], -e[1])):
            j = -negative_j
            reasons: list[str] = []
            points, distance, via = theme_part(own, theme_sets[j])
            if points:
                title = themes[via].title if via in themes else via
                reasons.append(("same theme: " if distance == 0 else "related theme: ") + title)
            if j in tags:
                reasons.append("shared tags: " + ", ".join(n for n in articles[j].tags if slugify(n) in tags[j]))
            if j in people:
                reasons.append("same author")
            if depth_of[j] == deeper:
                reasons.append("one level deeper")
            suggestions.append(Suggestion(articles[j], score, tuple(reasons)))
        result[a.slug] = tuple(suggestions)
    return result
