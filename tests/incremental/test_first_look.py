"""serve's first look at a front-matter edit (incremental/edits.py): the edited article's own page is
served at once, made against the last build, while the full rebuild makes the rest. It must be the page
the full rebuild makes, and a tab must hear of it whichever of the two events it wakes up to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.helpers import replace
from tests.incremental.test_body_edits import ARTICLE, assert_equals_clean, save, start

from themehub.serve.preview import RECENT_EPOCHS
from themehub.serve.routes import _since

OWN_PAGE = "articles/cloud-unit-cost-model/index.html"
THEME_HUB = "themes/finops/index.html"
"""A page that lists the article."""


def test_a_title_edit_shows_the_article_first_then_the_rest(tmp_path: Path) -> None:
    site, preview = start(tmp_path)
    epoch = preview.state.epoch
    seen: list[tuple[list[str], bytes, bytes]] = []
    hub_before = preview.state.files[THEME_HUB]
    assert b"A Unit-Cost Model for Cloud Spend" in hub_before
    preview.on_publish = lambda: seen.append((list(preview.state.changed), preview.state.files[OWN_PAGE],
                                              preview.state.files[THEME_HUB]))
    replace(site / ARTICLE, "title: ", "title: Revised ")
    save(preview, site, ARTICLE)

    # First: the article alone, with its new title, while its theme hub still shows the old one.
    assert len(seen) == 1
    changed_first, own_first, hub_first = seen[0]
    assert changed_first == [OWN_PAGE] and preview.first_look == (OWN_PAGE,)
    assert b"Revised A Unit-Cost Model" in own_first
    assert hub_first == hub_before
    # Then the full rebuild: every other page that shows the title, and the article's page as it was
    # shown first (not changed again, so the tab that reloaded is not reloaded twice).
    assert preview.last_mode == "full"
    assert preview.state.files[OWN_PAGE] == own_first
    assert OWN_PAGE not in preview.state.changed and THEME_HUB in preview.state.changed
    assert b"Revised A Unit-Cost Model" in preview.state.files[THEME_HUB]
    assert preview.state.epoch == epoch + 2
    assert_equals_clean(preview, site, tmp_path / "clean")
    # A tab that slept through the first look hears of both.
    missed = json.loads(preview.event_payload(epoch))["changed"]
    assert OWN_PAGE in missed and THEME_HUB in missed
    assert json.loads(preview.event_payload(epoch + 1))["changed"] == sorted(preview.state.changed)


def test_an_edit_the_hub_orders_by_waits_for_the_full_rebuild(tmp_path: Path) -> None:
    site, preview = start(tmp_path)
    shown: list[int] = []
    preview.on_publish = lambda: shown.append(preview.state.epoch)
    replace(site / ARTICLE, "date: 2025-04-08", "date: 2024-04-08")  # moves it in every listing
    save(preview, site, ARTICLE)
    assert shown == [] and preview.first_look == ()
    assert_equals_clean(preview, site, tmp_path / "clean")


def test_a_failed_full_rebuild_takes_the_first_look_back(tmp_path: Path) -> None:
    site, preview = start(tmp_path)
    before = {path: preview.state.files.blob(path) for path in preview.state.files}
    replace(site / ARTICLE, "title: ", "title: Revised ")
    # Broken behind the watcher's back (it reports only the article): the full rebuild fails on it.
    (site / "content/articles/broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    diagnostics = save(preview, site, ARTICLE)
    assert any(d.is_error and d.file == "content/articles/broken.md" for d in diagnostics)
    assert preview.first_look == (OWN_PAGE,)
    # The last good build, whole: the first look is gone, and tabs are told to show the old page again.
    assert {path: preview.state.files.blob(path) for path in preview.state.files} == before
    assert preview.state.changed == [OWN_PAGE]


def test_a_tab_is_told_what_changed_since_its_page_only_when_that_is_known(tmp_path: Path) -> None:
    site, preview = start(tmp_path)
    first = preview.state.epoch
    for n in range(RECENT_EPOCHS + 2):
        replace(site / ARTICLE, "Total cloud spend" if n == 0 else f"Total cloud spend {n - 1}",
                f"Total cloud spend {n}")
        save(preview, site, ARTICLE)
    newest = preview.state.epoch
    event = json.loads(preview.event_payload(newest - 1))
    assert event["complete"] and event["changed"] == [OWN_PAGE]
    assert json.loads(preview.event_payload(newest))["changed"] == []  # the page is the newest
    # Older than the epochs kept, or from a server that has since restarted (its epochs ahead of
    # ours): not known, so the tab reloads as it always did.
    assert not json.loads(preview.event_payload(first))["complete"]
    assert not json.loads(preview.event_payload(newest + 5))["complete"]
    assert not json.loads(preview.event_payload())["complete"]


@pytest.mark.parametrize(("target", "since"), [
    ("/insights/__themehub/events?since=12", 12), ("/insights/__themehub/events", -1),
    ("/insights/__themehub/events?since=-3", -1), ("/insights/__themehub/events?since=1e9", -1),
    ("/insights/__themehub/events?since=" + "9" * 40, -1),
])
def test_the_since_of_a_stream_is_a_small_number_or_nothing(target: str, since: int) -> None:
    assert _since(target) == since
