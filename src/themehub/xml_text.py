"""Escaping for XML we write ourselves (feeds, sitemap, sanitized SVG), without `xml.sax.saxutils`,
whose import pulls in urllib.request, http.client and ssl: 13 ms of every build's start-up."""

from __future__ import annotations


def escape_text(text: str) -> str:
    """Character data. `>` too: "]]>" may not appear in it; CR as a reference, or a parser drops it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def escape_attribute(value: str) -> str:
    """An attribute's value, to go between double quotes. Tab, newline and CR as references: written
    literally, a parser would turn them into spaces."""
    return escape_text(value).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


def quoted(value: str) -> str:
    """An attribute's value with its double quotes."""
    return f'"{escape_attribute(value)}"'
