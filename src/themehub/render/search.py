"""The static search index, built with Pagefind's command line into the staging folder.

Pagefind's binary ships inside its pip package and runs offline; the index it writes
(`pagefind/`) is loaded lazily by the search page, so no server of ours is needed. Result URLs
are relative to the output folder; the search page passes base_url's path to Pagefind's UI.
Pagefind writes its filter index in a different order on each run (its issue #638): the index is
rewritten in one fixed order afterwards (render/pagefind_canon.py), so builds stay byte-identical.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from themehub.render.pagefind_canon import PagefindFormatError, canonicalize_index

# Content pages only: listings, tag pages, later pages of a listing and redirects are not indexed.
SEARCH_GLOB = "{articles,themes,authors,services}/*/index.html"
SEARCHED_SECTIONS = ("articles", "themes", "authors", "services")


def is_searchable(path: str) -> bool:
    """Whether an output path is one SEARCH_GLOB matches."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] in SEARCHED_SECTIONS and parts[2] == "index.html"


class SearchIndexError(Exception):
    """Pagefind failed, or wrote an index themehub cannot rewrite: the build stops, the site is kept."""


def write_search_index(site: Path, language: str) -> None:
    """Index the content pages of the (staging) folder `site` into `site/pagefind/`, byte-identical
    for the same pages.

    Pagefind's command line, not its Python API: the API's service answers "files written" before
    the last files are on disk and is then terminated, which under load left indexes without
    pagefind.js or with empty files. The command line exits only when everything is written."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", SEARCH_GLOB,
               "--output-path", str(site / "pagefind"), "--force-language", language or "en", "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Pagefind could not run: {exc}") from exc
    if done.returncode != 0:
        last = (done.stderr.strip() or done.stdout.strip() or "no message").splitlines()[-1]
        raise SearchIndexError(f"Pagefind failed (exit {done.returncode}): {last}")
    try:
        canonicalize_index(site / "pagefind")
    except PagefindFormatError as exc:
        raise SearchIndexError(f"the index Pagefind wrote cannot be made deterministic: {exc}") from exc
