"""Tags: free words on articles; spellings that make the same address ('Cloud Costs', 'cloud costs')
are one tag, named as most articles spell it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from themehub.content.model import Article
from themehub.diagnostics import Diagnostic, warning
from themehub.hub.ordering import each_once
from themehub.source.slugs import slugify


@dataclass(frozen=True, slots=True)
class Tag:
    slug: str
    name: str
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class Tags:
    tags: tuple[Tag, ...]
    """Every tag of a published article, by slug."""
    by_slug: Mapping[str, Tag]
    for_article: Mapping[str, tuple[Tag, ...]]
    """Article -> its tags that have a page, each once, in the order it lists them."""


def build_tags(shown: tuple[Article, ...], published: Iterable[Article]) -> tuple[Tags, list[Diagnostic]]:
    """The tags of the `published` articles; the tags of every `shown` one; a warning for each tag that
    cannot make an address."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    tagged: dict[str, list[Article]] = defaultdict(list)
    for a in published:
        for name in a.tags:
            slug = slugify(name)
            if not slug:
                continue
            spellings[slug][name] += 1
            if not tagged[slug] or tagged[slug][-1] is not a:
                tagged[slug].append(a)
    tags = tuple(Tag(slug, _most_used(spellings[slug]), tuple(tagged[slug])) for slug in sorted(tagged))
    by_slug = {t.slug: t for t in tags}
    for_article = {a.slug: tuple(each_once(by_slug[slugify(n)] for n in a.tags if slugify(n) in by_slug))
                   for a in shown}
    return Tags(tags=tags, by_slug=by_slug, for_article=for_article), unusable_tags(shown)


def unusable_tags(articles: Iterable[Article]) -> list[Diagnostic]:
    """A warning for each tag with no letter or digit to make its address from."""
    found = []
    for a in articles:
        for name in a.tags:
            if not slugify(name):
                line, col = a.position("tags")
                found.append(warning(a.source, line, col, "bad-tag",
                                     f"tag '{name}' has no letters or digits to make its address from, "
                                     "so it gets no tag page", f"add a word to it (e.g. '{name} launches'), "
                                     "or remove it"))
    return found


def _most_used(spellings: Counter[str]) -> str:
    """The spelling used most often; of equally used ones, the first in code-point order."""
    return min(spellings, key=lambda n: (-spellings[n], n))
