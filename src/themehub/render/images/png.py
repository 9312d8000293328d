"""A hand-written encoder of 8-bit indexed PNGs, for images that mostly repeat a known backdrop.

Written here rather than left to Pillow's encoder, which is slower for the same pixels (it deflates
row by row, and deflates the whole image every time): see bench/share_png.py for the figures.

The image data is deflated in bands of rows, each flushed to a byte boundary with a fresh history
(Z_FULL_FLUSH). A band equal to the backdrop's reuses that band's deflated bytes (`deflate_bands`,
made once per backdrop), and only the bands that differ are deflated again. The Adler-32 of the
whole data is put together from the bands'. No metadata: the bytes depend on the pixels only.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

ZLIB_LEVEL = 3
"""zlib level. Measured on 300 share cards: 1 and 2 are no faster (within 0.1 ms a card) for files
10-25% larger; 4 costs 0.7 ms a card more, 6 nearly 2 ms, for files 0-17% smaller."""
ZLIB_HEADER = b"\x78\x5e"
"""zlib header: 32K window, the level hint of levels 2 to 5 (the deflate itself is raw: ours)."""
BAND_ROWS = 21
"""Rows per band (30 bands in a 630-row share card): smaller bands deflate fewer rows again but add
blocks; 21 was the fastest of 9, 14, 21, 30 and 45 on 300 cards, and the smallest files but one."""
SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class Band:
    """A band of rows of the backdrop, and its deflated bytes, ready to splice."""

    offset: int
    """Where the band starts in the image data."""
    raw: bytes
    deflated: bytes
    """Raw deflate ending at a byte boundary with a fresh history: valid after any other band."""
    adler: int


def deflate_bands(rows: bytes, row_bytes: int) -> tuple[Band, ...]:
    """The backdrop's image data (`rows`: each row its filter byte, then its pixels, `row_bytes` in
    all) cut into bands of `BAND_ROWS` rows, each deflated on its own."""
    stride = row_bytes * BAND_ROWS
    bands = []
    for offset in range(0, len(rows), stride):
        band = rows[offset:offset + stride]
        deflater = zlib.compressobj(ZLIB_LEVEL, zlib.DEFLATED, -15)
        bands.append(Band(offset, band, deflater.compress(band) + deflater.flush(zlib.Z_FULL_FLUSH),
                          zlib.adler32(band)))
    return tuple(bands)


def indexed_png(rows: bytes, width: int, height: int, palette: bytes, backdrop: tuple[Band, ...]) -> bytes:
    """An 8-bit indexed PNG: IHDR, PLTE, one IDAT, IEND. `rows` is the image data as it goes into
    IDAT before deflating (each row a filter byte, then `width` palette indices); `backdrop` are the
    bands of an image of the same size whose deflated bytes are reused where `rows` equal them."""
    view = memoryview(rows)
    deflater = zlib.compressobj(ZLIB_LEVEL, zlib.DEFLATED, -15)  # raw deflate: header and adler are ours
    parts = [ZLIB_HEADER]
    adler = 1
    changed = -1  # start of the run of changed bands being collected
    for band in backdrop:
        if rows.startswith(band.raw, band.offset):
            if changed >= 0:
                adler = _deflate_run(deflater, view[changed:band.offset], parts, adler)
                changed = -1
            parts.append(band.deflated)
            adler = adler32_combine(adler, band.adler, len(band.raw))
        elif changed < 0:
            changed = band.offset
    if changed >= 0:
        adler = _deflate_run(deflater, view[changed:], parts, adler)
    parts.append(deflater.flush())
    parts.append(struct.pack(">I", adler))
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8-bit, indexed colour
    return b"".join((SIGNATURE, _chunk(b"IHDR", header), _chunk(b"PLTE", palette),
                     _chunk(b"IDAT", b"".join(parts)), _chunk(b"IEND", b"")))


def _deflate_run(deflater: zlib._Compress, data: memoryview, parts: list[bytes], adler: int) -> int:
    """Deflate a run of changed bands into `parts`; the Adler-32 so far, continued over them."""
    parts.append(deflater.compress(data))
    parts.append(deflater.flush(zlib.Z_FULL_FLUSH))  # byte boundary, no reference to earlier rows
    return zlib.adler32(data, adler)


def adler32_combine(first: int, second: int, length: int) -> int:
    """Adler-32 of A+B from those of A and B and the length of B (zlib's adler32_combine)."""
    base = 65521
    rem = length % base
    low = first & 0xFFFF
    high = (rem * low) % base
    low = (low + (second & 0xFFFF) + base - 1) % base
    high = (high + (first >> 16) + (second >> 16) + base - rem) % base
    return low | (high << 16)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
