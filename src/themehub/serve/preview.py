"""The preview's rebuild state machine: the site built in memory, rebuilt on every save.

A rebuild that fails keeps the last good pages and records every diagnostic; the HTTP layer
(network.py, routes.py) only reads the state. Nothing is written to the output folder.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from themehub.build import BuildOptions, jobs_for, load_site
from themehub.config import CONFIG_FILE, Config
from themehub.content.loader import ParseCache, reread_bodies
from themehub.diagnostics import Diagnostic, has_errors, sorted_diagnostics
from themehub.incremental.compiled_templates import user_template_cache
from themehub.incremental.edits import first_look, render_body_edits
from themehub.incremental.store import CACHE_DIR, prepare_cache
from themehub.output.lock import build_lock
from themehub.render.languages import render_languages
from themehub.render.packed import PackedFiles
from themehub.render.reuse import RenderCache
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
    recent: tuple[tuple[int, tuple[str, ...]], ...] = ()
    """(epoch, files changed) of the last few epochs: a tab that slept through one (an edit's first look
    and its full rebuild land in quick succession) is told everything that changed since it last heard."""
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
        self.cache = RenderCache(images_dir=_images_dir(site.resolve()), bytecode=user_template_cache())
        self.parse_cache: ParseCache = {}
        self.graph_memo: dict[str, object] = {}
        self.allowed_roots: tuple[Path, ...] = (site.resolve(), BUILTIN_THEMES.resolve())
        self.output_dir = site.resolve() / "site"
        self.config: Config | None = None
        self.loaded_diagnostics: tuple[Diagnostic, ...] | None = None
        """Config, content and graph diagnostics of the last good rebuild (None after a failed one)."""
        self.last_mode = ""
        """How the last rebuild went: 'full' or 'bodies' (only the pages showing edited bodies)."""
        self.on_publish: Callable[[], None] | None = None
        """Called (on the rebuilding thread) when pages are served ahead of the end of a rebuild; the
        server wakes the live-reload streams with it, as it does when a rebuild ends."""
        self.first_look: tuple[str, ...] = ()
        """The pages last served ahead of a full rebuild (their edit's first look)."""

    def rebuild(self, changed: set[str] | None = None) -> list[Diagnostic]:
        """`changed`: the files the watcher saw change, if known: a body-only edit then re-renders
        only the pages that show that body."""
        with self.build_lock:
            files: PackedFiles | None
            quick = self._rebuild_bodies(changed) if changed else None
            shown_first: PackedFiles | None = None
            if quick is not None:
                self.last_mode = "bodies"
                diagnostics, files, copies = quick
            else:
                self.last_mode = "full"
                self.first_look = ()
                if changed:
                    try:
                        shown_first = self._show_first_look(changed)
                    except Exception:  # a bug in the shortcut must not stop the rebuild: it only goes without
                        shown_first = None
                diagnostics, files, copies = self._rebuild_all()
            diagnostics = sorted_diagnostics(diagnostics)
            with self.cond:
                state = self.state
                if files is not None:
                    changed_keys = files.differing(state.files)
                    changed_keys += sorted(k for k in copies.keys() | state.copies.keys()
                                           if copies.get(k) != state.copies.get(k)
                                           or (k.endswith(".css") and _stamp(copies[k]) != state.css_stamps.get(k)))
                    state.css_stamps = {k: _stamp(path) for k, path in copies.items() if k.endswith(".css")}
                    state.files, state.copies, state.changed = files, copies, changed_keys
                elif shown_first is not None:
                    # The full rebuild failed: the first look goes too, the last good build stays whole.
                    state.changed = state.files.differing(shown_first)
                    state.files = shown_first
                else:
                    state.changed = []
                if self.config is not None:
                    state.base_path = self.config.base_path
                    self.output_dir = self.config.output_dir
                state.diagnostics = diagnostics
                _next_epoch(state)
                self.cond.notify_all()
            return diagnostics

    def _show_first_look(self, changed: set[str]) -> PackedFiles | None:
        """Serve the pages of edited articles at once, made against the last build (incremental/edits.py's
        first look), while the full rebuild that follows makes the rest; returns the files served before
        (to go back to if the full rebuild fails), or None when nothing was shown early."""
        last = self.cache.last
        if last is None or self.loaded_diagnostics is None:
            return None
        items = reread_bodies(last.hub.config, last.hub.content, [Path(p) for p in sorted(changed)],
                              front_matter=True)
        now = self.options.now or dt.datetime.now(dt.UTC)
        pages = first_look(items, now, self.cache) if items else None
        if not pages:
            return None
        with self.cond:
            state = self.state
            before = state.files
            files = before.copy()
            for path, data in pages.items():
                files.put(path, data)
            shown = files.differing(before)
            if not shown:
                return None
            state.files, state.changed = files, shown
            _next_epoch(state)
            self.first_look = tuple(shown)
            self.cond.notify_all()
        if self.on_publish is not None:
            self.on_publish()
        return before

    def _rebuild_all(self) -> tuple[list[Diagnostic], PackedFiles | None, dict[str, Path]]:
        self.loaded_diagnostics = None
        loaded = load_site(self.options, parse_cache=self.parse_cache, graph_memo=self.graph_memo)
        self.config = loaded.config or self.config
        diagnostics = list(loaded.diagnostics)
        if loaded.config is None or loaded.hub is None or has_errors(diagnostics):
            return diagnostics, None, {}
        try:
            rendered = render_languages(loaded.hub, loaded.languages, jobs_for(self.options), cache=self.cache)
        except Exception as exc:  # a bug must not stop the preview; show it like a diagnostic
            from themehub.diagnostics import error

            diagnostics.append(error("themehub", 1, 1, "internal-error",
                                     f"internal error while rendering: {type(exc).__name__}: {exc}",
                                     "this is a bug in themehub; please report it"))
            return diagnostics, None, {}
        diagnostics += rendered.diagnostics
        if has_errors(diagnostics):
            return diagnostics, None, {}
        # The shortcuts below re-render the default language's pages only: a multilingual hub, where an
        # original's edit may show in its translations (an inherited title), always rebuilds whole.
        self.loaded_diagnostics = loaded.diagnostics if not loaded.languages else None
        return diagnostics, rendered.files(loaded.languages), rendered.copies

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

    def event_payload(self, since: int = -1) -> str:
        """The newest epoch's event. With `since` (the epoch of the page a tab shows, or of the event it
        heard last), what changed after it, and whether that is known (`complete`: the epochs since
        are among the recent ones)."""
        state = self.state
        changed, complete = state.changed, False
        # A `since` ahead of the newest epoch comes from a page of an earlier server: not known.
        if 0 <= since <= state.epoch and state.recent and since >= state.recent[0][0] - 1:
            changed = sorted({path for epoch, paths in state.recent if epoch > since for path in paths})
            complete = True
        return json.dumps({
            "epoch": state.epoch,
            "changed": changed,
            "complete": complete,
            "errors": [
                {"file": d.file, "line": d.line, "col": d.col, "severity": d.severity, "code": d.code,
                 "message": d.message, "hint": d.hint}
                for d in state.diagnostics if d.is_error
            ],
        })


RECENT_EPOCHS = 16


def _next_epoch(state: PreviewState) -> None:
    state.epoch += 1
    state.recent = (*state.recent[-(RECENT_EPOCHS - 1):], (state.epoch, tuple(state.changed)))


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)
