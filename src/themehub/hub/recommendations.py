"""What an article page offers next: "Read deeper" (one piece that goes deeper) and related content
(the varied head of the scored candidates, hub/related.py), with the full ranking for `themehub explain`."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from themehub.config import Config
from themehub.content.model import Article, Theme, Track
from themehub.hub.related import Suggestion, score_related, theme_relations, varied
from themehub.hub.themes import ThemeTree
from themehub.hub.tracks import Tracks


@dataclass(frozen=True, slots=True)
class NextStep:
    """'Read deeper': the next item for a reader, and why it was chosen."""

    article: Article
    reason: str


@dataclass(frozen=True, slots=True)
class Recommendations:
    related: Mapping[str, tuple[Suggestion, ...]]
    """Article -> its related content: neither its track neighbours nor its "Read deeper" piece."""
    next: Mapping[str, NextStep]
    """Article -> its "Read deeper" piece (only articles that have one)."""
    ranked: Mapping[str, tuple[Suggestion, ...]]
    """The full ranked candidate list per article (`themehub explain`); `related` is its varied head."""


RankedSlugs = dict[str, tuple[tuple[str, float, tuple[str, ...]], ...]]
"""The related ranking by slug (article -> (candidate, score, reasons)): what `memo` keeps, in
memory for `serve` and in `.themehub-cache/related.json` for `build`."""


def build_recommendations(published: tuple[Article, ...], archived: tuple[Article, ...], tree: ThemeTree,
                          tracks: Tracks, config: Config, memo: dict[str, object] | None = None) -> Recommendations:
    """`memo` (kept by `serve` and the build cache) lets a rebuild reuse the ranking when no front matter
    that feeds it changed (the common case: a body edit)."""
    ranked = related_pool(published, tree.by_slug, theme_relations(tree.by_slug, tree.parents),
                          tracks.track_slugs(), tracks.ordered, config, memo)
    following: dict[str, NextStep] = {}
    related: dict[str, tuple[Suggestion, ...]] = {a.slug: () for a in archived}
    for a in published:
        # One piece is shown once on a page: the track's own steps have their links (previous / next);
        # "Read deeper" is another piece; related content is neither.
        shown = tracks.neighbours(a.slug)
        step = next_step(a, shown, tree.paths, tree.by_slug, ranked[a.slug], config)
        if step is not None:
            following[a.slug] = step
            shown.add(step.article.slug)
        related[a.slug] = varied([s for s in ranked[a.slug] if s.article.slug not in shown],
                                 config.related, config.related_per_type)
    return Recommendations(related=related, next=following, ranked=ranked)


def related_pool(published: tuple[Article, ...], themes: Mapping[str, Theme],
                 relations: Mapping[str, Mapping[str, str]],
                 tracks_of: Mapping[str, tuple[str, ...]], tracks: tuple[Track, ...], config: Config,
                 memo: dict[str, object] | None) -> dict[str, tuple[Suggestion, ...]]:
    """Every published article's scored candidates, best first (reused from `memo` while its key holds)."""
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
            # Same front matter, but some articles are new objects (an edited title or body). A list
            # whose articles are all the same objects is the very tuple of the last rebuild (`serve`
            # keeps it in memory): 10,000 lists are not made again for one edit, and fingerprints
            # find them hashed already.
            kept: dict[str, tuple[Suggestion, ...]] = memo.get("related-lists", {})  # type: ignore[assignment]
            pool = {slug: _same_or_new(kept.get(slug), ranked, by_slug) for slug, ranked in previous.items()}
            memo["related-lists"] = pool
            return pool
    pool = score_related(published, themes, relations, tracks_of, {t.slug: t.title for t in tracks}, config,
                         limit=max(3 * config.related, 12))
    if memo is not None:
        memo["related-key"] = key
        memo["related"] = {slug: tuple((s.article.slug, s.score, s.reasons) for s in ranked)
                           for slug, ranked in pool.items()}
        memo["related-lists"] = pool
    return pool


def _same_or_new(kept: tuple[Suggestion, ...] | None, ranked: tuple[tuple[str, float, tuple[str, ...]], ...],
                 by_slug: Mapping[str, Article]) -> tuple[Suggestion, ...]:
    """The kept list when it holds exactly the ranking, with today's articles (the same objects), else
    the list made again from the ranking."""
    if kept is not None and len(kept) == len(ranked) and all(
            s.article is by_slug[slug] and s.score == score and s.reasons == reasons
            for s, (slug, score, reasons) in zip(kept, ranked, strict=True)):
        return kept
    return tuple(Suggestion(by_slug[s], score, reasons) for s, score, reasons in ranked)


def next_step(article: Article, shown: set[str], paths: Mapping[str, tuple[Article, ...]],
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
