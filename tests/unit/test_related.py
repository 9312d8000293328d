"""Related content ("Related" on an article page): deterministic, explainable, shared themes first.

Tested through the hub graph of small fixture sites, so the expectations are about which pieces a
reader is offered, not about the scoring function's internals.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.helpers import MINI_NOW, article
from themehub.build import BuildOptions, load_site
from themehub.hub.graph import Hub

CONFIG = "title: T\nbase_url: https://example.com/insights/\nrelated: {related}\nrelated_per_type: 10\n"
THEMES = {
    "content/themes/cloud.md": "---\ntitle: Cloud\n---\n",
    "content/themes/finops.md": "---\ntitle: FinOps\nparent: cloud\n---\n",
    "content/themes/ops.md": "---\ntitle: Ops\nparent: cloud\n---\n",
    "content/themes/data.md": "---\ntitle: Data\n---\n",
    "content/themes/art.md": "---\ntitle: Art\n---\n",
}
AUTHORS = {f"content/authors/{a}.md": f"---\nname: {a.title()}\n---\n" for a in ("x", "y", "z", "p0", "p1", "p2")}


def _site(site: Callable[..., Path], articles: dict[str, str], related: int = 10) -> Path:
    return site({"themehub.yaml": CONFIG.format(related=related), **THEMES, **AUTHORS,
                 **{f"content/articles/{slug}.md": text for slug, text in articles.items()}}, base=None)


def _hub(root: Path) -> Hub:
    loaded = load_site(BuildOptions(site=root, now=MINI_NOW, jobs=1))
    assert [d for d in loaded.diagnostics if d.is_error] == []
    assert loaded.hub is not None
    return loaded.hub


def related(root: Path) -> dict[str, list[str]]:
    return {slug: [s.article.slug for s in items] for slug, items in _hub(root).article_related.items()}


def test_shared_theme_beats_unrelated_content(site: Callable[..., Path]) -> None:
    root = _site(site, {
        "base": article("Base", date="2026-01-01", themes="[data]", authors="[x]"),
        "same-theme": article("Same theme", date="2026-01-02", themes="[data]", authors="[y]"),
        "unrelated": article("Unrelated", date="2026-01-28", themes="[art]", authors="[z]"),
    })
    assert related(root)["base"] == ["same-theme"]


def test_shared_theme_beats_a_newer_shared_tag(site: Callable[..., Path]) -> None:
    root = _site(site, {
        "base": article("Base", date="2026-01-01", themes="[data]", authors="[x]", extra="tags: [Quality]"),
        "same-theme": article("Same theme", date="2026-01-02", themes="[data]", authors="[y]"),
        "same-tag": article("Same tag", date="2026-01-28", themes="[art]", authors="[z]", extra="tags: [quality]"),
    })
    assert related(root)["base"] == ["same-theme", "same-tag"]


def test_parent_theme_beats_sibling_theme(site: Callable[..., Path]) -> None:
    root = _site(site, {
        "base": article("Base", date="2026-01-01", themes="[finops]", authors="[x]"),
        "sibling": article("Sibling", date="2026-01-20", themes="[ops]", authors="[y]"),
        "parent": article("Parent", date="2026-01-02", themes="[cloud]", authors="[z]"),
    })
    assert related(root)["base"] == ["parent", "sibling"]


def _many() -> dict[str, str]:
    themes = ["cloud", "finops", "ops", "data"]
    depths = ["entry", "deeper", "deepest"]
    return {f"a{i:02d}": article(f"A{i}", date=f"2026-01-{1 + i % 27:02d}", themes=f"[{themes[i % 4]}]",
                                 authors=f"[p{i % 3}]", extra=f"tags: [t{i % 5}]\ndepth: {depths[i % 3]}")
            for i in range(40)}


def test_related_content_is_deterministic(site: Callable[..., Path]) -> None:
    first = related(_site(site, _many(), related=6))
    assert related(_site(site, _many(), related=6)) == first
    assert all(len(v) == 6 for v in first.values())
    for slug, suggestions in first.items():
        assert slug not in suggestions
        assert len(set(suggestions)) == len(suggestions)


def test_suggestions_say_why(site: Callable[..., Path]) -> None:
    root = _site(site, {
        "base": article("Base", date="2026-01-01", themes="[data]", authors="[x]", extra="tags: [Data Quality]"),
        "other": article("Other", date="2026-01-02", themes="[data]", authors="[x]",
                         extra="tags: [data quality]\ndepth: deeper"),
    })
    hub = _hub(root)
    (suggestion,) = hub.article_ranked["base"]
    # The one candidate goes deeper: it is "Read deeper", so the related list does not show it again.
    assert hub.article_next["base"].article.slug == "other" and hub.article_related["base"] == ()
    reasons = " | ".join(suggestion.reasons)
    assert "Data" in reasons  # the shared theme, by its title
    assert "data quality" in reasons  # the shared tag, as the other piece spells it
    assert "same author" in reasons
    assert "deeper" in reasons


def test_related_count_comes_from_the_config(site: Callable[..., Path]) -> None:
    assert all(len(v) == 2 for v in related(_site(site, _many(), related=2)).values())
    assert all(v == [] for v in related(_site(site, _many(), related=0)).values())
