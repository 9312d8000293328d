"""Links in bodies: however the author wrote them, resolved to the site's URLs and checked.

An author links a page in any of the ways the web allows: its content file (`other.md`,
`../themes/cloud.md#intro`), a path from the site root with or without base_url's path
(`/articles/x/`, `/insights/articles/x/`), a path relative to the page (`../x/`, `x/#heading`), the
site's own full URL, or a fragment of the same page (`#section`, `#id:~:text=…`). Rendered markdown
depends only on the body (it is cached by its text), so links are resolved afterwards, here, once
the site's URLs are known (`LinkTable.resolve`): content files become their page's URL, and every
other internal link becomes a path from the site root, so that a body shown on several pages (a
theme's intro on page 2 of its listing) links the same page everywhere. Links to content files are
checked at once; the others once every page is rendered (`check_site_links`), against the files the
site holds and the ids its pages carry.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import unquote, urljoin, urlsplit

from themehub import urls
from themehub.diagnostics import Diagnostic, did_you_mean, error, warning

_ANCHOR_HREF = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)(")')
_ID = re.compile(r'\sid="([^"]+)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True, slots=True)
class LinkProblem:
    """A link to a content file that cannot be followed."""

    target: str
    fragment: str
    kind: str
    """'missing' (no such file), 'unpublished' (a draft or future article), 'anchor' (no such id there)."""
    written: str = ""


@dataclass(frozen=True, slots=True)
class SiteLink:
    """A link to a page or file of the site, written as a URL: checked once every page exists."""

    written: str
    """As the author wrote it (shown in messages, and found in the source for its line and column)."""
    path: str
    """The site path it names, decoded: 'articles/x/', 'images/chart.svg', '' for the home page."""
    fragment: str
    """The id it points to ('' for none); a text fragment's id part (`#id:~:text=…` -> 'id')."""


@dataclass(frozen=True, slots=True)
class ExternalUrl:
    """A link to another site, as written (checked by `check --external`)."""

    url: str


@dataclass(frozen=True, slots=True)
class ResolvedBody:
    html: str
    problems: tuple[LinkProblem, ...]
    site_links: tuple[SiteLink, ...]
    external: tuple[ExternalUrl, ...]


@dataclass(frozen=True)
class LinkTable:
    """What links in bodies resolve against: each content file's page URL and the ids its body holds."""

    url_of: Mapping[str, str]
    """Content file -> its page's site path ('articles/x/')."""
    anchors: Mapping[str, frozenset[str]]
    """Content file -> every id in its body's HTML (headings, footnotes, `{#id}`)."""
    unpublished: frozenset[str]
    base_path: str
    base_url: str
    digest: str
    address: Callable[[str], str] | None = None
    """Site path -> the link a page writes (its language's, hub/languages.py); None: base_path's."""

    def _href(self, path: str, tail: str = "") -> str:
        """The link to a site path, then `tail` ('?…#…') as written."""
        return (self.address(path) if self.address is not None else self.base_path + urls.href(path)) + tail

    def resolve(self, html: str, owner: str) -> ResolvedBody:
        """`html` of the body of the content file `owner`, its links made URLs of the site."""
        problems: list[LinkProblem] = []
        site: list[SiteLink] = []
        external: list[ExternalUrl] = []
        page = self.url_of.get(owner, "")

        def replace(match: re.Match[str]) -> str:
            written = unescape(match.group(2)).strip()
            url = self._resolve(written, owner, page, problems, site, external)
            return match.group(1) + escape(url, quote=True) + match.group(3)

        if "href=" not in html:
            return ResolvedBody(html, (), (), ())
        return ResolvedBody(_ANCHOR_HREF.sub(replace, html), tuple(problems), tuple(site), tuple(external))

    def _resolve(self, written: str, owner: str, page: str, problems: list[LinkProblem], site: list[SiteLink],
                 external: list[ExternalUrl]) -> str:
        if not written:
            return written
        if written.startswith("#"):
            site.append(SiteLink(written, page, _fragment_id(written[1:])))
            return written
        if _SCHEME.match(written) or written.startswith("//"):
            own = self._own_path(written)
            if own is None:
                if written.startswith(("http://", "https://", "//")):
                    external.append(ExternalUrl(written))
                return written
            path, fragment = own
            site.append(SiteLink(written, path, _fragment_id(fragment)))
            return written  # the site's full URL stays as the author wrote it
        try:
            parts = urlsplit(written)
        except ValueError:
            return written
        decoded = unquote(parts.path)
        tail = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        if decoded.lower().endswith(".md") and not decoded.startswith("/"):
            return self._content_file(written, decoded, parts.fragment, owner, problems)
        if decoded.startswith("/"):
            path = decoded.lstrip("/")
            prefix = unquote(self.base_path).lstrip("/")
            if prefix and (path + "/").startswith(prefix):
                path = path[len(prefix):]  # written with base_url's path: the same page
        else:
            path = unquote(urljoin("/" + urls.href(page), parts.path)).lstrip("/")
        site.append(SiteLink(written, path, _fragment_id(unquote(parts.fragment))))
        return self._href(path, tail)

    def _content_file(self, written: str, decoded: str, fragment: str, owner: str,
                      problems: list[LinkProblem]) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(owner), decoded))
        anchor = unquote(fragment)
        url = self.url_of.get(target)
        hashmark = f"#{fragment}" if fragment else ""
        if url is None:
            kind = "unpublished" if target in self.unpublished else "missing"
            problems.append(LinkProblem(target, hashmark, kind, written))
            return self._href(_fallback(target), hashmark)
        if anchor and _fragment_id(anchor) and _fragment_id(anchor) not in self.anchors.get(target, frozenset()):
            problems.append(LinkProblem(target, hashmark, "anchor", written))
        return self._href(url, hashmark)

    def _own_path(self, url: str) -> tuple[str, str] | None:
        """(site path, fragment) when `url` is a full URL of this site, else None."""
        try:
            parts, base = urlsplit(url if not url.startswith("//") else "https:" + url), urlsplit(self.base_url)
        except ValueError:
            return None
        if parts.netloc.lower() != base.netloc.lower() or not parts.path.startswith(base.path.rstrip("/")):
            return None
        return unquote(parts.path[len(base.path):] if parts.path.startswith(base.path) else ""), unquote(
            parts.fragment)


def _fragment_id(fragment: str) -> str:
    """The id a fragment points to: a text fragment (`id:~:text=…`) by its id part; '' for none."""
    return fragment.split(":~:", 1)[0]


def _fallback(target: str) -> str:
    """Where a link to a missing or unpublished file points: the URL it would have."""
    parts = target.split("/")
    stem = parts[-1][:-3] if parts[-1].lower().endswith(".md") else parts[-1]
    kind = parts[1] if len(parts) > 2 and parts[0] == "content" else "articles"
    return f"{kind}/{stem}/" if kind != "pages" else f"{stem}/"


def ids_in(html: str) -> frozenset[str]:
    """Every id an HTML fragment holds (its anchors)."""
    return frozenset(unescape(found) for found in _ID.findall(html)) if " id=" in html else frozenset()


# -------------------------------------------------------------------------------- after rendering


@dataclass(frozen=True, slots=True)
class SiteFiles:
    """What links are checked against once every page is rendered."""

    paths: frozenset[str]
    """Every file of the site (pages, feeds, static files, images), as output paths."""
    page_ids: Mapping[str, frozenset[str]]
    """Output path of a content page -> the ids of its body."""
    template_ids: frozenset[str]
    """Ids the presentation theme's templates write on pages (literal `id="…"` in the templates)."""


def check_site_links(source: str, body: str, body_line: int, links: Sequence[SiteLink],
                     files: SiteFiles) -> list[Diagnostic]:
    """Diagnostics for the links of one body that name no file of the site, or no id on their page."""
    found: list[Diagnostic] = []
    for link in links:
        target = _target_file(link.path, files.paths)
        line, col = position_in_body(body, body_line, link.written)
        if target is None:
            if link.path.split("/", 1)[0] == "pagefind":
                continue  # the search index, written after the pages (and not at all with --no-search)
            found.append(error(source, line, col, "broken-link",
                               f"link to '{link.written}': the site has no page or file at /{link.path}",
                               _suggestion(link.path, files.paths)))
            continue
        if link.fragment and link.fragment not in files.page_ids.get(target, frozenset()) \
                and link.fragment not in files.template_ids:
            candidates = sorted(files.page_ids.get(target, frozenset()))
            hint = did_you_mean(link.fragment, candidates) or (
                "heading ids are the heading's words in lowercase, joined by '-'")
            found.append(warning(source, line, col, "broken-anchor",
                                 f"link to '{link.written}': /{link.path} has no id '{link.fragment}'", hint))
    return found


def _target_file(path: str, paths: frozenset[str]) -> str | None:
    """The output file a link's path is served from: a folder's index.html, or the file itself. A
    folder written without its trailing '/' is found too (web servers redirect to it)."""
    for candidate in (urls.output_file(path), path + "/index.html" if path and not path.endswith("/") else ""):
        if candidate and candidate in paths:
            return candidate
    return None


def _suggestion(path: str, paths: frozenset[str]) -> str:
    """'did you mean …' among the pages of the same section (all pages when the section is unknown)."""
    section = path.split("/", 1)[0] + "/"
    pages = sorted({"/" + p.removesuffix("index.html") for p in paths
                    if p.endswith("index.html") and p.startswith(section)})
    pool = pages or sorted({"/" + p.removesuffix("index.html") for p in paths if p.endswith("index.html")})
    return did_you_mean("/" + path, pool) or "check the address: it is relative to this page unless it starts with /"


def position_in_body(body: str, body_line: int, written: str) -> tuple[int, int]:
    """Line and column (1-based) in the file of the first place the body holds `written`, as typed or
    HTML-escaped; the body's first line when it cannot be found."""
    for needle in dict.fromkeys((written, escape(written, quote=True), written.replace("&", "&amp;"))):
        index = body.find(needle) if needle else -1
        if index != -1:
            line_start = body.rfind("\n", 0, index) + 1
            return body_line + body.count("\n", 0, index), index - line_start + 1
    return body_line, 1


def link_diagnostic(problem: LinkProblem, source: str, body: str, body_line: int) -> Diagnostic:
    """The diagnostic of a link to a content file that cannot be followed."""
    name = posixpath.basename(problem.target)
    line, col = position_in_body(body, body_line, problem.written or name)
    if problem.kind == "missing":
        return error(source, line, col, "broken-link", f"link to '{problem.target}', which does not exist",
                     "check the file name; links to content are relative to this file, e.g. other-article.md")
    if problem.kind == "unpublished":
        return warning(source, line, col, "draft-link",
                       f"link to '{problem.target}', which is a draft or dated in the future",
                       "the link will work once that article is published")
    return warning(source, line, col, "broken-anchor",
                   f"link to '{problem.target}{problem.fragment}': no such heading there",
                   "heading ids are the heading's words in lowercase, joined by '-'")


def template_ids(sources: Iterable[str]) -> frozenset[str]:
    """The literal ids templates write (`id="main"`), found in their sources."""
    return frozenset(found for text in sources for found in re.findall(r'\bid="([A-Za-z][\w:-]*)"', text))
