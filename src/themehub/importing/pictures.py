"""Getting the pictures an import references: copied from the source folder, or downloaded from the
old site into a cache that a second run reuses (a download cut off is resumed where it stopped), with a
timeout and a size limit. A picture that cannot be had is `missing`, with the reason, never an error
that stops the import."""

from __future__ import annotations

import hashlib
import posixpath
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin, urlsplit

from themehub.importing.model import Picture

How = Literal["copied", "downloaded", "cached", "linked", "missing"]
MAX_BYTES = 50 * 1024 * 1024
"""Larger than any picture a post shows: a bigger answer is not a picture."""
_CHUNK = 256 * 1024


@dataclass(frozen=True, slots=True)
class Fate:
    reference: str
    how: How
    """copied (from the source folder), downloaded (now), cached (by an earlier run), linked (kept as its
    URL: --no-download), missing."""
    file: Path | None = None
    """What to copy below static/ (the source's file, or the cached download)."""
    reason: str = ""
    """Why it is missing."""


def obtain(pictures: Iterable[Picture], *, source_root: Path, base_url: str, cache: Path, download: bool,
           timeout: float, dry_run: bool) -> dict[str, Fate]:
    """Each picture's fate, by reference. With dry_run nothing is downloaded (a picture to download is
    reported as it would be: downloaded)."""
    fates: dict[str, Fate] = {}
    root = source_root.resolve()
    for picture in pictures:
        if picture.reference in fates:
            continue
        fates[picture.reference] = _fate(picture, root, base_url, cache, download, timeout, dry_run)
    return fates


def _fate(picture: Picture, root: Path, base_url: str, cache: Path, download: bool, timeout: float,
          dry_run: bool) -> Fate:
    reference = picture.reference
    if picture.file is not None:
        try:
            found = picture.file.resolve(strict=True)
        except (OSError, RuntimeError):
            return Fate(reference, "missing", reason=f"{picture.file} does not exist")
        if not found.is_relative_to(root) or not found.is_file():
            # A post must not pull /etc/passwd or a CI secret into the site through a symlink or '..'.
            return Fate(reference, "missing", reason="it is outside the source folder")
        return Fate(reference, "copied", file=found)
    url = urljoin(base_url, reference) if base_url else reference
    if urlsplit(url).scheme not in ("http", "https"):
        return Fate(reference, "missing", reason="not found in the source folder (a file outside it is never read)")
    if not download:
        return Fate(reference, "linked")
    cached = cache / (hashlib.sha256(url.encode()).hexdigest()[:24] + _extension(url))
    if cached.is_file():
        return Fate(reference, "cached", file=cached)
    if dry_run:
        return Fate(reference, "downloaded", file=cached)
    problem = fetch(url, cached, timeout)
    return Fate(reference, "missing", reason=problem) if problem else Fate(reference, "downloaded", file=cached)


def fetch(url: str, target: Path, timeout: float) -> str:
    """Download `url` into `target`, resuming a partial `target.part` left by an earlier run; '' when
    done, else why not."""
    part = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.is_file() else 0
    request = urllib.request.Request(url, headers={"User-Agent": "themehub-import",
                                                   **({"Range": f"bytes={have}-"} if have else {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # http(s) only: checked above
            if have and response.status != 206:  # the server ignored the range: start again
                have = 0
            if int(response.headers.get("Content-Length") or 0) + have > MAX_BYTES:
                return f"larger than {MAX_BYTES // (1024 * 1024)} MB"
            with part.open("ab" if have else "wb") as out:
                while chunk := response.read(_CHUNK):
                    have += len(chunk)
                    if have > MAX_BYTES:
                        return f"larger than {MAX_BYTES // (1024 * 1024)} MB"
                    out.write(chunk)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # asked for bytes past the end: the part was complete
            part.replace(target)
            return ""
        return f"the old site answered {exc.code} {exc.reason}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return f"could not be downloaded ({reason}); run the import again to resume"
    part.replace(target)
    return ""


def _extension(url: str) -> str:
    ext = posixpath.splitext(urlsplit(url).path)[1].lower()
    return ext if ext.isascii() and 1 < len(ext) <= 6 and ext[1:].isalnum() else ""
