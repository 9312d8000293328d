"""The hub graph: references, the theme tree, roll-ups, guided paths, publishing rules, tags.

Each hub is built in memory from the mini hub's items (tests/builders.py), not from files: where a
diagnostic points is where the reference says it was written (the loader's positions are tested in
test_frontmatter.py)."""

from __future__ import annotations

import dataclasses

from tests.builders import a_hub, a_page, a_theme, an_article, errors_of, mini_hub, ref, when
from themehub.content.model import Theme


def slugs(items: object) -> list[str]:
    return [i.slug for i in items]  # type: ignore[attr-defined]


def test_unknown_theme_names_file_line_column_and_nearest() -> None:
    bad = errors_of(*mini_hub(an_article("typo", themes=["cloud", ref("finop", line=5, col=17)])))
    assert [(d.file, d.line, d.col, d.code) for d in bad] == [("content/articles/typo.md", 5, 17, "unknown-theme")]
    assert bad[0].message == "unknown campaign theme 'finop'"
    assert bad[0].hint == "did you mean 'finops'?"


def test_unknown_author_service_and_path_article() -> None:
    bad = sorted((d.file, d.line, d.code, d.hint) for d in errors_of(*mini_hub(
        an_article("refs", authors=[ref("ana-quin", line=4)], services=[ref("cost-reveiw", line=6)]),
        a_theme("data", title="Data Trust", start=["data-intro", ref("data-outro", line=3)]),
    )))
    assert bad == [
        ("content/articles/refs.md", 4, "unknown-author", "did you mean 'ana-quinn'?"),
        ("content/articles/refs.md", 6, "unknown-service", "did you mean 'cost-review'?"),
        ("content/themes/data.md", 3, "unknown-article", "did you mean 'data-intro'?"),
    ]


def test_unknown_parent_theme() -> None:
    bad = [(d.file, d.line, d.code, d.hint)
           for d in errors_of(*mini_hub(a_theme("finops", title="FinOps", parent=ref("clod", line=3))))]
    assert bad == [("content/themes/finops.md", 3, "unknown-theme", "did you mean 'cloud'?")]


def test_theme_cycles_are_errors_in_every_theme_of_the_cycle() -> None:
    bad = sorted((d.file, d.line, d.code) for d in errors_of(*mini_hub(
        a_theme("cloud", parent=ref("finops", line=3)),
        a_theme("data", parent=ref("data", line=3)),
        a_theme("finops", title="FinOps", parent=ref("cloud", line=4), weight=2),
    )))
    assert bad == [
        ("content/themes/cloud.md", 3, "theme-cycle"),
        ("content/themes/data.md", 3, "theme-cycle"),
        ("content/themes/finops.md", 4, "theme-cycle"),
    ]


def test_parent_theme_rolls_up_sub_theme_content_once() -> None:
    hub = a_hub(*mini_hub())
    # finops-start is only in finops; finops-deep is in both finops and cloud.
    assert sorted(slugs(hub.theme_articles["cloud"])) == ["cloud-basics", "finops-deep", "finops-start"]
    assert sorted(slugs(hub.theme_articles["finops"])) == ["finops-deep", "finops-start"]
    assert slugs(hub.theme_articles["data"]) == ["data-intro"]
    assert slugs(hub.theme_children["cloud"]) == ["finops"]
    assert slugs(hub.theme_ancestors["finops"]) == ["cloud"]
    assert slugs(hub.top_themes) == ["cloud", "data"]


def test_roll_up_goes_through_several_levels() -> None:
    hub = a_hub(*mini_hub(a_theme("tagging", parent="finops"), an_article("tags", themes=["tagging"])))
    assert "tags" in slugs(hub.theme_articles["cloud"])
    assert slugs(hub.theme_ancestors["tagging"]) == ["cloud", "finops"]


def test_depth_groups_use_the_configured_labels() -> None:
    hub = a_hub(*mini_hub())
    groups = hub.theme_depth_groups["cloud"]
    assert [(g.key, g.label) for g in groups] == [("entry", "Start here"), ("deeper", "Go deeper"),
                                                  ("deepest", "Deep dives")]
    assert [slugs(g.articles) for g in groups] == [["finops-start", "cloud-basics"], [], ["finops-deep"]]


def _cloud_starting(*start: str) -> Theme:
    """The mini hub's cloud theme file replaced by one with only a title and a `start` list."""
    return a_theme("cloud", title="Cloud", start=start)


def test_guided_path_follows_start_in_its_order() -> None:
    hub = a_hub(*mini_hub(_cloud_starting("finops-deep", "cloud-basics", "finops-start")))
    assert slugs(hub.theme_path["cloud"]) == ["finops-deep", "cloud-basics", "finops-start"]


def test_read_deeper_never_goes_back_to_a_shallower_or_an_entry_piece() -> None:
    """A path written deepest-first: "Read deeper" does not follow it back up (the issue: an entry piece
    recommended after a deep dive, then shown three times in a row)."""
    hub = a_hub(*mini_hub(_cloud_starting("finops-deep", "cloud-basics", "finops-start")))
    assert "finops-deep" not in hub.article_next  # the deepest piece has nothing deeper to offer
    assert hub.article_next["cloud-basics"].article.slug == "finops-deep"  # not finops-start, an entry piece
    index = hub.config.depth_index
    for slug, step in hub.article_next.items():
        article = hub.article_by_slug[slug]
        assert index(step.article.depth) >= max(index(article.depth), 1), (slug, step.article.slug)


def test_guided_path_without_start_goes_from_entry_to_deepest() -> None:
    hub = a_hub(*mini_hub())
    assert slugs(hub.theme_path["cloud"]) == ["finops-start", "finops-deep"]


def test_drafts_and_future_articles_are_left_out() -> None:
    items = mini_hub(an_article("draft", draft=True), an_article("future", date="2026-07-01"),
                     an_article("today", date="2026-06-01"))
    hub = a_hub(*items, now="2026-06-01")
    assert "draft" not in hub.article_by_slug
    assert "future" not in hub.article_by_slug
    assert "today" in hub.article_by_slug
    assert "future" not in slugs(hub.theme_articles["cloud"])
    everything = a_hub(*items, now="2026-06-01", drafts=True)
    assert {"draft", "future", "today"} <= set(everything.article_by_slug)
    assert {"draft", "future"} <= set(slugs(everything.theme_articles["cloud"]))


def test_published_articles_are_newest_first() -> None:
    hub = a_hub(*mini_hub())
    assert slugs(hub.articles) == ["finops-deep", "finops-start", "data-intro", "cloud-basics"]


def test_tags_that_slugify_alike_are_one_tag() -> None:
    hub = a_hub(*mini_hub())
    by_slug = {t.slug: t for t in hub.tags}
    assert sorted(by_slug) == ["cloud-costs", "operating-model"]
    assert sorted(slugs(by_slug["cloud-costs"].articles)) == ["cloud-basics", "finops-start"]
    assert by_slug["cloud-costs"].name.lower() == "cloud costs"


def test_services_of_an_article_include_its_themes_services() -> None:
    hub = a_hub(*mini_hub())
    assert slugs(hub.article_services["cloud-basics"]) == ["cost-review"]  # from the cloud theme
    assert slugs(hub.article_services["finops-deep"]) == ["cost-review"]  # named once, not twice
    assert slugs(hub.theme_services["cloud"]) == ["cost-review"]
    assert slugs(hub.service_articles["data-audit"]) == ["data-intro"]


def test_authors_of_a_theme_and_content_of_an_author() -> None:
    hub = a_hub(*mini_hub())
    assert slugs(hub.theme_authors["cloud"]) == ["ana-quinn", "ben-okoro"]
    assert slugs(hub.author_articles["ben-okoro"]) == ["finops-deep", "data-intro"]
    assert [(g.theme.slug, slugs(g.articles)) for g in hub.author_groups["ana-quinn"]] == [
        ("cloud", ["cloud-basics"]), ("finops", ["finops-deep", "finops-start"])]


def test_alias_claimed_by_two_articles_is_an_error() -> None:
    bad = errors_of(*mini_hub(an_article("one", aliases=["/blog/old/"]), an_article("two", aliases=["/blog/old/"])))
    assert [d.code for d in bad] == ["alias-collision"]
    assert "content/articles/one.md" in f"{bad[0].file} {bad[0].message}"
    assert "content/articles/two.md" in f"{bad[0].file} {bad[0].message}"


def test_page_slug_clashing_with_site_sections_is_an_error() -> None:
    bad = [(d.file, d.code) for d in errors_of(*mini_hub(a_page("articles")))]
    assert bad == [("content/pages/articles.md", "reserved-slug")]


def test_every_name_templates_read_is_the_same_value_as_its_part() -> None:
    """The Hub is a public API: templates (and users' own themes) read these names."""
    hub = a_hub(*mini_hub())
    same = {
        "articles": hub.publication.published, "archived": hub.publication.archived,
        "article_by_slug": hub.publication.by_slug, "theme_by_slug": hub.theme_tree.by_slug,
        "top_themes": hub.theme_tree.top, "themes_ordered": hub.theme_tree.ordered,
        "theme_children": hub.theme_tree.children, "theme_ancestors": hub.theme_tree.ancestors,
        "theme_articles": hub.theme_tree.articles, "theme_depth_groups": hub.theme_tree.depth_groups,
        "theme_path": hub.theme_tree.paths, "service_by_slug": hub.service_index.by_slug,
        "services_ordered": hub.service_index.ordered, "article_services": hub.service_index.for_article,
        "theme_services": hub.service_index.for_theme, "service_articles": hub.service_index.articles,
        "author_by_slug": hub.author_index.by_slug, "authors_ordered": hub.author_index.ordered,
        "author_articles": hub.author_index.articles, "author_groups": hub.author_index.groups,
        "theme_authors": hub.author_index.for_theme, "author_services": hub.author_index.services,
        "service_authors": hub.author_index.for_service, "tags": hub.tag_index.tags,
        "article_tags": hub.tag_index.for_article, "tracks": hub.track_index.ordered,
        "track_steps": hub.track_index.steps, "article_track_steps": hub.track_index.for_article,
        "article_related": hub.recommendations.related, "article_next": hub.recommendations.next,
        "article_ranked": hub.recommendations.ranked,
    }
    for name, value in same.items():
        assert getattr(hub, name) is value, name
    assert slugs(hub.page_by_slug.values()) == ["about"]
    assert hub.featured is not None and hub.featured.slug == "finops-deep"
    finops_deep = hub.article_by_slug["finops-deep"]
    assert hub.primary_theme(finops_deep) is hub.theme_by_slug["finops"]
    assert slugs(hub.breadcrumbs(hub.primary_theme(finops_deep))) == ["cloud", "finops"]
    assert hub.breadcrumbs(None) == ()
    assert slugs(hub.items_with_pages()) == [
        "finops-deep", "finops-start", "data-intro", "cloud-basics", "cloud", "data", "finops", "ana-quinn",
        "ben-okoro", "cost-review", "data-audit", "about"]


def test_a_hub_takes_new_content_and_a_new_clock_by_replace() -> None:
    """What a body-only edit does (incremental/edits.py): the same graph, the new items and the new time."""
    hub = a_hub(*mini_hub())
    later = dataclasses.replace(hub, content=dataclasses.replace(hub.content), now=when("2026-07-01"))
    assert later.now == when("2026-07-01") and later.theme_articles is hub.theme_articles
