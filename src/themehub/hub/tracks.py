"""Tracks: ordered journeys through published articles, and where each article sits in them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from themehub.content.model import Article, Track


@dataclass(frozen=True, slots=True)
class TrackStep:
    """Where an article sits in a track: step `number` of `total`, with its neighbours."""

    track: Track
    number: int
    total: int
    previous: Article | None
    next: Article | None


@dataclass(frozen=True, slots=True)
class Tracks:
    ordered: tuple[Track, ...]
    """By weight, then title."""
    steps: Mapping[str, tuple[Article, ...]]
    """Track -> its published steps, in order (unpublished steps are skipped)."""
    for_article: Mapping[str, tuple[TrackStep, ...]]
    """Article -> where it sits in each track it is a step of (only articles in a track)."""

    def track_slugs(self) -> dict[str, tuple[str, ...]]:
        """Article -> the tracks it is a step of."""
        return {slug: tuple(step.track.slug for step in found) for slug, found in self.for_article.items()}

    def neighbours(self, article_slug: str) -> set[str]:
        """The articles just before and just after it in its tracks."""
        return {other.slug for step in self.for_article.get(article_slug, ()) for other in (step.previous, step.next)
                if other is not None}


def build_tracks(tracks: Iterable[Track], listed: Mapping[str, Article]) -> Tracks:
    """`listed`: the published articles by slug, the only ones a track leads through."""
    ordered = tuple(sorted(tracks, key=lambda t: (t.weight, t.title.lower(), t.slug)))
    steps = {t.slug: tuple(listed[r.slug] for r in t.steps if r.slug in listed) for t in ordered}
    positions: dict[str, list[TrackStep]] = defaultdict(list)
    for t in ordered:
        walk = steps[t.slug]
        for n, a in enumerate(walk):
            positions[a.slug].append(TrackStep(t, n + 1, len(walk), walk[n - 1] if n else None,
                                               walk[n + 1] if n + 1 < len(walk) else None))
    return Tracks(ordered=ordered, steps=steps, for_article={slug: tuple(found) for slug, found in positions.items()})
