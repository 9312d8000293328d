"""The preview's rebuild state machine: the site built in memory, rebuilt on every save.

A rebuild that fails keeps the last good pages and records every diagnostic; the HTTP layer
(network.py, routes.py) only reads the state. Nothing is written to the output folder.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from themehub.build import BuildOptions, jobs_for, load_site
from themehub.config import CONFIG_FILE, Config
from themehub.content.loader import ParseCache, reread_bodies
from themehub.diagnostics import Diagnostic, has_errors, sorted_diagnostics
from themehub.incremental.edits import render_body_edits
from themehub.incremental.store import CACHE_DIR, prepare_cache
from themehub.output.lock import build_lock
from themehub.render.packed import PackedFiles
from themehub.render.reuse import RenderCache
from themehub.render.site import render_site
from themehub.render.templates import BUILTIN_THEMES


@dataclass
class PreviewState:
    """What the server shows: the last good build, and the problems of the latest one."""

    files: PackedFiles = field(default_factory=PackedFiles)
    """The build's files, packed (render/packed.py): a 10,000-article hub's pages in a fifth of the memory."""
    copies: dict[str, Path] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    epoch: int = 0
    css_stamps: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Stylesheet -> (size, mtime) when last served: a changed one is swapped without a reload."""
    base_path: str = "/"


def _images_dir(root: Path) -> Path | None:
    """Where the preview keeps resized and generated images: the site's cache, made whole with its
    marker first (under the build lock, so a build running now is not disturbed), so that a build after
    `serve` finds a cache of its own. None (a temporary folder) when the site has no themehub.yaml yet,
    or when .themehub-cache/ is not a themehub cache."""
    if not (root / CONFIG_FILE).is_file():
        return None
    with build_lock(root / CACHE_DIR, lambda message: print(message, file=sys.stderr, flush=True)):
        usable, _ = prepare_cache(root / CACHE_DIR)  # `build` reports a foreign cache; serve just keeps away
    return root / CACHE_DIR / "images" if usable else None


class Preview:
    """Rebuilds in memory and keeps the result; one rebuild at a time."""

    def __init__(self, site: Path, *, drafts: bool = False, now: dt.datetime | None = None) -> None:
        self.options = BuildOptions(site=site, drafts=drafts, now=now)
        self.state = PreviewState()
        self.cond = threading.Condition()
        self.build_lock = threading.Lock()
        self.cache = RenderCache(images_dir=_images_dir(site.resolve()))
        self.parse_cache: ParseCache = {}
        self.graph_memo: dict[str, object] = {}
        self.allowed_roots: tuple[Path, ...] = (site.resolve(), BUILTIN_THEMES.resolve())
        self.output_dir = site.resolve() / "site"
        self.config: Config | None = None
        self.loaded_diagnostics: tuple[Diagnostic, ...] | None = None
        """Config, content and graph diagnostics of the last good rebuild (None after a failed one)."""
        self.last_mode = ""
        """How the last rebuild went: 'full' or 'bodies' (only the pages showing edited bodies)."""

    def rebuild(self, changed: set[str] | None = None) -> list[Diagnostic]:
        """`changed`: the files the watcher saw change, if known: a body-only edit then re-renders
        only the pages that show that body."""
        with self.build_lock:
            files: PackedFiles | None
            quick = self._rebuild_bodies(changed) if changed else None
            if quick is not None:
                self.last_mode = "bodies"
                diagnostics, files, copies = quick
            else:
                self.last_mode = "full"
                diagnostics, files, copies = self._rebuild_all()
            diagnostics = sorted_diagnostics(diagnostics)
            with self.cond:
                state = self.state
                if files is not None:
                    changed_keys = sorted(k for k in files.keys() | state.files.keys()
                                          if files.blob(k) != state.files.blob(k))
                    changed_keys += sorted(k for k in copies.keys() | state.copies.keys()
                                           if copies.get(k) != state.copies.get(k)
                                           or (k.endswith(".css") and _stamp(copies[k]) != state.css_stamps.get(k)))
                    state.css_stamps = {k: _stamp(path) for k, path in copies.items() if k.endswith(".css")}
                    state.files, state.copies, state.changed = files, copies, changed_keys
                else:
                    state.changed = []
                if self.config is not None:
                    state.base_path = self.config.base_path
                    self.output_dir = self.config.output_dir
                state.diagnostics = diagnostics
                state.epoch += 1
                self.cond.notify_all()
            return diagnostics

    def _rebuild_all(self) -> tuple[list[Diagnostic], PackedFiles | None, dict[str, Path]]:
        self.loaded_diagnostics = None
        loaded = load_site(self.options, parse_cache=self.parse_cache, graph_memo=self.graph_memo)
        self.config = loaded.config or self.config
        diagnostics = list(loaded.diagnostics)
        if loaded.config is None or loaded.hub is None or has_errors(diagnostics):
            return diagnostics, None, {}
        try:
            rendered = render_site(loaded.hub, jobs=jobs_for(self.options), cache=self.cache)
        except Exception as exc:  # a bug must not stop the preview; show it like a diagnostic
            from themehub.diagnostics import error

            diagnostics.append(error("themehub", 1, 1, "internal-error",
                                     f"internal error while rendering: {type(exc).__name__}: {exc}",
                                     "this is a bug in themehub; please report it"))
            return diagnostics, None, {}
        diagnostics += rendered.diagnostics
        if has_errors(diagnostics):
            return diagnostics, None, {}
        self.loaded_diagnostics = loaded.diagnostics
        return diagnostics, PackedFiles.of(rendered.files), dict(rendered.copies)

    def _rebuild_bodies(self, changed: set[str],
                        ) -> tuple[list[Diagnostic], PackedFiles, dict[str, Path]] | None:
        """The body-edit path (incremental/edits.py), or None when only a full rebuild is exact."""
        last = self.cache.last
        if last is None or self.loaded_diagnostics is None:
            return None
        hub = last.hub
        items = reread_bodies(hub.config, hub.content, [Path(p) for p in sorted(changed)], self.parse_cache)
        if items is None:
            return None
        now = self.options.now or dt.datetime.now(dt.UTC)
        site = render_body_edits(hub.content.with_items(items), now, self.cache, {i.source for i in items})
        if site is None:
            return None
        diagnostics = [*self.loaded_diagnostics, *site.diagnostics]
        if has_errors(diagnostics):
            return None  # a broken link, say: the full rebuild reports it, and keeps the last good pages
        return diagnostics, PackedFiles.of(site.files), dict(site.copies)

    def event_payload(self) -> str:
        state = self.state
        return json.dumps({
            "epoch": state.epoch,
            "changed": state.changed,
            "errors": [
                {"file": d.file, "line": d.line, "col": d.col, "severity": d.severity, "code": d.code,
                 "message": d.message, "hint": d.hint}
                for d in state.diagnostics if d.is_error
            ],
        })


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)
