"""The persistent cache (`.themehub-cache/`): rendered markdown, resolved links, parsed front matter
(their records in incremental/records.py), page fingerprints and the related content ranking between
builds.

CI can keep the folder between runs; it is always safe to delete. Everything in it is checked
before use: a cache written by another themehub version, or one that does not parse, is ignored
with a warning and rebuilt, never trusted. Entries are JSON (never pickle: a cache restored by CI
must not be able to run code).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from themehub.diagnostics import Diagnostic, warning
from themehub.hub.graph import RankedSlugs
from themehub.incremental import json_codec
from themehub.incremental.compiled_templates import user_template_cache
from themehub.incremental.records import FORMAT, DiskMarkdownCache, DiskResolved
from themehub.output.lock import LOCK_FILE
from themehub.render.reuse import CachedPage, RenderCache

CACHE_DIR = ".themehub-cache"


def cache_is_current(folder: Path) -> bool:
    """The cache in `folder` was written by this themehub (anything else is not read)."""
    try:
        return (folder / "FORMAT").read_text(encoding="utf-8").strip() == FORMAT
    except OSError:
        return False


def _atomic_write(path: Path, data: str | bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(tmp, path)


OWN_ENTRIES = frozenset({"FORMAT", "markdown.jsonl", "links.jsonl", "front-matter.jsonl", "items.jsonl", "pages.json",
                         "related.json", "images", "previous-site", "external.json", "languages", LOCK_FILE})
"""Everything themehub writes in the cache folder (and temporary files starting with '.')."""
LANGUAGES = "languages"
"""Each other language's page table, in a folder of its own (`languages/de/pages.json`)."""


def committed_files(folder: Path) -> list[str]:
    """Files under `folder` that the git repository around it tracks (none outside a repository, or
    without git). A cache holds rendered HTML that is used as it is, unsanitized again: one committed
    to the repository could come from a pull request, and would put its pages into the site."""
    try:
        # safe.directory: a checkout owned by another user (CI containers) must not switch the check
        # off; no fsmonitor: listing files runs nothing from the repository's configuration.
        done = subprocess.run(["git", "-c", "safe.directory=*", "-c", "core.fsmonitor=false", "ls-files", "-z",
                               "--", "."], cwd=folder, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if done.returncode != 0:  # not inside a work tree
        return []
    return sorted(name for name in done.stdout.decode("utf-8", "replace").split("\0") if name)


def committed_cache(folder: Path) -> list[Diagnostic]:
    """A `cache-committed` warning when git tracks files in the cache `folder` (which is then not used)."""
    committed = committed_files(folder) if folder.is_dir() else []
    if not committed:
        return []
    return [warning(f"{CACHE_DIR}/{committed[0]}", 1, 1, "cache-committed",
                    f"{CACHE_DIR}/ is committed to the repository ({len(committed)} file"
                    f"{'s' if len(committed) != 1 else ''}): a cache could come from a pull request with "
                    "pages of its own, so builds use none and leave it as it is",
                    f"remove it from git (git rm -r --cached {CACHE_DIR}) and keep it out with a line "
                    f"'{CACHE_DIR}/' in .gitignore")]


def prepare_cache(folder: Path) -> tuple[bool, list[Diagnostic]]:
    """Make `folder` a cache of this themehub: whole, with its marker. A cache left without its marker
    (a build that failed, `serve` before any build) or written by another version is emptied
    silently and started again. A folder holding files themehub never writes is not ours: it is left
    untouched, with a warning, and the build runs without a cache (False); so is a cache whose files
    the repository tracks (`committed_files`)."""
    folder.mkdir(parents=True, exist_ok=True)
    committed = committed_cache(folder)
    if committed:
        return False, committed
    try:
        found = (folder / "FORMAT").read_text(encoding="utf-8").strip()
    except OSError:
        found = ""
    if found == FORMAT:
        return True, []
    strangers = sorted(entry.name for entry in folder.iterdir()
                       if entry.name not in OWN_ENTRIES and not entry.name.startswith("."))
    if strangers or (found and not found.startswith("themehub-cache ")):
        what = f"files themehub does not write ({', '.join(strangers[:3])})" if strangers else f"'{found[:60]}'"
        return False, [warning(f"{CACHE_DIR}/FORMAT", 1, 1, "cache-ignored",
                               f"{CACHE_DIR}/ holds {what}: it is not a themehub cache, so this build uses none",
                               f"move those files elsewhere, or delete {CACHE_DIR}/ (themehub makes it again)")]
    for entry in folder.iterdir():
        if entry.name == LOCK_FILE:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    _atomic_write(folder / "FORMAT", FORMAT + "\n")
    return True, []


def load_cache(folder: Path, previous_output: Path) -> RenderCache:
    """The cache in `folder` (made current by `prepare_cache`). A damaged page table is a miss: every
    page is rendered again, and the table is written anew at the end of the build."""
    cache = RenderCache(markdown=DiskMarkdownCache(folder / "markdown.jsonl"), previous_output=previous_output,
                        kept_resolved=DiskResolved(folder / "links.jsonl"), bytecode=user_template_cache())
    _read_pages(cache, folder / "pages.json")
    return cache


def _read_pages(cache: RenderCache, pages_file: Path) -> None:
    """The page table of the last build into `cache`; a damaged one is a miss (every page rendered)."""
    if pages_file.exists():
        try:
            raw = json_codec.loads(pages_file.read_bytes())
            cache.site_digest = str(raw["site_digest"])
            cache.digests = {str(k): str(v) for k, v in raw["digests"].items()}
            urls = [str(u) for u in raw["urls"]]
            sources = [str(s) for s in raw.get("sources", ())]
            cache.pages = {str(k): CachedPage(str(v[0]), None, str(v[1]),
                                              None if v[3] is None else tuple(map(urls.__getitem__, _indexes(v[3]))),
                                              str(v[2]), _items(v, sources))
                           for k, v in raw["pages"].items()}
            # What the hub was made from (reuse.proven_unchanged); a table without them proves nothing.
            cache.meta = {str(k): str(v) for k, v in raw.get("meta", {}).items()}
            cache.shapes = {str(k): str(v) for k, v in raw.get("shapes", {}).items()}
            cache.files = {str(k): str(v) for k, v in raw.get("files", {}).items()}
            cache.links_digest = str(raw.get("links_digest", ""))
            made_at = raw.get("made_at")
            cache.made_at = dt.datetime.fromisoformat(made_at) if isinstance(made_at, str) else None
            appended = raw.get("appended", 0)
            cache.stored = StoredTable(urls, sources, raw["pages"], dict(cache.pages),
                                       appended if type(appended) is int else len(cache.pages))
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            cache.pages, cache.digests, cache.site_digest = {}, {}, ""
            cache.meta, cache.shapes, cache.links_digest, cache.made_at = {}, {}, "", None
            cache.files, cache.stored = {}, None


@dataclass(frozen=True)
class StoredTable:
    """The page table as read: its two tables and each page's row, with the page it was read into. A page
    of this build that holds the same links and items (the same tuple of links: a reused page keeps the
    one it was read with) is written back with its row's indexes as they were, unencoded."""

    urls: list[str]
    sources: list[str]
    rows: dict[str, list[Any]]
    pages: dict[str, CachedPage]
    appended: int
    """Rows encoded since the tables were last made whole: past a quarter of the pages, they are made
    whole again (their addresses no page links to any more are dropped)."""


def _items(entry: list[Any], sources: list[str]) -> frozenset[str] | None:
    """A page's items (CachedPage.items), written as indexes into the table of content files."""
    if len(entry) < 5 or entry[4] is None:
        return None  # a table from before they were kept
    return frozenset(map(sources.__getitem__, _indexes(entry[4])))  # map: half a generator's time, 14,000 times


def _indexes(row: list[Any]) -> list[Any]:
    """`row`, refused unless its numbers are indexes from the start of a table: Python reads -1 as the
    last entry, which would name another entry once the table grows (`_write_pages` keeps rows)."""
    if row and min(row) < 0:
        raise ValueError("not an index")
    return row


def load_language_cache(folder: Path, code: str, shared: RenderCache, previous_output: Path,
                        previous_name: Callable[[str], str]) -> RenderCache:
    """The render cache of a language other than the default (render/languages.py): the build's markdown,
    images and compiled templates, and that language's own page table (`languages/<code>/pages.json`).
    `previous_name` gives where each of its pages is in the live site `previous_output`."""
    cache = shared.for_language()
    cache.previous_output, cache.previous_name = previous_output, previous_name
    _read_pages(cache, folder / LANGUAGES / code / "pages.json")
    return cache


def save_language_caches(folder: Path, caches: Mapping[str, RenderCache]) -> None:
    """Each language's page table; those of languages the site no longer has are removed."""
    for code, cache in caches.items():
        (folder / LANGUAGES / code).mkdir(parents=True, exist_ok=True)
        _write_pages(folder / LANGUAGES / code / "pages.json", cache)
    if (folder / LANGUAGES).is_dir():
        for entry in (folder / LANGUAGES).iterdir():
            if entry.name not in caches and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)


def load_graph_memo(folder: Path) -> dict[str, object]:
    """The related-content ranking of the last build (hub/graph.py reuses it while its key holds).
    Anything foreign or malformed gives an empty memo: the ranking is then computed again."""
    if not cache_is_current(folder):
        return {}
    try:
        raw = json_codec.loads((folder / "related.json").read_bytes())
        slugs, reasons = raw["slugs"], raw["reasons"]
        if not all(type(s) is str for s in slugs) or not all(
                type(rs) is list and all(type(r) is str for r in rs) for rs in reasons):
            raise TypeError("not texts")
        reasons = [tuple(rs) for rs in reasons]
        related = {}
        for slug, row in raw["related"].items():
            if len(row) % 3:
                raise ValueError("not a ranking")
            # Indexes into the two tables, mapped in C: a tenth of the time of a tuple made per entry.
            related[slug] = tuple(zip(map(slugs.__getitem__, _indexes(row[0::3])), map(float, row[1::3]),
                                      map(reasons.__getitem__, _indexes(row[2::3])), strict=True))
        return {"related-key": str(raw["key"]), "related": related, "saved-key": str(raw["key"])}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}


def save_graph_memo(folder: Path, memo: dict[str, object]) -> None:
    key = memo.get("related-key")
    if key is None or key == memo.get("saved-key"):
        return  # unchanged since it was read
    related: RankedSlugs = memo["related"]  # type: ignore[assignment]
    # Every suggestion as three numbers: its article and its reasons are indexes into two tables (120,000
    # suggestions at 10,000 articles share a few thousand lists of reasons).
    slugs: dict[str, int] = {}
    reasons: dict[tuple[str, ...], int] = {}
    rows = {slug: [number for s, score, why in ranked
                   for number in (slugs.setdefault(s, len(slugs)), score, reasons.setdefault(why, len(reasons)))]
            for slug, ranked in sorted(related.items())}
    record = {"key": key, "slugs": list(slugs), "reasons": [list(why) for why in reasons], "related": rows}
    folder.mkdir(parents=True, exist_ok=True)
    _atomic_write(folder / "related.json", json.dumps(record, ensure_ascii=False))
    memo["saved-key"] = key


def save_cache(folder: Path, cache: RenderCache) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(cache.markdown, DiskMarkdownCache):
        cache.markdown.save()
    if isinstance(cache.kept_resolved, DiskResolved):
        cache.kept_resolved.save()
    _write_pages(folder / "pages.json", cache)


def _write_pages(file: Path, cache: RenderCache) -> None:
    """The page table. Links and items are indexes into a table of URLs and one of content files: pages
    link to the same few thousand addresses. A page whose links and items are those it was read with
    keeps its row's indexes; writing the whole table anew took 0.35 s of a 10,000-article rebuild."""
    stored = cache.stored if isinstance(cache.stored, StoredTable) else None
    if stored is not None and stored.appended > len(cache.pages) // 4:
        stored = None  # time to drop what no page links to any more
    urls = list(stored.urls) if stored is not None else sorted(
        {url for page in cache.pages.values() for url in page.links or ()})
    sources = list(stored.sources) if stored is not None else sorted(
        {source for page in cache.pages.values() for source in page.items or ()})
    index = {url: i for i, url in enumerate(urls)}
    number = {source: i for i, source in enumerate(sources)}
    appended = stored.appended if stored is not None else 0
    rows: dict[str, list[Any]] = {}
    for path, page in sorted(cache.pages.items()):
        before = stored.pages.get(path) if stored is not None else None
        if stored is not None and before is not None and page.links is before.links and page.items == before.items:
            row = stored.rows[path]
            rows[path] = [page.fingerprint, page.sha, page.stamp, row[3], row[4] if len(row) > 4 else None]
            continue
        appended += 1
        rows[path] = [page.fingerprint, page.sha, page.stamp,
                      None if page.links is None else [_number(index, urls, url) for url in page.links],
                      None if page.items is None else sorted(_number(number, sources, s) for s in page.items)]
    record = {
        "site_digest": cache.site_digest,
        "digests": dict(sorted(cache.digests.items())),
        "meta": dict(sorted(cache.meta.items())),
        "shapes": dict(sorted(cache.shapes.items())),
        "files": dict(sorted(cache.files.items())),
        "links_digest": cache.links_digest,
        "made_at": cache.made_at.isoformat() if cache.made_at is not None else None,
        "urls": urls,
        "sources": sources,
        "appended": appended if stored is not None else 0,
        "pages": rows,
    }
    _atomic_write(file, json_codec.dumps(record))


def _number(numbers: dict[str, int], table: list[str], name: str) -> int:
    """`name`'s index in `table`, appended to it if it is not there."""
    found = numbers.get(name)
    if found is None:
        found = numbers[name] = len(table)
        table.append(name)
    return found
