"""Related content ("Related" on an article page): deterministic, explainable, shared themes first.

Tested through the hub graph of small in-memory hubs (tests/builders.py), so the expectations are about
which pieces a reader is offered, not about the scoring function's internals.
"""

from __future__ import annotations

from tests.builders import a_config, a_hub, a_theme, an_article, an_author
from themehub.content.model import Article, Item
from themehub.hub.graph import Hub

THEMES = (a_theme("cloud"), a_theme("finops", title="FinOps", parent="cloud"), a_theme("ops", parent="cloud"),
          a_theme("data"), a_theme("art"))
AUTHORS = tuple(an_author(a, name=a.title()) for a in ("x", "y", "z", "p0", "p1", "p2"))


def _hub(articles: list[Article], related: int = 10) -> Hub:
    items: tuple[Item, ...] = (*THEMES, *AUTHORS, *articles)
    return a_hub(*items, config=a_config(related=related, related_per_type=10))


def related(hub: Hub) -> dict[str, list[str]]:
    return {slug: [s.article.slug for s in items] for slug, items in hub.article_related.items()}


def test_shared_theme_beats_unrelated_content() -> None:
    hub = _hub([
        an_article("base", date="2026-01-01", themes=["data"], authors=["x"]),
        an_article("same-theme", date="2026-01-02", themes=["data"], authors=["y"]),
        an_article("unrelated", date="2026-01-28", themes=["art"], authors=["z"]),
    ])
    assert related(hub)["base"] == ["same-theme"]


def test_shared_theme_beats_a_newer_shared_tag() -> None:
    hub = _hub([
        an_article("base", date="2026-01-01", themes=["data"], authors=["x"], tags=["Quality"]),
        an_article("same-theme", date="2026-01-02", themes=["data"], authors=["y"]),
        an_article("same-tag", date="2026-01-28", themes=["art"], authors=["z"], tags=["quality"]),
    ])
    assert related(hub)["base"] == ["same-theme", "same-tag"]


def test_parent_theme_beats_sibling_theme() -> None:
    hub = _hub([
        an_article("base", date="2026-01-01", themes=["finops"], authors=["x"]),
        an_article("sibling", date="2026-01-20", themes=["ops"], authors=["y"]),
        an_article("parent", date="2026-01-02", themes=["cloud"], authors=["z"]),
    ])
    assert related(hub)["base"] == ["parent", "sibling"]


def _many() -> list[Article]:
    themes = ["cloud", "finops", "ops", "data"]
    depths = ["entry", "deeper", "deepest"]
    return [an_article(f"a{i:02d}", title=f"A{i}", date=f"2026-01-{1 + i % 27:02d}", themes=[themes[i % 4]],
                       authors=[f"p{i % 3}"], tags=[f"t{i % 5}"], depth=depths[i % 3])
            for i in range(40)]


def test_related_content_is_deterministic() -> None:
    first = related(_hub(_many(), related=6))
    assert related(_hub(_many(), related=6)) == first
    assert all(len(v) == 6 for v in first.values())
    for slug, suggestions in first.items():
        assert slug not in suggestions
        assert len(set(suggestions)) == len(suggestions)


def test_suggestions_say_why() -> None:
    hub = _hub([
        an_article("base", date="2026-01-01", themes=["data"], authors=["x"], tags=["Data Quality"]),
        an_article("other", date="2026-01-02", themes=["data"], authors=["x"], tags=["data quality"], depth="deeper"),
    ])
    (suggestion,) = hub.article_ranked["base"]
    # The one candidate goes deeper: it is "Read deeper", so the related list does not show it again.
    assert hub.article_next["base"].article.slug == "other" and hub.article_related["base"] == ()
    reasons = " | ".join(suggestion.reasons)
    assert "Data" in reasons  # the shared theme, by its title
    assert "data quality" in reasons  # the shared tag, as the other piece spells it
    assert "same author" in reasons
    assert "deeper" in reasons


def test_related_count_comes_from_the_config() -> None:
    assert all(len(v) == 2 for v in related(_hub(_many(), related=2)).values())
    assert all(v == [] for v in related(_hub(_many(), related=0)).values())
