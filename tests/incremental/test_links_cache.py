"""Resolved links are kept in .themehub-cache/links.jsonl: a rebuild resolves the links of changed bodies
only (or of every body, when the link table changed), and the site is the bytes of a clean build."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.helpers import copy_sample, in_one_language, replace, tree

from themehub.build import BuildOptions, build
from themehub.render.links import LinkTable, ResolvedBody

NOW = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
EDITED = "content/articles/cloud-unit-cost-model.md"


def run(site: Path, out: Path | None = None, cache: bool = True) -> dict[str, bytes]:
    result = build(BuildOptions(site=site, out=out, now=NOW, jobs=1, cache=cache, search=False))
    assert result.ok, result.diagnostics
    return {k: v for k, v in tree(out or site / "site").items() if k != ".themehub-output"}


def counting_resolutions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    resolved: list[str] = []
    original = LinkTable.resolve

    def counting(self: LinkTable, html: str, owner: str) -> ResolvedBody:
        resolved.append(owner)
        return original(self, html, owner)

    monkeypatch.setattr(LinkTable, "resolve", counting)
    return resolved


def test_a_rebuild_resolves_the_links_of_the_edited_body_only(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    site = in_one_language(copy_sample(tmp_path / "hub"))
    run(site)
    replace(site / EDITED, "Total cloud spend", "Total cloud spending")
    resolved = counting_resolutions(monkeypatch)
    rebuilt = run(site)
    assert resolved == [EDITED]
    monkeypatch.undo()
    assert rebuilt == run(site, tmp_path / "clean", cache=False)


def test_a_new_heading_changes_the_link_table_and_every_body_is_resolved_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = in_one_language(copy_sample(tmp_path / "hub"))
    run(site)
    with (site / EDITED).open("a", encoding="utf-8") as handle:
        handle.write("\n## A new section\n\nOther bodies may link to it.\n")
    resolved = counting_resolutions(monkeypatch)
    rebuilt = run(site)
    assert EDITED in resolved and len(resolved) > 10  # every body: its links may name the new id
    monkeypatch.undo()
    assert rebuilt == run(site, tmp_path / "clean", cache=False)


def test_a_damaged_record_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = in_one_language(copy_sample(tmp_path / "hub"))
    run(site)
    kept = site / ".themehub-cache" / "links.jsonl"
    lines = kept.read_bytes().split(b"\n")[:-1]  # bytes, split on newlines only: the HTML is a tail (records.py)
    assert len(lines) > 10
    # Every record's shape broken but its key kept: each is read, refused, and resolved again.
    kept.write_bytes(b"".join(line.replace(b'"problems": [', b'"problems": 7, "x": [', 1) + b"\n" for line in lines))
    resolved = counting_resolutions(monkeypatch)
    rebuilt = run(site)
    assert len(resolved) == len(lines)
    monkeypatch.undo()
    assert rebuilt == run(site, tmp_path / "clean", cache=False)
