"""Parsed front matter is kept in .themehub-cache/front-matter.jsonl: a rebuild parses the YAML of
changed files only, and every value (dates, times with offsets, nested mappings) comes back as parsed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.helpers import copy_sample, replace, tree

from themehub.build import BuildOptions, build
from themehub.content import loader
from themehub.incremental.records import FrontMatterCache
from themehub.source.frontmatter import load_yaml

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


def test_texts_as_written_and_notes_come_back_too(tmp_path: Path) -> None:
    text = ("title: 3.10\ncolor: #0f766e\ntags: [1_000, true]\nwhen: 2024-01-05\nnone: ~\n"
            "links:\n  x: a\n  x: b\nfirst: &a v\nsecond: *a\n")
    doc, problems = load_yaml(text, "content/themes/t.md", line_offset=1)
    assert doc is not None and doc.sources and doc.notes and doc.dropped
    store = FrontMatterCache(tmp_path / "fm.jsonl")
    store.put(text, doc)
    store.save()
    again = FrontMatterCache(tmp_path / "fm.jsonl").get(text)
    assert again == doc
    assert again is not None and again.diagnostics("content/themes/t.md") == problems
    assert again.source("tags", 0) == "1_000" and again.dropped == frozenset({("second",)})


def test_a_record_of_the_old_shape_is_a_miss_not_a_document_without_its_texts(tmp_path: Path) -> None:
    text = "title: 3.10\n"
    doc, _ = load_yaml(text, "a.md")
    assert doc is not None
    store = FrontMatterCache(tmp_path / "fm.jsonl")
    store.put(text, doc)
    record, tail = store.records.new[store._key(text)]
    # What the cache wrote before source texts were kept: the same key, no shape, no texts.
    store.records.new[store._key(text)] = ({k: record[k] for k in ("data", "positions", "keys", "offset")}, tail)
    store.save()
    old = FrontMatterCache(tmp_path / "fm.jsonl")
    assert old.get(text) is None
    assert old.records.corrupt == 0  # a miss, parsed again, not damage
