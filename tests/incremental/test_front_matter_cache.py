"""Parsed front matter is kept in .themehub-cache/front-matter.jsonl: a rebuild parses the YAML of
changed files only, and every value (dates, times with offsets, nested mappings) comes back as parsed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.helpers import copy_sample, replace, tree

from themehub.build import BuildOptions, build
from themehub.cache import FrontMatterCache
from themehub.content import loader
from themehub.content.frontmatter import load_yaml

NOW = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


def run(site: Path, out: Path | None = None, cache: bool = True) -> dict[str, bytes]:
    result = build(BuildOptions(site=site, out=out, now=NOW, jobs=1, cache=cache, search=False))
    assert result.ok, result.diagnostics
    return {k: v for k, v in tree(out or site / "site").items() if k != ".themehub-output"}


def test_a_rebuild_parses_only_the_changed_front_matter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_sample(tmp_path / "hub")
    run(site)
    replace(site / "content/articles/cloud-unit-cost-model.md", "title: ", "title: Revised ")
    parsed: list[str] = []

    def counting(text: str, file: str, line_offset: int = 0):  # type: ignore[no-untyped-def]
        parsed.append(file)
        return load_yaml(text, file, line_offset)

    monkeypatch.setattr(loader, "load_yaml", counting)
    served = run(site)
    assert parsed == ["content/articles/cloud-unit-cost-model.md"]
    monkeypatch.undo()
    assert served == run(site, tmp_path / "clean", cache=False)


def test_values_come_back_as_they_were_parsed(tmp_path: Path) -> None:
    text = ("title: m\ndate: 2026-03-14\nat: 2026-03-14 09:30:00 +02:00\nnaive: 2026-03-14T09:30:00.125\n"
            "n: 3\nx: 2.5\nyes_no: yes\nflag: true\nnothing: null\nlist: [a, 1, {m: 2, t: x, d: y}]\n"
            "nested:\n  m: {t: 2026-01-01}\n")
    doc, problems = load_yaml(text, "content/articles/a.md", line_offset=1)
    assert problems == [] and doc is not None
    store = FrontMatterCache(tmp_path / "fm.jsonl")
    store.put(text, doc)
    store.save()
    again = FrontMatterCache(tmp_path / "fm.jsonl").get(text)
    assert again == doc
    assert again is not None and type(again.data["at"]) is dt.datetime and type(again.data["date"]) is dt.date
    assert again.data["at"].utcoffset() == dt.timedelta(hours=2)
    assert FrontMatterCache(tmp_path / "fm.jsonl").get(text + "other: 1\n") is None
