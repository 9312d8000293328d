"""Sanitizing raw HTML never loses text: under `raw_html: sanitize`, what the allow-list does not allow is
shown to the reader as text, and every word of a body reaches the page, whatever stray tags, comment
openers, declarations, entities and markdown markers surround it. No script, event handler or
`javascript:` URL reaches the HTML either.

Bodies are generated from unique words (`w0`, `w1`, ...) mixed with those pieces. Some markdown and HTML
legitimately hides text (a link's URL, a reference definition, a complete comment); the alphabet cannot
form them around a word: every ']' is followed by a space, no piece starts with ':', and no '-->' exists.
Visible text may show `onerror=` or `javascript:` as words; only elements and attributes are checked.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import Node, article, make_site, parse_html, run_build
from themehub.render.markdown import MarkdownRenderer, MarkdownSettings

WORD = object()
"""A piece that becomes the next unique word."""

TAGS = [
    # disallowed: shown as text
    "<script>", "</script>", "<style>", "</style>", "<template>", "</template>", "<textarea>", "</textarea>",
    "<title>", "</title>", "<xmp>", "</xmp>", "<plaintext>", "<iframe>", "</iframe>", "<noscript>",
    "</noscript>", "<svg>", "</svg>", "<math>", "</math>", "<select>", "</select>", "<option>", "<object>",
    "<embed>", "<base href=\"https://example.com/\">", "<meta charset=utf-8>", "<link rel=stylesheet href=x.css>",
    "<form>", "</form>", "<input value=x>", "<x-widget>", "</x-widget>", "<custom-tag a=1>", "<frameset>",
    "<noembed>", "<image src=x.png>", "<svg/onload=alert(1)>", "<script src=//evil.example/x.js>",
    # allowed: stay HTML, lose only their disallowed attributes
    "<b>", "</b>", "<em>", "</em>", "<div>", "</div>", "<p>", "</p>", "<span class=\"note\">", "</span>",
    "<a href=\"https://example.com/\">", "</a>", "<table>", "</table>", "<td>", "<br>", "<hr>", "<pre>",
    "<details>", "<summary>", "<img src=\"https://example.com/x.png\" alt=\"\" onerror=alert(1)>", "<b onclick=\"alert(1)\">",
    "<a href=\"javascript:alert(1)\">", "<a href=\"JaVaScRiPt&colon;alert(1)\">",
]
OTHERS = [
    "[", "] ", "(", ")", "[link](javascript:alert(1))", "&amp;", "&#60;", "&bogus;", "&#x3c;", "&", "<", ">",
    "<!--", "<![CDATA[", "<?", "<?php", "?>", "<!DOCTYPE html>", "<!x>", "</3", "</>", "*", "**", "_", "`",
    "\n# ", "\n- ", "\n> ", "\n    ",
]
LINE_STARTS = ["\n" + tag for tag in ("<script>", "<style>", "<div>", "</div>", "<textarea>", "<template>", "<p>",
                                      "<iframe>", "<math>", "<noscript>", "<object>", "<xmp>", "<!--", "<![CDATA[",
                                      "<?php", "<!DOCTYPE html>", "<table>")]
PIECES: list[object] = [WORD] * 12 + TAGS + OTHERS + LINE_STARTS
SEPARATORS = [" ", " ", " ", "", "\n", "\n\n"]

WORD_RE = re.compile(r"w[0-9]+")
ON_ATTRIBUTE = re.compile(r"^on", re.I)


@st.composite
def bodies(draw: st.DrawFn, max_size: int = 60) -> tuple[str, list[str]]:
    """A body and the words it holds."""
    parts: list[str] = []
    words: list[str] = []
    for piece, separator in draw(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)),
                                          min_size=1, max_size=max_size)):
        if piece is WORD:
            words.append(f"w{len(words)}")
            piece = words[-1]
        parts.append(f"{piece}{separator}")
    words.append(f"w{len(words)}")  # at least one word, last: text after everything else
    parts.append(words[-1])
    return "".join(parts), words


def visible_words(node: Node) -> set[str]:
    return set(WORD_RE.findall(node.text))


def active(root: Node) -> list[str]:
    """What would run code: a <script> element, an on* attribute, a javascript: URL."""
    found = []
    for node in root.iter():
        if node.tag == "script":
            found.append("<script>")
        found += [f"{node.tag}[{k}]" for k in node.attrs if ON_ATTRIBUTE.match(k)]
        found += [f"{node.tag}[{k}={v}]" for k, v in node.attrs.items()
                  if v and "javascript:" in re.sub(r"\s", "", v).lower()]
    return found


RENDERER = MarkdownRenderer(MarkdownSettings(raw_html="sanitize", base_path="/insights/"))


@given(bodies())
@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
def test_every_word_is_rendered(generated: tuple[str, list[str]]) -> None:
    body, words = generated
    html = RENDERER.render(body, "content/articles/fuzz.md").html
    doc = parse_html(html)
    missing = set(words) - visible_words(doc)
    assert not missing, (body, html)
    assert active(doc) == [] and not re.search(r"<script", html, re.I), html


@given(bodies(max_size=40))
@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
def test_every_word_reaches_the_built_page(generated: tuple[str, list[str]]) -> None:
    body, words = generated
    with tempfile.TemporaryDirectory() as tmp:
        root = make_site(Path(tmp) / "site", {"content/articles/fuzz.md": article("Fuzz", body=body)})
        result = run_build(root)
        assert result.ok, result.diagnostics
        page = (root / "site/articles/fuzz/index.html").read_text(encoding="utf-8")
    prose = parse_html(page).one("div", class_="prose")
    missing = set(words) - visible_words(prose)
    assert not missing, (body, page)
    assert active(prose) == [], page
