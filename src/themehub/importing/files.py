"""The text of every file an import writes: articles, pages, SMEs, campaign themes and, for a new hub,
themehub.yaml. Bodies get their pictures' new places and their links to other imported posts as the
new pages' addresses; everything else in them is kept as the reader converted it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from themehub.content.readers import QUERY_ALIAS
from themehub.importing.model import Author, Note, Post, Site
from themehub.importing.names import FALLBACK_AUTHOR, FALLBACK_THEME, Names, normal_path, old_path, theme_slugs
from themehub.source.slugs import slugify

PictureAt = Callable[[str], str | None]
"""Picture.reference -> what the new files call it ('/images/imported/a.jpg', or a URL kept), None when
the picture could not be had (missing)."""

# A markdown link or image target, or an HTML src/href value.
_TARGETS = re.compile(r"(?P<open>\]\(\s*<?|\b(?:src|href)\s*=\s*[\"'])(?P<url>[^\s)\"'<>]+)")
_LINKS = re.compile(r"(?<!!)\[([^\]]*)\]\(\s*<?([^\s)>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
"""A whole markdown link (not an image): [text](url "title")."""
_SENTENCE = re.compile(r"^(.{20,200}?[.!?])(\s|$)")


@dataclass(frozen=True, slots=True)
class Written:
    path: str
    """Below the target site ('content/articles/x.md')."""
    text: str


def rewrite_body(body: str, site: Site, names: Names, picture_at: PictureAt) -> tuple[str, list[str], list[Note]]:
    """The body with pictures at their new places and links to imported posts as their new addresses;
    the pictures that are missing (their markdown images become a line saying so, alt text kept); and
    notes on links to posts the hub does not show yet, which become their text."""
    missing: list[str] = []
    notes: list[Note] = []

    def new_page(url: str) -> str | None:
        path = old_path(url.split("#", 1)[0], site.base_url)
        return names.addresses.get(normal_path(path)) if path is not None else None

    def unlink(match: re.Match[str]) -> str:
        """A link into the old site that the hub cannot answer (a post not shown yet, an address no
        imported post had) would be broken: its text is kept, and the report says where it went."""
        url, target = match[2], new_page(match[2])
        if target is not None:
            if target not in names.unpublished:
                return match[0]
            notes.append(Note("converted", f"a link to {url} (a draft or a scheduled post) is kept as its text: "
                                           f"link it again once /{target} is published"))
            return match[1]
        path = old_path(url.split("#", 1)[0], site.base_url)
        if path is None or url in names.pictures or urlsplit(path).path in ("", "/"):
            return match[0]
        listing = listing_of(urlsplit(path).path, names)
        if listing is not None:
            return f"[{match[1]}](/{listing})"
        notes.append(Note("converted", f"a link to {url}, an address of the old site none of the imported posts "
                                       "had, is kept as its text"))
        return match[1]

    def target(match: re.Match[str]) -> str:
        url = match["url"]
        if url in names.pictures:
            new = picture_at(url)
            if new is None:
                missing.append(url)
                return match.group(0)
            return match["open"] + new
        page = new_page(url)
        if page is not None:
            fragment = "#" + url.split("#", 1)[1] if "#" in url else ""
            return match["open"] + "/" + page + fragment
        return match.group(0)

    text = _TARGETS.sub(target, _LINKS.sub(unlink, body))
    for url in missing:  # a picture nobody can see any more: say what it showed, never a broken image
        image = re.compile(r"!\[([^\]]*)\]\(\s*<?" + re.escape(url) + r">?(\s+\"[^\"]*\")?\s*\)")
        text = image.sub(_missing_line(url), text)
    return text, missing, notes


def listing_of(path: str, names: Names) -> str | None:
    """The hub's page for an old archive address: a category that became a campaign theme
    (/category/cloud/ -> themes/cloud/), an author (/author/login/ -> authors/slug/)."""
    parts = [p for p in unquote(path).split("/") if p]
    if len(parts) >= 2 and parts[0] == "category":
        slug = slugify(parts[-1])
        if any(slug == theme for theme, _, _ in names.themes):
            return f"themes/{slug}/"
    if len(parts) == 2 and parts[0] == "author" and parts[1] in names.authors:
        return f"authors/{names.authors[parts[1]]}/"
    return None


def _missing_line(url: str) -> Callable[[re.Match[str]], str]:
    return lambda match: f"*[missing picture: {match[1] or url}]*"


def front_matter(fields: Mapping[str, Any]) -> str:
    """YAML that themehub reads back as written: keys in the given order, text quoted where YAML would
    read something else, no empty values."""
    kept = {key: value for key, value in fields.items() if value not in (None, "", [], (), False)}
    return "---\n" + yaml.safe_dump(kept, sort_keys=False, allow_unicode=True, width=10_000,
                                     default_flow_style=False) + "---\n"


def summary_of(post: Post, body: str) -> str:
    """The post's excerpt, else the first sentence of its first paragraph of text (what WordPress shows
    when a post has no excerpt): cards, feeds and search results need one."""
    if post.summary.strip():
        return " ".join(post.summary.split())
    for paragraph in body.split("\n\n"):
        text = " ".join(paragraph.split())
        if text and not text.startswith(("#", "!", "<", "|", "```", ">", "*[", "{")):
            text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
            text = re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)[*`]", "", text))  # bold and code marks, escapes
            match = _SENTENCE.match(text)
            return match[1] if match else text[:200].rsplit(" ", 1)[0] if len(text) > 200 else text
    return ""


def article_file(post: Post, site: Site, names: Names, picture_at: PictureAt, folder: str,
                 ) -> tuple[Written, list[str], list[Note]]:
    body, missing, notes = rewrite_body(post.body, site, names, picture_at)
    themes = theme_slugs(post, names.themes) or [FALLBACK_THEME[0]]
    theme_set = set(themes)
    tags = [*post.tags, *(c for c in post.categories if slugify(c) not in theme_set)]
    authors = [names.authors[a] for a in post.authors if a in names.authors] or [_default_author(site, names)]
    image = picture_at(post.image.reference) if post.image else None
    if post.image and image is None:
        missing.append(post.image.reference)
    fields: dict[str, Any] = {
        "title": post.title or names.posts[post.source],
        "date": post.date or dt.datetime(1970, 1, 1, tzinfo=dt.UTC),
        "updated": post.updated if post.updated and post.date and post.updated > post.date else None,
        "authors": authors,
        "themes": themes,
        "summary": summary_of(post, body),
        "tags": list(dict.fromkeys(tags)),
        "draft": post.draft,
        "featured": post.featured,
        "expires": post.expires,
        "image": image,
        "image_alt": post.image.alt if post.image and image else None,
        "aliases": path_aliases(post, site, names),
    }
    where = f"content/articles/{folder + '/' if folder else ''}{names.posts[post.source]}.md"
    return Written(where, front_matter(fields) + "\n" + body.strip("\n") + "\n"), missing, notes


def page_file(post: Post, site: Site, names: Names, picture_at: PictureAt,
              ) -> tuple[Written, list[str], list[Note]]:
    body, missing, notes = rewrite_body(post.body, site, names, picture_at)
    fields = {"title": post.title or names.posts[post.source], "summary": summary_of(post, body),
              "aliases": path_aliases(post, site, names)}
    return (Written(f"content/pages/{names.posts[post.source]}.md",
                    front_matter(fields) + "\n" + body.strip("\n") + "\n"), missing, notes)


def path_aliases(post: Post, site: Site, names: Names) -> list[str]:
    """The old addresses themehub can redirect from with a page of its own: paths, and the home page's
    one-parameter ids (`/?p=12`); not an address that is a page of the hub (its own, another's)."""
    found: list[str] = []
    for alias in post.aliases:
        path = normal_path(old_path(alias, site.base_url) or alias)
        if (path.strip("/") and path not in names.occupied
                and (not path.startswith("/?") or QUERY_ALIAS.fullmatch(path))):
            found.append(path)
    return list(dict.fromkeys(found))


def author_file(author: Author, slug: str, picture_at: PictureAt) -> Written:
    avatar = picture_at(author.avatar.reference) if author.avatar else None
    fields = {"name": author.name or slug, "role": author.role, "avatar": avatar,
              "links": dict(author.links) or None}
    return Written(f"content/authors/{slug}.md", front_matter(fields) + "\n" + author.bio.strip() + "\n")


def fallback_author_file() -> Written:
    return Written(f"content/authors/{FALLBACK_AUTHOR[0]}.md", front_matter({"name": FALLBACK_AUTHOR[1]}) + "\n"
                   "The posts of the old site that name no author.\n")


def theme_file(slug: str, title: str, count: int) -> Written:
    return Written(f"content/themes/{slug}.md",
                   front_matter({"title": title}) + f"\nImported: the {count} posts filed under {title}.\n")


def fallback_theme_file() -> Written:
    return Written(f"content/themes/{FALLBACK_THEME[0]}.md", front_matter({"title": FALLBACK_THEME[1]}) +
                   "\nImported posts none of whose categories became a campaign theme.\n")


def config_file(site: Site) -> Written:
    base_url = site.base_url or "https://example.com/"
    fields = {"title": site.title or "Imported hub", "base_url": base_url, "description": site.description,
              "language": site.language}
    return Written("themehub.yaml", front_matter(fields).removeprefix("---\n").removesuffix("---\n"))


def _default_author(site: Site, names: Names) -> str:
    """Who wrote a post that names nobody: the site's only author, else the editorial team."""
    if len(site.authors) == 1:
        return names.authors[site.authors[0].id]
    return FALLBACK_AUTHOR[0]
