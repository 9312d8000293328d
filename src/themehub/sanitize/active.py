"""Find content that can run script in published files a browser may open as a document.

HTML and XML files under `static/` (or next to an article) are published as they are; opened directly,
they run on the site's origin. This module does not change them: it says where the active content is,
so that the build can refuse the file with a position the contributor can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from xml.parsers import expat


@dataclass(frozen=True, slots=True)
class ActiveContent:
    line: int   # 1-based
    col: int    # 1-based
    what: str   # "a <script> element", "an onclick attribute", "a javascript: URL", …


# The types a browser may run script from when the file is opened (served as HTML, XHTML or XML).
ACTIVE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".xsl", ".xslt"})
_XML_SUFFIXES = frozenset({".xml", ".xsl", ".xslt"})
_XHTML_SUFFIXES = frozenset({".xhtml", ".xht"})  # parsed as XML by browsers, so <?xml-stylesheet?> applies

XHTML_NS = "http://www.w3.org/1999/xhtml"
# Namespaces whose elements browsers give event attributes to; elsewhere (a data file) `one="1"` is no handler.
_MARKUP_NS = frozenset({XHTML_NS, "http://www.w3.org/2000/svg", "http://www.w3.org/1998/Math/MathML"})
_SEP = "\x01"  # cannot occur in XML 1.0 names or URIs

_URL_NOISE = re.compile(r"[\x00-\x20\x7f\s]+")  # what URL parsers ignore or trim, and (to be safe) any whitespace
_SCRIPT_SCHEMES = (("javascript:", "a javascript: URL"), ("vbscript:", "a vbscript: URL"),
                   ("data:text/html", "a data:text/html URL"),
                   ("data:application/xhtml+xml", "a data:application/xhtml+xml URL"))
_REFRESH = re.compile(r"[\d.]*[;,]?(?:url=)?['\"]?(.*)", re.DOTALL)
_ARTICLE = {"object": "an", "embed": "an", "applet": "an"}


def find_active_content(data: bytes, suffix: str) -> list[ActiveContent]:
    """Every place in the file where a browser opening it could run script; [] for other file types."""
    suffix = suffix.lower() if suffix.startswith(".") else f".{suffix.lower()}"
    if suffix not in ACTIVE_SUFFIXES:
        return []
    if suffix in _XML_SUFFIXES:
        return _scan_xml(data)
    xhtml = suffix in _XHTML_SUFFIXES
    scanner = _HtmlScanner(xhtml=xhtml)
    scanner.feed(_decode(data))
    scanner.close()
    if xhtml:  # browsers expand an XHTML file's internal entities, which html.parser leaves alone
        scanner.found += [f for f in _scan_xml(data) if f.what.startswith("an entity declaration")]
    return scanner.found


def script_url(value: str) -> str:
    """"a javascript: URL" (or the like) when the value is a script URL, or any ";"-separated part of it
    is (SVG animation values); "" otherwise. Character references must be decoded already."""
    for part in _URL_NOISE.sub("", value).lower().split(";"):
        for prefix, label in _SCRIPT_SCHEMES:
            if part.startswith(prefix):
                return label
    return ""


def _decode(data: bytes) -> str:
    """The text a browser reads: a BOM decides, otherwise UTF-8 (bad bytes become U+FFFD, as in browsers)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


# ---------------------------------------------------------------------------------------------- HTML


class _HtmlScanner(HTMLParser):
    """html.parser is tolerant like a browser; it decodes character references in attribute values."""

    def __init__(self, *, xhtml: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.xhtml = xhtml
        self.found: list[ActiveContent] = []

    def add(self, line: int, col: int, what: str) -> None:
        self.found.append(ActiveContent(line, col + 1, what))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        tag = tag.rpartition(":")[2]  # <h:script> with h bound to XHTML runs in a file parsed as XML
        if tag == "script":
            self.add(line, col, "a <script> element")
        elif tag in _ARTICLE:
            self.add(line, col, f"{_ARTICLE[tag]} <{tag}> element")
        elif tag == "base" and any(name == "href" for name, _ in attrs):
            self.add(line, col, "a <base href> element")
        refresh = tag == "meta" and any(n == "http-equiv" and (v or "").strip().lower() == "refresh" for n, v in attrs)
        found: list[tuple[int, str]] = []  # (attribute index, what)
        for index, (name, value) in enumerate(attrs):
            if name.startswith("on"):
                found.append((index, f"an {name} attribute"))
            if value is None:
                continue
            if tag == "iframe" and name == "srcdoc":
                found.append((index, "an <iframe srcdoc> attribute"))
            if refresh and name == "content":
                match = _REFRESH.match(_URL_NOISE.sub("", value).lower())
                if label := script_url(match.group(1) if match else ""):
                    found.append((index, f'a <meta http-equiv="refresh"> to {label}'))
            elif label := script_url(value):
                found.append((index, label))
        if found:  # positions are worked out only here: most tags have no finding
            text = self.get_starttag_text() or ""
            offsets = _attribute_offsets(text, [name for name, _ in attrs])
            for index, what in found:
                self.add(*_advance(line, col, text[:offsets[index]]), what)

    def handle_pi(self, data: str) -> None:
        if self.xhtml and data.lstrip().startswith("xml-stylesheet"):
            line, col = self.getpos()
            self.add(line, col, "an <?xml-stylesheet?> instruction")


def _attribute_offsets(text: str, names: list[str]) -> list[int]:
    """Where each attribute name starts in the raw start tag (0, the tag's "<", when it cannot be found).
    Each search starts after the previous attribute's value, so a value that mentions a name is skipped."""
    offsets: list[int] = []
    tag_name = re.match(r"<[^\s/>]*", text)
    pos = tag_name.end() if tag_name else 0
    for name in names:
        match = re.compile(r"(?<=[\s\"'/])" + re.escape(name) + r"(?=[\s/>=]|$)", re.IGNORECASE).search(text, pos)
        if match is None:
            offsets.append(0)
            continue
        offsets.append(match.start())
        value = re.compile(r"\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]*)").match(text, match.end())
        pos = value.end() if value else match.end()
    return offsets


def _advance(line: int, col: int, skipped: str) -> tuple[int, int]:
    """The 0-based (line, col) after `skipped`, which starts at (line, col)."""
    newlines = skipped.count("\n")
    if not newlines:
        return line, col + len(skipped)
    return line + newlines, len(skipped) - skipped.rfind("\n") - 1


# ----------------------------------------------------------------------------------------------- XML


class _EntityError(Exception):
    """Scanning ends here (the finding is already recorded)."""


def _scan_xml(data: bytes) -> list[ActiveContent]:
    parser = expat.ParserCreate(namespace_separator=_SEP)
    found: list[ActiveContent] = []
    xhtml_open: list[bool] = []  # per open element: whether it is in the XHTML namespace
    inside_xhtml = 0             # how many of them are

    def add(what: str) -> None:
        found.append(ActiveContent(parser.CurrentLineNumber, parser.CurrentColumnNumber + 1, what))

    def start(name: str, attrs: list[str]) -> None:
        nonlocal inside_xhtml
        uri, _, local = name.rpartition(_SEP)
        if local.lower() == "script":
            add("a <script> element")
        elif uri == XHTML_NS and not inside_xhtml:  # the outermost one says it: HTML is rendered from here
            add(f"an element in the XHTML namespace (<{local}>)")
        xhtml_open.append(uri == XHTML_NS)
        inside_xhtml += uri == XHTML_NS
        for attr, value in zip(attrs[::2], attrs[1::2], strict=True):
            attr_uri, _, attr_local = attr.rpartition(_SEP)
            if not attr_uri and attr_local.lower().startswith("on") and uri in _MARKUP_NS:
                add(f"an {attr_local} attribute")
            if label := script_url(value):
                add(label)

    def end(_name: str) -> None:
        nonlocal inside_xhtml
        inside_xhtml -= xhtml_open.pop()

    def instruction(target: str, _data: str) -> None:
        if target == "xml-stylesheet":  # XSLT from it runs with the document's origin
            add("an <?xml-stylesheet?> instruction")

    def entity(name: str, *_args: object) -> None:
        # Not expanded here (billion laughs); what it would insert is not checked, so it is a finding itself.
        add(f"an entity declaration (<!ENTITY {name}>)")
        raise _EntityError

    parser.ordered_attributes = True
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.ProcessingInstructionHandler = instruction
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except _EntityError:
        pass
    except expat.ExpatError as exc:
        # Chromium shows an error banner and renders (and runs) what precedes the error: said at line 1.
        where = f"{expat.errors.messages[exc.code]} at line {exc.lineno}, column {exc.offset + 1}"
        found.insert(0, ActiveContent(1, 1, f"not well-formed XML ({where})"))
    except (LookupError, ValueError) as exc:  # an encoding pyexpat cannot decode
        if "encoding" not in str(exc):
            raise
        found.insert(0, ActiveContent(1, 1, f"not well-formed XML (unreadable encoding: {exc})"))
    return found
