"""The forward scan for a link's closing bracket (render/link_text.py) answers exactly as Python-Markdown's
own processors do, on every string, and the renderer uses it."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import LINK_RE, LinkInlineProcessor

from tests.helpers import REPO
from themehub.render import link_text
from themehub.render.link_text import SCAN_LIMIT, scan_links_forward
from themehub.render.markdown import MarkdownRenderer, MarkdownSettings
from themehub.source.frontmatter import split_front_matter

EXTENSIONS = ["tables", "footnotes", "attr_list", "fenced_code", "sane_lists", "def_list", "abbr", "toc"]


def _theirs() -> LinkInlineProcessor:
    return LinkInlineProcessor(LINK_RE, markdown.Markdown())


def _converters() -> tuple[markdown.Markdown, markdown.Markdown]:
    plain = markdown.Markdown(extensions=EXTENSIONS)
    scanning = markdown.Markdown(extensions=EXTENSIONS)
    scan_links_forward(scanning)
    return plain, scanning


PLAIN, SCANNING = _converters()


def _same_html(text: str) -> None:
    PLAIN.reset()
    SCANNING.reset()
    assert SCANNING.convert(text) == PLAIN.convert(text)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="[]ab\\ (", max_size=80), st.data())
def test_the_scan_finds_the_bracket_python_markdown_finds(data: str, draw: st.DataObject) -> None:
    index = draw.draw(st.integers(0, len(data)))
    found = link_text.link_text(data, index)
    if found is not None:  # None: too many brackets, the library's own scan answers
        assert found == _theirs().getText(data, index)


def test_the_scan_hands_over_after_the_limit() -> None:
    data = "[" * (SCAN_LIMIT + 5) + "x"
    assert link_text.link_text(data, 1) is None
    just_under = "a" + "[]" * (SCAN_LIMIT // 2 - 1) + "] tail"  # the closing bracket is the 64th seen
    assert link_text.link_text(just_under, 0) == ("a" + "[]" * (SCAN_LIMIT // 2 - 1), SCAN_LIMIT, True)


MARKDOWN_PIECES = ["[", "]", "(", ")", "!", "word", " ", "\n", "\n\n", "\\", "*", "`", "<", ">", "&amp;",
                   "https://example.com/a", "/x.png", '"t"', "[ref]", "\n[ref]: /u\n", "[^1]", "\n[^1]: note\n",
                   "{: .c}", "*[HTML]: Hyper\n", "#", "- ", "1. ", "> ", "    ", "é", "云"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=60))
def test_documents_convert_byte_for_byte_as_python_markdown_does(pieces: list[str]) -> None:
    _same_html("".join(pieces))


@pytest.mark.parametrize("text", [
    "[" * 3000 + "x](/a)",  # never closed: the library's scan takes over
    "[a]" * 2000,
    "![i](/a.png) [t [nested [deep]]](/b) [r][] [r]\n\n[r]: /u",
    "[unclosed " * 200 + "](/a)",
], ids=["unclosed", "many", "all-kinds", "long-unclosed"])
def test_hard_cases_convert_as_python_markdown_does(text: str) -> None:
    _same_html(text)


def test_the_sample_hub_converts_as_python_markdown_does() -> None:
    bodies = []
    for path in sorted((REPO / "content").rglob("*.md")):
        split, _ = split_front_matter(path.read_text(encoding="utf-8"), str(path))
        if split is not None:
            bodies.append(split.body)
    assert len(bodies) > 30
    for body in bodies:
        _same_html(body)


def test_the_renderer_scans_forward(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = link_text.link_text

    def counted(data: str, index: int) -> tuple[str, int, bool] | None:
        calls.append(index)
        return real(data, index)

    monkeypatch.setattr(link_text, "link_text", counted)
    html = MarkdownRenderer(MarkdownSettings("sanitize", "/insights/")).render(
        "See [the *guide*](https://example.com/g) and ![a chart](https://example.com/c.png).",
        "content/articles/a.md").html
    assert '<a href="https://example.com/g">the <em>guide</em></a>' in html
    assert 'alt="a chart"' in html
    assert calls, "the renderer did not use the forward scan"


def test_a_processor_an_extension_replaced_is_left_alone() -> None:
    class Theirs(LinkInlineProcessor):
        pass

    md = markdown.Markdown()
    md.inlinePatterns.register(Theirs(LINK_RE, md), "link", 160)
    scan_links_forward(md)
    assert type(md.inlinePatterns["link"]) is Theirs
