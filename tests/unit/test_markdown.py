"""Markdown rendering: heading ids, link rewriting, sanitizing raw HTML."""

from __future__ import annotations

import pytest

from tests.helpers import Node, finishes, lines_run, parse_html
from themehub.render import markdown as markdown_module
from themehub.render.links import LinkTable
from themehub.render.markdown import MarkdownRenderer, MarkdownSettings, keep_text

SOURCE = "content/articles/a.md"
URLS = {"content/articles/other.md": "articles/other/", "content/themes/cloud.md": "themes/cloud/",
        SOURCE: "articles/a/"}
ANCHORS = {"content/articles/other.md": frozenset({"a-heading"})}
TABLE = LinkTable(URLS, ANCHORS, frozenset(), "/insights/", "https://example.com/insights/", "digest")


def render(body: str, raw_html: str = "sanitize") -> tuple[str, list, tuple]:  # type: ignore[type-arg]
    rendered = MarkdownRenderer(MarkdownSettings(raw_html=raw_html, base_path="/insights/")).render(body, SOURCE)
    resolved = TABLE.resolve(rendered.html, SOURCE)
    return resolved.html, list(resolved.problems), rendered.headings


def test_headings_get_stable_ids() -> None:
    html, _, headings = render("## A Heading\n\ntext\n\n### Costs & Benefits, 2026!\n")
    doc = parse_html(html)
    assert [(h.tag, h.attrs.get("id")) for h in doc.find_all() if h.tag in ("h2", "h3")] == [
        ("h2", "a-heading"), ("h3", "costs-benefits-2026")]
    assert [(h.level, h.id, h.text) for h in headings] == [(2, "a-heading", "A Heading"),
                                                         (3, "costs-benefits-2026", "Costs & Benefits, 2026!")]


def test_links_to_content_files_become_page_urls() -> None:
    html, problems, _ = render("[o](other.md) [t](../themes/cloud.md) [h](other.md#a-heading) [r](/about/) "
                               "[x](https://example.org/a.md) [m](mailto:a@example.com) [f](#local)")
    assert problems == []
    assert parse_html(html).hrefs() == ["/insights/articles/other/", "/insights/themes/cloud/",
                                        "/insights/articles/other/#a-heading", "/insights/about/",
                                        "https://example.org/a.md", "mailto:a@example.com", "#local"]


def test_link_problems_are_reported() -> None:
    _, problems, _ = render("[gone](missing.md) [anchor](other.md#nope)")
    assert [(p.target, p.fragment, p.kind) for p in problems] == [
        ("content/articles/missing.md", "", "missing"), ("content/articles/other.md", "#nope", "anchor")]


DANGEROUS = (
    "Before\n\n<script>alert('x')</script>\n\n"
    "<p>An image <img src=\"x.png\" alt=\"x\" onerror=\"alert(1)\"></p>\n\n"
    "[click](javascript:alert(1)) and <a href=\"javascript:alert(2)\">raw</a> and "
    "<a href=\"JaVaScRiPt&colon;alert(3)\">encoded</a>\n\nAfter\n"
)


def _active(html: str) -> list[str]:
    doc = parse_html(html)
    found = [f"<{n.tag}>" for n in doc.iter() if n.tag in ("script", "iframe", "object", "embed")]
    found += [f"{n.tag}[{k}]" for n in doc.iter() for k in n.attrs if k.lower().startswith("on")]
    found += [f"{n.tag}[{k}={v}]" for n in doc.iter() for k, v in n.attrs.items()
              if k in ("href", "src") and v and "javascript" in v.lower().replace(" ", "")]
    return found


def test_sanitize_removes_scripts_handlers_and_javascript_links() -> None:
    html, _, _ = render(DANGEROUS, "sanitize")
    assert _active(html) == []
    text = parse_html(html).text
    assert "Before" in text and "After" in text and "raw" in text
    assert "<script>alert('x')</script>" in text  # shown as written: not allowed, so text, never run


def test_escape_shows_raw_html_as_text() -> None:
    html, _, _ = render(DANGEROUS, "escape")
    assert _active(html) == []
    text = parse_html(html).text
    assert "<script>alert('x')</script>" in text
    assert "onerror" in text  # visible as text, not an attribute


def test_allow_still_drops_javascript_markdown_links() -> None:
    rendered = MarkdownRenderer(MarkdownSettings(raw_html="allow", base_path="/")).render("[c](javascript:alert(1))", SOURCE)
    assert "javascript" not in rendered.html
    assert rendered.removed_urls == ("javascript:alert(1)",)


def test_images_without_alt_are_noted() -> None:
    rendered = MarkdownRenderer(MarkdownSettings(raw_html="sanitize", base_path="/")).render(
        "![](/images/a.png) ![An A](/images/b.png)", SOURCE)
    assert rendered.images_without_alt == ("/images/a.png",)


# ------------------------------------------------------------------------ sanitizing never loses text

NEXT = "\n\nNext para **bold**."

LOST_TEXT = [
    # (body before NEXT, what the reader must see of it)
    ("Never paste a <script> tag. **Rest** survives.", "Never paste a <script> tag. Rest survives."),
    ("<script>\nRest survives.", "<script> Rest survives."),
    ("<style>\nRest survives.", "<style> Rest survives."),
    ("<script>alert(1)</script>\nRest survives.", "<script>alert(1)</script> Rest survives."),
    ("Use <template> here. Rest survives.", "Use <template> here. Rest survives."),
    ("<template>\nRest survives.", "<template> Rest survives."),
    ("An <svg><style> icon. Rest survives.", "An <svg><style> icon. Rest survives."),
    ("A <textarea> box. Rest survives.", "A <textarea> box. Rest survives."),
    ("A <title> tag. Rest survives.", "A <title> tag. Rest survives."),
    ("An <iframe> tag. Rest survives.", "An <iframe> tag. Rest survives."),
    ("A <noscript> tag. Rest survives.", "A <noscript> tag. Rest survives."),
    ("An <xmp> tag. Rest survives.", "An <xmp> tag. Rest survives."),
    ("A <plaintext> tag. Rest survives.", "A <plaintext> tag. Rest survives."),
    ("<textarea>\nRest survives.", "<textarea> Rest survives."),
    ("<![CDATA[ Rest survives. ]]>", "<![CDATA[ Rest survives. ]]>"),
    ("<![CDATA[ Rest survives.", "<![CDATA[ Rest survives."),
    ("<?php echo 'Rest survives.'; ?>", "<?php echo 'Rest survives.'; ?>"),
    ("<?php\nRest survives.", "<?php Rest survives."),
    ("<!DOCTYPE html>\nRest survives.", "<!DOCTYPE html> Rest survives."),
    ("<!-- Rest survives.", "<!-- Rest survives."),
    ("An <!-- unclosed comment. Rest survives.", "An <!-- unclosed comment. Rest survives."),
    ("<div>\n<script>\n</div>", "<script>"),
    ("<div>\n<!-- open\n</div>", "<!-- open"),
    ("<div>\n<textarea>\nRest survives.\n</div>", "<textarea> Rest survives."),
    ("<custom-widget>Rest survives.</custom-widget>", "<custom-widget>Rest survives.</custom-widget>"),
    ("a < b, 3 <4, </3 and </> and <w1>. Rest survives.", "a < b, 3 <4, </3 and </> and <w1>. Rest survives."),
]


def _next_paragraph_is_markdown(doc: Node) -> None:
    last = doc.find_all("p")[-1]
    assert last.text == "Next para bold." and [n.text for n in last.find_all("strong")] == ["bold"]


@pytest.mark.parametrize(("before", "shown"), LOST_TEXT, ids=[case[0] for case in LOST_TEXT])
def test_sanitize_shows_what_it_does_not_allow_and_keeps_what_follows(before: str, shown: str) -> None:
    html, _, _ = render(before + NEXT)
    assert _active(html) == [] and "<script" not in html
    doc = parse_html(html)
    assert shown in doc.text, html
    _next_paragraph_is_markdown(doc)


def test_markdown_after_a_disallowed_tag_is_markdown() -> None:
    html, _, _ = render("<script>\n\n## A *heading*\n\n- an [item](other.md)\n\n<style>\n> a **quote**")
    doc = parse_html(html)
    assert [n.text for n in doc.find_all("h2")] == ["A heading"]
    assert doc.hrefs() == ["/insights/articles/other/"]
    assert [n.text for n in doc.find_all("strong")] == ["quote"]
    assert doc.text == "<script> A heading an item <style> a quote"


def test_complete_comments_stay_hidden() -> None:
    html, _, _ = render("Hidden <!-- inline secret --> here.\n\n<!-- block\n\nsecret -->\n\n<!---->x<!-- y -->z" + NEXT)
    doc = parse_html(html)
    assert doc.text == "Hidden here. xz Next para bold."
    _next_paragraph_is_markdown(doc)


def test_code_spans_and_blocks_are_unaffected() -> None:
    body = "Code `<script>` and `<!--` here.\n\n    <script>alert(1)</script>\n\n```\n<style><!--\n```\n"
    html, _, _ = render(body)
    doc = parse_html(html)
    assert [n.text for n in doc.find_all("code")] == ["<script>", "<!--", "<script>alert(1)</script>", "<style><!--"]
    assert "<code>&lt;script&gt;</code>" in html


def test_allowed_tags_keep_working_and_lose_only_disallowed_attributes() -> None:
    body = ('<b>bold</b> <a href="https://example.org/" onclick="x()">link</a> <img src="/images/a.png" alt="A" '
            'onerror="y()"> <span class="note" style="color:red">note</span><br/>\n\n'
            '<div class="box">\n<p title="t">inside</p>\n<table><tr><td>cell</td></tr></table>\n</div>\n\n'
            '<a href="javascript:alert(1)">unsafe</a>' + NEXT)
    html, _, _ = render(body)
    doc = parse_html(html)
    assert _active(html) == []
    assert "<" not in doc.text  # nothing was escaped
    assert [(n.tag, n.attrs) for n in doc.iter() if n.tag in ("b", "a", "img", "span", "br", "div", "td")] == [
        ("b", {}), ("a", {"href": "https://example.org/"}), ("img", {"src": "/images/a.png", "alt": "A"}),
        ("span", {"class": "note"}), ("br", {}), ("div", {"class": "box"}), ("td", {}), ("a", {})]
    assert doc.text == "bold link note inside cell unsafe Next para bold."
    _next_paragraph_is_markdown(doc)


def test_escape_and_allow_keep_their_behaviour() -> None:
    body = "A <script>x()</script> and <b>b</b>.\n\n<div>\n<textarea>t</textarea>\n</div>"
    escaped, _, _ = render(body, "escape")
    assert parse_html(escaped).text == "A <script>x()</script> and <b>b</b>. <div> <textarea>t</textarea> </div>"
    allowed, _, _ = render(body, "allow")
    assert allowed == ("<p>A <script>x()</script> and <b>b</b>.</p>\n<div>\n<textarea>t</textarea>\n</div>")


KEEP_TEXT = [
    ('<b title="a > b" class=x>', '<b title="a > b" class=x>'),
    ("<B>x</B><br/><img src=a.png />", "<B>x</B><br/><img src=a.png />"),
    ('<b title="unclosed>x', '&lt;b title="unclosed>x'),
    ("<b x='1'y>", "<b x='1'y>"),
    ('<b x=a"b>', '&lt;b x=a"b>'),
    ("<b =x>", "&lt;b =x>"),
    ("<bx>", "&lt;bx>"),
    ("<b<i>", "&lt;b<i>"),
    ("<script>x</script>", "&lt;script>x&lt;/script>"),
    ("<!-- c --><!-->x<!--->y", "<!-- c --><!-->x<!--->y"),
    ("<!--!> x", "&lt;!--!> x"),
    ("<!-- a --> <!-- b", "<!-- a --> &lt;!-- b"),
    ("<!-- b <i>x</i> <!-- c", "&lt;!-- b <i>x</i> &lt;!-- c"),
    ("<!DOCTYPE html><?php ?><![CDATA[x]]>", "&lt;!DOCTYPE html>&lt;?php ?>&lt;![CDATA[x]]>"),
    ("a < b", "a &lt; b"),
    ("no markup", "no markup"),
]


@pytest.mark.parametrize(("chunk", "kept"), KEEP_TEXT)
def test_keep_text_escapes_every_lt_but_allowed_tags_and_complete_comments(chunk: str, kept: str) -> None:
    assert keep_text(chunk) == kept


@pytest.mark.parametrize("chunk", ['<b x="' * 20_000, "<!--" * 20_000, "<b " + "x=a " * 40_000, "<" * 50_000,
                                   "<a href=" * 20_000, "<b x='1'" * 20_000])
def test_keep_text_of_long_unclosed_runs_escapes_every_lt(chunk: str) -> None:
    # None of these ever closes a tag or a comment, so every '<' is text. How long the regular expression
    # takes on them (it must stay linear) is measured by bench/linear_scans.py; here: the answer, no hang,
    # and no Python-level loop over the comment openers.
    kept, work = finishes(lambda: lines_run(lambda: keep_text(chunk), markdown_module), what="keep_text")
    assert kept == chunk.replace("<", "&lt;")
    assert work < 20

# ----------------------------------------------------------------------------------- fuzzing

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = ["<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:x()\">", "</a>",
          "[l](javascript:alert(1))", "[m](other.md)", "[n](missing.md#h)", "<iframe src=//e>", "<svg onload=x()>",
          "<style>", "## Head", "*", "_", "`", "```", "\n", " ", "[", "]", "(", ")", "!", "<", ">", "\"", "'",
          "&#106;avascript:", "data:text/html,x", "<!--", "-->", "<div>", "</div>", "text"]


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_sanitized_markdown_never_has_active_content(body: str) -> None:
    html, _, _ = render(body, "sanitize")
    assert _active(html) == [], html


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_escaped_markdown_never_has_active_content(body: str) -> None:
    html, _, _ = render(body, "escape")
    assert _active(html) == [], html
