"""Records the image modules pass to each other, and the naming rules they share."""

from __future__ import annotations

import re
from dataclasses import dataclass

PIPELINE_VERSION = "3"
"""Part of every cache key of a made image: bump it when the bytes made for the same inputs change."""


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image a content file refers to, and where (for diagnostics)."""

    url: str
    owner: str
    """The content file that refers to it."""
    line: int
    col: int
    focus: str = "center"


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


def written(text: str, limit: int = 80) -> str:
    """A reference as the author wrote it, shortened for a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def file_stem(stem: str) -> str:
    """A file's stem as part of a generated file name: letters, digits and '-' only."""
    return re.sub(r"[^a-z0-9]+", "-", stem.lower())[:40].strip("-") or "image"  # ASCII: a URL as it is
