"""Extension gating: a body is converted without the extensions whose syntax it cannot contain, and the
HTML is byte-for-byte what the renderer with every extension gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import REPO, lines_run
from themehub.render import markdown as markdown_module
from themehub.render.markdown import MarkdownRenderer, MarkdownSettings, RenderedBody, optional_extensions
from themehub.source.frontmatter import split_front_matter

GENERATOR = Path("/work/shared/bench/gen_corpus.py")
SOURCE = "content/articles/a.md"
MODES = ("sanitize", "allow", "escape")


def _pair(raw_html: str) -> tuple[MarkdownRenderer, MarkdownRenderer]:
    settings_ = MarkdownSettings(raw_html=raw_html, base_path="/insights/")
    return MarkdownRenderer(settings_), MarkdownRenderer(settings_, gated=False)


RENDERERS = {mode: _pair(mode) for mode in MODES}


def _both(body: str, raw_html: str, source: str = SOURCE) -> tuple[RenderedBody, RenderedBody]:
    gated, full = RENDERERS[raw_html]
    return gated.render(body, source), full.render(body, source)


def _bodies(root: Path) -> list[tuple[str, str]]:
    found = []
    for path in sorted(root.rglob("*.md")):
        split, _ = split_front_matter(path.read_text(encoding="utf-8"), str(path))
        assert split is not None, path
        found.append((split.body, path.relative_to(root.parent).as_posix()))
    return found


@pytest.fixture(scope="module")
def corpus_bodies(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    if not GENERATOR.is_file():
        pytest.fail(f"the corpus generator {GENERATOR} is missing")
    out = tmp_path_factory.mktemp("gatecorpus")
    subprocess.run([sys.executable, str(GENERATOR), "300", str(out), "--layout", "themehub"], check=True,
                   capture_output=True, timeout=120)
    return _bodies(out / "themehub" / "content")


# ------------------------------------------------------------------------------ real content


@pytest.mark.parametrize("raw_html", MODES)
def test_sample_hub_renders_identically_gated(raw_html: str) -> None:
    bodies = _bodies(REPO / "content")
    assert len(bodies) >= 30
    for body, source in bodies:
        gated, full = _both(body, raw_html, source)
        assert gated == full, source
    # The sample uses tables, footnotes, attr_list and fences: gating is exercised both ways.
    used = set().union(*(optional_extensions(body) for body, _ in bodies))
    assert {"tables", "footnotes", "attr_list", "fenced_code"} <= used
    assert any(not optional_extensions(body) for body, _ in bodies)


@pytest.mark.parametrize("raw_html", ["sanitize", "allow"])
def test_generated_corpus_renders_identically_gated(corpus_bodies: list[tuple[str, str]], raw_html: str) -> None:
    assert len(corpus_bodies) >= 300
    for body, source in corpus_bodies:
        gated, full = _both(body, raw_html, source)
        assert gated == full, source
    sets = {optional_extensions(body) for body, _ in corpus_bodies}
    assert len(sets) > 3, sets  # several instances were really used


# ------------------------------------------------------------------------------ fuzzing

FRAGMENTS = [
    # tables
    "|", " | ", "a | b\n", "--- | ---\n", "| --- | :-: |\n", "\\|", "|x|\n",
    # footnotes
    "[^1]", "[^1]: note\n", "[^a]:", "[^", "    more\n",
    # abbreviations
    "*[HTML]: Hyper Text\n", "*[", "HTML", "*[X]:\n  : title\n",
    # definition lists
    ":   definition\n", ": ", "Term\n", "\n:   def\n", "- : x\n", "> : y\n", "1. : z\n",
    # fences
    "```", "```python\n", "~~~\n", "```{.py #id}\n", "x = 1\n", "~~~~",
    # attr_list
    "{: .class}", "{#id}", "{", "}", " {: #h }", "\\{", "&#123;", "{.a data-x=1}",
    # headings, lists, quotes, code, links, html
    "# H\n", "## Head\n", "Title\n---\n", "- item\n", "* item\n", "1. one\n", "> quote\n", "    code\n", "\t",
    "[l](other.md)", "[r][1]\n\n[1]: https://e.org\n", "![i](x.png)", "`c`", "*e*", "**b**",
    "<div>", "</div>", "<div>x</div>", "<!-- c -->", "<hr>", "<b>", "</b>", "<p>x</p>", "[TOC]\n",
    # separators and noise
    "\n", "\n\n", " ", "  ", "    ", ":", "-", ">", "*", "[", "]", "^", "text", "\r", "\r\n", "\x02", "\x03",
]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join), st.sampled_from(MODES))
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_markdown_renders_identically_gated(body: str, raw_html: str) -> None:
    gated, full = _both(body, raw_html)
    assert gated == full


# ------------------------------------------------------------------------------ edge cases

EDGE_CASES = [
    "Term\n<div>x</div>: definition",  # the text after a raw block's closing tag starts a new block
    "Term\n\n<!-- c -->: definition",
    "x\n\n<hr>: definition",
    "- Term\n\n    : definition",
    "> Term\n> : definition",
    "Term\r: definition",  # a lone CR ends a line
    "Term\n\t: definition",
    "*\x02[HTML]: Hyper\n\nHTML",  # Markdown deletes STX/ETX, joining '*' and '['
    "a \x03| b\n--|--\n1|2",
    "[^1]: : definition\n\nx[^1]",
    "Heading {: #custom }\n=======\n",
    "```{.python #code}\nx = 1\n```\n",
]


@pytest.mark.parametrize("body", EDGE_CASES)
@pytest.mark.parametrize("raw_html", MODES)
def test_edge_cases_render_identically_gated(body: str, raw_html: str) -> None:
    gated, full = _both(body, raw_html)
    assert gated == full


# ------------------------------------------------------------------------------ features survive gating

FEATURES = [
    ("tables", "a | b\n--- | ---\n1 | 2\n", "<table>"),
    ("footnotes", "Text[^1].\n\n[^1]: The note.\n", 'class="footnote"'),
    ("abbr", "*[HTML]: Hyper Text Markup Language\n\nThe HTML spec.\n", '<abbr title="Hyper Text Markup Language">'),
    ("def_list", "Term\n:   The definition.\n", "<dl>"),
    ("def_list", "> Term\n> :   Quoted definition.\n", "<dd>"),
    ("attr_list", "A paragraph.\n{: .lead }\n", '<p class="lead">'),
    ("attr_list", "## Costs {: #money }\n", '<h2 id="money">'),
    ("fenced_code", "```python\nx = 1\n```\n", '<div class="highlight">'),
    ("fenced_code", "~~~\nplain\n~~~\n", '<div class="highlight">'),
]


@pytest.mark.parametrize(("extension", "body", "marker"), FEATURES)
def test_bodies_with_the_syntax_keep_the_feature(extension: str, body: str, marker: str) -> None:
    assert extension in optional_extensions(body)
    gated, full = _both(body, "sanitize")
    assert marker in gated.html, gated.html
    assert gated == full


def test_always_on_features_need_no_syntax() -> None:
    # Heading ids (toc), highlighting of indented code (codehilite) and sane lists apply to plain bodies.
    body = "## A Heading\n\n    indented = 'code'\n\n1. one\n\n* two\n"  # sane: two lists
    assert optional_extensions(body) == frozenset()
    gated, full = _both(body, "sanitize")
    assert '<h2 id="a-heading">' in gated.html and '<div class="highlight">' in gated.html
    assert "<ol>" in gated.html and "<ul>" in gated.html
    assert gated == full


def test_plain_prose_needs_no_optional_extension() -> None:
    body = "# Title\n\nSome *prose*: with a colon, [a link](other.md) and `code`.\n\n> A quote: with a colon.\n"
    assert optional_extensions(body) == frozenset()


def test_definition_scan_is_linear_on_long_marker_runs() -> None:
    # Runs of '>' and list markers must not make the scan quadratic: each ': ' looks back over its own run
    # of markers only. Counted in lines of Python run, so twice the body is at most twice the work.
    body = "x" + "> " * 50_000 + "\n" + "- >" * 30_000
    assert optional_extensions(body) == frozenset()
    assert optional_extensions(body + ": x") == {"def_list"}  # the look-back reaches the '>' of the run

    def scan(n: int) -> int:  # ': ' after ': ' after a run of markers, none of which makes a definition
        body = "x" + (" -" * 50 + ": ") * n
        found, work = lines_run(lambda: optional_extensions(body), markdown_module)
        assert found == frozenset()
        return work

    once, twice = scan(500), scan(1000)
    assert once > 500 * 50  # the look-back over each run is counted
    assert twice <= 2 * once, f"{once} lines for n, {twice} for 2n: not linear"
