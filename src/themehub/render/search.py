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
time (Pagefind's `mergeIndex`). `pagefind/themehub-shards.json` lists the shards for the search page;
`pagefind/themehub-pages.json`, which only builds read, the pages each holds with the digest of what
Pagefind reads of each (render/pagefind_digest.py). A build re-indexes only the shards that gained or
lost a page or whose pages' digests changed (a title edit changes the bytes of many pages, and what
Pagefind reads of one), and hard-links the others from the live site. A small site is one shard, at
`pagefind/` as before; the others live at `pagefind/shards/NN/`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from themehub.render.pagefind_canon import PagefindFormatError, canonicalize_index
from themehub.render.pagefind_digest import search_digest

# Content pages only: listings, tag pages, later pages of a listing and redirects are not indexed.
SEARCH_GLOB = "{articles,themes,authors,services}/*/index.html"
SEARCHED_SECTIONS = ("articles", "themes", "authors", "services")
BUNDLE = "pagefind"
MANIFEST = "themehub-shards.json"
"""The shards, for the search page: small, since it is fetched before every search page's first query."""
PAGES = "themehub-pages.json"
"""Each shard's pages and their digests, for the next build (never fetched by the search page)."""
MANIFEST_FORMAT = 2
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


def indexed_pages(site: Path, known: Mapping[str, str] | None = None,
                  changed: Collection[str] = ()) -> tuple[dict[str, str], bool]:
    """The pages Pagefind would index if it were given the whole site at once, each with its digest:
    those SEARCH_GLOB matches and, when any of them marks its body (`data-pagefind-body`), only those
    that do. A shard given to Pagefind alone must follow the whole site's rule, not its own. Also
    whether they mark their bodies.

    `known`: the live site's indexed pages and digests, when its pages marked their bodies: a page not
    in `changed` has the live page's bytes, so it is not read again (at 10,000 pages, most of them)."""
    candidates = _candidates(site)
    marked: dict[str, str] = {}
    for path in candidates:
        if known is not None and path not in changed:
            if path in known:
                marked[path] = known[path]
            continue  # unchanged, and not indexed before: it does not mark its body
        data = (site / path).read_bytes()
        if BODY_MARK in data:
            marked[path] = search_digest(data)
    if marked:
        return marked, True
    return {path: search_digest((site / path).read_bytes()) for path in candidates}, False


def _candidates(site: Path) -> list[str]:
    """What SEARCH_GLOB matches in `site`, sorted: one stat a page (pathlib's glob took two, and made a
    Path of each: a fifth of a 10,000-article rebuild's search stage)."""
    found = []
    for section in SEARCHED_SECTIONS:
        try:
            with os.scandir(site / section) as entries:
                for entry in entries:
                    with contextlib.suppress(OSError):  # a link looping on itself, as the glob skips it
                        if entry.is_dir() and os.path.isfile(os.path.join(entry.path, "index.html")):
                            found.append(f"{section}/{entry.name}/index.html")
        except OSError:  # no such section
            continue
    return sorted(found)


@functools.cache
def _pagefind() -> tuple[str, ...]:
    """The command that runs Pagefind: its binary, found once the way the `pagefind` package finds it
    (PAGEFIND_BINARY_PATH, then the binaries of the pip packages, then PATH). Not through that package:
    `python -m pagefind` only finds the binary and execs it, a Python start-up (some 55 ms) per shard,
    and its module imports asyncio (15 ms of every rebuild). The binary packages are looked into, not
    imported: theirs import `platform` (7 ms) to learn whether the file ends in .exe."""
    given = os.environ.get("PAGEFIND_BINARY_PATH")
    if given is not None:
        return (given,)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            continue
        for folder in (spec.submodule_search_locations or ()) if spec is not None else ():
            for name in ("pagefind_extended", "pagefind", "pagefind_extended.exe", "pagefind.exe"):
                if os.path.isfile(os.path.join(folder, name)):
                    return (os.path.join(folder, name),)
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return (found,) if found else (sys.executable, "-m", "pagefind")


@functools.cache
def _pagefind_version() -> str:
    """What the binary that runs says it is (`pagefind 1.5.2` -> 1.5.2): an index made by another Pagefind is
    made again. Asked of the binary (3 ms), not read from the pip package's metadata (18 ms of imports),
    which does not name a binary given by PAGEFIND_BINARY_PATH."""
    try:
        said = subprocess.run([*_pagefind(), "--version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    words = said.stdout.split()  # `pagefind 1.5.2` (the extended build may give its own name)
    return words[1] if said.returncode == 0 and len(words) == 2 and words[0].startswith("pagefind") else "unknown"


def _made_with(language: str) -> dict[str, object]:
    """What an index depends on besides its pages."""
    return {"format": MANIFEST_FORMAT, "pagefind": _pagefind_version(), "language": language}


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class LiveIndex:
    """What the live site's index holds, from its page list: each shard's pages with their digests."""

    shards: Mapping[str, Mapping[str, str]]
    """Shard folder -> page -> digest."""
    marked: bool
    """Its pages marked their bodies (so an unmarked page was left out, not forgotten)."""

    @property
    def digests(self) -> dict[str, str]:
        return {page: digest for pages in self.shards.values() for page, digest in pages.items()}


def _live_index(previous: Path | None, language: str) -> LiveIndex | None:
    """The live index's page list, when it was made the way this build would make one."""
    if previous is None:
        return None
    found = _read_json(previous / BUNDLE / PAGES)
    if found is None or any(found.get(key) != value for key, value in _made_with(language).items()):
        return None
    try:
        shards = {str(bundle): {str(page): str(digest) for page, digest in pages.items()}
                  for bundle, pages in found["shards"].items()}
        return LiveIndex(shards, found["marked"] is True)
    except (KeyError, AttributeError, TypeError):
        return None


def _reusable(previous: Path | None, live: LiveIndex | None, shards: Sequence[Shard],
              digests: Mapping[str, str]) -> set[int]:
    """The shards the live site holds as they must be now: the same pages, none of them reading
    differently to Pagefind, and the shard's files there."""
    if previous is None or live is None:
        return set()
    return {s.number for s in shards
            if live.shards.get(s.bundle) == {page: digests[page] for page in s.pages}
            and (previous / s.bundle / "pagefind-entry.json").is_file()}


def _files(folder: Path, root: bool) -> dict[str, os.DirEntry[str]]:
    """One shard's files under `folder` (for the first shard, not the other shards or the lists), as
    directory entries: their inode numbers come with the listing, so comparing a shard's thousands of
    files with the live site's costs no stat each (at 10,000 articles, 24,000 files per rebuild)."""
    found: dict[str, os.DirEntry[str]] = {}
    todo = [("", str(folder))]
    while todo:
        prefix, path = todo.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if root and not prefix and entry.name in (MANIFEST, PAGES, "shards"):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    todo.append((f"{prefix}{entry.name}/", entry.path))
                else:  # a file, or anything else in its place (removed, never followed)
                    found[prefix + entry.name] = entry
    return found


def _prune(folder: Path, keep: Path | None = None) -> None:
    """Remove the empty folders below `folder`, leaving `keep` and what is below it alone."""
    for parent, _, _ in os.walk(folder, topdown=False):
        here = Path(parent)
        if here == folder or (keep is not None and (here == keep or keep in here.parents)):
            continue
        with contextlib.suppress(OSError):  # only an empty folder can be removed
            here.rmdir()


def _link_bundle(source: Path, target: Path, root: bool) -> None:
    """Make `target` hold one shard exactly as the live site's `source` does, as hard links. The
    staging folder may be the site before last, whose files are often links to these already: those
    stay. Nothing is written into a file there (it may be the live site's own): what differs is
    unlinked and linked anew."""
    wanted = _files(source, root)
    linked = set()
    if target.is_dir():
        one_disk = os.stat(source).st_dev == os.stat(target).st_dev
        for rel, entry in _files(target, root).items():
            if one_disk and rel in wanted and entry.inode() == wanted[rel].inode():
                linked.add(rel)
            else:
                os.unlink(entry.path)
    folders = set()
    for rel, entry in wanted.items():
        if rel in linked:
            continue
        dest = f"{target}/{rel}"
        folder = os.path.dirname(dest)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        try:
            os.link(entry.path, dest)
        except OSError:
            shutil.copy2(entry.path, dest)
    _prune(target, target / "shards" if root else None)


def _place_bundle(made: Path, target: Path, root: bool) -> None:
    """Put a shard Pagefind just made at `target`, replacing whatever was there."""
    if not root:
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(made, target)
        return
    for entry in _files(target, root=True).values() if target.is_dir() else ():
        os.unlink(entry.path)
    _prune(target, target / "shards")
    for rel, entry in _files(made, root=False).items():
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.rename(entry.path, dest)


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
    command = [*_pagefind(), "--site", str(pages), "--glob", SEARCH_GLOB,
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


def _write_new(path: Path, text: str) -> None:
    """A new file, never written into one that is there (in a reused staging folder, it may be live)."""
    path.unlink(missing_ok=True)
    path.write_text(text, encoding="utf-8")


def write_search_index(site: Path, language: str, *, previous: Path | None = None,
                       changed: Collection[str] = (), jobs: int | None = None) -> SearchStats:
    """Index the content pages of the (staging) folder `site` into `site/pagefind/`, byte-identical
    for the same pages, whichever shards were reused.

    `previous` is the live site and `changed` the pages whose bytes differ from it: a shard whose pages
    read the same to Pagefind is linked from there. Pagefind's command line, not its Python API: the
    API's service answers "files written" before the last files are on disk and is then terminated,
    which under load left indexes without pagefind.js or with empty files. The command line exits only
    when everything is written. Shards run in parallel, one Pagefind process per core."""
    language = language or "en"
    live = _live_index(previous, language)
    changed = set(changed)
    digests, marked = indexed_pages(site, live.digests if live is not None and live.marked else None, changed)
    shards = plan_shards(list(digests))
    reused = _reusable(previous, live, shards, digests)
    target = site / BUNDLE
    if target.exists() and not target.is_dir():
        target.unlink()
    work = site / WORK  # inside the staging folder, so a killed build leaves nothing elsewhere
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        todo = [s for s in shards if s.number not in reused]
        with ThreadPoolExecutor(max_workers=max(1, jobs or os.cpu_count() or 1)) as pool:
            made = dict(zip((s.number for s in todo),
                            pool.map(lambda s: _run_pagefind(site, s, work, language), todo), strict=True))
        for shard in shards:  # the first shard's folder holds the others: it is placed first
            root = shard.number == 0
            if shard.number in made:
                _place_bundle(made[shard.number], site / shard.bundle, root)
            else:
                assert previous is not None
                _link_bundle(previous / shard.bundle, site / shard.bundle, root)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    planned = {f"{s.number:02d}" for s in shards[1:]}
    others = target / "shards"
    if others.is_dir():
        for folder in others.iterdir():
            if folder.name in planned:
                continue
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder)
            else:
                folder.unlink()
        if not planned:
            others.rmdir()
    made_with = _made_with(language)
    _write_new(target / MANIFEST, json.dumps({**made_with, "shards": [{"bundle": s.bundle} for s in shards]},
                                             indent=1, ensure_ascii=False) + "\n")
    pages = {s.bundle: {page: digests[page] for page in s.pages} for s in shards}
    _write_new(target / PAGES, json.dumps({**made_with, "marked": marked, "shards": pages},
                                          indent=1, ensure_ascii=False) + "\n")
    return SearchStats(len(shards), len(made))
