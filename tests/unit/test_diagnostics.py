"""Diagnostic formatters (text, GitHub annotations, JSON) and helpers."""

from __future__ import annotations

import json

from themehub.diagnostics import (
    Diagnostic,
    did_you_mean,
    error,
    format_github,
    format_json,
    format_text,
    has_errors,
    sorted_diagnostics,
    summary_line,
    warning,
)

THEME = error("content/articles/cloud-costs.md", 4, 10, "unknown-theme", "unknown campaign theme 'smarter-planit'",
              "did you mean 'smarter-planet'?")
ALT = warning("content/articles/a.md", 12, 1, "missing-alt", "image 'x.png' has no alt text")


def test_text_format_is_compiler_style_with_an_indented_hint() -> None:
    assert format_text([THEME, ALT]) == (
        "content/articles/cloud-costs.md:4:10: error: unknown campaign theme 'smarter-planit' [unknown-theme]\n"
        "  did you mean 'smarter-planet'?\n"
        "content/articles/a.md:12:1: warning: image 'x.png' has no alt text [missing-alt]"
    )


def test_text_format_of_nothing_is_empty() -> None:
    assert format_text([]) == ""


def test_github_format() -> None:
    assert format_github([THEME, ALT]).split("\n") == [
        "::error file=content/articles/cloud-costs.md,line=4,col=10,title=unknown-theme::"
        "unknown campaign theme 'smarter-planit'%0Adid you mean 'smarter-planet'?",
        "::warning file=content/articles/a.md,line=12,col=1,title=missing-alt::image 'x.png' has no alt text",
    ]


def test_github_format_escapes_properties_and_message() -> None:
    d = error("content/articles/a,b:c.md", 1, 2, "broken-link", "100% broken\r\nreally")
    assert format_github([d]) == "::error file=content/articles/a%2Cb%3Ac.md,line=1,col=2,title=broken-link::" \
                                 "100%25 broken%0D%0Areally"


def test_json_format_parses_to_one_array() -> None:
    data = json.loads(format_json([THEME, ALT]))
    assert data == [
        {"file": "content/articles/cloud-costs.md", "line": 4, "col": 10, "severity": "error",
         "code": "unknown-theme", "message": "unknown campaign theme 'smarter-planit'",
         "hint": "did you mean 'smarter-planet'?"},
        {"file": "content/articles/a.md", "line": 12, "col": 1, "severity": "warning", "code": "missing-alt",
         "message": "image 'x.png' has no alt text", "hint": ""},
    ]


def test_json_format_of_nothing_is_an_empty_array() -> None:
    assert json.loads(format_json([])) == []


def test_json_keeps_non_ascii_text() -> None:
    d = error("content/articles/café.md", 1, 1, "x", "naïve “quotes”")
    assert json.loads(format_json([d]))[0]["message"] == "naïve “quotes”"


def test_did_you_mean() -> None:
    assert did_you_mean("smarter-planit", ["cloud", "smarter-planet", "data"]) == "did you mean 'smarter-planet'?"
    assert did_you_mean("zzz", ["cloud", "data"]) == "known values: 'cloud', 'data'"
    assert did_you_mean("x", []) == ""
    many = did_you_mean("qqqq", [f"theme-{i:02d}" for i in range(10)])
    assert many.startswith("known values: 'theme-00'")
    assert many.endswith("and 2 more")


def test_sorted_diagnostics_sorts_by_place_and_drops_repeats() -> None:
    later = error("content/articles/d.md", 1, 1, "x", "m")
    assert sorted_diagnostics([later, ALT, THEME, ALT]) == [ALT, THEME, later]


def test_has_errors_and_strict() -> None:
    assert has_errors([THEME])
    assert not has_errors([ALT])
    assert has_errors([ALT], strict=True)
    assert not has_errors([], strict=True)


def test_summary_line() -> None:
    assert summary_line([]) == "0 errors, 0 warnings"
    assert summary_line([THEME, ALT]) == "1 error, 1 warning"
    assert summary_line([THEME, THEME, ALT, ALT]) == "2 errors, 2 warnings"


def test_diagnostics_are_values() -> None:
    assert Diagnostic("content/articles/cloud-costs.md", 4, 10, "error", "unknown-theme",
                               "unknown campaign theme 'smarter-planit'", "did you mean 'smarter-planet'?") == THEME
    assert THEME.is_error and not ALT.is_error
