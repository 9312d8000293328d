"""Colours that stay readable: a theme's colour, darkened just enough for white text (WCAG AA)."""

from __future__ import annotations

import functools
import hashlib

AA = 4.5
FALLBACK = "#334155"


def _channel(value: float) -> float:
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def rgb(color: str) -> tuple[int, int, int]:
    text = color.lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def luminance(color: str) -> float:
    r, g, b = rgb(color)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_with_white(color: str) -> float:
    return 1.05 / (luminance(color) + 0.05)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21), whichever is lighter."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def hex_color(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in (r, g, b))


def mix(color: str, other: str, amount: float) -> str:
    """`color` with `amount` (0 to 1) of `other` mixed in, channel by channel in sRGB, as CSS's
    `color-mix(in srgb, …)` does."""
    return hex_color(*(a + (b - a) * amount for a, b in zip(rgb(color), rgb(other), strict=True)))


@functools.lru_cache(maxsize=1024)
def on_white_text(color: str) -> str:
    """`color`, darkened step by step until white text on it reaches 4.5:1 (unchanged if it does)."""
    if not color:
        return FALLBACK
    r, g, b = rgb(color)
    for _ in range(100):
        candidate = f"#{r:02x}{g:02x}{b:02x}"
        if contrast_with_white(candidate) >= AA:
            return candidate
        r, g, b = int(r * 0.95), int(g * 0.95), int(b * 0.95)
    return "#000000"


def pattern_angle(slug: str) -> int:
    """A stable angle per theme for its generated tile pattern, so tiles without images differ."""
    return int(hashlib.blake2b(slug.encode(), digest_size=2).hexdigest(), 16) % 180
