"""What feeds, the sitemap and sanitized SVG write through xml_text reads back as it was written."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from themehub.xml_text import escape_text, quoted

# Characters XML 1.0 allows (no other control characters, no surrogates).
XML_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters=[
    chr(c) for c in range(32) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"])


@given(st.text(XML_CHARS), st.text(XML_CHARS))
def test_text_and_attributes_read_back_unchanged(text: str, value: str) -> None:
    element = ET.fromstring(f"<e a={quoted(value)}>{escape_text(text)}</e>")
    assert (element.text or "") == text
    assert element.get("a") == value


def test_the_characters_a_parser_would_change_are_references() -> None:
    assert escape_text("a & b < c > d\r") == "a &amp; b &lt; c &gt; d&#13;"
    assert quoted('say "hi"\tnow\nthen') == '"say &quot;hi&quot;&#9;now&#10;then"'
