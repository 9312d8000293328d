"""Markdown -> HTML: Python-Markdown, heading ids, internal-link rewriting and sanitizing.

The HTML a body renders to depends only on the body and the markdown settings, so it can be cached by
content hash. Links stay as the author wrote them: render/links.py turns them into the site's URLs
afterwards, once the site's pages are known.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import unescape
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.htmlparser import HTMLExtractor
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import Treeprocessor

from themehub.content.kinds import KINDS
from themehub.render.link_text import scan_links_forward
from themehub.render.links import ids_in
from themehub.render.pool import WorkPool
from themehub.render.rendered_body import (
    MAX_BRACKETS_PER_BLOCK,
    Heading,
    MarkdownSettings,
    RenderedBody,
)
from themehub.source.slugs import heading_slug

_DANGEROUS = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.I)
_CONTROL = re.compile(r"[\x00-\x20]+")

_ALLOWED_TAGS = (set(nh3.ALLOWED_TAGS) - {"center", "strike", "tt", "acronym"}) | {"section", "tfoot", "address"}
_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir", "role", "aria-label", "aria-hidden"},
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"colspan", "rowspan", "scope", "align", "style"},
    "td": {"colspan", "rowspan", "align", "style"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "abbr": set(),
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


SUSPICIOUS_PER_BLOCK = 64
"""A paragraph with more '[' or '<' than this may render slowly: it is rendered under a deadline."""
DEADLINE_SECONDS = 2.0


_DEEP_LINE = re.compile(r"^(?:[ \t]{48,}|(?:>\s*){16,})", re.M)


def suspicious(body: str) -> bool:
    if _DEEP_LINE.search(body):
        return True  # lists or quotes nested a dozen levels: slow, maybe too deep to render
    if body.count("[") <= SUSPICIOUS_PER_BLOCK and body.count("<") <= SUSPICIOUS_PER_BLOCK:
        return False
    return any(b.count("[") > SUSPICIOUS_PER_BLOCK or b.count("<") > SUSPICIOUS_PER_BLOCK
               for b in body.split("\n\n"))


def defuse(body: str) -> tuple[str, int]:
    """Escape the brackets of pathological paragraphs, so rendering time stays bounded."""
    if body.count("[") <= MAX_BRACKETS_PER_BLOCK:
        return body, 0
    blocks = body.split("\n\n")
    count = 0
    for i, block in enumerate(blocks):
        if block.count("[") > MAX_BRACKETS_PER_BLOCK:
            blocks[i] = block.replace("\\[", "[").replace("[", "\\[")
            count += 1
    return "\n\n".join(blocks), count


TEMPLATE_IDS = frozenset({
    "about-authors", "attention-heading", "content-heading", "coverage-heading", "deeper-heading",
    "delivers-heading", "experts-heading", "help-heading", "latest-heading", "leads-heading", "main",
    "more-heading", "old-addresses", "past-heading", "path-heading", "proof-heading", "related-heading",
    "scheduled-heading", "search", "search-status", "services-heading", "site-search", "sme-heading",
    "speakers-heading", "steps-heading", "stories-heading", "sub-heading", "subscribe-heading", "themes-heading",
    "tracks-heading", "translations-heading", "upcoming-heading",
})
"""Ids the built-in templates write as they are (a test keeps this list in step with the templates)."""

RESERVED_IDS = TEMPLATE_IDS | {kind.listing_id for kind in KINDS if kind.theme_listing}
"""Ids the built-in theme gives elements of its pages, its theme-hub listings' headings included: a
heading never takes one, or the page would hold one id twice."""


def heading_id(text: str, separator: str) -> str:
    """A heading's id (source/slugs.py heading_slug); Python-Markdown adds _1, _2 to repeats."""
    found = heading_slug(text) or "section"
    return found + "-1" if found in RESERVED_IDS else found


class _LinkRewriter(Treeprocessor):
    """Rewrites links and image sources; drops active URL schemes whatever `raw_html` says."""

    def __init__(self, md: markdown.Markdown, settings: MarkdownSettings) -> None:
        super().__init__(md)
        self.settings = settings
        self.removed: list[str] = []
        self.no_alt: list[str] = []

    def run(self, root: Element) -> None:
        for el in root.iter():
            if el.tag == "a" and el.get("href") is not None:
                el.set("href", self._rewrite(el.get("href", "")))
                if not el.get("href"):
                    del el.attrib["href"]
            elif el.tag == "img" and el.get("src") is not None:
                original = el.get("src", "")
                el.set("src", self._rewrite(original))
                if not el.get("alt"):
                    self.no_alt.append(original)
                el.set("loading", "lazy")

    def _rewrite(self, raw: str) -> str:
        url = raw.strip()
        if _DANGEROUS.match(_CONTROL.sub("", unescape(url))) or re.search(r'[<>"]', unescape(url)):
            # A scheme that runs code, or characters no URL holds (markup smuggled into a link).
            self.removed.append(url)
            return ""
        # Everything else stays as written: links are resolved against the site once its URLs are known
        # (render/links.py), images by the image pipeline (render/images/img_html.py).
        return url


# ------------------------------------------------------------------------------ sanitize keeps the text
# nh3 parses HTML as a browser does: a <script>, <style> or <template> takes what follows it into an element
# nh3 drops, <textarea>, <title> or <xmp> turn what follows into raw text, and a '<' html5ever reads as a
# tag, comment or declaration vanishes with what it swallowed. So under `sanitize` only allowed tags and
# complete comments reach nh3 as markup; every other '<' reaches it as '&lt;', shown as written.

_SPACE = "\t\n\f\r "
_ATTRIBUTE = (
    # html5ever's attribute grammar, stricter (no quote or '<' in names, no quote or '<' in bare values):
    # when this says where a tag ends, html5ever ends it there too; when unsure, the '<' is escaped.
    rf"[^{_SPACE}/<>=\"'][^{_SPACE}/<>=\"']*"
    rf"(?>[{_SPACE}]*=[{_SPACE}]*(?:\"[^\"]*\"|'[^']*'|[^{_SPACE}<>\"']+|(?=>)))?"
)
_ALLOWED_TAG_REST = (
    rf"/?(?i:{'|'.join(sorted(_ALLOWED_TAGS))})(?=[{_SPACE}/>])(?>[{_SPACE}/]+|{_ATTRIBUTE})*>"
)
_SHOWN_LT = re.compile(rf"<(?!{_ALLOWED_TAG_REST}|!--)")
"""A '<' that does not open an allowed tag or a comment. Atomic groups and '<'-free names and bare values
keep each test short, so one pass over a chunk is linear."""
_COMMENT_CLOSE = re.compile(r"--!?>")


def keep_text(chunk: str) -> str:
    """Raw HTML with every '<' escaped except those of allowed tags and complete comments."""
    if "<" not in chunk:
        return chunk
    chunk = _SHOWN_LT.sub("&lt;", chunk)
    if "<!--" not in chunk:
        return chunk
    at = chunk.find("<!--")
    while at != -1:
        if chunk.startswith((">", "->"), at + 4):
            end = at + 5 if chunk[at + 4] == ">" else at + 6  # '<!-->' and '<!--->' close at once in HTML
        else:
            close = _COMMENT_CLOSE.search(chunk, at + 4)
            if close is None:
                # No close after this one, so none after a later one either: all of them are text.
                return chunk[:at] + chunk[at:].replace("<!--", "&lt;!--")
            end = close.end()
        at = chunk.find("<!--", end)
    return chunk


class _AllowListExtractor(HTMLExtractor):
    """Python-Markdown's block HTML extractor, for which only allowed tags are HTML. Any other tag, `<?` or
    `<!` (but a comment) is text: it neither opens a raw block nor html.parser's CDATA mode, either of which
    runs on to a closing tag or the end of the body; so what follows it is still markdown."""

    def handle_starttag(self, tag: str, attrs: Sequence[tuple[str, str | None]]) -> None:
        if tag in _ALLOWED_TAGS:
            # The stub says str values; html.parser passes None for a valueless attribute, which it handles.
            super().handle_starttag(tag, attrs)  # type: ignore[arg-type]
        else:
            self.handle_data(self.get_starttag_text())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ALLOWED_TAGS:
            super().handle_startendtag(tag, attrs)
        else:
            self.handle_data(self.get_starttag_text())

    def set_cdata_mode(self, elem: str, **kwargs: bool) -> None:
        # html.parser calls this for a <script> or <style> start tag; later Pythons add keyword arguments.
        if elem.lower() in _ALLOWED_TAGS:
            super().set_cdata_mode(elem, **kwargs)

    def parse_pi(self, i: int) -> int:
        self.handle_data("<?")
        return i + 2

    def parse_html_declaration(self, i: int) -> int:
        if self.rawdata.startswith("<!--", i):
            return super().parse_html_declaration(i)
        self.handle_data("<!")
        return i + 2


class _AllowListHtmlBlock(HtmlBlockPreprocessor):
    """`html_block` with `_AllowListExtractor`, putting what it stashes through `keep_text`. Only raw HTML is
    escaped so: highlighted code, stashed too, is never scanned (a code block holds hundreds of tags)."""

    def run(self, lines: list[str]) -> list[str]:
        stash = self.md.htmlStash.rawHtmlBlocks
        first = len(stash)  # fenced code, stashed before this runs, is not raw HTML
        extractor = _AllowListExtractor(self.md)
        extractor.feed("\n".join(lines))
        extractor.close()
        for i in range(first, len(stash)):
            stash[i] = keep_text(str(stash[i]))
        return "".join(extractor.cleandoc).split("\n")


class _AllowListInlineHtml(HtmlInlineProcessor):
    """Python-Markdown's inline `html` pattern, stashing each tag, comment or declaration through `keep_text`.
    Code spans are matched before it, so their text never comes here."""

    # Pattern.handleMatch takes only `m`; InlineProcessor's stub ignores its own override to add `data`, so must this.
    def handleMatch(  # type: ignore[override]  # noqa: N802 - Python-Markdown's API
            self, m: re.Match[str], data: str) -> tuple[Element | str | None, int | None, int | None]:
        placeholder, start, end = super().handleMatch(m, data)
        stash = self.md.htmlStash.rawHtmlBlocks  # `store` appended this match's HTML last
        stash[-1] = keep_text(str(stash[-1]))
        return placeholder, start, end


class _ThemehubExtension(Extension):
    def __init__(self, settings: MarkdownSettings) -> None:
        super().__init__()
        self.settings = settings

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        rewriter = _LinkRewriter(md, self.settings)
        md.treeprocessors.register(rewriter, "themehub_links", 5)
        md.themehub_links = rewriter  # type: ignore[attr-defined]
        scan_links_forward(md)
        if self.settings.raw_html == "escape":
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
        elif self.settings.raw_html == "sanitize":
            # Same names and priorities: these replace Python-Markdown's own.
            md.preprocessors.register(_AllowListHtmlBlock(md), "html_block", 20)
            md.inlinePatterns.register(_AllowListInlineHtml(HTML_RE, md), "html", 90)


_ALWAYS_ON = ("sane_lists", "codehilite", "toc")
"""Change output with no syntax of their own (list rules, highlighting every code block, heading ids)."""

_EXTENSION_ORDER = ("tables", "footnotes", "attr_list", "fenced_code", "sane_lists", "def_list", "abbr",
                    "codehilite", "toc")
"""The order extensions are registered in: processors of equal priority run in registration order."""
_OPTIONAL = frozenset(_EXTENSION_ORDER) - frozenset(_ALWAYS_ON)

_EXTENSION_CONFIGS: dict[str, dict[str, object]] = {
    "codehilite": {"css_class": "highlight", "guess_lang": False},
    "toc": {"slugify": heading_id, "toc_depth": "2-6"},
    "footnotes": {"BACKLINK_TITLE": "Back to the text"},
}

_MARKERS = frozenset(" \t>*+-.0123456789")
"""What quote, list and indent markers consist of: Python-Markdown strips them from line starts."""
_COLON = re.compile(r":[ \t]")


def _may_define(body: str) -> bool:
    """Whether a line may read `:   definition` once the markers before its ':' are stripped: the run of
    markers starts the line, or holds a '>' (text after a raw HTML block's closing tag starts a new block).
    Each ': ' looks back over its own run of markers only, so the scan stays linear."""
    for match in _COLON.finditer(body):
        start = end = match.start()
        while start and body[start - 1] in _MARKERS:
            start -= 1
        if start == 0 or body[start - 1] in "\n\r" or ">" in body[start:end]:
            return True
    return False


def optional_extensions(body: str) -> frozenset[str]:
    """The extensions outside `_ALWAYS_ON` whose syntax `body` may contain. Conservative: an extension whose
    trigger text is absent does nothing to this body, so leaving it out cannot change a byte of output
    (triggers read from Python-Markdown 3.11's extension sources)."""
    if "\x02" in body or "\x03" in body:
        return _OPTIONAL  # Markdown deletes these, which can join split triggers
    found: set[str] = set()
    if "|" in body:
        found.add("tables")  # a table row needs a pipe; so does the '\|' escape tables adds
    if "[^" in body:
        # '[^label]' and '[^label]: ...' definitions. A definition's text is parsed as blocks and may
        # start with ':', which `_may_define` does not look for behind a label: keep def_list too.
        found.update(("footnotes", "def_list"))
    if "{" in body:
        found.add("attr_list")  # '{: .class}' / '{#id}' (escapes and entities never yield a bare '{')
    if "```" in body or "~~~" in body:
        found.add("fenced_code")
    if "*[" in body:
        found.add("abbr")  # '*[ABBR]: title'; without one the abbr treeprocessor returns at once
    if _may_define(body):
        found.add("def_list")
    return frozenset(found)


def _builtin_extension(name: str) -> Extension:
    """Python-Markdown's own extension `name`, made as its name would make it, but never looked up among
    the installed packages' entry points: that lookup reads every package's metadata (some 25 ms of a
    rebuild), and a package could register its own extension under a built-in's name."""
    module = importlib.import_module(f"markdown.extensions.{name}")
    extension: Extension = module.makeExtension(**_EXTENSION_CONFIGS.get(name, {}))
    return extension


class MarkdownRenderer:
    """Python-Markdown instances, reused (reset) for every body: build one renderer per worker.

    Each body is converted by an instance without the extensions whose syntax it cannot contain
    (`optional_extensions`): they would cost time and change nothing. `gated=False` always uses all of them."""

    def __init__(self, settings: MarkdownSettings, *, guarded: bool = False, gated: bool = True) -> None:
        self.settings = settings
        self.guarded = guarded
        """True inside the deadline subprocess: render directly."""
        self.gated = gated
        self._instances: dict[frozenset[str], markdown.Markdown] = {}
        """One instance per set of optional extensions, built the first time a body needs it."""
        self.cleaner: Callable[[str], str] | None = None
        if settings.raw_html == "sanitize":
            self.cleaner = nh3.Cleaner(
                tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                link_rel=None, strip_comments=True, clean_content_tags={"script", "style"},
                filter_style_properties={"text-align"},
            ).clean

    def _markdown(self, optional: frozenset[str]) -> markdown.Markdown:
        md = self._instances.get(optional)
        if md is None:
            names = [name for name in _EXTENSION_ORDER if name in optional or name in _ALWAYS_ON]
            md = markdown.Markdown(
                extensions=[*(_builtin_extension(name) for name in names), _ThemehubExtension(self.settings)],
                output_format="html",
            )
            self._instances[optional] = md
        return md

    def render(self, body: str, source: str) -> RenderedBody:
        """`source` is the file's path relative to the site root, e.g. content/articles/x.md."""
        body, defused = defuse(body)
        if suspicious(body) and not self.guarded:
            return render_with_deadline(body, source, self.settings, defused)
        md = self._markdown(optional_extensions(body) if self.gated else _OPTIONAL)
        md.reset()
        rewriter: _LinkRewriter = md.themehub_links  # type: ignore[attr-defined]
        rewriter.removed = []
        rewriter.no_alt = []
        try:
            html = md.convert(body)
        except RecursionError:
            md.reset()
            return RenderedBody("", (), problem="lists, quotes or HTML are nested too deeply to render")
        if self.cleaner is not None:
            html = self.cleaner(html)
        headings = tuple(_flatten(getattr(md, "toc_tokens", [])))
        return RenderedBody(html, headings, tuple(rewriter.no_alt), tuple(rewriter.removed), defused, ids=ids_in(html))


def _flatten(tokens: Iterable[Mapping]) -> Iterable[Heading]:  # type: ignore[type-arg]
    for token in tokens:
        yield Heading(int(token["level"]), str(token["id"]), unescape(str(token["name"])))
        yield from _flatten(token.get("children", ()))


def render_with_deadline(body: str, source: str, settings: MarkdownSettings, defused: int) -> RenderedBody:
    """Render in a child process that is killed after DEADLINE_SECONDS (pure Python cannot be
    interrupted from another thread; a subprocess also works inside pool workers and threads)."""
    request = json.dumps({"body": body, "source": source, "raw_html": settings.raw_html,
                          "base_path": settings.base_path})
    try:
        done = subprocess.run([sys.executable, "-m", "themehub.render.guard"], input=request, text=True,
                              capture_output=True, timeout=DEADLINE_SECONDS + 1.0, check=True)
        raw = json.loads(done.stdout)
    except subprocess.TimeoutExpired:
        return RenderedBody("", (), defused=defused,
                            problem=f"rendering took longer than {DEADLINE_SECONDS:g} s (pathological markdown)")
    except (subprocess.CalledProcessError, ValueError, OSError) as exc:
        return RenderedBody("", (), defused=defused, problem=f"the renderer failed ({type(exc).__name__})")
    if raw.get("problem"):
        return RenderedBody("", (), defused=defused, problem=str(raw["problem"]))
    html = str(raw["html"])
    return RenderedBody(
        html, tuple(Heading(int(h[0]), str(h[1]), str(h[2])) for h in raw["headings"]),
        tuple(raw["no_alt"]), tuple(raw["removed"]), defused, ids=ids_in(html),
    )


# ------------------------------------------------------------------------------ in parallel

_renderers: dict[MarkdownSettings, MarkdownRenderer] = {}


def _renderer(settings: MarkdownSettings) -> MarkdownRenderer:
    """One renderer per settings in each process (pool workers included), built once."""
    if settings not in _renderers:
        _renderers[settings] = MarkdownRenderer(settings)
    return _renderers[settings]


def _render_chunk(job: tuple[MarkdownSettings, list[tuple[str, str]]]) -> list[RenderedBody]:
    settings, bodies = job
    renderer = _renderer(settings)
    return [renderer.render(body, source) for body, source in bodies]


def render_many(jobs: list[tuple[str, str]], settings: MarkdownSettings, pool: WorkPool,
                advance: Callable[[int, int], None] | None = None) -> list[RenderedBody]:
    """Render (body, source) pairs, in the pool when there are enough of them to pay for it.
    `advance(done, total)` is told how many are rendered so far."""
    size = max(8, len(jobs) // (pool.workers * 4))
    chunks = [(settings, jobs[i : i + size]) for i in range(0, len(jobs), size)]

    def chunk_done(done: int, total: int) -> None:
        if advance is not None:
            advance(min(len(jobs), done * size), len(jobs))

    rendered = pool.map(_render_chunk, chunks, parallel=len(jobs) >= 64, advance=chunk_done)
    return [body for chunk in rendered for body in chunk]
