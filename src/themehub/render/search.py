"""The static search index, built with Pagefind's Python API into the staging folder.

Pagefind's binary ships inside its pip package and runs offline; the index it writes
(`pagefind/`) is loaded lazily by the search page, so no server of ours is needed. Result URLs
are relative to the output folder; the search page passes base_url's path to Pagefind's UI.
Pagefind writes its filter index in a different order on each run (its issue #638): the index is
rewritten in one fixed order afterwards (render/pagefind_canon.py), so builds stay byte-identical.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from themehub.render.pagefind_canon import canonicalize_index

# Content pages only: listings, tag pages, later pages of a listing and redirects are not indexed.
SEARCH_GLOB = "{articles,themes,authors,services}/*/index.html"
SEARCHED_SECTIONS = ("articles", "themes", "authors", "services")


def is_searchable(path: str) -> bool:
    """Whether an output path is one SEARCH_GLOB matches."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] in SEARCHED_SECTIONS and parts[2] == "index.html"


async def _index(site: Path, language: str) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(force_language=language or "en", output_path=str(site / "pagefind"))
    # One request for the whole folder: the service answers each request after a poll interval,
    # so adding pages one by one would cost ~0.1 s per page.
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(site), glob=SEARCH_GLOB)
    return int(result.get("page_count", 0))


def write_search_index(site: Path, language: str) -> int:
    """Index the content pages of the (staging) folder `site` into `site/pagefind/`, byte-identical
    for the same pages.

    Runs its own event loop in a thread of its own, so that `build` works from code that is
    already inside an event loop (a notebook, a test driving a browser)."""
    result: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(asyncio.run(_index(site, language)))
        except BaseException as exc:  # handed back to the caller's thread
            errors.append(exc)

    worker = threading.Thread(target=run, name="pagefind")
    worker.start()
    worker.join()
    if errors:
        raise errors[0]
    canonicalize_index(site / "pagefind")
    return result[0]
