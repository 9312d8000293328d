"""themehub.yaml: defaults, validation with the key's line, did-you-mean for unknown keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from themehub.config import load_config


def _load(tmp_path: Path, text: str | bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / "themehub.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_config(tmp_path)


MINIMAL = "title: My Insights\nbase_url: https://example.com/insights/\n"


def test_defaults(tmp_path: Path) -> None:
    config, problems = _load(tmp_path, MINIMAL)
    assert problems == []
    assert config is not None
    assert config.title == "My Insights"
    assert config.base_url == "https://example.com/insights/"
    assert config.base_path == "/insights/"
    assert config.description == ""
    assert config.language == "en"
    assert config.theme == "default"
    assert config.output_dir == tmp_path / "site"
    assert config.raw_html == "sanitize"
    assert config.related == 4
    assert config.paginate == 20
    assert config.depths == (("entry", "Start here"), ("deeper", "Go deeper"), ("deepest", "Deep dives"))
    assert [t for t, _ in config.types] == ["article", "case-study", "white-paper", "survey", "interview", "video",
                                            "podcast", "report"]
    assert config.default_depth("article") == "entry"
    assert config.default_depth("case-study") == "deeper"
    assert config.default_depth("white-paper") == "deepest"


def test_every_documented_key_is_accepted(tmp_path: Path) -> None:
    text = MINIMAL + (
        "description: About things\nlanguage: de\ntheme: default\noutput: public\nraw_html: escape\n"
        "related: 2\npaginate: 5\n"
        "depths:\n  intro: Begin\n  expert: Expert\n"
        "types:\n  article: intro\n  deep-dive: expert\n"
    )
    config, problems = _load(tmp_path, text)
    assert problems == []
    assert config is not None
    assert (config.description, config.language, config.raw_html, config.related, config.paginate) == (
        "About things", "de", "escape", 2, 5)
    assert config.output_dir == tmp_path / "public"
    assert config.depths == (("intro", "Begin"), ("expert", "Expert"))
    assert config.types == (("article", "intro"), ("deep-dive", "expert"))


def test_base_url_without_trailing_slash_is_normalised(tmp_path: Path) -> None:
    config, problems = _load(tmp_path, "title: T\nbase_url: https://example.com/insights\n")
    assert problems == []
    assert config is not None
    assert config.base_url == "https://example.com/insights/"
    assert config.base_path == "/insights/"


def test_a_root_base_url_has_path_slash(tmp_path: Path) -> None:
    config, _ = _load(tmp_path, "title: T\nbase_url: https://example.com\n")
    assert config is not None
    assert config.base_path == "/"


def test_unknown_key_names_the_key_its_line_and_the_nearest_key(tmp_path: Path) -> None:
    config, problems = _load(tmp_path, MINIMAL + "language: en\npaginat: 10\n")
    assert [(d.file, d.line, d.col, d.code, d.severity) for d in problems] == [
        ("themehub.yaml", 4, 1, "unknown-key", "error")
    ]
    assert "'paginat'" in problems[0].message
    assert problems[0].hint == "did you mean 'paginate'?"


@pytest.mark.parametrize(("line", "key"), [
    ("paginate: many", "paginate"),
    ("paginate: 2.5", "paginate"),
    ("related: true", "related"),
    ("title: [a, b]", "title"),
    ("language: {a: b}", "language"),
    ("depths: [entry, deeper]", "depths"),
])
def test_wrong_types_name_the_key_and_the_line(tmp_path: Path, line: str, key: str) -> None:
    text = "base_url: https://example.com/insights/\n"
    if not line.startswith("title"):
        text = "title: T\n" + text
    config, problems = _load(tmp_path, text + line + "\n")
    bad = [d for d in problems if d.is_error]
    assert len(bad) == 1, bad
    assert bad[0].code == "wrong-type"
    assert bad[0].line == text.count("\n") + 1
    assert f"'{key}'" in bad[0].message


def test_paginate_must_be_positive(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, MINIMAL + "paginate: 0\n")
    assert [(d.line, d.code) for d in problems] == [(3, "out-of-range")]


@pytest.mark.parametrize("url", ["example.com/insights/", "ftp://example.com/", "/insights/",
                                 "https://example.com/insights/?x=1", "https:///insights/"])
def test_bad_base_url(tmp_path: Path, url: str) -> None:
    _, problems = _load(tmp_path, f"title: T\nbase_url: {url}\n")
    assert [(d.line, d.code) for d in problems] == [(2, "bad-base-url")]
    assert url in problems[0].message


def test_missing_required_keys(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "description: nothing else\n")
    missing = sorted(d.message for d in problems if d.code == "missing-field")
    assert len(missing) == 2
    assert "'base_url'" in missing[0]
    assert "'title'" in missing[1]


def test_unknown_raw_html_mode_suggests_the_nearest(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, MINIMAL + "raw_html: sanitise\n")
    assert [(d.line, d.code) for d in problems] == [(3, "unknown-raw-html")]
    assert "'sanitize'" in problems[0].hint


def test_type_with_unknown_depth(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, MINIMAL + "types:\n  article: entry\n  blog: shallow\n")
    assert [(d.line, d.code) for d in problems] == [(5, "unknown-depth")]


def test_no_config_file(tmp_path: Path) -> None:
    config, problems = load_config(tmp_path)
    assert config is None
    assert [(d.file, d.code) for d in problems] == [("themehub.yaml", "no-config")]
    assert "themehub init" in problems[0].hint


def test_config_with_bom_and_crlf(tmp_path: Path) -> None:
    config, problems = _load(tmp_path, b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode())
    assert problems == []
    assert config is not None
    assert config.title == "My Insights"


def test_config_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    config, problems = _load(tmp_path, MINIMAL + "description: a: b\n")
    assert config is None
    assert [(d.file, d.line, d.code) for d in problems] == [("themehub.yaml", 3, "yaml-syntax")]


def test_base_url_override(tmp_path: Path) -> None:
    (tmp_path / "themehub.yaml").write_text(MINIMAL)
    config, problems = load_config(tmp_path, base_url="https://preview.example.net/pr-7")
    assert problems == []
    assert config is not None
    assert config.base_url == "https://preview.example.net/pr-7/"
    assert config.base_path == "/pr-7/"


@pytest.mark.parametrize(("value", "why"), [
    ('"a\\0b"', "control character (U+0000)"),
    ('"out\\tput"', "control character (U+0009)"),
    ('"public\\nsite"', "control character (U+000A)"),
    ('"\\x7f"', "control character (U+007F)"),
    ("x" * 256, "256 bytes long"),
    ("public/" + "é" * 128, "256 bytes long"),
    ("~no-such-user-of-this-machine/site", "'~no-such-user-of-this-machine' is not the home folder"),
])
def test_output_that_cannot_be_a_folder_is_a_diagnostic_at_its_line(tmp_path: Path, value: str, why: str) -> None:
    config, problems = _load(tmp_path, MINIMAL + "description: d\noutput: " + value + "\n")
    assert [(d.file, d.line, d.col, d.code) for d in problems] == [("themehub.yaml", 4, 9, "bad-output")]
    assert why in problems[0].message
    assert "\x00" not in problems[0].message and "\t" not in problems[0].message
    assert config is not None and config.output_dir == tmp_path / "site"  # one run still reports everything else


def test_output_in_any_script_and_under_home_is_fine(tmp_path: Path) -> None:
    config, problems = _load(tmp_path, MINIMAL + "output: 网站/公开\n")
    assert problems == [] and config is not None
    assert config.output_dir == tmp_path / "网站/公开"
    config, problems = _load(tmp_path, MINIMAL + "output: ~/hub-site\n")
    assert problems == [] and config is not None
    assert config.output_dir == Path.home() / "hub-site"
