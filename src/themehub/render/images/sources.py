"""The files images come from: a reference resolved to a file of the site by the one rule of
source/paths.py, located on disk, and read once per build (bytes and digest)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from themehub.config import Config
from themehub.diagnostics import Diagnostic, error
from themehub.render.images.records import ImageRef, written
from themehub.source.paths import LocalFile, PathProblem, is_external, locate, resolve_reference


@dataclass(frozen=True, slots=True)
class SourceData:
    data: bytes
    digest: str
    """Short hash of `data`: part of the names of everything made from it."""


@dataclass
class SourceFiles:
    """Resolves and reads the image files of one build, reporting unusable references into `diagnostics`."""

    config: Config
    diagnostics: list[Diagnostic]
    _read: dict[Path, SourceData] = field(default_factory=dict)
    """Located file -> its bytes: a picture used at several sizes, or as an avatar, is read once."""

    def resolve(self, ref: ImageRef) -> tuple[LocalFile, Path] | None:
        """The site file a body image names, and its real path. None for an external image, or when
        the reference is unusable (a diagnostic says why)."""
        found = resolve_reference(ref.url, ref.owner, self.config.shared_base_path)
        if found is None:
            return None
        if isinstance(found, PathProblem):
            self.diagnostics.append(error(ref.owner, ref.line, ref.col, found.code, f"image: {found.message}",
                                          found.hint))
            return None
        return self.locate(found, ref)

    def locate(self, local: LocalFile, ref: ImageRef) -> tuple[LocalFile, Path] | None:
        real = locate(local, self.config.root)
        if isinstance(real, PathProblem):
            self.diagnostics.append(error(ref.owner, ref.line, ref.col, real.code,
                                          f"image '{written(ref.url)}': {real.message}", real.hint))
            return None
        return local, real

    def read(self, path: Path) -> SourceData | None:
        """Bytes and digest of a located file; None when it cannot be read."""
        cached = self._read.get(path)
        if cached is None:
            try:
                data = path.read_bytes()
            except OSError:
                return None
            cached = self._read[path] = SourceData(data, hashlib.blake2b(data, digest_size=12).hexdigest())
        return cached


def front_matter_file(value: str) -> LocalFile | None:
    """The site file a front-matter image field names: the content stage stored it resolved
    ('static/images/x.jpg'); an external URL names none."""
    return LocalFile(value) if value and not is_external(value) else None
