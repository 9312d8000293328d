"""External link checking (`themehub check --external`): do links to other sites still answer?

Each distinct address (fragment dropped) is asked once per run: HEAD first, then GET when the server
answers HEAD with an error (many refuse or mishandle HEAD). Redirects are followed by hand, up to
`MAX_REDIRECTS`, so that loops and chains ending in an error are reported. Nothing here may hang an
offline run: every request shares its link's time budget, and the whole check has an overall bound
after which the links not answered yet are reported as not checked.

Results are cached in a JSON file (never pickle: a cache restored by CI must not be able to run code);
an entry that does not validate is a miss, never trusted.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import math
import os
import queue
import socket
import ssl
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, Literal
from urllib.error import URLError
from urllib.parse import quote, urldefrag, urljoin, urlsplit, urlunsplit

from themehub import __version__
from themehub.diagnostics import Diagnostic, sorted_diagnostics, warning

BROKEN = "broken-external-link"
UNREACHABLE = "unreachable-link"
MAX_REDIRECTS = 5
CACHE_FORMAT = "themehub-external-links 1"
RETRY_AFTER = dt.timedelta(hours=1)  # how long network failures and 5xx are cached: often temporary
OVERALL_SLACK = 1.0  # seconds added to the overall bound, for thread start-up and scheduling

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_BLOCKS_ROBOTS = frozenset({401, 403, 429})  # sites that refuse robots: the page may well exist
_SAFE_IN_URL = "!#$%&'()*+,/:;=?@[]~"  # reserved characters and '%' stay as written; the rest is escaped

Kind = Literal["ok", "broken", "unreachable"]


@dataclass(frozen=True, slots=True)
class ExternalLink:
    url: str  # as written (http:// or https://)
    file: str  # the content file, relative to the site root
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class _Outcome:
    kind: Kind
    detail: str = ""  # completes "link to <url> …"
    hint: str = ""
    transient: bool = False  # cached for RETRY_AFTER only


@dataclass(frozen=True, slots=True)
class _Entry:
    outcome: _Outcome
    checked: dt.datetime


_OK = _Outcome("ok")


def check_external(links: Sequence[ExternalLink], cache_file: Path | None, *, timeout: float = 10.0,
                   concurrency: int = 8, max_age: dt.timedelta = dt.timedelta(days=1),
                   now: dt.datetime | None = None) -> list[Diagnostic]:
    """Warnings for the external links that are broken or unreachable, one per occurrence, sorted.

    `timeout`: seconds each address gets in all (connect, read, redirects); `cache_file`: None for no
    cache; `now`: the time cache entries are compared with (naive means UTC). Links that are not
    http(s) are ignored. Network problems never raise."""
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    now = dt.datetime.now(dt.UTC) if now is None else now
    now = now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now
    keys = {link: key for link in links if (key := _key(link.url))}
    cache = _load_cache(cache_file) if cache_file else {}
    outcomes: dict[str, _Outcome] = {}
    todo: list[str] = []
    for key in sorted(set(keys.values())):
        entry = cache.get(key)
        if entry and _fresh(entry, now, max_age):
            outcomes[key] = entry.outcome
        else:
            todo.append(key)
    fetched, budget = _fetch_all(todo, timeout, max(1, concurrency))
    outcomes.update(fetched)
    if cache_file and fetched:
        kept = {k: e for k, e in cache.items() if _fresh(e, now, max_age)}
        _save_cache(cache_file, kept | {k: _Entry(o, now) for k, o in fetched.items()})
    gave_up = _Outcome("unreachable", f"not checked (gave up after {round(budget, 1):g} s)",
                       "the external check has an overall time limit: run it again, or allow more time per link")
    diagnostics = []
    for link, key in keys.items():
        outcome = outcomes.get(key, gave_up)
        if outcome.kind != "ok":
            code = BROKEN if outcome.kind == "broken" else UNREACHABLE
            diagnostics.append(warning(link.file, link.line, link.col, code, f"link to {link.url} {outcome.detail}",
                                       outcome.hint))
    return sorted_diagnostics(diagnostics)


def _key(url: str) -> str:
    """The address fetched for a link: fragments name places in one page, so they share one request."""
    url = url.strip()
    return urldefrag(url).url if url.lower().startswith(("http://", "https://")) else ""


def _fresh(entry: _Entry, now: dt.datetime, max_age: dt.timedelta) -> bool:
    ttl = min(max_age, RETRY_AFTER) if entry.outcome.transient else max_age
    # An entry from the future (clock skew, a hand-edited file) would otherwise never expire.
    return dt.timedelta(0) <= now - entry.checked < ttl


# ----------------------------------------------------------------------------- fetching


def _fetch_all(urls: list[str], timeout: float, concurrency: int) -> tuple[dict[str, _Outcome], float]:
    """Outcomes of the addresses answered within the overall bound, and that bound in seconds."""
    if not urls:
        return {}, 0.0
    workers = min(concurrency, len(urls))
    budget = timeout * math.ceil(len(urls) / workers) + OVERALL_SLACK
    todo: queue.SimpleQueue[str] = queue.SimpleQueue()
    for url in urls:
        todo.put(url)
    done: queue.SimpleQueue[tuple[str, _Outcome]] = queue.SimpleQueue()
    stop = threading.Event()
    context = ssl.create_default_context()  # certificate and host name verification on
    for _ in range(workers):
        # Daemon threads, not a ThreadPoolExecutor: its workers are joined at interpreter exit, so one
        # stuck in a resolver or on a server that trickles bytes would hang the process after we gave up.
        threading.Thread(target=_worker, args=(todo, done, stop, timeout, context), daemon=True,
                         name="themehub-link-check").start()
    deadline = time.monotonic() + budget
    results: dict[str, _Outcome] = {}
    while len(results) < len(urls):
        try:
            url, outcome = done.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        results[url] = outcome
    stop.set()  # workers take no new address once we stopped waiting
    return results, budget


def _worker(todo: queue.SimpleQueue[str], done: queue.SimpleQueue[tuple[str, _Outcome]], stop: threading.Event,
            timeout: float, context: ssl.SSLContext) -> None:
    # Only the handlers needed: no redirect handler (followed by hand) and no error processor, so every
    # status comes back as a response; ProxyHandler honours http(s)_proxy and no_proxy.
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(),
                    urllib.request.HTTPSHandler(context=context)):
        opener.add_handler(handler)
    opener.addheaders = []
    while not stop.is_set():
        try:
            url = todo.get_nowait()
        except queue.Empty:
            return
        try:
            outcome = _check_url(opener, url, timeout)
        except Exception as exc:  # a surprise must not lose the answer: the link is reported, not the run
            outcome = _Outcome("unreachable", f"could not be checked ({type(exc).__name__}: {exc})", transient=True)
        done.put((url, outcome))


def _check_url(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> _Outcome:
    deadline = time.monotonic() + timeout
    try:
        current = _wire_url(url)
    except ValueError as exc:
        return _Outcome("broken", f"is not a valid address ({exc})", "correct the address")
    seen = {current}
    method = "HEAD"
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return _unreachable(f"no answer within {timeout:g} s")
        try:
            status, reason, location = _request(opener, current, method, remaining)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            return _unreachable(_reason(exc, timeout))
        if method == "HEAD" and status >= 400 and status != 429:
            method = "GET"  # 405/501 and some 403/404/5xx only mean "no HEAD here": ask for the page
            continue
        if status not in _REDIRECT_STATUSES or not location:
            return _classify(status, reason, current if len(seen) > 1 else "")
        try:
            target = urljoin(current, location)
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                return _OK  # e.g. a redirect to mailto: or ftp:, nothing this check can follow
            target = _wire_url(target)
        except ValueError:
            return _Outcome("broken", f"redirects to an invalid address ({location})", "update the link")
        if target in seen:
            return _Outcome("broken", f"redirects in a loop (back to {target})", "update or remove the link")
        if len(seen) > MAX_REDIRECTS:
            return _Outcome("broken", f"redirects more than {MAX_REDIRECTS} times", "link to the final address")
        seen.add(target)
        current = target


def _request(opener: urllib.request.OpenerDirector, url: str, method: str, timeout: float) -> tuple[int, str, str]:
    headers = {"User-Agent": f"themehub-link-check/{__version__}", "Accept": "*/*"}
    request = urllib.request.Request(url, method=method, headers=headers)
    # The status line and headers are all we need: closing drops the body, so a GET reads no page.
    with opener.open(request, timeout=timeout) as response:
        return response.status, response.reason or "", response.headers.get("Location", "")


def _classify(status: int, reason: str, redirected_to: str) -> _Outcome:
    if status < 400 or status in _BLOCKS_ROBOTS:
        return _OK
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = reason  # a status the standard does not name: the server's words
    detail = f"answers {status} {phrase}".rstrip() + (f" (redirected to {redirected_to})" if redirected_to else "")
    if status >= 500:
        return _Outcome("broken", detail, "may be temporary: the server failed; it is checked again in an hour",
                        transient=True)
    return _Outcome("broken", detail, "update the link, or remove it")


def _unreachable(reason: str) -> _Outcome:
    return _Outcome("unreachable", f"is unreachable: {reason}",
                    "check the address; if the site is up, this is a network problem (checked again in an hour)",
                    transient=True)


def _reason(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason  # urllib wraps connection errors
    if isinstance(exc, socket.gaierror):
        return f"host not found ({exc.strerror})"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not valid ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error ({exc.reason or exc})"
    if isinstance(exc, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionError):  # reset, or http.client.RemoteDisconnected
        return "connection closed by the server"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _wire_url(url: str) -> str:
    """The address as sent: IDN host in punycode, spaces and non-ASCII escaped; ValueError if not http(s)."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in ("http", "https") or not host:
        raise ValueError("no host name")
    host = host if host.isascii() else host.encode("idna").decode("ascii")
    host = f"[{host}]" if ":" in host else host  # IPv6 literal
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return urlunsplit((scheme, netloc, quote(parts.path or "/", safe=_SAFE_IN_URL),
                       quote(parts.query, safe=_SAFE_IN_URL), ""))


# ----------------------------------------------------------------------------- cache


def _load_cache(path: Path) -> dict[str, _Entry]:
    """Valid entries only: a damaged, foreign or older-format file gives an empty cache."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or not isinstance(data.get("links"), dict):
        return {}
    entries = {}
    for url, raw in data["links"].items():
        entry = _entry_from_json(raw)
        if entry is not None:
            entries[url] = entry
    return entries


def _entry_from_json(raw: Any) -> _Entry | None:
    if not isinstance(raw, dict):
        return None
    kind, detail, hint, transient, checked = (raw.get(k) for k in ("kind", "detail", "hint", "transient", "checked"))
    if kind not in ("ok", "broken", "unreachable") or not isinstance(transient, bool) or not (
            isinstance(detail, str) and isinstance(hint, str) and isinstance(checked, str)):
        return None
    try:
        when = dt.datetime.fromisoformat(checked)
    except ValueError:
        return None
    return _Entry(_Outcome(kind, detail, hint, transient), when) if when.tzinfo else None


def _save_cache(path: Path, entries: dict[str, _Entry]) -> None:
    links = {url: {"kind": e.outcome.kind, "detail": e.outcome.detail, "hint": e.outcome.hint,
                   "transient": e.outcome.transient, "checked": e.checked.isoformat()}
             for url, e in sorted(entries.items())}
    text = json.dumps({"format": CACHE_FORMAT, "links": links}, indent=1, ensure_ascii=False) + "\n"
    tmp = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Temp file + rename: a run killed mid-write leaves the previous cache whole.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        # The cache only saves time: a read-only checkout must not fail the check.
        if tmp:
            Path(tmp).unlink(missing_ok=True)
