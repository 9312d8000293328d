"""Fonts and text layout for share cards: the fonts shipped in the built-in theme, and greedy line
wrapping measured exactly as `FreeTypeFont.getlength` measures.

Both caches here are per process (a forked render worker fills its own): a font file is parsed once
per size, and the length of a word or a pair of characters is measured once.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from themehub.render.templates import BUILTIN_THEMES

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

FONTS = BUILTIN_THEMES / "default" / "fonts"


@functools.lru_cache(maxsize=32)
def font(bold: bool, size: int) -> FreeTypeFont:
    """DejaVu Sans (bold or regular) at `size`, with the basic layout: lengths add up (see `_extend`)."""
    from PIL import ImageFont

    path = FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def wrap(text: str, font: FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Greedy wrap by words; a word wider than the line (CJK has no spaces) wraps by character.
    Lengths are those of `font.getlength`, put together from cached pieces (`_extend`)."""
    pieces: list[tuple[str, bool]] = []  # (text, a space goes before it)
    for word in text.split():
        if _length(font, word) <= width:
            pieces.append((word, True))
            continue
        chunk, first, size = "", True, 0.0
        for ch in word:
            grown = _extend(font, size, chunk[-1], ch) if chunk else _length(font, ch)
            if chunk and grown > width:
                pieces.append((chunk, first))
                chunk, first, grown = "", False, _length(font, ch)
            chunk += ch
            size = grown
        pieces.append((chunk, first))
    lines: list[str] = []
    line, size = "", 0.0
    for piece, spaced in pieces:
        if not line:
            line, size = piece, _length(font, piece)
            continue
        joined, edge = (_extend(font, size, line[-1], " "), " ") if spaced else (size, line[-1])
        joined = _extend(font, joined, edge, piece)
        if joined > width:
            lines.append(line)
            line, size = piece, _length(font, piece)
        else:
            line, size = line + (" " if spaced else "") + piece, joined
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


@functools.lru_cache(maxsize=8192)
def _length(font: FreeTypeFont, text: str) -> float:
    return font.getlength(text)


def _extend(font: FreeTypeFont, length: float, last: str, text: str) -> float:
    """`font.getlength(s + text)` from `length`, that of `s`, and `last`, its last character: with the
    basic layout a length is the sum of the characters' advances and of the kerning of each adjacent
    pair, all multiples of 1/64 (exact in a float). Words and pairs recur: their lengths are cached."""
    first = text[0]
    kerning = _length(font, last + first) - _length(font, last) - _length(font, first)
    return length + kerning + _length(font, text)


def clear_caches() -> None:
    """Forget fonts and measured lengths, as a fresh worker process starts (for tests)."""
    font.cache_clear()
    _length.cache_clear()
