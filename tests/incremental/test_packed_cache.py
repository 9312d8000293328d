"""Rendered markdown is kept in one packed file, .themehub-cache/markdown.jsonl: new bodies are
appended, stale ones dropped when most of the file is stale, and a damaged line is a miss. A body
read back from it says what it said when it was converted (its warnings included)."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

from tests.helpers import article, codes, make_site, run_build

from themehub.content.model import Item
from themehub.incremental.records import DiskMarkdownCache, PackedRecords
from themehub.render import bodies as bodies_module
from themehub.render.bodies import markdown_key
from themehub.render.markdown import Heading, MarkdownSettings, RenderedBody

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


TEXTS = ["", "one line", "two\nlines\r\nand a CR\r", "\u2028 \u2029 \x85 \x00 \\n \"quoted\"",
         "\U0001f600 \u4e2d\u6587 \u0639\u0631\u0628\u064a", "\ud800 a lone surrogate", "\n\n\n"]


def test_a_long_text_kept_as_a_records_tail_comes_back_exactly(tmp_path: Path) -> None:
    """A record's long text (a body, a page's HTML) is stored after the JSON, its newlines written as
    0xFF: what comes back must be the very text, whatever it holds, and the rest of the record too."""
    path = tmp_path / "pack.jsonl"
    pack = PackedRecords(path)
    for n, text in enumerate(TEXTS):
        pack.put(f"k{n}", {"n": n, "text": text, "after": [1, "x"]}, tail="text")
    pack.put("plain", {"text": "no tail"})
    pack.save()
    assert path.read_bytes().count(b"\n") == len(TEXTS) + 1  # one line each, whatever the texts hold
    again = PackedRecords(path)
    for n, text in enumerate(TEXTS):
        assert again.get(f"k{n}") == {"key": f"k{n}", "n": n, "text": text, "after": [1, "x"]}
    assert again.get("plain") == {"key": "plain", "text": "no tail"}
    assert again.corrupt == 0


def test_a_tail_cut_short_or_without_its_size_is_a_miss(tmp_path: Path) -> None:
    path = tmp_path / "pack.jsonl"
    pack = PackedRecords(path)
    pack.put("whole", {"text": "a body\nof two lines"}, tail="text")
    pack.save()
    line = path.read_bytes().rstrip(b"\n")
    head, tail = line.split(b"\xfe")
    damaged = [line.replace(b'"whole"', b'"short"')[:-3],  # a build killed while appending
               line.replace(b'"whole"', b'"long"') + b"xyz",
               head.replace(b'"whole"', b'"nosize"').replace(b', "@tail": ["text", 19]', b"") + b"\xfe" + tail,
               head.replace(b'"whole"', b'"notail"')]
    assert b"@tail" not in damaged[2] and b"@tail" in damaged[3]
    path.write_bytes(b"\n".join([line, *damaged]) + b"\n")
    again = PackedRecords(path)
    assert again.get("whole") == {"key": "whole", "text": "a body\nof two lines"}
    assert [again.get(key) for key in ("short", "long", "nosize", "notail")] == [None] * 4
    assert again.corrupt == 4


def _saved(path: Path, prefix: str, count: int = 200) -> None:
    """`count` records keyed `<prefix>000`, `<prefix>001`... appended to the file at `path`."""
    pack = PackedRecords(path)
    for n in range(count):
        pack.put(f"{prefix}{n:03}", {"n": n})
    pack.save()


def test_a_mostly_stale_file_is_rewritten_with_what_was_used(tmp_path: Path) -> None:
    path = tmp_path / "pack.jsonl"
    _saved(path, "k")
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


def test_a_file_left_half_stale_by_new_keys_is_rewritten_by_the_next_save(tmp_path: Path) -> None:
    """Every key changed at once (a markdown setting, the renderer): the new records are appended, and the
    file is half stale. The next build that writes anything drops the stale half, which every build
    would otherwise read into memory."""
    path = tmp_path / "pack.jsonl"
    _saved(path, "old")
    _saved(path, "new")
    assert len(path.read_bytes().splitlines()) == 400
    later = PackedRecords(path)
    assert all(later.get(f"new{n:03}") == {"key": f"new{n:03}", "n": n} for n in range(200))
    later.put("new200", {"n": 200})
    later.save()
    lines = path.read_bytes().splitlines()
    assert len(lines) == 201 and not any(line.startswith(b'{"key": "old') for line in lines)


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


def test_a_body_is_keyed_by_its_body_digest_or_else_by_its_text() -> None:
    # A body read from a file has its digest made when the file was read, so a rebuild does not hash
    # every body again; a body made in memory (no digest) is keyed by its text. The file's digest is
    # not the key: a title edit changes it and leaves the body, and its HTML, as they were.
    settings = MarkdownSettings(raw_html="escape", base_path="/insights/")
    one = Item(slug="a", source=A, body="Hello", body_line=5, digest="f1", body_digest="d1")
    assert markdown_key(settings, one) == markdown_key(settings, replace(one, body_line=9))
    assert markdown_key(settings, one) == markdown_key(settings, replace(one, digest="f2", meta_digest="m2"))
    assert markdown_key(settings, one) != markdown_key(settings, replace(one, body_digest="d2"))
    assert markdown_key(settings, one) != markdown_key(settings, replace(one, source="content/articles/b.md"))
    assert markdown_key(settings, one) != markdown_key(replace(settings, base_path="/"), one)
    loose = replace(one, body_digest="")
    assert markdown_key(settings, loose) != markdown_key(settings, replace(loose, body="Hello!"))
    # The text "d\0d1" written as a body is not the body whose digest is d1.
    assert markdown_key(settings, replace(loose, body="d\0d1")) != markdown_key(settings, one)


def test_a_cached_body_is_read_whole_but_its_html_only_when_used(tmp_path: Path) -> None:
    path = tmp_path / "markdown.jsonl"
    body = RenderedBody('<h2 id="a">A "quoted", "html": title</h2>\n<p>x\u2028y</p>', (Heading(2, "a", "A"),),
                        ("pic.png",), ("javascript:x",), 1, "", frozenset({"a"}))
    first = DiskMarkdownCache(path)
    first["k1"] = body
    first.save()
    again = DiskMarkdownCache(path)
    assert "k1" in again and "k2" not in again
    found = again["k1"]
    assert isinstance(found.content, bytes)  # the ids and warnings are read, the HTML not yet
    assert found.ids == {"a"} and found.images_without_alt == ("pic.png",) and found.defused == 1
    assert found.html == body.html and found == body
    assert found.content == body.html  # decoded once, then kept


def test_a_cached_body_whose_html_does_not_decode_is_made_again(tmp_path: Path) -> None:
    # A record whose fields read whole but whose HTML is not UTF-8 is found only when its HTML is used:
    # the build drops the file of records and starts again; the site is a clean build's.
    site = make_site(tmp_path / "hub", {A: article("Brackets", body="See [the other](other.md).\n"),
                                        "content/articles/other.md": article("Other", body="Hello.\n")})
    assert run_build(site).ok
    pack = site / ".themehub-cache/markdown.jsonl"
    lines = pack.read_bytes().split(b"\n")[:-1]
    assert lines and all(line.count(b"\xfe") == 1 for line in lines)  # the HTML is each line's tail
    # The HTML's last byte replaced by a UTF-8 lead byte with nothing after it: the same size, not UTF-8.
    pack.write_bytes(b"\n".join(line[:-1] + b"\xc3" for line in lines) + b"\n")
    (site / ".themehub-cache/links.jsonl").unlink()  # the resolutions are made again: they read the HTML
    result = run_build(site)
    assert result.ok, result.diagnostics
    for line in pack.read_bytes().split(b"\n")[:-1]:  # the damaged records are gone
        line.split(b"\xfe")[1].replace(b"\xff", b"\n").decode("utf-8")
    assert 'href="/insights/articles/other/"' in (site / "site/articles/brackets/index.html").read_text(encoding="utf-8")
    assert run_build(site).ok


def test_the_renderer_version_covers_every_module_of_render_the_converter_is_made_of() -> None:
    """A cached body is used while the converter's code is what it was: the key hashes the files of the
    converter's modules in render/ (read, not imported), so an edit of any of them converts again: the
    bracket limit (rendered_body.py) and the ids a body keeps (links.py) included, which it missed."""
    render = Path(bodies_module.__file__ or "").parent
    source = ast.parse((render / "markdown.py").read_text(encoding="utf-8"))
    imported = {node.module.rsplit(".", 1)[1] + ".py" for node in ast.walk(source)
                if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("themehub.render.")}
    shaping = (imported - {"pool.py"}) | {"markdown.py"}  # the pool runs the converter, it shapes nothing
    assert "rendered_body.py" in shaping
    assert sorted(shaping - set(bodies_module.CONVERTER_FILES)) == []
