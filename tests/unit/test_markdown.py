"""Markdown rendering: heading ids, link rewriting, sanitizing raw HTML."""

from __future__ import annotations

from tests.helpers import parse_html
from themehub.render.markdown import MarkdownRenderer, MarkdownSettings, resolve_links

SOURCE = "content/articles/a.md"
URLS = {"content/articles/other.md": "articles/other/", "content/themes/cloud.md": "themes/cloud/"}
ANCHORS = {"content/articles/other.md": frozenset({"a-heading"})}


def render(body: str, raw_html: str = "sanitize") -> tuple[str, list, tuple]:  # type: ignore[type-arg]
    rendered = MarkdownRenderer(MarkdownSettings(raw_html=raw_html, base_path="/insights/")).render(body, SOURCE)
    html, problems = resolve_links(rendered.html, URLS, ANCHORS, frozenset(), "/insights/")
    return html, problems, rendered.headings


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
    assert "alert('x')" not in text


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
