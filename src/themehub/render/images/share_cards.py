"""Share cards: the 1200x630 PNG (OpenGraph/Twitter) drawn for an item without a picture of its own,
in its theme's colour, with the fonts shipped in the built-in theme.

A card is drawn as levels of one ramp (theme colour -> white) in an 8-bit image, so encoding needs
no colour quantization, with 64 palette entries left for an avatar photo. What recurs from card to
card is made once per process and site by a `CardArtist` and reused: the backdrop (stripes and site
name) and its deflated bands, the masks of subtitles, footers and initials, wrapped subtitles, the
avatar in 64 colours, and the palette. Only the title is laid out and drawn for each card. The
pixels are those of drawing everything on a blank image every time.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from themehub.colors import on_white_text, rgb
from themehub.render.images import text
from themehub.render.images.png import Band, deflate_bands, indexed_png
from themehub.render.images.text import font, wrap
from themehub.render.statics import atomic_write

if TYPE_CHECKING:
    from PIL import Image

SHARE_SIZE = (1200, 630)
ROW_PREFIX = 1
"""Cards are drawn one pixel to the right, in a canvas one pixel wider: its column 0 is the filter
type of each PNG row (0, None), so the canvas's bytes are the PNG's image data as they are."""
GRADIENT = 192
"""Palette entries for the theme colour -> white ramp; the other 64 hold the avatar's colours."""
AVATAR = 84
"""Side of the round avatar (or initials) in the footer."""


@dataclass(frozen=True, slots=True)
class ShareCard:
    """What a card shows: everything its bytes depend on."""

    title: str
    subtitle: str
    color: str
    footer: str
    site: str
    avatar: bytes
    """The avatar file's bytes (b"": none): initials in a circle instead, when there are some."""
    initials: str = ""


@dataclass(frozen=True, slots=True)
class ShareJob:
    """A card to draw into the image cache (background work of the render pool)."""

    target: Path
    card: ShareCard


@dataclass(frozen=True, slots=True)
class PaintedCard:
    """A card's pixels before encoding: palette indices in a canvas with the filter column."""

    canvas: Image.Image
    palette: bytes


def draw_to(job: ShareJob) -> int:
    """Worker: draw one share card into the cache."""
    atomic_write(job.target, draw_card(job.card))
    return 1


def draw_card(card: ShareCard) -> bytes:
    return artist(card.site).draw(card)


def draw_share_image(*, title: str, subtitle: str, color: str, footer: str, site: str, avatar: bytes,
                     initials: str = "") -> bytes:
    """A 1200x630 PNG of a card (the fields of `ShareCard`)."""
    return draw_card(ShareCard(title, subtitle, color, footer, site, avatar, initials))


@functools.lru_cache(maxsize=8)
def artist(site: str) -> CardArtist:
    """The process's artist for a site's cards: a forked worker makes its own on its first card."""
    return CardArtist(site)


def clear_caches() -> None:
    """Forget everything made for earlier cards, as a fresh worker process starts (for tests)."""
    artist.cache_clear()
    text.clear_caches()


def level(fraction: float) -> int:
    """The ramp entry `fraction` of the way from the theme colour to white."""
    return round((GRADIENT - 1) * fraction)


class CardArtist:
    """Draws the cards of one site, keeping what recurs from card to card (bounded caches)."""

    def __init__(self, site: str) -> None:
        self.site = site
        self.backdrop = _backdrop(site)  # never changed: cards draw on a copy
        self.bands: tuple[Band, ...] = deflate_bands(self.backdrop.tobytes(), self.backdrop.width)
        self.text_mask = functools.lru_cache(maxsize=256)(_text_mask)
        self.wrapped = functools.lru_cache(maxsize=256)(_wrapped)
        self.photo = functools.lru_cache(maxsize=64)(_photo)
        self.ramp = functools.lru_cache(maxsize=64)(_ramp)
        self.round_mask = _round_mask()

    def draw(self, card: ShareCard) -> bytes:
        """The card as a PNG, by the hand-written encoder (png.py), splicing the backdrop's bands."""
        painted = self.paint(card)
        canvas = painted.canvas
        return indexed_png(canvas.tobytes(), canvas.width - ROW_PREFIX, canvas.height, painted.palette, self.bands)

    def paint(self, card: ShareCard) -> PaintedCard:
        from PIL import ImageDraw

        height = SHARE_SIZE[1]
        top = GRADIENT - 1
        image = self.backdrop.copy()
        draw = ImageDraw.Draw(image)
        margin = 72
        text_width = 1010 - 2 * margin
        left = ROW_PREFIX + margin
        title_font = font(True, 64)
        y = 140
        for line in wrap(card.title, title_font, text_width, 3):
            draw.text((left, y), line, font=title_font, fill=top)
            y += 78
        if card.subtitle:
            for line in self.wrapped(card.subtitle, False, 32, text_width, 2):
                self._stamp(image, (left, y + 16), line, False, 32, level(0.9))
                y += 42
        face_top = height - AVATAR - 56
        x = left
        photo = self.photo(card.avatar) if card.footer and card.avatar else None
        if photo is not None:
            x = left + AVATAR + 24
        if card.footer and photo is None and card.initials:
            draw.ellipse([left, face_top, left + AVATAR - 1, face_top + AVATAR - 1], fill=level(0.14))
            self._stamp(image, (left + AVATAR // 2, face_top + AVATAR // 2), card.initials, True, 32, top, "mm")
            x = left + AVATAR + 24
        if card.footer:
            self._stamp(image, (x, height - 56 - 60), card.footer, True, 32, top)
        palette = self.ramp(card.color)
        if photo is not None:
            indices, colours = photo
            image.paste(indices, (left, face_top), self.round_mask)  # its colours live after the ramp
            palette += colours
        image.paste(0, (0, 0, ROW_PREFIX, height))  # what was drawn left of the card is cut, as at any edge
        return PaintedCard(image, palette)

    def _stamp(self, image: Image.Image, xy: tuple[int, int], text: str, bold: bool, size: int, fill: int,
               anchor: str | None = None) -> None:
        """Draw a text that recurs across cards (subtitle, footer, initials) from its cached mask."""
        mask, (dx, dy) = self.text_mask(text, bold, size, anchor)
        image.paste(fill, (xy[0] + dx, xy[1] + dy), mask)


def _backdrop(site: str) -> Image.Image:
    """What every card of a site shows: stripes on the right and the site name, in a canvas with the
    filter column (`ROW_PREFIX`)."""
    from PIL import Image, ImageDraw

    width, height = SHARE_SIZE
    image = Image.new("L", (ROW_PREFIX + width, height), 0)
    draw = ImageDraw.Draw(image)
    # A quiet band of diagonal stripes on the right, in a lighter tone of the theme colour.
    for x in range(ROW_PREFIX + 980, ROW_PREFIX + width + height, 56):
        draw.line([(x, 0), (x - height, height)], fill=level(0.14), width=18)
    draw.rectangle([ROW_PREFIX, 0, ROW_PREFIX + 1010, height], fill=0)
    draw.text((ROW_PREFIX + 72, 60), site.upper(), font=font(True, 26), fill=GRADIENT - 1)
    return image


def _text_mask(text: str, bold: bool, size: int, anchor: str | None) -> tuple[Image.Image, tuple[int, int]]:
    """The coverage of `text` as an 'L' mask and where its corner goes relative to the anchor point.
    Pasting a colour through it blends exactly as `ImageDraw.text` does (the same fill routine)."""
    from PIL import Image, ImageDraw

    face = font(bold, size)
    left, upper, right, lower = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), text, font=face,
                                                                                 anchor=anchor)
    left, upper = int(left), int(upper)
    mask = Image.new("L", (max(1, int(right) - left), max(1, int(lower) - upper)), 0)
    ImageDraw.Draw(mask).text((-left, -upper), text, font=face, fill=255, anchor=anchor)
    return mask, (left, upper)


def _wrapped(text: str, bold: bool, size: int, width: int, max_lines: int) -> tuple[str, ...]:
    return tuple(wrap(text, font(bold, size), width, max_lines))


def _round_mask() -> Image.Image:
    from PIL import Image, ImageDraw

    mask = Image.new("L", (AVATAR, AVATAR), 0)
    ImageDraw.Draw(mask).ellipse([0, 0, AVATAR - 1, AVATAR - 1], fill=255)
    return mask


def _ramp(color: str) -> bytes:
    """PLTE entries of the ramp: the (accessible) theme colour at 0 to white at GRADIENT - 1."""
    top = GRADIENT - 1
    background = rgb(on_white_text(color or ""))
    return bytes(round(c + (255 - c) * v / top) for v in range(GRADIENT) for c in background)


def _photo(avatar: bytes) -> tuple[Image.Image, bytes] | None:
    """The avatar at 84x84 in 64 colours: an 'L' image of palette indices after the ramp (GRADIENT
    and up) and those colours' PLTE entries; None when it cannot be read. An author's articles share it."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(avatar)) as opened:
            photo = opened.convert("RGB").resize((AVATAR, AVATAR), Image.Resampling.LANCZOS)
        photo = photo.quantize(256 - GRADIENT, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    except Exception:  # an unreadable avatar only loses the picture, never the image
        return None
    indices = Image.frombytes("L", photo.size, photo.tobytes()).point(lambda v: v + GRADIENT)
    return indices, bytes((photo.getpalette() or [])[: 3 * (256 - GRADIENT)])
