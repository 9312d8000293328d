"""`themehub serve`: the site built in memory, served on 127.0.0.1, rebuilt on every save.

HTML responses get a small live-reload script (server-sent events). A rebuild that fails keeps the
last good pages and shows every diagnostic in an overlay in the browser (and in the terminal);
the overlay goes away by itself after the fix. Nothing is written to the output folder.
"""

from __future__ import annotations

import datetime as dt
import errno
import http.server
import json
import mimetypes
import sys
import threading
import time
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from themehub.build import BuildOptions, jobs_for, load_site
from themehub.cache import CACHE_DIR
from themehub.config import Config
from themehub.content.loader import ParseCache, reread_bodies
from themehub.diagnostics import Diagnostic, format_text, has_errors, sorted_diagnostics
from themehub.render.edits import render_body_edits, with_items
from themehub.render.site import RenderCache, render_site
from themehub.render.templates import BUILTIN_THEMES
from themehub.serve.watcher import start_watching

EVENTS = "__themehub/events"
LIVE_JS = "__themehub/live.js"
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


@dataclass
class PreviewState:
    """What the server shows: the last good build, and the problems of the latest one."""

    files: dict[str, bytes] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    epoch: int = 0
    css_stamps: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Stylesheet -> (size, mtime) when last served: a changed one is swapped without a reload."""
    base_path: str = "/"


class Preview:
    """Rebuilds in memory and keeps the result; one rebuild at a time."""

    def __init__(self, site: Path, *, drafts: bool = False, now: dt.datetime | None = None) -> None:
        self.options = BuildOptions(site=site, drafts=drafts, now=now)
        self.state = PreviewState()
        self.cond = threading.Condition()
        self.build_lock = threading.Lock()
        self.cache = RenderCache(images_dir=site.resolve() / CACHE_DIR / "images")
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
                    changed = sorted(k for k in files.keys() | state.files.keys()
                                     if files.get(k) != state.files.get(k))
                    changed += sorted(k for k in copies.keys() | state.copies.keys()
                                      if copies.get(k) != state.copies.get(k)
                                      or (k.endswith(".css") and _stamp(copies[k]) != state.css_stamps.get(k)))
                    state.css_stamps = {k: _stamp(path) for k, path in copies.items() if k.endswith(".css")}
                    state.files, state.copies, state.changed = files, copies, changed
                else:
                    state.changed = []
                if self.config is not None:
                    state.base_path = self.config.base_path
                    self.output_dir = self.config.output_dir
                state.diagnostics = diagnostics
                state.epoch += 1
                self.cond.notify_all()
            return diagnostics

    def _rebuild_all(self) -> tuple[list[Diagnostic], dict[str, bytes] | None, dict[str, Path]]:
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
        return diagnostics, dict(rendered.files), dict(rendered.copies)

    def _rebuild_bodies(self, changed: set[str],
                        ) -> tuple[list[Diagnostic], dict[str, bytes], dict[str, Path]] | None:
        """The body-edit path (render/edits.py), or None when only a full rebuild is exact."""
        last = self.cache.last
        if last is None or self.loaded_diagnostics is None:
            return None
        hub = last.hub
        items = reread_bodies(hub.config, hub.content, [Path(p) for p in sorted(changed)], self.parse_cache)
        if items is None:
            return None
        now = self.options.now or dt.datetime.now(dt.UTC)
        site = render_body_edits(with_items(hub.content, items), now, self.cache, {i.source for i in items})
        if site is None:
            return None
        diagnostics = [*self.loaded_diagnostics, *site.diagnostics]
        if has_errors(diagnostics):
            return None  # a broken link, say: the full rebuild reports it, and keeps the last good pages
        return diagnostics, dict(site.files), dict(site.copies)

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


_LIVE_JS_SOURCE = (Path(__file__).parent / "live.js").read_text
"""Read when first served, not at import time."""


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def live_script(base_path: str) -> bytes:
    return _LIVE_JS_SOURCE().replace("__BASE_PATH__", json.dumps(base_path)).encode()


def resolve_path(base_path: str, raw: str) -> str | None:
    """The output file a request path names, or None if it names nothing we may serve."""
    path = urlsplit(raw).path
    if not path.startswith(base_path):
        return None
    rel = unquote(path[len(base_path):])
    if "\x00" in rel or "\\" in rel or rel.startswith("/") or len(rel) > 1024:
        return None
    parts = rel.split("/")
    if any(part in (".", "..") for part in parts) or "%" in rel:
        return None
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return rel


class _Handler(http.server.BaseHTTPRequestHandler):
    preview: Preview
    allowed_hosts: frozenset[str] | None
    server_version = "themehub-serve"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        pass  # requests are not news; rebuilds and errors are printed instead

    def _host_ok(self) -> bool:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1:
            return False  # RFC 9112: more than one Host header is a bad request
        if self.allowed_hosts is None:
            return True
        names = [(hosts[0] if hosts else "").strip().lower()]
        if "://" in self.path:  # absolute-form request target: its authority is the host that counts
            names.append(urlsplit(self.path).netloc.lower())
        for host in names:
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in self.allowed_hosts:
                return False
        return True

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _html(self, status: int, body: bytes, base_path: str, missing: bool = False) -> None:
        # The page's epoch: a rebuild that lands between serving the page and the browser connecting
        # for events must still reload it.
        tag = f'<script src="{base_path}{LIVE_JS}" data-epoch="{self.preview.state.epoch}"></script>'.encode()
        if missing:
            tag = b'<script>document.body.dataset.themehubMissing="1"</script>' + tag
        index = body.rfind(b"</body>")
        body = body[:index] + tag + body[index:] if index != -1 else body + tag
        self._send(status, body, "text/html; charset=utf-8")

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_ok():
            self._send(403, b"Forbidden: unexpected Host header\n", "text/plain; charset=utf-8")
            return
        state = self.preview.state
        base = state.base_path
        if urlsplit(self.path).path in ("/", "") and base != "/":
            self._send(302, b"", "text/plain", {"Location": base})
            return
        rel = resolve_path(base, self.path)
        if rel == EVENTS:
            self._events()
            return
        if rel == LIVE_JS:
            self._send(200, live_script(base), "text/javascript; charset=utf-8")
            return
        if rel is None:
            self._not_found(base)
            return
        data = state.files.get(rel)
        if data is None and rel in state.copies:
            data = self._read_copy(state.copies[rel])
        if data is None:
            if rel + "/index.html" in state.files:
                self._send(301, b"", "text/plain", {"Location": base + rel + "/"})
                return
            self._not_found(base)
            return
        content_type = mimetypes.guess_type(rel)[0] or "application/octet-stream"
        if content_type == "text/html":
            self._html(200, data, base)
        else:
            if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
                content_type += "; charset=utf-8"
            self._send(200, data, content_type)

    def _read_copy(self, source: Path) -> bytes | None:
        try:
            real = source.resolve(strict=True)
        except OSError:
            return None
        if not real.is_file() or not any(real.is_relative_to(root) for root in self.preview.allowed_roots):
            return None  # a symlink out of the site is not followed
        try:
            return real.read_bytes()
        except OSError:
            return None

    def _not_found(self, base: str) -> None:
        page = self.preview.state.files.get("404.html")
        if page is None:
            body = (b"<!doctype html><html><head><meta charset='utf-8'><title>Not found</title></head>"
                    b"<body><h1>Not found</h1><p>Nothing is built at this address (yet).</p></body></html>")
            self._html(404, body, base, missing=True)
        else:
            self._html(404, page, base, missing=True)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.preview
        seen = -1
        try:
            while True:
                with preview.cond:
                    if preview.state.epoch == seen:
                        preview.cond.wait(timeout=15)
                    epoch = preview.state.epoch
                    payload = preview.event_payload() if epoch != seen else None
                if payload is None:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    self.wfile.write(f"data: {payload}\n\n".encode())
                    seen = epoch
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False


def bind(host: str, port: int, handler: type[_Handler], tries: int = 20) -> _Server:
    last: OSError | None = None
    for candidate in range(port, port + tries):
        try:
            server = _Server((host, candidate), handler)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            last = exc
            continue
        if candidate != port:
            print(f"port {port} is busy; using {candidate} instead", file=sys.stderr)
        return server
    raise OSError(errno.EADDRINUSE, f"ports {port}-{port + tries - 1} are all busy") from last


def _report(diagnostics: list[Diagnostic]) -> None:
    if diagnostics:
        print(format_text(diagnostics), file=sys.stderr, flush=True)


def serve(site: Path, *, host: str = "127.0.0.1", port: int = 8000, drafts: bool = False,
          open_browser: bool = False, now: dt.datetime | None = None) -> int:
    preview = Preview(site, drafts=drafts, now=now)
    _report(preview.rebuild())
    handler = type("Handler", (_Handler,), {
        "preview": preview,
        "allowed_hosts": None if host in ("0.0.0.0", "::") else frozenset(_LOOPBACK_NAMES | {host.lower()}),
    })
    try:
        server = bind(host, port, handler)
    except OSError as exc:
        print(f"themehub serve: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    actual_port = server.server_address[1]
    url = f"http://{host if ':' not in host else '[' + host + ']'}:{actual_port}{preview.state.base_path}"
    print(f"serving {site.resolve()} at {url} (Ctrl-C to stop)", flush=True)
    observer = start_watching(site.resolve(), preview.output_dir, lambda batch: _on_change(preview, batch))
    if open_browser:
        webbrowser.open(url)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        observer.stop()
        server.server_close()
    return 0


def _on_change(preview: Preview, batch: set[str]) -> None:
    started = time.perf_counter()
    diagnostics = preview.rebuild(batch)
    took = f"{(time.perf_counter() - started) * 1000:.0f} ms"
    names = ", ".join(sorted(Path(p).name for p in batch)[:3]) + (" ..." if len(batch) > 3 else "")
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        print(f"rebuild after {names}: {len(errors)} error(s) in {took}; still serving the last good build",
              flush=True)
    else:
        print(f"rebuilt after {names} in {took}: {len(preview.state.changed)} file(s) changed", flush=True)
    _report(diagnostics)
