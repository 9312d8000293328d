"""The image pipeline: content images resized for the places the theme shows them, and share images.

- Raster images (JPEG, PNG, GIF, WebP) referenced by content (`image` of themes and articles,
  `avatar` of authors, images in markdown) are cropped around their focal point and resized to the
  named sizes the presentation theme asks for (tile, card, hero, avatar, content), at 1x and 2x,
  in WebP and in the original format, for `srcset` and `width`/`height` attributes.
- SVG images pass through untouched (they scale by themselves); their size comes from the viewBox.
- Share images (1200x630 PNG, OpenGraph/Twitter) are drawn for every theme, article, SME and
  service without an image of its own, in the theme's colour, with fonts shipped in the theme.
Every result is cached by the hash of its inputs in `.themehub-cache/images/`, so a warm build does
no image work. Output bytes are deterministic: no timestamps, no metadata.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import struct
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import quote

import yaml

from themehub.colors import on_white_text, rgb
from themehub.config import Config
from themehub.content.model import Article, Author, Theme
from themehub.diagnostics import Diagnostic, error, line_in_body, warning
from themehub.hub.graph import Hub
from themehub.render.pool import WorkPool
from themehub.render.statics import atomic_write, cache_file, svg_warning
from themehub.render.templates import BUILTIN_THEMES
from themehub.sanitize.svg import sanitize_svg
from themehub.source.fields import parse_focus
from themehub.source.paths import LocalFile, PathProblem, is_external, locate, resolve_reference

PIPELINE_VERSION = "3"
RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "PNG", ".webp": "WEBP"}
OUTPUT_EXT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
SHARE_SIZE = (1200, 630)
ROW_PREFIX = 1
"""Share images are drawn one pixel to the right, in a canvas one pixel wider: its column 0 is the
filter type of each PNG row (0, None), so the canvas's bytes are the PNG's image data as they are."""


@dataclass(frozen=True, slots=True)
class ImageSize:
    name: str
    width: int
    height: int
    """0: keep the image's own aspect ratio."""


@dataclass(frozen=True, slots=True)
class Variant:
    """What a template needs to show one image at one named size."""

    src: str
    """Site-relative URL of the fallback (original format) at 1x."""
    width: int
    height: int
    srcset: str = ""
    """Fallback format candidates, site-relative URLs with `w` descriptors."""
    webp_srcset: str = ""


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image a content file refers to, and where (for diagnostics)."""

    url: str
    owner: str
    """The content file that refers to it."""
    line: int
    col: int
    focus: str = "center"


def svg_size(data: bytes) -> tuple[int, int]:
    head = data[:4096].decode("utf-8", "replace")
    box = re.search(r'viewBox\s*=\s*"\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)', head)
    if box:
        return round(float(box.group(1))), round(float(box.group(2)))
    w = re.search(r'\swidth\s*=\s*"([\d.]+)', head)
    h = re.search(r'\sheight\s*=\s*"([\d.]+)', head)
    return (round(float(w.group(1))), round(float(h.group(1)))) if w and h else (0, 0)


@dataclass
class ImagePipeline:
    config: Config
    sizes: dict[str, ImageSize]
    cache_dir: Path | None
    quality: int = 82
    process: bool = True
    """False for `check`: validate images, do no resizing."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    copies: dict[str, Path] = field(default_factory=dict)
    """Output path -> cached file, for the writer."""
    variants: dict[tuple[str, str], Variant] = field(default_factory=dict)
    work: int = 0
    """Images actually encoded this run (0 on a warm build)."""
    _temp: tempfile.TemporaryDirectory[str] | None = None
    _sources: dict[Path, tuple[bytes, str]] = field(default_factory=dict)
    _svgs: dict[str, tuple[str, bytes] | None] = field(default_factory=dict)
    """Site file of an SVG -> where it is published and its sanitized bytes (None: it cannot be)."""
    pending_shares: list[tuple[Path, dict[str, object]]] = field(default_factory=list)
    pending_resizes: list[tuple[str, tuple[float, float], int, tuple[tuple[int, int, str, str], ...]]] = field(
        default_factory=list)

    def __post_init__(self) -> None:
        if self.cache_dir is None:
            self._temp = tempfile.TemporaryDirectory(prefix="themehub-images-")
            self.cache_dir = Path(self._temp.name)

    def close(self) -> None:
        if self._temp is not None:
            self._temp.cleanup()

    # -- sources ----------------------------------------------------------------------------

    def resolve(self, ref: ImageRef) -> tuple[LocalFile, Path] | None:
        """The site file a body image names, by the one rule of source/paths.py, and its real path.
        None for an external image, or when the reference is unusable (a diagnostic says why)."""
        found = resolve_reference(ref.url, ref.owner, self.config.base_path)
        if found is None:
            return None
        if isinstance(found, PathProblem):
            self.diagnostics.append(error(ref.owner, ref.line, ref.col, found.code, f"image: {found.message}",
                                          found.hint))
            return None
        return self._locate(found, ref)

    def _locate(self, local: LocalFile, ref: ImageRef) -> tuple[LocalFile, Path] | None:
        real = locate(local, self.config.root)
        if isinstance(real, PathProblem):
            self.diagnostics.append(error(ref.owner, ref.line, ref.col, real.code,
                                          f"image '{_written(ref.url)}': {real.message}", real.hint))
            return None
        return local, real

    def _read(self, path: Path) -> tuple[bytes, str] | None:
        """Bytes and digest of a located file (read once per build)."""
        cached = self._sources.get(path)
        if cached is None:
            try:
                data = path.read_bytes()
            except OSError:
                return None
            cached = self._sources[path] = (data, hashlib.blake2b(data, digest_size=12).hexdigest())
        return cached

    def reference(self, ref: ImageRef, size: str) -> Variant | None:
        """A body image (`ref.url` as written) at the named size, made once per file and size."""
        found = self.resolve(ref)
        return self._variant(found[0], found[1], ref, size) if found is not None else None

    def reference_file(self, local: LocalFile, ref: ImageRef, size: str) -> Variant | None:
        """A front-matter image, already resolved to its site file by the content stage."""
        key = (local.rel, size)
        if key in self.variants:
            return self.variants[key]
        found = self._locate(local, ref)
        return self._variant(local, found[1], ref, size) if found is not None else None

    def _variant(self, local: LocalFile, path: Path, ref: ImageRef, size: str) -> Variant | None:
        """Resize (or publish) the located file at the named size, recording a diagnostic when it cannot
        be used. Keyed by the resolved file, so two folders' `photo.jpg` stay two pictures."""
        key = (local.rel, size)
        if key in self.variants:
            return self.variants[key]
        read = self._read(path)
        if read is None:
            self.diagnostics.append(error(ref.owner, ref.line, ref.col, "bad-image",
                                          f"image '{_written(ref.url)}' cannot be read",
                                          "check the file's permissions"))
            return None
        data, digest = read
        if local.suffix == ".svg":
            published = self._svg(local, data, ref)
            if published is None:
                return None
            rel, clean = published
            width, height = svg_size(clean)
            variant = Variant(quote(rel), width, height)
            self.variants[key] = variant
            return variant
        if local.suffix not in RASTER:
            self.diagnostics.append(error(ref.owner, ref.line, ref.col, "bad-image",
                                          f"image '{_written(ref.url)}' is not a JPEG, PNG, GIF, WebP or SVG file",
                                          "convert it to one of those formats"))
            return None
        focus = parse_focus(ref.focus) or (0.5, 0.5)
        try:
            variant = self._resize(data, digest, RASTER[local.suffix], self.sizes[size], focus, local.stem, path)
        except Exception as exc:  # Pillow raises many kinds for broken files; all mean "cannot use"
            self.diagnostics.append(error(ref.owner, ref.line, ref.col, "bad-image",
                                          f"image '{_written(ref.url)}' cannot be read: {type(exc).__name__}",
                                          "open and re-save it in an image editor"))
            return None
        self.variants[key] = variant
        return variant

    def _svg(self, local: LocalFile, data: bytes, ref: ImageRef) -> tuple[str, bytes] | None:
        """Where an SVG is published, and its sanitized bytes (once per file). One under static/ is
        published at its own address by the static copy, which sanitizes it and reports on it; one
        beside content is published under a name made of its sanitized bytes, never of the text of
        the reference."""
        if local.rel in self._svgs:
            return self._svgs[local.rel]
        svg = sanitize_svg(data)
        in_static = local.rel.startswith("static/")
        published: tuple[str, bytes] | None = None
        if svg.problem:
            if not in_static:
                self.diagnostics.append(error(ref.owner, ref.line, ref.col, "bad-image",
                                              f"image '{_written(ref.url)}' cannot be published: {svg.problem}",
                                              "re-export it from your drawing program as plain SVG"))
        elif in_static:
            published = local.rel.removeprefix("static/"), svg.data
        else:
            if svg.removed:
                self.diagnostics.append(svg_warning(local.rel, svg.removed))
            name = hashlib.blake2b(svg.data, digest_size=10).hexdigest()
            rel = f"images/_generated/{_file_stem(local.stem)}-{name}.svg"
            if self.process:
                assert self.cache_dir is not None
                self.copies[rel] = cache_file(self.cache_dir, "svg", svg.data, "svg")
            published = rel, svg.data
        self._svgs[local.rel] = published
        return published

    # -- resizing ---------------------------------------------------------------------------

    def _resize(self, data: bytes, digest: str, fmt: str, size: ImageSize, focus: tuple[float, float],
                stem: str, source: Path) -> Variant:
        """Plan the variants of one image at one size; missing ones are made by `queue_pending`."""
        from PIL import Image

        with Image.open(io.BytesIO(data)) as probe:
            source_w, source_h = probe.size
        target_w = min(size.width, source_w)
        if size.height:
            target_h = max(1, round(target_w * size.height / size.width))
        else:
            target_h = max(1, round(source_h * target_w / source_w))
        widths = [target_w] + ([2 * target_w] if 2 * target_w <= source_w else [])
        formats = [fmt] + (["WEBP"] if fmt != "WEBP" else [])
        urls: dict[str, list[tuple[str, int]]] = {f: [] for f in formats}
        missing: list[tuple[int, int, str, str]] = []
        for w in widths:
            h = max(1, round(w * target_h / target_w))
            for f in formats:
                name = f"{self._key(digest, size, focus, w, f)}.{OUTPUT_EXT[f]}"
                assert self.cache_dir is not None
                cached = self.cache_dir / name
                if self.process and not cached.exists():
                    missing.append((w, h, f, str(cached)))
                rel = f"images/_generated/{_file_stem(stem)}-{name}"
                if self.process:
                    self.copies[rel] = cached
                urls[f].append((rel, w))
        if missing:
            self.pending_resizes.append((str(source), focus, self.quality, tuple(missing)))
        fallback = urls[fmt]
        return Variant(
            fallback[0][0], target_w, target_h,
            ", ".join(f"{self.config.base_path}{u} {w}w" for u, w in fallback),
            ", ".join(f"{self.config.base_path}{u} {w}w" for u, w in urls.get("WEBP", [])) if fmt != "WEBP" else "",
        )

    def queue_pending(self, pool: WorkPool) -> None:
        """Queue the share images and variants not cached yet as background work of `pool`:
        pages only need their names, so they are made while pages render (`pool.wait`)."""
        resizes, self.pending_resizes = self.pending_resizes, []
        shares, self.pending_shares = self.pending_shares, []
        for job in resizes:  # the heavy ones first
            pool.background(_encode_variants, job)
        for target, options in shares:
            pool.background(_draw_to, (target, options))
        self.work += sum(len(job[3]) for job in resizes) + len(shares)

    def _key(self, digest: str, size: ImageSize, focus: tuple[float, float], width: int, fmt: str) -> str:
        from PIL import __version__ as pillow

        text = f"{PIPELINE_VERSION}:{pillow}:{digest}:{size.width}x{size.height}:{focus}:{width}:{fmt}:{self.quality}"
        return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()

    # -- share images -----------------------------------------------------------------------

    def share_image(self, kind: str, slug: str, *, title: str, subtitle: str, color: str, footer: str,
                    avatar: Path | None = None, initials: str = "") -> str:
        """Site-relative URL of a generated 1200x630 PNG."""
        avatar_bytes = self._read(avatar)[0] if avatar is not None and self._read(avatar) else b""
        inputs = "\0".join([PIPELINE_VERSION, kind, slug, title, subtitle, color, footer, self.config.title, initials])
        digest = hashlib.blake2b(inputs.encode() + avatar_bytes, digest_size=12).hexdigest()
        assert self.cache_dir is not None
        cached = self.cache_dir / f"share-{digest}.png"
        if self.process and not cached.exists():
            self.pending_shares.append((cached, {"title": title, "subtitle": subtitle, "color": color,
                                                 "footer": footer, "site": self.config.title,
                                                 "avatar": avatar_bytes, "initials": initials}))
        rel = f"share/{kind}/{slug}.png"
        if self.process:
            self.copies[rel] = cached
        return rel

    def digest(self) -> str:
        """Digest of every variant: pages must be rendered again when an image changes."""
        h = hashlib.blake2b(digest_size=16)
        for key in sorted(self.variants):
            h.update(repr((key, self.variants[key])).encode())
        return h.hexdigest()


def _encode_variants(job: tuple[str, tuple[float, float], int, tuple[tuple[int, int, str, str], ...]]) -> int:
    """Worker: decode one source once, then crop, resize and encode each missing variant."""
    from PIL import Image, ImageOps

    source, focus, quality, variants = job
    largest = max(w for w, _, _, _ in variants), max(h for _, h, _, _ in variants)
    with Image.open(source) as opened:
        if opened.format == "JPEG":
            opened.draft("RGB", (largest[0] * 2, largest[1] * 2))  # decode at a reduced scale: much faster
        image = ImageOps.exif_transpose(opened)
        image.load()
    for width, height, fmt, target in variants:
        frame = ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS, centering=focus)
        if fmt == "JPEG" and frame.mode not in ("RGB", "L"):
            frame = frame.convert("RGB")
        if fmt == "PNG" and frame.mode == "P":
            frame = frame.convert("RGBA")
        buffer = io.BytesIO()
        options: dict[str, object] = {"quality": quality} if fmt in ("JPEG", "WEBP") else {}
        if fmt == "WEBP":
            options["method"] = 4
        frame.save(buffer, fmt, **options)
        atomic_write(Path(target), buffer.getvalue())
    return len(variants)


def _draw_to(job: tuple[Path, dict[str, object]]) -> int:
    """Worker: draw one share image into the cache."""
    target, options = job
    atomic_write(target, draw_share_image(**options))  # type: ignore[arg-type]
    return 1


# ------------------------------------------------------------------------------------ drawing

FONTS = BUILTIN_THEMES / "default" / "fonts"


@functools.lru_cache(maxsize=32)
def _font(bold: bool, size: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    path = FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def wrap(text: str, font: object, width: int, max_lines: int) -> list[str]:
    """Greedy wrap by words; a word wider than the line (CJK has no spaces) wraps by character.
    Lengths are those of `font.getlength`, put together from cached pieces (`_extend`)."""
    from PIL import ImageFont

    assert isinstance(font, ImageFont.FreeTypeFont)
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
def _length(font: object, text: str) -> float:
    return font.getlength(text)  # type: ignore[attr-defined, no-any-return]


def _extend(font: object, length: float, last: str, text: str) -> float:
    """`font.getlength(s + text)` from `length`, that of `s`, and `last`, its last character: with the
    basic layout a length is the sum of the characters' advances and of the kerning of each adjacent
    pair, all multiples of 1/64 (exact in a float). Words and pairs recur: their lengths are cached."""
    first = text[0]
    kerning = _length(font, last + first) - _length(font, last) - _length(font, first)
    return length + kerning + _length(font, text)


GRADIENT = 192
"""Palette entries for the theme colour -> white ramp; the other 64 hold the avatar's colours."""
SHARE_ZLIB_LEVEL = 3
"""zlib level of share PNGs. Measured on 300 cards: 1 and 2 are no faster (within 0.1 ms a card)
for files 10-25% larger; 4 costs 0.7 ms a card more, 6 nearly 2 ms, for files 0-17% smaller."""


def draw_share_image(*, title: str, subtitle: str, color: str, footer: str, site: str, avatar: bytes,
                     initials: str = "") -> bytes:
    """A 1200x630 PNG. Drawn as levels of one ramp (theme colour -> white) in an 8-bit image, so
    encoding needs no colour quantization, with 64 entries left for a photo.

    What recurs from card to card is made once per process and reused: the backdrop (stripes and
    site name, `_backdrop`), the masks of subtitles, footers and initials (`_stamp`), wrapped
    subtitles, the avatar in 64 colours, the palette, and the deflated bands of backdrop rows
    (`_png`). Only the title is laid out and drawn for each card. The pixels are those of drawing
    everything on a blank image every time."""
    from PIL import ImageDraw

    height = SHARE_SIZE[1]
    top = GRADIENT - 1
    image = _backdrop(site).copy()
    draw = ImageDraw.Draw(image)
    margin = 72
    text_width = 1010 - 2 * margin
    left = ROW_PREFIX + margin
    title_font = _font(True, 64)
    y = 140
    for line in wrap(title, title_font, text_width, 3):
        draw.text((left, y), line, font=title_font, fill=top)
        y += 78
    if subtitle:
        for line in _wrapped(subtitle, False, 32, text_width, 2):
            _stamp(image, (left, y + 16), line, False, 32, _level(0.9))
            y += 42
    face_top = height - 84 - 56
    x = left
    photo = _photo(avatar) if footer and avatar else None
    if photo is not None:
        x = left + 84 + 24
    if footer and photo is None and initials:
        draw.ellipse([left, face_top, left + 83, face_top + 83], fill=_level(0.14))
        _stamp(image, (left + 42, face_top + 42), initials, True, 32, top, "mm")
        x = left + 84 + 24
    if footer:
        _stamp(image, (x, height - 56 - 60), footer, True, 32, top)
    palette = _ramp(color)
    if photo is not None:
        indices, colours = photo
        image.paste(indices, (left, face_top), _round_mask())  # its colours live after the ramp
        palette += colours
    return _png(image, palette, site)


@functools.lru_cache(maxsize=64)
def _photo(avatar: bytes):  # type: ignore[no-untyped-def]
    """The avatar at 84x84 in 64 colours: an 'L' image of palette indices after the ramp (GRADIENT
    and up) and those colours' PLTE entries; None when it cannot be read. An author's articles share it."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(avatar)) as opened:
            photo = opened.convert("RGB").resize((84, 84), Image.Resampling.LANCZOS)
        photo = photo.quantize(256 - GRADIENT, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    except Exception:  # an unreadable avatar only loses the picture, never the image
        return None
    indices = Image.frombytes("L", photo.size, photo.tobytes()).point(lambda v: v + GRADIENT)
    return indices, bytes((photo.getpalette() or [])[: 3 * (256 - GRADIENT)])


def _level(fraction: float) -> int:
    """The ramp entry `fraction` of the way from the theme colour to white."""
    return round((GRADIENT - 1) * fraction)


@functools.lru_cache(maxsize=8)
def _backdrop(site: str):  # type: ignore[no-untyped-def]
    """What every card of a site shows: stripes on the right and the site name, in a canvas with the
    filter column (`ROW_PREFIX`). Cards draw on a copy: this one is never changed."""
    from PIL import Image, ImageDraw

    width, height = SHARE_SIZE
    image = Image.new("L", (ROW_PREFIX + width, height), 0)
    draw = ImageDraw.Draw(image)
    # A quiet band of diagonal stripes on the right, in a lighter tone of the theme colour.
    for x in range(ROW_PREFIX + 980, ROW_PREFIX + width + height, 56):
        draw.line([(x, 0), (x - height, height)], fill=_level(0.14), width=18)
    draw.rectangle([ROW_PREFIX, 0, ROW_PREFIX + 1010, height], fill=0)
    draw.text((ROW_PREFIX + 72, 60), site.upper(), font=_font(True, 26), fill=GRADIENT - 1)
    return image


@functools.lru_cache(maxsize=256)
def _text_mask(text: str, bold: bool, size: int, anchor: str | None):  # type: ignore[no-untyped-def]
    """The coverage of `text` as an 'L' mask and where its corner goes relative to the anchor point.
    Pasting a colour through it blends exactly as `ImageDraw.text` does (the same fill routine)."""
    from PIL import Image, ImageDraw

    font = _font(bold, size)
    left, upper, right, lower = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), text, font=font,
                                                                                 anchor=anchor)
    left, upper = int(left), int(upper)
    mask = Image.new("L", (max(1, int(right) - left), max(1, int(lower) - upper)), 0)
    ImageDraw.Draw(mask).text((-left, -upper), text, font=font, fill=255, anchor=anchor)
    return mask, (left, upper)


def _stamp(image, xy: tuple[int, int], text: str, bold: bool, size: int, level: int,  # type: ignore[no-untyped-def]
           anchor: str | None = None) -> None:
    """Draw a text that recurs across cards (subtitle, footer, initials) from its cached mask."""
    mask, (dx, dy) = _text_mask(text, bold, size, anchor)
    image.paste(level, (xy[0] + dx, xy[1] + dy), mask)


@functools.lru_cache(maxsize=256)
def _wrapped(text: str, bold: bool, size: int, width: int, max_lines: int) -> tuple[str, ...]:
    return tuple(wrap(text, _font(bold, size), width, max_lines))


@functools.lru_cache(maxsize=1)
def _round_mask():  # type: ignore[no-untyped-def]
    from PIL import Image, ImageDraw

    mask = Image.new("L", (84, 84), 0)
    ImageDraw.Draw(mask).ellipse([0, 0, 83, 83], fill=255)
    return mask


@functools.lru_cache(maxsize=64)
def _ramp(color: str) -> bytes:
    """PLTE entries of the ramp: the (accessible) theme colour at 0 to white at GRADIENT - 1."""
    top = GRADIENT - 1
    background = rgb(on_white_text(color or ""))
    return bytes(round(c + (255 - c) * v / top) for v in range(GRADIENT) for c in background)


def _png(pixels, palette: bytes, site: str) -> bytes:  # type: ignore[no-untyped-def]
    """An 8-bit indexed PNG of the card `pixels` ('L', values are palette indices, drawn after the
    filter column `ROW_PREFIX`): IHDR, PLTE, one IDAT, IEND; rows unfiltered (flat areas deflate well
    as they are), no metadata, so deterministic. Written here rather than by Pillow's encoder, which
    is slower for the same pixels (it deflates row by row).

    Most rows of a card are rows of its site's backdrop. The image data is deflated in bands of rows,
    each flushed to a byte boundary with a fresh history (Z_FULL_FLUSH): a band equal to the
    backdrop's reuses that band's deflated bytes (`_backdrop_bands`), and only the bands the texts
    touch are deflated again. The Adler-32 of the whole data is put together from the bands'."""
    width, height = pixels.width - ROW_PREFIX, pixels.height
    pixels.paste(0, (0, 0, ROW_PREFIX, height))  # what was drawn left of the card is cut, as at any edge
    raw = pixels.tobytes()
    view = memoryview(raw)
    deflater = zlib.compressobj(SHARE_ZLIB_LEVEL, zlib.DEFLATED, -15)  # raw deflate: header and adler are ours
    parts = [b"\x78\x5e"]  # zlib header: 32K window, default compression
    adler = 1
    changed = -1  # start of the run of changed bands being collected
    for offset, band, deflated, band_adler in _backdrop_bands(site):
        if raw.startswith(band, offset):
            if changed >= 0:
                adler = _deflate_run(deflater, view[changed:offset], parts, adler)
                changed = -1
            parts.append(deflated)
            adler = _adler32_combine(adler, band_adler, len(band))
        elif changed < 0:
            changed = offset
    if changed >= 0:
        adler = _deflate_run(deflater, view[changed:], parts, adler)
    parts.append(deflater.flush())
    parts.append(struct.pack(">I", adler))
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8-bit, indexed colour
    return b"".join((b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header), _chunk(b"PLTE", palette),
                     _chunk(b"IDAT", b"".join(parts)), _chunk(b"IEND", b"")))


SHARE_BAND_ROWS = 21
"""Rows per band of `_png` (30 bands): smaller bands deflate fewer rows again but add blocks; 21 was
the fastest of 9, 14, 21, 30 and 45 on 300 cards, and the smallest files but one."""


@functools.lru_cache(maxsize=8)
def _backdrop_bands(site: str) -> tuple[tuple[int, bytes, bytes, int], ...]:
    """(offset, raw bytes, deflated bytes, Adler-32) of each band of rows of the site's backdrop, the
    deflated bytes ending at a byte boundary with a fresh history, as `_png` needs them to splice."""
    backdrop = _backdrop(site)
    raw = backdrop.tobytes()
    stride = backdrop.width * SHARE_BAND_ROWS
    bands = []
    for offset in range(0, len(raw), stride):
        band = raw[offset:offset + stride]
        deflater = zlib.compressobj(SHARE_ZLIB_LEVEL, zlib.DEFLATED, -15)
        bands.append((offset, band, deflater.compress(band) + deflater.flush(zlib.Z_FULL_FLUSH), zlib.adler32(band)))
    return tuple(bands)


def _deflate_run(deflater, data: memoryview, parts: list[bytes], adler: int) -> int:  # type: ignore[no-untyped-def]
    """Deflate a run of changed bands into `parts`; the Adler-32 so far, continued over them."""
    parts.append(deflater.compress(data))
    parts.append(deflater.flush(zlib.Z_FULL_FLUSH))  # byte boundary, no reference to earlier rows
    return zlib.adler32(data, adler)


def _adler32_combine(first: int, second: int, length: int) -> int:
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


DEFAULT_SIZES = (
    ImageSize("tile", 640, 400),
    ImageSize("card", 480, 270),
    ImageSize("hero", 1200, 600),
    ImageSize("avatar", 160, 160),
    ImageSize("content", 800, 0),
)


def image_sizes(config: Config, theme_folders: Iterable[Path]) -> dict[str, ImageSize]:
    """Built-in sizes, then a presentation theme's `theme.yaml` (`image_sizes: {name: [w, h]}`),
    then `images.sizes` of themehub.yaml: each may add sizes or change them."""
    sizes = {s.name: s for s in DEFAULT_SIZES}
    allowed = (config.root.resolve(), BUILTIN_THEMES.resolve())
    for folder in reversed(list(theme_folders)):
        manifest = folder / "theme.yaml"
        # A manifest that is a link out of the site is never read (theme files are untrusted too).
        if manifest.is_file() and any(manifest.resolve().is_relative_to(root) for root in allowed):
            try:
                raw = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
                for name, (width, height) in dict(raw.get("image_sizes") or {}).items():
                    sizes[str(name)] = ImageSize(str(name), int(width), int(height or 0))
            except (yaml.YAMLError, OSError, TypeError, ValueError, AttributeError):
                continue  # a broken theme manifest keeps the built-in sizes
    for name, width, height in config.image_sizes:
        sizes[name] = ImageSize(name, width, height)
    return sizes


# ------------------------------------------------------------------------------ the render stage

_IMG = re.compile(r'<img\b[^>]*>')
_ATTR = re.compile(r'\s([a-zA-Z-]+)="([^"]*)"')


def plan_and_share(pipeline: ImagePipeline, hub: Hub) -> dict[tuple[str, str], str]:
    """Plan the variants of every front-matter image for the sizes its places need, and a share
    image for each item without one (`queue_pending` hands them to the pool). Returns (kind, slug) -> share-image
    URL (site-relative)."""
    config = hub.config
    share: dict[tuple[str, str], str] = {}

    def reference(item: Article | Theme | Author, key: str, value: str, size: str, focus: str = "center") -> None:
        local = front_matter_file(value)
        if local is not None:
            line, col = item.position(key)
            pipeline.reference_file(local, ImageRef(value, item.source, line, col, focus), size)

    def alt_missing(item: Article | Theme, key: str) -> None:
        if not item.image_alt:
            line, col = item.position(key)
            pipeline.diagnostics.append(warning(item.source, line, col, "missing-alt",
                                                f"'{key}' has no image_alt", "describe the picture in `image_alt`"))

    for theme in hub.themes_ordered:
        if theme.image:
            alt_missing(theme, "image")
            for size in ("tile", "hero"):
                reference(theme, "image", theme.image, size, theme.image_focus)
    for article in (*hub.articles, *hub.archived):
        if article.image:
            alt_missing(article, "image")
            for size in ("card", "hero"):
                reference(article, "image", article.image, size, article.image_focus)
    for author in hub.authors_ordered:
        if author.avatar:
            reference(author, "avatar", author.avatar, "avatar")
    if not config.share_images:
        return share

    def color_of(slugs: Iterable[str]) -> str:
        return next((hub.theme_by_slug[s].color for s in slugs if s in hub.theme_by_slug and
                     hub.theme_by_slug[s].color), "")

    def needs_share(image: str) -> bool:
        # Social networks do not show SVG: an item whose only picture is an SVG gets one drawn.
        return not image or image.lower().split("?")[0].endswith(".svg")

    for theme in hub.themes_ordered:
        if needs_share(theme.image):
            share[("themes", theme.slug)] = pipeline.share_image(
                "themes", theme.slug, title=theme.title, subtitle=theme.tagline, color=theme.color,
                footer=f"{len(hub.theme_articles[theme.slug])} pieces")
    for article in (*hub.articles, *hub.archived):
        if not needs_share(article.image):
            continue
        authors = [hub.author_by_slug[r.slug] for r in article.authors if r.slug in hub.author_by_slug]
        theme = hub.primary_theme(article)
        avatar = _raster(authors[0].avatar, hub.config.root) if authors else None
        share[("articles", article.slug)] = pipeline.share_image(
            "articles", article.slug, title=article.title, subtitle=theme.tagline if theme else "",
            color=color_of(r.slug for r in article.themes), footer=", ".join(a.name for a in authors),
            avatar=avatar, initials=_initials(authors[0].name) if authors else "")
    for author in hub.authors_ordered:
        avatar = _raster(author.avatar, hub.config.root)
        share[("authors", author.slug)] = pipeline.share_image(
            "authors", author.slug, title=author.name,
            subtitle=", ".join(x for x in (author.role, author.company) if x),
            color=color_of(r.slug for r in author.expertise), footer=author.name,
            avatar=avatar, initials=_initials(author.name))
    for service in hub.services_ordered:
        offering = [t.slug for t in hub.themes_ordered if service in hub.theme_services[t.slug]]
        share[("services", service.slug)] = pipeline.share_image(
            "services", service.slug, title=service.title, subtitle=service.summary, color=color_of(offering),
            footer=service.cta_label)
    return share


def front_matter_file(value: str) -> LocalFile | None:
    """The site file a front-matter image field names: the content stage stored it resolved
    ('static/images/x.jpg'); an external URL names none."""
    return LocalFile(value) if value and not is_external(value) else None


def _raster(value: str, root: Path) -> Path | None:
    """The real file of an avatar for share images, when it is a usable raster image of the site."""
    local = front_matter_file(value)
    if local is None or local.suffix not in RASTER:
        return None
    real = locate(local, root)
    return real if isinstance(real, Path) else None


def _written(text: str, limit: int = 80) -> str:
    """A reference as the author wrote it, shortened for a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _file_stem(stem: str) -> str:
    """A file's stem as part of a generated file name: letters, digits and '-' only."""
    return re.sub(r"[^a-z0-9]+", "-", stem.lower())[:40].strip("-") or "image"  # ASCII: a URL as it is


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper()


def responsive_body_images(html: str, owner: str, pipeline: ImagePipeline, body: str = "", body_line: int = 1) -> str:
    """Give markdown and raw-HTML images their size, srcset and a WebP source (`content` size). Each
    `src` is resolved by the one rule of source/paths.py; an image it cannot use is reported."""
    base = pipeline.config.base_path

    def replace(match: re.Match[str]) -> str:
        attrs = dict(_ATTR.findall(match.group(0)))
        src = unescape(attrs.get("src", ""))
        if not src or "srcset" in attrs:
            return match.group(0)
        written = src.removeprefix(base) if src.startswith(base) and base != "/" else src.lstrip("/")
        line = line_in_body(body, body_line, written)
        variant = pipeline.reference(ImageRef(src, owner, line, 1), "content")
        if variant is None:
            return match.group(0)
        attrs.update({"src": base + variant.src, "width": str(variant.width), "height": str(variant.height),
                      "loading": "lazy", "decoding": "async"})
        if variant.srcset:
            attrs["srcset"] = variant.srcset
            attrs["sizes"] = f"(max-width: {variant.width}px) 100vw, {variant.width}px"
        img = "<img" + "".join(f' {k}="{v}"' for k, v in attrs.items()) + ">"
        if not variant.webp_srcset:
            return img
        sizes = attrs.get("sizes", "100vw")
        return f'<picture><source type="image/webp" srcset="{variant.webp_srcset}" sizes="{sizes}">{img}</picture>'

    return _IMG.sub(replace, html) if "<img" in html else html
