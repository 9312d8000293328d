"""The Jekyll reader (and Eleventy with Liquid): sites written by hand under tests/fixtures/import/jekyll,
and small ones made in tmp_path for the cases one file shows best (CRLF, BOM, time zones, styles)."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zoneinfo
from pathlib import Path

import pytest

from themehub.importing.jekyll import read
from themehub.importing.model import Author, Note, Picture, Post, Site, UnreadableSource

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import" / "jekyll"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def blog() -> Site:
    return read(FIXTURES / "blog")


def post(site: Site, source: str) -> Post:
    return next(p for p in site.posts if p.source == source)


def make(tmp_path: Path, files: dict[str, str | bytes]) -> Site:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return read(tmp_path)


def one_post(tmp_path: Path, config: str, name: str, text: str) -> Post:
    site = make(tmp_path, {"_config.yml": config, f"_posts/{name}": text})
    (found,) = site.posts
    return found


# ---------------------------------------------------------------------------------------- the site


def test_site_settings_come_from_config_yml(blog: Site) -> None:
    assert blog.format == "jekyll"
    assert blog.title == "Cloud Notes"
    assert blog.base_url == "https://old.example/blog/"
    assert blog.description == "Notes on what the cloud costs"
    assert blog.language == "en"
    assert blog.source == FIXTURES / "blog"


def test_site_notes_list_what_was_left_out(blog: Site) -> None:
    assert blog.notes == (
        Note("skipped", "collection 'projects' (only posts are imported)"),
        Note("skipped", "404.md: a page the old site makes for itself (404)"),
        Note("skipped", "archive.md: a page the old site makes for itself (archive)"),
        Note("skipped", "index.html: a page the old site makes for itself (index)"),
        Note("skipped", "untitled.md: a page without a title"),
    )


def test_every_post_page_and_draft_is_read_and_nothing_else(blog: Site) -> None:
    assert sorted((p.kind, p.source) for p in blog.posts) == [
        ("article", "_drafts/dated-draft.md"),
        ("article", "_drafts/work-in-progress.md"),
        ("article", "_posts/2019-05-01-cloud-costs.md"),
        ("article", "_posts/2019-06-15-second-look.md"),
        ("article", "_posts/2020-02-01-not-yet.md"),
        ("article", "_posts/2020-03-01-explicit.md"),
        ("article", "_posts/2020-04-01-legacy.html"),
        ("article", "_posts/finops/2020-01-10-云计算.md"),
        ("page", "about.md"),
        ("page", "contact/index.md"),
        ("page", "über-uns.md"),
    ]


def test_a_base_url_without_baseurl_and_none_without_url(tmp_path: Path) -> None:
    assert make(tmp_path / "a", {"_config.yml": "url: https://x.example/\n"}).base_url == "https://x.example/"
    assert make(tmp_path / "b", {"_config.yml": "title: T\nbaseurl: /blog\n"}).base_url == ""


# ------------------------------------------------------------------------------------- dates, names


def test_date_and_slug_come_from_the_file_name_in_the_sites_time_zone(blog: Site) -> None:
    first = post(blog, "_posts/2019-05-01-cloud-costs.md")
    assert first.date == dt.datetime(2019, 5, 1, tzinfo=BERLIN)
    assert first.name == "cloud-costs"
    assert first.title == "What the cloud really costs"


def test_a_front_matter_date_keeps_its_time_and_zone(blog: Site) -> None:
    second = post(blog, "_posts/2019-06-15-second-look.md")
    assert second.date == dt.datetime(2019, 6, 15, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def test_the_address_uses_the_date_in_the_sites_time_zone(tmp_path: Path) -> None:
    late = one_post(tmp_path, "timezone: Europe/Berlin\n", "2019-06-15-late.md",
                    "---\ndate: 2019-06-15 23:30:00 -0500\n---\nText\n")
    assert late.date is not None and late.date.utcoffset() == dt.timedelta(hours=-5)
    assert late.aliases == ("/2019/06/16/late.html",)  # 06:30 the next morning in Berlin


def test_without_a_title_the_file_name_is_titleized_and_slug_overrides_the_name(tmp_path: Path) -> None:
    untitled = one_post(tmp_path, "title: T\n", "2020-01-01-cloud-cost-basics.md", "---\nslug: basics\n---\nx\n")
    assert untitled.title == "Cloud Cost Basics"
    assert untitled.name == "basics"
    assert untitled.aliases == ("/2020/01/01/basics.html",)


def test_non_ascii_titles_and_slugs(blog: Site) -> None:
    cloud = post(blog, "_posts/finops/2020-01-10-云计算.md")
    assert (cloud.title, cloud.name, cloud.tags) == ("云计算入门", "云计算", ("云", "finops"))
    assert cloud.aliases == ("/finops/2020/01/10/云计算.html",)
    assert cloud.body == "云计算的成本。\n"


def test_a_decomposed_file_name_gives_an_nfc_slug(tmp_path: Path) -> None:
    name = unicodedata.normalize("NFD", "2020-01-01-über-uns.md")
    found = one_post(tmp_path, "title: T\n", name, "---\ntitle: Über\n---\nx\n")
    assert found.name == "über-uns" == unicodedata.normalize("NFC", "über-uns")
    assert found.aliases == ("/2020/01/01/über-uns.html",)


def test_crlf_line_ends_and_a_byte_order_mark(tmp_path: Path) -> None:
    text = "\ufeff---\r\ntitle: Windows\r\ntags: [a, b]\r\n---\r\nFirst line.\r\n\r\n{% highlight sh %}\r\nls\r\n{% endhighlight %}\r\n"
    (found,) = make(tmp_path, {"_config.yml": "title: T\r\n", "_posts/2020-01-01-windows.md": text.encode()}).posts
    assert (found.title, found.tags) == ("Windows", ("a", "b"))
    assert found.body == "First line.\n\n```sh\nls\n```\n"


def test_an_empty_body_and_missing_fields(tmp_path: Path) -> None:
    found = one_post(tmp_path, "", "2020-01-01-empty.md", "---\n---\n")
    assert (found.title, found.body, found.summary, found.authors, found.categories) == ("Empty", "", "", (), ())


def test_front_matter_that_cannot_be_read_keeps_the_whole_file(tmp_path: Path) -> None:
    found = one_post(tmp_path, "", "2020-01-01-broken.md", "---\ntitle: [unclosed\n---\nText\n")
    assert found.body.startswith("---\ntitle: [unclosed\n---\nText")
    assert [note.kind for note in found.notes] == ["verbatim"]
    assert "front matter could not be read" in found.notes[0].what


def test_a_date_that_is_not_one_is_noted(tmp_path: Path) -> None:
    found = one_post(tmp_path, "", "2020-01-01-x.md", "---\ndate: someday\n---\nx\n")
    assert found.date == dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # the file name's, then
    assert Note("lost", "date: 'someday' is not a date") in found.notes


# ----------------------------------------------------------------------------------------- addresses


def test_date_style_is_the_default_with_categories_in_front(blog: Site) -> None:
    assert post(blog, "_posts/2019-05-01-cloud-costs.md").aliases == (
        "/cloud/costs/2019/05/01/cloud-costs.html", "/old/cloud-costs.html")
    assert post(blog, "_posts/2020-04-01-legacy.html").aliases == ("/2020/04/01/legacy.html",)


def test_pretty_style_and_its_pages() -> None:
    site = read(FIXTURES / "pretty")
    hello = post(site, "_posts/2021-01-02-hello-world.md")
    assert hello.aliases == ("/news/2021/01/02/hello-world/",)
    assert hello.categories == ("News",)  # "news" is the same name
    assert post(site, "about.md").aliases == ("/about/",)


def test_a_custom_template() -> None:
    (hello,) = read(FIXTURES / "custom").posts
    assert hello.aliases == ("/tech/21/3/4/Hello-World.html",)
    assert (hello.name, hello.title) == ("Hello-World", "Hello World")


@pytest.mark.parametrize(("permalink", "address"), [
    ("date", "/cloud/2021/03/04/my-post.html"),
    ("pretty", "/cloud/2021/03/04/my-post/"),
    ("ordinal", "/cloud/2021/063/my-post.html"),
    ("none", "/cloud/my-post.html"),
    ("weekdate", "/cloud/2021/W09/Thu/my-post.html"),
    ("/:year/:hour/:minute/:second/:slug/", "/2021/09/05/07/my-post/"),
    ("/blog/:i_month-:i_day-:short_year/:title", "/blog/3-4-21/my-post"),
    ("/:categories/:month/:day/:unknown/:title/", "/cloud/03/04/:unknown/my-post/"),
])
def test_permalink_styles_and_placeholders(tmp_path: Path, permalink: str, address: str) -> None:
    found = one_post(tmp_path, f"permalink: {permalink}\n", "2021-03-04-my-post.md",
                     "---\ncategories: Cloud\ndate: 2021-03-04T09:05:07Z\n---\nx\n")
    assert found.aliases == (address,)


def test_the_posts_collection_permalink_wins_over_the_sites(tmp_path: Path) -> None:
    config = "permalink: pretty\ncollections:\n  posts:\n    output: true\n    permalink: /articles/:title/\n"
    assert one_post(tmp_path, config, "2021-03-04-x.md", "---\n---\nx\n").aliases == ("/articles/x/",)


def test_a_posts_own_permalink_is_its_address(blog: Site) -> None:
    assert post(blog, "_posts/2020-03-01-explicit.md").aliases == ("/guides/explicit/",)


def test_redirect_from_as_a_string_and_as_a_list(blog: Site) -> None:
    assert post(blog, "_posts/2019-05-01-cloud-costs.md").aliases[1:] == ("/old/cloud-costs.html",)
    assert post(blog, "_posts/2019-06-15-second-look.md").aliases == (
        "/cloud economics/2019/06/15/second-look.html", "/second-look/", "/2019/06/second-look.html")


def test_posts_in_a_folders_posts_get_the_folder_as_a_category_in_their_address(tmp_path: Path) -> None:
    site = make(tmp_path, {"_config.yml": "", "news/_posts/2021-01-01-x.md": "---\ncategories: [Tech]\n---\nx\n"})
    assert site.posts[0].aliases == ("/news/tech/2021/01/01/x.html",)
    assert site.posts[0].categories == ("Tech",)


# -------------------------------------------------------------------------------------- front matter


def test_categories_as_a_string_a_list_and_a_single_category(blog: Site) -> None:
    assert post(blog, "_posts/2019-05-01-cloud-costs.md").categories == ("cloud", "costs")  # space-separated
    assert post(blog, "_posts/2020-02-01-not-yet.md").categories == ("Cloud Economics", "News")
    assert post(blog, "_posts/2019-06-15-second-look.md").categories == ("Cloud Economics",)  # `category:`


def test_defaults_apply_by_path_and_the_file_wins(tmp_path: Path) -> None:
    config = ("defaults:\n  - scope: {path: '', type: posts}\n    values: {author: ann, tags: [general]}\n"
              "  - scope: {path: '_posts/eu'}\n    values: {author: eva}\n")
    site = make(tmp_path, {"_config.yml": config, "_posts/2021-01-01-a.md": "---\n---\na\n",
                           "_posts/eu/2021-01-02-b.md": "---\n---\nb\n",
                           "_posts/eu/2021-01-03-c.md": "---\nauthor: carl\n---\nc\n"})
    assert [(p.name, p.authors, p.tags) for p in site.posts] == [
        ("a", ("ann",), ("general",)), ("b", ("eva",), ("general",)), ("c", ("carl",), ("general",))]


def test_defaults_in_the_fixture_give_categories_and_an_author(blog: Site) -> None:
    cloud = post(blog, "_posts/finops/2020-01-10-云计算.md")
    assert (cloud.categories, cloud.authors) == (("FinOps",), ("li-lei",))


def test_summary_from_excerpt_or_the_text_before_more(blog: Site) -> None:
    first = post(blog, "_posts/2019-05-01-cloud-costs.md")
    assert first.summary == "Most teams overpay by a third."
    assert "<!--more-->" not in first.body
    assert first.body.startswith("Most teams overpay by a third.\n\n![Monthly bill](/assets/img/chart.png)\n{: .wide}\n")
    assert post(blog, "_posts/2019-06-15-second-look.md").summary == "Where the money went."


def test_featured_image_forms(tmp_path: Path) -> None:
    site = make(tmp_path, {
        "_config.yml": "", "assets/a.png": b"x", "images/b.jpg": b"x",
        "_posts/2021-01-01-a.md": "---\nimage: /assets/a.png\nimage_alt: A\n---\nx\n",
        "_posts/2021-01-02-b.md": "---\nheader:\n  image: /images/b.jpg\n---\nx\n",
        "_posts/2021-01-03-c.md": "---\nimage:\n  path: https://cdn.example/c.png\n  alt: C\n---\nx\n",
        "_posts/2021-01-04-d.md": "---\nfeature_image: \"{{ site.baseurl }}/assets/a.png\"\n---\nx\n",
    })
    assert [p.image for p in site.posts] == [
        Picture("/assets/a.png", (tmp_path / "assets/a.png").resolve(), "A"),
        Picture("/images/b.jpg", (tmp_path / "images/b.jpg").resolve()),
        Picture("https://cdn.example/c.png", None, "C"),
        Picture("/assets/a.png", (tmp_path / "assets/a.png").resolve()),
    ]


# --------------------------------------------------------------------------------------- drafts


def test_drafts_are_drafts_dated_by_front_matter_or_not_at_all(blog: Site) -> None:
    undated = post(blog, "_drafts/work-in-progress.md")
    assert (undated.draft, undated.date, undated.aliases, undated.name) == (True, None, (), "work-in-progress")
    assert undated.notes == (Note("converted", "no date in its front matter or file name: dated on import"),)
    dated = post(blog, "_drafts/dated-draft.md")
    assert (dated.draft, dated.date) == (True, dt.datetime(2020, 9, 1, tzinfo=BERLIN))


def test_published_false_is_a_draft(blog: Site) -> None:
    assert post(blog, "_posts/2020-02-01-not-yet.md").draft
    assert not post(blog, "_posts/2019-05-01-cloud-costs.md").draft


# --------------------------------------------------------------------------------------------- Liquid

CLOUD_COSTS_BODY = """Most teams overpay by a third.

![Monthly bill](/assets/img/chart.png)
{: .wide}

<img src="/assets/img/logo.png" alt="Logo">

![Elsewhere](https://cdn.example.net/x.png)

<div class="note">Prices change often: check the provider's page.</div>

{% include card.html title="Savings" %}

```ruby
def cost = hours * rate
```

Write {{ page.title }} to show the title.

This post is called "What the cloud really costs".

{% if page.series %}Part of a series.{% endif %}

{% youtube dQw4w9WgXcQ %}

{{ site.data.prices.aws }}
"""


def test_liquid_in_a_body_becomes_markdown_or_stays_verbatim(blog: Site) -> None:
    assert post(blog, "_posts/2019-05-01-cloud-costs.md").body == CLOUD_COSTS_BODY


def test_liquid_notes(blog: Site) -> None:
    assert post(blog, "_posts/2019-05-01-cloud-costs.md").notes == (
        Note("converted", "Liquid comment removed (it was never shown)"),
        Note("verbatim", "kept verbatim: {% if page.series %}…{% endif %}"),
        Note("converted", "Liquid include inlined: {% include note.html %}"),
        Note("verbatim", 'kept verbatim: {% include card.html title="Savings" %}'),
        Note("verbatim", "kept verbatim: {% youtube dQw4w9WgXcQ %}"),
        Note("verbatim", "kept verbatim: {{ site.data.prices.aws }}"),
    )


def test_post_url_and_link_give_the_old_address(blog: Site) -> None:
    second = post(blog, "_posts/2019-06-15-second-look.md")
    assert second.body == (
        "See [the first post](/cloud/costs/2019/05/01/cloud-costs.html) and\n"
        "[again](/cloud/costs/2019/05/01/cloud-costs.html), or the [about page](/about.html).\n\n"
        "A link to {% post_url 2018-01-01-missing %} that never existed.\n\n"
        "Read it at [the site](https://old.example/blog/about/) or https://old.example/blog/about/.\n")
    assert second.notes == (Note("verbatim", "kept verbatim: {% post_url 2018-01-01-missing %}"),)


def test_post_url_finds_a_post_in_a_subfolder(tmp_path: Path) -> None:
    site = make(tmp_path, {"_config.yml": "permalink: /:title/\n",
                           "_posts/2021-01-01-a.md": "---\n---\n{% post_url sub/2021-01-02-b %} {% post_url 2021-01-02-b %}\n",
                           "_posts/sub/2021-01-02-b.md": "---\n---\nb\n"})
    assert site.posts[0].body == "/b/ /b/\n"


@pytest.mark.parametrize(("liquid", "markdown"), [
    ("{{ site.baseurl }}/x.png", "/x.png"),
    ("{{site.url}}/x", "https://o.example/x"),
    ("{{ site.url }}{{ site.baseurl }}/x", "https://o.example/sub/x"),
    ('{{ "/x/" | relative_url }}', "/x/"),
    ("{{ '/x/' | absolute_url }}", "https://o.example/sub/x/"),
    ('{{ "/x.png" | prepend: site.baseurl }}', "/x.png"),
    ("{{ page.title }} / {{ site.title }}", "P / S"),
    ("{%- raw -%}{% if %}{{ x }}{%- endraw -%}", "{% if %}{{ x }}"),
    ("a{% comment %}hidden {{ x }}{% endcomment %}b", "ab"),
    ("{% highlight python linenos %}\nprint(1)\n{% endhighlight %}", "```python\nprint(1)\n```"),
    ("{% highlight md %}\n```\ncode\n```\n{% endhighlight %}", "````md\n```\ncode\n```\n````"),
    ("{% for p in site.posts %}{{ p.title }}{% endfor %}", "{% for p in site.posts %}{{ p.title }}{% endfor %}"),
    ("{% assign x = 1 %}{{ x }}", "{% assign x = 1 %}{{ x }}"),
    ("{% include {{ page.file }} %}", "{% include {{ page.file }} %}"),
    ("{% include missing.html %}", "{% include missing.html %}"),
    ("Text {: .lead}", "Text {: .lead}"),
])
def test_liquid_constructs(tmp_path: Path, liquid: str, markdown: str) -> None:
    config = "title: S\nurl: https://o.example\nbaseurl: /sub\n"
    found = one_post(tmp_path, config, "2021-01-01-p.md", f"---\ntitle: P\n---\n{liquid}\n")
    assert found.body == markdown + "\n"


def test_include_relative_is_inlined_from_the_posts_folder(tmp_path: Path) -> None:
    site = make(tmp_path, {"_config.yml": "", "_posts/2021-01-01-p.md": "---\n---\n{% include_relative snippet.md %}\n",
                           "_posts/snippet.md": "Shared words.\n"})
    found = post(site, "_posts/2021-01-01-p.md")
    assert found.body == "Shared words.\n"


def test_an_html_post_keeps_its_words(blog: Site) -> None:
    legacy = post(blog, "_posts/2020-04-01-legacy.html")
    assert "Written in" in legacy.body and "HTML" in legacy.body


# ------------------------------------------------------------------------------------------- pictures


def test_pictures_in_bodies_resolve_to_files_in_the_site(blog: Site) -> None:
    images = FIXTURES.resolve() / "blog" / "assets" / "img"
    first = post(blog, "_posts/2019-05-01-cloud-costs.md")
    assert first.pictures == (
        Picture("/assets/img/chart.png", images / "chart.png", "Monthly bill"),
        Picture("https://cdn.example.net/x.png", None, "Elsewhere"),
        Picture("/assets/img/logo.png", images / "logo.png", "Logo"),
    )
    assert first.image == Picture("/assets/img/cover.png", images / "cover.png", "A cloud")


def test_pictures_missing_relative_or_in_code(tmp_path: Path) -> None:
    (found,) = make(tmp_path, {
        "_config.yml": "", "_posts/here.png": b"x",
        "_posts/2021-01-01-p.md": "---\n---\n![gone](/assets/gone.png) ![here](here.png)\n\n```\n![code](/not/a/picture.png)\n```\n",
    }).posts
    assert found.pictures == (Picture("/assets/gone.png", None, "gone"),
                              Picture("here.png", (tmp_path / "_posts" / "here.png").resolve(), "here"))


def test_a_picture_at_the_sites_own_full_address_is_its_file(tmp_path: Path) -> None:
    config = "url: https://old.example\nbaseurl: /blog\n"
    (found,) = make(tmp_path, {"_config.yml": config, "a.png": b"x",
                               "_posts/2021-01-01-p.md": "---\n---\n![a]({{ '/a.png' | absolute_url }})\n"}).posts
    assert found.body == "![a](https://old.example/blog/a.png)\n"
    assert found.pictures == (Picture("https://old.example/blog/a.png", (tmp_path / "a.png").resolve(), "a"),)


def test_a_picture_path_outside_the_site_is_not_taken(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(b"x")
    found = one_post(tmp_path / "site", "", "2021-01-01-p.md", "---\n---\n![x](../../secret.png)\n")
    assert found.pictures == (Picture("../../secret.png", None, "x"),)


# --------------------------------------------------------------------------------------------- authors


def test_authors_come_from_data_authors_yml(blog: Site) -> None:
    avatar = FIXTURES.resolve() / "blog" / "assets" / "img" / "jane.png"
    assert blog.authors == (
        Author("jane", "Jane Doe", bio="Writes about **cloud costs**.", avatar=Picture("/assets/img/jane.png", avatar),
               links=(("website", "https://jane.example"), ("twitter", "https://x.com/janedoe"))),
        Author("li-lei", "李雷", role="FinOps lead", links=(("github", "https://github.com/lilei"),)),
    )


def test_the_configs_author_is_the_default_byline_of_articles_not_pages(blog: Site) -> None:
    assert post(blog, "_posts/2019-05-01-cloud-costs.md").authors == ("jane",)
    assert post(blog, "_posts/2019-06-15-second-look.md").authors == ("li-lei",)
    assert post(blog, "about.md").authors == ()


def test_without_authors_yml_authors_are_the_names_posts_and_config_give(tmp_path: Path) -> None:
    site = make(tmp_path, {
        "_config.yml": "author:\n  name: Ada Admin\n  email: ada@example.org\n",
        "_posts/2021-01-01-a.md": "---\nauthors: [bob, carol]\n---\na\n",
        "_posts/2021-01-02-b.md": "---\n---\nb\n",
    })
    assert [p.authors for p in site.posts] == [("bob", "carol"), ("Ada Admin",)]
    assert site.authors == (Author("Ada Admin", "Ada Admin", links=(("email", "ada@example.org"),)),
                            Author("bob", "bob"), Author("carol", "carol"))


# ------------------------------------------------------------------------------------------------ pages


def test_pages_with_their_addresses(blog: Site) -> None:
    pages = {p.source: (p.title, p.name, p.aliases, p.body, p.date) for p in blog.posts if p.kind == "page"}
    assert pages == {
        "about.md": ("About", "about", ("/about.html",), "We write about Cloud Notes.\n", None),
        "contact/index.md": ("Contact", "contact", ("/contact/",), "Write to us.\n", None),
        "über-uns.md": ("Über uns", "über-uns", ("/über-uns/",), "Wer wir sind.\n", None),
    }


# --------------------------------------------------------------------------------------------- Eleventy


@pytest.fixture(scope="module")
def eleventy() -> Site:
    return read(FIXTURES / "eleventy")


def test_eleventy_site_settings_come_from_its_metadata(eleventy: Site) -> None:
    assert (eleventy.format, eleventy.title, eleventy.base_url, eleventy.language) == (
        "jekyll", "Eleventy Notes", "https://eleventy.example/", "de")
    assert eleventy.notes == (Note("skipped", "index.md: a page the old site makes for itself (index)"),)


def test_eleventy_posts(eleventy: Site) -> None:
    first = post(eleventy, "posts/2022-05-01-first-note.md")
    assert (first.title, first.name, first.date, first.tags, first.aliases) == (
        "First note", "first-note", dt.datetime(2022, 5, 1, 8, tzinfo=dt.UTC), ("cloud",),
        ("/posts/2022-05-01-first-note/",))
    assert first.body == '<aside>Plain callout.</aside>\n\n{% image "cat.jpg", "A cat" %}\n'
    assert first.notes == (Note("converted", 'Liquid include inlined: {% include "callout.html" %}'),
                           Note("verbatim", 'kept verbatim: {% image "cat.jpg", "A cat" %}'))
    second = post(eleventy, "posts/second.md")
    assert (second.tags, second.aliases, second.draft) == ((), ("/notes/second/",), False)


def test_eleventy_permalink_false_is_a_draft_without_an_address(eleventy: Site) -> None:
    hidden = post(eleventy, "posts/hidden.md")
    assert (hidden.draft, hidden.aliases) == (True, ())
    assert hidden.notes == (Note("converted", "permalink: false (never published): imported as a draft"),)


def test_eleventy_pages(eleventy: Site) -> None:
    about = post(eleventy, "about.md")
    assert (about.kind, about.title, about.aliases) == ("page", "About these notes", ("/about/",))


def test_eleventy_config_file_names_and_a_permalink_not_understood(tmp_path: Path) -> None:
    site = make(tmp_path, {
        "eleventy.config.mjs": "export default function (c) { return { dir: { input: 'content' } }; }\n",
        "content/blog/x/index.md": "---\ntitle: X\ndate: 2023-01-01\n---\nx\n",
        "content/blog/y.md": "---\ntitle: Y\npermalink: \"/{{ page.date | date: '%Y' }}/y/\"\n---\ny\n",
    })
    x, y = site.posts
    assert (x.name, x.aliases) == ("x", ("/blog/x/",))
    assert (y.date, y.aliases) == (None, ("/blog/y/",))
    assert y.notes == (
        Note("converted", "no date in its front matter or file name: dated on import"),
        Note("verbatim", "permalink not understood, the file's own address used: /{{ page.date | date: '%Y' }}/y/"),
    )


# ---------------------------------------------------------------------------------------- unreadable


def test_a_folder_that_is_neither_jekyll_nor_eleventy() -> None:
    with pytest.raises(UnreadableSource) as raised:
        read(FIXTURES / "neither")
    assert "is not a Jekyll site: it has no _config.yml and no _posts folder" in str(raised.value)
    assert "_config.yml" in raised.value.hint and "eleventy.config.js" in raised.value.hint


def test_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "export.xml").write_text("<rss/>", encoding="utf-8")
    with pytest.raises(UnreadableSource, match="is not a folder"):
        read(tmp_path / "export.xml")


def test_posts_without_a_config_and_a_broken_config(tmp_path: Path) -> None:
    bare = make(tmp_path / "bare", {"_posts/2021-01-01-x.md": "---\ntitle: X\n---\nx\n"})
    assert (bare.title, [p.aliases for p in bare.posts]) == ("", [("/2021/01/01/x.html",)])
    broken = make(tmp_path / "broken", {"_config.yml": "title: [oops\n", "_posts/2021-01-01-x.md": "x\n"})
    assert [note.kind for note in broken.notes] == ["lost"]
    assert broken.notes[0].what.startswith("_config.yml could not be read")
    assert broken.posts[0].body == "x\n"


# ------------------------------------------------------------------------------------------ oddities


def test_a_file_in_posts_without_a_date_in_its_name_is_a_draft(tmp_path: Path) -> None:
    found = one_post(tmp_path, "", "notes-for-later.md", "---\ntitle: Later\ndate: 2021-05-05\n---\nx\n")
    assert (found.draft, found.aliases, found.date) == (True, (), dt.datetime(2021, 5, 5, tzinfo=dt.UTC))
    assert found.notes == (Note("converted", "no date in the file name: never published by Jekyll, imported as a draft"),)


def test_nested_liquid_logic_is_kept_and_noted(tmp_path: Path) -> None:
    text = "---\n---\n{% if a %}{% if b %}x{% endif %}y{% endif %}\n"
    found = one_post(tmp_path, "", "2021-01-01-p.md", text)
    assert found.body == "{% if a %}{% if b %}x{% endif %}y{% endif %}\n"
    assert found.notes == (Note("verbatim", "kept verbatim: {% if a %}…{% endif %}"),
                           Note("verbatim", "kept verbatim: {% endif %}"))


def test_an_unknown_timezone_is_noted_and_utc_used(tmp_path: Path) -> None:
    site = make(tmp_path, {"_config.yml": "timezone: Mars/Olympus\n", "_posts/2021-01-01-x.md": "---\n---\nx\n"})
    assert site.notes == (Note("lost", "_config.yml: unknown timezone 'Mars/Olympus': dates without a zone are UTC"),)
    assert site.posts[0].date == dt.datetime(2021, 1, 1, tzinfo=dt.UTC)


def test_eleventy_3_input_directory_and_folder_data(tmp_path: Path) -> None:
    site = make(tmp_path, {
        "eleventy.config.js": 'export default function (c) { c.setInputDirectory("site"); }\n',
        "site/blog/blog.11tydata.json": '{"tags": ["posts", "notes"], "author": "kim"}',
        "site/blog/2024-02-03-hello.md": "---\ntitle: Hello\n---\nHi\n",
    })
    (hello,) = site.posts
    assert (hello.date, hello.tags, hello.authors, hello.aliases) == (
        dt.datetime(2024, 2, 3, tzinfo=dt.UTC), ("notes",), ("kim",), ("/blog/2024-02-03-hello/",))


def test_text_that_is_not_utf8_is_read_and_noted(tmp_path: Path) -> None:
    text = "---\ntitle: Café\n---\nDéjà vu\n".encode("cp1252")
    (found,) = make(tmp_path, {"_config.yml": "", "_posts/2021-01-01-p.md": text}).posts
    assert (found.title, found.body) == ("Café", "Déjà vu\n")
    assert found.notes == (Note("converted", "not UTF-8: read as Windows-1252"),)


def test_kramdown_extensions(tmp_path: Path) -> None:
    text = ("---\n---\n* TOC\n{:toc}\n\n## One\n{: #first .big}\n\n{::comment}\nnote to self\n{:/comment}\n"
            "{::options parse_block_html=\"true\" /}\n{::nomarkdown}<b>raw</b>{:/nomarkdown}\n")
    found = one_post(tmp_path, "", "2021-01-01-p.md", text)
    assert found.body == "## One\n{: #first .big}\n\n<b>raw</b>\n"
    assert found.notes == (Note("converted", "kramdown comment removed"), Note("converted", "kramdown options removed"),
                           Note("converted", "kramdown nomarkdown block kept as raw HTML"),
                           Note("lost", "kramdown table of contents ({:toc}): themehub makes none"))
