"""`themehub serve`: the site built in memory, served on 127.0.0.1, rebuilt on every save.

HTML responses get a small live-reload script (server-sent events). A rebuild that fails keeps the
last good pages and shows every diagnostic in an overlay in the browser (and in the terminal);
the overlay goes away by itself after the fix. Nothing is written to the output folder.

The parts: preview.py rebuilds, search_index.py runs Pagefind on each good build in the background,
routes.py decides each answer, network.py serves the connections (one asyncio loop, bounded and timed
out), hosts.py decides who may ask, events.py wakes the tabs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import sys
import time
import webbrowser
from pathlib import Path
from typing import Any

from themehub.diagnostics import Diagnostic, format_text, has_errors
from themehub.render.search import write_search_index
from themehub.serve.events import RebuildSignal
from themehub.serve.hosts import Exposure, exposure_for
from themehub.serve.limits import Limits, raise_open_files_limit
from themehub.serve.network import HttpServer, bind
from themehub.serve.preview import Preview, PreviewState
from themehub.serve.routes import EVENTS, LIVE_JS, PreviewSite, live_script, resolve_path
from themehub.serve.search_index import BackgroundIndex, Indexer, scratch_folder
from themehub.serve.stopping import StopWatchdog
from themehub.serve.watcher import start_watching

# Imported from here by the command line and the tests.
__all__ = ["EVENTS", "LIVE_JS", "Preview", "PreviewState", "live_script", "resolve_path", "serve"]


def _report(diagnostics: list[Diagnostic]) -> None:
    if diagnostics:
        print(format_text(diagnostics), file=sys.stderr, flush=True)


def serve(site: Path, *, host: str = "127.0.0.1", port: int = 8000, drafts: bool = False,
          open_browser: bool = False, now: dt.datetime | None = None,
          search_indexer: Indexer = write_search_index, process_ends: bool = False) -> int:
    """`search_indexer` makes the Pagefind index of a folder of pages (tests pass a slower one).
    `process_ends`: the process exits when this returns (the command line): the Ctrl-C watchdog then
    bounds the interpreter's exit too; otherwise it stands down once stopping is over."""
    preview = Preview(site, drafts=drafts, now=now)
    watchdog = StopWatchdog()
    try:
        # The preview's cache is usable (images_dir set) only when .themehub-cache/ is ours to write.
        with scratch_folder(site.resolve(), preview.cache.images_dir is not None) as scratch:
            search = BackgroundIndex(scratch, indexer=search_indexer)
            try:
                return _serve_site(site, preview, search, watchdog, host=host, port=port,
                                   open_browser=open_browser)
            finally:
                search.close()
    finally:
        if not process_ends:
            watchdog.disarm()


def _serve_site(site: Path, preview: Preview, search: BackgroundIndex, watchdog: StopWatchdog, *, host: str,
                port: int, open_browser: bool) -> int:
    diagnostics = preview.rebuild()
    _report(diagnostics)
    _index(preview, search, diagnostics)  # under way while the server starts
    limits = Limits.for_open_files(raise_open_files_limit())
    exposure = exposure_for(host)
    try:
        sock = bind(host, port, backlog=limits.backlog)
    except OSError as exc:
        print(f"themehub serve: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    url = f"http://{exposure.url_host}:{sock.getsockname()[1]}{preview.state.base_path}"
    print(f"serving {site.resolve()} at {url} (Ctrl-C to stop)", flush=True)
    if exposure.public:
        print(f"warning: --host {host} makes this preview visible to other machines on the network; it answers "
              f"only requests naming this machine (Host: {exposure.url_host}, localhost, its name)",
              file=sys.stderr, flush=True)
    if open_browser:
        webbrowser.open(url)
    try:
        # A selector loop everywhere (Windows defaults to the proactor, which cannot watch a listening socket).
        with asyncio.Runner(loop_factory=asyncio.SelectorEventLoop) as runner:
            runner.run(_serve(site, preview, search, sock, limits, exposure, watchdog))
    except KeyboardInterrupt:
        watchdog.arm()
        print("stopped", flush=True)
    except OSError as exc:  # the listening socket itself failed
        print(f"themehub serve: stopped: {exc.strerror or exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        sock.close()
    return 0


async def _serve(site: Path, preview: Preview, search: BackgroundIndex, sock: socket.socket, limits: Limits,
                 exposure: Exposure, watchdog: StopWatchdog) -> None:
    loop = asyncio.get_running_loop()
    watchdog.wrap_interrupt_handler()  # asyncio's own handler is in place by now: Ctrl-C arms, then cancels
    loop.set_exception_handler(_quiet)
    signal = RebuildSignal(loop)
    server = HttpServer(sock, limits, PreviewSite(preview, exposure.allowed_hosts, signal, search).respond)

    def changed(batch: set[str], passing: frozenset[str]) -> None:  # on the watcher's thread
        try:
            _index(preview, search, _on_change(preview, batch, passing))
        finally:
            signal.ring()

    preview.on_publish = signal.ring  # an edit's first look, served before its full rebuild ends
    observer = start_watching(site.resolve(), preview.output_dir, changed)
    try:
        await server.serve_forever()
    finally:
        observer.stop()
        server.close()


def _quiet(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """asyncio's own reports, as one line each and never a traceback; a client's network trouble
    (a reset, a broken pipe, a timeout) is not reported at all."""
    exc = context.get("exception")
    if isinstance(exc, OSError | TimeoutError):
        return
    detail = f": {type(exc).__name__}: {exc}" if exc is not None else ""
    print(f"themehub serve: {context.get('message', 'unexpected event-loop error')}{detail}", file=sys.stderr,
          flush=True)


def _index(preview: Preview, search: BackgroundIndex, diagnostics: list[Diagnostic]) -> None:
    """Index the pages of a good build in the background (a failed one keeps the last good pages,
    whose index is made already)."""
    if has_errors(diagnostics):
        return
    with preview.cond:
        files, config = preview.state.files, preview.config
    if files and config is not None:
        search.submit(files, config.language, [(lang.path, lang.code) for lang in config.languages[1:]])


def _on_change(preview: Preview, batch: set[str], passing: frozenset[str] = frozenset()) -> list[Diagnostic]:
    started = time.perf_counter()
    diagnostics = preview.rebuild(batch)
    took = f"{(time.perf_counter() - started) * 1000:.0f} ms"
    named = (batch - passing) or batch  # an editor's temporary files are not named (serve/watcher.py)
    names = ", ".join(sorted(Path(p).name for p in named)[:3]) + (" ..." if len(named) > 3 else "")
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        print(f"rebuild after {names}: {len(errors)} error(s) in {took}; still serving the last good build",
              flush=True)
    else:
        print(f"rebuilt after {names} in {took}: {len(preview.state.changed)} file(s) changed", flush=True)
    _report(diagnostics)
    return diagnostics
