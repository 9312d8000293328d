"""The named sizes images are resized to: built in, asked for by a presentation theme, or configured."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from themehub.config import Config
from themehub.render.templates import BUILTIN_THEMES


@dataclass(frozen=True, slots=True)
class ImageSize:
    name: str
    width: int
    height: int
    """0: keep the image's own aspect ratio."""


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
