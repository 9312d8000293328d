"""The names an import gives things, for every format alike: each post's and author's slug, which
categories become campaign themes (the N most used) and which stay tags, where each picture goes
below static/, and the new address of every old one."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from themehub.content.kinds import RESERVED_SLUGS
from themehub.importing.model import Picture, Post, Site
from themehub.source.slugs import slugify

FALLBACK_THEME = ("from-the-archive", "From the archive")
"""The campaign theme of articles none of whose categories became one (themehub needs one per article)."""
FALLBACK_AUTHOR = ("editorial-team", "Editorial team")
"""The SME of posts the source names no author for, when the source has not exactly one author."""
UNCATEGORIZED = frozenset({"uncategorized", "uncategorised", "allgemein", "non-classé", "sin-categoría"})
"""WordPress's default category (in a few languages): it says nothing, so it never becomes a theme."""
PICTURES = "images/imported"
"""Below static/: where imported pictures go (/images/imported/...)."""


@dataclass(frozen=True, slots=True)
class Names:
    posts: dict[str, str]
    """Post.source -> its themehub slug."""
    authors: dict[str, str]
    """Author.id -> SME slug (the fallback author's id is '')."""
    themes: tuple[tuple[str, str, int], ...]
    """(slug, title, articles) of each campaign theme made, most used first."""
    demoted: tuple[str, ...]
    """Categories left as tags (beyond --themes N, or WordPress's 'Uncategorized')."""
    pictures: dict[str, str]
    """Picture.reference -> its path below static/ ('images/imported/2019/05/a.jpg')."""
    addresses: dict[str, str]
    """Every old path (alias, below the old site's root, ending '/' unless it has a query or a file
    name) -> the new page's path below the new site's root ('articles/x/')."""
    occupied: frozenset[str]
    """Addresses that are pages of the hub ('/about/', '/articles/x/': the target hub's own, and every
    imported post's new one): an old address equal to one is not made a redirect (it would hide the page)."""
    unpublished: frozenset[str]
    """The new paths of posts the hub will not show yet (drafts, and those dated after the import): a link
    to one would be broken, so it becomes its text (files.py)."""
    fallback_author: bool
    fallback_theme: bool


def name_everything(site: Site, *, themes: int, now: dt.datetime,
                    taken: dict[str, set[str]] | None = None) -> Names:
    """`taken`: slugs the target site has already, by kind folder (an import into an existing hub)."""
    used = {folder: set(slugs) for folder, slugs in (taken or {}).items()}
    authors = _author_slugs(site, used.setdefault("authors", set()))
    kept, demoted = _themes(site.posts, themes)
    posts: dict[str, str] = {}
    for post in site.posts:
        folder = "articles" if post.kind == "article" else "pages"
        reserved = RESERVED_SLUGS if post.kind == "page" else frozenset()
        posts[post.source] = _unique(slugify(unquote(post.name)) or slugify(post.title) or post.kind,
                                     used.setdefault(folder, set()) | set(reserved))
        used[folder].add(posts[post.source])
    needs_theme = any(post.kind == "article" and not theme_slugs(post, kept) for post in site.posts)
    needs_author = any(post.kind == "article" and not [a for a in post.authors if a in authors]
                       for post in site.posts) and len(site.authors) != 1
    unpublished = frozenset(f"articles/{posts[p.source]}/" for p in site.posts
                            if p.kind == "article" and (p.draft or (p.date is not None and p.date > now)))
    hub_pages = ({f"/articles/{slug}/" for slug in used.get("articles", ())}
                 | {f"/{slug}/" for slug in used.get("pages", ())})
    return Names(posts=posts, authors=authors, themes=kept, demoted=demoted,
                 pictures=_picture_paths(site), addresses=_addresses(site, posts), occupied=frozenset(hub_pages),
                 unpublished=unpublished,
                 fallback_author=needs_author, fallback_theme=needs_theme)


def theme_slugs(post: Post, kept: Iterable[tuple[str, str, int]]) -> list[str]:
    """The campaign themes of a post: its categories that became themes, in the post's order."""
    slugs = {slug for slug, _, _ in kept}
    return list(dict.fromkeys(s for s in (slugify(c) for c in post.categories) if s in slugs))


def _themes(posts: Iterable[Post], limit: int) -> tuple[tuple[tuple[str, str, int], ...], tuple[str, ...]]:
    counts: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for post in posts:
        if post.kind != "article":
            continue
        for category in dict.fromkeys(post.categories):
            slug = slugify(category)
            if slug:
                counts[slug] += 1
                titles.setdefault(slug, category.strip())
    ranked = sorted(counts, key=lambda s: (-counts[s], s))
    chosen = [s for s in ranked if s not in UNCATEGORIZED][:limit]
    kept = tuple((s, titles[s], counts[s]) for s in chosen)
    return kept, tuple(titles[s] for s in ranked if s not in chosen)


def _author_slugs(site: Site, taken: set[str]) -> dict[str, str]:
    slugs: dict[str, str] = {}
    for author in site.authors:
        slug = _unique(slugify(author.name) or slugify(author.id) or "author", taken)
        taken.add(slug)
        slugs[author.id] = slug
    return slugs


def _unique(slug: str, taken: set[str] | frozenset[str]) -> str:
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"


def all_pictures(site: Site) -> list[Picture]:
    """Every picture the site references: the posts' (in their bodies, and featured) and the avatars."""
    found: list[Picture] = []
    for post in site.posts:
        found += [*post.pictures, *([post.image] if post.image else [])]
    return found + [a.avatar for a in site.authors if a.avatar is not None]


def _picture_paths(site: Site) -> dict[str, str]:
    """Each picture's place below static/: its old path's last folders, so that a WordPress upload
    (wp-content/uploads/2019/05/a.jpg) keeps its year and month and two files never share a name."""
    paths: dict[str, str] = {}
    taken: set[str] = set()
    for picture in all_pictures(site):
        if picture.reference in paths:
            continue
        old = urlsplit(picture.reference).path if "://" in picture.reference else picture.reference
        parts = [p for p in unquote(old).split("/") if p not in ("", ".", "..")]
        tail = [_safe(p) for p in (parts[-3:] if "uploads" in parts else parts[-1:])] or ["picture"]
        path = posixpath.join(PICTURES, *tail)
        stem, ext = posixpath.splitext(path)
        n = 2
        while path in taken:
            path = f"{stem}-{n}{ext}"
            n += 1
        taken.add(path)
        paths[picture.reference] = path
    return paths


def _safe(name: str) -> str:
    """A file or folder name from a URL, kept readable: only characters that need no escaping anywhere."""
    stem, ext = posixpath.splitext(name)
    return (slugify(stem) or "picture") + re.sub(r"[^A-Za-z0-9.]", "", ext.lower())[:6]


def _addresses(site: Site, posts: dict[str, str]) -> dict[str, str]:
    addresses: dict[str, str] = {}
    for post in site.posts:
        new = f"articles/{posts[post.source]}/" if post.kind == "article" else f"{posts[post.source]}/"
        for alias in post.aliases:
            addresses.setdefault(normal_path(old_path(alias, site.base_url) or alias), new)
    return addresses


def normal_path(path: str) -> str:
    """An old address as the map keys it: decoded, with its query, and a folder path ending in '/'."""
    split = urlsplit(path)
    decoded = unquote(split.path) or "/"
    if not decoded.startswith("/"):
        decoded = "/" + decoded
    if not decoded.endswith("/") and "." not in decoded.rsplit("/", 1)[-1]:
        decoded += "/"
    return decoded + (f"?{split.query}" if split.query else "")


def old_path(url: str, base_url: str) -> str | None:
    """A link's old address below the old site's root ('/2019/05/x/', '/?p=12'), or None when it is not a
    link into the old site (another site, a mailto:, a fragment, a relative link)."""
    base = urlsplit(base_url)
    split = urlsplit(url)
    if split.scheme in ("http", "https"):
        if not base.netloc or split.netloc.lower() != base.netloc.lower():
            return None
    elif split.scheme or split.netloc or not url.startswith("/"):
        return None
    path = split.path or "/"
    prefix = base.path.rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix):] or "/"
    return path + (f"?{split.query}" if split.query else "")
