"""Where a path written in content points: one rule for every local file a content file refers to.

A reference (`image:` and `avatar:` fields, markdown and raw-HTML images) is resolved once, by text
alone, to a file below the site's `static/` or `content/` folder: percent-escapes are decoded, the
query and fragment are cut off, `.` and `..` are applied, and the result must still lie inside one of
those folders. Anything else is a problem reported at the reference. Only then does the render stage
look at the file system (`locate`): the file must exist, be a regular file, and its real path (after
symbolic links) must lie inside the same folders. What is published is derived from that resolved
source, never from the text the author wrote.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ASSET_FOLDERS = ("static", "content")
"""The folders content may refer to files in: `/x.png` is static/x.png; `x.png` is next to the content file."""

_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class LocalFile:
    """A reference resolved to a file of the site (which may not exist: `locate` tells)."""

    rel: str
    """The file relative to the site root, '/'-separated, normalized: 'static/images/x.svg'."""

    @property
    def suffix(self) -> str:
        return posixpath.splitext(self.rel)[1].lower()

    @property
    def stem(self) -> str:
        return posixpath.splitext(posixpath.basename(self.rel))[0]


@dataclass(frozen=True, slots=True)
class PathProblem:
    """Why a reference names no file of the site (`unsafe-path`), or why its file cannot be used."""

    code: str
    message: str
    hint: str


def is_external(text: str) -> bool:
    """A URL with a scheme (`https:`, `mailto:`) or a network path (`//cdn…`): not a file of the site."""
    return bool(_EXTERNAL.match(text.strip()))


def resolve_reference(raw: str, owner: str, base_path: str) -> LocalFile | PathProblem | None:
    """The site file `raw` names when written in the content file `owner` (relative to the site root).
    None when it names no local file: empty, external, or only a fragment (`#x`)."""
    text = raw.strip()
    if not text or text.startswith("#") or is_external(text):
        return None
    if _CONTROL.search(text):
        return PathProblem("unsafe-path", f"the path '{_shown(text)}' holds a control character",
                           "write the file's path with ordinary characters")
    if "\\" in text:
        return PathProblem("unsafe-path", f"the path '{_shown(text)}' uses '\\'",
                           "separate folders with '/', e.g. images/photo.jpg")
    try:
        path = urlsplit(text).path  # a query or fragment never names part of a file
    except ValueError:
        return PathProblem("unsafe-path", f"'{_shown(text)}' is not a path", "write a path like images/photo.jpg")
    try:
        decoded = unquote(path, errors="strict") if "%" in path else path
    except UnicodeDecodeError:
        return PathProblem("unsafe-path", f"the path '{_shown(text)}' holds a percent-escape that is not UTF-8",
                           "write the file's name as it is, e.g. café.jpg")
    if _CONTROL.search(decoded) or "\\" in decoded:
        return PathProblem("unsafe-path", f"the path '{_shown(text)}' decodes to a control character or '\\'",
                           "write the file's path without percent-escapes")
    if not decoded:
        return None
    if decoded.startswith("/"):
        if base_path != "/" and decoded.startswith(base_path):
            decoded = "/" + decoded[len(base_path):]
        candidate = "static/" + decoded.lstrip("/")
    else:
        candidate = posixpath.join(posixpath.dirname(owner), decoded)
    normalized = posixpath.normpath(candidate)
    parts = normalized.split("/")
    if parts[0] not in ASSET_FOLDERS or len(parts) < 2 or normalized.startswith("/"):
        where = "outside the site" if parts[0] == ".." or normalized.startswith("/") else f"to '{normalized}'"
        return PathProblem("unsafe-path", f"the path '{_shown(text)}' leads {where}, not into static/ or content/",
                           "paths starting with / are under static/; others are relative to this file's folder")
    return LocalFile(normalized)


def locate(ref: LocalFile, root: Path) -> Path | PathProblem:
    """The real file `ref` names: it exists, is a regular file, and after symbolic links still lies in the
    same site folders. `root` is the site root."""
    path = root / ref.rel
    try:
        real = path.resolve(strict=True)
        real_root = root.resolve()
    except (OSError, RuntimeError):  # missing, a dangling link, or a loop
        return PathProblem("missing-image", f"{ref.rel} does not exist",
                           "paths starting with / are under static/, others are relative to this file's folder; "
                           "`themehub check` lists every missing file of the site in one run")
    if not any(real.is_relative_to(real_root / folder) for folder in ASSET_FOLDERS):
        return PathProblem("symlink-outside", f"{ref.rel} is a symbolic link to a file outside the site",
                           "copy the file into the site instead of linking to it")
    if not real.is_file():
        return PathProblem("missing-image", f"{ref.rel} is not a file", "point to an image file")
    return real


def _shown(text: str, limit: int = 80) -> str:
    cleaned = _CONTROL.sub("?", text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"
