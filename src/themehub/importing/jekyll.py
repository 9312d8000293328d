"""Read a Jekyll site folder (or an Eleventy site written in Liquid) into the import's model.

Jekyll keeps its posts as `_posts/YYYY-MM-DD-title.md` with YAML front matter, its settings in
`_config.yml` and its authors (by convention) in `_data/authors.yml`; a post's address comes from the
`permalink` style. Bodies are markdown with Liquid in them: what Liquid would have produced for a plain
construct (an include without logic, a highlight block, `post_url`, `site.baseurl`) is written out; any
other tag or output is kept as it is, with a "verbatim" note, so that no word is lost.

Every address here (aliases, `post_url`, `{{ site.baseurl }}`) is a path below the old site's root,
without the site's `baseurl`: that is what Post.aliases holds, and `Site.base_url` carries the rest.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import os
import re
import unicodedata
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

from themehub.importing.frontmatter import FrontMatterError, has_front_matter, moment, parse
from themehub.importing.frontmatter import split as split_front_matter
from themehub.importing.model import Author, Note, NoteKind, Picture, Post, Site, UnreadableSource
from themehub.source.slugs import slugify

Data = Mapping[str, object]

_CONFIGS = ("_config.yml", "_config.yaml")
_ELEVENTY_CONFIGS = (".eleventy.js", "eleventy.config.js", "eleventy.config.cjs", "eleventy.config.mjs",
                     "eleventy.config.ts")
_MARKUP = (".md", ".markdown", ".mkdown", ".mkd", ".html", ".htm")
_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
# Folders a site keeps that are not content: the built site, caches, dependencies.
_NOT_CONTENT = frozenset({"_site", "node_modules", "vendor", ".git", ".jekyll-cache", ".sass-cache", "_includes",
                          "_layouts", "_sass", "_data", "_plugins", "assets"})
# Pages the old site made for itself, not content a reader wrote.
_SITE_PAGES = frozenset({"index", "404", "feed", "atom", "rss", "sitemap", "robots", "search", "tags",
                         "categories", "archive", "archives", "blog", "posts"})
_DATED_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})-(.+)")
_PLACEHOLDER = re.compile(r":([a-z_]+)")


# ------------------------------------------------------------------------------------------ settings


@dataclass(frozen=True, slots=True)
class _Config:
    """What the site's settings say, with Jekyll's defaults filled in."""

    root: Path
    """The folder content is read from (Eleventy's input folder)."""
    eleventy: bool
    title: str = ""
    url: str = ""
    """`url` as configured, without a trailing '/'."""
    base_url: str = ""
    description: str = ""
    language: str = ""
    author: object = None
    permalink: str = _STYLES["date"]
    style: str = "date"
    """The named style, or "" for a template of the site's own (pages' addresses depend on it)."""
    zone: dt.tzinfo | None = None
    defaults: tuple[tuple[str, str, Data], ...] = ()
    """(path scope, type scope, values) of each `defaults` entry."""
    excerpt_separator: str = ""
    includes: Path = Path("_includes")
    notes: tuple[Note, ...] = ()


def _load_config(site_dir: Path) -> _Config:
    config_file = next((site_dir / name for name in _CONFIGS if (site_dir / name).is_file()), None)
    eleventy_file = next((site_dir / name for name in _ELEVENTY_CONFIGS if (site_dir / name).is_file()), None)
    if config_file is None and not (site_dir / "_posts").is_dir():
        if eleventy_file is not None:
            return _eleventy_config(site_dir, eleventy_file)
        raise UnreadableSource(
            f"{site_dir} is not a Jekyll site: it has no _config.yml and no _posts folder",
            "give the folder that holds _config.yml (or _posts); for an Eleventy site, the folder that holds "
            ".eleventy.js or eleventy.config.js",
        )
    data, notes = _read_yaml(config_file) if config_file else ({}, ())
    return _jekyll_config(site_dir, data, notes)


def _jekyll_config(site_dir: Path, data: Data, notes: tuple[Note, ...]) -> _Config:
    url = _text(data.get("url")).rstrip("/")
    baseurl = _text(data.get("baseurl")).strip("/")
    base_url = (url + "/" + baseurl).rstrip("/") + "/" if url else ""
    style, template = _permalink_style(data)
    zone, zone_notes = _zone(data.get("timezone"))
    collections = data.get("collections")
    names = [_text(name) for name in collections] if isinstance(collections, list) else _mapping(collections)
    skipped = tuple(Note("skipped", f"collection '{name}' (only posts are imported)")
                    for name in names if name != "posts")
    return _Config(
        root=site_dir, eleventy=False, title=_text(data.get("title")), url=url, base_url=base_url,
        description=_text(data.get("description")), language=_text(data.get("lang") or data.get("locale")),
        author=data.get("author"), permalink=template, style=style, zone=zone, defaults=_defaults(data),
        excerpt_separator=_text(data.get("excerpt_separator")),
        includes=site_dir / (_text(data.get("includes_dir")) or "_includes"),
        notes=notes + zone_notes + skipped,
    )


def _permalink_style(data: Data) -> tuple[str, str]:
    """(style name or "", template). A `permalink` on the posts collection wins over the site's."""
    posts = _mapping(_mapping(data.get("collections")).get("posts"))
    value = _text(posts.get("permalink") or data.get("permalink")) or "date"
    if value in _STYLES:
        return value, _STYLES[value]
    return "", value if value.startswith("/") else "/" + value


def _zone(value: object) -> tuple[dt.tzinfo | None, tuple[Note, ...]]:
    name = _text(value)
    if not name:
        return None, ()
    try:
        return zoneinfo.ZoneInfo(name), ()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None, (Note("lost", f"_config.yml: unknown timezone '{name}': dates without a zone are UTC"),)


def _defaults(data: Data) -> tuple[tuple[str, str, Data], ...]:
    found: list[tuple[str, str, Data]] = []
    for entry in _list(data.get("defaults")):
        scope = _mapping(_mapping(entry).get("scope"))
        values = _mapping(_mapping(entry).get("values"))
        found.append((_text(scope.get("path")).strip("/"), _text(scope.get("type")), values))
    return tuple(found)


def _eleventy_config(site_dir: Path, config_file: Path) -> _Config:
    """Eleventy's settings live in JavaScript: only the folder names are looked for, as literal strings."""
    script = _decode(config_file.read_bytes())[0]
    called = re.search(r"setInputDirectory\(\s*[\"'`]([^\"'`]+)", script)  # Eleventy 3
    input_dir = (called.group(1).strip("./") if called else _js_string(script, "input")) or "."
    root = (site_dir / input_dir).resolve()
    data_dir = root / (_js_string(script, "data") or "_data")
    metadata: Data = {}
    for name in ("metadata.json", "site.json", "metadata.yml", "metadata.yaml", "site.yml", "site.yaml"):
        if (data_dir / name).is_file():
            metadata = _read_data(data_dir / name)[0]
            break
    url = _text(metadata.get("url")).rstrip("/")
    return _Config(
        root=root, eleventy=True, title=_text(metadata.get("title")), url=url, base_url=url + "/" if url else "",
        description=_text(metadata.get("description")), language=_text(metadata.get("language")),
        author=metadata.get("author"), permalink="", style="",
        includes=root / (_js_string(script, "includes") or "_includes"),
    )


def _js_string(script: str, key: str) -> str:
    found = re.search(rf"\b{key}\s*:\s*[\"'`]([^\"'`]+)[\"'`]", script)
    return found.group(1).strip("./") if found else ""


# ------------------------------------------------------------------------------------- the files


@dataclass(frozen=True, slots=True)
class _Item:
    """One post or page with its front matter (defaults applied), before its body is converted."""

    path: Path
    rel: str
    kind: Literal["article", "page"]
    data: Data
    body: str
    name: str
    date: dt.datetime | None
    address: str | None
    """Where the old site published it (None: a draft, never published)."""
    draft: bool
    notes: tuple[Note, ...]
    html: bool


def read(site_dir: Path) -> Site:
    """The posts, pages and authors of the Jekyll (or Eleventy) site in `site_dir`."""
    if not site_dir.is_dir():
        raise UnreadableSource(f"{site_dir} is not a folder", "give the folder of the Jekyll or Eleventy site")
    config = _load_config(site_dir)
    items, site_notes = _items(config)
    addresses = _address_book(items)
    posts = tuple(_post(item, config, addresses) for item in items)
    authors, author_notes = _authors(config, posts)
    return Site(
        format="jekyll", title=config.title, base_url=config.base_url, posts=posts, authors=authors,
        description=config.description, language=config.language,
        notes=config.notes + site_notes + author_notes, source=site_dir,
    )


def _items(config: _Config) -> tuple[list[_Item], tuple[Note, ...]]:
    items: list[_Item] = []
    notes: list[Note] = []
    if config.eleventy:
        post_files = [path for folder in ("posts", "blog") for path in _markup_files(config.root / folder)]
        items.extend(_eleventy_item(path, config) for path in post_files)
    else:
        for posts_dir in _posts_dirs(config.root):
            items.extend(_jekyll_item(path, posts_dir, config, draft=False) for path in _markup_files(posts_dir))
        items.extend(_jekyll_item(path, config.root / "_drafts", config, draft=True)
                     for path in _markup_files(config.root / "_drafts"))
        post_files = []
    for path in _page_files(config.root, set(post_files)):
        page, note = _page_item(path, config)
        items.extend([page] if page else [])
        notes.extend([note] if note else [])
    return items, tuple(notes)


def _markup_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file() and path.suffix.lower() in _MARKUP
                  and not any(part.startswith(".") for part in path.relative_to(folder).parts))


def _posts_dirs(root: Path) -> Iterator[Path]:
    """`_posts`, and the `_posts` of folders above it (`blog/_posts`: Jekyll makes "blog" a category)."""
    for folder, subfolders, _files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if name not in _NOT_CONTENT and name != "_drafts"
                               and (name == "_posts" or not name.startswith((".", "_"))))
        if Path(folder).name == "_posts":
            subfolders[:] = []
            yield Path(folder)


def _page_files(root: Path, taken: set[Path]) -> Iterator[Path]:
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders
                               if name not in _NOT_CONTENT and not name.startswith((".", "_")))
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix.lower() in _MARKUP and path not in taken and not name.startswith((".", "_")):
                yield path


def _read_item(path: Path, rel: str) -> tuple[Data, str, list[Note]]:
    text, notes = _decode(path.read_bytes())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    data, body, split_notes = split_front_matter(text, rel)
    return data, body, [*notes, *split_notes]


def _jekyll_item(path: Path, posts_dir: Path, config: _Config, *, draft: bool) -> _Item:
    rel = path.relative_to(config.root).as_posix()
    data, body, notes = _read_item(path, rel)
    data = _with_defaults(data, rel, "drafts" if draft else "posts", config)
    dated = _DATED_NAME.fullmatch(_nfc(path.stem))
    stem = dated.group(4) if dated else _nfc(path.stem)
    date = _front_matter_date(data, config, notes)
    if date is None and dated:
        date = _file_date(dated, config.zone)
    if date is None:
        notes.append(Note("converted", "no date in its front matter or file name: dated on import"))
    name = _text(data.get("slug")) or stem
    if not _text(data.get("title")):  # Jekyll titles a post from its file name, not its `slug`
        data = {**data, "title": _titleized(stem)}
    unpublished = data.get("published") is False
    if not draft and dated is None:  # Jekyll passes over such a file in _posts: it was never published
        notes.append(Note("converted", "no date in the file name: never published by Jekyll, imported as a draft"))
        unpublished = True
    address = None
    if not draft and dated is not None and date is not None:
        folder_categories = list(posts_dir.relative_to(config.root).parts[:-1])
        address = _post_address(data, config, date, name, folder_categories)
    return _Item(path, rel, "article", data, body, name, date, address, draft or unpublished, tuple(notes),
                 path.suffix.lower() in (".html", ".htm"))


def _file_date(dated: re.Match[str], zone: dt.tzinfo | None) -> dt.datetime | None:
    """Midnight of the file name's date, in the site's time zone (Jekyll's reading)."""
    try:
        return dt.datetime(int(dated.group(1)), int(dated.group(2)), int(dated.group(3)), tzinfo=zone or dt.UTC)
    except ValueError:  # 2019-02-30-x.md
        return None


def _eleventy_item(path: Path, config: _Config) -> _Item:
    rel = path.relative_to(config.root).as_posix()
    data, body, notes = _read_item(path, rel)
    data = {**_eleventy_folder_data(path, config), **data}
    stem = _nfc(path.parent.name if path.stem == "index" else path.stem)
    dated = _DATED_NAME.fullmatch(stem)
    date = _front_matter_date(data, config, notes)
    if date is None and dated:
        date = _file_date(dated, None)
    if date is None:
        notes.append(Note("converted", "no date in its front matter or file name: dated on import"))
    name = _text(data.get("slug")) or (dated.group(4) if dated else stem)
    address = _eleventy_address(data, rel, name, notes)
    draft = bool(data.get("draft")) or address is None
    return _Item(path, rel, "article", data, body, name, date, address, draft, tuple(notes),
                 path.suffix.lower() in (".html", ".htm"))


def _eleventy_folder_data(path: Path, config: _Config) -> Data:
    """Eleventy's directory data files (`posts/posts.json`) hold front matter for a whole folder; a deeper
    folder's wins."""
    merged: dict[str, object] = {}
    parts = path.parent.relative_to(config.root).parts
    for depth in range(1, len(parts) + 1):
        folder = config.root.joinpath(*parts[:depth])
        for name in (f"{folder.name}.json", f"{folder.name}.11tydata.json"):
            if (folder / name).is_file():
                merged.update(_read_data(folder / name)[0])
    return merged


def _eleventy_address(data: Data, rel: str, name: str, notes: list[Note]) -> str | None:
    permalink = data.get("permalink")
    if permalink is False:
        notes.append(Note("converted", "permalink: false (never published): imported as a draft"))
        return None
    stem = rel.rsplit(".", 1)[0]
    folder, _, base = stem.rpartition("/")
    # posts/x/index.md and posts/x/x.md are both written to /posts/x/
    default = "/" + (folder if base == "index" or folder.rpartition("/")[2] == base else stem) + "/"
    template = _text(permalink)
    if not template:
        return default
    title = _text(data.get("title"))
    values = {"page.fileSlug": name, "page.filePathStem": "/" + stem, "title | slugify": slugify(title),
              "title | slug": slugify(title), "slug": name}
    expanded = re.sub(r"\{\{-?\s*(.*?)\s*-?\}\}", lambda m: values.get(m.group(1), m.group(0)), template)
    if "{{" in expanded or "{%" in expanded:
        notes.append(Note("verbatim", f"permalink not understood, the file's own address used: {template}"))
        return default
    return _clean_address(expanded)


def _page_item(path: Path, config: _Config) -> tuple[_Item | None, Note | None]:
    rel = path.relative_to(config.root).as_posix()
    if not has_front_matter(_decode(path.read_bytes()[:200])[0]):
        return None, None  # no front matter: Jekyll copies it as it is; it is not a page
    data, body, notes = _read_item(path, rel)
    data = _with_defaults(data, rel, "pages", config)
    stem = _nfc(path.stem)
    site_page = stem.lower() in _SITE_PAGES and (stem.lower() != "index" or "/" not in rel)
    if site_page or stem.lower().startswith(("feed", "sitemap")):
        return None, Note("skipped", f"{rel}: a page the old site makes for itself ({stem})")
    if re.search(r"\{%-?\s*for\b[^%]*\b(site|paginator|collections)\.", body):
        return None, Note("skipped", f"{rel}: a listing the old site generated (a Liquid loop over the site)")
    if not _text(data.get("title")):
        return None, Note("skipped", f"{rel}: a page without a title")
    name = _text(data.get("slug")) or (path.parent.name if stem == "index" else stem)
    address = _eleventy_address(data, rel, name, notes) if config.eleventy else _page_address(data, rel, config)
    return _Item(path, rel, "page", data, body, _nfc(name), _front_matter_date(data, config, notes), address,
                 data.get("published") is False or address is None, tuple(notes),
                 path.suffix.lower() in (".html", ".htm")), None


def _with_defaults(data: Data, rel: str, kind: str, config: _Config) -> Data:
    """Front matter defaults whose scope covers the file, the more specific path later; the file's own
    front matter wins over all of them."""
    merged: dict[str, object] = {}
    for scope_path, scope_type, values in sorted(config.defaults, key=lambda entry: len(entry[0])):
        type_ok = not scope_type or scope_type == kind or (scope_type == "posts" and kind == "drafts")
        path_ok = not scope_path or _in_scope(rel, scope_path)
        if type_ok and path_ok:
            merged.update(values)
    return {**merged, **data}


def _in_scope(rel: str, scope: str) -> bool:
    if "*" in scope:
        pattern = re.escape(scope).replace(r"\*", "[^/]*")
        return re.match(pattern + r"(/|\Z)", rel) is not None
    return rel == scope or rel.startswith(scope + "/")


# ----------------------------------------------------------------------------------------- addresses


def _post_address(data: Data, config: _Config, date: dt.datetime, name: str, folders: list[str]) -> str:
    template = _text(data.get("permalink")) or config.permalink
    if config.zone is not None:
        date = date.astimezone(config.zone)
    categories = [*folders, *_plural(data, "category", "categories")]
    seen: dict[str, None] = {}
    for category in categories:
        seen.setdefault(category.lower(), None)
    values = {
        "year": f"{date.year:04d}", "month": f"{date.month:02d}", "i_month": str(date.month),
        "day": f"{date.day:02d}", "i_day": str(date.day), "short_year": f"{date.year % 100:02d}",
        "hour": f"{date.hour:02d}", "minute": f"{date.minute:02d}", "second": f"{date.second:02d}",
        "y_day": f"{date.timetuple().tm_yday:03d}", "short_month": date.strftime("%b"),
        "long_month": date.strftime("%B"), "week": f"{date.isocalendar()[1]:02d}",
        "short_day": date.strftime("%a"), "long_day": date.strftime("%A"),
        "title": name, "slug": slugify(name) or name, "name": name, "categories": "/".join(seen),
        "output_ext": ".html",
    }
    return _clean_address(_PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template))


def _page_address(data: Data, rel: str, config: _Config) -> str:
    """Jekyll's page address: its `permalink`, else its path, as the site's permalink style ends them."""
    explicit = _text(data.get("permalink"))
    stem = rel.rsplit(".", 1)[0]
    if explicit:
        folder, _, basename = stem.rpartition("/")
        return _clean_address(explicit.replace(":path", folder).replace(":basename", basename)
                              .replace(":output_ext", ".html"))
    if config.eleventy or stem == "index" or stem.endswith("/index"):
        return _clean_address("/" + stem.removesuffix("index") + "/")
    pretty = config.style == "pretty" or (not config.style and config.permalink.endswith("/"))
    return _clean_address("/" + stem + ("/" if pretty else ".html"))


def _clean_address(address: str) -> str:
    cleaned = re.sub(r"/{2,}", "/", "/" + address.strip())
    return unicodedata.normalize("NFC", cleaned)


@dataclass(frozen=True, slots=True)
class _Addresses:
    """What `post_url` and `link` name, and the address each had."""

    by_post: Mapping[str, str] = field(default_factory=dict)
    """'2019-05-01-cloud-costs' (and with its subfolder: 'cloud/2019-05-01-cloud-costs') -> address."""
    by_path: Mapping[str, str] = field(default_factory=dict)
    """'_posts/2019-05-01-cloud-costs.md', 'about.md' -> address."""


def _address_book(items: list[_Item]) -> _Addresses:
    by_post: dict[str, str] = {}
    by_path: dict[str, str] = {}
    for item in items:
        if item.address is None:
            continue
        by_path[item.rel] = item.address
        if item.kind == "article":
            stem = item.rel.rsplit(".", 1)[0]
            by_post.setdefault(_nfc(Path(stem).name), item.address)
            inside = stem.split("_posts/", 1)[-1]
            by_post[_nfc(inside)] = item.address
    return _Addresses(by_post, by_path)


# ------------------------------------------------------------------------------------------ one post


def _post(item: _Item, config: _Config, addresses: _Addresses) -> Post:
    notes = list(item.notes)
    title = _text(item.data.get("title")) or _titleized(item.name)
    liquid = _Liquid(config, addresses, title, item.path, notes)
    body = _kramdown(liquid.convert(item.body), notes)
    if item.html:
        body = _html_body(body, notes)
    body, before_more = _without_separator(body, _text(item.data.get("excerpt_separator")) or
                                           config.excerpt_separator)
    summary = _text(item.data.get("excerpt") or item.data.get("description")) or _plain(before_more)
    image = _featured(item.data, config, item.path)
    aliases = [item.address] if item.address else []
    aliases += [_clean_address(old) for old in _strings(item.data.get("redirect_from"))]
    return Post(
        kind=item.kind, source=item.rel, title=title, name=_nfc(item.name), date=item.date,
        updated=_updated(item.data, config, notes), body=body.strip("\n") + "\n" if body.strip() else "",
        authors=_post_authors(item.data, config if item.kind == "article" else None), summary=summary,
        categories=_plural(item.data, "category", "categories") if item.kind == "article" else (),
        tags=_tags(item.data, config), image=image, draft=item.draft,
        featured=bool(item.data.get("featured") or item.data.get("pinned") or item.data.get("sticky")),
        aliases=tuple(dict.fromkeys(aliases)), pictures=_pictures(body, config, item.path),
        notes=tuple(dict.fromkeys(notes)),
    )


def _titleized(name: str) -> str:
    """Jekyll's title for a post without one: the file name's words, capitalized."""
    return " ".join(word[:1].upper() + word[1:] for word in name.split("-") if word)


def _tags(data: Data, config: _Config) -> tuple[str, ...]:
    tags = _plural(data, "tag", "tags")
    if config.eleventy:
        # Eleventy's tags double as collection names: "post"/"posts" only put the file in the blog's list.
        tags = tuple(tag for tag in tags if tag.lower() not in ("post", "posts"))
    return tags


def _post_authors(data: Data, config: _Config | None) -> tuple[str, ...]:
    """The post's authors, else the site's `author` (an article's byline; `config` None for a page)."""
    value = data.get("authors") or data.get("author") or (config.author if config else None)
    ids = [_author_id(entry) for entry in (value if isinstance(value, list) else [value])]
    return tuple(dict.fromkeys(author for author in ids if author))


def _author_id(value: object) -> str:
    """An author as a post names it: a key of _data/authors.yml, a name, or a mapping with a name."""
    if isinstance(value, Mapping):
        return _text(value.get("id") or value.get("name"))
    return _text(value)


def _updated(data: Data, config: _Config, notes: list[Note]) -> dt.datetime | None:
    for key in ("last_modified_at", "updated", "modified", "lastmod"):
        if data.get(key):
            return _parse_date(data.get(key), config.zone, key, notes)
    return None


def _front_matter_date(data: Data, config: _Config, notes: list[Note]) -> dt.datetime | None:
    return _parse_date(data.get("date"), config.zone, "date", notes) if data.get("date") else None


def _parse_date(value: object, zone: dt.tzinfo | None, key: str, notes: list[Note]) -> dt.datetime | None:
    """A YAML timestamp, or text like Jekyll's '2019-05-01 10:30:00 +0200'; without a zone, the site's
    (`timezone`), else UTC."""
    parsed = moment(value, zone or dt.UTC)
    if parsed is None:
        notes.append(Note("lost", f"{key}: '{_text(value)}' is not a date"))
    return parsed


def _without_separator(body: str, custom: str) -> tuple[str, str]:
    """The body without its excerpt separator (`<!--more-->`), and the text before it ("" without one)."""
    for separator in dict.fromkeys(s for s in (custom, "<!--more-->", "<!-- more -->") if s.strip()):
        before, found, after = body.partition(separator)
        if found:
            joined = before.rstrip(" \t") + after.lstrip(" \t")
            return re.sub(r"\n{3,}", "\n\n", joined), before
    return body, ""


def _plain(markdown: str) -> str:
    """Text before `<!--more-->` as one line for the summary: no markup, images or link targets."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|\{:[^}]*\}", "", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(^|\n)\s*(#+|>|[-*+]\s)", r"\1", text)
    return " ".join(text.replace("**", "").replace("__", "").split())


# kramdown's own extensions, which Python-Markdown would show as text.
_KRAMDOWN: tuple[tuple[re.Pattern[str], str, NoteKind, str], ...] = (
    (re.compile(r"\{::comment\}.*?\{:/(?:comment)?\}\n?", re.S), "", "converted", "kramdown comment removed"),
    (re.compile(r"\{::options[^}]*/\}\n?"), "", "converted", "kramdown options removed"),
    (re.compile(r"\{::nomarkdown\}(.*?)\{:/(?:nomarkdown)?\}", re.S), r"\1", "converted",
     "kramdown nomarkdown block kept as raw HTML"),
    (re.compile(r"^ *(?:[*+-]|1\.) +TOC *\n *\{:\s*\.?toc\s*\} *\n?", re.M), "", "lost",
     "kramdown table of contents ({:toc}): themehub makes none"),
)


def _kramdown(body: str, notes: list[Note]) -> str:
    for pattern, replacement, kind, what in _KRAMDOWN:
        body, count = pattern.subn(replacement, body)
        notes.extend([Note(kind, what)] if count else [])
    return body


def _html_body(body: str, notes: list[Note]) -> str:
    """An `.html` post: to markdown by the shared converter (html.py's `to_markdown`) when there is one,
    else kept as HTML, which themehub renders sanitized. Looked up when called: it is written alongside."""
    if importlib.util.find_spec("themehub.importing.html") is None:
        return body
    convert = getattr(importlib.import_module("themehub.importing.html"), "to_markdown", None)
    result = convert(body) if callable(convert) else body
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], str):
        notes.extend(note for note in result[1] if isinstance(note, Note))
        return result[0]
    return result if isinstance(result, str) else body


# ----------------------------------------------------------------------------------------------- Liquid

_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}\n?", re.S)
_HIGHLIGHT = re.compile(r"\{%-?\s*highlight\s+([\w+#.-]*)([^%]*)-?%\}\n?(.*?)\n?\{%-?\s*endhighlight\s*-?%\}",
                        re.S)
# Liquid logic: kept as one piece from its opening tag to its end tag (nested alike: up to the first end).
_BLOCK = re.compile(r"(\{%-?\s*(if|unless|for|case|capture|tablerow)\b.*?-?%\}).*?\{%-?\s*end\2\s*-?%\}", re.S)
_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)
_OUTPUT = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_KEPT = "\x00{}\x00"
_KEPT_AGAIN = re.compile(r"\x00(\d+)\x00")
_QUOTED = r"\s*([\"'])(.*?)\1\s*"


@dataclass(frozen=True, slots=True)
class _Liquid:
    """What Liquid would have made of one body, for the constructs that have a fixed result."""

    config: _Config
    addresses: _Addresses
    title: str
    path: Path
    notes: list[Note]
    kept: list[str] = field(default_factory=list)
    """Text already final (raw blocks, code): set aside so nothing later converts inside it."""

    def convert(self, body: str) -> str:
        body = _RAW.sub(lambda m: self._keep(m.group(1)), body)
        body = _COMMENT.sub(self._comment, body)
        body = _BLOCK.sub(lambda m: self._verbatim(m.group(0), f"{m.group(1)}…{{% end{m.group(2)} %}}"), body)
        body = _HIGHLIGHT.sub(self._highlight, body)
        body = _TAG.sub(self._tag, body)
        body = _without_site_url_pair(body, self.config)
        body = _OUTPUT.sub(self._output, body)
        while _KEPT_AGAIN.search(body):
            body = _KEPT_AGAIN.sub(lambda m: self.kept[int(m.group(1))], body)
        return body

    def _keep(self, text: str) -> str:
        self.kept.append(text)
        return _KEPT.format(len(self.kept) - 1)

    def _verbatim(self, text: str, shown: str = "") -> str:
        """`shown`: what the note quotes, when the text kept is long (a whole `{% if %}` block)."""
        self.notes.append(Note("verbatim", "kept verbatim: " + " ".join((shown or text).split())[:160]))
        return self._keep(text)

    def _comment(self, match: re.Match[str]) -> str:
        self.notes.append(Note("converted", "Liquid comment removed (it was never shown)"))
        return ""

    def _highlight(self, match: re.Match[str]) -> str:
        language, code = match.group(1), match.group(3)
        fence = "```"
        while fence in code:
            fence += "`"
        return self._keep(f"{fence}{language}\n{code}\n{fence}")

    def _tag(self, match: re.Match[str]) -> str:
        name, argument = match.group(1), match.group(2).strip()
        if name in ("include", "include_relative"):
            return self._include(match.group(0), name, argument)
        if name in ("post_url", "link"):
            book = self.addresses.by_post if name == "post_url" else self.addresses.by_path
            address = book.get(_nfc(argument.strip("\"' ")))
            return address if address else self._verbatim(match.group(0))
        return self._verbatim(match.group(0))

    def _include(self, tag: str, name: str, argument: str) -> str:
        target = argument.split()[0].strip("\"'") if argument.split() else ""
        folder = self.config.includes if name == "include" else self.path.parent
        file = folder / target
        if not target or "{{" in target or not file.is_file():
            return self._verbatim(tag)
        content = _decode(file.read_bytes())[0].replace("\r\n", "\n")
        if "{%" in content or "{{" in content:
            return self._verbatim(tag)  # logic or parameters inside: what it shows depends on Liquid
        self.notes.append(Note("converted", f"Liquid include inlined: {' '.join(tag.split())}"))
        return self._keep(content.rstrip("\n"))

    def _output(self, match: re.Match[str]) -> str:
        expression = " ".join(match.group(1).split())
        value = self._value(expression)
        return self._verbatim(match.group(0)) if value is None else value

    def _value(self, expression: str) -> str | None:
        site = {"site.baseurl": "", "site.url": self.config.url, "site.title": self.config.title,
                "site.description": self.config.description, "page.title": self.title}
        if expression in site:
            return site[expression]
        filtered = re.fullmatch(_QUOTED + r"\|\s*(relative_url|absolute_url|url|prepend: site\.baseurl)", expression)
        if filtered is None:
            return None
        path = filtered.group(2)
        if filtered.group(3) == "absolute_url" and self.config.base_url and not re.match(r"\w+:", path):
            return self.config.base_url.rstrip("/") + "/" + path.lstrip("/")
        return path


def _without_site_url_pair(body: str, config: _Config) -> str:
    """`{{ site.url }}{{ site.baseurl }}` is the site's address as a whole."""
    pair = re.compile(r"\{\{-?\s*site\.url\s*-?\}\}\{\{-?\s*site\.baseurl\s*-?\}\}")
    return pair.sub(config.base_url.rstrip("/"), body) if config.base_url else body


# --------------------------------------------------------------------------------------------- pictures

_MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^\s)>]+)>?(?:\s+[\"'][^)]*)?\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"'](?P<src>[^\"']+)[\"'][^>]*>", re.I)
_HTML_ALT = re.compile(r"\balt\s*=\s*[\"']([^\"']*)[\"']", re.I)
_CODE = re.compile(r"^(`{3,}|~{3,}).*?^\1|`[^`\n]+`", re.S | re.M)


def _pictures(body: str, config: _Config, post_path: Path) -> tuple[Picture, ...]:
    prose = _CODE.sub("", body)
    found: dict[str, Picture] = {}
    for match in _MARKDOWN_IMAGE.finditer(prose):
        found.setdefault(match["src"], _picture(match["src"], match["alt"], config, post_path))
    for match in _HTML_IMAGE.finditer(prose):
        alt = _HTML_ALT.search(match.group(0))
        found.setdefault(match["src"], _picture(match["src"], alt.group(1) if alt else "", config, post_path))
    return tuple(picture for reference, picture in found.items() if not reference.startswith("data:"))


def _picture(reference: str, alt: str, config: _Config, post_path: Path) -> Picture:
    """A site path resolves to the file in the site folder (a relative one first next to the post, as
    jekyll-postfiles keeps them); an address elsewhere, or a file not there, is for plan.py to fetch."""
    own = config.base_url and reference.lower().startswith(config.base_url.lower())
    if re.match(r"[a-z][a-z0-9+.-]*:|//", reference, re.I) and not own:
        return Picture(reference=reference, file=None, alt=alt)
    # The site's own full address ({{ "/x.png" | absolute_url }}) names a file of the site, too.
    site_path = "/" + reference[len(config.base_url):] if own else reference
    path = unquote(site_path.split("?", 1)[0].split("#", 1)[0])
    candidates = [config.root / path.lstrip("/")] if path.startswith("/") else [
        post_path.parent / path, config.root / path]
    root = config.root.resolve()
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and resolved.is_relative_to(root):
            return Picture(reference=reference, file=resolved, alt=alt)
    return Picture(reference=reference, file=None, alt=alt)


def _featured(data: Data, config: _Config, post_path: Path) -> Picture | None:
    """`image` (a path, or jekyll-seo-tag's mapping with `path`), `feature_image`, Minimal Mistakes'
    `header.image`/`header.teaser`."""
    header = _mapping(data.get("header"))
    for value in (data.get("image"), data.get("feature_image"), data.get("featured_image"),
                  header.get("image"), header.get("overlay_image"), header.get("teaser")):
        image = _mapping(value)
        reference = _text(image.get("path") or image.get("url")) if image else _text(value)
        if reference:
            reference = _featured_reference(reference, config)
            alt = _text(image.get("alt") or data.get("image_alt") or header.get("image_description"))
            return _picture(reference, alt, config, post_path)
    return None


def _featured_reference(reference: str, config: _Config) -> str:
    notes: list[Note] = []
    converted = _Liquid(config, _Addresses(), "", config.root, notes).convert(reference)
    return reference if notes else converted


# ---------------------------------------------------------------------------------------------- authors


def _authors(config: _Config, posts: tuple[Post, ...]) -> tuple[tuple[Author, ...], tuple[Note, ...]]:
    """_data/authors.yml when the site has it, and every other author a post or the config names."""
    known: dict[str, Author] = {}
    notes: tuple[Note, ...] = ()
    data_file = next((config.root / "_data" / name for name in ("authors.yml", "authors.yaml", "authors.json")
                      if (config.root / "_data" / name).is_file()), None)
    if data_file is not None:
        data, notes = _read_data(data_file)
        for key, entry in data.items():
            known[str(key)] = _author(str(key), _mapping(entry), config)
    for value in [config.author, *(author for post in posts for author in post.authors)]:
        entry = _mapping(value)
        author_id = _author_id(value)
        if author_id and author_id not in known:
            known[author_id] = _author(author_id, entry, config)
    return tuple(known.values()), notes


_NETWORKS = {"twitter": "https://x.com/", "x": "https://x.com/", "github": "https://github.com/",
             "linkedin": "https://www.linkedin.com/in/", "instagram": "https://www.instagram.com/"}


def _author(author_id: str, entry: Data, config: _Config) -> Author:
    links: list[tuple[str, str]] = []
    for key in ("url", "website", "web", "homepage"):
        if _text(entry.get(key)):
            links.append(("website", _text(entry.get(key))))
            break
    for network, prefix in _NETWORKS.items():
        handle = _text(entry.get(network)).lstrip("@")
        if handle:
            links.append((network, handle if re.match(r"https?://", handle) else prefix + handle))
    if _text(entry.get("email")):
        links.append(("email", _text(entry.get("email"))))
    for link in _list(entry.get("links")):
        label, url = _text(_mapping(link).get("label")), _text(_mapping(link).get("url"))
        if label and url:
            links.append((label, url))
    avatar = _text(entry.get("avatar") or entry.get("image") or entry.get("picture"))
    return Author(
        id=author_id, name=_text(entry.get("name")) or author_id, bio=_text(entry.get("bio")),
        avatar=_picture(_featured_reference(avatar, config), "", config, config.root) if avatar else None,
        role=_text(entry.get("role") or entry.get("title") or entry.get("position")),
        links=tuple(dict.fromkeys(links)),
    )


# ------------------------------------------------------------------------------------------------ values


def _decode(raw: bytes) -> tuple[str, list[Note]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace"), [Note("converted", "not UTF-8: read as Windows-1252")]


def _read_yaml(path: Path) -> tuple[Data, tuple[Note, ...]]:
    """A settings or data file, read as written like front matter (`title: 2019` stays text)."""
    return _read_data(path, "yaml")


def _read_data(path: Path, form: Literal["yaml", "json"] | None = None) -> tuple[Data, tuple[Note, ...]]:
    form = form or ("json" if path.suffix == ".json" else "yaml")
    try:
        return parse(_decode(path.read_bytes())[0], form), ()
    except FrontMatterError as problem:
        where = f" (line {problem.line})" if problem.line else ""
        return {}, (Note("lost", f"{path.name} could not be read{where}: {problem.problem}"),)


def _mapping(value: object) -> Data:
    return {str(key): item for key, item in value.items()} if isinstance(value, Mapping) else {}


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []


def _text(value: object) -> str:
    if value is None or value is False or isinstance(value, Mapping | list):
        return ""
    return _nfc(str(value).strip())


def _nfc(text: str) -> str:
    """macOS writes file names decomposed ('u' + combining diaeresis): slugs and addresses want NFC."""
    return unicodedata.normalize("NFC", text)


def _strings(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(text for text in (_text(item) for item in items) if text)


def _plural(data: Data, singular: str, plural: str) -> tuple[str, ...]:
    """Jekyll's reading of `category`/`categories` (and `tag`/`tags`): a singular value is one name as it is;
    a plural one is a list, or a text of space-separated names."""
    value = data.get(singular) or data.get(plural)
    if isinstance(value, list):
        names = [_text(item) for item in value]
    elif data.get(singular):
        names = [_text(value)]
    else:
        names = _text(value).split()
    # Jekyll would keep "News" and "news" apart; as themes and tags they are one (the first spelling).
    firsts: dict[str, str] = {}
    for name in filter(None, names):
        firsts.setdefault(name.lower(), name)
    return tuple(firsts.values())

