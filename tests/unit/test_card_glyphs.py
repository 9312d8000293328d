"""The share cards' font check: the characters taken as drawable without asking Pillow are drawn by the
cards' font, and the others are still asked about."""

from __future__ import annotations

from themehub.render.brand_assets import has_glyph
from themehub.render.images.plan import DRAWN_WITHOUT_ASKING, drawable
from themehub.render.images.text import font


def test_every_character_taken_as_drawable_is_in_the_cards_font() -> None:
    face = font(True, 32)
    first, last = DRAWN_WITHOUT_ASKING
    missing = [chr(c) for c in range(first, last + 1) if chr(c).isprintable() and not has_glyph(face, chr(c))]
    assert missing == []


def test_words_outside_the_range_are_checked_against_the_font() -> None:
    assert drawable("12 Beiträge, 3 façades")
    assert drawable("Статьи: 12")  # Cyrillic: in DejaVu Sans, found by asking
    assert not drawable("記事 12")  # no Japanese in DejaVu Sans
