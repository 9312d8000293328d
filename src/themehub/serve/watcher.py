"""Watching the site folder: watchdog events, filtered and debounced into one rebuild per burst."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from themehub.config import CONFIG_FILE
from themehub.source.files import is_ignored_name

WATCHED_TOP = ("content", "static", "themes")
OnChange = Callable[[set[str], frozenset[str]], None]
"""Told each burst's paths, and those of them made and gone again within it (`_Handler.made`)."""
DEBOUNCE_SECONDS = 0.05


def is_relevant(root: Path, output: Path, raw_path: str) -> bool:
    """A change that can alter the site: config, content, static or theme files; not our output."""
    path = Path(raw_path)
    try:
        rel = path.relative_to(root)
    except ValueError:
        return False
    if path == output or output in path.parents:
        return False
    parts = rel.parts
    if not parts or any(is_ignored_name(part) for part in parts):
        return False
    return parts == (CONFIG_FILE,) or parts[0] in WATCHED_TOP


class _Handler(FileSystemEventHandler):
    def __init__(self, root: Path, output: Path, on_change: OnChange) -> None:
        self.root, self.output, self.on_change = root, output, on_change
        self.pending: set[str] = set()
        self.made: set[str] = set()
        """Pending paths whose first event of the burst made them: gone again at its end, they were most
        likely an editor's temporary file (the one `sed -i` renames over its file), which `serve` does not name. They
        still count as changes: a rebuild running meanwhile may have read one, and a file renamed in
        from an unwatched folder is 'made' too, though a file of that name was there before."""
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's own mtime: the files that changed in it have events of their own
        paths = [str(event.src_path)]
        dest = getattr(event, "dest_path", "")
        if dest:
            paths.append(str(dest))
        relevant = [p for p in paths if is_relevant(self.root, self.output, p)]
        if not relevant:
            return
        with self.lock:
            if event.event_type == "created" and relevant[0] == paths[0] and paths[0] not in self.pending:
                self.made.add(paths[0])
            self.pending.update(relevant)
            if self.timer is not None:
                self.timer.cancel()
            # Editors save in bursts (temp file, rename, chmod): wait for the burst to end.
            self.timer = threading.Timer(DEBOUNCE_SECONDS, self._fire)
            self.timer.daemon = True
            self.timer.start()

    def _fire(self) -> None:
        with self.lock:
            batch, self.pending = self.pending, set()
            made, self.made = self.made, set()
            self.timer = None
        if batch:
            self.on_change(batch, frozenset(path for path in made if not os.path.lexists(path)))


class _Watches:
    """Only what can change the site is watched: the site folder itself (for `themehub.yaml` and for
    content/, static/ or themes/ appearing), and those three folders recursively. Watching the whole
    tree would take in the cache and output folders, whose thousands of writes (share images) overflow
    the kernel's event queue on a large hub."""

    def __init__(self, root: Path, output: Path, on_change: OnChange) -> None:
        self.root = root
        self.observer = Observer()
        self.observer.daemon = True
        self.handler = _Handler(root, output, self._changed(on_change))
        self.watches: dict[str, ObservedWatch] = {}
        self.lock = threading.Lock()
        self.observer.schedule(self.handler, str(root), recursive=False)
        self.rewatch(WATCHED_TOP)

    def rewatch(self, names: Iterable[str]) -> None:
        """Watch these top folders afresh: a folder made, replaced or moved in gets a new watch."""
        with self.lock:
            for name in names:
                old = self.watches.pop(name, None)
                if old is not None:
                    with contextlib.suppress(KeyError, OSError):  # the folder and its watch may be gone
                        self.observer.unschedule(old)
                folder = self.root / name
                if folder.is_dir() and not folder.is_symlink():
                    self.watches[name] = self.observer.schedule(self.handler, str(folder), recursive=True)

    def _changed(self, on_change: OnChange) -> OnChange:
        def changed(batch: set[str], passing: frozenset[str]) -> None:
            top = {Path(p).name for p in batch if Path(p).parent == self.root and Path(p).name in WATCHED_TOP}
            if top:
                self.rewatch(sorted(top))  # content/ (say) was just made, replaced or moved in
            on_change(batch, passing)
        return changed


def start_watching(root: Path, output: Path, on_change: OnChange) -> BaseObserver:
    watches = _Watches(root.resolve(), output.resolve(), on_change)
    watches.observer.start()
    return watches.observer
