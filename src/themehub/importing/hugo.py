"""Reading a Hugo site folder: its config, `content/` (plain files and page bundles), `data/authors`,
with every page's old address computed the way Hugo computes it, and its shortcodes turned into
markdown (or kept verbatim, and noted, when they are not understood).

Hugo's addresses, as reproduced here: `url` wins; else the section's `permalinks` pattern; else
`/<folders>/<slug or file or bundle name>/`. Hugo lowercases paths (unless `disablePathToLower`) and
sanitizes them: spaces and runs of `-` become one `-`, letters, digits and marks of every script are
kept, and of the rest only `. _ # + ~ /` and `%XX`. `url` and `aliases` are used as written. Paths are
below the old site's root (its baseURL) and unencoded: `/posts/云计算/`.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from themehub.importing.frontmatter import Form, FrontMatterError, flag, moment, parse, split, text, texts
from themehub.importing.model import Author, Note, Picture, Post, Site, UnreadableSource

MARKDOWN = (".md", ".markdown", ".mdown", ".mkd")
OTHER_CONTENT = (".html", ".htm", ".adoc", ".asciidoc", ".org", ".rst", ".pandoc", ".pdc")
"""Content formats Hugo renders that themehub does not read: listed as skipped."""
ARTICLE_SECTIONS = frozenset({"posts", "post", "blog", "articles", "article", "news"})
CONFIG_FILES = tuple(f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json"))
FEATURED_KEYS = ("images", "featured_image", "featuredimage", "image", "cover", "thumbnail")
FEATURED_ALT_KEYS = ("image_alt", "featured_image_alt", "imagealt", "alt")
BUNDLE_FEATURED = re.compile(r"(?i)^(feature|featured|cover|thumbnail)[^/]*\.(jpe?g|png|webp|gif|avif|svg)$")
"""Hugo themes (and Hugo's own opengraph template) take a bundle's `*feature*` image as its picture."""
USED_KEYS = frozenset({
    "title", "date", "publishdate", "pubdate", "published", "lastmod", "modified", "draft", "slug", "url",
    "aliases", "description", "summary", "tags", "authors", "author", "expirydate", "unpublishdate",
    "featured", "pinned", "weight", "params", "headless", *FEATURED_KEYS, *FEATURED_ALT_KEYS,
})
"""Front matter keys read (or deliberately ignored, like `weight`); others are listed as lost."""
SILENT_KEYS = frozenset({"layout", "type", "markup", "outputs", "linktitle", "toc", "translationkey"})
"""Keys about Hugo's rendering only: nothing of the content is lost with them."""
NETWORKS = {"twitter": "https://x.com/", "x": "https://x.com/", "github": "https://github.com/",
            "linkedin": "https://www.linkedin.com/in/", "mastodon": "", "website": "", "url": "",
            "homepage": "", "facebook": "https://www.facebook.com/", "instagram": "https://www.instagram.com/",
            "email": "mailto:"}
"""Author link keys: a bare handle becomes the network's URL."""


# ----------------------------------------------------------------------------- config


@dataclass(frozen=True, slots=True)
class _Config:
    title: str = ""
    base_url: str = ""
    language: str = ""
    description: str = ""
    author: str = ""
    """The default author's name (params.author), '' when none."""
    permalinks: Mapping[str, str] = field(default_factory=dict)
    """Section -> pattern ("posts" -> "/:year/:month/:slug/")."""
    taxonomies: tuple[str, ...] = ("tags", "categories")
    """The plural names (front matter keys)."""
    params: Mapping[str, object] = field(default_factory=dict)
    zone: dt.tzinfo = dt.UTC
    lower: bool = True
    ugly: bool = False
    languages: tuple[str, ...] = ()
    """Languages other than the default one (their translations are skipped)."""
    notes: tuple[Note, ...] = ()


def _read_config(site_dir: Path) -> _Config:
    """The site's config (hugo.* or config.* at the root, or config/_default/), or UnreadableSource."""
    data, notes = _config_data(site_dir)
    lowered = _lower_keys(data)
    params = _mapping(lowered.get("params"))
    permalinks = _mapping(lowered.get("permalinks"))
    if isinstance(permalinks.get("page"), dict):  # Hugo 0.120+: [permalinks.page] beside .section, .term
        permalinks = _mapping(permalinks["page"])
    taxonomies = _mapping(lowered.get("taxonomies"))
    zone, zone_notes = _zone(text(lowered.get("timezone")))
    return _Config(
        title=text(lowered.get("title")),
        base_url=_base_url(text(lowered.get("baseurl"))),
        language=_language(text(lowered.get("languagecode")) or text(lowered.get("defaultcontentlanguage"))),
        description=text(params.get("description")) or text(lowered.get("description")),
        author=_author_name(params.get("author")) or _author_name(lowered.get("author")),
        permalinks={key.strip("/").lower(): text(value) for key, value in permalinks.items() if text(value)},
        taxonomies=tuple(text(v) for v in taxonomies.values() if text(v)) if "taxonomies" in lowered
        else ("tags", "categories"),
        params=params,
        zone=zone,
        lower=not flag(lowered.get("disablepathtolower")),
        ugly=flag(lowered.get("uglyurls")),
        languages=_other_languages(lowered),
        notes=(*notes, *zone_notes),
    )


def _config_data(site_dir: Path) -> tuple[dict[str, object], tuple[Note, ...]]:
    for name in CONFIG_FILES:
        path = site_dir / name
        if path.is_file():
            return _config_file(path, site_dir), ()
    folder = site_dir / "config" / "_default"
    if folder.is_dir():
        return _config_folder(folder, site_dir)
    raise UnreadableSource(
        f"{site_dir} is not a Hugo site: it has no hugo.toml, hugo.yaml, hugo.json or config.toml|yaml|json",
        "give the folder that holds the site's config file and its content/ folder")


def _config_file(path: Path, site_dir: Path) -> dict[str, object]:
    try:
        return parse(path.read_text(encoding="utf-8-sig"), _form(path))
    except (OSError, UnicodeDecodeError, FrontMatterError) as exc:
        where = f" (line {exc.line})" if isinstance(exc, FrontMatterError) and exc.line else ""
        raise UnreadableSource(f"{path.relative_to(site_dir)} cannot be read{where}: {exc}",
                               "fix the config file (hugo config shows what Hugo makes of it)") from None


def _config_folder(folder: Path, site_dir: Path) -> tuple[dict[str, object], tuple[Note, ...]]:
    """config/_default/: hugo.* or config.* is the root; every other file is the key it is named after
    (params.toml is [params])."""
    data: dict[str, object] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".toml", ".yaml", ".yml", ".json") or not path.is_file():
            continue
        content = _config_file(path, site_dir)
        if path.stem.lower() in ("hugo", "config"):
            data = {**content, **data}
        else:
            data[path.stem] = content
    return data, (Note("converted", "config read from config/_default/ (other environments ignored)"),)


def _form(path: Path) -> Form:
    suffix = path.suffix.lower()
    return "toml" if suffix == ".toml" else "json" if suffix == ".json" else "yaml"


def _lower_keys(data: Mapping[str, object]) -> dict[str, object]:
    """Hugo's config and front matter keys are case-insensitive (baseURL, baseurl)."""
    return {key.lower(): value for key, value in data.items()}


def _mapping(value: object) -> dict[str, object]:
    return _lower_keys({str(k): v for k, v in value.items()}) if isinstance(value, dict) else {}


def _base_url(value: str) -> str:
    if not value or value == "/":
        return ""
    return value if value.endswith("/") else value + "/"


def _language(code: str) -> str:
    """"en-us" -> "en": themehub's language is the language alone."""
    return re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower() if code.strip() else ""


def _zone(name: str) -> tuple[dt.tzinfo, tuple[Note, ...]]:
    if not name:
        return dt.UTC, ()
    try:
        return zoneinfo.ZoneInfo(name), ()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC, (Note("converted", f"unknown timeZone {name!r}: dates without an offset read as UTC"),)


def _author_name(value: object) -> str:
    if isinstance(value, dict):
        return text(_mapping(value).get("name"))
    return text(value)


def _other_languages(config: Mapping[str, object]) -> tuple[str, ...]:
    languages = _mapping(config.get("languages"))
    default = text(config.get("defaultcontentlanguage")).lower() or next(iter(languages), "")
    return tuple(code for code in languages if code != default)


# ----------------------------------------------------------------------------- pages found


@dataclass(frozen=True, slots=True)
class _Page:
    """A content file, its front matter read, before its body is converted."""

    file: Path
    rel: str
    """Below content/, with '/': "posts/x/index.md"."""
    bundle: Path | None
    """The leaf bundle's folder (its index.md's resources sit there), None for a plain file."""
    folders: tuple[str, ...]
    """The folders above it in content/ (a bundle's own folder apart): ("posts",), () at the root."""
    name: str
    """The file name without extension, or the bundle's folder name."""
    meta: Mapping[str, object]
    """Front matter, keys lowercased."""
    body: str
    notes: tuple[Note, ...]
    address: str = ""

    @property
    def section(self) -> str:
        return self.folders[0] if self.folders else ""


def _content_files(content: Path) -> tuple[list[Path], list[Path]]:
    """(markdown files, other content files), in a stable order."""
    markdown: list[Path] = []
    other: list[Path] = []
    for path in sorted(content.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(content).parts):
            continue
        suffix = path.suffix.lower()
        if suffix in MARKDOWN:
            markdown.append(path)
        elif suffix in OTHER_CONTENT:
            other.append(path)
    return markdown, other


def _page(path: Path, content: Path) -> _Page:
    rel = path.relative_to(content).as_posix()
    parts = rel.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    try:
        raw = path.read_text(encoding="utf-8-sig")
        notes: tuple[Note, ...] = ()
    except UnicodeDecodeError:  # an old Latin-1 file: every byte still means a character
        raw = path.read_bytes().decode("latin-1")
        notes = (Note("converted", "not UTF-8: read as Latin-1 (check accented letters)"),)
    meta, body, split_notes = split(raw, f"content/{rel}")
    bundle = path.parent if stem == "index" else None
    folders = tuple(parts[:-2] if bundle else parts[:-1])
    name = parts[-2] if bundle and len(parts) > 1 else stem
    # Newer Hugo puts a page's own parameters (images, author) under `params`: read them alike.
    fields = {**_mapping(meta.get("params")), **_lower_keys(meta)}
    return _Page(path, rel, bundle, folders, unquote(name), fields, body, (*notes, *split_notes))


# ----------------------------------------------------------------------------- addresses


def sanitize(path: str, lower: bool = True) -> str:
    """Hugo's path sanitizing (helpers.UnicodeSanitize, then lower case unless disablePathToLower)."""
    out: list[str] = []
    hyphen = False
    for i, char in enumerate(path):
        allowed = char in "./\\_#+~" or unicodedata.category(char)[0] in "LNM" or (
            char == "%" and re.fullmatch(r"[0-9A-Fa-f]{2}", path[i + 1 : i + 3]) is not None)
        if allowed:
            if hyphen:
                out.append("-")
                hyphen = False
            out.append(char)
        elif out and (char == "-" or char.isspace()):
            hyphen = True
    result = "".join(out)
    return result.lower() if lower else result


def _address(page: _Page, config: _Config) -> str:
    """The page's old address below the site root: `url`, else its section's permalink, else Hugo's default."""
    url = text(page.meta.get("url"))
    if url:
        below = _below_root(url, config.base_url)
        path = urlsplit(url).path if below is None else below or url  # another host: its path is all we have
        return _as_folder("/" + path.lstrip("/"))
    slug = text(page.meta.get("slug"))
    pattern = config.permalinks.get(page.section) if page.section else None
    expanded = _expand(pattern, page, config) if pattern else None
    if expanded:
        return _as_folder(expanded)
    last = sanitize(slug or page.name, config.lower)
    folders = [sanitize(folder, config.lower) for folder in page.folders]
    if config.ugly:
        return "/" + "/".join([*folders, last]) + ".html"
    return "/" + "".join(f"{part}/" for part in [*folders, last] if part)


def _expand(pattern: str, page: _Page, config: _Config) -> str | None:
    """The pattern with its tokens filled in; None when one has no value (a page without a date for
    `:year`): Hugo would not have built it so, and the default address is the better guess."""
    date = moment(page.meta.get("date"), config.zone) or _publish_date(page.meta, config.zone)
    title = text(page.meta.get("title"))
    slug = text(page.meta.get("slug"))

    def token(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        values: dict[str, Callable[[], str]] = {
            "year": lambda: f"{date:%Y}" if date else "", "month": lambda: f"{date:%m}" if date else "",
            "monthname": lambda: f"{date:%B}" if date else "", "day": lambda: f"{date:%d}" if date else "",
            "weekday": lambda: str(date.isoweekday() % 7) if date else "",
            "weekdayname": lambda: f"{date:%A}" if date else "",
            "yearday": lambda: str(date.timetuple().tm_yday) if date else "",
            "section": lambda: page.section, "sections": lambda: "/".join(page.folders),
            "title": lambda: title, "slug": lambda: slug or title,
            "filename": lambda: page.name, "contentbasename": lambda: page.name,
            "slugorfilename": lambda: slug or page.name, "slugorcontentbasename": lambda: slug or page.name,
        }
        return sanitize(values[name](), config.lower) if name in values else match.group(0)

    missing = False

    def token_or_none(match: re.Match[str]) -> str:
        nonlocal missing
        value = token(match)
        missing = missing or not value
        return value

    expanded = re.sub(r":([A-Za-z]+)", token_or_none, pattern)
    if missing:
        return None
    expanded = re.sub(r"/{2,}", "/", "/" + expanded.lstrip("/"))
    return expanded.lower() if config.lower else expanded


def _as_folder(path: str) -> str:
    """Hugo publishes an address without a file extension as a folder: `/old` is `/old/`."""
    if "?" in path or path.endswith("/") or "." in path.rsplit("/", 1)[-1]:
        return path
    return path + "/"


def _below_root(url: str, base_url: str) -> str | None:
    """A full URL of the old site as a path below its root; None for another host; '' for a path."""
    split = urlsplit(url)
    if not split.scheme and not split.netloc:
        return ""
    base = urlsplit(base_url)
    if split.netloc.lower() != base.netloc.lower():
        return None
    path = split.path or "/"
    prefix = base.path.rstrip("/")
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix) :]
    return path + (f"?{split.query}" if split.query else "")


def _aliases(page: _Page, config: _Config) -> tuple[tuple[str, ...], tuple[Note, ...]]:
    """The page's own old address first, then its `aliases`: a relative alias is relative to the folder
    holding the page's address (what Hugo does: `old` on /posts/new/ is /posts/old/)."""
    found = [page.address]
    notes: list[Note] = []
    base = posixpath.dirname(page.address.rstrip("/")) or "/"
    for alias in texts(page.meta.get("aliases")):
        below = _below_root(alias, config.base_url)
        if below is None:
            notes.append(Note("lost", f"alias on another site: {alias}"))
            continue
        path = below or (alias if alias.startswith("/") else posixpath.normpath(posixpath.join(base, alias)))
        found.append(_as_folder(path))
    return tuple(dict.fromkeys(found)), tuple(notes)


# ----------------------------------------------------------------------------- shortcodes


_SHORTCODE = re.compile(
    r"\{\{(?:<\s*/\*(?P<comment_a>.*?)\*/\s*>|%\s*/\*(?P<comment_p>.*?)\*/\s*%|<(?P<angle>.*?)>|%(?P<percent>.*?)%)\}\}",
    re.S)
_ARG = re.compile(
    r"""\s*(?:(?P<key>[\w-]+)\s*=\s*)?(?:"(?P<dq>(?:[^"\\]|\\.)*)"|`(?P<bq>[^`]*)`|(?P<bare>[^\s"`=]+))""", re.S)
_NAME = re.compile(r"\s*(?P<close>/)?\s*(?P<name>[\w./-]+)(?P<args>.*?)(?P<self>/)?\s*\Z", re.S)


@dataclass(frozen=True, slots=True)
class _Shortcode:
    name: str
    raw: str
    """The tag exactly as written."""
    positional: tuple[str, ...] = ()
    named: Mapping[str, str] = field(default_factory=dict)
    closing: bool = False
    self_closing: bool = False

    def get(self, key: str, position: int = -1) -> str:
        """A named argument, else the positional one at `position`."""
        if key in self.named:
            return self.named[key]
        return self.positional[position] if 0 <= position < len(self.positional) else ""


_Token = str | _Shortcode
"""Text (a shortcode comment already made literal) or a shortcode tag."""


def _tokenize(body: str) -> list[_Token]:
    tokens: list[_Token] = []
    at = 0
    for match in _SHORTCODE.finditer(body):
        tokens.append(body[at : match.start()])
        at = match.end()
        if match["comment_a"] is not None:  # {{</* x */>}} shows the shortcode itself
            tokens.append("{{<" + match["comment_a"] + ">}}")
        elif match["comment_p"] is not None:
            tokens.append("{{%" + match["comment_p"] + "%}}")
        else:
            inside = match["angle"] if match["angle"] is not None else match["percent"]
            tokens.append(_shortcode(match.group(0), inside))
    tokens.append(body[at:])
    return [token for token in tokens if token != ""]


def _shortcode(raw: str, inside: str) -> _Token:
    head = _NAME.match(inside)
    if head is None:
        return raw  # `{{< >}}` or stray braces: text, as Hugo would complain about it
    positional: list[str] = []
    named: dict[str, str] = {}
    args = head["args"]
    at = 0
    while at < len(args) and args[at:].strip():
        arg = _ARG.match(args, at)
        if arg is None:
            return raw
        value = arg["bq"] if arg["bq"] is not None else (
            re.sub(r"\\(.)", r"\1", arg["dq"]) if arg["dq"] is not None else arg["bare"])
        if arg["key"]:
            named[arg["key"].lower()] = value
        else:
            positional.append(value)
        at = arg.end()
    return _Shortcode(head["name"].lower(), raw, tuple(positional), named, bool(head["close"]), bool(head["self"]))


def _pairs(tokens: list[_Token]) -> dict[int, int]:
    """Opening tag index -> its closing tag's; a tag without a closing one is a single shortcode."""
    stack: list[int] = []
    found: dict[int, int] = {}
    for i, token in enumerate(tokens):
        if not isinstance(token, _Shortcode) or token.self_closing:
            continue
        if not token.closing:
            stack.append(i)
            continue
        for depth in range(len(stack) - 1, -1, -1):
            opening = tokens[stack[depth]]
            if isinstance(opening, _Shortcode) and opening.name == token.name:
                found[stack[depth]] = i
                del stack[depth:]
                break
    return found


class _Converter:
    """Turns one page's shortcodes into markdown, collecting what it did (a mutable helper on purpose:
    it lives for one body)."""

    def __init__(self, page: _Page, config: _Config, resolve: Callable[[str, _Page], str | None]) -> None:
        self.page = page
        self.config = config
        self.resolve = resolve
        self.converted: Counter[str] = Counter()
        self.notes: list[Note] = []

    def convert(self, body: str) -> str:
        tokens = _tokenize(body)
        return self._render(tokens, _pairs(tokens), 0, len(tokens))

    def summary(self) -> tuple[Note, ...]:
        done = tuple(Note("converted", f"{{{{< {name} >}}}} ×{count}: {_DONE.get(name, 'converted')}")
                     for name, count in sorted(self.converted.items()))
        return (*done, *self.notes)

    def _render(self, tokens: list[_Token], paired: dict[int, int], start: int, end: int) -> str:
        out: list[str] = []
        i = start
        while i < end:
            token = tokens[i]
            if isinstance(token, str):
                out.append(token)
            elif token.closing:
                out.append(token.raw)
                self.notes.append(Note("verbatim", f"closing shortcode without an opening one: {token.raw}"))
            elif i in paired:
                inner = self._render(tokens, paired, i + 1, paired[i])
                closing = tokens[paired[i]]
                out.append(self._paired(token, inner, closing.raw if isinstance(closing, _Shortcode) else ""))
                i = paired[i]
            else:
                out.append(self._single(token))
            i += 1
        return "".join(out)

    def _single(self, code: _Shortcode) -> str:
        handler = _SINGLE.get(code.name)
        result = handler(self, code) if handler else None
        if result is None:
            self.notes.append(Note("verbatim", f"kept verbatim: {code.raw}"))
            return code.raw
        self.converted[code.name] += 1
        return result

    def _paired(self, code: _Shortcode, inner: str, closing: str) -> str:
        if code.name == "highlight":
            self.converted[code.name] += 1
            return _fence(inner.strip("\n"), code.get("lang", 0))
        if code.name in _SINGLE:  # {{< figure >}}{{< /figure >}}: a single one with an empty closing tag
            return self._single(code) + inner
        self.notes.append(Note("verbatim", f"kept verbatim: {code.raw}…{closing}"))
        return code.raw + inner + closing

    def figure(self, code: _Shortcode) -> str | None:
        src = code.get("src")
        if not src:
            return None
        caption, title = code.get("caption"), code.get("title")
        alt = code.get("alt") or _plain(caption) or _plain(title)
        image = f"![{_escape_alt(alt)}]({_target(src)})"
        if code.get("link"):
            image = f"[{image}]({_target(code.get('link'))})"
        attribution = code.get("attr")
        if attribution and code.get("attrlink"):
            attribution = f"[{attribution}]({_target(code.get('attrlink'))})"
        words = [" ".join(part.split()) for part in (title, caption, attribution) if part]
        return image + (f"\n*{' — '.join(words)}*" if words else "")

    def video(self, code: _Shortcode) -> str | None:
        video = code.get("id", 0)
        if not video:
            return None
        if code.name == "vimeo":
            return f"[{code.get('title') or 'Vimeo video'}](https://vimeo.com/{video})"
        return f"[{code.get('title') or 'YouTube video'}](https://www.youtube.com/watch?v={video})"

    def post_on_x(self, code: _Shortcode) -> str | None:
        user, post = code.get("user"), code.get("id", 0 if not code.get("user") else 1)
        if not code.get("user") and len(code.positional) == 2:
            user, post = code.positional
        if not post:
            return None
        if user:
            return f"[Post by @{user} on X](https://x.com/{user}/status/{post})"
        return f"[Post on X](https://x.com/i/status/{post})"

    def gist(self, code: _Shortcode) -> str | None:
        user, gist, file = code.get("user", 0), code.get("id", 1), code.get("file", 2)
        if not (user and gist):
            return None
        return f"[Gist {file or gist} by {user}](https://gist.github.com/{user}/{gist})"

    def instagram(self, code: _Shortcode) -> str | None:
        post = code.get("id", 0)
        return f"[Instagram post](https://www.instagram.com/p/{post}/)" if post else None

    def ref(self, code: _Shortcode) -> str | None:
        target = code.get("path", 0)
        if not target:
            return None
        return self.resolve(target, self.page)

    def param(self, code: _Shortcode) -> str | None:
        key = code.get("name", 0)
        for source in (self.page.meta, _mapping(self.page.meta.get("params")), self.config.params):
            value = _dotted(source, key)
            if value is not None and not isinstance(value, dict | list):
                return text(value)
        return None


_SINGLE: dict[str, Callable[[_Converter, _Shortcode], str | None]] = {
    "figure": _Converter.figure, "youtube": _Converter.video, "vimeo": _Converter.video,
    "tweet": _Converter.post_on_x, "x": _Converter.post_on_x, "gist": _Converter.gist,
    "instagram": _Converter.instagram, "ref": _Converter.ref, "relref": _Converter.ref, "param": _Converter.param,
}
_DONE = {"figure": "image with caption", "youtube": "link to the video", "vimeo": "link to the video",
         "tweet": "link to the post", "x": "link to the post", "gist": "link to the gist",
         "instagram": "link to the post", "ref": "old address of the page", "relref": "old address of the page",
         "param": "the value from the config", "highlight": "fenced code block"}


def _dotted(source: Mapping[str, object], key: str) -> object:
    value: object = source
    for part in key.lower().split("."):
        if not isinstance(value, dict):
            return None
        value = _mapping(value).get(part)
    return value


def _fence(code: str, language: str) -> str:
    ticks = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", code)), default=0))
    return f"{ticks}{language}\n{code}\n{ticks}"


def _plain(markdown: str) -> str:
    """Caption text without markdown emphasis, links or tags, for alt text (what Hugo's plainify does)."""
    words = re.sub(r"<[^>]+>", "", markdown)
    words = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", words)
    return " ".join(re.sub(r"[*_`]", "", words).split())


def _escape_alt(alt: str) -> str:
    return alt.replace("[", r"\[").replace("]", r"\]")


def _target(url: str) -> str:
    """A markdown link target: angle brackets when it has spaces or parentheses."""
    return f"<{url}>" if re.search(r"[\s()]", url) else url


# ----------------------------------------------------------------------------- pictures


_MD_IMAGE = re.compile(
    r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\]\(\s*(?:<(?P<angled>[^>]*)>|(?P<src>[^)\s]+))(?P<rest>(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*)\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?P<q>[\"'])(?P<src>.*?)(?P=q)[^>]*>", re.I | re.S)
_HTML_ALT = re.compile(r"\balt\s*=\s*([\"'])(.*?)\1", re.I | re.S)


@dataclass(frozen=True, slots=True)
class _Pictures:
    """Where a page's pictures are: static/ and, for a bundle, its folder."""

    site_dir: Path
    config: _Config

    def find(self, src: str, page: _Page | None, alt: str = "") -> Picture | None:
        """The Picture for a reference as the page writes it; None for nothing to import (data: URIs).
        A bundle's own file gets its old address as reference ("/posts/x/photo.jpg"): "photo.jpg" alone
        would name the pictures of every bundle that has one."""
        if not src or src.startswith(("data:", "#", "mailto:")):
            return None
        split = urlsplit(src)
        path = unquote(split.path)
        if split.scheme or split.netloc:
            below = _below_root(src, self.config.base_url) if self.config.base_url else None
            return Picture(src, self._static(unquote(below.split("?")[0])) if below else None, alt)
        if path.startswith("/"):
            return Picture(src, self._static(path) or self._content(path), alt)
        if page is None:  # an author's avatar: a relative path is below static/
            return Picture(src, self._static(path), alt)
        if page.bundle is not None:
            found = self._inside(page.bundle / path)
            if found is not None:
                folder = page.address if page.address.endswith("/") else posixpath.dirname(page.address) + "/"
                return Picture(posixpath.normpath(folder + src.removeprefix("./")), found, alt)
        return Picture(src, self._inside(page.file.parent / path) or self._static(path), alt)

    def _static(self, path: str) -> Path | None:
        return self._inside(self.site_dir / "static" / path.lstrip("/"))

    def _content(self, path: str) -> Path | None:
        return self._inside(self.site_dir / "content" / path.lstrip("/"))

    def _inside(self, path: Path) -> Path | None:
        """The file when it exists inside the site folder (never through '..' or a symlink out of it)."""
        try:
            found = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        return path if found.is_file() and found.is_relative_to(self.site_dir.resolve()) else None


def _body_pictures(body: str, page: _Page, pictures: _Pictures) -> tuple[str, tuple[Picture, ...]]:
    """The body with bundle pictures referenced by their old address, and every picture it shows."""
    found: list[Picture] = []

    def markdown(match: re.Match[str]) -> str:
        src = match["angled"] if match["angled"] is not None else match["src"]
        picture = pictures.find(src, page, _unescape(match["alt"]))
        if picture is None:
            return match.group(0)
        found.append(picture)
        return f"![{match['alt']}]({_target(picture.reference)}{match['rest']})"

    def html(match: re.Match[str]) -> str:
        alt = _HTML_ALT.search(match.group(0))
        picture = pictures.find(match["src"], page, alt.group(2) if alt else "")
        if picture is None:
            return match.group(0)
        found.append(picture)
        start, end = match.span("src")
        whole = match.group(0)
        offset = match.start()
        return whole[: start - offset] + picture.reference + whole[end - offset :]

    body = _MD_IMAGE.sub(markdown, body)
    body = _HTML_IMAGE.sub(html, body)
    return body, tuple({picture.reference: picture for picture in found}.values())


def _unescape(alt: str) -> str:
    return re.sub(r"\\(.)", r"\1", alt)


def _featured(page: _Page, pictures: _Pictures) -> Picture | None:
    """The page's picture: images[0], featured_image, image, cover (or cover.image), thumbnail; else a
    bundle's `feature*`/`cover*` file."""
    alt = next((text(page.meta[key]) for key in FEATURED_ALT_KEYS if text(page.meta.get(key))), "")
    for key in FEATURED_KEYS:
        value = page.meta.get(key)
        if isinstance(value, dict):  # PaperMod & co.: cover: {image: x.jpg, alt: …}
            cover = _mapping(value)
            value, alt = cover.get("image") or cover.get("src"), text(cover.get("alt")) or alt
        if text(value):
            return pictures.find(text(value), page, alt)
    if page.bundle is not None:
        for file in sorted(page.bundle.iterdir()):
            if file.is_file() and BUNDLE_FEATURED.match(file.name):
                return pictures.find(file.name, page, alt)
    return None


# ----------------------------------------------------------------------------- references between pages


@dataclass(frozen=True, slots=True)
class _Index:
    """Every page by the names `ref` accepts: its path below content/ with or without extension, a
    bundle by its folder, and (when unique) its bare file or bundle name."""

    by_path: Mapping[str, str]
    by_name: Mapping[str, str]

    @classmethod
    def of(cls, pages: Iterable[_Page]) -> _Index:
        by_path: dict[str, str] = {}
        names: dict[str, list[str]] = {}
        for page in pages:
            key = _ref_key(page.rel)
            by_path[key] = page.address
            names.setdefault(key.rsplit("/", 1)[-1], []).append(page.address)
        return cls(by_path, {name: found[0] for name, found in names.items() if len(set(found)) == 1})

    def resolve(self, target: str, page: _Page) -> str | None:
        path, _, anchor = target.partition("#")
        anchor = f"#{anchor}" if anchor else ""
        if not path:
            return anchor or None
        if path.strip() == "/":
            return "/" + anchor
        here = posixpath.dirname(page.rel)
        candidates = [posixpath.normpath(posixpath.join(here, path))] if not path.startswith("/") else []
        candidates.append(path.lstrip("/"))
        for candidate in candidates:
            found = self.by_path.get(_ref_key(candidate))
            if found:
                return found + anchor
        if "/" not in path.strip("/"):
            found = self.by_name.get(_ref_key(path))
            return found + anchor if found else None
        return None


def _ref_key(path: str) -> str:
    key = unquote(path).lower().strip("/")
    key = re.sub(r"\.(md|markdown|mdown|mkd)$", "", key)
    return re.sub(r"(^|/)_?index$", "", key)


# ----------------------------------------------------------------------------- posts


def _publish_date(meta: Mapping[str, object], zone: dt.tzinfo) -> dt.datetime | None:
    for key in ("publishdate", "pubdate", "published"):
        found = moment(meta.get(key), zone)
        if found:
            return found
    return None


def _dates(page: _Page, config: _Config, now: dt.datetime) -> tuple[dt.datetime | None, tuple[Note, ...]]:
    notes: list[Note] = []
    date = moment(page.meta.get("date"), config.zone)
    if page.meta.get("date") not in (None, "") and date is None:
        notes.append(Note("lost", f"date {text(page.meta.get('date'))!r} is not a date"))
    publish = _publish_date(page.meta, config.zone)
    if publish and (date is None or publish > date):
        if date is not None:
            notes.append(Note("converted", f"publishDate {publish.isoformat()} is later than the date: "
                                           "used as the date, so the piece is published then"))
        date = publish
    if date and date > now:
        notes.append(Note("converted", f"scheduled: dated {date.isoformat()}, in the future"))
    return date, tuple(notes)


def _expiry(page: _Page, config: _Config, now: dt.datetime) -> tuple[dt.datetime | None, tuple[Note, ...]]:
    """Hugo's expiryDate as themehub's `expires`: after it the piece leaves listings and feeds, and, unlike
    in Hugo, keeps its page (old links keep working)."""
    expiry = moment(page.meta.get("expirydate") or page.meta.get("unpublishdate"), config.zone)
    if expiry is None:
        return None, ()
    past = " (already past: Hugo no longer published it)" if expiry <= now else ""
    return expiry, (Note("converted", f"expiryDate {expiry.isoformat()}{past} is `expires`: the piece then "
                                      "leaves listings and keeps its page"),)


def _categories(page: _Page, taxonomy: str) -> tuple[str, ...]:
    return texts(page.meta.get(taxonomy.lower()))


def _authors(page: _Page) -> tuple[str, ...]:
    found: list[str] = []
    for key in ("authors", "author"):
        value = page.meta.get(key)
        items = value if isinstance(value, list) else [value]
        found += [_author_name(item) for item in items]
    return tuple(dict.fromkeys(a for a in found if a))


def _lost_keys(page: _Page, config: _Config, taxonomy: str) -> tuple[Note, ...]:
    used = USED_KEYS | SILENT_KEYS | {taxonomy.lower()} | set(config.taxonomies)
    lost = sorted(key for key in page.meta if key not in used and key not in ("categories", "tags"))
    return (Note("lost", f"front matter not carried over: {', '.join(lost)}"),) if lost else ()


def _post(page: _Page, kind: str, config: _Config, taxonomy: str, index: _Index, pictures: _Pictures,
          now: dt.datetime) -> Post:
    converter = _Converter(page, config, index.resolve)
    body = converter.convert(page.body)
    body, found = _body_pictures(body, page, pictures)
    date, date_notes = _dates(page, config, now)
    expires, expiry_notes = _expiry(page, config, now)
    old, alias_notes = _aliases(page, config)
    title = text(page.meta.get("title"))
    notes = [*page.notes, *converter.summary(), *date_notes, *expiry_notes, *alias_notes,
             *_lost_keys(page, config, taxonomy)]
    if not title:
        notes.append(Note("converted", "no title: the file name is used"))
    tags = () if taxonomy.lower() == "tags" else texts(page.meta.get("tags"))
    if taxonomy.lower() not in ("tags", "categories") and texts(page.meta.get("categories")):
        # Not the taxonomy asked for, but words the author chose: kept as tags rather than lost.
        tags = tuple(dict.fromkeys((*tags, *texts(page.meta.get("categories")))))
        notes.append(Note("converted", f"categories kept as tags: {', '.join(texts(page.meta['categories']))}"))
    return Post(
        kind="article" if kind == "article" else "page",
        source=f"content/{page.rel}",
        title=title or page.name,
        name=unquote(text(page.meta.get("slug")) or page.name),
        date=date,
        body=body,
        updated=moment(page.meta.get("lastmod") or page.meta.get("modified"), config.zone),
        authors=_authors(page) or ((config.author,) if config.author and kind == "article" else ()),
        summary=text(page.meta.get("description")) or text(page.meta.get("summary")),
        categories=_categories(page, taxonomy),
        tags=tags,
        image=_featured(page, pictures),
        draft=flag(page.meta.get("draft")),
        expires=expires,
        featured=flag(page.meta.get("featured")) or flag(page.meta.get("pinned")),
        aliases=old,
        pictures=found,
        notes=tuple(dict.fromkeys(notes)),
    )


# ----------------------------------------------------------------------------- authors


def _read_authors(site_dir: Path, pictures: _Pictures, pages: Iterable[_Page]) -> tuple[dict[str, Author], list[Note]]:
    """Authors from data/authors/<id>.*, data/authors.*, and content/authors/<id>/_index.md (the
    `authors` taxonomy's term pages), merged by id."""
    notes: list[Note] = []
    records: dict[str, dict[str, object]] = {}
    data = site_dir / "data"
    for path in sorted((data / "authors").glob("*")) if (data / "authors").is_dir() else []:
        if path.suffix.lower() in (".yaml", ".yml", ".toml", ".json"):
            records[path.stem] = _data_file(path, site_dir, notes)
    for path in sorted(data.glob("authors.*")) if data.is_dir() else []:
        if path.suffix.lower() in (".yaml", ".yml", ".toml", ".json"):
            for key, value in _data_file(path, site_dir, notes).items():
                records.setdefault(key, _mapping(value) if isinstance(value, dict) else {"name": value})
    for page in pages:
        term = _author_term(page)
        if term:
            merged = {**page.meta, **records.get(term, {})}
            merged.setdefault("bio", page.body.strip())
            records[term] = merged
    authors = {key: _author(key, record, pictures) for key, record in records.items()}
    return authors, notes


def _author_term(page: _Page) -> str:
    """The author id of content/authors/<id>/_index.md (a term page of the `authors` taxonomy), else ''."""
    is_list = page.rel.rsplit("/", 1)[-1].split(".")[0] == "_index"
    return page.folders[1] if is_list and len(page.folders) == 2 and page.folders[0] == "authors" else ""


def _data_file(path: Path, site_dir: Path, notes: list[Note]) -> dict[str, object]:
    try:
        return parse(path.read_text(encoding="utf-8-sig"), _form(path))
    except (OSError, UnicodeDecodeError, FrontMatterError) as exc:
        notes.append(Note("lost", f"{path.relative_to(site_dir).as_posix()} cannot be read: {exc}"))
        return {}


def _author(key: str, record: Mapping[str, object], pictures: _Pictures) -> Author:
    fields = _mapping(record)
    avatar = next((text(fields[k]) for k in ("avatar", "image", "photo", "picture") if text(fields.get(k))), "")
    name = text(fields.get("name")) or text(fields.get("title")) or _titled(key)
    return Author(
        id=key,
        name=name,
        bio=text(fields.get("bio")) or text(fields.get("description")) or text(fields.get("summary")),
        avatar=pictures.find(avatar, None, name) if avatar else None,
        role=text(fields.get("role")) or text(fields.get("job")) or text(fields.get("position")),
        links=_links(fields),
    )


def _links(fields: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    found: dict[str, str] = {}
    for holder in ("links", "social"):
        value = fields.get(holder)
        if isinstance(value, dict):
            found.update({str(k).lower(): text(v) for k, v in value.items() if text(v)})
        elif isinstance(value, list):  # [{name: twitter, url: …}]
            for item in value:
                entry = _mapping(item)
                label = text(entry.get("name")) or text(entry.get("title"))
                if label and text(entry.get("url")):
                    found[label.lower()] = text(entry.get("url"))
    found.update({key: text(fields[key]) for key in NETWORKS if text(fields.get(key))})
    return tuple((label, _link(label, value)) for label, value in found.items())


def _link(label: str, value: str) -> str:
    if re.match(r"(?i)^(https?:|mailto:)", value) or label not in NETWORKS or not NETWORKS[label]:
        return value
    return NETWORKS[label] + value.lstrip("@")


def _titled(key: str) -> str:
    """"jane-doe" -> "Jane Doe"; an id that is already a name ("Jane Doe", "王伟") stays as it is."""
    if re.fullmatch(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*", key):
        return " ".join(word.capitalize() for word in re.split(r"[-_.]", key))
    return key


def _all_authors(posts: list[Post], known: dict[str, Author]) -> tuple[list[Post], tuple[Author, ...]]:
    """Posts naming a data author by another spelling ("Jane Doe" for jane-doe) get the data's id; an
    author without data gets their id titled as name."""
    by_urlized = {sanitize(key): key for key in known}
    authors = dict(known)
    fixed: list[Post] = []
    for post in posts:
        ids = tuple(key if key in known else by_urlized.get(sanitize(key), key) for key in post.authors)
        for key in ids:
            authors.setdefault(key, Author(key, _titled(key)))
        fixed.append(replace(post, authors=ids) if ids != post.authors else post)
    return fixed, tuple(authors.values())


# ----------------------------------------------------------------------------- the site


def read(site_dir: Path, *, taxonomy: str = "categories") -> Site:
    """Everything a Hugo site folder holds for an import; UnreadableSource when it is not a Hugo site.
    `taxonomy` is the front matter key whose terms become Post.categories (campaign themes)."""
    if not site_dir.is_dir():
        raise UnreadableSource(f"{site_dir} is not a folder", "give the Hugo site's folder (where hugo.toml is)")
    config = _read_config(site_dir)
    content = site_dir / "content"
    notes: list[Note] = list(config.notes)
    markdown, other = _content_files(content) if content.is_dir() else ([], [])
    if not content.is_dir():
        notes.append(Note("skipped", "the site has no content/ folder: nothing to import"))
    notes += [Note("skipped", f"content/{p.relative_to(content).as_posix()}: {p.suffix} content is not imported")
              for p in other]
    found = [_page(path, content) for path in markdown]
    pages, skipped = _importable(found, config)
    notes += skipped
    pages = [replace(page, address=_address(page, config)) for page in pages]
    index = _Index.of(pages)
    pictures = _Pictures(site_dir, config)
    kinds = _kinds(pages)
    now = dt.datetime.now(dt.UTC)
    posts = [_post(page, kinds[page.rel], config, taxonomy, index, pictures, now) for page in pages]
    known, author_notes = _read_authors(site_dir, pictures, found)
    posts, authors = _all_authors(posts, known)
    notes += author_notes + _taxonomy_notes(pages, config, taxonomy)
    return Site(
        format="hugo",
        title=config.title,
        base_url=config.base_url,
        posts=tuple(posts),
        authors=authors,
        description=config.description,
        language=config.language,
        notes=tuple(notes),
        source=site_dir,
    )


def _importable(found: list[_Page], config: _Config) -> tuple[list[_Page], list[Note]]:
    """The pages that are posts: not list pages (_index.md), headless bundles or other languages."""
    pages: list[_Page] = []
    notes: list[Note] = []
    for page in found:
        name = page.rel.rsplit("/", 1)[-1]
        language = name.split(".")[-2] if name.count(".") >= 2 else ""
        if name.split(".")[0] == "_index":
            if page.body.strip() and not _author_term(page):
                notes.append(Note("skipped", f"content/{page.rel}: a list page's text is not imported"))
        elif language and language.lower() in config.languages:
            notes.append(Note("skipped", f"content/{page.rel}: translation ({language}) not imported"))
        elif flag(page.meta.get("headless")):
            notes.append(Note("skipped", f"content/{page.rel}: a headless bundle (no page of its own)"))
        else:
            pages.append(replace(page, name=page.name.removesuffix(f".{language}")) if language else page)
    return pages, notes


def _kinds(pages: list[_Page]) -> dict[str, str]:
    """article or page for each page: a page in posts/, blog/ & co. is an article, and so is one in any
    section all of whose pages are dated; a page at the root is a page."""
    dated: dict[str, bool] = {}
    for page in pages:
        if page.section:
            dated[page.section] = dated.get(page.section, True) and page.meta.get("date") not in (None, "")
    return {page.rel: "article" if page.section and (page.section.lower() in ARTICLE_SECTIONS
                                                     or dated[page.section]) else "page" for page in pages}


def _taxonomy_notes(pages: list[_Page], config: _Config, taxonomy: str) -> list[Note]:
    notes: list[Note] = []
    for name in config.taxonomies:
        if name.lower() in ("tags", "categories", taxonomy.lower()):
            continue
        used = sum(1 for page in pages if texts(page.meta.get(name.lower())))
        if used:
            notes.append(Note("lost", f"taxonomy {name!r} on {used} pages is not imported "
                                      f"(only tags and {taxonomy!r} are)"))
    return notes
