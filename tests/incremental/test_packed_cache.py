"""Rendered markdown is kept in one packed file, .themehub-cache/markdown.jsonl: new bodies are
appended, stale ones dropped when most of the file is stale, and a damaged line is a miss. A body
read back from it says what it said when it was converted (its warnings included)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import article, codes, make_site, run_build

from themehub.incremental.records import PackedRecords

A = "content/articles/brackets.md"


def test_records_survive_a_torn_last_line_and_later_appends(tmp_path: Path) -> None:
    path = tmp_path / "pack.jsonl"
    first = PackedRecords(path)
    first.put("aa", {"n": 1})
    first.put("bb", {"n": 2})
    first.save()
    with path.open("a") as f:
        f.write('{"key": "cc", "n": 3, "cut sh')  # a build killed while appending
    second = PackedRecords(path)
    assert second.get("cc") is None and second.corrupt == 1
    second.put("dd", {"n": 4})
    second.save()
    third = PackedRecords(path)
    assert [third.get(k) for k in ("aa", "bb", "dd")] == [{"key": "aa", "n": 1}, {"key": "bb", "n": 2},
                                                          {"key": "dd", "n": 4}]


def test_a_record_holding_unicode_line_breaks_comes_back(tmp_path: Path) -> None:
    """json.dumps writes U+2028, U+2029 and U+0085 as they are: a record is one line of the file
    only when lines are split on newlines alone (splitting the text on every Unicode line break made
    such a body a miss on every build)."""
    path = tmp_path / "pack.jsonl"
    text = "a\u2028b\u2029c\x85d\x0be\x0cf\u00e9"
    first = PackedRecords(path)
    first.put("aa", {"html": text})
    first.put("bb", {"html": "plain"})
    first.save()
    again = PackedRecords(path)
    assert again.get("aa") == {"key": "aa", "html": text}
    assert again.get("bb") == {"key": "bb", "html": "plain"}
    assert again.corrupt == 0


def test_a_mostly_stale_file_is_rewritten_with_what_was_used(tmp_path: Path) -> None:
    path = tmp_path / "pack.jsonl"
    pack = PackedRecords(path)
    for n in range(200):
        pack.put(f"k{n:03}", {"n": n})
    pack.save()
    again = PackedRecords(path)
    assert again.get("k007") == {"key": "k007", "n": 7}
    again.put("new", {"n": -1})
    again.save()
    assert [line[9:13] for line in path.read_text().splitlines()] == ["k007", "new\""]
    # Few stale lines: appended, nothing dropped.
    small = PackedRecords(path)
    small.put("more", {"n": 5})
    small.save()
    assert len(path.read_text().splitlines()) == 3


def test_a_cached_body_keeps_its_warnings(tmp_path: Path) -> None:
    body = "Many brackets: " + "[x " * 300 + "\n"
    site = make_site(tmp_path / "hub", {A: article("Brackets", body=body)})
    cold = run_build(site)
    warm = run_build(site)
    assert cold.ok and warm.ok
    assert "markdown-too-complex" in codes(cold.diagnostics)
    assert codes(warm.diagnostics) == codes(cold.diagnostics)
    assert (site / ".themehub-cache/markdown.jsonl").is_file()
    assert not (site / ".themehub-cache/markdown").exists()
