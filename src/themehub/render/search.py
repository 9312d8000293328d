"""The static search index, built with Pagefind's command line into the staging folder, in shards.

Pagefind's binary ships inside its pip package and runs offline; the index it writes is loaded lazily
by the search page, so no server of ours is needed. Result URLs are relative to the output folder; the
search page passes base_url's path to Pagefind's UI. Pagefind writes its filter index in a different
order on each run (its issue #638): each index is rewritten in one fixed order afterwards
(render/pagefind_canon.py), so builds stay byte-identical.

Pagefind indexes every page it is given on every run, so one index of the whole site made a one-page
edit cost a full re-index (2.6 s of a 3.5 s rebuild at 1,000 articles). The searchable pages are
therefore split into shards by a hash of their path, which never moves a page to another shard when
others come and go; each shard is its own Pagefind index, and the search page merges them at query
time (Pagefind's `mergeIndex`). `pagefind/themehub-shards.json` lists the shards with the pages each
holds. A build re-indexes only the shards that gained, lost or changed a page, and hard-links the
others from the live site, whose manifest says what they hold. A small site is one shard, at
`pagefind/` as before; the others live at `pagefind/shards/NN/`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from themehub.render.pagefind_canon import PagefindFormatError, canonicalize_index

# Content pages only: listings, tag pages, later pages of a listing and redirects are not indexed.
SEARCH_GLOB = "{articles,themes,authors,services}/*/index.html"
SEARCHED_SECTIONS = ("articles", "themes", "authors", "services")
BUNDLE = "pagefind"
MANIFEST = "themehub-shards.json"
MANIFEST_FORMAT = 1
SHARD_PAGES = 128
"""Pages per shard the shard count aims at: one Pagefind run of 128 pages takes about 0.3 s here."""
MAX_SHARDS = 64
"""Every shard is one more index the browser fetches per search: beyond this, shards grow instead."""
BODY_MARK = b"data-pagefind-body"
WORK = ".themehub-search"


def is_searchable(path: str) -> bool:
    """Whether an output path is one SEARCH_GLOB matches."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] in SEARCHED_SECTIONS and parts[2] == "index.html"


class SearchIndexError(Exception):
    """Pagefind failed, or wrote an index themehub cannot rewrite: the build stops, the site is kept."""


@dataclass(frozen=True)
class Shard:
    """One Pagefind index: the pages it holds and the folder it is written to."""

    number: int
    pages: tuple[str, ...]

    @property
    def bundle(self) -> str:
        """Its folder, relative to the site: the first shard is `pagefind/` itself."""
        return f"{BUNDLE}/" if self.number == 0 else f"{BUNDLE}/shards/{self.number:02d}/"


@dataclass(frozen=True)
class SearchStats:
    shards: int
    indexed: int
    """Shards Pagefind ran for; the others were taken from the live site."""


def shard_count(pages: int) -> int:
    """A power of two, so that the count changes (and every shard is made again) only when the site
    doubles or halves."""
    count = 1
    while count < MAX_SHARDS and pages > count * SHARD_PAGES:
        count *= 2
    return count


def _shard_of(path: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big") % count


def plan_shards(paths: Sequence[str]) -> tuple[Shard, ...]:
    """The searchable pages split into shards; no shard is empty (the count halves until none is)."""
    count = shard_count(len(paths))
    while True:
        groups: list[list[str]] = [[] for _ in range(count)]
        for path in sorted(paths):
            groups[_shard_of(path, count)].append(path)
        if count == 1 or all(groups):
            return tuple(Shard(n, tuple(group)) for n, group in enumerate(groups))
        count //= 2


def indexed_pages(site: Path) -> list[str]:
    """The pages Pagefind would index if it were given the whole site at once: those SEARCH_GLOB
    matches and, when any of them marks its body (`data-pagefind-body`), only those that do. A shard
    given to Pagefind alone must follow the whole site's rule, not its own."""
    paths = sorted(p.relative_to(site).as_posix() for section in SEARCHED_SECTIONS
                   for p in (site / section).glob("*/index.html") if p.is_file())
    marked = [path for path in paths if BODY_MARK in (site / path).read_bytes()]
    return marked or paths


def _pagefind_version() -> str:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return "unknown"


def _manifest(shards: Sequence[Shard], language: str) -> dict[str, object]:
    return {"format": MANIFEST_FORMAT, "pagefind": _pagefind_version(), "language": language,
            "shards": [{"bundle": s.bundle, "pages": list(s.pages)} for s in shards]}


def _read_manifest(site: Path) -> dict[str, object] | None:
    try:
        value = json.loads((site / BUNDLE / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _reusable(previous: Path | None, shards: Sequence[Shard], language: str,
              changed: Collection[str]) -> set[int]:
    """The shards the live site holds as they are now: same Pagefind, same language, the same pages,
    none of them changed since."""
    if previous is None:
        return set()
    old = _read_manifest(previous)
    new = _manifest(shards, language)
    if old is None or any(old.get(key) != new[key] for key in ("format", "pagefind", "language")):
        return set()
    old_shards = old.get("shards")
    if not isinstance(old_shards, list):
        return set()
    held = {entry.get("bundle"): entry.get("pages") for entry in old_shards if isinstance(entry, dict)}
    return {s.number for s in shards
            if held.get(s.bundle) == list(s.pages) and not any(page in changed for page in s.pages)
            and (previous / s.bundle / "pagefind-entry.json").is_file()}


def _link_bundle(source: Path, target: Path) -> None:
    """Hard-link one shard's files (not the other shards' folders below the first one's)."""
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if rel.parts[0] == "shards" or rel.as_posix() == MANIFEST:
            continue
        dest = target / rel
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, dest)
            except OSError:
                shutil.copy2(path, dest)


def _run_pagefind(site: Path, shard: Shard, work: Path, language: str) -> Path:
    """Index one shard: its pages are hard-linked into a folder of their own, which Pagefind reads."""
    pages = work / f"pages-{shard.number:02d}"
    pages.mkdir()
    for path in shard.pages:
        dest = pages / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site / path, dest)
        except OSError:
            shutil.copy2(site / path, dest)
    output = work / f"index-{shard.number:02d}"
    command = [sys.executable, "-m", "pagefind", "--site", str(pages), "--glob", SEARCH_GLOB,
               "--output-path", str(output), "--force-language", language, "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Pagefind could not run: {exc}") from exc
    if done.returncode != 0:
        last = (done.stderr.strip() or done.stdout.strip() or "no message").splitlines()[-1]
        raise SearchIndexError(f"Pagefind failed (exit {done.returncode}): {last}")
    try:
        canonicalize_index(output)
    except PagefindFormatError as exc:
        raise SearchIndexError(f"the index Pagefind wrote cannot be made deterministic: {exc}") from exc
    return output


def write_search_index(site: Path, language: str, *, previous: Path | None = None,
                       changed: Collection[str] = (), jobs: int | None = None) -> SearchStats:
    """Index the content pages of the (staging) folder `site` into `site/pagefind/`, byte-identical
    for the same pages, whichever shards were reused.

    `previous` is the live site and `changed` the pages whose bytes differ from it: a shard of
    unchanged pages is linked from there. Pagefind's command line, not its Python API: the API's
    service answers "files written" before the last files are on disk and is then terminated, which
    under load left indexes without pagefind.js or with empty files. The command line exits only when
    everything is written. Shards run in parallel, one Pagefind process per core."""
    language = language or "en"
    shards = plan_shards(indexed_pages(site))
    reused = _reusable(previous, shards, language, set(changed))
    target = site / BUNDLE
    if target.exists():
        shutil.rmtree(target)
    work = site / WORK  # inside the staging folder, so a killed build leaves nothing elsewhere
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        todo = [s for s in shards if s.number not in reused]
        with ThreadPoolExecutor(max_workers=max(1, jobs or os.cpu_count() or 1)) as pool:
            made = dict(zip((s.number for s in todo),
                            pool.map(lambda s: _run_pagefind(site, s, work, language), todo), strict=True))
        # The first shard's folder holds the others: it is placed first.
        for shard in shards:
            if shard.number in made:
                dest = site / shard.bundle
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.rename(made[shard.number], dest)
            else:
                assert previous is not None
                _link_bundle(previous / shard.bundle, site / shard.bundle)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    manifest = json.dumps(_manifest(shards, language), indent=1, ensure_ascii=False) + "\n"
    (target / MANIFEST).write_text(manifest, encoding="utf-8")
    return SearchStats(len(shards), len(made))
