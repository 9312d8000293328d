"""Python-Markdown's link and image processors, finding a link's closing `]` by scanning forward.

Python-Markdown 3.11 finds the `]` that closes a link's text by computing, in a Python loop over every
character, the closing bracket of every position of the paragraph, again each time the paragraph's text
changes, which is after every link it replaces. A paragraph with many links is walked once per link:
at 1,000 articles that loop was a fifth of all the markdown time. Here a regular expression jumps from
bracket to bracket, from the link's text to its closing `]` only, and gives the same answer. Brackets
that never close would make that scan quadratic (the reason Python-Markdown computes them all at once):
after `SCAN_LIMIT` brackets without the closing one, the library's own computation answers instead.
"""

from __future__ import annotations

import re

import markdown
from markdown.inlinepatterns import (
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)

SCAN_LIMIT = 64
"""Brackets looked at before handing over to Python-Markdown's linear (but always whole-text) scan."""

_BRACKET = re.compile(r"[\[\]]")


def link_text(data: str, index: int) -> tuple[str, int, bool] | None:
    """The text of a link that starts at `index` (just after its `[`), the index after its closing `]`,
    and whether one closes it, as `LinkInlineProcessor.getText` answers; None past `SCAN_LIMIT` brackets."""
    depth = 0
    for seen, bracket in enumerate(_BRACKET.finditer(data, index)):
        if seen == SCAN_LIMIT:
            return None
        if bracket.group() == "[":
            depth += 1
        elif depth:
            depth -= 1
        else:
            end = bracket.end()
            return data[index:end - 1], end, True
    return data[index:], len(data), False


class _ScanToClose(LinkInlineProcessor):
    def getText(self, data: str, index: int) -> tuple[str, int, bool]:  # noqa: N802 - Python-Markdown's API
        found = link_text(data, index)
        return found if found is not None else super().getText(data, index)


class _Link(_ScanToClose, LinkInlineProcessor):
    pass


class _Image(_ScanToClose, ImageInlineProcessor):
    pass


class _Reference(_ScanToClose, ReferenceInlineProcessor):
    pass


class _ShortReference(_ScanToClose, ShortReferenceInlineProcessor):
    pass


class _ImageReference(_ScanToClose, ImageReferenceInlineProcessor):
    pass


class _ShortImageReference(_ScanToClose, ShortImageReferenceInlineProcessor):
    pass


_REPLACED: dict[str, tuple[type[LinkInlineProcessor], type[LinkInlineProcessor], int]] = {
    # name: (Python-Markdown's class, ours, its priority in markdown.inlinepatterns.build_inlinepatterns)
    "reference": (ReferenceInlineProcessor, _Reference, 170),
    "link": (LinkInlineProcessor, _Link, 160),
    "image_link": (ImageInlineProcessor, _Image, 150),
    "image_reference": (ImageReferenceInlineProcessor, _ImageReference, 140),
    "short_reference": (ShortReferenceInlineProcessor, _ShortReference, 130),
    "short_image_ref": (ShortImageReferenceInlineProcessor, _ShortImageReference, 125),
}


def scan_links_forward(md: markdown.Markdown) -> None:
    """Swap Python-Markdown's link processors for ours, same patterns and priorities. A processor an
    extension has already replaced by another class is left alone."""
    for name, (theirs, ours, priority) in _REPLACED.items():
        if name in md.inlinePatterns:
            current = md.inlinePatterns[name]
            if type(current) is theirs:
                md.inlinePatterns.register(ours(current.pattern, md), name, priority)
