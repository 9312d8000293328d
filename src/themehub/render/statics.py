"""Static files, vetted before they are published.

`static/` comes from pull requests like content does, so nothing in it may run script on the site's
origin: SVGs are published sanitized (sanitize/svg.py), and an HTML or XML file that would run script
when opened is refused (sanitize/active.py). A file that is a symbolic link out of the site is never
published. The presentation theme's own static files (`assets/`) are the site's code, reviewed as
code: they are only checked for links out of the site.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Mapping
from pathlib import Path

from themehub.config import Config
from themehub.diagnostics import Diagnostic, error, warning
from themehub.sanitize.active import ACTIVE_SUFFIXES, ActiveContent, find_active_content
from themehub.sanitize.editor_page import is_editor_page
from themehub.sanitize.svg import SanitizedSvg, sanitize_svg

MAX_SHOWN = 4


def svg_warning(file: str, removed: tuple[str, ...]) -> Diagnostic:
    """What the sanitizer took out of an SVG: published without it, said once per file."""
    total = len(removed)
    capped = re.fullmatch(r"… and (\d+) more", removed[-1]) if removed else None
    if capped:  # the sanitizer lists a hundred and counts the rest
        total = len(removed) - 1 + int(capped.group(1))
    shown = "; ".join(removed[:MAX_SHOWN]) + (f"; and {total - MAX_SHOWN} more" if total > MAX_SHOWN else "")
    return warning(file, 1, 1, "svg-sanitized", f"published without what could run script: {shown}",
                   "remove it from the file (scripts, event handlers and script links never reach the site)")


@functools.lru_cache(maxsize=512)
def _sanitized(data: bytes) -> SanitizedSvg:
    return sanitize_svg(data)  # pure: a rebuild of `serve` does not sanitize an unchanged file again


@functools.lru_cache(maxsize=512)
def _active(data: bytes, suffix: str) -> tuple[ActiveContent, ...]:
    return tuple(find_active_content(data, suffix))


def vet_static_files(config: Config, copies: Mapping[str, Path], cache_dir: Path | None,
                     ) -> tuple[dict[str, Path], list[Diagnostic]]:
    """The files to publish (output path -> file to copy) and what is wrong with the others.
    Sanitized SVGs are written into `cache_dir` under a name made of their bytes (None: `check`,
    which writes nothing)."""
    root = config.root.resolve()
    allowed = (root, Path(__file__).resolve().parent.parent / "themes")
    site_static = (config.root / "static").resolve()
    published: dict[str, Path] = {}
    diagnostics: list[Diagnostic] = []
    for rel, source in sorted(copies.items()):
        shown = _shown(source, config.root)
        try:
            target = source.resolve(strict=True)
            inside = any(target.is_relative_to(base) for base in allowed) and target.is_file()
        except (OSError, RuntimeError):
            inside = False
        if not inside:
            # A link in static/ to /etc/passwd or a CI secret must never be published.
            diagnostics.append(warning(shown, 1, 1, "symlink-outside",
                                       "this static file links outside the site (or to nothing): it is not published",
                                       "copy the file into the site instead of linking to it"))
            continue
        suffix = os.path.splitext(rel)[1].lower()
        from_content = source.parent.resolve().is_relative_to(site_static)
        if not from_content or (suffix != ".svg" and suffix not in ACTIVE_SUFFIXES):
            published[rel] = source
            continue
        try:
            data = target.read_bytes()
        except OSError as exc:
            diagnostics.append(error(shown, 1, 1, "unreadable-file", f"cannot read the file: {exc.strerror or exc}",
                                     "check the file's permissions"))
            continue
        if suffix == ".svg":
            svg = _sanitized(data)
            if svg.problem:
                diagnostics.append(error(shown, 1, 1, "bad-image", f"this SVG cannot be published: {svg.problem}",
                                         "re-export it from your drawing program as plain SVG"))
                continue
            if svg.removed:
                diagnostics.append(svg_warning(shown, svg.removed))
            published[rel] = cache_file(cache_dir, "svg", svg.data, "svg") if cache_dir is not None else source
            continue
        found = [] if is_editor_page(rel, data) else _active(data, suffix)
        for item in found:
            diagnostics.append(error(shown, item.line, item.col, "active-content",
                                     f"this file would run script on the site when opened: {item.what}",
                                     "remove the script; code belongs in a presentation theme's static/ folder"))
        if not found:
            published[rel] = source
    return published, diagnostics


def cache_file(cache_dir: Path, prefix: str, data: bytes, extension: str) -> Path:
    """`data` kept in the cache folder under a name made of its bytes (written once, atomically, so a
    killed build never leaves half a file under a good name)."""
    target = cache_dir / f"{prefix}-{hashlib.blake2b(data, digest_size=10).hexdigest()}.{extension}"
    if not target.exists():
        atomic_write(target, data)
    return target


def atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(target)


def _shown(source: Path, root: Path) -> str:
    return source.relative_to(root).as_posix() if source.is_relative_to(root) else str(source)
