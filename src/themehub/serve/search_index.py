"""The preview's search index: Pagefind run in the background on the pages of the in-memory build.

`serve` never writes the output folder, so the searchable pages of each good build are mirrored into
a scratch folder, Pagefind's command line indexes them there exactly as `build` does
(render/search.py), and the finished bundle is kept in memory and served at `pagefind/`.

- One Pagefind at a time: builds that land while it runs replace each other, and only the newest is
  indexed next (a burst of saves costs at most one more run, never a queue of them).
- A failed run keeps the previous index, and is reported once in the terminal (the same failure again
  is not repeated until a run has succeeded).
- The HTTP layer only reads `bundle()` and `status()`: nothing here blocks the event loop.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from themehub.incremental.store import CACHE_DIR
from themehub.output.lock import try_lock
from themehub.render.packed import PackedFiles
from themehub.render.search import SearchIndexError, is_searchable, write_search_index


class Indexer(Protocol):
    """Index the pages of a folder into `<folder>/pagefind/` (write_search_index's shape): `previous`
    holds the last index made (in its `pagefind/`), `changed` the pages written since."""

    def __call__(self, site: Path, language: str, *, previous: Path | None = None,
                 changed: Collection[str] = ()) -> object: ...


SCRATCH = ".serve-search"
"""In the site's cache. Dotted: the cache's own check (cache.py) counts a dotted entry as a temporary
file of ours, whereas any other unknown name would make a later build judge the cache foreign."""

BUILDING, READY, FAILED = "building", "ready", "failed"


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def scratch_folder(site_root: Path, cache_usable: bool) -> Iterator[Path]:
    """Where the preview's index is made: in the site's cache when it is ours and no other `serve` of
    the site is using it (two indexing into one folder broke each other's shards), else a temporary
    folder removed at the end (a foreign `.themehub-cache/` is never written)."""
    held = None
    if cache_usable:
        (site_root / CACHE_DIR).mkdir(parents=True, exist_ok=True)
        held = try_lock(site_root / CACHE_DIR / f"{SCRATCH}.lock")
    if held is not None:
        try:
            yield site_root / CACHE_DIR / SCRATCH
        finally:
            os.close(held)
        return
    with tempfile.TemporaryDirectory(prefix="themehub-serve-search-", ignore_cleanup_errors=True) as folder:
        yield Path(folder)


@dataclass(frozen=True)
class _Job:
    pages: PackedFiles
    """Output path -> page, the searchable pages only (packed: compared without unpacking)."""
    language: str
    others: tuple[tuple[str, str], ...] = ()
    """(folder, language) of each other language of a multilingual hub: an index of its own each."""

    @property
    def indexes(self) -> tuple[tuple[str, str], ...]:
        return (("", self.language), *self.others)


class BackgroundIndex:
    """The newest finished search index of the preview, and the worker that makes the next one."""

    def __init__(self, scratch: Path, *, indexer: Indexer = write_search_index,
                 report: Callable[[str], None] = _to_stderr) -> None:
        self._scratch = scratch
        self._indexer = indexer
        self._report = report
        self._cond = threading.Condition()
        self._pending: _Job | None = None
        self._latest: _Job | None = None
        """The job queued or indexed last: a build with the same pages is not indexed again."""
        self._worker: threading.Thread | None = None
        self._bundles: Mapping[str, Mapping[str, bytes]] | None = None
        """Folder ('' or 'de/') -> its index (path below its `pagefind/` -> bytes)."""
        self._failure: str | None = None
        """Why the last run failed, until one succeeds."""
        self._reported: str | None = None
        self._closed = False
        self._on_disk: dict[str, bytes] | None = None
        """What the scratch folder holds, packed (worker thread only); None: unknown, so it is emptied first."""

    # ------------------------------------------------------------------------------ any thread

    def submit(self, files: Mapping[str, bytes], language: str, others: Sequence[tuple[str, str]] = ()) -> None:
        """Index these pages (a whole build: only the searchable ones are kept) once Pagefind is free;
        `others`: (folder, language) of a multilingual hub's other languages, each indexed on its own."""
        packed = files if isinstance(files, PackedFiles) else PackedFiles.of(files)
        folders = [folder for folder, _ in others]
        searchable = [path for path in packed if is_searchable(path) or any(
            path.startswith(folder) and is_searchable(path.removeprefix(folder)) for folder in folders)]
        job = _Job(packed.only(searchable), language or "en", tuple(others))
        with self._cond:
            newest = self._pending if self._pending is not None else self._latest
            if self._closed or job == newest:
                return
            self._pending = job  # replaces a job still waiting: the newest wins
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="themehub-search-index", daemon=True)
                self._worker.start()

    def bundle(self, folder: str = "") -> Mapping[str, bytes] | None:
        """The newest finished index of the language in `folder` ('' for the default, 'de/'): path below
        its `pagefind/` -> bytes; None before the first."""
        with self._cond:
            return self._bundles.get(folder) if self._bundles is not None else None

    def status(self) -> str:
        """READY once an index can be served (a newer one may be under way), FAILED when none can be
        and none is being made, else BUILDING."""
        with self._cond:
            if self._bundles is not None:
                return READY
            if self._failure is not None and self._worker is None:
                return FAILED
            return BUILDING

    def wait_idle(self, timeout: float) -> bool:
        """True once no run is under way or waiting (within timeout seconds)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._worker is None, timeout)

    def close(self) -> None:
        """No more runs: a waiting one is dropped (one under way finishes on its own)."""
        with self._cond:
            self._closed = True
            self._pending = None

    # ------------------------------------------------------------------------------ the worker

    def _work(self) -> None:
        while True:
            with self._cond:
                job, self._pending = self._pending, None
                if job is None or self._closed:
                    self._worker = None
                    self._cond.notify_all()
                    return
                self._latest = job
            try:
                bundle = self._run(job)
            except (SearchIndexError, OSError) as exc:
                self._failed(str(exc))
            except Exception as exc:  # a bug must not end the worker, nor print a traceback
                self._failed(f"internal error: {type(exc).__name__}: {exc} (this is a bug in themehub)")
            else:
                with self._cond:
                    self._bundles, self._failure, self._reported = bundle, None, None

    def _run(self, job: _Job) -> Mapping[str, Mapping[str, bytes]]:
        site = self._scratch / "site"
        try:
            changed = self._mirror(site, job.pages)
            bundles = {}
            for folder, language in job.indexes:
                output = site / folder / "pagefind"
                previous = self._scratch / "previous" / folder
                # The last index is kept aside: the shards of pages that did not change are taken from it.
                shutil.rmtree(previous, ignore_errors=True)
                if output.is_dir():
                    previous.mkdir(parents=True)
                    output.rename(previous / "pagefind")
                self._indexer(site / folder, language, previous=previous if previous.is_dir() else None,
                              changed={rel.removeprefix(folder) for rel in changed if rel.startswith(folder)})
                bundles[folder] = MappingProxyType({path.relative_to(output).as_posix(): path.read_bytes()
                                                    for path in sorted(output.rglob("*")) if path.is_file()})
            return MappingProxyType(bundles)
        except BaseException:
            # Half written, or changed behind our back (the cache deleted): start from an empty folder.
            self._on_disk = None
            raise

    def _mirror(self, site: Path, pages: PackedFiles) -> set[str]:
        """Make `site` hold exactly `pages`, writing only what changed since the last run; return the
        pages written or deleted (every page, when the folder was emptied first)."""
        if self._on_disk is None:
            shutil.rmtree(self._scratch, ignore_errors=True)  # a previous preview's pages, or a torn run
            site.mkdir(parents=True, exist_ok=True)
            self._on_disk = {}
        on_disk = self._on_disk
        changed = set(on_disk.keys() ^ pages.keys())
        for rel in sorted(on_disk.keys() - pages.keys()):
            path = site / rel
            path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                path.parent.rmdir()  # the page's own folder, now empty
            del on_disk[rel]
        for rel in pages:
            blob = pages.blob(rel)
            if blob is None or on_disk.get(rel) == blob:
                continue
            if any(part in ("", ".", "..") for part in rel.split("/")):
                continue  # never written outside the folder, whatever a path holds
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pages[rel])
            on_disk[rel] = blob
            changed.add(rel)
        return changed

    def _failed(self, message: str) -> None:
        with self._cond:
            self._failure = message
            repeated, self._reported = message == self._reported, message
            kept = self._bundles is not None
        if not repeated:
            self._report(f"themehub serve: search index not updated: {message}; "
                         + ("search keeps the previous index" if kept else "search is unavailable until it is fixed"))
