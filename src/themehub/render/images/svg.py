"""SVG images: published untouched but sanitized (they scale by themselves), sized by their viewBox."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from themehub.diagnostics import Diagnostic, error
from themehub.render.images.records import ImageRef, file_stem, written
from themehub.render.statics import cache_file, svg_warning
from themehub.sanitize.svg import sanitize_svg
from themehub.source.paths import LocalFile


@dataclass(frozen=True, slots=True)
class PublishedSvg:
    rel: str
    """Where it is published, site-relative."""
    data: bytes
    """Its sanitized bytes."""
    cached: Path | None = None
    """The cached file to copy there; None when the static copy publishes it (or for `check`)."""


def svg_size(data: bytes) -> tuple[int, int]:
    head = data[:4096].decode("utf-8", "replace")
    box = re.search(r'viewBox\s*=\s*"\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)', head)
    if box:
        return round(float(box.group(1))), round(float(box.group(2)))
    w = re.search(r'\swidth\s*=\s*"([\d.]+)', head)
    h = re.search(r'\sheight\s*=\s*"([\d.]+)', head)
    return (round(float(w.group(1))), round(float(h.group(1)))) if w and h else (0, 0)


@dataclass
class SvgPublisher:
    """Sanitizes each SVG content refers to, once per build, reporting into `diagnostics`."""

    cache_dir: Path
    process: bool
    """False for `check`: nothing is written."""
    diagnostics: list[Diagnostic]
    _published: dict[str, PublishedSvg | None] = field(default_factory=dict)
    """Site file -> how it is published (None: it cannot be); reported on once."""

    def publish(self, local: LocalFile, data: bytes, ref: ImageRef) -> PublishedSvg | None:
        """One under static/ is published at its own address by the static copy, which sanitizes it
        and reports on it; one beside content is published under a name made of its sanitized bytes,
        never of the text of the reference."""
        if local.rel in self._published:
            return self._published[local.rel]
        svg = sanitize_svg(data)
        in_static = local.rel.startswith("static/")
        published: PublishedSvg | None = None
        if svg.problem:
            if not in_static:
                self.diagnostics.append(error(ref.owner, ref.line, ref.col, "bad-image",
                                              f"image '{written(ref.url)}' cannot be published: {svg.problem}",
                                              "re-export it from your drawing program as plain SVG"))
        elif in_static:
            published = PublishedSvg(local.rel.removeprefix("static/"), svg.data)
        else:
            if svg.removed:
                self.diagnostics.append(svg_warning(local.rel, svg.removed))
            name = hashlib.blake2b(svg.data, digest_size=10).hexdigest()
            rel = f"images/_generated/{file_stem(local.stem)}-{name}.svg"
            cached = cache_file(self.cache_dir, "svg", svg.data, "svg") if self.process else None
            published = PublishedSvg(rel, svg.data, cached)
        self._published[local.rel] = published
        return published
