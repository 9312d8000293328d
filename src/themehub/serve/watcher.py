"""Watching the site folder: watchdog events, filtered and debounced into one rebuild per burst."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from themehub.config import CONFIG_FILE
from themehub.content.loader import is_ignored_name

WATCHED_TOP = ("content", "static", "themes")
DEBOUNCE_SECONDS = 0.08


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
    def __init__(self, root: Path, output: Path, on_change: Callable[[set[str]], None]) -> None:
        self.root, self.output, self.on_change = root, output, on_change
        self.pending: set[str] = set()
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
            self.timer = None
        if batch:
            self.on_change(batch)


def start_watching(root: Path, output: Path, on_change: Callable[[set[str]], None]) -> Observer:
    observer = Observer()
    observer.schedule(_Handler(root.resolve(), output.resolve(), on_change), str(root), recursive=True)
    observer.daemon = True
    observer.start()
    return observer
