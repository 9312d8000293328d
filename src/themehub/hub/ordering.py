"""How the hub orders what it lists: newest first, each once, the most frequent first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TypeVar

from themehub.content.model import Article

T = TypeVar("T")


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=lambda a: (-a.date.timestamp(), a.slug)))


def each_once(items: Iterable[T]) -> list[T]:
    """Each item once (the same object, not an equal one), in the order first met."""
    seen: set[int] = set()
    result = []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            result.append(item)
    return result


def most_often_first(items: Iterable[T]) -> tuple[T, ...]:
    """Each item once, the most frequent first, then in the order first met."""
    counts: Counter[int] = Counter()
    first: dict[int, T] = {}
    for item in items:
        counts[id(item)] += 1
        first.setdefault(id(item), item)
    met = {key: n for n, key in enumerate(first)}
    return tuple(first[key] for key in sorted(first, key=lambda key: (-counts[key], met[key])))
