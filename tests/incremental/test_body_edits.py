"""The dev server's body-edit path (incremental/edits.py): a save that changes only a body re-renders only
the pages that show it. Whatever path a rebuild takes, what is served must be a clean build's bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.helpers import copy_sample, in_one_language, replace, tree

from themehub.build import BuildOptions, build
from themehub.serve.server import Preview

NOW = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
ARTICLE = "content/articles/cloud-unit-cost-model.md"


def append(path: Path, text: str) -> None:
    with path.open("a") as handle:
        handle.write(text)


def served(preview: Preview) -> dict[str, bytes]:
    files = dict(preview.state.files)
    files.update({rel: path.read_bytes() for rel, path in preview.state.copies.items()})
    return files


def assert_equals_clean(preview: Preview, site: Path, out: Path, now: dt.datetime = NOW) -> None:
    result = build(BuildOptions(site=site, out=out, now=now, jobs=1, cache=False, search=False))
    assert result.ok, result.diagnostics
    expected = tree(out)
    expected.pop(".themehub-output")
    actual = served(preview)
    assert actual.keys() == expected.keys()
    assert [p for p in expected if actual[p] != expected[p]] == []


def start(tmp_path: Path) -> tuple[Path, Preview]:
    site = in_one_language(copy_sample(tmp_path / "hub"))
    preview = Preview(site)
    preview.options = BuildOptions(site=site, now=NOW, jobs=1)
    assert not [d for d in preview.rebuild() if d.is_error]
    return site, preview


def save(preview: Preview, site: Path, *paths: str) -> list:  # type: ignore[type-arg]
    """What the watcher does after a save: rebuild, told which files changed."""
    return preview.rebuild({str(site / p) for p in paths})


# (what the edit does, file, how, the path the rebuild must take)
Edit = tuple[str, str, Callable[[Path], None], str]
EDITS: list[Edit] = [
    ("article body", ARTICLE, lambda p: replace(p, "Total cloud spend", "Total cloud spending"), "bodies"),
    ("theme intro", "content/themes/finops.md", lambda p: append(p, "\nA new closing line.\n"), "bodies"),
    ("author bio", "content/authors/maya-okafor.md", lambda p: replace(p, "Maya Okafor leads", "Maya leads"),
     "bodies"),
    ("service body", "content/services/ai-delivery.md", lambda p: append(p, "- A fourth outcome\n"), "bodies"),
    ("page body", "content/pages/about.md", lambda p: replace(p, "We would be glad", "We are glad"), "bodies"),
    ("track intro", "content/tracks/cloud-costs-in-five-steps.md", lambda p: append(p, "\nOne more line.\n"),
     "bodies"),
    ("a link to another article", ARTICLE,
     lambda p: append(p, "\nSee also [the basics](carbon-aware-cloud-basics.md).\n"), "bodies"),
    ("a new heading (other bodies may link to it)", ARTICLE, lambda p: append(p, "\n## A new heading\n\nText.\n"),
     "full"),
    ("a title (front matter)", ARTICLE, lambda p: replace(p, "title: ", "title: Revised "), "full"),
    ("an image in the body", ARTICLE,
     lambda p: append(p, "\n![A chart](/images/avatars/maya-okafor.svg)\n"), "full"),
    ("the body after a front-matter edit", ARTICLE, lambda p: append(p, "\nLast words.\n"), "full"),
]


def test_body_edits_take_the_short_path_and_equal_clean_builds(tmp_path: Path) -> None:
    site, preview = start(tmp_path)
    for number, (what, rel, edit, path) in enumerate(EDITS):
        edit(site / rel)
        problems = [d for d in save(preview, site, rel) if d.is_error]
        assert problems == [], (what, problems)
        assert preview.last_mode == path, what
        assert_equals_clean(preview, site, tmp_path / f"clean-{number}")


def test_a_body_edit_changes_its_page_and_nothing_else(tmp_path: Path) -> None:
    site, preview = start(tmp_path)
    before = {path: preview.state.files.blob(path) for path in preview.state.files}
    replace(site / ARTICLE, "Total cloud spend", "Total cloud outlay")
    save(preview, site, ARTICLE)
    assert preview.last_mode == "bodies"
    assert preview.state.changed == ["articles/cloud-unit-cost-model/index.html"]
    page = preview.state.files["articles/cloud-unit-cost-model/index.html"]
    assert b"Total cloud outlay" in page and b"Total cloud spend" not in page
    # Every other file is the very object kept before (packed): placed again, never rendered again.
    assert all(preview.state.files.blob(p) is before[p] for p in before if "cloud-unit-cost-model" not in p)


def test_emptying_a_bio_shows_on_the_report(tmp_path: Path) -> None:
    site, preview = start(tmp_path)
    path = site / "content/authors/maya-okafor.md"
    text = path.read_text()
    path.write_text(text[: text.index("---", 4) + 4])
    save(preview, site, "content/authors/maya-okafor.md")
    assert preview.last_mode == "bodies"
    assert "report/index.html" in preview.state.changed
    assert_equals_clean(preview, site, tmp_path / "clean")


def test_a_broken_link_in_a_body_is_reported_then_fixed(tmp_path: Path) -> None:
    site, preview = start(tmp_path)
    good = dict(preview.state.files)
    append(site / ARTICLE, "\nSee [this](no-such-article.md).\n")
    problems = [d for d in save(preview, site, ARTICLE) if d.is_error]
    assert [(d.file, d.code) for d in problems] == [(ARTICLE, "broken-link")]
    assert preview.state.files == good  # the last good pages are still served
    replace(site / ARTICLE, "[this](no-such-article.md)", "[this](carbon-aware-cloud-basics.md)")
    assert not [d for d in save(preview, site, ARTICLE) if d.is_error]
    assert_equals_clean(preview, site, tmp_path / "clean")


@pytest.mark.parametrize("kind", ["new file", "deleted file", "temporary file"])
def test_files_that_come_and_go(tmp_path: Path, kind: str) -> None:
    site, preview = start(tmp_path)
    if kind == "new file":
        rel = "content/articles/extra.md"
        (site / rel).write_text("---\ntitle: Extra\ndate: 2026-02-02\nauthors: [priya-raman]\nthemes: [finops]\n"
                                "type: report\n---\n\nBody.\n")
        expected = "full"
    elif kind == "deleted file":
        rel = "content/articles/extra.md"
        (site / rel).write_text("---\ntitle: Extra\ndate: 2026-02-02\nauthors: [priya-raman]\nthemes: [finops]\n"
                                "type: report\n---\n\nBody.\n")
        assert not [d for d in save(preview, site, rel) if d.is_error]
        (site / rel).unlink()
        expected = "full"
    else:  # an editor's temporary file, already renamed over the article
        rel = "content/articles/cloud-unit-cost-model.md.tmp-123"
        replace(site / ARTICLE, "Total cloud spend", "Total cloud outlay")
        assert not [d for d in preview.rebuild({str(site / rel), str(site / ARTICLE)}) if d.is_error]
        assert preview.last_mode == "bodies"
        assert_equals_clean(preview, site, tmp_path / "clean")
        return
    assert not [d for d in save(preview, site, rel) if d.is_error]
    assert preview.last_mode == expected
    assert_equals_clean(preview, site, tmp_path / "clean")


def test_time_passing_a_publication_date_takes_the_full_path(tmp_path: Path) -> None:
    site, preview = start(tmp_path)
    (site / "content/articles/scheduled.md").write_text(
        "---\ntitle: Scheduled Piece\ndate: 2026-11-25\nauthors: [priya-raman]\nthemes: [finops]\n"
        "type: report\n---\n\nOut on the 25th.\n")
    assert not [d for d in save(preview, site, "content/articles/scheduled.md") if d.is_error]
    assert "articles/scheduled/index.html" not in preview.state.files
    later = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
    preview.options = BuildOptions(site=site, now=later, jobs=1)
    replace(site / ARTICLE, "Total cloud spend", "Total cloud outlay")
    assert not [d for d in save(preview, site, ARTICLE) if d.is_error]
    assert preview.last_mode == "full"
    assert "articles/scheduled/index.html" in preview.state.files
    assert_equals_clean(preview, site, tmp_path / "clean", now=later)


def test_the_parse_cache_keeps_one_entry_per_file(tmp_path: Path) -> None:
    """A day of saves must not pile up every version of every file in the server's memory."""
    site, preview = start(tmp_path)
    files = len(list((site / "content").rglob("*.md")))
    assert len(preview.parse_cache) == files
    for n in range(5):
        append(site / ARTICLE, f"\nLine {n}.\n")
        save(preview, site, ARTICLE)
        replace(site / ARTICLE, "title: ", f"title: V{n} ")  # a front-matter edit: the full path
        save(preview, site, ARTICLE)
    assert preview.last_mode == "full"
    assert len(preview.parse_cache) == files
