"""The WordPress reader: a WXR export (Tools → Export → All content) to a `Site`.

WXR is RSS 2.0 with WordPress's own elements (`wp:`, `content:`, `excerpt:`, `dc:`). Each `<item>` is a
post, a page, an attachment (a picture, indexed for featured images and galleries) or something that is
not content (menus, revisions, block templates), skipped with a count. A body goes through what
WordPress itself does when it shows a post, in its order: block comments out (reusable blocks inlined),
shortcodes, embeds, `wpautop` for classic-editor text; then HTML to markdown (importing/html.py).
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from themehub.importing.html import image, is_picture_file, italic_line, markdown_url, to_markdown, to_text
from themehub.importing.model import Author, Note, Picture, Post, Site, UnreadableSource

HINT = "Export the site from WordPress (Tools → Export → All content) and pass the .xml file it downloads."

_NAMESPACES = (
    (re.compile(r"http://wordpress\.org/export/\d+\.\d+/excerpt/"), "excerpt"),
    (re.compile(r"http://wordpress\.org/export/\d+\.\d+/"), "wp"),
    (re.compile(r"http://purl\.org/rss/1\.0/modules/content/"), "content"),
    (re.compile(r"http://purl\.org/dc/elements/1\.1/"), "dc"),
)
"""WXR 1.0, 1.1 and 1.2 differ in the version in these addresses only (for what is read here)."""

_INTERNAL_TYPES = frozenset({
    "revision", "nav_menu_item", "custom_css", "customize_changeset", "oembed_cache", "user_request",
    "scheduled-action", "shop_order_placehold",
})
"""Post types that are WordPress's (or a very common plugin's) machinery, not content; `wp_*` too."""

_STATUS_NOTES = {
    "pending": "pending review: imported as a draft",
    "private": "private post imported as a draft",
}

_PROLOG_DOCTYPE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<!((?:DOCTYPE|ENTITY)\s*\w*)", re.S | re.I
)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters XML 1.0 forbids, which old WordPress databases let into exports (and expat then rejects)."""

_BLOCK_COMMENT = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?P<attrs>\{(?:(?!<!--).)*?\}\s+)?(?P<void>/)?-->",  # (block attributes escape '<' as \u003c)
    re.S,
)
# The opening tag of WordPress's get_shortcode_regex(), for any name (WordPress knows which names are
# registered; an export does not). No '<' or '[' inside: "[Update: see <a …>]" is writing, not a shortcode.
_OPENING = re.compile(r"\[(?P<name>[A-Za-z][\w-]*)(?![\w-])(?P<attrs>(?:[^\]/<\[]|/(?!\]))*+)(?P<slash>/)?\]")
_CLOSING = re.compile(r"\[/([A-Za-z][\w-]*)\]")
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
)
_CODE = re.compile(r"(<(pre|code)\b[^<>]*>)((?:(?!<\2\b).)*?)(</\2>)", re.S | re.I)
_EMBED_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.M)
_EMBED_PARAGRAPH = re.compile(r"<p(?:\s[^<>]*)?>\s*(https?://[^\s<>\"]+)\s*</p>", re.I)
_CAPTIONED = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
_MEDIA_ATTRIBUTES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "ogg", "oga", "m4a", "wav", "wma", "flac")

# wpautop: the elements WordPress never wraps in <p> (its $allblocks)
_AUTOP_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
    r"blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|"
    r"nav|figure|figcaption|details|menu|summary)"
)
_AUTOP_OPEN = re.compile(rf"(<{_AUTOP_BLOCKS}[\s/>])", re.I)
_AUTOP_CLOSE = re.compile(rf"(</{_AUTOP_BLOCKS}>)", re.I)
_AUTOP_STARTS_BLOCK = re.compile(rf"</?{_AUTOP_BLOCKS}[\s/>]", re.I)
_AUTOP_BR_AFTER_BLOCK = re.compile(rf"(</?{_AUTOP_BLOCKS}[^<>]*>)<br />\n", re.I)
_AUTOP_BR_BEFORE_BLOCK = re.compile(rf"<br />\n(\s*</?{_AUTOP_BLOCKS}[\s/>])", re.I)


@dataclass(frozen=True, slots=True)
class _Attachment:
    """An attachment item: a file in the media library."""

    id: str
    url: str
    alt: str
    parent: str
    """The post it was uploaded to ("0": none): a gallery without `ids` shows its post's pictures."""
    order: int


@dataclass(frozen=True, slots=True)
class _Export:
    """What every item of one export is read against."""

    name: str
    base_url: str
    attachments: Mapping[str, _Attachment]
    blocks: Mapping[str, str]
    """Reusable blocks (wp_block items): id → content, inlined where a post uses them."""


# ------------------------------------------------------------------------------------------- public


def read(export: Path) -> Site:
    """Reads a WXR export. Raises UnreadableSource when it is not one (or not XML, or has a DTD)."""
    channel, removed = _parse(export)
    items = channel.findall("item")
    context = _Export(
        name=export.name,
        base_url=_base_url(channel),
        attachments=_attachments(items),
        blocks={_text(i, "wp:post_id"): _text(i, "content:encoded") for i in items if _type(i) == "wp_block"},
    )
    posts: list[Post] = []
    skipped: Counter[str] = Counter()
    taxonomies: Counter[str] = Counter()
    for item in items:
        kind, status = _type(item), _text(item, "wp:status")
        if kind in ("post", "page") and status not in ("trash", "auto-draft"):
            posts.append(_read_item(item, context))
            taxonomies.update(_other_taxonomies(item))
        else:
            skipped[_skipped(kind, status)] += 1
    notes = [*_site_notes(skipped, taxonomies, removed)]
    authors = _authors(channel, posts)
    if authors:
        notes.append(Note("lost", "author pictures: WordPress shows Gravatars, which an export does not hold"))
    return Site(
        format="wordpress",
        title=html.unescape(_text(channel, "title")),
        base_url=context.base_url,
        posts=tuple(posts),
        authors=authors,
        description=html.unescape(_text(channel, "description")),
        language=_text(channel, "language").split("-")[0].split("_")[0].lower(),
        notes=tuple(notes),
        source=export,
    )


def _attachments(items: list[ET.Element]) -> dict[str, _Attachment]:
    """The export's attachments by id (normalized items: see `_parse`)."""
    found: dict[str, _Attachment] = {}
    for item in items:
        if _type(item) == "attachment":
            meta = _postmeta(item)
            order = _text(item, "wp:menu_order")
            found[_text(item, "wp:post_id")] = _Attachment(
                id=_text(item, "wp:post_id"),
                url=_text(item, "wp:attachment_url") or _text(item, "guid"),
                alt=meta.get("_wp_attachment_image_alt", ""),
                parent=_text(item, "wp:post_parent") or "0",
                order=int(order) if order.lstrip("-").isdigit() else 0,
            )
    return found


def _read_item(item: ET.Element, export: _Export) -> Post:
    """One post or page item."""
    post_id, post_type = _text(item, "wp:post_id"), _type(item)
    status = _text(item, "wp:status") or "publish"
    body = _Body(export, post_id)
    markdown = body.convert(_text(item, "content:encoded"))
    notes = [*_status_notes(item, status), *body.notes]
    image, image_notes = _featured_image(item, export)
    notes.extend(image_notes)
    comments = sum(1 for c in item.findall("wp:comment") if _is_approved_comment(c))
    if comments:
        notes.append(Note("lost", f"{comments} comment{'s' if comments != 1 else ''} (comments are not imported)"))
    date = _date(_text(item, "wp:post_date_gmt")) or _date(_text(item, "wp:post_date"))
    updated = _date(_text(item, "wp:post_modified_gmt")) or _date(_text(item, "wp:post_modified"))
    creator = _text(item, "dc:creator")
    return Post(
        kind="article" if post_type == "post" else "page",
        source=f"{export.name} item {post_id} ({post_type})",
        title=html.unescape(_text(item, "title")),
        name=unquote(_text(item, "wp:post_name")),
        date=date,
        body=markdown,
        updated=updated if updated and date and updated > date else None,
        authors=(creator,) if creator else (),
        summary=to_text(_text(item, "excerpt:encoded")),
        categories=_terms(item, ("category", "")),
        tags=_terms(item, ("post_tag", "tag")),
        image=image,
        draft=status not in ("publish", "future") or bool(_text(item, "wp:post_password")),
        featured=_text(item, "wp:is_sticky") == "1",
        aliases=_aliases(item, post_id, post_type, export.base_url),
        pictures=body.pictures,
        notes=tuple(dict.fromkeys(notes)),
    )


def autop(text: str) -> str:
    """WordPress's wpautop, for classic-editor text (which has no <p>): text separated by a blank line is
    a paragraph, a single newline a <br />. Block-level elements are left as they are. `<pre>` contents
    must be out of the way (the body stashes them)."""
    if not text.strip():
        return ""
    text = re.sub(r"<[^<>]*>", lambda tag: tag.group(0).replace("\n", " "), text)  # a tag split over lines
    text = _AUTOP_CLOSE.sub(r"\1\n\n", _AUTOP_OPEN.sub(r"\n\n\1", text))
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    paragraphs = []
    for chunk in chunks:
        chunk = "<br />\n".join(line.strip(" \t") for line in chunk.split("\n"))
        chunk = _AUTOP_BR_BEFORE_BLOCK.sub(r"\n\1", _AUTOP_BR_AFTER_BLOCK.sub(r"\1\n", chunk))
        paragraphs.append(chunk if _AUTOP_STARTS_BLOCK.match(chunk) else f"<p>{chunk}</p>")
    return "\n".join(paragraphs)


# ------------------------------------------------------------------------------------------- the file


class _RefusedError(Exception):
    """A DTD inside the document: raised by `_NoDoctype` to stop before any entity is declared."""


def _parse(export: Path) -> tuple[ET.Element, int]:
    """The export's channel, its namespaced tags renamed to their usual prefixes ("wp:post_id"), and how
    many forbidden control characters were taken out."""
    try:
        data = export.read_bytes()
    except OSError as error:
        raise UnreadableSource(f"cannot read {export}: {error.strerror or error}", HINT) from error
    doctype = _PROLOG_DOCTYPE.match(data)
    if doctype and doctype.group(1).lower().startswith(b"doctype html"):
        raise UnreadableSource(f"{export.name} is an HTML page, not a WordPress export", HINT)
    if doctype:
        raise UnreadableSource(f"{export.name} declares a DTD (<!DOCTYPE> or <!ENTITY>): refused", _DTD_HINT)
    removed = 0
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # in UTF-16, zero bytes are part of the text
        data, removed = _CONTROL.subn(b"", data)
    parser = ET.XMLParser(target=_NoDoctype())
    try:
        parser.feed(data)
        root = parser.close()
    except _RefusedError as error:
        raise UnreadableSource(f"{export.name} declares a DTD (<!DOCTYPE> or <!ENTITY>): refused", _DTD_HINT) from error
    except ET.ParseError as error:
        message = f"{export.name} is not a WordPress export: it is not well-formed XML ({error})"
        raise UnreadableSource(message, HINT) from error
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise UnreadableSource(f"{export.name} is not a WordPress export: it is XML, but not RSS", HINT)
    if not _normalize(root) and b"http://wordpress.org/export/" not in data[:8192]:
        raise UnreadableSource(
            f"{export.name} is an RSS feed, not a WordPress export (it has no wp: elements)",
            "A feed holds only the latest posts, often shortened. " + HINT,
        )
    return channel, removed


_DTD_HINT = "WordPress never writes one: export the site again (Tools → Export → All content)."


class _NoDoctype(ET.TreeBuilder):
    """Refuses a DOCTYPE the prolog check did not see: expat reports it before reading any <!ENTITY>."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise _RefusedError


def _normalize(root: ET.Element) -> bool:
    """Renames "{http://wordpress.org/export/1.2/}post_id" to "wp:post_id" (any WXR version); whether any
    wp: element was found."""
    prefixes: dict[str, str] = {}
    wordpress = False
    for el in root.iter():
        if not el.tag.startswith("{"):
            continue
        uri, _, local = el.tag[1:].partition("}")
        if uri not in prefixes:
            prefixes[uri] = next((prefix for pattern, prefix in _NAMESPACES if pattern.fullmatch(uri)), "")
        if prefixes[uri]:
            el.tag = f"{prefixes[uri]}:{local}"
            wordpress = wordpress or prefixes[uri] == "wp"
    return wordpress


def _text(el: ET.Element, path: str) -> str:
    found = el.find(path)
    return (found.text or "").strip() if found is not None else ""


def _type(item: ET.Element) -> str:
    return _text(item, "wp:post_type") or "post"


def _postmeta(item: ET.Element) -> dict[str, str]:
    return {_text(meta, "wp:meta_key"): _text(meta, "wp:meta_value") for meta in item.findall("wp:postmeta")}


def _base_url(channel: ET.Element) -> str:
    url = _text(channel, "link") or _text(channel, "wp:base_blog_url") or _text(channel, "wp:base_site_url")
    return url.rstrip("/") + "/" if url else ""


# ------------------------------------------------------------------------------------------- site


def _skipped(kind: str, status: str) -> str:
    """What a skipped item is, for the note counting them."""
    if kind in ("post", "page"):
        return f"{kind} in the trash" if status == "trash" else f"{kind} never saved (auto-draft)"
    if kind == "attachment":
        return "attachment (media library entries: their files are used as the posts' pictures)"
    if kind in _INTERNAL_TYPES or kind.startswith("wp_"):
        return f"{kind} (WordPress's own data: menus, revisions, templates and styles are not imported)"
    return f'item of the custom post type "{kind}" (not imported)'


def _site_notes(skipped: Counter[str], taxonomies: Counter[str], removed: int) -> list[Note]:
    notes = []
    for reason, count in sorted(skipped.items()):
        notes.append(Note("skipped", f"{count} × {reason}"))
    for taxonomy, count in sorted(taxonomies.items()):
        what = f'terms of the taxonomy "{taxonomy}" on {count} item(s) (only categories and tags are read)'
        notes.append(Note("lost", what))
    if removed:
        notes.append(Note("converted", f"{removed} control character(s) XML does not allow removed from the export"))
    return notes


def _authors(channel: ET.Element, posts: list[Post]) -> tuple[Author, ...]:
    """The export's authors, and any login a post names that the export does not list (WXR 1.0 lists none)."""
    found: dict[str, Author] = {}
    for el in channel.findall("wp:author"):
        login = _text(el, "wp:author_login")
        if not login:
            continue
        full = " ".join(filter(None, (_text(el, "wp:author_first_name"), _text(el, "wp:author_last_name"))))
        name = html.unescape(_text(el, "wp:author_display_name") or full or login)
        # The author's email address stays out: an export is private, an author page public
        found[login] = Author(id=login, name=name, bio=to_markdown(_text(el, "wp:author_description")).text)
    for post in posts:
        for login in post.authors:
            found.setdefault(login, Author(id=login, name=login))
    return tuple(found.values())


def _other_taxonomies(item: ET.Element) -> set[str]:
    domains = {el.get("domain", "") for el in item.findall("category")}
    return domains - {"", "category", "post_tag", "tag", "post_format"}


# ------------------------------------------------------------------------------------------- one item


def _status_notes(item: ET.Element, status: str) -> list[Note]:
    notes = []
    if status in _STATUS_NOTES:
        notes.append(Note("converted", _STATUS_NOTES[status]))
    elif status not in ("publish", "future", "draft"):
        notes.append(Note("converted", f'status "{status}" imported as a draft'))
    if _text(item, "wp:post_password"):
        notes.append(Note("lost", "the post's password (imported as a draft: publish it once it may be public)"))
    return notes


def _featured_image(item: ET.Element, export: _Export) -> tuple[Picture | None, list[Note]]:
    thumbnail = _postmeta(item).get("_thumbnail_id", "")
    if not thumbnail or thumbnail == "0":
        return None, []
    attachment = export.attachments.get(thumbnail)
    if attachment is None or not attachment.url:
        return None, [Note("lost", f"the featured image: attachment {thumbnail} is not in the export")]
    # Written as a body would write it (spaces encoded), so one picture has one reference wherever it is used
    return Picture(reference=markdown_url(attachment.url), file=None, alt=attachment.alt), []


def _is_approved_comment(comment: ET.Element) -> bool:
    kind = _text(comment, "wp:comment_type")
    return _text(comment, "wp:comment_approved") == "1" and kind in ("", "comment")


def _date(text: str) -> dt.datetime | None:
    """A WXR date ("2019-05-04 09:30:00"). post_date has no zone: it is read as UTC too."""
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _terms(item: ET.Element, domains: tuple[str, ...]) -> tuple[str, ...]:
    """Term names as shown; WordPress stores them HTML-escaped ("Cloud &amp; Costs")."""
    chosen = (el for el in item.findall("category") if el.get("domain", "") in domains)
    names = (html.unescape((el.text or "").strip()) for el in chosen)
    return tuple(dict.fromkeys(name for name in names if name))


def _aliases(item: ET.Element, post_id: str, post_type: str, base_url: str) -> tuple[str, ...]:
    """The item's old addresses as paths from the host's root: its permalink, `?p=` / `?page_id=`, and its
    GUID when that is an address on the same host. The site's root itself is no post's alias."""
    base = urlsplit(base_url)
    base_path = base.path or "/"
    link = _text(item, "link")
    host = base.netloc.lower() or urlsplit(link).netloc.lower()
    paths = [_path(link)]
    if post_id:
        paths.append(f"{base_path}?{'p' if post_type == 'post' else 'page_id'}={post_id}")
    guid = _text(item, "guid")
    if guid and urlsplit(guid).netloc.lower() == host:
        paths.append(_path(guid))
    return tuple(dict.fromkeys(path for path in paths if path and path != base_path))


def _path(url: str) -> str:
    parts = urlsplit(url)
    if not parts.netloc:
        return ""
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


# ------------------------------------------------------------------------------------------- bodies


class _Body:
    """Converts one item's content. Constructs that become markdown of their own (a gallery, an embed)
    or must stay exactly as written (an unknown shortcode) are set aside as tokens, which pass through
    wpautop and markdownify untouched, and are put back into the markdown at the end."""

    def __init__(self, export: _Export, post_id: str) -> None:
        self.export = export
        self.post_id = post_id
        self.prefix = "WXRTOKEN"
        self.tokens: dict[str, str] = {}
        self.stash: dict[str, str] = {}
        self._pictures: dict[str, Picture] = {}
        self._notes: list[Note] = []
        self.converted: Counter[str] = Counter()

    @property
    def pictures(self) -> tuple[Picture, ...]:
        return tuple(self._pictures.values())

    @property
    def notes(self) -> tuple[Note, ...]:
        counted = [Note("converted", f"{count} × {what}") for what, count in self.converted.items()]
        return tuple(dict.fromkeys([*counted, *self._notes]))

    def convert(self, content: str) -> str:
        text = content.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        while self.prefix in text:
            self.prefix += "Q"  # a token must not occur in the text itself
        blocks = _BLOCK_COMMENT.search(text) is not None
        text = self._code(self._blocks(text, depth=0))
        text = self._embeds(self._shortcodes(text))
        if not blocks:
            text = autop(text)  # WordPress skips wpautop for block-editor content, which has its own <p>
        markdown = self._markdown(self._unstash(text))
        return re.sub(re.escape(self.prefix) + r"\d+X", lambda token: self.tokens[token.group(0)], markdown)

    def _markdown(self, html_text: str) -> str:
        converted = to_markdown(html_text)
        self._pictures.update((p.reference, p) for p in converted.pictures if p.reference not in self._pictures)
        self._notes.extend(converted.notes)
        return converted.text

    def _token(self, replacement: str, *, block: bool) -> str:
        """A stand-in for markdown to insert; a block one is a <div>, so wpautop and markdownify give it a
        paragraph of its own."""
        token = f"{self.prefix}{len(self.tokens)}X"
        self.tokens[token] = replacement
        return f"<div>{token}</div>" if block else token

    # -------------------------------------------------------------------------------- blocks

    def _blocks(self, text: str, depth: int) -> str:
        """Block comments removed (the HTML between them is the post). A reusable block is inlined."""

        def replace(match: re.Match[str]) -> str:
            name = match.group("name").removeprefix("core/")
            if match.group("closer") or not match.group("void"):
                return ""
            if name == "block":
                return self._reusable(match.group("attrs") or "", depth)
            what = f"the dynamic block {name} (WordPress made its content when the page was shown)"
            self._notes.append(Note("lost", what))
            return ""

        return _BLOCK_COMMENT.sub(replace, text)

    def _reusable(self, attrs: str, depth: int) -> str:
        try:
            ref = str(json.loads(attrs).get("ref", ""))
        except (ValueError, AttributeError):
            ref = ""
        content = self.export.blocks.get(ref)
        if content is None or depth > 5:
            why = "it is not in the export" if content is None else "blocks inside it nest too deep (itself?)"
            self._notes.append(Note("lost", f"the reusable block {ref or '(no id)'}: {why}"))
            return ""
        self.converted["reusable block inlined"] += 1
        return "\n" + self._blocks(content.replace("\r\n", "\n"), depth + 1) + "\n"

    # -------------------------------------------------------------------------------- code

    def _code(self, text: str) -> str:
        """Sets aside what <pre> and <code> hold: shown as written, never shortcodes or paragraphs."""

        def stash(match: re.Match[str]) -> str:
            key = f"{self.prefix}S{len(self.stash)}X"
            self.stash[key] = match.group(3)
            return match.group(1) + key + match.group(4)

        return _CODE.sub(stash, text)

    def _unstash(self, text: str) -> str:
        return re.sub(re.escape(self.prefix) + r"S\d+X", lambda key: self.stash[key.group(0)], text)

    # -------------------------------------------------------------------------------- shortcodes

    def _shortcodes(self, text: str) -> str:
        """Every shortcode in `text` converted or set aside. As in WordPress, an enclosing shortcode ends at
        the first closing tag of its name; a tag in double brackets is the tag as text."""
        closings: dict[str, list[int]] = {}
        for found in _CLOSING.finditer(text):
            closings.setdefault(found.group(1), []).append(found.start())
        out: list[str] = []
        done = 0
        for opening in _OPENING.finditer(text):
            if opening.start() < done:
                continue  # inside the enclosing shortcode just converted
            shortcode = _Shortcode.at(text, opening, closings)
            out.append(text[done:shortcode.start] + self._shortcode(shortcode))
            done = shortcode.end
        return "".join(out) + text[done:]

    def _shortcode(self, shortcode: _Shortcode) -> str:
        if shortcode.escaped:
            return self._token(shortcode.text, block=False)  # [[gallery]] is the text "[gallery]"
        handlers: dict[str, Callable[[str, dict[str, str], str | None], str | None]] = {
            "caption": self._caption, "wp_caption": self._caption, "gallery": self._gallery,
            "embed": self._embed, "video": self._media, "audio": self._media,
        }
        name = shortcode.name.lower()
        handler = handlers.get(name)
        converted = handler(name, _attributes(shortcode.attrs), shortcode.content) if handler else None
        return converted if converted is not None else self._verbatim(shortcode)

    def _verbatim(self, shortcode: _Shortcode) -> str:
        name, content, opening = shortcode.name, shortcode.content, shortcode.opening
        if content is not None:
            self._notes.append(Note("verbatim", f"kept verbatim: {opening}…[/{name}] (the text inside is kept)"))
            inner = self._shortcodes(content)
            return self._token(opening, block=False) + inner + self._token(f"[/{name}]", block=False)
        if not shortcode.looks_like_one:
            return opening
        self._notes.append(Note("verbatim", f"kept verbatim: {opening}"))
        return self._token(opening, block=False)

    def _caption(self, name: str, attrs: dict[str, str], content: str | None) -> str | None:
        if content is None:
            return None
        inner = self._unstash(content)
        found = _CAPTIONED.match(inner)
        picture_html, caption_html = (found.group(1), found.group(2)) if found else ("", inner)
        caption = self._markdown(caption_html.strip() or attrs.get("caption", ""))
        parts = [self._markdown(picture_html), italic_line(caption)]
        self.converted["[caption] → picture and an italic caption line"] += 1
        return self._token("\n\n".join(part for part in parts if part), block=True)

    def _gallery(self, name: str, attrs: dict[str, str], content: str | None) -> str | None:
        ids = [i.strip() for i in (attrs.get("ids") or attrs.get("include") or "").split(",") if i.strip()]
        if not ids:  # WordPress shows the pictures uploaded to the post
            excluded = {i.strip() for i in attrs.get("exclude", "").split(",")}
            own = [a for a in self.export.attachments.values() if a.parent == self.post_id and a.id not in excluded]
            ids = [a.id for a in sorted(own, key=lambda a: (a.order, int(a.id) if a.id.isdigit() else 0))
                   if is_picture_file(a.url)]
        found = [self.export.attachments[i] for i in ids if i in self.export.attachments]
        missing = [i for i in ids if i not in self.export.attachments]
        if missing:
            self._notes.append(Note("lost", f"gallery pictures not in the export: attachment(s) {', '.join(missing)}"))
        if not found:
            return None
        for attachment in found:
            reference = markdown_url(attachment.url)
            self._pictures.setdefault(reference, Picture(reference=reference, file=None, alt=attachment.alt))
        self.converted["[gallery] → pictures"] += 1
        return self._token("\n\n".join(image(a.url, a.alt) for a in found), block=True)

    def _embed(self, name: str, attrs: dict[str, str], content: str | None) -> str | None:
        url = (content or "").strip()
        if not re.fullmatch(r"https?://\S+", url):
            return None
        return self._link(url, "[embed]")

    def _media(self, name: str, attrs: dict[str, str], content: str | None) -> str | None:
        url = next((attrs[key] for key in _MEDIA_ATTRIBUTES if attrs.get(key)), "")
        if not url:
            return None
        inner = self._shortcodes(content) if content and content.strip() else ""
        return self._link(url, f"[{name}]") + inner

    def _link(self, url: str, what: str) -> str:
        self._notes.append(Note("converted", f"{what} → link: {url}"))
        return self._token(f"<{markdown_url(url)}>", block=True)

    # -------------------------------------------------------------------------------- embeds

    def _embeds(self, text: str) -> str:
        """A URL alone on a line (or alone in a paragraph) is what WordPress turns into an embed (a YouTube
        player, a tweet): here it becomes a link on a line of its own."""
        text = _EMBED_PARAGRAPH.sub(lambda m: self._link(m.group(1), "embed"), text)
        return _EMBED_LINE.sub(lambda m: self._link(m.group(1), "embed"), text)


def _attributes(text: str) -> dict[str, str]:
    """A shortcode's attributes (WordPress's shortcode_parse_atts, named ones only)."""
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text.replace("\u00a0", " ").replace("\u200b", " ")):
        name, value = next((match.group(i), match.group(i + 1)) for i in (1, 3, 5) if match.group(i))
        found[name.lower()] = html.unescape(value)
    return found


@dataclass(frozen=True, slots=True)
class _Shortcode:
    """One shortcode in a text: `[name attrs]`, `[name attrs /]` or `[name attrs]content[/name]`."""

    start: int
    end: int
    name: str
    attrs: str
    opening: str
    """The opening tag as written."""
    content: str | None
    """What an enclosing shortcode encloses; None for a lone tag."""
    text: str
    """The whole shortcode as written."""
    escaped: bool
    """Written in double brackets ("[[gallery]]"): the text of the shortcode, not one."""

    @classmethod
    def at(cls, text: str, opening: re.Match[str], closings: Mapping[str, list[int]]) -> _Shortcode:
        name, start, end = opening.group("name"), opening.start(), opening.end()
        content = None
        if not opening.group("slash"):
            positions = closings.get(name, [])
            index = bisect.bisect_left(positions, end)
            if index < len(positions):
                content = text[end:positions[index]]
                end = positions[index] + len(f"[/{name}]")
        whole = text[start:end]
        escaped = text[start - 1:start] == "[" and text[end:end + 1] == "]"
        if escaped:
            start, end = start - 1, end + 1
        return cls(start, end, name, opening.group("attrs"), opening.group(0), content, whole, escaped)

    @property
    def looks_like_one(self) -> bool:
        """Whether a lone "[name …]" is a plugin's shortcode rather than writing ("[sic]", "[Update]"): it
        has attributes, is self-closed, or has a name no one writes in prose."""
        return "=" in self.attrs or self.opening.endswith("/]") or "_" in self.name or "-" in self.name
