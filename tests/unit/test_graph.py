"""The hub graph: references, the theme tree, roll-ups, guided paths, publishing rules, tags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from tests.helpers import MINI_NOW, article
from themehub.build import BuildOptions, LoadedSite, load_site
from themehub.hub.graph import Hub


def _load(root: Path, *, drafts: bool = False, now: dt.datetime = MINI_NOW) -> LoadedSite:
    return load_site(BuildOptions(site=root, drafts=drafts, now=now, jobs=1))


def _hub(root: Path, **kwargs: object) -> Hub:
    loaded = _load(root, **kwargs)  # type: ignore[arg-type]
    assert [d for d in loaded.diagnostics if d.is_error] == []
    assert loaded.hub is not None
    return loaded.hub


def slugs(items: object) -> list[str]:
    return [i.slug for i in items]  # type: ignore[attr-defined]


def test_unknown_theme_names_file_line_column_and_nearest(site: Callable[..., Path]) -> None:
    root = site({"content/articles/typo.md": article("Typo", themes="[cloud, finop]")})
    loaded = _load(root)
    bad = [d for d in loaded.diagnostics if d.is_error]
    assert [(d.file, d.line, d.col, d.code) for d in bad] == [("content/articles/typo.md", 5, 17, "unknown-theme")]
    assert bad[0].message == "unknown campaign theme 'finop'"
    assert bad[0].hint == "did you mean 'finops'?"


def test_unknown_author_service_and_path_article(site: Callable[..., Path]) -> None:
    root = site({
        "content/articles/refs.md": article("Refs", authors="[ana-quin]", extra="services: [cost-reveiw]"),
        "content/themes/data.md": "---\ntitle: Data Trust\nstart: [data-intro, data-outro]\n---\n",
    })
    bad = sorted((d.file, d.line, d.code, d.hint) for d in _load(root).diagnostics if d.is_error)
    assert bad == [
        ("content/articles/refs.md", 4, "unknown-author", "did you mean 'ana-quinn'?"),
        ("content/articles/refs.md", 6, "unknown-service", "did you mean 'cost-review'?"),
        ("content/themes/data.md", 3, "unknown-article", "did you mean 'data-intro'?"),
    ]


def test_unknown_parent_theme(site: Callable[..., Path]) -> None:
    root = site({"content/themes/finops.md": "---\ntitle: FinOps\nparent: clod\n---\n"})
    bad = [(d.file, d.line, d.code, d.hint) for d in _load(root).diagnostics if d.is_error]
    assert bad == [("content/themes/finops.md", 3, "unknown-theme", "did you mean 'cloud'?")]


def test_theme_cycles_are_errors_in_every_theme_of_the_cycle(site: Callable[..., Path]) -> None:
    root = site({
        "content/themes/cloud.md": "---\ntitle: Cloud\nparent: finops\n---\n",
        "content/themes/data.md": "---\ntitle: Data\nparent: data\n---\n",
    })
    bad = sorted((d.file, d.line, d.code) for d in _load(root).diagnostics if d.is_error)
    assert bad == [
        ("content/themes/cloud.md", 3, "theme-cycle"),
        ("content/themes/data.md", 3, "theme-cycle"),
        ("content/themes/finops.md", 4, "theme-cycle"),
    ]


def test_parent_theme_rolls_up_sub_theme_content_once(site: Callable[..., Path]) -> None:
    hub = _hub(site())
    # finops-start is only in finops; finops-deep is in both finops and cloud.
    assert sorted(slugs(hub.theme_articles["cloud"])) == ["cloud-basics", "finops-deep", "finops-start"]
    assert sorted(slugs(hub.theme_articles["finops"])) == ["finops-deep", "finops-start"]
    assert slugs(hub.theme_articles["data"]) == ["data-intro"]
    assert slugs(hub.theme_children["cloud"]) == ["finops"]
    assert slugs(hub.theme_ancestors["finops"]) == ["cloud"]
    assert slugs(hub.top_themes) == ["cloud", "data"]


def test_roll_up_goes_through_several_levels(site: Callable[..., Path]) -> None:
    root = site({
        "content/themes/tagging.md": "---\ntitle: Tagging\nparent: finops\n---\n",
        "content/articles/tags.md": article("Tags", themes="[tagging]"),
    })
    hub = _hub(root)
    assert "tags" in slugs(hub.theme_articles["cloud"])
    assert slugs(hub.theme_ancestors["tagging"]) == ["cloud", "finops"]


def test_depth_groups_use_the_configured_labels(site: Callable[..., Path]) -> None:
    hub = _hub(site())
    groups = hub.theme_depth_groups["cloud"]
    assert [(g.key, g.label) for g in groups] == [("entry", "Start here"), ("deeper", "Go deeper"),
                                                  ("deepest", "Deep dives")]
    assert [slugs(g.articles) for g in groups] == [["finops-start", "cloud-basics"], [], ["finops-deep"]]


def test_guided_path_follows_start_in_its_order(site: Callable[..., Path]) -> None:
    root = site({"content/themes/cloud.md": "---\ntitle: Cloud\nstart: [finops-deep, cloud-basics, finops-start]\n---\n"})
    hub = _hub(root)
    assert slugs(hub.theme_path["cloud"]) == ["finops-deep", "cloud-basics", "finops-start"]


def test_read_deeper_never_goes_back_to_a_shallower_or_an_entry_piece(site: Callable[..., Path]) -> None:
    """A path written deepest-first: "Read deeper" does not follow it back up (the issue: an entry piece
    recommended after a deep dive, then shown three times in a row)."""
    root = site({"content/themes/cloud.md": "---\ntitle: Cloud\nstart: [finops-deep, cloud-basics, finops-start]\n---\n"})
    hub = _hub(root)
    assert "finops-deep" not in hub.article_next  # the deepest piece has nothing deeper to offer
    assert hub.article_next["cloud-basics"].article.slug == "finops-deep"  # not finops-start, an entry piece
    index = hub.config.depth_index
    for slug, step in hub.article_next.items():
        article = hub.article_by_slug[slug]
        assert index(step.article.depth) >= max(index(article.depth), 1), (slug, step.article.slug)


def test_guided_path_without_start_goes_from_entry_to_deepest(site: Callable[..., Path]) -> None:
    hub = _hub(site())
    assert slugs(hub.theme_path["cloud"]) == ["finops-start", "finops-deep"]


def test_drafts_and_future_articles_are_left_out(site: Callable[..., Path]) -> None:
    root = site({
        "content/articles/draft.md": article("Draft", extra="draft: true"),
        "content/articles/future.md": article("Future", date="2026-07-01"),
        "content/articles/today.md": article("Today", date="2026-06-01"),
    })
    hub = _hub(root)
    assert "draft" not in hub.article_by_slug
    assert "future" not in hub.article_by_slug
    assert "today" in hub.article_by_slug
    assert "future" not in slugs(hub.theme_articles["cloud"])
    everything = _hub(root, drafts=True)
    assert {"draft", "future", "today"} <= set(everything.article_by_slug)
    assert {"draft", "future"} <= set(slugs(everything.theme_articles["cloud"]))


def test_published_articles_are_newest_first(site: Callable[..., Path]) -> None:
    hub = _hub(site())
    assert slugs(hub.articles) == ["finops-deep", "finops-start", "data-intro", "cloud-basics"]


def test_tags_that_slugify_alike_are_one_tag(site: Callable[..., Path]) -> None:
    hub = _hub(site())
    by_slug = {t.slug: t for t in hub.tags}
    assert sorted(by_slug) == ["cloud-costs", "operating-model"]
    assert sorted(slugs(by_slug["cloud-costs"].articles)) == ["cloud-basics", "finops-start"]
    assert by_slug["cloud-costs"].name.lower() == "cloud costs"


def test_services_of_an_article_include_its_themes_services(site: Callable[..., Path]) -> None:
    hub = _hub(site())
    assert slugs(hub.article_services["cloud-basics"]) == ["cost-review"]  # from the cloud theme
    assert slugs(hub.article_services["finops-deep"]) == ["cost-review"]  # named once, not twice
    assert slugs(hub.theme_services["cloud"]) == ["cost-review"]
    assert slugs(hub.service_articles["data-audit"]) == ["data-intro"]


def test_authors_of_a_theme_and_content_of_an_author(site: Callable[..., Path]) -> None:
    hub = _hub(site())
    assert slugs(hub.theme_authors["cloud"]) == ["ana-quinn", "ben-okoro"]
    assert slugs(hub.author_articles["ben-okoro"]) == ["finops-deep", "data-intro"]
    assert [(g.theme.slug, slugs(g.articles)) for g in hub.author_groups["ana-quinn"]] == [
        ("cloud", ["cloud-basics"]), ("finops", ["finops-deep", "finops-start"])]


def test_alias_claimed_by_two_articles_is_an_error(site: Callable[..., Path]) -> None:
    root = site({
        "content/articles/one.md": article("One", extra="aliases: [/blog/old/]"),
        "content/articles/two.md": article("Two", extra="aliases: [/blog/old/]"),
    })
    bad = [d for d in _load(root).diagnostics if d.is_error]
    assert [d.code for d in bad] == ["alias-collision"]
    assert "content/articles/one.md" in f"{bad[0].file} {bad[0].message}"
    assert "content/articles/two.md" in f"{bad[0].file} {bad[0].message}"


def test_page_slug_clashing_with_site_sections_is_an_error(site: Callable[..., Path]) -> None:
    root = site({"content/pages/articles.md": "---\ntitle: Articles\n---\n"})
    bad = [(d.file, d.code) for d in _load(root).diagnostics if d.is_error]
    assert bad == [("content/pages/articles.md", "reserved-slug")]
