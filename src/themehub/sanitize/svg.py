"""An allow-list sanitizer for SVG files that come from untrusted content.

An SVG opened directly runs as a document on the site's origin, so its scripts, event attributes and
`javascript:` links would run there. The file is parsed with expat (no DTD is ever read), everything
not on the allow-lists below is dropped with a readable note, and the rest is written out again by
this module: the published bytes are markup we produced, not the contributor's, so a parser quirk
in the input cannot survive into the output.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.parsers import expat

from themehub.xml_text import escape_attribute, escape_text

SANITIZER_VERSION = "1"
MAX_BYTES = 5 * 1024 * 1024
MAX_NOTES = 100  # a hostile file can hold millions of dropped attributes; the note list stays readable

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_SEP = "\x01"  # expat's name separator: U+0001 cannot occur in XML 1.0 names or URIs, so splitting is exact

_ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "switch", "view", "title", "desc", "style", "a", "image", "path", "rect",
    "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath", "linearGradient",
    "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "filter", "feBlend", "feColorMatrix",
    "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap",
    "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur",
    "feImage", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting",
    "feSpotLight", "feTile", "feTurbulence", "animate", "animateTransform", "animateMotion", "mpath"
})
_ANIMATIONS = frozenset({"animate", "animateTransform", "animateMotion"})

# Presentation attributes are CSS values (so they are checked like CSS: `fill="url(https://…)"` fetches).
_PRESENTATION = frozenset({
    "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color", "color-interpolation",
    "color-interpolation-filters", "color-rendering", "cursor", "direction", "display", "dominant-baseline",
    "enable-background", "fill", "fill-opacity", "fill-rule", "filter", "flood-color", "flood-opacity", "font",
    "font-family", "font-size", "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight",
    "glyph-orientation-horizontal", "glyph-orientation-vertical", "image-rendering", "isolation", "kerning",
    "letter-spacing", "lighting-color", "marker", "marker-end", "marker-mid", "marker-start", "mask", "mask-type",
    "mix-blend-mode", "opacity", "overflow", "paint-order", "pointer-events", "shape-rendering", "stop-color",
    "stop-opacity", "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor", "text-decoration", "text-overflow",
    "text-rendering", "transform-origin", "unicode-bidi", "vector-effect", "visibility", "white-space",
    "word-spacing", "writing-mode"
})
_ATTRIBUTES = frozenset({
    "id", "class", "style", "lang", "tabindex", "role", "focusable", "title", "x", "y", "width", "height", "viewBox",
    "preserveAspectRatio", "version", "baseProfile", "zoomAndPan", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx",
    "ry", "fx", "fy", "fr", "d", "points", "pathLength", "transform", "dx", "dy", "rotate", "textLength",
    "lengthAdjust", "startOffset", "method", "spacing", "side", "gradientUnits", "gradientTransform", "spreadMethod",
    "offset", "patternUnits", "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits",
    "maskContentUnits", "markerUnits", "markerWidth", "markerHeight", "refX", "refY", "orient", "filterUnits",
    "primitiveUnits", "filterRes", "in", "in2", "result", "stdDeviation", "values", "type", "tableValues", "slope",
    "intercept", "amplitude", "exponent", "k1", "k2", "k3", "k4", "operator", "mode", "order", "kernelMatrix",
    "divisor", "bias", "targetX", "targetY", "edgeMode", "kernelUnitLength", "preserveAlpha", "surfaceScale",
    "diffuseConstant", "specularConstant", "specularExponent", "limitingConeAngle", "azimuth", "elevation",
    "pointsAtX", "pointsAtY", "pointsAtZ", "z", "scale", "xChannelSelector", "yChannelSelector", "radius",
    "baseFrequency", "numOctaves", "seed", "stitchTiles", "requiredExtensions", "requiredFeatures", "systemLanguage",
    "target", "hreflang", "rel", "media", "viewTarget", "attributeName", "attributeType", "begin", "dur", "end",
    "min", "max", "restart", "repeatCount", "repeatDur", "calcMode", "keyTimes", "keySplines", "from", "to", "by",
    "additive", "accumulate", "path", "keyPoints", "origin"
}) | _PRESENTATION
# What an animation may change: never href (a link would become `javascript:`), never an event attribute
# (none is allowed anyway) and never the animation controls themselves.
_ANIMATABLE = _ATTRIBUTES - {"style", "attributeName", "attributeType"}
_ANIMATION_VALUES = ("from", "to", "by", "values")

# Which URLs an element's href may hold; any other element gets "fragment" (a reference inside this file).
_HREF_RULES = {"a": "link", "image": "image", "feImage": "image"}
# What URL parsers ignore or trim, CSS whitespace, and (to be safe) any other whitespace: ` \u00a0javascript:`.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f\s]+")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_RASTER_DATA = re.compile(r"data:image/(?:png|jpe?g|gif|webp);base64,", re.IGNORECASE)
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})

_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(\n)|(.))", re.DOTALL)
# Checked in CSS with escapes decoded, whitespace removed and lower-cased: each one loads or runs something.
_CSS_DANGER = re.compile(r"@import|expression\(|-moz-binding|behavior:|javascript:|vbscript:"
                         r"|image-set\(|image\(|cross-fade\(|src\(|element\(")
_CSS_URL = re.compile(r"url\(")
# What the CSS splitter must see whole (escapes, comments, strings up to their quote or a newline) or act on.
_CSS_TOKENS = re.compile(r"""\\.|/\*.*?(?:\*/|\Z)|[(){};]"""
                         r"""|"(?:[^"\\\n]|\\.)*(?:"|\n|\Z)|'(?:[^'\\\n]|\\.)*(?:'|\n|\Z)""", re.DOTALL)
_ENTITY_REF = re.compile(r"&(?!(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)([^;\s]*)")


@dataclass(frozen=True, slots=True)
class SanitizedSvg:
    data: bytes                 # the SVG to publish (b"" when refused)
    removed: tuple[str, ...]    # what was taken out, e.g. "<script> element (line 4)"
    problem: str = ""           # why it cannot be published at all, or ""


class _RefusedError(Exception):
    """The document cannot be published; the message says why."""


def sanitize_svg(data: bytes) -> SanitizedSvg:
    """The publishable form of an SVG file: allow-listed elements and attributes, written out afresh."""
    if len(data) > MAX_BYTES:
        return SanitizedSvg(b"", (), f"larger than {MAX_BYTES // (1024 * 1024)} MB ({len(data):,} bytes)")
    parser = expat.ParserCreate(namespace_separator=_SEP)
    walker = _Walker(parser)
    try:
        parser.Parse(data, True)
    except _RefusedError as exc:
        return SanitizedSvg(b"", (), str(exc))
    except expat.ExpatError as exc:
        message = expat.errors.messages[exc.code]
        return SanitizedSvg(b"", (), f"not well-formed XML at line {exc.lineno}, column {exc.offset + 1}: {message}")
    except (LookupError, ValueError) as exc:  # pyexpat's answer to an encoding it cannot decode
        if "encoding" not in str(exc):
            raise
        return SanitizedSvg(b"", (), f"the XML declaration names an encoding that cannot be read ({exc})")
    if walker.external_dtd and (problem := _entity_in_attribute(data)):
        return SanitizedSvg(b"", (), problem)
    notes = walker.removed[:MAX_NOTES]
    if len(walker.removed) > MAX_NOTES:
        notes.append(f"… and {len(walker.removed) - MAX_NOTES} more")
    return SanitizedSvg(walker.document().encode("utf-8"), tuple(notes))


class _Walker:
    """expat handlers that write the kept part of the document while it is parsed (no tree, no recursion)."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.out: list[str] = []
        self.removed: list[str] = []
        self.stack: list[str] = []     # kept elements that are open
        self.skip = 0                  # depth inside a dropped element
        self.text: list[str] = []      # character data not yet written (a <style> collects all of its own)
        self.open_tag = False          # the last start tag lacks its ">": it becomes "/>" if nothing follows
        self.uses_xlink = False
        self.external_dtd = False
        self.style_line = 0
        parser.ordered_attributes = True   # document order, for deterministic and faithful output
        parser.namespace_prefixes = True   # prefixes only name things in the notes
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.chars
        parser.ProcessingInstructionHandler = self.instruction
        parser.StartDoctypeDeclHandler = self.doctype
        # Refused at the first declaration, so no entity is ever expanded (billion laughs, XXE); Chromium
        # applies <!ATTLIST> defaults (a default onload runs), so no other declaration may stay either.
        parser.EntityDeclHandler = parser.UnparsedEntityDeclHandler = self.refuse_declaration("ENTITY")
        parser.ElementDeclHandler = self.refuse_declaration("ELEMENT")
        parser.AttlistDeclHandler = self.refuse_declaration("ATTLIST")
        parser.NotationDeclHandler = self.refuse_declaration("NOTATION")
        # Only with an external DTD, which is never read: the text the entity stands for would be lost.
        parser.SkippedEntityHandler = lambda name, _: self.refuse(f"reference to an undeclared entity (&{name};")

    def document(self) -> str:
        if self.uses_xlink:
            self.out[1] = f' xmlns:xlink="{XLINK_NS}"'
        return "".join(self.out)

    def note(self, what: str, line: int) -> None:
        self.removed.append(f"{what} (line {line})")

    # ------------------------------------------------------------------------------------- events

    def start(self, name: str, attrs: list[str]) -> None:
        if self.skip:
            self.skip += 1
            return
        uri, local, prefix = _split(name)
        line = self.parser.CurrentLineNumber
        if not self.out:
            _check_root(uri, local, prefix)
        reason = self.element_problem(uri, local, prefix, attrs)
        if reason:
            self.note(reason, line)
            self.skip = 1
            return
        self.flush()
        self.close_start_tag()
        kept = self.attributes(local, attrs, line)
        if not self.out:  # slot 1 is filled with xmlns:xlink at the end if any xlink attribute is kept
            self.out += [f'<svg xmlns="{SVG_NS}"', "", kept]
        else:
            self.out.append(f"<{local}{kept}")
        self.open_tag = True
        self.stack.append(local)
        if local == "style":
            self.style_line = line

    def end(self, name: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        self.flush()
        local = self.stack.pop()
        self.out.append("/>" if self.open_tag else f"</{local}>")
        self.open_tag = False
        if not self.stack:
            self.out.append("\n")

    def chars(self, data: str) -> None:
        if not self.skip and self.stack:
            self.text.append(data)

    def flush(self) -> None:
        if not self.text:
            return
        text = "".join(self.text)
        self.text.clear()
        if self.stack[-1] == "style":
            text = self.css(text, "<style>", self.style_line)
            if not text:  # all of it removed: <style/>, as a second pass would write it
                return
        self.close_start_tag()
        self.out.append(escape_text(text))

    def close_start_tag(self) -> None:
        if self.open_tag:
            self.out.append(">")
            self.open_tag = False

    def instruction(self, target: str, data: str) -> None:
        if not self.skip:  # <?xml-stylesheet?> would apply XSLT or CSS from anywhere
            self.note(f"<?{target}?> instruction", self.parser.CurrentLineNumber)

    def doctype(self, name: str, system_id: str | None, public_id: str | None, has_internal_subset: int) -> None:
        # A plain DOCTYPE (Illustrator's) is dropped; the DTD it names is never read.
        self.external_dtd = bool(system_id or public_id)

    def refuse(self, opening: str) -> None:
        raise _RefusedError(f"{opening} at line {self.parser.CurrentLineNumber})")

    def refuse_declaration(self, kind: str) -> Callable[..., None]:
        what = "entity declarations" if kind == "ENTITY" else "DTD declarations"
        return lambda name, *_: self.refuse(f"{what} are not allowed (<!{kind} {name}>")

    # -------------------------------------------------------------------------------------- rules

    def element_problem(self, uri: str, local: str, prefix: str, attrs: list[str]) -> str:
        shown = f"<{prefix}:{local}>" if prefix else f"<{local}>"
        if self.stack and self.stack[-1] == "style":
            return f"{shown} element inside <style>"
        if uri != SVG_NS or local not in _ELEMENTS:
            return f"{shown} element{_namespace_note(uri)}"
        if local in _ANIMATIONS:
            plain = {n: v for n, v in zip(attrs[::2], attrs[1::2], strict=True) if _SEP not in n}
            target = plain.get("attributeName")
            if target is not None and target.strip() not in _ANIMATABLE:
                return f"{shown} element animating {target.strip()!r}"
            for key in _ANIMATION_VALUES:
                if key in plain and _css_problem(plain[key]):
                    return f"{shown} element with {key} {_short(plain[key])}"
        return ""

    def attributes(self, local: str, attrs: list[str], line: int) -> str:
        parts: list[str] = []
        for name, value in zip(attrs[::2], attrs[1::2], strict=True):
            uri, attr, prefix = _split(name)
            shown = f"{prefix}:{attr}" if prefix else attr
            qname = _allowed_name(uri, attr)
            if qname is None:
                wrong = f" in namespace {uri!r}" if prefix in ("xlink", "xml") else ""  # xmlns:xlink="https://evil/"
                self.note(f"{shown} attribute{wrong} on <{local}>", line)
                continue
            if attr == "href" and not _url_ok(value, _HREF_RULES.get(local, "fragment")):
                self.note(f"{shown} {_short(value)} on <{local}>", line)
                continue
            if attr in _PRESENTATION and _css_problem(value):
                self.note(f"{shown} {_short(value)} on <{local}>", line)
                continue
            if attr == "style":
                value = self.css(value, f"the style attribute of <{local}>", line)
            self.uses_xlink = self.uses_xlink or uri == XLINK_NS
            parts.append(f' {qname}="{escape_attribute(value)}"')
        return "".join(parts)

    def css(self, css: str, where: str, line: int) -> str:
        if not _css_problem(css):  # the check of the whole passes only if every piece would pass
            return css
        kept: list[str] = []
        for segment, delimiter in _css_segments(css):
            if _css_problem(segment):
                self.note(f"CSS {_short(' '.join(segment.split()))} in {where}", line)
                # The ";" goes with the declaration; a "{" or "}" stays so that the blocks still balance.
                kept.append("" if delimiter == ";" else delimiter)
            else:
                kept.append(segment + delimiter)
        return "".join(kept)


# ----------------------------------------------------------------------------------------- helpers


def _entity_in_attribute(data: bytes) -> str:
    """With an external DTD, expat drops an undeclared entity in an attribute value silently (the DTD it
    does not read might declare it), and a word would be lost: a second pass reads the raw start tags."""
    parser = expat.ParserCreate()
    found: list[str] = []

    def raw(text: str) -> None:
        if not found and re.match(r"<[^!?/]", text) and (ref := _ENTITY_REF.search(text)):
            found.append(f"reference to an undeclared entity (&{ref.group(1)}; at line {parser.CurrentLineNumber})")

    parser.DefaultHandler = raw
    parser.Parse(data, True)
    return found[0] if found else ""


def _split(name: str) -> tuple[str, str, str]:
    """(namespace URI, local name, prefix) of an expat name."""
    if _SEP not in name:
        return "", name, ""
    uri, local, *prefix = name.split(_SEP)
    return uri, local, prefix[0] if prefix else ""


def _namespace_note(uri: str) -> str:
    known = {SVG_NS: "", XHTML_NS: " in the XHTML namespace", "": " without a namespace"}
    return known.get(uri, f" in namespace {uri!r}")


def _check_root(uri: str, local: str, prefix: str) -> None:
    if uri == SVG_NS and local == "svg":
        return
    if not uri and local == "svg":
        raise _RefusedError(f'the root <svg> element has no xmlns="{SVG_NS}" (browsers do not show it as SVG)')
    shown = f"{prefix}:{local}" if prefix else local
    raise _RefusedError(f"the root element is <{shown}>{_namespace_note(uri)}, not an SVG <svg> element")


def _allowed_name(uri: str, attr: str) -> str | None:
    """The attribute's name in the output, or None when it is not allowed."""
    if not uri:
        return attr if attr == "href" or attr in _ATTRIBUTES or attr.startswith(("aria-", "data-")) else None
    if uri == XLINK_NS and attr in ("href", "title"):
        return f"xlink:{attr}"
    if uri == XML_NS and attr in ("space", "lang"):
        return f"xml:{attr}"
    return None


def _url_ok(value: str, rule: str) -> bool:
    """Whether an href may stay. expat has decoded character references; removing what URL parsers
    ignore catches `java&#x09;script:` and ` JaVaScRiPt:` (it only ever makes a URL look more dangerous)."""
    url = _URL_NOISE.sub("", value)
    if url.startswith("#"):
        return True
    if rule == "fragment":
        return False
    scheme = _SCHEME.match(url)
    if rule == "image":  # no network URL (not even //host/…): an opened SVG must not track its reader
        return bool(_RASTER_DATA.match(url)) if scheme else not re.match(r"[/\\]{2}", url)
    return scheme is None or scheme.group(1).lower() in _LINK_SCHEMES


def _css_problem(text: str) -> bool:
    """Whether CSS text loads or runs something: an @import, a legacy script hook, or a url() that is not
    a fragment or a raster data: URL. Escapes are decoded and whitespace removed first, so `@\\69mport`
    and `u\\72l(` count; a comment between letters is not removed, as it separates tokens for browsers too."""
    view = _URL_NOISE.sub("", _CSS_ESCAPE.sub(_css_unescape, text)).lower()
    if _CSS_DANGER.search(view):
        return True
    for match in _CSS_URL.finditer(view):
        arg = match.end() + (view[match.end():match.end() + 1] in ("'", '"'))  # in place: no copy of the rest
        if not (view.startswith("#", arg) or _RASTER_DATA.match(view, arg)):
            return True
    return False


def _css_unescape(match: re.Match[str]) -> str:
    hex_digits, newline, char = match.groups()
    if hex_digits is None:
        return "" if newline else char  # an escaped newline continues a string
    code = int(hex_digits, 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _css_segments(css: str) -> list[tuple[str, str]]:
    """CSS cut at each ";", "{" and "}" outside strings, comments and parentheses: (text, delimiter).

    Safety does not rest on this matching a browser's tokenizer: each piece is checked whole, a kept
    piece holds nothing dangerous, and the delimiters between kept pieces cannot form a dangerous token.
    """
    pieces: list[tuple[str, str]] = []
    start = depth = 0
    for token in _CSS_TOKENS.finditer(css):
        char = token.group()
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char in (";", "{", "}") and depth == 0:
            pieces.append((css[start:token.start()], char))
            start = token.end()
    pieces.append((css[start:], ""))
    return pieces


def _short(value: str, limit: int = 48) -> str:
    """The value quoted for a note: cut short, control characters shown as escapes (`java\\tscript:`)."""
    cut = value if len(value) <= limit else value[:limit] + "…"
    return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in cut) + "'"

