"""check(): every problem a build would report, and nothing written to disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.helpers import all_files, article, run_build
from themehub.check import check


def test_check_of_a_clean_site_is_empty_and_writes_nothing(site: Callable[..., Path]) -> None:
    root = site()
    before = all_files(root)
    assert [d for d in check(root) if d.is_error] == []
    assert all_files(root) == before


def test_check_reports_what_build_reports_including_links(site: Callable[..., Path]) -> None:
    root = site({
        "content/articles/a.md": article("A", themes="[clod]"),
        "content/articles/b.md": article("B", body="[gone](nope.md) and ![](/images/logo.svg)"),
    })
    before = all_files(root)
    found = [(d.file, d.line, d.code) for d in check(root)]
    assert ("content/articles/a.md", 5, "unknown-theme") in found
    assert all_files(root) == before
    # the graph error stops the build before rendering; once it is fixed, build finds the link problems check found
    (root / "content/articles/a.md").write_text(article("A"))
    found = [(d.file, d.line, d.col, d.code) for d in check(root) if d.code != "missing-summary"]
    # in the order of the file: the image's alt text (col 1), the link's target (col 8)
    assert [f for f in found if f[0] == "content/articles/b.md"] == [
        ("content/articles/b.md", 8, 1, "missing-alt"), ("content/articles/b.md", 8, 8, "broken-link")]
    built = [(d.file, d.line, d.col, d.code) for d in run_build(root).diagnostics]
    assert set(built) <= set(found)


def test_check_with_drafts(site: Callable[..., Path]) -> None:
    root = site({"content/articles/d.md": article("D", extra="draft: true", body="[x](missing.md)")})
    links = lambda ds: [(d.file, d.code) for d in ds if d.file == "content/articles/d.md"  # noqa: E731
                        and d.code != "missing-summary"]
    assert links(check(root)) == []  # a draft is not published, so its links do not matter yet
    assert links(check(root, drafts=True)) == [("content/articles/d.md", "broken-link")]


def test_check_without_config(tmp_path: Path) -> None:
    assert [d.code for d in check(tmp_path)] == ["no-config"]
