"""Front matter: splitting a file, safe YAML with positions, and the loader's decoding (BOM, CRLF)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import article, codes, make_site
from themehub.config import load_config
from themehub.content.loader import load_content
from themehub.source.files import read_text
from themehub.source.frontmatter import load_yaml, split_front_matter

# ------------------------------------------------------------------------------------ splitting


def test_split_separates_front_matter_and_body_and_knows_the_body_line() -> None:
    text = "---\ntitle: Hello\ndate: 2026-01-05\n---\n\nFirst paragraph.\n"
    split, problems = split_front_matter(text, "content/articles/a.md")
    assert problems == []
    assert split is not None
    assert split.front_matter == "title: Hello\ndate: 2026-01-05\n"
    assert split.body == "\nFirst paragraph.\n"
    assert split.body_line == 5  # the empty line after the closing ---


def test_split_keeps_a_horizontal_rule_in_the_body() -> None:
    text = "---\ntitle: Hello\n---\nAbove\n\n---\n\nBelow\n"
    split, _ = split_front_matter(text, "a.md")
    assert split is not None
    assert split.front_matter == "title: Hello\n"
    assert split.body == "Above\n\n---\n\nBelow\n"


@given(body=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00")))
def test_split_returns_any_body_unchanged(body: str) -> None:
    split, problems = split_front_matter("---\ntitle: x\n---\n" + body, "a.md")
    assert problems == []
    assert split is not None
    assert split.front_matter == "title: x\n"
    assert split.body == body
    assert split.body_line == 4


def test_unclosed_front_matter_is_an_error_on_line_1() -> None:
    split, problems = split_front_matter("---\ntitle: Hello\n\nNo closing line.\n", "content/articles/a.md")
    assert split is None
    assert [(d.file, d.line, d.code, d.severity) for d in problems] == [
        ("content/articles/a.md", 1, "unclosed-front-matter", "error")
    ]
    assert "---" in problems[0].hint


def test_a_file_without_front_matter_is_an_error() -> None:
    split, problems = split_front_matter("# Just markdown\n", "a.md")
    assert split is None
    assert codes(problems) == ["no-front-matter"]


def test_an_empty_file_is_an_error() -> None:
    split, problems = split_front_matter("\n  \n", "a.md")
    assert split is None
    assert codes(problems) == ["empty-file"]


# ------------------------------------------------------------------------------------------ YAML


def test_values_and_their_positions() -> None:
    doc, problems = load_yaml("title: Hello\nthemes: [cloud, finops]\n", "a.md", line_offset=1)
    assert problems == []
    assert doc is not None
    assert doc.data == {"title": "Hello", "themes": ["cloud", "finops"]}
    # line_offset=1: the YAML starts on line 2 of the file, after the opening ---
    assert doc.pos("title") == (2, 8)
    assert doc.pos("themes", 1) == (3, 17)


def test_yaml_syntax_error_points_at_the_line_of_the_file() -> None:
    # Line 3 of the file (line 2 of the YAML) has a second ': ' in a plain value.
    doc, problems = load_yaml("title: ok\nsummary: a: b\n", "content/articles/a.md", line_offset=1)
    assert doc is None
    assert len(problems) == 1
    d = problems[0]
    assert (d.file, d.line, d.col, d.code, d.severity) == ("content/articles/a.md", 3, 11, "yaml-syntax", "error")
    assert "quote" in d.hint


@pytest.mark.parametrize(("line", "fixed", "title"), [
    ('title: "Churn" in practice', """title: '"Churn" in practice'""", '"Churn" in practice'),
    ("""title: "Don't" say 'never'""", """title: '"Don''t" say ''never'''""", """"Don't" say 'never'"""),
])
def test_words_after_a_quoted_phrase_get_the_line_as_it_should_be(line: str, fixed: str, title: str) -> None:
    _, problems = load_yaml(f"{line}\ndate: 2026-01-05\n", "content/articles/a.md", line_offset=1)
    assert [(d.line, d.code) for d in problems] == [(2, "yaml-syntax")]
    assert problems[0].hint.endswith(f"single quotes, {fixed}")
    doc, problems = load_yaml(f"{fixed}\ndate: 2026-01-05\n", "content/articles/a.md")  # the hint's line reads
    assert problems == [] and doc is not None and doc.data["title"] == title


def test_a_quoted_value_followed_by_a_comment_gets_no_such_hint() -> None:
    _, problems = load_yaml('title: "ok" # fine\nsummary: a: b\n', "content/articles/a.md")
    assert [d.line for d in problems] == [2] and "closing quote" not in problems[0].hint


def test_yaml_syntax_error_line_in_a_built_site(tmp_path: Path) -> None:
    from themehub.build import BuildOptions, build

    site = make_site(tmp_path / "s", {
        "content/articles/broken.md": "---\ntitle: Broken\ndate: 2026-01-05\nsummary: one: two\n---\nBody\n",
    })
    result = build(BuildOptions(site=site, jobs=1))
    assert not result.ok
    located = [(d.file, d.line, d.code) for d in result.diagnostics if d.is_error]
    assert located == [("content/articles/broken.md", 4, "yaml-syntax")]


def test_duplicate_keys_are_an_error_naming_both_lines_and_the_first_is_kept() -> None:
    doc, problems = load_yaml("title: One\ndate: 2026-01-05\ntitle: Two\n", "a.md", line_offset=1)
    assert [(d.line, d.col, d.code, d.severity) for d in problems] == [(4, 1, "duplicate-key", "error")]
    assert "'title'" in problems[0].message
    assert problems[0].hint == "the first 'title' (line 2) is used; remove one of them"
    # The document is still read: one mistake, one diagnostic, not a lost item.
    assert doc is not None
    assert doc.data == {"title": "One", "date": dt.date(2026, 1, 5)}
    assert doc.pos("title") == (2, 8)
    assert doc.key_positions["title"] == (2, 1)


def test_a_duplicate_key_in_a_nested_mapping_keeps_the_rest() -> None:
    text = "name: Ana\nlinks:\n  website: https://a.example/\n  x: https://x.example/\n  website: https://b.example/\n"
    doc, problems = load_yaml(text, "content/authors/ana.md", line_offset=1)
    assert [(d.file, d.line, d.col, d.code) for d in problems] == [("content/authors/ana.md", 6, 3, "duplicate-key")]
    assert "(line 4) is used" in problems[0].hint
    assert doc is not None
    assert doc.data == {"name": "Ana", "links": {"website": "https://a.example/", "x": "https://x.example/"}}
    assert doc.pos("links", "website") == (4, 12)


def test_aliases_are_an_error_at_the_alias_and_the_value_is_left_out() -> None:
    doc, problems = load_yaml("first: &who ana-quinn\nsecond: *who\nthird: x\n", "a.md", line_offset=1)
    assert [(d.line, d.col, d.code) for d in problems] == [(3, 9, "yaml-alias")]
    assert doc is not None
    assert doc.data == {"first": "ana-quinn", "third": "x"}
    assert doc.dropped == frozenset({("second",)})


def test_aliases_of_lists_are_rejected() -> None:
    doc, problems = load_yaml("themes: &t [cloud]\ntags: *t\n", "a.md")
    assert codes(problems) == ["yaml-alias"]
    assert doc is not None and doc.data == {"themes": ["cloud"]}


def test_aliases_in_one_list_are_one_error_at_the_first() -> None:
    doc, problems = load_yaml("a: &x [1]\nb: [keep, *x, *x]\n", "a.md")
    assert [(d.line, d.col, d.code) for d in problems] == [(2, 11, "yaml-alias")]
    assert "2 aliases" in problems[0].hint
    assert doc is not None and doc.data["b"] == ["keep"]


def test_an_alias_to_an_anchor_in_a_left_out_value_is_still_an_alias() -> None:
    # The second `a` is not read, but its anchor is still known: `*x` must not pass as text.
    doc, problems = load_yaml("a: 1\na: &x foo\nb: *x\nc: [*x]\n", "a.md")
    assert [(d.line, d.col, d.code) for d in problems] == [(2, 1, "duplicate-key"), (3, 4, "yaml-alias"),
                                                           (4, 5, "yaml-alias")]
    assert doc is not None and doc.data == {"a": 1, "c": []}


@pytest.mark.parametrize("text", [
    "title: !!python/name:os.system x\n",
    "title: !custom x\n",
    "title: !!python/object/apply:os.system [echo hi]\n",
    "title: !!int '12'\n",
])
def test_explicit_tags_are_rejected(text: str) -> None:
    doc, problems = load_yaml(text + "summary: kept\n", "a.md")
    assert codes(problems) == ["yaml-tag"]
    assert [(d.line, d.col) for d in problems] == [(1, 8)]
    assert doc is not None
    assert doc.data == {"summary": "kept"}, f"tag was accepted, giving {doc.data!r}"
    assert doc.dropped == frozenset({("title",)})


@pytest.mark.parametrize(("text", "col"), [("<<: {summary: s}\n", 1), ("? [a, b]\n: c\n", 3), ("!x k: v\n", 1)])
def test_bad_keys_are_an_error_and_the_rest_is_read(text: str, col: int) -> None:
    doc, problems = load_yaml("title: T\n" + text + "tags: [a]\n", "a.md")
    assert [(d.line, d.col) for d in problems] == [(2, col)]
    assert codes(problems) in (["yaml-bad-key"], ["yaml-tag"])
    assert doc is not None and doc.data == {"title": "T", "tags": ["a"]}


def test_yaml_11_surprises_stay_strings() -> None:
    text = "a: yes\nb: no\nc: on\nd: off\ne: 12:30\nf: 0777\ng: y\nh: 1_000\n"
    doc, problems = load_yaml(text, "a.md")
    assert problems == []
    assert doc is not None
    assert doc.data["a"] == "yes"
    assert doc.data["b"] == "no"
    assert doc.data["c"] == "on"
    assert doc.data["d"] == "off"
    assert doc.data["e"] == "12:30"
    assert doc.data["f"] == "0777"
    assert doc.data["g"] == "y"


def test_plain_booleans_numbers_nulls_and_dates_convert() -> None:
    doc, problems = load_yaml("a: true\nb: False\nc: 20\nd: 1.5\ne: null\nf: ~\ng: 2026-03-14\n"
                              "h: 2026-03-14T10:30:00+01:00\n", "a.md")
    assert problems == []
    assert doc is not None
    assert doc.data == {
        "a": True, "b": False, "c": 20, "d": 1.5, "e": None, "f": None, "g": dt.date(2026, 3, 14),
        "h": dt.datetime(2026, 3, 14, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    }


def test_the_text_as_written_is_kept_beside_every_converted_value() -> None:
    text = ("a: 3.10\nb: 1_000\nc: 2024-01-05\nd: true\ne: TRUE\nf: ~\ng: null\nh: 1.50e3\n"
            "i: 0777\nj: '3.10'\nk: text\nl: [2.0, x, false]\nm: {n: 007}\no:\n")
    doc, problems = load_yaml(text, "a.md")
    assert problems == []
    assert doc is not None
    # Converted as before, for number and boolean fields ...
    assert doc.data["a"] == 3.1 and doc.data["b"] == 1000 and doc.data["d"] is True and doc.data["f"] is None
    assert doc.data["h"] == "1.50e3"  # PyYAML's resolver wants a signed exponent: text, as written
    # ... and as typed, for text.
    assert doc.sources == {("a",): "3.10", ("b",): "1_000", ("c",): "2024-01-05", ("d",): "true", ("e",): "TRUE",
                           ("f",): "~", ("g",): "null", ("l", 0): "2.0", ("l", 2): "false"}
    assert doc.source("a") == "3.10" and doc.source("k") is None and doc.source("m", "n") is None


def test_a_value_lost_to_a_comment_is_a_warning_with_the_fix() -> None:
    doc, problems = load_yaml("title: Green\ncolor: #0f766e\n", "content/themes/green.md", line_offset=1)
    assert doc is not None and doc.data == {"title": "Green", "color": None}
    assert [(d.file, d.line, d.col, d.code, d.severity) for d in problems] == [
        ("content/themes/green.md", 3, 8, "yaml-comment-value", "warning")]
    assert problems[0].message == "`#0f766e` after 'color:' is read as a YAML comment, so 'color' is empty"
    assert problems[0].hint == 'quote it: `color: "#0f766e"`'


@pytest.mark.parametrize(("text", "where", "shown"), [
    ("links:\n  website:   #home  # the old one\n", (2, 14), "#home"),
    ("é日: #x\n", (1, 5), "#x"),
    ("items:\n  - name: #b\n", (2, 11), "#b"),
])
def test_comment_values_anywhere_in_the_mapping(text: str, where: tuple[int, int], shown: str) -> None:
    _, problems = load_yaml(text, "a.md")
    assert [(d.line, d.col, d.code) for d in problems] == [(*where, "yaml-comment-value")]
    assert problems[0].message.startswith(f"`{shown}` after")


@pytest.mark.parametrize("text", [
    'color: "#0f766e"\n',  # quoted: a value
    "color: '#0f766e'\n",
    "color:\n# a comment on its own line\n",  # not on the key's line
    "links: # where to find me\n  website: https://a.example/\n",  # the value is the mapping below
    "tags:\n  - #x\n",  # not a key's value
    "title: C# in practice\n",  # not a comment: '#' after a non-space
    "color: ~ # none yet\n",  # the value is written; the comment follows it
])
def test_no_comment_warning_where_nothing_was_lost(text: str) -> None:
    _, problems = load_yaml(text, "a.md")
    assert problems == []


def test_impossible_dates_stay_text_as_written() -> None:
    # Not a date, so not converted: a date field reports it (below), a text field prints it.
    doc, problems = load_yaml("title: x\ndate: 2026-02-30\n", "a.md", line_offset=1)
    assert problems == []
    assert doc is not None and doc.data["date"] == "2026-02-30"
    assert doc.pos("date") == (3, 7)


@pytest.mark.parametrize("date_line", ["date: 2026-02-30", 'date: "2026-02-30"', "date: next tuesday",
                                       "date: 2026-13-01"])
def test_an_article_with_an_impossible_date_is_an_invalid_date_error(tmp_path: Path, date_line: str) -> None:
    site = make_site(tmp_path / "s", {
        "content/articles/bad-date.md": f"---\ntitle: Bad date\n{date_line}\nauthors: [ana-quinn]\n"
                                         "themes: [cloud]\n---\nBody\n",
    })
    config, _ = load_config(site)
    assert config is not None
    _, diagnostics = load_content(config)
    assert [(d.file, d.line, d.code) for d in diagnostics if d.is_error] == [
        ("content/articles/bad-date.md", 3, "invalid-date")
    ]


PER_VALUE_CODES = {"duplicate-key", "yaml-alias", "yaml-tag", "yaml-bad-key", "yaml-comment-value"}
"""What load_yaml reports while still giving a Document."""


@given(st.one_of(st.text(max_size=200), st.text(alphabet="ab:-[]{}#&*!<>|'\" \n~", max_size=120)))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_load_yaml_never_raises(text: str) -> None:
    doc, problems = load_yaml(text, "a.md")
    if doc is None:
        assert len(problems) == 1 and problems[0].is_error
    else:
        assert {d.code for d in problems} <= PER_VALUE_CODES
        assert doc.diagnostics("a.md") == problems
        for path in doc.dropped:  # a value left out is not in the data
            parent = doc.data
            for part in path[:-1]:
                parent = parent[part]
            assert path[-1] not in parent
    for d in problems:
        assert d.line >= 1 and d.col >= 1


# --------------------------------------------------------------------------------- BOM and CRLF


def test_loader_strips_a_bom_and_normalises_crlf(tmp_path: Path) -> None:
    text = article("Windows Article", body="Line one.\n\nLine two.")
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    site = make_site(tmp_path / "s", {"content/articles/windows.md": raw})
    decoded, problems = read_text(site / "content/articles/windows.md", "content/articles/windows.md")
    assert problems == []
    assert decoded == text

    config, _ = load_config(site)
    assert config is not None
    content, diagnostics = load_content(config)
    assert [d for d in diagnostics if d.is_error] == []
    loaded = {a.slug: a for a in content.articles}["windows"]
    assert loaded.title == "Windows Article"
    assert "\r" not in loaded.body
    assert loaded.body.strip() == "Line one.\n\nLine two."


def test_loader_reports_invalid_utf8_with_its_position(tmp_path: Path) -> None:
    raw = b"---\ntitle: Caf\xe9\n---\n"
    site = make_site(tmp_path / "s", {"content/articles/latin1.md": raw})
    decoded, problems = read_text(site / "content/articles/latin1.md", "content/articles/latin1.md")
    assert decoded is None
    assert [(d.line, d.col, d.code) for d in problems] == [(2, 11, "bad-encoding")]


def test_many_flow_lists_side_by_side_are_not_too_deep() -> None:
    # More '[' than the depth limit in all, but never nested: the quick count must not refuse it.
    text = "".join(f"k{i}: [a, [b]]\n" for i in range(40))
    doc, problems = load_yaml(text, "content/articles/a.md", line_offset=1)
    assert problems == []
    assert doc is not None and doc.data["k39"] == ["a", ["b"]]
