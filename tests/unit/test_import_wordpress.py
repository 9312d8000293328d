"""The WordPress reader (importing/wordpress.py) and the HTML → markdown converter it uses (importing/html.py).

The exports in tests/fixtures/import/wordpress/ are written by hand after what WordPress 6 writes (WXR 1.2),
and one after WordPress 2.x (WXR 1.0): site.xml has a bit of everything a real blog has, shortcodes.xml the
shortcodes, embeds and classic-editor markup. Smaller cases are written inline with `_wxr`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from themehub.importing.html import to_markdown, to_text
from themehub.importing.model import Note, Picture, Post, Site, UnreadableSource
from themehub.importing.wordpress import autop, read

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "wordpress"
UPLOADS = "https://old.example/blog/wp-content/uploads/2019/05/"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n'
    '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>T</title>\n<link>https://t.example</link>\n'
)


@pytest.fixture(scope="module")
def site() -> Site:
    return read(FIXTURES / "site.xml")


@pytest.fixture(scope="module")
def shortcodes() -> Site:
    return read(FIXTURES / "shortcodes.xml")


def _post(site: Site, post_id: int) -> Post:
    return next(p for p in site.posts if p.source.split(" item ")[1].startswith(f"{post_id} "))


def _wxr(tmp_path: Path, items: str, *, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + items + "\n</channel>\n</rss>\n", encoding="utf-8")
    return path


def _item(content: str, *, post_id: int = 1, extra: str = "") -> str:
    return (
        f"<item><title>P</title><link>https://t.example/p/</link><wp:post_id>{post_id}</wp:post_id>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded><wp:status>publish</wp:status>"
        f"<wp:post_type>post</wp:post_type>{extra}</item>"
    )


def _body(tmp_path: Path, content: str, extra_items: str = "") -> Post:
    return read(_wxr(tmp_path, _item(content) + extra_items)).posts[0]


def _utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


# ------------------------------------------------------------------------------------------- the site


def test_site_fields(site: Site) -> None:
    assert (site.format, site.title, site.base_url) == ("wordpress", "Cloud & Costs Blog", "https://old.example/blog/")
    assert (site.description, site.language) == ("Notes on cloud economics", "en")
    assert site.source == FIXTURES / "site.xml"


def test_authors_from_the_export_and_from_posts(site: Site) -> None:
    assert [(a.id, a.name, a.bio, a.avatar, a.links) for a in site.authors] == [
        ("ada", "Ada Lovelace", "", None, ()),
        ("bob", "Bob Builder", "", None, ()),  # no display name: first and last name
        ("carol", "carol", "", None, ()),  # named by a post only
    ]


def test_site_notes_count_what_was_skipped(site: Site) -> None:
    assert site.notes == (
        Note("skipped", "4 × attachment (media library entries: their files are used as the posts' pictures)"),
        Note("skipped", '2 × item of the custom post type "product" (not imported)'),
        Note("skipped", "1 × nav_menu_item (WordPress's own data: menus, revisions, templates and styles are not imported)"),
        Note("skipped", "1 × post in the trash"),
        Note("skipped", "1 × wp_block (WordPress's own data: menus, revisions, templates and styles are not imported)"),
        Note("skipped", "1 × wp_global_styles (WordPress's own data: menus, revisions, templates and styles are not imported)"),
        Note("lost", 'terms of the taxonomy "series" on 1 item(s) (only categories and tags are read)'),
        Note("lost", "author pictures: WordPress shows Gravatars, which an export does not hold"),
    )


def test_posts_and_pages_in_export_order(site: Site) -> None:
    assert [(p.kind, p.source) for p in site.posts] == [
        ("article", "site.xml item 10 (post)"),
        ("article", "site.xml item 11 (post)"),
        ("article", "site.xml item 12 (post)"),
        ("article", "site.xml item 13 (post)"),
        ("article", "site.xml item 14 (post)"),
        ("article", "site.xml item 15 (post)"),
        ("article", "site.xml item 16 (post)"),
        ("page", "site.xml item 20 (page)"),
        ("page", "site.xml item 21 (page)"),
        ("page", "site.xml item 22 (page)"),
    ]


# ------------------------------------------------------------------------------------------- one post


def test_published_classic_post(site: Site) -> None:
    post = _post(site, 10)
    assert (post.title, post.name, post.authors) == ("Cloud costs & you", "cloud-costs", ("ada",))
    assert (post.date, post.updated) == (_utc(2019, 5, 4, 7, 30), _utc(2019, 6, 1, 10, 0))
    assert (post.draft, post.featured) == (False, True)  # sticky
    assert post.summary == "Why cloud bills grow."
    assert post.categories == ("Cloud & Costs", "Uncategorized")
    assert post.tags == ("FinOps", "云")
    assert post.aliases == ("/blog/2019/05/cloud-costs/", "/blog/?p=10")


def test_featured_image_from_the_attachment_with_its_alt(site: Site) -> None:
    assert _post(site, 10).image == Picture(f"{UPLOADS}cloud-bill.jpg", None, "A cloud bill, highlighted")


def test_featured_image_missing_from_the_export_is_a_note(site: Site) -> None:
    post = _post(site, 11)
    assert post.image is None
    assert Note("lost", "the featured image: attachment 777 is not in the export") in post.notes


def test_classic_body_with_caption_and_gallery(site: Site) -> None:
    post = _post(site, 10)
    assert post.body == (
        "Cloud bills grow quietly.  \nNobody reads them.\n\n"
        f"[![The bill]({UPLOADS}cloud-bill-300x200.jpg)]({UPLOADS}cloud-bill.jpg)\n\n"
        "_Our *May* bill_\n\n"
        "**Three** things help:\n\n"
        "- tagging\n- budgets\n\n"
        f"![The team]({UPLOADS}team%20photo.jpg)\n\n"  # in the order of `ids`; 99 is not in the export
        f"![]({UPLOADS}chart.png)\n\n"
        "See [the older post](https://old.example/blog/2019/04/older-post/)."
    )
    assert post.pictures == (
        Picture(f"{UPLOADS}cloud-bill-300x200.jpg", None, "The bill"),
        Picture(f"{UPLOADS}cloud-bill.jpg", None, ""),  # linked full size
        Picture(f"{UPLOADS}team%20photo.jpg", None, "The team"),
        Picture(f"{UPLOADS}chart.png", None, ""),
    )


def test_notes_of_a_published_post(site: Site) -> None:
    assert _post(site, 10).notes == (
        Note("converted", "1 × [caption] → picture and an italic caption line"),
        Note("converted", "1 × [gallery] → pictures"),
        Note("lost", "gallery pictures not in the export: attachment(s) 99"),
        Note("lost", "2 comments (comments are not imported)"),  # not the spam, not the pingback
    )


def test_gutenberg_blocks(site: Site) -> None:
    post = _post(site, 11)
    assert post.body == (
        "A **block** post with snake\\_case words.\n\n"
        "### Steps\n\n"
        "1. Measure\n2. Cut\n\n"
        f"![A bill]({UPLOADS}cloud-bill-1024x683.jpg)\n\n"
        "_The bill, again_\n\n"
        '```\naws ce get-cost-and-usage \\\n  --granularity MONTHLY\n[gallery ids="1"]\n\ndone\n```\n\n'
        "> Measure first.\n\n"
        "<https://www.youtube.com/watch?v=abc123>\n\n"
        "Sign up for the *newsletter*.\n\n"  # the reusable block, inlined
        "---\n\n"
        "| Service | Cost |\n| --- | --- |\n| EC2 | $120 |"
    )
    assert post.notes == (
        Note("converted", "1 × reusable block inlined"),
        Note("lost", "the dynamic block latest-posts (WordPress made its content when the page was shown)"),
        Note("converted", "embed → link: https://www.youtube.com/watch?v=abc123"),
        Note("lost", "the featured image: attachment 777 is not in the export"),
    )
    assert post.updated is None  # modified when published: not an update


def test_private_post_is_a_draft(site: Site) -> None:
    post = _post(site, 12)
    assert post.draft
    assert post.notes == (Note("converted", "private post imported as a draft"),)


def test_password_protected_post_is_a_draft_and_the_password_lost(site: Site) -> None:
    post = _post(site, 13)
    assert post.draft
    assert post.body == "Behind a password."
    assert post.notes == (Note("lost", "the post's password (imported as a draft: publish it once it may be public)"),)


def test_draft_without_slug_or_gmt_date(site: Site) -> None:
    post = _post(site, 14)
    assert (post.draft, post.name, post.body, post.notes) == (True, "", "", ())
    assert post.date == _utc(2024, 3, 1, 12, 0)  # post_date: the GMT one is 0000-00-00
    assert post.updated == _utc(2024, 3, 2, 12, 0)
    assert post.aliases == ("/blog/?p=14",)


def test_pending_post_is_a_draft_with_a_note(site: Site) -> None:
    post = _post(site, 15)
    assert (post.draft, post.authors, post.notes) == (True, (), (Note("converted", "pending review: imported as a draft"),))


def test_scheduled_post_keeps_its_future_date(site: Site) -> None:
    post = _post(site, 16)
    assert (post.draft, post.date, post.notes) == (False, _utc(2030, 1, 10, 8, 0), ())


def test_pages_with_percent_encoded_non_ascii_slugs(site: Site) -> None:
    cloud, about = _post(site, 20), _post(site, 21)
    assert (cloud.kind, cloud.title, cloud.name, cloud.body) == ("page", "云计算", "云计算", "关于云计算。")
    assert cloud.aliases == ("/blog/%e4%ba%91%e8%ae%a1%e7%ae%97/", "/blog/?page_id=20")
    assert (about.title, about.name) == ("Über uns", "über-uns")
    assert about.aliases == ("/blog/%c3%bcber-uns/", "/blog/?page_id=21")


def test_front_page_is_no_alias_of_the_site_root(site: Site) -> None:
    post = _post(site, 22)
    assert (post.aliases, post.date) == (("/blog/?page_id=22",), None)


def test_wxr_1_0(tmp_path: Path) -> None:
    site = read(FIXTURES / "wxr-1.0.xml")
    (post,) = site.posts
    assert (site.base_url, site.language, [a.id for a in site.authors]) == ("http://www.old-blog.example/", "en", ["admin"])
    assert (post.categories, post.tags) == (("Uncategorized",), ("first",))
    assert (post.date, post.summary) == (_utc(2008, 3, 1, 12, 0), "Welcome & hello")
    assert post.aliases == ("/2008/03/hello-world/", "/?p=1")


def test_guid_on_the_same_host_is_an_alias(tmp_path: Path) -> None:
    same = _item("x", post_id=5, extra="<guid>https://t.example/old-address/</guid>")
    other = _item("y", post_id=6, extra="<guid>http://other.example/?p=6</guid>")
    first, second = read(_wxr(tmp_path, same + other)).posts
    assert first.aliases == ("/p/", "/?p=5", "/old-address/")
    assert second.aliases == ("/p/", "/?p=6")


# ------------------------------------------------------------------------------------------- shortcodes


def test_shortcodes_kept_converted_and_escaped(shortcodes: Site) -> None:
    post = shortcodes.posts[0]
    assert post.body == (
        "Write to us:\n\n"
        '[contact-form-7 id="12" title="Contact "form" 1"]\n\n'
        '[su_note note_color="#fff8dc"]Read the **terms** first.\n\nThey changed.[/su_note]\n\n'
        "Escaped: [gallery] and [su_note]x[/su_note]\n\n"
        "<https://www.youtube.com/watch?v=dQw4w9WgXcQ>\n\n"
        "<https://vimeo.com/76979871>\n\n"
        "<https://twitter.com/example/status/1>\n\n"
        "<https://shortcodes.example/wp-content/uploads/clip.mp4>\n\n"
        "<https://shortcodes.example/wp-content/uploads/talk.mp3>\n\n"
        "Footnote [sic] and [toc] stay text.\n\n"
        '`[gallery ids="5"]` is how you write a gallery.\n\n'
        '<https://www.google.com/maps/embed?pb=1>'
    )
    assert post.notes == (
        Note("verbatim", 'kept verbatim: [contact-form-7 id="12" title="Contact "form" 1"]'),
        Note("verbatim", 'kept verbatim: [su_note note_color="#fff8dc"]…[/su_note] (the text inside is kept)'),
        Note("converted", "[embed] → link: https://twitter.com/example/status/1"),
        Note("converted", "[video] → link: https://shortcodes.example/wp-content/uploads/clip.mp4"),
        Note("converted", "[audio] → link: https://shortcodes.example/wp-content/uploads/talk.mp3"),
        Note("converted", "embed → link: https://vimeo.com/76979871"),
        Note("converted", "embed → link: https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        Note("converted", "<iframe> → link: https://www.google.com/maps/embed?pb=1"),
    )
    assert (shortcodes.language, post.aliases) == ("de", ("/contact/", "/?page_id=50"))


def test_classic_editor_markup(shortcodes: Site) -> None:
    post = shortcodes.posts[1]
    assert post.body == (
        "## Why\n\nFirst line  \nsecond line\n\n"
        "> Quoted  \n> text\n\n"
        "Text right after.\n\n"
        "```php\n<?php echo 1;\n\necho 2;\n```\n\n"  # SyntaxHighlighter's "brush: php"; the blank line kept
        '<table>\n<tr>\n<td rowspan="2">a</td>\n<td>b</td>\n</tr>\n<tr>\n<td>c</td>\n</tr>\n</table>\n\n'
        "![](/wp-content/uploads/old.png)\n\n_Old-style caption_\n\n"
        "The end."
    )
    assert post.pictures == (Picture("/wp-content/uploads/old.png", None, ""),)
    assert Note("verbatim", "kept as HTML: a table with merged cells or blocks inside cells") in post.notes


def test_gallery_without_ids_shows_the_posts_pictures_in_menu_order(tmp_path: Path) -> None:
    attachments = "".join(
        f"<item><title>a</title><wp:post_id>{i}</wp:post_id><wp:post_parent>{parent}</wp:post_parent>"
        f"<wp:menu_order>{order}</wp:menu_order><wp:post_type>attachment</wp:post_type>"
        f"<wp:attachment_url>https://t.example/u/{file}</wp:attachment_url></item>"
        for i, parent, order, file in ((7, 1, 2, "b.jpg"), (8, 1, 1, "a.jpg"), (9, 2, 0, "other.jpg"), (10, 1, 0, "x.pdf"))
    )
    post = _body(tmp_path, 'Look:\n\n[gallery columns="2"]', attachments)
    assert post.body == "Look:\n\n![](https://t.example/u/a.jpg)\n\n![](https://t.example/u/b.jpg)"


def test_gallery_with_no_known_picture_is_kept_verbatim(tmp_path: Path) -> None:
    post = _body(tmp_path, '[gallery ids="5,6"]')
    assert post.body == '[gallery ids="5,6"]'
    assert post.notes == (
        Note("lost", "gallery pictures not in the export: attachment(s) 5, 6"),
        Note("verbatim", 'kept verbatim: [gallery ids="5,6"]'),
    )


def test_caption_with_html_in_the_caption(tmp_path: Path) -> None:
    post = _body(tmp_path, '[caption width="300"]<img src="https://t.example/a.jpg" alt="A" /> By <a href="https://t.example/me">me</a>[/caption]')
    assert post.body == "![A](https://t.example/a.jpg)\n\n_By [me](https://t.example/me)_"


def test_nested_unknown_shortcodes_keep_all_text(tmp_path: Path) -> None:
    post = _body(tmp_path, '[su_box title="Box"][su_row]<em>in</em> side[/su_row] after[/su_box]')
    assert post.body == '[su_box title="Box"][su_row]*in* side[/su_row] after[/su_box]'
    assert [n.what for n in post.notes] == [
        'kept verbatim: [su_box title="Box"]…[/su_box] (the text inside is kept)',
        "kept verbatim: [su_row]…[/su_row] (the text inside is kept)",
    ]


def test_shortcode_names_with_underscores_are_not_escaped(tmp_path: Path) -> None:
    assert _body(tmp_path, "Before [my_widget] after").body == "Before [my_widget] after"


def test_text_in_brackets_with_html_is_no_shortcode(tmp_path: Path) -> None:
    post = _body(tmp_path, '<p>[Update: see <a href="https://t.example/x">this</a>]</p>')
    assert (post.body, post.notes) == ("[Update: see [this](https://t.example/x)]", ())


# ------------------------------------------------------------------------------------------- wpautop


def test_autop() -> None:
    assert autop("One\ntwo\n\nThree") == "<p>One<br />\ntwo</p>\n<p>Three</p>"
    assert autop("Intro:\n<ul>\n<li>a</li>\n</ul>\nAfter") == "<p>Intro:</p>\n<ul>\n<li>a</li>\n</ul>\n<p>After</p>"
    assert autop('<img\nsrc="a.jpg">') == '<p><img src="a.jpg"></p>'
    assert autop("  \n ") == ""


def test_block_content_is_not_autopd(tmp_path: Path) -> None:
    post = _body(tmp_path, "<!-- wp:html -->\n<div>one\ntwo</div>\n<!-- /wp:html -->")
    assert post.body == "one\ntwo"


# ------------------------------------------------------------------------------------------- messy files


def test_crlf_file_and_carriage_returns_in_content(tmp_path: Path) -> None:
    lf = (FIXTURES / "wxr-1.0.xml").read_bytes()
    crlf = tmp_path / "crlf.xml"
    crlf.write_bytes(lf.replace(b"\n", b"\r\n").replace(b"first post.", b"first post.\r\nSecond line.\r\n\r\nNew paragraph."))
    (post,) = read(crlf).posts
    assert post.body == "Welcome to WordPress. This is your first post.  \nSecond line.\n\nNew paragraph."
    # An XML parser turns CRLF into LF, but not a character reference: "&#13;" stays a carriage return
    path = _wxr(tmp_path, "<item><wp:post_id>3</wp:post_id><content:encoded>One&#13;\ntwo&#13;\n&#13;\nThree</content:encoded>"
                          "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item>", name="cr.xml")
    assert read(path).posts[0].body == "One  \ntwo\n\nThree"


def test_bom_and_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "bom.xml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + _item("Bell\x07 rings") + "</channel></rss>").encode())
    site = read(path)
    assert site.posts[0].body == "Bell rings"
    assert Note("converted", "1 control character(s) XML does not allow removed from the export") in site.notes


def test_empty_channel() -> None:
    site = read(FIXTURES / "empty.xml")
    assert (site.title, site.base_url, site.posts, site.authors, site.notes) == ("", "", (), (), ())


def test_empty_body_and_missing_fields(tmp_path: Path) -> None:
    post = read(_wxr(tmp_path, "<item><wp:post_type>post</wp:post_type></item>")).posts[0]
    assert (post.title, post.name, post.body, post.date, post.draft, post.aliases) == ("", "", "", None, False, ())


# ------------------------------------------------------------------------------------------- refusals


def test_dtd_is_refused_before_entities_expand() -> None:
    with pytest.raises(UnreadableSource, match=r"billion-laughs.xml declares a DTD") as caught:
        read(FIXTURES / "billion-laughs.xml")
    assert "WordPress never writes one" in caught.value.hint


def test_dtd_in_utf16_is_refused_by_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "utf16.xml"
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE rss [<!ENTITY a "b">]><rss><channel/></rss>'
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(UnreadableSource, match="declares a DTD"):
        read(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("feed.xml", None, r"feed.xml is an RSS feed, not a WordPress export \(it has no wp: elements\)"),
        ("page.html", None, r"page.html is an HTML page, not a WordPress export"),
        ("empty.txt", b"", r"empty.txt is not a WordPress export: it is not well-formed XML \(no element found"),
        ("atom.xml", b'<feed xmlns="http://www.w3.org/2005/Atom"/>', r"atom.xml is not a WordPress export: it is XML, but not RSS"),
        ("cut.xml", HEAD.encode() + b"<item><title>Half", r"cut.xml is not a WordPress export: it is not well-formed XML"),
    ],
)
def test_not_an_export(tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    path = FIXTURES / name if content is None else tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UnreadableSource, match=message) as caught:
        read(path)
    assert "Tools → Export → All content" in caught.value.hint


def test_html_nested_too_deep_keeps_its_words(tmp_path: Path) -> None:
    post = _body(tmp_path, "<div>" * 500 + "deep words")
    assert post.body == "deep words"
    assert post.notes == (Note("lost", "the formatting of HTML nested 500 elements deep (unclosed tags?): its text is kept"),)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableSource, match="cannot read"):
        read(tmp_path / "nope.xml")


# ------------------------------------------------------------------------------------------- HTML → markdown


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>snake_case *star* `tick` a\\b</p>", "snake\\_case \\*star\\* \\`tick\\` a\\\\b"),
        ("<p>1999. A year</p><p># not a heading</p><p>- not a list</p>", "1999\\. A year\n\n\\# not a heading\n\n\\- not a list"),
        ("<p>&lt;script&gt; &amp;amp; [x](y)</p>", "&lt;script> &amp;amp; [x\\](y)"),
        ("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n    - b\n- c"),
        ('<ol start="3"><li>x</li><li>y</li></ol>', "3. x\n4. y"),
        ("<p><del>old</del> H<sub>2</sub>O x<sup>2</sup></p>", "<del>old</del> H<sub>2</sub>O x<sup>2</sup>"),
        ('<pre><code class="language-js">a = "```";</code></pre>', '````js\na = "```";\n````'),
        ('<p><a href="/about">/about</a> <a href="https://x.example/">https://x.example/</a></p>', "[/about](/about) <https://x.example/>"),
        ('<p><img src="a b.png" alt="x [1]" title="T"></p>', '![x \\[1\\]](a%20b.png "T")'),
        ("<p>&nbsp;</p><p>after</p>", "after"),
        ("<h2>A <em>b</em></h2>", "## A *b*"),
    ],
)
def test_to_markdown(html: str, expected: str) -> None:
    assert to_markdown(html).text == expected


def test_escaped_text_renders_as_the_source_text() -> None:
    html = "<p>snake_case *star* `tick` a\\b &lt;b&gt; 1. x [x](y) &amp;amp;</p>"
    assert markdown.markdown(to_markdown(html).text) == "<p>snake_case *star* `tick` a\\b &lt;b&gt; 1. x [x](y) &amp;amp;</p>"


def test_to_markdown_notes_and_pictures() -> None:
    converted = to_markdown('<script>x()</script><video src="v.mp4"></video><p><a href="big.png">big</a></p>')
    assert converted.text == "<v.mp4>\n\n[big](big.png)"
    assert converted.pictures == (Picture("big.png", None, ""),)
    assert converted.notes == (
        Note("lost", "a <script> element (not carried over: a hub runs no page scripts)"),
        Note("converted", "<video> → link: v.mp4"),
    )


def test_to_text() -> None:
    assert to_text("<p>Hello <b>Cl</b>oud</p><p>b&amp;c</p>") == "Hello Cloud b&c"


# ------------------------------------------------------------------------------------------- never lose a word

_WORDS = ("alpha", "beta", "gamma", "delta")
_PIECES = (
    "[su_note]", "[/su_note]", "[gallery]", "[gallery ids=\"1\"]", "[[", "]]", "[caption]", "[/caption]", "[embed]",
    "[/embed]", '[contact-form-7 title="a "b" c"]', "<p>", "</p>", "<pre>", "</pre>", "<code>", "</code>", "\n", "\n\n",
    "\r\n", "<!-- wp:paragraph -->", "<!-- /wp:paragraph -->", "<!-- wp:spacer /-->", "https://youtu.be/x", "<b>", "</b>",
    "<ul><li>", "</li></ul>", "*", "_", "# ", "1. ", "- ", "> ", "`", "<table><tr><td>", "</td></tr></table>",
    '<img src="a.jpg">', "<blockquote>", "</blockquote>", "&amp;", "&lt;", "\\", "|", "  ", "<br>", "WXRTOKEN0X",
)


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_WORDS + _PIECES), max_size=30))
def test_every_word_survives_any_mix_of_markup(tmp_path_factory: pytest.TempPathFactory, pieces: list[str]) -> None:
    content = " ".join(pieces)
    path = tmp_path_factory.mktemp("mix") / "mix.xml"
    path.write_text(HEAD + _item(content) + "</channel></rss>", encoding="utf-8")
    body = read(path).posts[0].body
    assert "WXRTOKEN0X" in body or "WXRTOKEN" not in body  # no token of the reader's own is left
    text = body.replace("\\", "")
    for word in _WORDS:
        assert text.count(word) >= content.count(word), (content, body)
