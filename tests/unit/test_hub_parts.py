"""The steps that build the hub, one part each, tested in memory on the smallest input that shows
what each step decides (the whole hub is tested in test_graph.py)."""

from __future__ import annotations

import dataclasses

from tests.builders import a_config, a_service, a_theme, a_track, an_article, an_author, content, ref, when
from themehub.content.model import Article
from themehub.diagnostics import Diagnostic
from themehub.hub.articles import aliases_of, featured_article, overdue_reviews, publish
from themehub.hub.authors import build_authors
from themehub.hub.ordering import each_once, most_often_first, newest_first
from themehub.hub.recommendations import build_recommendations
from themehub.hub.references import check_references
from themehub.hub.services import build_services
from themehub.hub.tags import build_tags
from themehub.hub.themes import ThemeTree, build_theme_tree, theme_parents
from themehub.hub.tracks import build_tracks

CONFIG = a_config()
NOW = when("2026-06-01")


def slugs(items: object) -> list[str]:
    return [i.slug for i in items]  # type: ignore[attr-defined]


# -- publication ---------------------------------------------------------------------------------


def test_publish_leaves_out_drafts_and_future_pieces_and_archives_expired_ones() -> None:
    articles = [an_article("old", date="2026-01-01"), an_article("new", date="2026-05-01"),
                an_article("draft", draft=True), an_article("future", date="2026-07-01"),
                an_article("expired", date="2026-02-01", expires="2026-03-01")]
    shown = publish(articles, now=NOW)
    assert slugs(shown.shown) == ["new", "expired", "old"]
    assert slugs(shown.published) == ["new", "old"]
    assert slugs(shown.archived) == ["expired"]
    assert sorted(shown.by_slug) == ["expired", "new", "old"] and sorted(shown.listed) == ["new", "old"]
    assert sorted(publish(articles, now=NOW, drafts=True).by_slug) == ["draft", "expired", "future", "new", "old"]


def test_overdue_reviews_are_warned_for_shown_articles_only() -> None:
    articles = [an_article("due", review_by="2026-05-01", positions=[("review_by", 7, 12)]),
                an_article("later", review_by="2026-07-01"), an_article("hidden", draft=True, review_by="2026-05-01")]
    found = overdue_reviews(articles, publish(articles, now=NOW), NOW)
    assert [(d.file, d.line, d.col, d.code, d.severity) for d in found] == [
        ("content/articles/due.md", 7, 12, "review-overdue", "warning")]


def test_featured_is_the_newest_featured_else_the_newest_deepest() -> None:
    entry, deep_old, deep_new = (an_article("entry", date="2026-03-01"),
                                 an_article("deep-old", type="white-paper", date="2026-01-01"),
                                 an_article("deep-new", type="white-paper", date="2026-02-01"))
    assert featured_article(newest_first([entry, deep_old, deep_new]), CONFIG) is deep_new
    chosen = an_article("chosen", date="2026-01-15", featured=True)
    assert featured_article(newest_first([entry, deep_new, chosen]), CONFIG) is chosen
    assert featured_article((), CONFIG) is None


def test_aliases_point_at_their_article_and_clashes_are_errors() -> None:
    one = an_article("one", aliases=["/blog/one", "articles/one/"])
    two = an_article("two", aliases=["blog/one/", "/old/two/"])
    aliases, clashes = aliases_of([one, two])
    assert aliases == {"blog/one/": one, "old/two/": two}
    assert [(d.file, d.code) for d in clashes] == [("content/articles/one.md", "alias-collision"),
                                                   ("content/articles/two.md", "alias-collision")]
    assert "is the address of a page" in clashes[0].message
    assert "content/articles/one.md" in clashes[1].message


# -- references ----------------------------------------------------------------------------------


def test_unknown_references_are_errors_but_not_for_a_file_that_failed_to_load() -> None:
    items = content(a_theme("cloud"), an_author("ana-quinn"),
                    an_article("x", themes=["cloud", ref("clod", line=5, col=9)], authors=["ana-quinn", "broken"]))
    loaded = dataclasses.replace(items, unloaded=(("authors", "broken"),))  # its file exists but failed to load
    bad = check_references(loaded)
    assert [(d.file, d.line, d.col, d.code, d.hint) for d in bad] == [
        ("content/articles/x.md", 5, 9, "unknown-theme", "did you mean 'cloud'?")]


# -- the theme tree ------------------------------------------------------------------------------


THREE_LEVELS = (a_theme("top", weight=1), a_theme("mid", parent="top", weight=2), a_theme("low", parent="mid"),
                a_theme("aside", parent="top", weight=1), a_theme("other", weight=2))


def _three_levels() -> tuple[list[Article], ThemeTree, list[Diagnostic]]:
    articles = [an_article("at-low", themes=["low"], date="2026-01-03", type="white-paper"),
                an_article("at-mid", themes=["mid", "low"], date="2026-01-02", type="case-study"),
                an_article("at-top", themes=["top"], date="2026-01-01"),
                an_article("nowhere", themes=["gone"], date="2026-01-04")]
    return articles, *build_theme_tree(THREE_LEVELS, newest_first(articles), CONFIG)


def test_theme_tree_of_three_levels() -> None:
    articles, tree, problems = _three_levels()
    assert problems == []
    assert tree.parents == {"top": None, "mid": "top", "low": "mid", "aside": "top", "other": None}
    assert slugs(tree.top) == ["top", "other"]
    assert {slug: slugs(kids) for slug, kids in tree.children.items()} == {"top": ["aside", "mid"], "mid": ["low"]}
    assert slugs(tree.ancestors["low"]) == ["top", "mid"] and tree.ancestors["top"] == ()
    assert slugs(tree.ordered) == ["top", "aside", "mid", "low", "other"]  # depth first, by weight
    assert tree.descendants("top") == ["top", "aside", "mid", "low"]
    # Rolled up the tree, each piece once (at-mid is in mid and low), newest first.
    assert slugs(tree.articles["top"]) == ["at-low", "at-mid", "at-top"]
    assert slugs(tree.articles["mid"]) == ["at-low", "at-mid"]
    assert slugs(tree.articles["low"]) == ["at-low", "at-mid"]
    assert tree.articles["other"] == ()
    assert [(g.key, slugs(g.articles)) for g in tree.depth_groups["top"]] == [
        ("entry", ["at-top"]), ("deeper", ["at-mid"]), ("deepest", ["at-low"])]
    assert slugs(tree.paths["top"]) == ["at-top", "at-mid", "at-low"]  # entry to deepest
    assert tree.primary_theme(articles[1]) is tree.by_slug["mid"]
    assert tree.primary_theme(articles[3]) is None
    assert slugs(tree.breadcrumbs(tree.by_slug["low"])) == ["top", "mid", "low"]


def test_a_parent_loop_is_reported_in_each_theme_and_broken() -> None:
    themes = (a_theme("a", parent=ref("c", line=3)), a_theme("b", parent=ref("a", line=4)),
              a_theme("c", parent=ref("b", line=5)), a_theme("d", parent="a"), a_theme("e", parent=ref("e", line=6)))
    parents, problems = theme_parents(themes)
    assert parents == {"a": None, "b": None, "c": None, "d": "a", "e": None}
    assert [(d.file, d.line, d.code) for d in problems] == [
        ("content/themes/e.md", 6, "theme-cycle"), ("content/themes/a.md", 3, "theme-cycle"),
        ("content/themes/c.md", 5, "theme-cycle"), ("content/themes/b.md", 4, "theme-cycle")]
    assert "a -> c -> b -> a" in problems[1].message
    tree, _ = build_theme_tree(themes, (), CONFIG)
    assert sorted(slugs(tree.ordered)) == ["a", "b", "c", "d", "e"]  # every theme listed once, none lost


def test_a_theme_start_list_is_its_path_skipping_what_is_not_published() -> None:
    themes = (a_theme("t", start=["second", "draft", "first"]),)
    published = newest_first([an_article("first", themes=["t"]), an_article("second", themes=["t"])])
    tree, _ = build_theme_tree(themes, published, CONFIG)
    assert slugs(tree.paths["t"]) == ["second", "first"]


# -- services, authors ---------------------------------------------------------------------------


def test_services_come_from_the_article_then_its_themes_each_once() -> None:
    services = (a_service("audit", weight=2), a_service("review", weight=1), a_service("idle"))
    themes = {"cloud": a_theme("cloud", services=["review"]), "data": a_theme("data", services=["audit", "review"])}
    own = an_article("own", themes=["cloud"], services=["audit", "gone"], date="2026-01-02")
    through = an_article("through", themes=["data"], date="2026-01-01")
    published = (own, through)
    part = build_services(services, themes, published, published, {"cloud": (own,), "data": (through,)})
    assert slugs(part.ordered) == ["idle", "review", "audit"]
    assert slugs(part.for_article["own"]) == ["audit", "review"]
    assert slugs(part.for_article["through"]) == ["audit", "review"]
    assert slugs(part.for_theme["cloud"]) == ["review", "audit"]  # its own, then its articles'
    assert slugs(part.articles["audit"]) == ["own", "through"]  # named first, then through a theme
    assert slugs(part.articles["review"]) == ["own", "through"] and part.articles["idle"] == ()


def test_authors_their_pieces_by_theme_and_who_delivers_each_service() -> None:
    written = [an_article("p1", themes=["low"], authors=["bo", "al"], services=["s"], date="2026-01-03"),
               an_article("p2", themes=["top"], authors=["bo"], date="2026-01-02"),
               an_article("p3", themes=["low"], authors=["bo"], date="2026-01-01")]
    tree, _ = build_theme_tree(THREE_LEVELS, tuple(written), CONFIG)
    services = build_services((a_service("s"),), tree.by_slug, written, written, tree.articles)
    part = build_authors((an_author("al", name="Al"), an_author("bo", name="Bo"), an_author("cy", name="Cy")),
                         written, tree, services)
    assert slugs(part.ordered) == ["al", "bo", "cy"]
    assert slugs(part.articles["bo"]) == ["p1", "p2", "p3"] and part.articles["cy"] == ()
    assert [(g.theme.slug, slugs(g.articles)) for g in part.groups["bo"]] == [("top", ["p2"]), ("low", ["p1", "p3"])]
    assert slugs(part.for_theme["low"]) == ["bo", "al"]  # most pieces first
    assert slugs(part.services["al"]) == ["s"] and part.services["cy"] == ()
    assert slugs(part.for_service["s"]) == ["bo", "al"]


# -- tags, tracks --------------------------------------------------------------------------------


def test_tags_merge_spellings_and_take_the_most_used_one() -> None:
    a = an_article("a", tags=["Cloud Costs", "FinOps"], date="2026-01-03")
    b = an_article("b", tags=["cloud costs", "cloud-costs"], date="2026-01-02")
    c = an_article("c", tags=["cloud costs", "!!"], positions=[("tags", 6, 7)], date="2026-01-01")
    archived = an_article("gone", tags=["Old", "??"], date="2025-01-01")
    part, problems = build_tags((a, b, c, archived), (a, b, c))
    assert [(t.slug, t.name, slugs(t.articles)) for t in part.tags] == [
        ("cloud-costs", "cloud costs", ["a", "b", "c"]), ("finops", "FinOps", ["a"])]  # each piece once
    assert slugs(part.for_article["b"]) == ["cloud-costs"]
    assert part.for_article["gone"] == ()  # a tag only archived pieces have gets no page
    assert [(d.file, d.line, d.col, d.code) for d in problems] == [
        ("content/articles/c.md", 6, 7, "bad-tag"), ("content/articles/gone.md", 1, 1, "bad-tag")]
    tie, _ = build_tags((a, c), (a, c))
    assert tie.by_slug["cloud-costs"].name == "Cloud Costs"  # as often: the first in code-point order


def test_tracks_skip_unpublished_steps_and_know_each_step_neighbours() -> None:
    one, two, three = (an_article(s) for s in ("one", "two", "three"))
    listed = {a.slug: a for a in (one, two, three)}
    tracks = (a_track("later", steps=["three", "one"], weight=2),
              a_track("main", steps=["one", "draft", "two", "three", "gone"], weight=1))
    part = build_tracks(tracks, listed)
    assert slugs(part.ordered) == ["main", "later"]
    assert slugs(part.steps["main"]) == ["one", "two", "three"]
    assert [(s.track.slug, s.number, s.total, s.previous and s.previous.slug, s.next and s.next.slug)
            for s in part.for_article["one"]] == [("main", 1, 3, None, "two"), ("later", 2, 2, "three", None)]
    assert "draft" not in part.for_article
    assert part.track_slugs()["three"] == ("main", "later")
    assert part.neighbours("one") == {"two", "three"} and part.neighbours("draft") == set()


# -- recommendations -----------------------------------------------------------------------------


def test_read_deeper_and_related_leave_out_the_track_neighbours() -> None:
    themes = (a_theme("t"),)
    start = an_article("start", themes=["t"], date="2026-01-04")
    neighbour = an_article("neighbour", themes=["t"], type="case-study", date="2026-01-03")
    deeper = an_article("deeper", themes=["t"], type="white-paper", date="2026-01-02")
    other = an_article("other", themes=["t"], date="2026-01-01")
    gone = an_article("gone", themes=["t"], date="2025-01-01")
    published = (start, neighbour, deeper, other)
    tree, _ = build_theme_tree(themes, published, CONFIG)
    tracks = build_tracks((a_track("walk", steps=["start", "neighbour"]),), {a.slug: a for a in published})
    part = build_recommendations(published, (gone,), tree, tracks, a_config(related=4, related_per_type=4))
    assert "neighbour" in [s.article.slug for s in part.ranked["start"]]
    assert part.next["start"].article is deeper  # not the track's next step, linked on the page already
    assert [s.article.slug for s in part.related["start"]] == ["other"]
    assert part.related["gone"] == () and "gone" not in part.ranked


def test_the_ranking_is_reused_from_the_memo_while_its_key_holds() -> None:
    published = newest_first([an_article("a", themes=["t"]), an_article("b", themes=["t"], date="2026-01-01")])
    tree, _ = build_theme_tree((a_theme("t"),), published, CONFIG)
    tracks = build_tracks((), {})
    memo: dict[str, object] = {}
    first = build_recommendations(published, (), tree, tracks, CONFIG, memo)
    assert set(memo) == {"related-key", "related", "related-lists"}
    memo["related"] = {"a": (("b", 99.0, ("from the memo",)),), "b": ()}
    again = build_recommendations(published, (), tree, tracks, CONFIG, memo)
    assert again.ranked["a"][0].reasons == ("from the memo",) and again.ranked["a"][0].article is published[1]
    assert first.ranked["a"][0].reasons != ("from the memo",)


# -- ordering ------------------------------------------------------------------------------------


def test_ordering_helpers() -> None:
    same_day = [an_article("b"), an_article("a"), an_article("c", date="2026-02-01")]
    assert slugs(newest_first(same_day)) == ["c", "a", "b"]
    x, y = [1], [1]  # equal, not the same
    assert each_once([x, y, x]) == [x, y] and each_once([x, y, x])[1] is y
    assert most_often_first(["b", "a", "a", "c", "b", "a"]) == ("a", "b", "c")


def test_a_title_edit_keeps_the_related_lists_it_does_not_reach() -> None:
    """serve's memo keeps the lists themselves: a list is made again only when one of its articles is a
    new object (the edited one), so fingerprints find the others hashed already."""
    articles = [an_article(slug, themes=["t"], date=f"2026-01-0{n}") for n, slug in enumerate("abcd", 1)]
    published = newest_first(articles)
    tree, _ = build_theme_tree((a_theme("t"),), published, CONFIG)
    memo: dict[str, object] = {}
    config = a_config(related=1, related_per_type=1)
    first = build_recommendations(published, (), tree, build_tracks((), {}), config, memo)
    edited = dataclasses.replace(published[0], title="A new title")
    again_published = (edited, *published[1:])
    tree, _ = build_theme_tree((a_theme("t"),), again_published, CONFIG)
    again = build_recommendations(again_published, (), tree, build_tracks((), {}), config, memo)
    holding = {slug for slug, ranked in first.ranked.items() if any(s.article is published[0] for s in ranked)}
    assert holding and holding != set(first.ranked)
    for slug in first.ranked:
        if slug in holding:
            assert again.ranked[slug] is not first.ranked[slug]
            assert edited in [s.article for s in again.ranked[slug]]
        else:
            assert again.ranked[slug] is first.ranked[slug]
