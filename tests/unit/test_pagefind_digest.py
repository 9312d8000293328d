"""render/pagefind_digest.py: the digest changes with everything Pagefind reads of a page, and not with
what it does not read (related lists, navigation, listings outside the indexed body)."""

from __future__ import annotations

import pytest

from themehub.render.pagefind_digest import search_digest

PAGE = """<!doctype html>
<html lang="en"><head><title>Cloud basics · Hub</title></head>
<body><header><img src="/logo.svg" alt="Hub"><nav><a href="/">Home</a> <a href="/themes/">Themes</a></nav></header>
<main>
<div class="wrap" data-pagefind-body>
  <p data-pagefind-ignore>White paper</p>
  <h1 data-pagefind-meta="title">Cloud basics</h1>
  <div class="lead"><div>nested</div><p>Bills are metered.</p></div>
  <p>After the nested block.</p>
</div>
<div hidden data-pagefind-ignore><span data-pagefind-filter="theme">Cloud</span><span data-pagefind-filter="depth">Start here</span></div>
<section class="related" data-pagefind-ignore><h2>Related</h2><a href="/articles/x/">Piece X</a></section>
</main>
<!-- a comment </div> -->
<footer><p>Footer text</p></footer>
</body></html>
"""


def digest(page: str) -> str:
    return search_digest(page.encode())


@pytest.mark.parametrize(("old", "new"), [
    ("Bills are metered.", "Bills are metered daily."),  # the body's text
    ("After the nested block.", "After the nested block, more."),  # past a nested element's end
    ("White paper", "Case study"),  # ignored inside the body, but taken (more than Pagefind reads)
    (">Cloud basics</h1>", ">Cloud basics, revised</h1>"),  # the title
    ('data-pagefind-filter="theme">Cloud<', 'data-pagefind-filter="theme">Cloud Economics<'),  # a filter
    ('<span data-pagefind-filter="depth">Start here</span>', ""),  # a filter gone
    ('lang="en"', 'lang="de"'),
    ("<title>Cloud basics · Hub</title>", "<title>Cloud basics · Other</title>"),
    ('src="/logo.svg"', 'src="/logo-2.svg"'),  # the first image (Pagefind's default image)
])
def test_what_pagefind_reads_changes_the_digest(old: str, new: str) -> None:
    assert old in PAGE
    assert digest(PAGE.replace(old, new)) != digest(PAGE)


@pytest.mark.parametrize(("old", "new"), [
    ("Piece X", "Piece X, renamed"),  # a related list outside the body
    ('<a href="/themes/">Themes</a>', '<a href="/themes/">Themes</a> <a href="/tags/">Tags</a>'),  # navigation
    ("Footer text", "Other footer"),
    ("a comment", "another comment"),
])
def test_what_pagefind_does_not_read_leaves_it(old: str, new: str) -> None:
    assert old in PAGE
    assert digest(PAGE.replace(old, new)) == digest(PAGE)


def test_a_body_that_never_closes_takes_the_rest_of_the_page() -> None:
    unclosed = PAGE.replace("  <p>After the nested block.</p>\n</div>", "  <p>After the nested block.</p>\n")
    assert digest(unclosed.replace("Footer text", "Other footer")) != digest(unclosed)


def test_a_page_that_marks_no_body_is_read_whole() -> None:
    plain = "<html lang='en'><title>T</title><h1>Heading</h1><p>Text</p><footer>F</footer></html>"
    assert digest(plain) != digest(plain.replace("<footer>F", "<footer>G"))


def test_a_closing_tag_in_a_comment_or_script_inside_the_body_does_not_end_it() -> None:
    for inert in ("<!-- </div> -->", "<script>let s = '</div>';</script>", "<style>/* </div> */</style>"):
        page = PAGE.replace("<p>After the nested block.</p>", inert + "<p>After the nested block.</p>")
        assert digest(page.replace("After the nested", "After the")) != digest(page), inert
