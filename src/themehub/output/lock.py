"""One build of a site at a time: an exclusive lock on `.themehub-cache/build.lock`.

Two builds of one site share its cache (packed files, page fingerprints, the kept previous site) and
its output folder; run together they would delete each other's staging folders and interleave cache
writes. A second build waits for the first, saying so. The lock is the kernel's (`flock`): it goes away
with the process that holds it, however that process ends, so a killed build never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds are not serialized there (README)
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "build.lock"


@contextlib.contextmanager
def build_lock(cache_dir: Path, on_wait: Callable[[str], None]) -> Iterator[None]:
    """Hold the site's build lock for the `with` block; `on_wait` hears once why the build waits."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(cache_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _locked_now(fd):
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            on_wait(f"waiting for another build of this site{f' (process {holder})' if holder else ''} "
                    "to finish…")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing the only descriptor releases the lock


def try_lock(path: Path) -> int | None:
    """An exclusive lock on `path` (made if missing), if no other process holds one: its descriptor,
    to close when done (which releases it), else None. Where there is no flock, the descriptor only."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    if _locked_now(fd):
        return fd
    os.close(fd)
    return None


def _locked_now(fd: int) -> bool:
    """Take the exclusive lock on `fd` if no one holds it (True), without waiting. Where there is no
    flock (Windows), True: nothing is serialized there."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
