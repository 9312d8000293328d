"""A build keeps each content file's parsed item in `.themehub-cache/items.jsonl` (incremental/items.py):
the next build reads only the files whose size, mtime or inode changed. What it keeps must come back
equal, and a record that does not fit, or a file replaced behind the same size and mtime, is read again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.helpers import MINI_NOW, article, copy_sample, make_site, replace, run_build, tree
from tests.incremental.test_body_only_proof import NOW, assert_clean

from themehub.build import BuildOptions, BuildResult, build
from themehub.check import check
from themehub.config import load_config
from themehub.content import loader, placeholders
from themehub.content.loader import load_content
from themehub.incremental.items import decode, encode

ARTICLE = "content/articles/cloud-unit-cost-model.md"


def counted_build(site: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[BuildResult, list[str]]:
    parsed: list[str] = []
    real = loader.parse_file

    def parse_file(source, text, config, documents=None):  # type: ignore[no-untyped-def]
        parsed.append(source.rel)
        return real(source, text, config, documents)

    monkeypatch.setattr(loader, "parse_file", parse_file)
    result = build(BuildOptions(site=site, now=NOW, jobs=1, search=False))
    assert result.ok, result.diagnostics
    return result, parsed


def test_every_kind_of_item_comes_back_equal(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    config, _ = load_config(site.resolve())
    assert config is not None
    content, _ = load_content(config)
    kinds = {type(item).__name__ for item in content.items()}
    assert {"Article", "Theme", "Author", "Service", "Page", "Track", "Event"} <= kinds
    for item in content.items():
        again = decode(json.loads(json.dumps(encode(item))))
        assert type(again) is type(item) and again == item, item.source


def test_a_rebuild_reads_only_the_files_that_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_sample(tmp_path / "hub")
    _, parsed = counted_build(site, monkeypatch)
    assert len(parsed) > 30
    _, parsed = counted_build(site, monkeypatch)
    assert parsed == []
    replace(site / ARTICLE, "title: ", "title: Revised ")
    _, parsed = counted_build(site, monkeypatch)
    assert parsed == [ARTICLE]
    assert "Revised" in (site / "site/articles/cloud-unit-cost-model/index.html").read_text(encoding="utf-8")
    assert_clean(site, tmp_path / "clean")


def test_a_file_replaced_with_the_same_size_and_mtime_is_read_again(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_sample(tmp_path / "hub")
    counted_build(site, monkeypatch)
    path = site / ARTICLE
    text = path.read_text(encoding="utf-8")
    edited = text.replace("title: A Unit", "title: B Unit", 1)
    assert len(edited) == len(text) and edited != text
    before = path.stat()
    fresh = path.with_name(".swap.md.tmp")  # an editor's save: a new file renamed over the old one
    fresh.write_text(edited, encoding="utf-8")
    os.utime(fresh, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(fresh, path)
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    _, parsed = counted_build(site, monkeypatch)
    assert parsed == [ARTICLE]
    assert "B Unit" in (site / "site/articles/cloud-unit-cost-model/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("forgery", ["cut-short", "another-type", "unknown-field", "another-file", "wrong-type",
                                     "wrong-nested-type", "another-kind"])
def test_a_record_that_does_not_fit_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  forgery: str) -> None:
    site = copy_sample(tmp_path / "hub")
    counted_build(site, monkeypatch)
    records = site / ".themehub-cache/items.jsonl"
    damaged = []
    theme = next(json.loads(line.split(b"\xfe")[0])["item"] for line in records.read_bytes().split(b"\n")
                 if b'"@": "Theme"' in line.split(b"\xfe")[0])
    for line in records.read_bytes().split(b"\n")[:-1]:
        head, tail = line.split(b"\xfe")  # the body is the line's tail (incremental/records.py)
        record = json.loads(head)
        item = record["item"]
        if item is None or item.get("source") != ARTICLE:
            damaged.append(line)
            continue
        if forgery == "cut-short":  # a build killed while appending: the line ends inside the body
            assert len(line) // 2 > len(head)
            damaged.append(line[: len(line) // 2])
            continue
        if forgery == "another-type":
            item["@"] = "Path"  # only the content model's own types are ever made
        elif forgery == "unknown-field":
            item["__class__"] = "x"
        elif forgery == "wrong-type":
            item["title"] = ["not", "a", "title"]
        elif forgery == "wrong-nested-type":
            item["themes"][0]["line"] = "one"
        elif forgery == "another-kind":  # a whole, valid theme, said to be the article's file
            record["item"] = {**theme, "source": ARTICLE}
        else:
            item["source"] = "content/articles/another.md"
        damaged.append(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\xfe" + tail)
    records.write_bytes(b"\n".join(damaged) + b"\n")
    _, parsed = counted_build(site, monkeypatch)
    assert parsed == [ARTICLE]
    built = tree(site / "site")
    assert b"A Unit-Cost Model for Cloud Spend" in built["articles/cloud-unit-cost-model/index.html"]


def test_a_placeholder_left_in_a_body_is_reported_from_the_cached_item_too(tmp_path: Path) -> None:
    # What a body still holds of `themehub new`'s text is found when the file is read and kept with
    # the item: the second build reads the file's item from the cache, and its report says the same.
    body = f"An opening line.\n\n{placeholders.ARTICLE_SECTION}\n"
    site = make_site(tmp_path / "hub", {"content/articles/unfinished.md": article("Unfinished", body=body)})
    found = [d for d in check(site, now=MINI_NOW) if d.code == "placeholder-text"]
    assert [(d.file, d.line) for d in found] == [("content/articles/unfinished.md", 10)]
    report = site / "site/report/index.html"
    shown = []
    for _ in range(2):
        assert run_build(site).ok
        shown.append(report.read_text(encoding="utf-8"))
    assert shown[0] == shown[1] and "<strong>1</strong> × <code>placeholder-text</code>" in shown[1]
    replace(site / "content/articles/unfinished.md", placeholders.ARTICLE_SECTION, "Our own words.")
    assert run_build(site).ok
    assert "placeholder-text" not in report.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article_record(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample article's item record, as JSON text (each test decodes its own copy)."""
    config, _ = load_config(copy_sample(tmp_path_factory.mktemp("sample") / "hub").resolve())
    assert config is not None
    content, _ = load_content(config)
    return json.dumps(encode(next(i for i in content.items() if i.source == ARTICLE)))


@pytest.mark.parametrize(("field", "value"), [
    ("body_line", True),                      # a bool where an int belongs
    ("draft", 1),                             # an int where a bool belongs
    ("title", None),                          # None where a text belongs
    ("positions", [["title", 2]]),            # a tuple of the wrong length
    ("positions", [["title", 2, "8"]]),       # a text inside it where an int belongs
    ("positions", [["title", 2, 8, 9]]),      # a tuple too long
    ("positions", [[2, 2, 8]]),               # a number where the field's name belongs
    ("positions", [("title", 2, 8)]),         # not a JSON list (only json.loads' lists fit)
    ("slug", 7),                              # a number where a text belongs
    ("nonsense", "x"),                        # a field the model does not have
    ("tags", "cloud"),                        # a text where a list of texts belongs
    ("tags", ["cloud", 3]),                   # a number among the texts
    ("date", {"d": "2026-01-05"}),            # a date where a datetime belongs
    ("date", "2026-01-05T00:00:00+00:00"),    # a datetime not tagged as one
    ("updated", {"t": "not a date"}),
    ("authors", [{"@": "Theme", "slug": "x"}]),  # another content type where a reference belongs
    ("authors", [{"slug": "x", "line": 1, "col": 1}]),  # a reference without its type
    ("placeholders", ["fine", None]),
])
def test_an_item_field_that_does_not_fit_its_type_is_refused(article_record: str, field: str, value: object) -> None:
    record = json.loads(article_record)
    assert decode(record) is not None  # the untouched record decodes
    record[field] = value
    with pytest.raises((TypeError, ValueError, KeyError)):
        decode(record)


def test_optional_fields_take_none_and_a_record_without_its_defaults_decodes(article_record: str) -> None:
    record = json.loads(article_record)
    record["updated"] = None
    record["placeholders"] = None
    for defaulted in ("featured", "image_focus", "expires", "review_by"):
        del record[defaulted]
    item = decode(record)
    assert item.updated is None and item.placeholders is None and item.featured is False
