"""Share images (Open Graph cards) drawn the fast way: cached backdrop, text masks and deflated bands,
a PNG written by hand. Readers' cards must not change: valid PNG, same size, text, colours, wrapping,
the pixels of drawing everything afresh, and the same bytes for the same input."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageChops, ImageDraw

from themehub.colors import on_white_text, rgb
from themehub.render.images import share_cards
from themehub.render.images.png import adler32_combine
from themehub.render.images.share_cards import GRADIENT, draw_share_image
from themehub.render.images.text import font as _font
from themehub.render.images.text import wrap

CARD = {"title": "How we cut the cloud bill by a third without slowing teams down",
        "subtitle": "Spend less on cloud, learn more from it", "color": "#0f766e", "footer": "Maya Okafor",
        "site": "Acme Insights", "avatar": b"", "initials": "MO"}
TITLE_BOX = (60, 130, 1000, 400)
"""Where title lines go: from y=140, three lines 78 apart, left margin 72, 866 wide."""


def draw(**changes: object) -> bytes:
    return draw_share_image(**{**CARD, **changes})  # type: ignore[arg-type]


def rgb_image(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    found, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0] == zlib.crc32(kind + body)
        found.append((kind, body))
        pos += 12 + length
    return found


def clear_caches() -> None:
    share_cards.clear_caches()


def photo_bytes() -> bytes:
    picture = Image.new("RGB", (120, 120))
    ImageDraw.Draw(picture).rectangle([0, 0, 59, 119], fill=(220, 40, 40))
    ImageDraw.Draw(picture).rectangle([60, 0, 119, 119], fill=(250, 200, 30))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def test_card_is_a_valid_1200x630_png() -> None:
    data = draw()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (1200, 630) and image.mode == "P"
        image.verify()
    kinds = [kind for kind, _ in chunks(data)]  # every CRC checked
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"PLTE" in kinds and b"IDAT" in kinds
    idat = b"".join(body for kind, body in chunks(data) if kind == b"IDAT")
    rows = zlib.decompress(idat)  # checks the Adler-32 put together from the bands
    assert len(rows) == 630 * 1201 and all(rows[y * 1201] == 0 for y in range(630))


def test_title_pixels_are_drawn_and_only_where_the_title_goes() -> None:
    # (no subtitle: it moves up when there is no title)
    with_title, without = rgb_image(draw(subtitle="")), rgb_image(draw(title="", subtitle=""))
    box = ImageChops.difference(with_title, without).getbbox()
    assert box is not None  # the title is there
    assert TITLE_BOX[0] <= box[0] and box[2] <= TITLE_BOX[2] and TITLE_BOX[1] <= box[1] and box[3] <= TITLE_BOX[3]
    # anti-aliased: edges of the letters blend the text colour into the background
    assert len(with_title.crop(box).getcolors(4096) or []) > 8


def test_theme_colour_and_white_text_appear() -> None:
    for colour in ("#0f766e", "#fde047", "#7c3aed", ""):
        image = rgb_image(draw(color=colour))
        colours = {c: n for n, c in image.getcolors(1200 * 630) or []}
        background = rgb(on_white_text(colour))
        assert max(colours, key=colours.__getitem__) == background  # the card is in the theme's colour
        assert colours.get((255, 255, 255), 0) > 1000  # white title, site name, footer
    assert rgb_image(draw(color="#0f766e")).getpixel((20, 20)) != rgb_image(draw(color="#7c3aed")).getpixel((20, 20))


def test_same_input_gives_the_same_bytes_whatever_was_drawn_before() -> None:
    first = draw()
    assert draw() == first
    draw(title="Another card entirely", subtitle="Other words", footer="Sam Whitfield", initials="SW", color="#b91c1c")
    assert draw() == first
    clear_caches()  # a fresh worker process
    assert draw() == first


def test_pixels_are_those_of_drawing_everything_afresh() -> None:
    """The card as drawn before the caches: every piece drawn on a blank image with ImageDraw."""
    for card in (CARD, {**CARD, "title": "Привет, мир: облачные затраты " * 3, "subtitle": "", "initials": ""},
                 {**CARD, "footer": "", "site": "Hub"}):
        width, height = 1200, 630
        ramp_top = GRADIENT - 1
        reference = Image.new("L", (width, height), 0)
        pen = ImageDraw.Draw(reference)
        for x in range(980, width + height, 56):
            pen.line([(x, 0), (x - height, height)], fill=round(ramp_top * 0.14), width=18)
        pen.rectangle([0, 0, 1010, height], fill=0)
        pen.text((72, 60), str(card["site"]).upper(), font=_font(True, 26), fill=ramp_top)
        y = 140
        for line in wrap(str(card["title"]), _font(True, 64), 866, 3):
            pen.text((72, y), line, font=_font(True, 64), fill=ramp_top)
            y += 78
        for line in wrap(str(card["subtitle"]), _font(False, 32), 866, 2) if card["subtitle"] else []:
            pen.text((72, y + 16), line, font=_font(False, 32), fill=round(ramp_top * 0.9))
            y += 42
        x = 72
        if card["footer"] and card["initials"]:
            pen.ellipse([72, 490, 155, 573], fill=round(ramp_top * 0.14))
            pen.text((114, 532), str(card["initials"]), font=_font(True, 32), fill=ramp_top, anchor="mm")
            x = 180
        if card["footer"]:
            pen.text((x, 514), str(card["footer"]), font=_font(True, 32), fill=ramp_top)
        base = rgb(on_white_text(str(card["color"])))
        indexed = reference.convert("P")
        indexed.putpalette([round(c + (255 - c) * v / ramp_top) for v in range(GRADIENT) for c in base])
        expected = indexed.convert("RGB")
        assert rgb_image(draw_share_image(**card)).tobytes() == expected.tobytes()  # type: ignore[arg-type]


def test_long_title_wraps_inside_the_image() -> None:
    long_title = "A very long title about cloud economics and platform engineering " * 6
    lines = wrap(long_title, _font(True, 64), 866, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    card = rgb_image(draw(title=long_title, subtitle="", footer=""))
    blank = rgb_image(draw(title="", subtitle="", footer=""))
    box = ImageChops.difference(card, blank).getbbox()
    assert box is not None
    assert box[0] >= 60 and box[2] <= 72 + 866 + 4 and box[3] <= 140 + 3 * 78 + 20  # three lines, in the column
    cjk = rgb_image(draw(title="雲のコストを事業の成果に結びつけるための実践的なガイドと十のヒント" * 3, subtitle="", footer=""))
    box = ImageChops.difference(cjk, blank).getbbox()
    assert box is not None and box[2] <= 72 + 866 + 4


@pytest.mark.parametrize("text", [
    "A very long title " * 12, "AVATAR Type Wave LT «quotes» — dashes, fi ff", "雲のコストを事業の成果に結びつけるための実践的なガイド",
    "Supercalifragilisticexpialidocious-and-then-some-more-without-any-spaces-at-all", "Привет, мир: облачные затраты", "",
])
@pytest.mark.parametrize(("bold", "size", "width"), [(True, 64, 866), (False, 32, 866), (True, 64, 300), (True, 32, 40)])
def test_wrap_measures_exactly_as_getlength(text: str, bold: bool, size: int, width: int) -> None:
    font = _font(bold, size)

    def reference(text: str) -> list[str]:  # the wrap measuring every candidate line with getlength
        pieces: list[tuple[str, bool]] = []
        for word in text.split():
            if font.getlength(word) <= width:
                pieces.append((word, True))
                continue
            chunk, first = "", True
            for ch in word:
                if chunk and font.getlength(chunk + ch) > width:
                    pieces.append((chunk, first))
                    chunk, first = "", False
                chunk += ch
            pieces.append((chunk, first))
        lines, line = [], ""
        for piece, spaced in pieces:
            candidate = (line + (" " if spaced else "") + piece) if line else piece
            if line and font.getlength(candidate) > width:
                lines.append(line)
                line = piece
            else:
                line = candidate
        return [*lines, line] if line else lines

    expected = reference(text)
    if len(expected) > 3:
        assert wrap(text, font, width, 3)[:2] == expected[:2]
    else:
        assert wrap(text, font, width, 3) == expected


def test_adler32_of_bands_is_that_of_the_whole() -> None:
    first, second = bytes(range(256)) * 300, b"\xff" * 70000 + b"share"
    combined = adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second))
    assert combined == zlib.adler32(first + second)


def test_avatar_colours_are_kept_and_a_broken_avatar_falls_back_to_initials() -> None:
    with_photo = rgb_image(draw(avatar=photo_bytes()))
    face = with_photo.crop((72, 490, 156, 574))
    colours = {c for _, c in face.getcolors(84 * 84) or []}
    assert any(r > 200 and g < 80 for r, g, _ in colours) and any(r > 200 and g > 180 and b < 80 for r, g, b in colours)
    assert draw(avatar=photo_bytes()) == draw(avatar=photo_bytes())
    broken = draw(avatar=b"not an image")
    assert broken == draw(avatar=b"")  # initials in their circle, as without an avatar
