"""The import's pipeline, for every format alike: old addresses, names (slugs, themes, picture places),
summaries, and bodies rewritten (pictures, links between posts, links the hub cannot answer)."""

from __future__ import annotations

import datetime as dt

from themehub.importing.files import path_aliases, rewrite_body, summary_of
from themehub.importing.model import Author, Picture, Post, Site
from themehub.importing.names import name_everything, normal_path, old_path

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
BASE = "https://old.example/blog/"


def post(name: str, *, categories: tuple[str, ...] = (), draft: bool = False, body: str = "",
         aliases: tuple[str, ...] = (), date: dt.datetime | None = dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
         pictures: tuple[Picture, ...] = (), kind: str = "article") -> Post:
    return Post(kind=kind, source=f"{name}.md", title=name.title(), name=name, date=date,  # type: ignore[arg-type]
                body=body, categories=categories, draft=draft, aliases=aliases, pictures=pictures)


def site(*posts: Post, authors: tuple[Author, ...] = ()) -> Site:
    return Site(format="wordpress", title="Old", base_url=BASE, posts=posts, authors=authors)


def test_old_addresses_are_read_below_the_old_base_url() -> None:
    assert old_path("https://old.example/blog/2019/05/x/", BASE) == "/2019/05/x/"
    assert old_path("https://OLD.example/blog/?p=12", BASE) == "/?p=12"
    assert old_path("/blog/about/", BASE) == "/about/"
    assert old_path("https://elsewhere.example/blog/x/", BASE) is None
    assert old_path("mailto:a@b.c", BASE) is None and old_path("../x/", BASE) is None
    assert normal_path("/2019/05/x") == "/2019/05/x/" and normal_path("/old/x.html") == "/old/x.html"
    assert normal_path("/%E4%BA%91/") == "/云/" and normal_path("/?p=12") == "/?p=12"


def test_the_most_used_categories_become_themes_and_uncategorized_never() -> None:
    posts = [post("a", categories=("Cloud", "Uncategorized")), post("b", categories=("Cloud", "Data")),
             post("c", categories=("Data", "AI")), post("d", categories=("Uncategorized",)),
             post("e", categories=("Uncategorized",)), post("p", categories=("Zzz", "Zzz2"), kind="page")]
    names = name_everything(site(*posts), themes=2, now=NOW)
    assert names.themes == (("cloud", "Cloud", 2), ("data", "Data", 2))  # ties by slug; pages do not count
    assert names.demoted == ("Uncategorized", "AI")
    assert names.fallback_theme  # d and e have no theme left


def test_slugs_are_unique_and_pages_never_take_a_sections_name() -> None:
    names = name_everything(site(post("Cloud Costs"), post("cloud-costs"), post("articles", kind="page"),
                                 post("%E4%BA%91")), themes=3, now=NOW)
    assert list(names.posts.values()) == ["cloud-costs", "cloud-costs-2", "articles-2", "云"]


def test_pictures_keep_their_year_and_month_and_never_share_a_place() -> None:
    first = Picture("https://old.example/blog/wp-content/uploads/2019/05/a.jpg", None)
    second = Picture("https://old.example/blog/wp-content/uploads/2020/01/a.jpg", None)
    bundle = Picture("/2019/05/x/A Photo.JPG", None)
    names = name_everything(site(post("x", pictures=(first, second, bundle))), themes=1, now=NOW)
    assert names.pictures == {first.reference: "images/imported/2019/05/a.jpg",
                              second.reference: "images/imported/2020/01/a.jpg",
                              bundle.reference: "images/imported/a-photo.jpg"}


def test_a_summary_is_the_excerpt_or_the_first_sentence() -> None:
    assert summary_of(post("x"), "# Title\n\nA **bold** start, with `code`. And more.") == \
        "A bold start, with code."
    assert summary_of(post("x"), "![pic](a.jpg)\n\nShort") == "Short"


def test_bodies_get_new_addresses_and_lose_no_word() -> None:
    picture = Picture("https://old.example/blog/wp-content/uploads/2019/05/a.jpg", None, "A")
    gone = Picture("https://old.example/blog/wp-content/uploads/2019/05/gone.jpg", None, "Gone")
    body = ("![A](https://old.example/blog/wp-content/uploads/2019/05/a.jpg) ![Gone](https://old.example/blog/"
            "wp-content/uploads/2019/05/gone.jpg)\n\n[next](https://old.example/blog/2019/06/next/#part) "
            "[draft](/blog/2019/07/draft/) [lost](https://old.example/blog/2018/01/lost/) "
            "[cloud](https://old.example/blog/category/cloud/) [home](https://old.example/blog/) "
            "[other](https://other.example/x/)")
    posts = (post("x", body=body, pictures=(picture, gone), categories=("Cloud",)),
             post("next", aliases=("/2019/06/next/",), categories=("Cloud",)),
             post("draft", aliases=("/2019/07/draft/",), draft=True))
    the_site = site(*posts)
    names = name_everything(the_site, themes=1, now=NOW)
    text, missing, notes = rewrite_body(body, the_site, names,
                                        lambda ref: None if "gone" in ref else "/" + names.pictures[ref])
    assert "![A](/images/imported/2019/05/a.jpg)" in text
    assert "*[missing picture: Gone]*" in text and missing == [gone.reference]
    assert "[next](/articles/next/#part)" in text
    assert " draft " in text and "lost" in text and "[lost]" not in text  # their text kept, no broken link
    assert "[cloud](/themes/cloud/)" in text
    assert "[home](https://old.example/blog/)" in text and "[other](https://other.example/x/)" in text
    assert len(notes) == 2 and all(n.kind == "converted" for n in notes)


def test_aliases_leave_out_the_pages_own_address_and_keep_old_ids() -> None:
    p = post("x", aliases=("/articles/x/", "/2019/05/x/", "https://old.example/blog/?p=10", "/?s=a&b=c", "/",
                           "/about/"))
    about = post("about", kind="page")
    names = name_everything(site(p, about), themes=1, now=NOW)
    assert path_aliases(p, site(p, about), names) == ["/2019/05/x/", "/?p=10"]
