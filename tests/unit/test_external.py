"""External link checking against local servers on 127.0.0.1: statuses, redirects, HEAD fallback,
network failures, the time bounds, the concurrency bound and the cache."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.helpers import finishes
from themehub import __version__
from themehub.diagnostics import Diagnostic
from themehub.render import external
from themehub.render.external import ExternalLink, _wire_url, check_external

NOW = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)


class Recorder:
    """What the HTTP server saw: requests per (method, path), simultaneous requests, user agents."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: Counter[tuple[str, str]] = Counter()
        self.active = 0
        self.max_active = 0
        self.agents: set[str] = set()

    def total(self) -> int:
        with self.lock:
            return sum(self.hits.values())


def route(method: str, path: str, query: dict[str, list[str]]) -> tuple[int, str]:
    """(status, Location) for each test endpoint."""
    simple = {"/ok": 200, "/sp ace": 200, "/missing": 404, "/gone": 410, "/teapot": 418, "/error": 500,
              "/unavailable": 503, "/forbidden": 403, "/unauthorized": 401, "/rate": 429}
    if path in simple:
        return simple[path], ""
    if path.startswith("/slow/"):
        time.sleep(0.2)
        return 200, ""
    redirects = {"/moved": (301, "/ok"), "/to-missing": (302, "/missing"), "/loop-a": (302, "/loop-b"),
                 "/loop-b": (307, "/loop-a"), "/to-mailto": (302, "mailto:someone@example.com")}
    if path in redirects:
        return redirects[path]
    if path == "/chain":  # /chain?n=N redirects N times before answering 200
        n = int(query["n"][0])
        return (302, f"/chain?n={n - 1}") if n > 0 else (200, "")
    if path == "/no-head":
        return (405 if method == "HEAD" else 200), ""
    if path == "/head-404":
        return (404 if method == "HEAD" else 200), ""
    return 404, ""


def make_handler(recorder: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            self.answer("HEAD")

        def do_GET(self) -> None:
            self.answer("GET")

        def answer(self, method: str) -> None:
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            with recorder.lock:
                recorder.hits[method, path] += 1
                recorder.agents.add(self.headers.get("User-Agent", ""))
                recorder.active += 1
                recorder.max_active = max(recorder.max_active, recorder.active)
            try:
                status, location = route(method, path, parse_qs(parts.query))
            finally:
                with recorder.lock:
                    recorder.active -= 1
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # the default 5 drops simultaneous connects, which then retry after 1 s


class Web:
    def __init__(self, port: int, recorder: Recorder) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.port = port
        self.recorder = recorder

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy from the environment would route 127.0.0.1 elsewhere.
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def web() -> Iterator[Web]:
    recorder = Recorder()
    server = Server(("127.0.0.1", 0), make_handler(recorder))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield Web(server.server_address[1], recorder)
    server.shutdown()
    server.server_close()


class RawServer:
    """A TCP server that accepts and then never answers ("silent"), or sends a status line and then one
    header byte every 50 ms forever ("trickle"): each read succeeds, so only an overall bound stops it."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.stop = threading.Event()
        self.accepted = 0
        self.conns: list[socket.socket] = []
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.accept_loop, daemon=True).start()

    def accept_loop(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self.conns.append(conn)
            if self.mode == "trickle":
                threading.Thread(target=self.trickle, args=(conn,), daemon=True).start()

    def trickle(self, conn: socket.socket) -> None:
        try:
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not self.stop.wait(0.05):
                conn.sendall(b"a")
        except OSError:
            return

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        for conn in self.conns:
            conn.close()


@pytest.fixture
def silent() -> Iterator[RawServer]:
    server = RawServer("silent")
    yield server
    server.close()


@pytest.fixture
def trickle() -> Iterator[RawServer]:
    server = RawServer("trickle")
    yield server
    server.close()


def links(*urls: str, file: str = "content/articles/a.md") -> list[ExternalLink]:
    return [ExternalLink(url, file, line, 1) for line, url in enumerate(urls, start=1)]


def by_url(diagnostics: list[Diagnostic]) -> dict[str, tuple[str, str]]:
    """url -> (code, message after the url)."""
    out = {}
    for d in diagnostics:
        url, _, rest = d.message.removeprefix("link to ").partition(" ")
        out[url] = (d.code, rest)
    return out


def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        return sock.getsockname()[1]


# ----------------------------------------------------------------------------- answers


def test_statuses_are_reported_as_broken_or_left_alone(web: Web) -> None:
    paths = ["/ok", "/missing", "/gone", "/teapot", "/error", "/unavailable", "/forbidden", "/unauthorized", "/rate",
             "/moved", "/no-head", "/head-404", "/to-mailto", "/sp ace"]
    found = check_external(links(*(web.url(p) for p in paths)), None, timeout=2, now=NOW)
    assert by_url(found) == {
        web.url("/missing"): ("broken-external-link", "answers 404 Not Found"),
        web.url("/gone"): ("broken-external-link", "answers 410 Gone"),
        web.url("/teapot"): ("broken-external-link", "answers 418 I'm a Teapot"),
        web.url("/error"): ("broken-external-link", "answers 500 Internal Server Error"),
        web.url("/unavailable"): ("broken-external-link", "answers 503 Service Unavailable"),
    }
    hints = {d.message.split()[-1]: d.hint for d in found}
    assert "may be temporary" in hints["Unavailable"]
    assert "may be temporary" not in hints["Found"]
    assert all(d.severity == "warning" for d in found)


def test_head_refused_falls_back_to_get_and_user_agent_is_plain(web: Web) -> None:
    assert check_external(links(web.url("/no-head"), web.url("/head-404")), None, timeout=2) == []
    hits = web.recorder.hits
    assert hits["HEAD", "/no-head"] == hits["GET", "/no-head"] == 1
    assert hits["HEAD", "/head-404"] == hits["GET", "/head-404"] == 1
    assert web.recorder.agents == {f"themehub-link-check/{__version__}"}


def test_a_working_page_is_asked_once_with_head_only(web: Web) -> None:
    assert check_external(links(web.url("/ok")), None, timeout=2) == []
    assert web.recorder.hits == Counter({("HEAD", "/ok"): 1})


def test_redirects_followed_up_to_five_loops_and_bad_ends_are_broken(web: Web) -> None:
    urls = [web.url(p) for p in ("/to-missing", "/loop-a", "/chain?n=5", "/chain?n=6", "/moved")]
    assert by_url(check_external(links(*urls), None, timeout=2)) == {
        web.url("/to-missing"): ("broken-external-link", f"answers 404 Not Found (redirected to {web.url('/missing')})"),
        web.url("/loop-a"): ("broken-external-link", f"redirects in a loop (back to {web.url('/loop-a')})"),
        web.url("/chain?n=6"): ("broken-external-link", "redirects more than 5 times"),
    }


def test_each_address_is_asked_once_and_every_occurrence_reported_sorted(web: Web) -> None:
    missing = web.url("/missing")
    occurrences = [ExternalLink(missing, "content/b.md", 9, 4), ExternalLink(missing + "#part", "content/a.md", 3, 2),
                   ExternalLink(missing, "content/a.md", 1, 7), ExternalLink(web.url("/ok#x"), "content/a.md", 2, 1),
                   ExternalLink(web.url("/ok#y"), "content/c.md", 2, 1)]
    found = check_external(occurrences, None, timeout=2)
    assert [(d.file, d.line, d.col) for d in found] == [("content/a.md", 1, 7), ("content/a.md", 3, 2),
                                                        ("content/b.md", 9, 4)]
    assert {d.message.replace("#part", "") for d in found} == {f"link to {missing} answers 404 Not Found"}
    assert web.recorder.hits == Counter({("HEAD", "/missing"): 1, ("GET", "/missing"): 1, ("HEAD", "/ok"): 1})


def test_invalid_and_non_http_links(web: Web) -> None:
    found = check_external(links("http://", "https://[::1/x", "mailto:a@b.c", "ftp://example.com/"), None, timeout=1)
    assert [(d.code, d.message.split(" is ")[1].split(" (")[0]) for d in found] == [
        ("broken-external-link", "not a valid address"), ("broken-external-link", "not a valid address")]


def test_addresses_are_sent_escaped_with_idn_hosts_in_punycode() -> None:
    assert _wire_url("https://bücher.example/a b/é?q=x y#frag") == "https://xn--bcher-kva.example/a%20b/%C3%A9?q=x%20y"
    assert _wire_url("http://[::1]:8080") == "http://[::1]:8080/"
    assert _wire_url("http://example.com/a%20b?x=%2F") == "http://example.com/a%20b?x=%2F"


# ----------------------------------------------------------------------------- network failures and bounds


@pytest.fixture
def socket_timeouts(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The timeout of every request the checker makes: each bounds that request's connect and reads."""
    seen: list[float] = []
    real = external._request

    def spy(opener: object, url: str, method: str, timeout: float) -> tuple[int, str, str]:
        seen.append(timeout)
        return real(opener, url, method, timeout)  # type: ignore[arg-type]

    monkeypatch.setattr(external, "_request", spy)
    return seen


@pytest.fixture
def budgets(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The overall bound (seconds) of every round of fetching: after it, the checker stops waiting."""
    seen: list[float] = []
    real = external._fetch_all

    def spy(urls: list[str], timeout: float, concurrency: int) -> tuple[dict[str, object], float]:
        results, budget = real(urls, timeout, concurrency)
        seen.append(budget)
        return results, budget  # type: ignore[return-value]

    monkeypatch.setattr(external, "_fetch_all", spy)
    return seen


# The bounds are checked as the checker's own numbers (timeouts handed to each request, the overall bound it
# stops waiting at), not with a clock: `finishes` only fails a run that hangs.


def test_refused_port_black_hole_and_unknown_host_fail_fast(socket_timeouts: list[float]) -> None:
    refused = f"http://127.0.0.1:{closed_port()}/"
    urls = [refused, "http://192.0.2.1/", "http://no-such-host.invalid/"]
    found = by_url(finishes(lambda: check_external(links(*urls), None, timeout=0.5), what="check_external"))
    assert found[refused] == ("unreachable-link", "is unreachable: connection refused")
    assert found["http://no-such-host.invalid/"][1].startswith("is unreachable: host not found")
    assert found["http://192.0.2.1/"][0] == "unreachable-link"  # refused, unroutable or timed out: all fail
    assert socket_timeouts and all(0 < t <= 0.5 for t in socket_timeouts)  # each request no longer than 0.5 s


def test_tls_errors_are_unreachable_with_the_reason(web: Web) -> None:
    # A TLS handshake with a plain HTTP server fails; verification itself stays on (default context).
    found = by_url(check_external(links(f"https://127.0.0.1:{web.port}/ok"), None, timeout=2))
    code, message = found[f"https://127.0.0.1:{web.port}/ok"]
    assert code == "unreachable-link"
    assert message.startswith("is unreachable: TLS")


def test_a_server_that_never_answers_times_out(silent: RawServer, socket_timeouts: list[float]) -> None:
    found = finishes(lambda: check_external(links(silent.url()), None, timeout=0.3), what="check_external")
    assert by_url(found) == {silent.url(): ("unreachable-link", "is unreachable: no answer within 0.3 s")}
    assert silent.accepted == 1  # the one request, abandoned: not retried, not the default 10 s
    assert len(socket_timeouts) == 1 and 0 < socket_timeouts[0] <= 0.3


def test_many_never_answering_links_finish_within_the_overall_bound(silent: RawServer, socket_timeouts: list[float],
                                                                    budgets: list[float]) -> None:
    urls = [silent.url(f"/page/{i}") for i in range(40)]
    found = finishes(lambda: check_external(links(*urls), None, timeout=0.3, concurrency=8), what="check_external")
    assert budgets == [pytest.approx(0.3 * 5 + external.OVERALL_SLACK)]  # 40 links / 8 at a time * 0.3 s + slack
    assert len(found) == 40
    assert {d.code for d in found} == {"unreachable-link"}
    # Each link either timed out on its own 0.3 s or was given up on at the overall bound: nothing waits longer.
    assert {message for _, message in by_url(found).values()} <= {"is unreachable: no answer within 0.3 s",
                                          f"not checked (gave up after {budgets[0]:g} s)"}
    assert all(0 < t <= 0.3 for t in socket_timeouts) and len(socket_timeouts) <= 40


def test_a_trickling_server_is_given_up_on_and_reported_not_checked(trickle: RawServer, budgets: list[float]) -> None:
    urls = [trickle.url(f"/{i}") for i in range(3)]
    # Every read succeeds, so no socket timeout fires: only the overall bound ends the wait, and it returns
    # although the workers are still stuck reading.
    found = finishes(lambda: check_external(links(*urls), None, timeout=0.3), what="check_external")
    assert budgets == [pytest.approx(0.3 + external.OVERALL_SLACK)]
    assert by_url(found) == {url: ("unreachable-link", "not checked (gave up after 1.3 s)") for url in urls}


def test_concurrency_bound_is_respected(web: Web) -> None:
    urls = [web.url(f"/slow/{i}") for i in range(12)]
    assert check_external(links(*urls), None, timeout=3, concurrency=3) == []
    assert web.recorder.total() == 12
    assert 2 <= web.recorder.max_active <= 3


# ----------------------------------------------------------------------------- cache


def test_second_run_is_answered_from_the_cache(web: Web, tmp_path: Path) -> None:
    cache = tmp_path / ".themehub-cache" / "external.json"
    urls = links(web.url("/ok"), web.url("/missing"))
    first = check_external(urls, cache, timeout=2, now=NOW)
    requests = web.recorder.total()
    second = check_external(urls, cache, timeout=2, now=NOW + dt.timedelta(hours=23))
    assert first == second and len(first) == 1
    assert web.recorder.total() == requests
    assert json.loads(cache.read_text())["format"].startswith("themehub-external-links")
    assert [p.name for p in cache.parent.iterdir()] == ["external.json"]  # no temp file left behind


def test_expired_entries_are_checked_again(web: Web, tmp_path: Path) -> None:
    cache = tmp_path / "external.json"
    urls = links(web.url("/ok"))
    check_external(urls, cache, timeout=2, now=NOW)
    check_external(urls, cache, timeout=2, now=NOW + dt.timedelta(days=1, minutes=1))
    check_external(urls, cache, timeout=2, now=NOW - dt.timedelta(days=1))  # an entry "from the future"
    assert web.recorder.hits["HEAD", "/ok"] == 3


def test_network_failures_are_cached_for_an_hour_only(silent: RawServer, tmp_path: Path) -> None:
    cache = tmp_path / "external.json"
    urls = links(silent.url())
    for minutes in (0, 30, 61):
        found = check_external(urls, cache, timeout=0.2, now=NOW + dt.timedelta(minutes=minutes))
        assert [d.code for d in found] == ["unreachable-link"]
    assert silent.accepted == 2


def test_given_up_links_are_not_cached(trickle: RawServer, tmp_path: Path) -> None:
    cache = tmp_path / "external.json"
    check_external(links(trickle.url()), cache, timeout=0.2, now=NOW)
    assert not cache.exists()


@pytest.mark.parametrize("content", [
    "{not json",
    "\x00\xff garbage",
    json.dumps(["a", "list"]),
    json.dumps({"format": "someone else's", "links": {}}),
    json.dumps({"format": "themehub-external-links 1", "links": {"URL": {"kind": "ok", "detail": 3, "hint": "",
                                                                         "transient": False, "checked": "2024-05-01T12:00:00+00:00"}}}),
    json.dumps({"format": "themehub-external-links 1", "links": {"URL": {"kind": "fine", "detail": "", "hint": "",
                                                                         "transient": False, "checked": "2024-05-01T12:00:00+00:00"}}}),
    json.dumps({"format": "themehub-external-links 1", "links": {"URL": {"kind": "ok", "detail": "", "hint": "",
                                                                         "transient": False, "checked": "yesterday"}}}),
    json.dumps({"format": "themehub-external-links 1", "links": {"URL": {"kind": "ok", "detail": "", "hint": "",
                                                                         "transient": False, "checked": "2024-05-01T12:00:00"}}}),
])
def test_a_damaged_or_foreign_cache_is_ignored_and_rebuilt(web: Web, tmp_path: Path, content: str) -> None:
    cache = tmp_path / "external.json"
    cache.write_text(content.replace("URL", web.url("/missing")), encoding="utf-8", errors="surrogateescape")
    found = check_external(links(web.url("/missing")), cache, timeout=2, now=NOW)
    assert [d.code for d in found] == ["broken-external-link"]
    assert web.recorder.hits["GET", "/missing"] == 1
    entry = json.loads(cache.read_text())["links"][web.url("/missing")]
    assert entry == {"kind": "broken", "detail": "answers 404 Not Found", "hint": entry["hint"], "transient": False,
                     "checked": "2024-05-01T12:00:00+00:00"}


def test_an_unwritable_cache_does_not_fail_the_check(web: Web, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert check_external(links(web.url("/ok")), blocker / "external.json", timeout=2) == []
