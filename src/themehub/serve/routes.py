"""What the preview answers to a request: the built files, a redirect, the 404 page, the live-reload
script and event stream, the search index made in the background and its status, the favicon at the
host root, or 403 for a Host that does not name this machine."""

from __future__ import annotations

import asyncio
import json
import mimetypes
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from themehub.serve.events import EventFeed, RebuildSignal
from themehub.serve.hosts import host_allowed
from themehub.serve.messages import Request, Response, Stream, plain
from themehub.serve.preview import Preview
from themehub.serve.search_index import BackgroundIndex

EVENTS = "__themehub/events"
LIVE_JS = "__themehub/live.js"
SEARCH_STATUS = "__themehub/search-status"
"""Asked by the search page only when the index is missing: a built site has none, so there it never waits."""
SEARCH_BUNDLE = "pagefind/"
FAVICON = "favicon.ico"

_LIVE_JS_SOURCE = (Path(__file__).parent / "live.js").read_text
"""Read when first served, not at import time."""

_MISSING_PAGE = (b"<!doctype html><html><head><meta charset='utf-8'><title>Not found</title></head>"
                 b"<body><h1>Not found</h1><p>Nothing is built at this address (yet).</p></body></html>")
_URL_SAFE = "/:@!$&'()*+,;=-._~"


def live_script(base_path: str) -> bytes:
    return _LIVE_JS_SOURCE().replace("__BASE_PATH__", json.dumps(base_path)).encode()


def _since(target: str) -> int:
    """The `since` epoch a live-reload stream asks from (-1 when absent or not a number)."""
    values = parse_qs(urlsplit(target).query).get("since", [])
    return int(values[0]) if values and values[0].isdigit() and len(values[0]) < 12 else -1


def search_folder(rel: str, languages: frozenset[str]) -> str | None:
    """The folder of the language whose search index `rel` is in ('' for `pagefind/…`, 'de/' for
    `de/pagefind/…` when 'de/' is one of `languages`' folders), or None for any other path."""
    if rel.startswith(SEARCH_BUNDLE):
        return ""
    first, _, rest = rel.partition("/")
    return first + "/" if first + "/" in languages and rest.startswith(SEARCH_BUNDLE) else None


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


def read_copy(source: Path, allowed_roots: tuple[Path, ...]) -> bytes | None:
    """A static file's bytes, unless it is (or leads through a symlink to) something outside the site."""
    try:
        real = source.resolve(strict=True)
    except OSError:
        return None
    if not real.is_file() or not any(real.is_relative_to(root) for root in allowed_roots):
        return None  # a symlink out of the site is not followed
    try:
        return real.read_bytes()
    except OSError:
        return None


class PreviewSite:
    """The preview's answers; the network layer (network.py) calls `respond` once per request."""

    def __init__(self, preview: Preview, allowed_hosts: frozenset[str], signal: RebuildSignal,
                 search: BackgroundIndex) -> None:
        self.preview = preview
        self.allowed_hosts = allowed_hosts
        self.signal = signal
        self.search = search

    def host_ok(self, request: Request) -> bool:
        hosts = request.header_values("host")
        if len(hosts) > 1:
            return False  # RFC 9112: more than one Host header is a bad request
        names = [hosts[0] if hosts else ""]
        if "://" in request.target:  # absolute-form request target: its authority is the host that counts
            names.append(urlsplit(request.target).netloc)
        return all(host_allowed(self.allowed_hosts, name) for name in names)

    async def respond(self, request: Request) -> Response | Stream:
        if not self.host_ok(request):
            return plain(403, "Forbidden: unexpected Host header\n")
        preview = self.preview
        # One consistent view of the last build: a rebuild swaps these under the same lock, so a page
        # always carries the epoch of the build it came from.
        with preview.cond:
            state = preview.state
            files, copies, epoch, base = state.files, state.copies, state.epoch, state.base_path
        path = urlsplit(request.target).path
        if path in ("/", "") and base != "/":
            return Response(302, b"", "text/plain", (("Location", base),))
        if path == "/" + FAVICON and base != "/":
            # Browsers ask the host root for it, whatever the site's base path.
            data = await self._built_file(FAVICON, files, copies)
            return plain(404) if data is None else _typed(FAVICON, data)
        rel = resolve_path(base, request.target)
        if rel == EVENTS:
            return Stream("text/event-stream", EventFeed(preview, self.signal, _since(request.target)).next_chunk)
        if rel == LIVE_JS:
            return Response(200, live_script(base), "text/javascript; charset=utf-8")
        if rel == SEARCH_STATUS:
            return Response(200, json.dumps({"state": self.search.status()}).encode(), "application/json")
        config = preview.config
        languages = frozenset(lang.path for lang in config.languages[1:]) if config is not None else frozenset()
        folder = search_folder(rel, languages) if rel is not None else None
        if rel is not None and folder is not None:
            bundle = self.search.bundle(folder)  # never in `files`: `pagefind/` is reserved to the index
            data = bundle.get(rel.removeprefix(folder + SEARCH_BUNDLE)) if bundle is not None else None
            return plain(404) if data is None else _typed(rel, data)
        if rel is None:
            return self._not_found(files, base, epoch)
        data = await self._built_file(rel, files, copies)
        if data is None:
            if rel + "/index.html" in files:
                return Response(301, b"", "text/plain", (("Location", quote(base + rel + "/", safe=_URL_SAFE)),))
            return self._not_found(files, base, epoch)
        if mimetypes.guess_type(rel)[0] == "text/html":
            return _html(200, data, base, epoch)
        return _typed(rel, data)

    async def _built_file(self, rel: str, files: Mapping[str, bytes], copies: dict[str, Path]) -> bytes | None:
        data = files.get(rel)
        if data is None and rel in copies:
            # Off the event loop: a large or slow file must not hold up the other clients.
            data = await asyncio.to_thread(read_copy, copies[rel], self.preview.allowed_roots)
        return data

    @staticmethod
    def _not_found(files: Mapping[str, bytes], base: str, epoch: int) -> Response:
        return _html(404, files.get("404.html", _MISSING_PAGE), base, epoch, missing=True)


def _typed(rel: str, data: bytes) -> Response:
    """A file other than a page, with the content type its name gives (scripts must have theirs: nosniff)."""
    content_type = mimetypes.guess_type(rel)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
        content_type += "; charset=utf-8"
    return Response(200, data, content_type)


def _html(status: int, body: bytes, base_path: str, epoch: int, missing: bool = False) -> Response:
    # The page's epoch: a rebuild that lands between serving the page and the browser connecting
    # for events must still reload it.
    tag = f'<script src="{base_path}{LIVE_JS}" data-epoch="{epoch}"></script>'.encode()
    if missing:
        tag = b'<script>document.body.dataset.themehubMissing="1"</script>' + tag
    index = body.rfind(b"</body>")
    body = body[:index] + tag + body[index:] if index != -1 else body + tag
    return Response(status, body, "text/html; charset=utf-8")
