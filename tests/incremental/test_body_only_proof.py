"""A rebuild that can prove only bodies changed keeps the fingerprints of the pages that show none of
them, without hashing their contexts (render/reuse.py `proven_unchanged`). The proof must never keep a
page a clean build would make differently: time passing a publication date, a new heading, a front-matter
edit beyond an article's display fields and a damaged page table each make it step aside; a title edit
looks only at the pages that hold the article."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.helpers import copy_sample, in_one_language, replace, tree

from themehub.build import BuildOptions, BuildResult, build
from themehub.render import feeds
from themehub.urls import output_file

NOW = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
ARTICLE = "content/articles/cloud-unit-cost-model.md"
OWN_PAGE = "articles/cloud-unit-cost-model/"


def rebuild(site: Path, now: dt.datetime = NOW) -> BuildResult:
    result = build(BuildOptions(site=site, now=now, jobs=1, search=False))
    assert result.ok, result.diagnostics
    return result


def assert_clean(site: Path, out: Path, now: dt.datetime = NOW) -> None:
    clean = build(BuildOptions(site=site, out=out, now=now, jobs=1, cache=False, search=False))
    assert clean.ok, clean.diagnostics
    expected, actual = tree(out), tree(site / "site")
    expected.pop(".themehub-output")
    actual.pop(".themehub-output")
    assert actual.keys() == expected.keys()
    assert [path for path in expected if actual[path] != expected[path]] == []


def test_a_body_edit_keeps_every_other_page_unhashed(tmp_path: Path) -> None:
    site = in_one_language(copy_sample(tmp_path / "hub"))
    first = rebuild(site)
    assert first.proven == 0  # nothing to prove against
    replace(site / ARTICLE, "Total cloud spend", "Total cloud spending")
    result = rebuild(site)
    assert [url for url, _ in result.rendered] == [OWN_PAGE]
    assert result.proven == first.pages - 2  # all but the article's page and /report/ (rendered after)
    assert "Total cloud spending" in (site / "site" / OWN_PAGE / "index.html").read_text(encoding="utf-8")
    assert_clean(site, tmp_path / "clean")


def test_an_event_ending_between_builds_is_not_proven_away(tmp_path: Path) -> None:
    # The sample's round table runs 16:00-17:00 on 18 March 2027, listed on its themes while ahead. Its
    # page stays (the link table does not change): only the moment it ends says the hubs are stale.
    site = in_one_language(copy_sample(tmp_path / "hub"))
    before, after = dt.datetime(2027, 3, 18, 10, tzinfo=dt.UTC), dt.datetime(2027, 3, 18, 18, tzinfo=dt.UTC)
    rebuild(site, now=before)
    hub = site / "site/themes/finops/index.html"
    assert "Cloud costs, live" in hub.read_text(encoding="utf-8")
    replace(site / ARTICLE, "Total cloud spend", "Total cloud spending")  # a body edit, hours later
    result = rebuild(site, now=after)
    assert result.proven == 0
    assert "Cloud costs, live" not in hub.read_text(encoding="utf-8")
    assert_clean(site, tmp_path / "clean", now=after)


def test_a_new_heading_or_a_front_matter_edit_is_not_proven_away(tmp_path: Path) -> None:
    site = in_one_language(copy_sample(tmp_path / "hub"))
    rebuild(site)
    replace(site / ARTICLE, "Total cloud spend", "## A new heading\n\nTotal cloud spend")  # other bodies may link to it
    assert rebuild(site).proven == 0
    assert_clean(site, tmp_path / "clean-heading")
    # A tag changes listings that never held the article: no proof, whatever the pages held.
    replace(site / ARTICLE, "tags: [Unit Economics,", "tags: [Unit Costs,")
    result = rebuild(site)
    assert result.proven == 0
    assert "Unit Costs" in (site / "site/tags/unit-costs/index.html").read_text(encoding="utf-8")
    assert_clean(site, tmp_path / "clean-tag")


def test_a_title_edit_looks_only_at_the_pages_holding_the_article(tmp_path: Path) -> None:
    # Titles, summaries and image descriptions are never ordered or ranked by (hub/display.py): the
    # pages whose context did not hold the article keep their fingerprints unread.
    site = in_one_language(copy_sample(tmp_path / "hub"))
    first = rebuild(site)
    holding = {url for url, _ in first.rendered if "cloud-unit-cost-model" in
               (site / "site" / output_file(url)).read_text(encoding="utf-8")}
    replace(site / ARTICLE, "title: ", "title: Revised ")
    replace(site / ARTICLE, "summary: \"How to", "summary: \"Revised: how to")
    result = rebuild(site)
    assert 0 < result.proven < first.pages - 10
    rendered = {url for url, _ in result.rendered}
    assert {OWN_PAGE, "themes/finops/", "authors/maya-okafor/", "tags/unit-economics/"} <= rendered <= holding | {
        "report/"}
    page = (site / "site/themes/finops/index.html").read_text(encoding="utf-8")
    assert "Revised A Unit-Cost Model" in page
    assert_clean(site, tmp_path / "clean-title")
    # A second edit of the same kind proves as much again: what the pages hold was carried over.
    replace(site / ARTICLE, "title: Revised ", "title: Twice revised ")
    assert rebuild(site).proven == result.proven
    assert_clean(site, tmp_path / "clean-again")


def test_a_page_table_from_before_the_proof_proves_nothing(tmp_path: Path) -> None:
    site = in_one_language(copy_sample(tmp_path / "hub"))
    rebuild(site)
    table = site / ".themehub-cache/pages.json"
    record = json.loads(table.read_text(encoding="utf-8"))
    for key in ("meta", "links_digest", "made_at"):
        del record[key]
    table.write_text(json.dumps(record), encoding="utf-8")
    replace(site / ARTICLE, "Total cloud spend", "Total cloud spending")
    result = rebuild(site)
    assert result.proven == 0 and [url for url, _ in result.rendered] == [OWN_PAGE]
    assert_clean(site, tmp_path / "clean")


def test_a_body_edit_keeps_the_feeds_sitemap_and_hub_json_unmade(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # They are made from front matter alone: after a body edit the hub is the last one, so the files
    # stay as they are in the output, unread, unless someone changed one there by hand.
    site = in_one_language(copy_sample(tmp_path / "hub"))
    rebuild(site)
    made: list[str] = []
    real = feeds.hub_json
    monkeypatch.setattr(feeds, "hub_json", lambda hub: made.append("hub.json") or real(hub))
    replace(site / ARTICLE, "Total cloud spend", "Total cloud spending")
    rebuild(site)
    assert made == []
    hand = site / "site/feed.xml"
    hand.write_text(hand.read_text(encoding="utf-8").replace("<feed", "<!-- by hand --><feed"), encoding="utf-8")
    replace(site / ARTICLE, "Total cloud spending", "Total cloud spend")
    rebuild(site)
    assert made == ["hub.json"] and "by hand" not in hand.read_text(encoding="utf-8")
    replace(site / ARTICLE, "title: ", "title: Revised ")
    rebuild(site)
    assert made == ["hub.json", "hub.json"]
    assert "Revised A Unit-Cost Model" in (site / "site/hub.json").read_text(encoding="utf-8")
    assert_clean(site, tmp_path / "clean")
