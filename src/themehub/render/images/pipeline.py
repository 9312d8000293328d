"""The image pipeline of one render: every image a page shows, by name, planned up front; the files
not in the image cache yet are made in the background (`queue_pending`) while pages render.

It ties the modules of the package together: sources.py finds and reads the files, svg.py publishes
SVGs, resize.py plans and makes raster variants, share_cards.py draws share cards. The results it
keeps for the rest of the render: `variants` (what templates show), `copies` (what the writer
publishes), `diagnostics`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from themehub.config import Config
from themehub.diagnostics import Diagnostic, error
from themehub.render.images.records import PIPELINE_VERSION, ImageRef, Variant, written
from themehub.render.images.resize import RASTER, ResizeJob, VariantPlanner, encode_variants
from themehub.render.images.share_cards import ShareCard, ShareJob, draw_to
from themehub.render.images.sizes import ImageSize
from themehub.render.images.sources import SourceFiles
from themehub.render.images.svg import SvgPublisher, svg_size
from themehub.render.pool import WorkPool
from themehub.source.fields import parse_focus
from themehub.source.paths import LocalFile


@dataclass
class ImagePipeline:
    config: Config
    sizes: dict[str, ImageSize]
    cache_dir: Path | None
    """Where made images are kept between builds (None: a temporary folder, set on creation)."""
    quality: int = 82
    process: bool = True
    """False for `check`: validate images, do no resizing."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    copies: dict[str, Path] = field(default_factory=dict)
    """Output path -> cached file, for the writer."""
    variants: dict[tuple[str, str], Variant] = field(default_factory=dict)
    """(site file, size name) -> what templates show: made once per file and size."""
    work: int = 0
    """Images actually encoded this run (0 on a warm build)."""
    pending_resizes: list[ResizeJob] = field(default_factory=list)
    pending_shares: list[ShareJob] = field(default_factory=list)
    _temp: tempfile.TemporaryDirectory[str] | None = field(default=None, init=False)
    _sources: SourceFiles = field(init=False)
    _svgs: SvgPublisher = field(init=False)
    _planner: VariantPlanner = field(init=False)
    _cached_names: frozenset[str] | None = field(default=None, init=False)
    """The image cache's file names, listed once: a stat per share card (`exists`) took 76-89 ms for the
    10,077 cards of a 10,000-article hub, one listing of the folder 8-12 ms."""

    def __post_init__(self) -> None:
        if self.cache_dir is None:
            self._temp = tempfile.TemporaryDirectory(prefix="themehub-images-")
            self.cache_dir = Path(self._temp.name)
        # The helpers report into this pipeline's one list, so diagnostics keep the order they arise in.
        self._sources = SourceFiles(self.config, self.diagnostics)
        self._svgs = SvgPublisher(self.cache_dir, self.process, self.diagnostics)
        self._planner = VariantPlanner(self.cache_dir, self.quality, self.config.shared_base_path, self.process)

    def close(self) -> None:
        if self._temp is not None:
            self._temp.cleanup()

    # -- content images ---------------------------------------------------------------------

    def reference(self, ref: ImageRef, size: str) -> Variant | None:
        """A body image (`ref.url` as written) at the named size, made once per file and size."""
        found = self._sources.resolve(ref)
        return self._variant(found[0], found[1], ref, size) if found is not None else None

    def reference_file(self, local: LocalFile, ref: ImageRef, size: str) -> Variant | None:
        """A front-matter image, already resolved to its site file by the content stage."""
        key = (local.rel, size)
        if key in self.variants:
            return self.variants[key]
        found = self._sources.locate(local, ref)
        return self._variant(local, found[1], ref, size) if found is not None else None

    def _variant(self, local: LocalFile, path: Path, ref: ImageRef, size: str) -> Variant | None:
        """Resize (or publish) the located file at the named size, recording a diagnostic when it cannot
        be used. Keyed by the resolved file, so two folders' `photo.jpg` stay two pictures."""
        key = (local.rel, size)
        if key in self.variants:
            return self.variants[key]
        read = self._sources.read(path)
        if read is None:
            self.diagnostics.append(error(ref.owner, ref.line, ref.col, "bad-image",
                                          f"image '{written(ref.url)}' cannot be read",
                                          "check the file's permissions"))
            return None
        if local.suffix == ".svg":
            published = self._svgs.publish(local, read.data, ref)
            if published is None:
                return None
            if published.cached is not None:
                self.copies[published.rel] = published.cached
            width, height = svg_size(published.data)
            variant = Variant(quote(published.rel), width, height)
            self.variants[key] = variant
            return variant
        if local.suffix not in RASTER:
            self.diagnostics.append(error(ref.owner, ref.line, ref.col, "bad-image",
                                          f"image '{written(ref.url)}' is not a JPEG, PNG, GIF, WebP or SVG file",
                                          "convert it to one of those formats"))
            return None
        focus = parse_focus(ref.focus) or (0.5, 0.5)
        try:
            plan = self._planner.plan(read.data, read.digest, RASTER[local.suffix], self.sizes[size], focus,
                                      local.stem, path)
        except Exception as exc:  # Pillow raises many kinds for broken files; all mean "cannot use"
            self.diagnostics.append(error(ref.owner, ref.line, ref.col, "bad-image",
                                          f"image '{written(ref.url)}' cannot be read: {type(exc).__name__}",
                                          "open and re-save it in an image editor"))
            return None
        self.copies.update(plan.copies)
        if plan.job is not None:
            self.pending_resizes.append(plan.job)
        self.variants[key] = plan.variant
        return plan.variant

    # -- share cards ------------------------------------------------------------------------

    def share_image(self, kind: str, slug: str, *, title: str, subtitle: str, color: str, footer: str,
                    avatar: Path | None = None, initials: str = "") -> str:
        """Site-relative URL of a generated 1200x630 PNG; drawn later if it is not cached."""
        read = self._sources.read(avatar) if avatar is not None else None
        avatar_bytes = read.data if read is not None else b""
        inputs = "\0".join([PIPELINE_VERSION, kind, slug, title, subtitle, color, footer, self.config.title, initials])
        digest = hashlib.blake2b(inputs.encode() + avatar_bytes, digest_size=12).hexdigest()
        assert self.cache_dir is not None
        name = f"share-{digest}.png"
        cached = self.cache_dir / name
        if self.process and not self._in_cache(name):
            card = ShareCard(title, subtitle, color, footer, self.config.title, avatar_bytes, initials)
            self.pending_shares.append(ShareJob(cached, card))
        rel = f"share/{self.config.language_path}{kind}/{slug}.png"  # a language has its own cards
        if self.process:
            self.copies[rel] = cached
        return rel

    def _in_cache(self, name: str) -> bool:
        """Whether the image cache held `name` when this render began (what it draws now comes later)."""
        if self._cached_names is None:
            assert self.cache_dir is not None  # set on creation; os.listdir(None) would list the working folder
            try:
                self._cached_names = frozenset(os.listdir(self.cache_dir))
            except OSError:  # no cache yet: everything is drawn
                self._cached_names = frozenset()
        return name in self._cached_names

    # -- the rest of the render -------------------------------------------------------------

    def queue_pending(self, pool: WorkPool) -> None:
        """Queue the share cards and variants not cached yet as background work of `pool`:
        pages only need their names, so they are made while pages render (`pool.wait`)."""
        resizes, self.pending_resizes = self.pending_resizes, []
        shares, self.pending_shares = self.pending_shares, []
        for job in resizes:  # the heavy ones first
            pool.background(encode_variants, job)
        for share in shares:
            pool.background(draw_to, share)
        self.work += sum(len(job.files) for job in resizes) + len(shares)

    def digest(self) -> str:
        """Digest of every variant: pages must be rendered again when an image changes."""
        h = hashlib.blake2b(digest_size=16)
        for key in sorted(self.variants):
            h.update(repr((key, self.variants[key])).encode())
        return h.hexdigest()
