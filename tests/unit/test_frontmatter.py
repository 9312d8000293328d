"""Front matter: splitting a file, safe YAML with positions, and the loader's decoding (BOM, CRLF)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import article, codes, make_site
from themehub.config import load_config
from themehub.content.frontmatter import load_yaml, split_front_matter
from themehub.content.loader import SourceFile, load_content, read_text

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


def test_yaml_syntax_error_line_in_a_built_site(tmp_path: Path) -> None:
    from themehub.build import BuildOptions, build

    site = make_site(tmp_path / "s", {
        "content/articles/broken.md": "---\ntitle: Broken\ndate: 2026-01-05\nsummary: one: two\n---\nBody\n",
    })
    result = build(BuildOptions(site=site, jobs=1))
    assert not result.ok
    located = [(d.file, d.line, d.code) for d in result.diagnostics if d.is_error]
    assert located == [("content/articles/broken.md", 4, "yaml-syntax")]


def test_duplicate_keys_are_an_error_naming_both_lines() -> None:
    doc, problems = load_yaml("title: One\ndate: 2026-01-05\ntitle: Two\n", "a.md", line_offset=1)
    assert doc is None
    assert [(d.line, d.col, d.code) for d in problems] == [(4, 1, "duplicate-key")]
    assert "'title'" in problems[0].message
    assert "line 2" in problems[0].hint


def test_aliases_are_rejected() -> None:
    doc, problems = load_yaml("first: &who ana-quinn\nsecond: *who\n", "a.md", line_offset=1)
    assert doc is None
    assert [(d.line, d.code) for d in problems] == [(3, "yaml-alias")]


def test_aliases_of_lists_are_rejected() -> None:
    doc, problems = load_yaml("themes: &t [cloud]\ntags: *t\n", "a.md")
    assert doc is None
    assert codes(problems) == ["yaml-alias"]


@pytest.mark.parametrize("text", [
    "title: !!python/name:os.system x\n",
    "title: !custom x\n",
    "title: !!python/object/apply:os.system [echo hi]\n",
    "title: !!int '12'\n",
])
def test_explicit_tags_are_rejected(text: str) -> None:
    doc, problems = load_yaml(text, "a.md")
    assert doc is None, f"tag was accepted, giving {doc.data!r}"
    assert codes(problems) == ["yaml-tag"]


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


def test_impossible_dates_are_invalid_date_errors() -> None:
    doc, problems = load_yaml("title: x\ndate: 2026-02-30\n", "a.md", line_offset=1)
    assert doc is None
    assert [(d.line, d.col, d.code) for d in problems] == [(3, 7, "invalid-date")]
    assert "2026-02-30" in problems[0].message


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


@given(st.text(max_size=200))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_load_yaml_never_raises(text: str) -> None:
    doc, problems = load_yaml(text, "a.md")
    assert (doc is None) == any(d.is_error for d in problems)
    for d in problems:
        assert d.line >= 1 and d.col >= 1


# --------------------------------------------------------------------------------- BOM and CRLF


def _source(site: Path, rel: str) -> SourceFile:
    return SourceFile("articles", site / rel, rel)


def test_loader_strips_a_bom_and_normalises_crlf(tmp_path: Path) -> None:
    text = article("Windows Article", body="Line one.\n\nLine two.")
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    site = make_site(tmp_path / "s", {"content/articles/windows.md": raw})
    decoded, problems = read_text(_source(site, "content/articles/windows.md"))
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
    decoded, problems = read_text(_source(site, "content/articles/latin1.md"))
    assert decoded is None
    assert [(d.line, d.col, d.code) for d in problems] == [(2, 11, "bad-encoding")]


def test_many_flow_lists_side_by_side_are_not_too_deep() -> None:
    # More '[' than the depth limit in all, but never nested: the quick count must not refuse it.
    text = "".join(f"k{i}: [a, [b]]\n" for i in range(40))
    doc, problems = load_yaml(text, "content/articles/a.md", line_offset=1)
    assert problems == []
    assert doc is not None and doc.data["k39"] == ["a", ["b"]]
