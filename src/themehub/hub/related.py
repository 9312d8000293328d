"""Next-best content: related pieces scored deterministically, each with the reasons it was chosen.

Score of candidate B for article A (weights from `related_weights` in themehub.yaml):
- campaign themes, the best pair counts: `same_theme` for a shared theme, `parent_theme` for a
  parent or child theme, `sibling_theme` for a sibling (or grandparent) theme; `extra_theme` more for
  each further shared theme;
- `same_track` per shared track, `shared_tag` per shared tag, `same_author` per shared author;
- `one_level_deeper` when B is exactly one depth level deeper than A (readers go deeper);
- up to `recency` for how recent B is (the newest piece gets all of it).
Ties break on date (newest first), then slug. Candidates: every piece sharing a theme (or a theme
within distance 2), every piece of a shared track, and the newest PER_LIST pieces of each shared tag
and of each shared author.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from themehub.config import Config
from themehub.content.model import Article, Theme
from themehub.source.slugs import slugify

PER_LIST = 30
"""Only the newest PER_LIST pieces of each shared tag and author are candidates (keeps big hubs fast)."""

RELATION_WEIGHT = {"same": "same_theme", "parent": "parent_theme", "child": "parent_theme",
                   "sibling": "sibling_theme", "grandparent": "sibling_theme", "grandchild": "sibling_theme"}


@dataclass(frozen=True, slots=True)
class Suggestion:
    article: Article
    score: float
    reasons: tuple[str, ...]


def theme_relations(themes: Mapping[str, Theme], parents: Mapping[str, str | None]) -> dict[str, dict[str, str]]:
    """For each theme, the themes near it in the tree and how: same, parent, child, sibling, grand…"""
    children: dict[str, list[str]] = defaultdict(list)
    for slug, parent in parents.items():
        if parent:
            children[parent].append(slug)
    near: dict[str, dict[str, str]] = {}
    for slug in themes:
        found = {slug: "same"}
        parent = parents.get(slug)
        for child in sorted(children.get(slug, ())):
            found.setdefault(child, "child")
            for grandchild in sorted(children.get(child, ())):
                found.setdefault(grandchild, "grandchild")
        if parent:
            found.setdefault(parent, "parent")
            for sibling in sorted(children.get(parent, ())):
                found.setdefault(sibling, "sibling")
            grandparent = parents.get(parent)
            if grandparent:
                found.setdefault(grandparent, "grandparent")
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
    relations: Mapping[str, Mapping[str, str]],
    tracks_of: Mapping[str, tuple[str, ...]],
    track_titles: Mapping[str, str],
    config: Config,
    limit: int,
) -> dict[str, tuple[Suggestion, ...]]:
    """The best `limit` suggestions for every article (`articles` newest first), best first.

    Exact, but pruned: candidates that share only campaign themes (no track, tag or author) are
    grouped by (theme set, depth). Within a group every member scores the same but for recency, so
    only a group's newest members can make the list, and a group whose best possible score cannot
    beat the current last place is skipped. Cost grows with the number of groups, not of articles.
    """
    w = dict(config.related_weights)
    count = len(articles)
    recency = [w["recency"] * (1 - i / count) for i in range(count)] if count else []
    depth_of = [config.depth_index(a.depth) for a in articles]
    theme_sets = [tuple(sorted({r.slug for r in a.themes})) for a in articles]
    tag_slugs = [tuple(dict.fromkeys(slugify(t) for t in a.tags)) for a in articles]
    track_sets = [tracks_of.get(a.slug, ()) for a in articles]
    by_tag: dict[str, list[int]] = defaultdict(list)
    by_author: dict[str, list[int]] = defaultdict(list)
    by_track: dict[str, list[int]] = defaultdict(list)
    groups: dict[tuple[tuple[str, ...], int], list[int]] = defaultdict(list)
    for i, a in enumerate(articles):
        for t in tag_slugs[i]:
            by_tag[t].append(i)
        for ref in a.authors:
            by_author[ref.slug].append(i)
        for track in track_sets[i]:
            by_track[track].append(i)
        groups[(theme_sets[i], depth_of[i])].append(i)
    group_items = sorted(groups.items())
    groups_with_theme: dict[str, list[int]] = defaultdict(list)
    for g, ((theme_set, _depth), _members) in enumerate(group_items):
        for t in theme_set:
            groups_with_theme[t].append(g)

    theme_part_cache: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[float, str, str]] = {}
    rank = {"same": 0, "parent": 1, "child": 1, "sibling": 2, "grandparent": 3, "grandchild": 3}

    def theme_part(own: tuple[str, ...], other: tuple[str, ...]) -> tuple[float, str, str]:
        """(points, relation, via theme) for two theme sets; relation '' when unrelated."""
        key = (own, other)
        cached = theme_part_cache.get(key)
        if cached is None:
            best, via = "", ""
            for mine in own:
                near = relations.get(mine, {mine: "same"})
                for theirs in other:
                    relation = near.get(theirs)
                    if relation and (not best or (rank[relation], theirs) < (rank[best], via)):
                        best, via = relation, theirs
            shared = len(set(own) & set(other))
            points = w[RELATION_WEIGHT[best]] + w["extra_theme"] * max(0, shared - 1) if best else 0.0
            cached = theme_part_cache[key] = (points, best, via)
        return cached

    ranked_cache: dict[tuple[tuple[str, ...], int], list[tuple[float, list[int]]]] = {}

    def ranked_groups(own: tuple[str, ...], deeper: int) -> list[tuple[float, list[int]]]:
        """Groups related to the theme set `own`, best base score first (shared by like articles)."""
        key = (own, deeper)
        ranked = ranked_cache.get(key)
        if ranked is None:
            near = {g for mine in own for t in relations.get(mine, {mine: "same"})
                    for g in groups_with_theme.get(t, ())}
            ranked = []
            for g in sorted(near):
                (theme_set, depth), members = group_items[g]
                points = theme_part(own, theme_set)[0]
                if points > 0:
                    ranked.append((points + (w["one_level_deeper"] if depth == deeper else 0.0), members))
            ranked.sort(key=lambda item: (-item[0], item[1][0]))
            ranked_cache[key] = ranked
        return ranked

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
        shared_tracks: dict[int, list[str]] = defaultdict(list)
        for track in track_sets[i]:
            for j in by_track[track]:
                shared_tracks[j].append(track)
        special = (tags.keys() | people.keys() | shared_tracks.keys()) - {i}
        heap: list[tuple[float, int]] = []
        for j in special:
            score = (theme_part(own, theme_sets[j])[0] + w["shared_tag"] * len(tags.get(j, ()))
                     + w["same_author"] * people.get(j, 0) + w["same_track"] * len(shared_tracks.get(j, ()))
                     + (w["one_level_deeper"] if depth_of[j] == deeper else 0.0) + recency[j])
            _offer(heap, limit, score, j)
        for base, members in ranked_groups(own, deeper):
            if len(heap) == limit:
                if base + w["recency"] < heap[0][0]:
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
            for track in shared_tracks.get(j, ()):
                reasons.append(f"same track: {track_titles.get(track, track)}")
            points, relation, via = theme_part(own, theme_sets[j])
            if points:
                title = themes[via].title if via in themes else via
                label = {"same": "same theme", "parent": "parent theme", "child": "sub-theme",
                         "sibling": "sibling theme"}.get(relation, "related theme")
                reasons.append(f"{label}: {title}")
            if depth_of[j] == deeper:
                reasons.append("one level deeper")
            if j in tags:
                reasons.append("shared tags: " + ", ".join(n for n in articles[j].tags if slugify(n) in tags[j]))
            if j in people:
                reasons.append("same author")
            if j < max(1, count // 10):
                reasons.append("recent")
            suggestions.append(Suggestion(articles[j], round(score, 4), tuple(reasons)))
        result[a.slug] = tuple(suggestions)
    return result


def varied(suggestions: Sequence[Suggestion], count: int, per_type: int) -> tuple[Suggestion, ...]:
    """The first `count` suggestions with at most `per_type` of one content type."""
    chosen: list[Suggestion] = []
    per: dict[str, int] = defaultdict(int)
    if count <= 0:
        return ()
    for s in suggestions:
        if per[s.article.type] < per_type:
            chosen.append(s)
            per[s.article.type] += 1
            if len(chosen) == count:
                break
    return tuple(chosen)
