"""Writing the site: into a staging folder, then swapped in whole, so `site/` is never half-built.

Files whose bytes did not change are hard-linked from the previous site, so they keep their mtime
(deploy tools that sync by mtime upload less). themehub only ever empties a folder it created:
a marker file says so.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import queue
import re
import shutil
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from themehub.diagnostics import Diagnostic, error
from themehub.source.files import file_stamp, stat_stamp
from themehub.urls import is_safe_output_path

MARKER = ".themehub-output"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int


def check_output_dir(root: Path, output: Path, *, force: bool = False, config_file: str = "themehub.yaml",
                     ) -> list[Diagnostic]:
    """Refuse output folders that would destroy sources or someone else's files."""
    root = root.resolve()
    out = output.resolve()
    home = Path.home().resolve()

    def refuse(reason: str, hint: str) -> list[Diagnostic]:
        return [error(config_file, 1, 1, "dangerous-output", f"refusing to write the site to {out}: {reason}", hint)]

    hint = "set `output: site` in themehub.yaml or pass --out to a new folder inside the site"
    # Refused whatever --force says: replacing these would destroy what no build can give back.
    if out == Path(out.anchor):
        return refuse("it is the file system root", hint)
    if out == home or home.is_relative_to(out):
        return refuse("it is your home folder or a folder that contains it", hint)
    if root == out or root.is_relative_to(out):
        return refuse("it is the site itself or a folder that contains it", hint)
    for source in ("content", "themes", "static", ".git", ".themehub-cache"):
        if out.is_relative_to(root / source):
            return refuse(f"it is inside the site's {source}/ folder", hint)
    if out.exists() and not out.is_dir():
        return refuse("it is a file", hint)
    if out.is_dir():
        if (out / ".git").exists():
            return refuse("it holds a .git repository", hint)
        if not (out / MARKER).exists() and any(out.iterdir()) and not force:
            return refuse("it is not empty and themehub did not create it",
                          "empty it yourself, choose another folder, or pass --force to replace it")
    return []


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2). False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


_STAGING = re.compile(r"staging-(\d+)(?:-old)?\Z")


def clean_leftovers(out: Path) -> None:
    """Remove staging folders a killed build left beside the output. A folder whose build is still
    running (another process of that number is alive) is never touched: it may be a build of another
    site into the same folder, or one that this site's lock does not cover."""
    if not out.parent.is_dir():
        return
    for path in out.parent.glob(f".{out.name}.staging-*"):
        found = _STAGING.search(path.name)
        # Only themehub names folders this way, complete (with the marker) or not.
        if found is None or not path.is_dir() or path.is_symlink():
            continue
        pid = int(found.group(1))
        if pid == os.getpid() or not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # it exists, as another user's process (or the number is not ours to judge)
    return True


class UnsafeOutputPathError(ValueError):
    """A path given to the writer that does not name a file inside the output folder."""


def check_output_path(rel: str) -> None:
    """Every file the writer makes stays inside the staging folder: a last line of defence behind the
    checks of the stages before it (source/paths.py, aliases), whatever a bug there lets through."""
    if not is_safe_output_path(rel):
        raise UnsafeOutputPathError(f"refusing to write '{rel[:120]}': it is not a path inside the site")




def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _same_file(a: Path, b: Path, *, quick: bool = False) -> bool:
    """Whether the output's file `a` holds the bytes of `b`. `quick`: `b` is a cache file named by its
    content and copied with its mtime, so equal size and mtime count as equal bytes (rsync's quick
    check). When only the mtime differs (the cache was made anew and drew the same image again), the
    bytes are compared once and, equal, `b` takes `a`'s mtime: the output keeps its file and its mtime,
    and the next build knows them equal unread (it compared 2,000 share images on every 1,000-article
    rebuild)."""
    try:
        sa, sb = a.stat(), b.stat()
        if sa.st_size != sb.st_size:
            return False
        if sa.st_ino == sb.st_ino and sa.st_dev == sb.st_dev:
            return True
        if quick and sa.st_mtime_ns == sb.st_mtime_ns:
            return True
        with a.open("rb") as fa, b.open("rb") as fb:
            while True:
                ca, cb = fa.read(1 << 16), fb.read(1 << 16)
                if ca != cb:
                    return False
                if not ca:
                    break
        if quick:
            with contextlib.suppress(OSError):
                os.utime(b, ns=(sb.st_atime_ns, sa.st_mtime_ns))
        return True
    except OSError:
        return False


def _place(target: Path, previous: Path | None, *, data: bytes | None = None, source: Path | None = None,
           quick: bool = False) -> bool:
    """Put one file in the staging tree (its folder exists); reuse the previous site's file when
    identical. True if new."""
    if previous is not None:
        if data is not None:
            same = _same_bytes(previous, data)
        else:
            assert source is not None
            same = _same_file(previous, source, quick=quick)
        if same:
            try:
                os.link(previous, target)
                return False
            except OSError:
                pass
    if data is not None:
        target.write_bytes(data)
    else:
        assert source is not None
        (shutil.copy2 if quick else shutil.copyfile)(source, target)
    return True


Call = tuple[Callable[..., object], tuple[object, ...]]


class BackgroundIO:
    """File-system calls made by one thread, in the order they were submitted, while the caller goes
    on: on a rebuild the kernel's time for thousands of mkdir and link calls then overlaps Python's
    time for fingerprinting pages, on a second core. Calls travel in batches (one hand-over per call
    costs more in lock traffic than the call itself). The first failure stops the rest and is raised
    by a later `submit` or by `flush`."""

    BATCH = 64

    def __init__(self, backlog: int = 4) -> None:
        # Bounded: rendered pages wait here as bytes, and a slow disk must not let them pile up.
        self._queue: queue.Queue[list[Call] | None] = queue.Queue(backlog)
        self._batch: list[Call] = []
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def submit(self, call: Callable[..., object], *args: object) -> None:
        if self._error is not None:  # a call failed: nothing more is queued; the failure is raised
            self._batch.clear()
            self.flush()
        self._batch.append((call, args))
        if len(self._batch) >= self.BATCH:
            self._send()

    def _send(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="themehub-io", daemon=True)
            self._thread.start()
        batch, self._batch = self._batch, []
        self._queue.put(batch)

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            for call, args in batch:
                if self._error is not None:
                    break
                try:
                    call(*args)
                except BaseException as exc:  # raised again in the submitting thread
                    self._error = exc

    def flush(self) -> None:
        """Wait until every submitted call has run; raise the first failure."""
        if self._batch:
            self._send()
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._error is not None:
            failure, self._error = self._error, None
            raise failure


class StagingWriter:
    """Files go into a staging folder beside `out` as they are produced; `commit` swaps it in.

    Until `commit`, the previous output stays exactly as it was; `abort` (or any exception in a
    `with` block) removes the staging folder and leaves nothing behind. The file-system work runs in
    the background (BackgroundIO): what it found (`written`, `unchanged`, `stamps`) is complete once
    `commit` has run.

    With a `spare` folder (in the cache), the site that a commit replaces is kept there instead of
    deleted, and the next build stages into it: most of its files are already hard links to the
    current site's, so a rebuild touches only what changed instead of making and deleting every
    folder and link (at 10,000 articles, seconds of file-system calls). Nothing is ever written into
    a file of the reused tree, which may be the current site's own file: a file that must change is
    unlinked and made anew.
    """

    def __init__(self, out: Path, spare: Path | None = None, left_to_finish: frozenset[str] = frozenset()) -> None:
        """`left_to_finish`: folders (paths from the root) that `commit`'s `finish` step makes itself (the
        search indexes). In a reused tree they are left as they are for it, not deleted as stale: it
        keeps what it can."""
        self.out = out.resolve()
        self.left_to_finish = left_to_finish
        self.out.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(self.out)
        self.staging = self.out.parent / f".{self.out.name}.staging-{os.getpid()}"
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.previous = self.out if self.out.is_dir() else None
        self.spare = spare.resolve() if spare is not None else None
        self.placed: set[str] = set()
        """Every path given so far (known at once; the rest is filled in by the background thread)."""
        self.written: set[str] = set()
        self.unchanged = 0
        self.stamps: dict[str, str] = {}
        """Page path -> 'size:mtime_ns' of its file, for the next build's quick check."""
        self._folders: set[str] = {""}
        self._stale: dict[str, int] = {}
        """Reused tree: its files not (yet) placed again, with their inode numbers as the listing gave
        them (no stat each); what is left at commit is deleted."""
        self._one_disk = False
        """Reused tree: it lies on the previous site's file system (inode numbers can be compared)."""
        self._io = BackgroundIO()
        self.reused = self._take_spare()
        if self.reused:
            self._io.submit(self._list_reused)  # runs before any placement: the calls keep their order
        else:
            self.staging.mkdir()

    def _take_spare(self) -> bool:
        spare = self.spare
        if spare is None or not spare.is_dir() or spare.is_symlink():
            return False
        if self.previous is None or not (spare / MARKER).is_file():
            self._io.submit(shutil.rmtree, spare, True)  # the site it was kept for is gone: no use
            return False
        try:
            os.rename(spare, self.staging)  # fails across file systems: then a fresh staging folder
        except OSError:
            return False
        return True

    def _list_reused(self) -> None:
        self._one_disk = self.previous is not None and os.stat(self.staging).st_dev == os.stat(self.previous).st_dev
        todo = [""]
        while todo:
            folder = todo.pop()
            self._folders.add(folder)
            prefix = f"{folder}/" if folder else ""
            with os.scandir(f"{self.staging}/{folder}") as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if prefix + entry.name in self.left_to_finish:
                            continue  # finish's own
                        todo.append(prefix + entry.name)
                    else:  # files, and anything else (a link) is removed unless placed again
                        self._stale[prefix + entry.name] = entry.inode()

    def _target(self, rel: str) -> str:
        """Where `rel` goes in the staging tree, its folder made (once: thousands of pages share a few)."""
        folder = rel.rpartition("/")[0]
        if folder not in self._folders:
            if self.reused:
                self._clear_ancestors(folder)
            os.makedirs(f"{self.staging}/{folder}", exist_ok=True)
            self._folders.add(folder)
        if self.reused and rel in self._folders:  # a folder in the reused tree, a file now
            self._remove_folder(rel)
        return f"{self.staging}/{rel}"

    def _clear_ancestors(self, folder: str) -> None:
        """Reused tree: a file where `folder` (or a folder above it) must now be is removed."""
        parts = folder.split("/")
        for n in range(1, len(parts) + 1):
            prefix = "/".join(parts[:n])
            if prefix in self._stale:
                os.unlink(f"{self.staging}/{prefix}")
                del self._stale[prefix]

    def _remove_folder(self, rel: str) -> None:
        shutil.rmtree(f"{self.staging}/{rel}")
        inside = rel + "/"
        self._folders = {f for f in self._folders if f != rel and not f.startswith(inside)}
        self._stale = {f: inode for f, inode in self._stale.items() if not f.startswith(inside)}

    def _kept(self, rel: str, target: str, seen: os.stat_result | None = None) -> os.stat_result | None:
        """Reused tree: the previous site's file at `rel` when the file at `target` is a hard link to it
        (one stat, none when the caller took it as `seen`: the tree's inode numbers came with its
        listing); anything else there is removed, so that what comes is a new file."""
        inode = self._stale.pop(rel, None)
        if inode is None:
            return None
        if self.previous is not None and self._one_disk:
            with contextlib.suppress(OSError):
                previous = seen if seen is not None else os.stat(f"{self.previous}/{rel}")
                if previous.st_ino == inode:
                    return previous
        os.unlink(target)
        return None

    def __enter__(self) -> StagingWriter:
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        try:
            self._io.flush()
        except Exception:
            if kind is None:
                self.abort()
                raise
        if self.staging.exists():
            self.abort()

    def _track(self, rel: str, new: bool) -> None:
        if new:
            self.written.add(rel)
        else:
            self.unchanged += 1

    def put(self, rel: str, data: bytes) -> None:
        check_output_path(rel)
        self.placed.add(rel)
        self._io.submit(self._put, rel, data)

    def _put(self, rel: str, data: bytes) -> None:
        self.stamps[rel] = file_stamp(self._place_at(rel, data=data))

    def _place_at(self, rel: str, *, data: bytes | None = None, source: Path | None = None,
                  quick: bool = False) -> str:
        """`_place` in the staging tree; in a reused tree, a kept link to identical bytes stays as it is."""
        target = self._target(rel)
        previous = self.previous / rel if self.previous else None
        if self._kept(rel, target) is not None and previous is not None and (
                _same_bytes(previous, data) if data is not None
                else source is not None and _same_file(previous, source, quick=quick)):
            self._track(rel, False)
        else:
            self._fresh(target)
            self._track(rel, _place(Path(target), previous, data=data, source=source, quick=quick))
        return target

    def _fresh(self, target: str) -> None:
        """Reused tree: nothing at `target` before a new file is made there (a kept link may be)."""
        if self.reused:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)

    def put_unchanged(self, rel: str, seen: os.stat_result | None = None) -> None:
        """`rel` is known to hold the same bytes as in the previous output: link it, reading nothing.
        `seen`: the previous file's stat, just taken by the caller (rsync's quick check)."""
        assert self.previous is not None
        check_output_path(rel)
        self.placed.add(rel)
        self._io.submit(self._put_unchanged, rel, seen)

    def _put_unchanged(self, rel: str, seen: os.stat_result | None) -> None:
        target = self._target(rel)
        kept = self._kept(rel, target, seen)
        if kept is None:
            source = f"{self.previous}/{rel}"
            try:
                os.link(source, target)
            except OSError:
                self._fresh(target)
                shutil.copy2(source, target)
                seen = None  # a copy: its own mtime
            # A link is the same file: its size and mtime are those just seen.
            self.stamps[rel] = stat_stamp(seen) if seen is not None else file_stamp(target)
        else:  # one file under two names: its size and mtime are the previous site's
            self.stamps[rel] = stat_stamp(kept)
        self._track(rel, False)

    def copy(self, rel: str, source: Path, *, quick: bool = False) -> None:
        """`quick`: `source` is a cache file named by its content, never changed in place. It is
        copied with its mtime, so the next build knows it unchanged by size and mtime, unread."""
        check_output_path(rel)
        if rel in self.placed:
            return  # a generated page wins over a static file at the same address
        self.placed.add(rel)
        self._io.submit(self._copy, rel, source, quick)

    def _copy(self, rel: str, source: Path, quick: bool) -> None:
        self._place_at(rel, source=source, quick=quick)

    def _drop_stale(self) -> None:
        """Reused tree: delete the files no longer in the site, then the folders left empty."""
        for rel in sorted(self._stale):
            os.unlink(f"{self.staging}/{rel}")
        self._stale.clear()
        needed = {""}
        for rel in self.placed:
            folder = rel.rpartition("/")[0]
            while folder not in needed:
                needed.add(folder)
                folder = folder.rpartition("/")[0]
        for folder in sorted(self._folders - needed, key=len, reverse=True):
            shutil.rmtree(f"{self.staging}/{folder}", ignore_errors=True)
        self._folders &= needed

    def commit(self, finish: Callable[[Path, set[str]], None] | None = None) -> WriteStats:
        if self.reused:
            self._io.submit(self._drop_stale)
        self._io.flush()
        if finish is not None:
            finish(self.staging, self.written)
        self._fresh(f"{self.staging}/{MARKER}")
        (self.staging / MARKER).write_text("This folder is written by themehub; it is replaced on every build.\n")
        if self.previous is None:
            os.rename(self.staging, self.out)
        elif _exchange(self.staging, self.out):
            self._retire(self.staging)  # the staging path now holds the previous site
        else:
            old = self.out.parent / f".{self.out.name}.staging-{os.getpid()}-old"
            os.rename(self.out, old)
            os.rename(self.staging, self.out)
            self._retire(old)
        return WriteStats(len(self.written), self.unchanged)

    def _retire(self, replaced: Path) -> None:
        """The replaced site becomes the next build's spare, or is deleted in the background (while
        the build saves its cache; leaving the `with` block waits for it)."""
        if self.spare is not None:
            try:
                self.spare.parent.mkdir(parents=True, exist_ok=True)
                os.rename(replaced, self.spare)
                return
            except OSError:
                pass
        self._io.submit(shutil.rmtree, replaced, True)

    def wait(self) -> None:
        """Wait for the background work (after `commit`: deleting the replaced site)."""
        self._io.flush()

    def abort(self) -> None:
        with contextlib.suppress(Exception):  # the caller is failing already; the folder goes anyway
            self._io.flush()  # nothing may still be writing into the folder being deleted
        shutil.rmtree(self.staging, ignore_errors=True)


def write_site(out: Path, files: Mapping[str, bytes], copies: Mapping[str, Path],
               finish: Callable[[Path, set[str]], None] | None = None, spare: Path | None = None) -> WriteStats:
    """Write `files` (output path -> bytes) and `copies` (output path -> source file), then swap.

    `finish(staging, written)` runs on the complete staging folder before the swap, with the paths
    whose bytes changed (the search index is made there).
    """
    with StagingWriter(out, spare=spare) as writer:
        for rel, data in sorted(files.items()):
            writer.put(rel, data)
        for rel, source in sorted(copies.items()):
            writer.copy(rel, source)
        return writer.commit(finish)
