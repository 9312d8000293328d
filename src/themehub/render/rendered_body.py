"""What a converted body is, apart from the converter that makes it (render/markdown.py).

The cache, the page table and the build read and write these on every rebuild; only a body that
changed is converted. Kept apart so that a rebuild that converts nothing (a title edit, no edit at all)
does not import Python-Markdown, its extensions and the converter's own patterns: 22 ms for `markdown`
alone in a build's process.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    id: str
    text: str


class DamagedRecordError(ValueError):
    """A body from the build's cache whose stored HTML does not decode (found when it is first read)."""


@dataclass(frozen=True, slots=True, eq=False)
class RenderedBody:
    content: str | bytes
    """The HTML (read it as `html`); or, for a body read from the build's cache, its UTF-8 bytes, decoded
    the first time it is read: a rebuild needs the HTML of few bodies (the link resolutions it keeps
    hold their own copy), and decoding 10,000 of them took 0.35 to 0.9 s."""
    headings: tuple[Heading, ...]
    images_without_alt: tuple[str, ...] = ()
    removed_urls: tuple[str, ...] = ()
    defused: int = 0
    """Paragraphs whose brackets were rendered as plain text (see `defuse`)."""
    problem: str = ""
    """Why the body could not be rendered at all (nesting too deep), or ''."""
    ids: frozenset[str] = frozenset()
    """Every id the HTML holds (the anchors other bodies may link to), found once when it is made: a
    rebuild of 10,000 bodies spent 0.6 s finding them again."""

    @property
    def html(self) -> str:
        content = self.content
        if isinstance(content, bytes):
            try:
                content = content.decode("utf-8", "surrogatepass")
            except UnicodeDecodeError as exc:
                raise DamagedRecordError(str(exc)) from exc
            object.__setattr__(self, "content", content)  # decoded once: the value stays the same
        return content

    def _compared(self) -> tuple[object, ...]:
        return (self.html, self.headings, self.images_without_alt, self.removed_urls, self.defused, self.problem,
                self.ids)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RenderedBody) and self._compared() == other._compared()

    __hash__ = None  # type: ignore[assignment]  # equal by value, as the plain dataclass it was


MAX_BRACKETS_PER_BLOCK = 256
"""Python-Markdown scans for a link's closing bracket from every '[': quadratic in brackets per
paragraph (10,000 '[' take ~18 s). Past this many in one paragraph, its brackets become plain text."""


@dataclass(frozen=True, slots=True)
class MarkdownSettings:
    raw_html: str
    base_path: str
