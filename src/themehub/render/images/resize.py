"""Resized variants of raster images: which files one image at one named size needs (1x and 2x, in
its own format and in WebP), their names in the image cache, and the worker that makes the missing ones.

A variant's file is named by the hash of everything its bytes depend on, so a file in the cache is
never made again, and a warm build plans every variant without decoding a pixel.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from themehub.render.images.records import PIPELINE_VERSION, Variant, file_stem
from themehub.render.images.sizes import ImageSize
from themehub.render.statics import atomic_write

RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "PNG", ".webp": "WEBP"}
"""Suffix -> the format its variants keep (a GIF's are PNGs: only its first frame is shown)."""
OUTPUT_EXT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True, slots=True)
class VariantFile:
    """One file to make: the source cropped and resized to `width` x `height`, in `format`."""

    width: int
    height: int
    format: str
    target: str
    """Where it goes in the image cache."""


@dataclass(frozen=True, slots=True)
class ResizeJob:
    """The missing variants of one source file (background work of the render pool): one decode."""

    source: str
    focus: tuple[float, float]
    quality: int
    files: tuple[VariantFile, ...]


@dataclass(frozen=True, slots=True)
class ResizePlan:
    variant: Variant
    copies: tuple[tuple[str, Path], ...]
    """(output path, cached file) of every file of the variant, to publish (none for `check`)."""
    job: ResizeJob | None
    """The files not in the cache yet, if any."""


@dataclass(frozen=True, slots=True)
class VariantPlanner:
    cache_dir: Path
    quality: int
    base_path: str
    process: bool
    """False for `check`: name the variants, plan no files."""

    def plan(self, data: bytes, digest: str, fmt: str, size: ImageSize, focus: tuple[float, float], stem: str,
             source: Path) -> ResizePlan:
        """The variants of one image (`data`, whose digest is `digest`) at one size. Pillow raises
        for an image it cannot read (the caller reports it)."""
        from PIL import Image

        with Image.open(io.BytesIO(data)) as probe:
            source_w, source_h = probe.size
        target_w = min(size.width, source_w)
        if size.height:
            target_h = max(1, round(target_w * size.height / size.width))
        else:
            target_h = max(1, round(source_h * target_w / source_w))
        widths = [target_w] + ([2 * target_w] if 2 * target_w <= source_w else [])  # never enlarged
        formats = [fmt] + (["WEBP"] if fmt != "WEBP" else [])
        urls: dict[str, list[tuple[str, int]]] = {f: [] for f in formats}
        copies: list[tuple[str, Path]] = []
        missing: list[VariantFile] = []
        for w in widths:
            h = max(1, round(w * target_h / target_w))
            for f in formats:
                name = f"{self._key(digest, size, focus, w, f)}.{OUTPUT_EXT[f]}"
                cached = self.cache_dir / name
                if self.process and not cached.exists():
                    missing.append(VariantFile(w, h, f, str(cached)))
                rel = f"images/_generated/{file_stem(stem)}-{name}"
                if self.process:
                    copies.append((rel, cached))
                urls[f].append((rel, w))
        job = ResizeJob(str(source), focus, self.quality, tuple(missing)) if missing else None
        fallback = urls[fmt]
        variant = Variant(
            fallback[0][0], target_w, target_h,
            ", ".join(f"{self.base_path}{u} {w}w" for u, w in fallback),
            ", ".join(f"{self.base_path}{u} {w}w" for u, w in urls.get("WEBP", [])) if fmt != "WEBP" else "",
        )
        return ResizePlan(variant, tuple(copies), job)

    def _key(self, digest: str, size: ImageSize, focus: tuple[float, float], width: int, fmt: str) -> str:
        from PIL import __version__ as pillow

        text = f"{PIPELINE_VERSION}:{pillow}:{digest}:{size.width}x{size.height}:{focus}:{width}:{fmt}:{self.quality}"
        return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()


def encode_variants(job: ResizeJob) -> int:
    """Worker: decode one source once, then crop, resize and encode each missing variant."""
    from PIL import Image, ImageOps

    largest = max(v.width for v in job.files), max(v.height for v in job.files)
    with Image.open(job.source) as opened:
        if opened.format == "JPEG":
            opened.draft("RGB", (largest[0] * 2, largest[1] * 2))  # decode at a reduced scale: much faster
        image = ImageOps.exif_transpose(opened)
        image.load()
    for file in job.files:
        frame = ImageOps.fit(image, (file.width, file.height), Image.Resampling.LANCZOS, centering=job.focus)
        if file.format == "JPEG" and frame.mode not in ("RGB", "L"):
            frame = frame.convert("RGB")
        if file.format == "PNG" and frame.mode == "P":
            frame = frame.convert("RGBA")
        buffer = io.BytesIO()
        options: dict[str, object] = {"quality": job.quality} if file.format in ("JPEG", "WEBP") else {}
        if file.format == "WEBP":
            options["method"] = 4
        frame.save(buffer, file.format, **options)
        atomic_write(Path(file.target), buffer.getvalue())
    return len(job.files)
