"""The Hugo reader: hand-made sites under tests/fixtures/import/hugo/ (blog: TOML config, permalinks,
page bundles, data/authors; plain: YAML config, default addresses; confdir: config/_default/), and
small sites written per test for single constructs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from themehub.importing import frontmatter
from themehub.importing.hugo import read, sanitize
from themehub.importing.model import Note, Picture, Post, Site, UnreadableSource

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import" / "hugo"
BLOG = FIXTURES / "blog"
BERLIN_WINTER = dt.timezone(dt.timedelta(hours=1))
BERLIN_SUMMER = dt.timezone(dt.timedelta(hours=2))


@pytest.fixture(scope="module")
def blog() -> Site:
    return read(BLOG)


def post(site: Site, source: str) -> Post:
    return next(p for p in site.posts if p.source == source)


def write_site(root: Path, files: dict[str, str], config: str = 'title = "T"\nbaseURL = "https://t.example/"\n') -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def one_post(root: Path, body: str, front: str = "title: X\ndate: 2020-01-01\n", **config: str) -> Post:
    extra = "".join(f"{key} = {value}\n" for key, value in config.items())
    site = read(write_site(root, {"content/posts/x.md": f"---\n{front}---\n{body}"},
                           'title = "T"\nbaseURL = "https://t.example/"\n' + extra))
    return post(site, "content/posts/x.md")


# ----------------------------------------------------------------------------- the site


def test_site_config_from_hugo_toml(blog: Site) -> None:
    assert (blog.format, blog.title, blog.base_url, blog.language, blog.description) == (
        "hugo", "Old Blog", "https://old.example/blog/", "en", "Notes on cloud costs")
    assert blog.source == BLOG


def test_articles_pages_and_list_pages(blog: Site) -> None:
    kinds = {p.source: p.kind for p in blog.posts}
    assert kinds == {
        "content/about.md": "page",  # at the root, though dated
        "content/docs/Getting Started.md": "page",  # a section without dates
        "content/posts/broken.md": "article",
        "content/posts/cloud-costs/index.md": "article",
        "content/posts/scheduled.md": "article",
        "content/posts/second.md": "article",
        "content/posts/url-post.md": "article",
        "content/posts/云计算.md": "article",
        "content/über-uns/index.md": "page",
    }
    # _index.md files are list pages: only one with text is worth a note; the authors' term pages are bios.
    assert [n for n in blog.notes if n.kind == "skipped"] == [
        Note("skipped", "content/_index.md: a list page's text is not imported")]


def test_other_taxonomies_are_reported_lost(blog: Site) -> None:
    assert [n.what for n in blog.notes if n.kind == "lost"] == [
        "taxonomy 'topics' on 1 pages is not imported (only tags and 'categories' are)",
        "taxonomy 'series' on 1 pages is not imported (only tags and 'categories' are)",
    ]


# ----------------------------------------------------------------------------- a page bundle


def test_bundle_post_fields(blog: Site) -> None:
    p = post(blog, "content/posts/cloud-costs/index.md")
    assert p.title == "Cloud costs: the 3.10 rule"
    assert p.name == "cloud-costs"
    assert p.date == dt.datetime(2019, 5, 14, 9, 30, tzinfo=BERLIN_SUMMER)
    assert p.updated == dt.datetime(2019, 6, 1, tzinfo=BERLIN_SUMMER)  # a date alone: midnight in timeZone
    assert p.summary == "Why the bill grows."
    assert (p.tags, p.categories, p.authors) == (("FinOps", "Budgets"), ("Cloud Economics",), ("jane-doe",))
    assert (p.draft, p.featured) == (False, False)


def test_permalinks_and_aliases(blog: Site) -> None:
    p = post(blog, "content/posts/cloud-costs/index.md")
    # its permalink first; an absolute alias as written; a relative one beside the page's address
    assert p.aliases == ("/2019/05/cloud-costs/", "/old/cloud-costs/", "/2019/05/cloud-costs-2019/")


def test_bundle_pictures_are_referenced_by_their_old_address(blog: Site) -> None:
    p = post(blog, "content/posts/cloud-costs/index.md")
    bundle = BLOG / "content/posts/cloud-costs"
    assert p.image == Picture("/2019/05/cloud-costs/cover.jpg", bundle / "cover.jpg")
    assert p.pictures == (
        Picture("/2019/05/cloud-costs/chart.png", bundle / "chart.png", "A chart"),
        Picture("/2019/05/cloud-costs/diagram.png", bundle / "diagram.png", "She said \"stop\" — and 'we' did"),
        Picture("https://cdn.example/x.png", None, "Remote"),
        Picture("/images/chart.png", BLOG / "static/images/chart.png", "Same chart"),
    )
    assert '![A chart](/2019/05/cloud-costs/chart.png "Monthly bill")' in p.body
    assert '<img src="/images/chart.png" alt="Same chart">' in p.body


def test_bundle_body_shortcodes(blog: Site) -> None:
    body = post(blog, "content/posts/cloud-costs/index.md").body
    assert body == (
        "Intro text.\n\n"
        '![A chart](/2019/05/cloud-costs/chart.png "Monthly bill")\n\n'
        "[![She said \"stop\" — and 'we' did](/2019/05/cloud-costs/diagram.png)](https://example.com/flow)\n"
        "*Flow — She said \"stop\" — and 'we' did*\n\n"
        "[YouTube video](https://www.youtube.com/watch?v=w7Ft2ymGmfc)\n\n"
        '```go\nfmt.Println("hi")\n```\n\n'
        "See /2020/01/second-post/.\n\n"
        "{{< notice warning >}}Be **careful**{{< /notice >}}\n\n"
        'Write shortcodes like {{< figure src="x.png" >}}.\n\n'
        '<img src="/images/chart.png" alt="Same chart">\n\n'
        "![Remote](https://cdn.example/x.png)\n"
    )


def test_bundle_notes(blog: Site) -> None:
    assert post(blog, "content/posts/cloud-costs/index.md").notes == (
        Note("converted", "{{< figure >}} ×1: image with caption"),
        Note("converted", "{{< highlight >}} ×1: fenced code block"),
        Note("converted", "{{< ref >}} ×1: old address of the page"),
        Note("converted", "{{< youtube >}} ×1: link to the video"),
        Note("verbatim", "kept verbatim: {{< notice warning >}}…{{< /notice >}}"),
        Note("lost", "front matter not carried over: menu"),  # weight is ignored without a word
    )


def test_page_bundle_with_non_ascii_name(blog: Site) -> None:
    p = post(blog, "content/über-uns/index.md")
    assert (p.kind, p.title, p.name, p.aliases, p.date) == ("page", "Über uns", "über-uns", ("/über-uns/",), None)
    assert p.body == "![Das Team](/über-uns/team.jpg)\n"
    assert p.pictures == (Picture("/über-uns/team.jpg", BLOG / "content/über-uns/team.jpg", "Das Team"),)
    assert p.authors == ()  # the default author is for articles


# ----------------------------------------------------------------------------- front matter forms


def test_toml_front_matter_draft_and_author_by_name(blog: Site) -> None:
    p = post(blog, "content/posts/second.md")
    assert (p.title, p.name, p.draft) == ("Second Post!", "second", True)
    assert p.date == dt.datetime(2020, 1, 2, tzinfo=BERLIN_WINTER)
    assert p.categories == ("Cloud Economics", "Security")
    assert p.authors == ("wang-wei",)  # "Wang Wei" is data/authors/wang-wei
    assert p.aliases == ("/2020/01/second-post/",)  # :slug without a slug is the title, urlized
    assert p.body == "Second body with [Gist 7896402 by spf13](https://gist.github.com/spf13/7896402).\n"


def test_json_front_matter_with_url(blog: Site) -> None:
    p = post(blog, "content/posts/url-post.md")
    assert (p.title, p.tags, p.featured, p.body) == ("Moved", ("Moves",), True, "Moved body.\n")
    assert p.date == dt.datetime(2021, 3, 4, 10, tzinfo=dt.UTC)
    assert p.aliases == ("/legacy/moved.html",)  # url wins over the permalink


def test_crlf_bom_and_non_ascii_file(blog: Site) -> None:
    p = post(blog, "content/posts/云计算.md")
    assert (p.title, p.name, p.body) == ("云计算入门", "云计算", "第一段。\n\n第二段。\n")
    assert p.aliases == ("/2022/07/云计算入门/",)
    assert p.notes == ()


def test_unreadable_front_matter_keeps_every_word(blog: Site) -> None:
    p = post(blog, "content/posts/broken.md")
    assert p.body == "---\ntitle: Broken: oops: no\ntags: [a\n---\nEvery word stays.\n"
    assert p.title == "broken"
    assert p.aliases == ("/posts/broken/",)  # no date for the permalink: Hugo's default address
    assert p.notes == (
        Note("verbatim", "content/posts/broken.md: front matter could not be read at line 2 "
                         "(YAML: mapping values are not allowed here): the whole file is kept as the body"),
        Note("converted", "no title: the file name is used"),
    )


def test_publish_date_and_expiry(blog: Site) -> None:
    p = post(blog, "content/posts/scheduled.md")
    assert p.date == dt.datetime(2099, 6, 1, 8, tzinfo=dt.UTC)
    assert p.aliases == ("/2024/01/scheduled/",)  # Hugo's permalink uses `date`
    assert p.notes == (
        Note("converted", "publishDate 2099-06-01T08:00:00+00:00 is later than the date: used as the date, "
                          "so the piece is published then"),
        Note("converted", "scheduled: dated 2099-06-01T08:00:00+00:00, in the future"),
        Note("converted", "expiryDate 2100-01-01T00:00:00+01:00 is `expires`: the piece then leaves listings "
                          "and keeps its page"),
    )
    assert p.expires == dt.datetime(2100, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def test_past_expiry_is_said(tmp_path: Path) -> None:
    p = one_post(tmp_path, "x", "title: X\ndate: 2020-01-01\nexpiryDate: 2021-01-01\n")
    assert p.notes == (Note("converted", "expiryDate 2021-01-01T00:00:00+00:00 (already past: Hugo no longer "
                                         "published it) is `expires`: the piece then leaves listings and keeps "
                                         "its page"),)
    assert p.expires == dt.datetime(2021, 1, 1, tzinfo=dt.UTC)


# ----------------------------------------------------------------------------- shortcodes


def test_ref_relref_with_anchor_and_bare_name(blog: Site) -> None:
    p = post(blog, "content/docs/Getting Started.md")
    assert p.body == ("Read [the cloud costs post](/2019/05/cloud-costs/) and "
                      "[the second one](/2020/01/second-post/#why).\n")
    assert p.aliases == ("/docs/getting-started/",)


def test_param_from_config_or_verbatim(blog: Site) -> None:
    p = post(blog, "content/about.md")
    assert p.body == 'Write to help@old.example or {{< param "nowhere" >}}.\n'
    assert p.notes == (Note("converted", "{{< param >}} ×1: the value from the config"),
                       Note("verbatim", 'kept verbatim: {{< param "nowhere" >}}'))


def test_figure_named_args_with_nested_quotes(tmp_path: Path) -> None:
    body = ('{{< figure src="https://cdn.example/a.png" alt="The \\"big\\" one" '
            "caption=`Say \"hi\" and 'bye'` attr=\"CC\" attrlink=\"https://cc.example\" >}}")
    p = one_post(tmp_path, body)
    assert p.body == ('![The "big" one](https://cdn.example/a.png)\n'
                      "*Say \"hi\" and 'bye' — [CC](https://cc.example)*")


def test_video_and_social_shortcodes(tmp_path: Path) -> None:
    body = ('{{< youtube id="abc" title="Talk" >}}\n{{< vimeo 146022717 >}}\n'
            '{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}\n{{< tweet 877500564405444608 >}}\n'
            "{{< x user=jane id=42 >}}\n{{< instagram BWNjjyYFxVx >}}\n")
    assert one_post(tmp_path, body).body == (
        "[Talk](https://www.youtube.com/watch?v=abc)\n[Vimeo video](https://vimeo.com/146022717)\n"
        "[Post by @SanDiegoZoo on X](https://x.com/SanDiegoZoo/status/1453110110599868418)\n"
        "[Post on X](https://x.com/i/status/877500564405444608)\n"
        "[Post by @jane on X](https://x.com/jane/status/42)\n"
        "[Instagram post](https://www.instagram.com/p/BWNjjyYFxVx/)\n")


def test_highlight_fence_is_longer_than_backticks_inside(tmp_path: Path) -> None:
    body = "{{% highlight markdown %}}\n```go\nx\n```\n{{% /highlight %}}\n"
    assert one_post(tmp_path, body).body == "````markdown\n```go\nx\n```\n````\n"


def test_unknown_shortcodes_keep_their_text_and_inner_is_converted(tmp_path: Path) -> None:
    body = ('{{< details summary="More \\"info\\"" >}}\n{{< youtube abc >}}\n{{< /details >}}\n'
            "{{< rawhtml />}} {{% callout %}}\n")
    p = one_post(tmp_path, body)
    assert p.body == ('{{< details summary="More \\"info\\"" >}}\n[YouTube video](https://www.youtube.com/watch?v=abc)\n'
                      "{{< /details >}}\n{{< rawhtml />}} {{% callout %}}\n")
    assert p.notes == (
        Note("converted", "{{< youtube >}} ×1: link to the video"),
        Note("verbatim", 'kept verbatim: {{< details summary="More \\"info\\"" >}}…{{< /details >}}'),
        Note("verbatim", "kept verbatim: {{< rawhtml />}}"),
        Note("verbatim", "kept verbatim: {{% callout %}}"),
    )


def test_ref_to_a_missing_page_and_a_stray_closing_tag(tmp_path: Path) -> None:
    p = one_post(tmp_path, '[x]({{< ref "nowhere.md" >}}) {{< /note >}}')
    assert p.body == '[x]({{< ref "nowhere.md" >}}) {{< /note >}}'
    assert p.notes == (Note("verbatim", 'kept verbatim: {{< ref "nowhere.md" >}}'),
                       Note("verbatim", "closing shortcode without an opening one: {{< /note >}}"))


def test_shortcode_comments_become_literal(tmp_path: Path) -> None:
    body = '```\n{{</* youtube abc */>}}\n{{%/* note */%}}\n```\n'
    p = one_post(tmp_path, body)
    assert p.body == "```\n{{< youtube abc >}}\n{{% note %}}\n```\n"
    assert p.notes == ()


# ----------------------------------------------------------------------------- default addresses, taxonomies, authors


@pytest.fixture(scope="module")
def plain() -> Site:
    return read(FIXTURES / "plain", taxonomy="topics")


def test_yaml_config(plain: Site) -> None:
    assert (plain.title, plain.base_url, plain.language, plain.description) == (
        "Plain", "https://plain.example/", "de", "")


def test_default_address_is_lowercased_and_urlized(plain: Site) -> None:
    p = post(plain, "content/post/My First Post.md")
    assert (p.name, p.aliases) == ("My First Post", ("/post/my-first-post/", "/post/first/", "/archive/first-post/"))
    assert post(plain, "content/post/with-slug.md").aliases == ("/post/custom-slug/",)
    assert post(plain, "content/notes/idea.md").aliases == ("/notes/idea/",)


def test_custom_taxonomy_becomes_categories(plain: Site) -> None:
    p = post(plain, "content/post/My First Post.md")
    assert (p.categories, p.tags) == (("Platform Engineering",), ("Ignored",))
    assert Note("converted", "categories kept as tags: Ignored") in p.notes


def test_authors_without_data(plain: Site) -> None:
    assert [(a.id, a.name) for a in plain.authors] == [
        ("sam", "Sam"), ("robin-hood", "Robin Hood"), ("Sam Sample", "Sam Sample")]
    assert post(plain, "content/post/My First Post.md").authors == ("sam", "robin-hood")
    assert post(plain, "content/post/no-author.md").authors == ("Sam Sample",)  # params.author.name


def test_quoted_draft_pinned_and_cover_mapping(plain: Site) -> None:
    assert post(plain, "content/post/no-author.md").draft is True
    assert post(plain, "content/post/no-author.md").body == ""
    p = post(plain, "content/post/with-slug.md")
    assert (p.name, p.featured) == ("Custom Slug", True)
    assert p.image == Picture("https://cdn.example/cover.jpg", None, "A cover")


def test_missing_static_picture_has_no_file(plain: Site) -> None:
    assert post(plain, "content/post/My First Post.md").image == Picture("/missing.png", None)


def test_authors_from_data_files(blog: Site) -> None:
    jane, wang = blog.authors
    assert (jane.id, jane.name, jane.bio, jane.role) == (
        "jane-doe", "Jane Doe", "Jane writes about **cloud costs**.", "Principal analyst")
    assert jane.avatar == Picture("/images/jane.jpg", BLOG / "static/images/jane.jpg", "Jane Doe")
    assert jane.links == (("twitter", "https://x.com/janedoe"), ("website", "https://jane.example"))
    # data/authors/wang-wei.toml, with the bio of the authors taxonomy's term page
    assert (wang.id, wang.name, wang.bio, wang.links) == (
        "wang-wei", "王伟", "Wang Wei builds data platforms.", (("github", "https://github.com/wangwei"),))


def test_single_authors_data_file(tmp_path: Path) -> None:
    write_site(tmp_path, {
        "data/authors.yaml": "ana:\n  name: Ana Lima\n  social:\n    linkedin: analima\nbo: Bo\n",
        "content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\nauthor: ana\n---\n",
    })
    site = read(tmp_path)
    assert [(a.id, a.name, a.links) for a in site.authors] == [
        ("ana", "Ana Lima", (("linkedin", "https://www.linkedin.com/in/analima"),)), ("bo", "Bo", ())]


def test_config_folder_and_contentbasename() -> None:
    site = read(FIXTURES / "confdir")
    assert (site.title, site.description) == ("Config dir", "From params.toml")
    (entry,) = site.posts
    assert entry.aliases == ("/blog/2021/entry/",)  # the date's own offset, not UTC (2022 there)
    assert entry.date == dt.datetime(2021, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


# ----------------------------------------------------------------------------- smaller cases


def test_ugly_urls_and_disable_path_to_lower(tmp_path: Path) -> None:
    assert one_post(tmp_path / "a", "", uglyURLs="true").aliases == ("/posts/x.html",)
    p = one_post(tmp_path / "b", "", "title: X\nslug: Keep Case\n", disablePathToLower="true")
    assert p.aliases == ("/posts/Keep-Case/",)


def test_translations_headless_bundles_and_other_formats_are_skipped(tmp_path: Path) -> None:
    config = 'title = "T"\ndefaultContentLanguage = "en"\n[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n'
    site = read(write_site(tmp_path, {
        "content/posts/a.md": "---\ntitle: A\n---\nA",
        "content/posts/a.fr.md": "---\ntitle: A (fr)\n---\nUn",
        "content/posts/b.en.md": "---\ntitle: B\n---\nB",
        "content/shared/index.md": "---\nheadless: true\n---\n",
        "content/legacy.html": "---\ntitle: L\n---\n<p>L</p>",
    }, config))
    assert [(p.source, p.name) for p in site.posts] == [("content/posts/a.md", "a"), ("content/posts/b.en.md", "b")]
    assert site.notes == (
        Note("skipped", "content/legacy.html: .html content is not imported"),
        Note("skipped", "content/posts/a.fr.md: translation (fr) not imported"),
        Note("skipped", "content/shared/index.md: a headless bundle (no page of its own)"),
    )


def test_pictures_outside_the_site_are_not_taken(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(b"x")
    p = one_post(tmp_path / "site", "![s](../../../secret.png)")
    assert p.pictures == (Picture("../../../secret.png", None, "s"),)


def test_full_urls_of_the_old_site(tmp_path: Path) -> None:
    site = write_site(tmp_path, {
        "content/posts/x.md": "---\ntitle: X\naliases: [https://t.example/blog/old/, https://elsewhere.example/x/]\n---\n"
                              "![a](https://t.example/blog/images/a.png)",
        "static/images/a.png": "x",
    }, 'baseURL = "https://t.example/blog/"\n')
    p = read(site).posts[0]
    assert p.aliases == ("/posts/x/", "/old/")
    assert p.pictures == (Picture("https://t.example/blog/images/a.png", site / "static/images/a.png", "a"),)
    assert p.notes == (Note("lost", "alias on another site: https://elsewhere.example/x/"),)


def test_percent_encoded_file_name(tmp_path: Path) -> None:
    p = read(write_site(tmp_path, {"content/posts/%e4%ba%91.md": "---\ntitle: Cloud\n---\n"})).posts[0]
    assert (p.name, p.aliases) == ("云", ("/posts/云/",))  # addresses are unencoded


def test_featured_file_of_a_bundle(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"content/posts/b/index.md": "---\ntitle: B\ndate: 2020-01-01\n---\n"})
    (site / "content/posts/b/featured.webp").write_bytes(b"x")
    assert read(site).posts[0].image == Picture("/posts/b/featured.webp", site / "content/posts/b/featured.webp")


def test_not_a_hugo_site(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# hi", encoding="utf-8")
    with pytest.raises(UnreadableSource) as caught:
        read(tmp_path)
    assert "is not a Hugo site" in str(caught.value)
    assert caught.value.hint == "give the folder that holds the site's config file and its content/ folder"


def test_unreadable_config(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text('title = "T\n', encoding="utf-8")
    with pytest.raises(UnreadableSource, match=r"hugo.toml cannot be read \(line 1\)"):
        read(tmp_path)


def test_no_content_folder(tmp_path: Path) -> None:
    site = read(write_site(tmp_path, {}))
    assert site.posts == () and site.notes == (Note("skipped", "the site has no content/ folder: nothing to import"),)


@pytest.mark.parametrize(("path", "expected"), [
    ("My First Post", "my-first-post"), ("a-----b", "a-b"), ("a- b", "a-b"), ("中点・テスト", "中点テスト"),
    ("Über Uns!", "über-uns"), ("c++ & go", "c++-go"), ("100%", "100"), ("%e4%ba%91", "%e4%ba%91"),
])
def test_sanitize_like_hugo(path: str, expected: str) -> None:
    assert sanitize(path) == expected


# ----------------------------------------------------------------------------- frontmatter.split


def test_split_yaml_as_written() -> None:
    meta, body, notes = frontmatter.split("---\ntitle: 3.10\nok: yes\ndraft: true\nn: 0777\nd: 2024-01-05\n---\nB", "x")
    assert meta == {"title": "3.10", "ok": "yes", "draft": True, "n": "0777", "d": dt.date(2024, 1, 5)}
    assert (body, notes) == ("B", ())


def test_split_toml_json_and_none() -> None:
    assert frontmatter.split("+++\ntitle = 'T'\nn = 3\n+++\n\nB\n", "x") == ({"title": "T", "n": 3}, "B\n", ())
    assert frontmatter.split('{"title": "J"}\nB', "x") == ({"title": "J"}, "B", ())
    assert frontmatter.split("{{< figure >}}\n", "x") == ({}, "{{< figure >}}\n", ())
    assert frontmatter.split("{% include x %}\n", "x") == ({}, "{% include x %}\n", ())
    assert frontmatter.split("\ufeffjust text\r\n", "x") == ({}, "just text\n", ())


def test_split_errors_keep_the_text() -> None:
    assert frontmatter.split("---\ntitle: a\n", "x.md") == ({}, "---\ntitle: a\n", (
        Note("verbatim", "x.md: front matter could not be read at line 1 (the opening --- is never closed): "
                         "the whole file is kept as the body"),))
    _, body, (note,) = frontmatter.split("+++\ntitle = 'a'\nbad = \n+++\nB", "x.md")
    assert body == "+++\ntitle = 'a'\nbad = \n+++\nB"
    assert note.what.startswith("x.md: front matter could not be read at line 3 (TOML: Invalid value")
    _, _, (note,) = frontmatter.split("---\n- a\n---\n", "x.md")
    assert "YAML is a list, not a mapping of keys" in note.what


def test_moment() -> None:
    assert frontmatter.moment("2024-01-05 10:00:00 +0100") == dt.datetime(2024, 1, 5, 10, tzinfo=BERLIN_WINTER)
    assert frontmatter.moment("2024-01-05T10:00:00Z") == dt.datetime(2024, 1, 5, 10, tzinfo=dt.UTC)
    assert frontmatter.moment(dt.date(2024, 1, 5), BERLIN_WINTER) == dt.datetime(2024, 1, 5, tzinfo=BERLIN_WINTER)
    assert frontmatter.moment("soon") is None
