"""HTML to themehub markdown, for any reader whose source holds HTML (WordPress bodies, raw HTML in Hugo
or Jekyll posts).

markdownify does the walking; `_Converter` adapts its output to the Python-Markdown dialect themehub
renders (four-space list indents, no `~~`, fenced code, pipe tables only when they are simple) and
records every picture the markdown refers to, so plan.py can fetch it and rewrite the reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString
from markdownify import ASTERISK, ATX, SPACES, MarkdownConverter

from themehub.importing.model import Note, Picture

BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
)
"""Elements that end a run of text (WordPress's and HTML's block-level elements)."""

MAX_DEPTH = 100
"""Deeper HTML is not converted (see `to_markdown`); themehub's renderer refuses deep nesting too."""

_LONG_SPACES = re.compile(r"[ \t]{2,}")
_PICTURE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?)$", re.IGNORECASE)
_FENCED = re.compile(r"^((`{3,})[^\n]*\n.*?\n\2)$", re.MULTILINE | re.DOTALL)
_LANGUAGE = re.compile(r"(?:^|\s)(?:language|lang)-([\w+#.-]+)|brush:\s*([\w+#.-]+)", re.IGNORECASE)

# Text that Python-Markdown would read as markup if it were left as it is. Escapes are only those
# Python-Markdown knows (`\=` or `\&` would print the backslash), so the rendered text is the source's.
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_LINK_LIKE = re.compile(r"\](?=[(\[])")
_LINE_START_MARKER = re.compile(
    r"^([ \t]*)(#{1,6}(?=\s|$)|[-+](?=\s)|>|=+[ \t]*$|-+[ \t]*$|\d{1,9}(?=[.)](?:\s|$)))", re.MULTILINE
)


@dataclass(frozen=True, slots=True)
class Markdown:
    """What an HTML fragment became."""

    text: str
    pictures: tuple[Picture, ...]
    """Every picture the text refers to (images, links to picture files), first appearance first."""
    notes: tuple[Note, ...]
    """What was kept as raw HTML (iframes, complex tables) or lost (scripts, styles)."""


def to_markdown(html: str) -> Markdown:
    """Converts an HTML fragment. Text that is not inside any tag is kept as text (escaped for markdown)."""
    converter = _Converter()
    soup = BeautifulSoup(html, "html.parser")
    depth = _depth(soup)
    if depth > MAX_DEPTH:
        # markdownify recurses once per level (and would raise RecursionError); nothing written by hand
        # nests this deep, so this is broken markup (unclosed tags): its words are kept, as plain text.
        text = converter.escape(soup.get_text(), set())
        note = Note("lost", f"the formatting of HTML nested {depth} elements deep (unclosed tags?): its text is kept")
        return Markdown(tidy(re.sub(r"\n{2,}", "\n\n", text.strip())), (), (note,))
    _collapse_spaces(soup)
    text = converter.convert_soup(soup)
    return Markdown(tidy(text), tuple(converter.pictures.values()), tuple(dict.fromkeys(converter.notes)))


def _collapse_spaces(soup: BeautifulSoup) -> None:
    """Runs of spaces outside <pre> made one, as a browser shows them. markdownify would do the same, but
    its pattern for it takes quadratic time on a long run without a line break."""
    for string in soup.find_all(string=_LONG_SPACES):
        if type(string) is NavigableString and string.find_parent("pre") is None:
            string.replace_with(_LONG_SPACES.sub(" ", string))


def _depth(soup: BeautifulSoup) -> int:
    """How deeply elements nest (counted without recursion: that is what must be avoided)."""
    deepest = 0
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        el, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in el.children if isinstance(child, Tag))
    return deepest


def tidy(markdown: str) -> str:
    """At most one blank line between blocks and none at the ends; fenced code is left as it is."""
    parts = _FENCED.split(markdown)
    for i in range(0, len(parts), 3):  # split() yields text, fence, fence, text, ...
        parts[i] = re.sub(r"\n[ \t]*(?:\n[ \t]*)+\n", "\n\n", parts[i])
    return "".join(part for i, part in enumerate(parts) if i % 3 != 2).strip("\n")


def to_text(html: str) -> str:
    """The words of an HTML fragment on one line (for a summary): tags dropped, entities decoded."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all([*BLOCK_TAGS, "br"]):
        tag.insert_after(" ")  # "<p>a</p><p>b</p>" is two words, "<b>Cl</b>oud" one
    return " ".join(soup.get_text().split())


def markdown_url(url: str) -> str:
    """`url` as a markdown link target: spaces and unbalanced parentheses would end it early."""
    url = url.strip().replace(" ", "%20")
    if url.count("(") != url.count(")"):
        url = url.replace("(", "%28").replace(")", "%29")
    return url


def image(src: str, alt: str = "", title: str = "") -> str:
    """`![alt](src "title")` with the alt text's brackets and the title's quotes escaped."""
    alt = " ".join(alt.split()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    title_part = ' "{}"'.format(title.replace('"', '\\"')) if title else ""
    return f"![{alt}]({markdown_url(src)}{title_part})"


def is_picture_file(url: str) -> bool:
    """Whether a URL names a picture file (a link to "photo.jpg" is a picture the post uses)."""
    return _PICTURE_FILE.search(url.split("?", 1)[0].split("#", 1)[0]) is not None


def _attr(el: Tag, name: str) -> str:
    value = el.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(value)


def _chomp(text: str) -> tuple[str, str, str]:
    """Leading and trailing spaces moved outside inline markup: "<b> x</b>" is " **x**", not "** x**"."""
    prefix = " " if text[:1] == " " else ""
    suffix = " " if text[-1:] == " " else ""
    return prefix, suffix, text.strip()


class _Converter(MarkdownConverter):
    """markdownify, adapted to Python-Markdown. The methods are markdownify's per-tag hooks
    (`convert_<tag>(el, text, parent_tags)`, `text` being the converted children)."""

    def __init__(self) -> None:
        super().__init__(
            heading_style=ATX,
            bullets="-",
            strong_em_symbol=ASTERISK,
            newline_style=SPACES,  # Python-Markdown's hard break is two spaces, not a backslash
            sub_symbol="<sub>",  # kept as HTML: Python-Markdown has no syntax for them
            sup_symbol="<sup>",
            table_infer_header=True,  # a pipe table needs a header row: the first row becomes it
            escape_asterisks=False,  # `escape` below does all escaping
            escape_underscores=False,
        )
        self.pictures: dict[str, Picture] = {}
        self.notes: list[Note] = []

    def _picture(self, reference: str, alt: str) -> None:
        if reference and not reference.startswith("data:") and reference not in self.pictures:
            self.pictures[reference] = Picture(reference=reference, file=None, alt=alt)

    # ---------------------------------------------------------------------------------- text

    def escape(self, text: str, parent_tags: set[str]) -> str:
        if not text:
            return ""
        text = text.replace("\\", "\\\\")
        for char in "*_`":
            text = text.replace(char, "\\" + char)
        text = _ENTITY_LIKE.sub("&amp;", text)
        text = _TAG_LIKE.sub("&lt;", text)
        text = _LINK_LIKE.sub("\\\\]", text)
        return _LINE_START_MARKER.sub(_escape_marker, text)

    # ---------------------------------------------------------------------------------- blocks

    def convert_p(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags:
            return " " + text.strip() + " "
        text = text.strip(" \t\r\n")
        # `<p>&nbsp;</p>`, the classic editor's spacer, is no paragraph
        return f"\n\n{text}\n\n" if text.strip() else ""

    def convert_div(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags:
            return " " + text.strip() + " "
        text = text.strip()
        return f"\n\n{text}\n\n" if text else ""

    convert_figure = convert_div
    convert_section = convert_div
    convert_article = convert_div
    convert_main = convert_div
    convert_aside = convert_div
    convert_header = convert_div
    convert_footer = convert_div

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        caption = italic_line(text)
        return f"\n\n{caption}\n\n" if caption else ""

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = _attr(parent, "start")
            bullet = f"{(int(start) if start.isdigit() else 1) + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        first, _, rest = text.partition("\n")
        # Python-Markdown reads an item's further lines (and lists inside it) only when indented by four
        rest = re.sub(r"^(?=.)", "    ", rest, flags=re.MULTILINE)
        return f"{bullet} {first}\n{rest}\n" if rest else f"{bullet} {first}\n"

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip("\n")
        if not text.strip():
            return ""
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}{_language(el)}\n{text}\n{fence}\n\n"

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags:
            return "\n"
        if "_inline" in parent_tags:
            return " "
        return "  \n"

    def convert_table(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if _simple_table(el):
            return "\n\n" + text.strip() + "\n\n"
        # Kept as HTML (themehub sanitizes it): the pictures in it are referred to as the HTML has them
        for img in el.find_all("img"):
            src = _attr(img, "src").strip()
            if markdown_url(src) != src:
                self.pictures.pop(markdown_url(src), None)
            self._picture(src, _attr(img, "alt"))
        self.notes.append(Note("verbatim", "kept as HTML: a table with merged cells or blocks inside cells"))
        return "\n\n" + _one_block(str(el)) + "\n\n"

    def convert_iframe(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        # A hub embeds no other site's page (`raw_html: sanitize` would show the tag as text): a link
        # line to what it showed. Without an address there is nothing to link: kept, and listed.
        source = _attr(el, "src") or _attr(el, "data")
        if source.startswith(("http://", "https://", "//")):
            source = "https:" + source if source.startswith("//") else source
            self.notes.append(Note("converted", f"<{el.name}> → link: {source}"))
            return f"\n\n<{markdown_url(source)}>\n\n"
        self.notes.append(Note("verbatim", f"kept as HTML: <{el.name}> without an address"))
        return "\n\n" + _one_block(str(el)) + "\n\n"

    convert_embed = convert_iframe
    convert_object = convert_iframe

    def convert_video(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = _attr(el, "src")
        if not src:
            source = el.find("source", src=True)
            src = _attr(source, "src") if isinstance(source, Tag) else ""
        if not src:
            return text
        self.notes.append(Note("converted", f"<{el.name}> → link: {src}"))
        return f"\n\n<{markdown_url(src)}>\n\n"

    convert_audio = convert_video

    def convert_script(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        self.notes.append(Note("lost", f"a <{el.name}> element (not carried over: a hub runs no page scripts)"))
        return ""

    convert_style = convert_script

    # ---------------------------------------------------------------------------------- inline

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = _attr(el, "src").strip()
        if not src:
            return ""
        alt = _attr(el, "alt")
        self._picture(markdown_url(src), alt)
        return image(src, alt, _attr(el, "title"))

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = _chomp(text)
        href = _attr(el, "href").strip()
        if not text or not href:
            return prefix + text + suffix
        url = markdown_url(href)
        if is_picture_file(url):
            self._picture(url, "")
        title = _attr(el, "title")
        if text.replace("\\_", "_") == href and not title and href.lower().startswith(("http://", "https://")):
            return f"{prefix}<{url}>{suffix}"
        title_part = ' "{}"'.format(title.replace('"', '\\"')) if title else ""
        return f"{prefix}[{text}]({url}{title_part}){suffix}"

    def convert_del(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        # Python-Markdown has no `~~`: the HTML element keeps the strike-through
        prefix, suffix, text = _chomp(text)
        return f"{prefix}<del>{text}</del>{suffix}" if text else ""

    convert_s = convert_del
    convert_strike = convert_del


def italic_line(markdown: str) -> str:
    """Markdown on one line, in italics (a caption). `_` outside so `*emphasis*` inside still works."""
    line = " ".join(markdown.split())
    return f"_{line}_" if line else ""


def _escape_marker(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return f"{indent}{marker}\\"  # "1999. A year" is no list: "1999\. A year"
    return f"{indent}\\{marker}"


def _language(pre: Tag) -> str:
    """The language of a code block, from the class names highlighters use: `language-php`, `lang-js`,
    SyntaxHighlighter's `brush: php`."""
    code = pre.find("code")
    classes = " ".join([_attr(pre, "class")] + ([_attr(code, "class")] if isinstance(code, Tag) else []))
    match = _LANGUAGE.search(classes)
    return (match.group(1) or match.group(2)).lower() if match else ""


def _simple_table(table: Tag) -> bool:
    """Whether a pipe table says all the HTML table says: one line per cell, no merged cells."""
    for cell in table.find_all(["td", "th"]):
        if _attr(cell, "colspan") not in ("", "1") or _attr(cell, "rowspan") not in ("", "1"):
            return False
        if cell.find(["table", "ul", "ol", "pre", "blockquote", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6"]):
            return False
        if len(cell.find_all("p")) > 1 or "|" in cell.get_text():
            return False
    return bool(table.find_all("tr"))


def _one_block(html: str) -> str:
    """Raw HTML without blank lines: Python-Markdown would end the HTML block at one."""
    return re.sub(r"\n[ \t]*\n+", "\n", html.strip())
