"""Attacks on `themehub serve`: traversal and encoding tricks over raw sockets (no client-side URL
normalisation), hostile request lines and headers, foreign Host headers; floods of connections,
half-open and trickling clients, clients that reset mid-answer, too few file descriptors, many
live-reload tabs, a LAN-visible --host; then a soak of 200+ edits while the home page is polled,
after which every served page must equal a clean `themehub build`.

The server runs as `python -m themehub serve --site COPY --port FREE` in a subprocess. Outside the
site sit files with known markers (a secret beside the site, /etc/passwd, the site's own sources);
no response may ever contain one of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import random
import re
import selectors
import shutil
import signal
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hardening.conftest import (
    AS_OF,
    BASE_PATH,
    Served,
    cpu_seconds,
    lan_address,
    make_mini_hub,
    run_cli,
    serving,
    serving_with_open_files,
)
from tests.helpers import (
    INTERRUPTIBLE,
    INTERRUPTIBLE_CLI,
    copy_sample,
    run_isolated,
    warn_if_the_stop_watchdog_acted,
)
from themehub.incremental.records import FORMAT as CACHE_FORMAT

SECRET = b"OUTSIDE-SECRET-7f3a9c"
SOURCE_MARKER = b"SOURCE-ONLY-MARKER-51d2"
OUTSIDE_MARKERS = (SECRET, b"root:x:0:0:", SOURCE_MARKER, b"base_url:", CACHE_FORMAT.encode())
# The live-reload tag carries the epoch of the build that served the page.
LIVE_SCRIPT_RE = re.compile(rb'<script src="' + re.escape(f"{BASE_PATH}__themehub/live.js".encode()) + rb'" data-epoch="\d+"></script>')

# --------------------------------------------------------------------------------------------- the server


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    base = tmp_path_factory.mktemp("serve-attacks")
    (base / "outside-secret.txt").write_bytes(SECRET + b"\n")
    root = make_mini_hub(base / "site")
    # A marker only the sources hold (a YAML comment is never rendered).
    article = root / "content/articles/cloud-basics.md"
    article.write_text(article.read_text().replace("---\ntitle:", f"---\n# {SOURCE_MARKER.decode()}\ntitle:", 1))
    static = root / "static"
    (static / "passwd.txt").symlink_to("/etc/passwd")
    (static / "secret.txt").symlink_to(base / "outside-secret.txt")
    (static / "etcdir").symlink_to("/etc")
    (static / "up").symlink_to("../..")
    with serving(root, base / "serve.log", "--as-of", AS_OF) as served:
        yield served




def raw_exchange(port: int, data: bytes, timeout: float = 5) -> bytes:
    """Send bytes on a fresh connection; everything the server answers until it closes (or goes quiet)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        with contextlib.suppress(OSError):
            s.sendall(data)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(response: bytes) -> int | str:
    """The status code; HTTP/0.9-style answers carry none, so read it from the body."""
    match = re.match(rb"HTTP/\d\.\d (\d{3})", response)
    if match:
        return int(match.group(1))
    match = re.search(rb"Error code: (\d{3})", response)
    if match:
        return int(match.group(1))
    if response.startswith(b"Forbidden"):
        return 403
    return "closed" if not response else "unparsed"


def get(path: bytes, port: int, *, host: bytes | None = None, extra: bytes = b"", version: bytes = b"HTTP/1.1") -> bytes:
    host = host if host is not None else b"127.0.0.1:%d" % port
    return (b"GET " + path + b" " + version + b"\r\nHost: " + host + b"\r\nConnection: close\r\n" + extra + b"\r\n")


TRAVERSAL = {400, 403, 404, 414}
HEADERS = {400, 403, 431}
METHODS = {400, 405, 501}


@dataclass(frozen=True)
class Trick:
    id: str
    request: bytes | None = None
    path: bytes = b""
    allowed: frozenset[int | str] = frozenset(TRAVERSAL)

    def bytes_for(self, port: int) -> bytes:
        return self.request.replace(b"{port}", str(port).encode()) if self.request else get(self.path, port)


def t(id_: str, path: bytes, allowed: set[int | str] = TRAVERSAL) -> Trick:
    return Trick(id_, path=path, allowed=frozenset(allowed))


def r(id_: str, request: bytes, allowed: set[int | str]) -> Trick:
    return Trick(id_, request=request, allowed=frozenset(allowed))


P = BASE_PATH.encode()
TRICKS: tuple[Trick, ...] = (
    t("dot-dot", P + b"../../../../etc/passwd"),
    t("dot-dot-no-base", b"/../../../../etc/passwd"),
    t("encoded-dots", P + b"%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
    t("encoded-dots-upper", P + b"%2E%2E/%2E%2E/%2E%2E/etc/passwd"),
    t("encoded-slashes", P + b"..%2f..%2f..%2f..%2fetc%2fpasswd"),
    t("encoded-dots-and-slashes", P + b"%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
    t("double-encoding", P + b"%252e%252e/%252e%252e/%252e%252e/etc/passwd"),
    t("double-encoded-slash", P + b"..%252f..%252f..%252fetc%252fpasswd"),
    t("triple-encoding", P + b"%25252e%25252e/%25252e%25252e/etc/passwd"),
    t("backslashes", P + b"..\\..\\..\\..\\etc\\passwd"),
    t("encoded-backslashes", P + b"..%5c..%5c..%5c..%5cetc%5cpasswd"),
    t("mixed-slashes", P + b"..%5c../..%5c../etc/passwd"),
    t("nul-encoded", P + b"%00"),
    t("nul-before-extension", P + b"index.html%00.txt"),
    t("nul-in-dot-dot", P + b"..%00/..%00/etc/passwd"),
    t("nul-raw", P + b"\x00../etc/passwd", TRAVERSAL | {"closed"}),
    t("absolute-etc", b"/etc/passwd"),
    t("double-slash-root", b"//etc/passwd"),
    t("double-slash-in-base", P + b"/etc/passwd"),
    t("encoded-leading-slash", P + b"%2fetc%2fpasswd"),
    t("encoded-double-slash", P + b"%2f%2fetc/passwd"),
    t("semicolon-dot-dot", P + b"..;/..;/..;/etc/passwd"),
    t("overlong-utf8-dots", P + b"%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd"),
    t("overlong-utf8-3-bytes", P + b"%e0%80%ae%e0%80%ae/%e0%80%ae%e0%80%ae/etc/passwd"),
    t("iis-percent-u", P + b"%u002e%u002e/%u002e%u002e/etc/passwd"),
    t("fullwidth-dots-raw", P + "．．/．．/．．/etc/passwd".encode()),
    t("fullwidth-dots-encoded", P + b"%ef%bc%8e%ef%bc%8e/%ef%bc%8e%ef%bc%8e/etc/passwd"),
    t("invalid-utf8-raw", P + b"\xff\xfe/../etc/passwd"),
    t("invalid-percent", P + b"%ZZ%zz/../etc/passwd"),
    t("lone-percent", P + b"%"),
    t("config-one-up", P + b"../themehub.yaml"),
    t("config-dot-then-up", P + b"./../themehub.yaml"),
    t("config-encoded-up", P + b"%2e%2e%2fthemehub.yaml"),
    t("source-markdown", P + b"../content/articles/cloud-basics.md"),
    t("cache-folder", P + b"../.themehub-cache/FORMAT"),
    t("output-marker", P + b".themehub-output"),
    t("live-reload-then-up", P + b"__themehub/../../themehub.yaml"),
    t("live-reload-encoded-up", P + b"__themehub/%2e%2e/%2e%2e/themehub.yaml"),
    t("images-then-up", P + b"images/../../../../etc/passwd"),
    t("images-encoded-up", P + b"images/..%2f..%2f..%2f..%2fetc/passwd"),
    t("file-url-in-path", P + b"file:///etc/passwd"),
    t("tilde-home", P + b"~root/.ssh/id_rsa"),
    t("static-symlink-to-etc-passwd", P + b"passwd.txt"),
    t("static-symlink-to-a-secret-beside-the-site", P + b"secret.txt"),
    t("static-symlink-to-etc-folder", P + b"etcdir/passwd"),
    t("static-symlink-folder-listing", P + b"etcdir/"),
    t("static-symlink-up-two-levels", P + b"up/outside-secret.txt"),
    t("static-symlink-up-then-config", P + b"up/site/themehub.yaml"),
    t("url-100-kb", P + b"a" * 100_000, TRAVERSAL | {"closed"}),
    t("dot-dot-times-5000", P + b"../" * 5000 + b"etc/passwd", TRAVERSAL | {"closed"}),
    t("encoded-dot-dot-times-2000", P + b"%2e%2e/" * 2000 + b"etc/passwd"),
    t("asterisk-form", b"*"),
    t("no-leading-slash", b"insights/index.html", TRAVERSAL),
    t("absolute-form-traversal", b"http://127.0.0.1/insights/../../etc/passwd"),
    t("absolute-form-foreign-host", b"http://evil.example" + P, {400, 403}),
    r("header-70-kb", b"GET " + P + b" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Big: " + b"b" * 70_000 + b"\r\n\r\n",
      HEADERS),
    r("header-200-lines", b"GET " + P + b" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
      + b"".join(b"X-H%d: y\r\n" % i for i in range(200)) + b"\r\n", HEADERS),
    r("host-header-70-kb", b"GET " + P + b" HTTP/1.1\r\nHost: " + b"h" * 70_000 + b"\r\n\r\n", HEADERS),
    r("nul-in-header", b"GET " + P + b" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-A: a\x00b\r\nConnection: close\r\n\r\n",
      {200, 400}),
    r("two-host-headers-ours-first", b"GET " + P + b" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\n"
      b"Connection: close\r\n\r\n", {400, 403}),
    r("two-host-headers-foreign-first", b"GET " + P + b" HTTP/1.1\r\nHost: evil.example\r\nHost: 127.0.0.1:{port}\r\n"
      b"Connection: close\r\n\r\n", {400, 403}),
    r("no-host-header", b"GET " + P + b" HTTP/1.1\r\nConnection: close\r\n\r\n", {400, 403}),
    r("garbage-request-line", b"GARBAGE\r\n\r\n", {400}),
    r("method-only", b"GET\r\n\r\n", {400}),
    r("bad-protocol", b"GET " + P + b" FOO/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n", {400}),
    r("http-9-9", b"GET " + P + b" HTTP/9.9\r\nHost: 127.0.0.1:{port}\r\n\r\n", {400, 505}),
    r("http-0-9-traversal", b"GET /insights/../../etc/passwd\r\n\r\n", {400, 403, 404}),
    r("http-0-9-home", b"GET " + P + b"\r\n\r\n", {400, 403}),
    r("post", b"POST " + P + b" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 5\r\n\r\nhello", METHODS),
    r("put", b"PUT " + P + b"x.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 3\r\n\r\nabc", METHODS),
    r("delete", b"DELETE " + P + b"index.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n", METHODS),
    r("trace", b"TRACE " + P + b" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Echo: " + SECRET + b"\r\n\r\n", METHODS),
    r("connect", b"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n", METHODS),
    r("options-asterisk", b"OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n", METHODS),
    r("lowercase-method", b"get " + P + b" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n", METHODS),
    r("tls-client-hello", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64, {400, "closed"}),
    r("empty-request", b"\r\n\r\n", {400, "closed"}),
    r("request-line-100-kb", b"GET /" + b"x" * 100_000 + b" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n", {400, 414}),
)


def test_there_are_at_least_50_tricks() -> None:
    assert len(TRICKS) >= 50
    assert len({trick.id for trick in TRICKS}) == len(TRICKS)


@pytest.mark.parametrize("trick", TRICKS, ids=[trick.id for trick in TRICKS])
def test_trick_is_refused_and_leaks_nothing(attacked: Served, trick: Trick) -> None:
    response = raw_exchange(attacked.port, trick.bytes_for(attacked.port), timeout=3)
    for marker in OUTSIDE_MARKERS:
        assert marker not in response, f"the response holds {marker!r}: {response[:300]!r}"
    assert status_of(response) in trick.allowed, response[:300]
    assert attacked.alive(), attacked.output()


def test_server_survives_every_trick(attacked: Served) -> None:
    for trick in TRICKS:
        raw_exchange(attacked.port, trick.bytes_for(attacked.port), timeout=2)
    status, body = attacked.get(BASE_PATH)
    assert status == 200 and b"</html>" in body
    assert attacked.alive()
    log = attacked.output()
    assert "Traceback" not in log, log[-3000:]


def test_foreign_host_is_refused_and_local_names_work(attacked: Served) -> None:
    port = attacked.port
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", f"localhost.evil.example:{port}",
                 "attacker.test:80", "EVIL.EXAMPLE"):
        status, body = attacked.get(BASE_PATH, host=host)
        assert status == 403, host
        assert b"<html" not in body
        status, _ = attacked.get(f"{BASE_PATH}__themehub/events", host=host, timeout=3)
        assert status == 403, host
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "localhost", "127.0.0.1", f"LOCALHOST:{port}"):
        status, body = attacked.get(BASE_PATH, host=host)
        assert status == 200, host
        assert LIVE_SCRIPT_RE.search(body)


def test_legitimate_requests_still_work(attacked: Served) -> None:
    status, body = attacked.get(f"{BASE_PATH}images/logo.svg")
    assert status == 200 and body.startswith(b"<svg")
    status, _ = attacked.get(f"{BASE_PATH}articles/cloud-basics")
    assert status == 301
    status, body = attacked.get(f"{BASE_PATH}articles/cloud-basics/")
    assert status == 200 and b"Cloud Basics" in body


# --------------------------------------------------------------------------------------------- floods and rude clients

HEAD_TIMEOUT = 5  # seconds a client has to send its request head (serve/limits.py)


def home_request(port: int) -> bytes:
    return f"GET {BASE_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()


async def _exchange(port: int, data: bytes, deadline: float) -> bytes | str:
    """One connection: send data, read until the server closes; the bytes, or the error's name."""
    try:
        async with asyncio.timeout_at(deadline):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                writer.write(data)
                await writer.drain()
                return await reader.read()
            finally:
                writer.transport.abort()
    except (OSError, TimeoutError) as exc:
        return type(exc).__name__


def simultaneous(port: int, requests: list[bytes], within: float) -> list[bytes | str]:
    """Every request on its own connection, all opened at once; each must be answered within `within` s."""
    async def run() -> list[bytes | str]:
        deadline = asyncio.get_running_loop().time() + within
        return list(await asyncio.gather(*(_exchange(port, data, deadline) for data in requests)))
    return run_isolated(run)


def answered_200(answer: bytes | str) -> bool:
    return isinstance(answer, bytes) and status_of(answer) == 200 and answer.rstrip().endswith(b"</html>")


def open_half_open(port: int, count: int, data: bytes, timeout: float = 10, *, wave: int = 0,
                   pause: float = 0.02) -> list[socket.socket]:
    """`count` connections, each sending `data` (part of a request head), then silent. Opened at once,
    or `wave` at a time with a pause between waves (so that a server with a short listen backlog
    really accepts them all)."""
    socks = []
    with selectors.DefaultSelector() as selector:
        for n in range(count):
            if wave and n and n % wave == 0:
                time.sleep(pause)
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            selector.register(s, selectors.EVENT_WRITE)
            socks.append(s)
        connected = []
        deadline = time.monotonic() + timeout
        while len(connected) < count and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.2):
                s = key.fileobj
                selector.unregister(s)
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    with contextlib.suppress(OSError):
                        s.send(data)
                    connected.append(s)
    return socks


def closed_by_server(socks: list[socket.socket], timeout: float) -> int:
    """Wait up to `timeout` s for the server to close each socket (EOF or reset, after any answer such
    as a 408); the number still open at the end."""
    open_ = set(socks)
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        for s in socks:
            selector.register(s, selectors.EVENT_READ)
        while open_ and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.2):
                s = key.fileobj
                try:
                    data = s.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    selector.unregister(s)
                    open_.discard(s)
    return len(open_)


def dropped_already(socks: list[socket.socket]) -> int:
    """How many of `socks` the server has closed by now (EOF or reset waiting to be read); no waiting."""
    dropped = 0
    with selectors.DefaultSelector() as selector:
        for s in socks:
            selector.register(s, selectors.EVENT_READ)
        for key, _ in selector.select(timeout=0):
            try:
                data = key.fileobj.recv(65536, socket.MSG_PEEK)  # type: ignore[union-attr]
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            dropped += not data or data.startswith(b"HTTP/1.1 408")
    return dropped


def test_300_simultaneous_connections_are_all_answered(attacked: Served) -> None:
    answers = simultaneous(attacked.port, [home_request(attacked.port)] * 300, within=15)
    failures = [a if isinstance(a, str) else a[:40] for a in answers if not answered_200(a)]
    assert failures == [], f"{len(failures)} of 300 not answered with the home page: {failures[:5]}"
    assert attacked.alive()


def test_two_requests_on_one_connection_are_both_answered(attacked: Served) -> None:
    """HTTP/1.1 keep-alive and pipelining: two requests in one write, two answers, in order."""
    port = attacked.port
    first = f"GET {BASE_PATH}images/logo.svg HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    response = raw_exchange(port, first + home_request(port), timeout=5)
    assert response.count(b"HTTP/1.1 200 OK") == 2, response[:300]
    assert response.index(b"<svg") < response.index(b"</html>")


def test_half_open_and_trickling_clients_do_not_block_others_and_are_dropped(attacked: Served) -> None:
    port = attacked.port
    partial = f"GET {BASE_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ".encode()
    opened = time.monotonic()
    half_open = open_half_open(port, 300, partial)
    trickler = socket.create_connection(("127.0.0.1", port), timeout=5)
    stop = threading.Event()

    def trickle() -> None:  # one byte of a never-ending header every 0.3 s: slowloris
        trickler.sendall(b"GET " + BASE_PATH.encode() + b" HTTP/1.1\r\nX-Slow: ")
        while not stop.wait(0.3):
            try:
                trickler.sendall(b"a")
            except OSError:
                return

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        time.sleep(0.5)
        status, body = attacked.get(BASE_PATH, timeout=HEAD_TIMEOUT)
        assert status == 200 and b"</html>" in body
        # Answered while all 301 slow clients are still connected: it did not wait for them to be dropped.
        assert dropped_already([*half_open, trickler]) == 0, "a normal request waited behind the half-open connections"
        cpu_before = cpu_seconds(attacked.proc.pid)
        time.sleep(2)
        assert cpu_seconds(attacked.proc.pid) - cpu_before < 0.5, "the server is busy while nothing happens"
        # Every one of them is dropped once its head is overdue (the trickler's bytes do not extend it).
        still_open = closed_by_server([*half_open, trickler], timeout=HEAD_TIMEOUT + 4 - (time.monotonic() - opened))
        assert still_open == 0, f"{still_open} of 301 slow connections still open after {HEAD_TIMEOUT + 4} s"
    finally:
        stop.set()
        for s in [*half_open, trickler]:
            s.close()
        thread.join(timeout=5)
    assert attacked.get(BASE_PATH)[0] == 200
    assert "Traceback" not in attacked.output()


def test_out_of_file_descriptors_the_server_drops_idle_clients_and_does_not_spin(tmp_path: Path) -> None:
    """Under `ulimit -Sn 128 -Hn 256`, 300 half-open connections are more than the process may open:
    a normal request is still answered at once, and the server does not spin on accept()."""
    root = make_mini_hub(tmp_path / "site")
    with serving_with_open_files(root, tmp_path / "serve.log", "--as-of", AS_OF, soft=128, hard=256) as served:
        limits = Path(f"/proc/{served.proc.pid}/limits").read_text()
        assert re.search(r"Max open files\s+256\s+256", limits), "the soft limit was not raised to the hard one"
        partial = f"GET {BASE_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\nX-Slow: ".encode()
        half_open = open_half_open(served.port, 300, partial, wave=5)
        try:
            time.sleep(0.5)
            # Answered although every descriptor is taken, well before the head timeout would free any.
            status, body = served.get(BASE_PATH, timeout=HEAD_TIMEOUT - 1)
            assert status == 200 and b"</html>" in body
            cpu_before = cpu_seconds(served.proc.pid)
            time.sleep(2)
            assert cpu_seconds(served.proc.pid) - cpu_before < 0.5, "the server spins with its descriptors used up"
            answers = simultaneous(served.port, [home_request(served.port)] * 20, within=5)
            assert all(answered_200(a) for a in answers)
        finally:
            for s in half_open:
                s.close()
        assert served.alive()
        assert "Traceback" not in served.output(), served.output()[-3000:]


def test_a_client_that_resets_mid_answer_leaves_no_traceback(tmp_path: Path) -> None:
    root = make_mini_hub(tmp_path / "site")
    (root / "static" / "big.bin").write_bytes(random.Random(1).randbytes(8 * 1024 * 1024))
    with serving(root, tmp_path / "serve.log", "--as-of", AS_OF) as served:
        request = f"GET {BASE_PATH}big.bin HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n".encode()
        for n in range(12):
            with socket.create_connection(("127.0.0.1", served.port), timeout=5) as s:
                s.sendall(request)
                if n % 3:
                    s.recv(65536)  # part of the answer is read; most of 8 MB is still on its way
                # SO_LINGER with a zero timeout: close() sends a reset instead of a FIN.
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            time.sleep(0.05)
        for _ in range(8):  # a client that goes away before even reading: the writes hit a closed socket
            with socket.create_connection(("127.0.0.1", served.port), timeout=5) as s:
                s.sendall(request)
                s.shutdown(socket.SHUT_RDWR)
        time.sleep(1)
        status, body = served.get(f"{BASE_PATH}big.bin", timeout=20)
        assert status == 200 and len(body) == 8 * 1024 * 1024
        assert served.alive()
        log = served.output()
    assert "Traceback" not in log, log[-3000:]
    assert "Error" not in log, log[-3000:]


def test_many_live_reload_tabs_do_not_starve_pages_and_all_hear_the_rebuild(tmp_path: Path) -> None:
    root = make_mini_hub(tmp_path / "site")
    tabs, pages = 150, 150
    with serving(root, tmp_path / "serve.log", "--as-of", AS_OF) as served:
        port = served.port
        events = f"GET {BASE_PATH}__themehub/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()

        async def tab(opened: asyncio.Event, edited: asyncio.Event, deadline: float) -> list[int]:
            """The epochs one tab hears: the current one on connecting, then the rebuild's."""
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            epochs: list[int] = []
            try:
                writer.write(events)
                async with asyncio.timeout_at(deadline):
                    head = await reader.readuntil(b"\r\n\r\n")
                    assert head.startswith(b"HTTP/1.1 200") and b"text/event-stream" in head
                    while len(epochs) < 2:
                        line = await reader.readline()
                        if not line:
                            break
                        if line.startswith(b"data: "):
                            epochs.append(json.loads(line[6:])["epoch"])
                            if len(epochs) == 1:
                                opened.set()
                                await edited.wait()
            finally:
                writer.transport.abort()
            return epochs

        async def run() -> tuple[list[list[int] | BaseException], list[bytes | str]]:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 20
            openings = [asyncio.Event() for _ in range(tabs)]
            edited = asyncio.Event()
            listening = [asyncio.ensure_future(tab(openings[i], edited, deadline)) for i in range(tabs)]
            # The pages are asked for while every tab holds its stream open.
            answers = await asyncio.gather(*(_exchange(port, home_request(port), loop.time() + 10)
                                             for _ in range(pages)))
            async with asyncio.timeout(10):
                await asyncio.gather(*(o.wait() for o in openings))
            article = root / "content/articles/cloud-basics.md"
            article.write_text(article.read_text().replace("Mostly compute.", "Mostly compute, and storage."))
            edited.set()
            heard = await asyncio.gather(*listening, return_exceptions=True)
            return heard, answers

        heard, answers = run_isolated(run)
        assert all(answered_200(a) for a in answers), [a for a in answers if not answered_200(a)][:3]
        problems = [h for h in heard if not isinstance(h, list) or len(h) != 2 or h[1] <= h[0]]
        assert problems == [], f"{len(problems)} of {tabs} tabs did not hear the rebuild: {problems[:3]}"
        wait_for(lambda: "rebuilt after cloud-basics.md in" in served.output(), 5, "the rebuild line")
        assert served.get(BASE_PATH)[0] == 200
        assert "Traceback" not in served.output()


def test_lan_host_prints_the_lan_address_warns_and_answers_only_this_machine(tmp_path: Path) -> None:
    root = make_mini_hub(tmp_path / "site")
    with serving(root, tmp_path / "serve.log", "--host", "0.0.0.0", "--as-of", AS_OF) as served:
        port = served.port
        log = served.output()
        match = re.search(r"serving .* at http://([^/]+):(\d+)/insights/ \(Ctrl-C to stop\)", log)
        assert match, log
        assert match.group(1) != "0.0.0.0" and int(match.group(2)) == port
        assert "visible to other machines on the network" in log
        lan = lan_address()
        if lan is not None:
            assert match.group(1) == lan
        hostname = socket.gethostname()
        own = [f"127.0.0.1:{port}", "localhost", f"{hostname}:{port}", f"{hostname.split('.')[0]}.local:{port}",
               f"{match.group(1)}:{port}", f"0.0.0.0:{port}"]
        for host in own:
            status, body = served.get(BASE_PATH, host=host)
            assert status == 200 and b"</html>" in body, host
        for host in ("evil.example", f"evil.example:{port}", f"{hostname}.evil.example", "192.0.2.254:8000",
                     "attacker.test"):
            status, body = served.get(BASE_PATH, host=host)
            assert status == 403, host
            assert b"<html" not in body
        if lan is not None:  # and over the LAN address itself
            conn = http.client.HTTPConnection(lan, port, timeout=5)
            try:
                conn.request("GET", BASE_PATH)
                response = conn.getresponse()
                assert response.status == 200 and b"</html>" in response.read()
            finally:
                conn.close()


def test_default_host_is_loopback_only_and_says_nothing_about_the_network(attacked: Served) -> None:
    log = attacked.output()
    assert f"at http://127.0.0.1:{attacked.port}{BASE_PATH} (Ctrl-C to stop)" in log
    assert "visible to other machines" not in log
    # On 127.0.0.1 the machine's other names are not answered: only loopback names are.
    names = [socket.gethostname(), lan_address()]
    for name in [n for n in names if n and n.lower() not in ("localhost", "127.0.0.1")]:
        status, _ = attacked.get(BASE_PATH, host=f"{name}:{attacked.port}")
        assert status == 403, name


def test_ctrl_c_stops_with_status_0_while_clients_are_connected(tmp_path: Path) -> None:
    with serving(make_mini_hub(tmp_path / "site"), tmp_path / "serve.log", "--as-of", AS_OF,
                 command=("-c", INTERRUPTIBLE_CLI)) as served:
        port, proc = served.port, served.proc
        stream = socket.create_connection(("127.0.0.1", port), timeout=5)
        stream.sendall(f"GET {BASE_PATH}__themehub/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        assert stream.recv(65536).startswith(b"HTTP/1.")
        silent = open_half_open(port, 20, b"GET ")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        stream.close()
        for s in silent:
            s.close()
    output = served.log.read_text()
    assert output.rstrip().endswith("stopped"), output[-2000:]
    assert "Traceback" not in output
    warn_if_the_stop_watchdog_acted(output)


HANG_BEFORE_STOPPED = """
import sys, time
from themehub.serve import network
network.HttpServer.close = lambda self: time.sleep(120)  # closing the connections never ends
from themehub.cli import main
sys.exit(main(sys.argv[1:]))
"""

HANG_AFTER_STOPPED = """
import sys, threading, time
from themehub.cli import main
code = main(sys.argv[1:])
threading.Thread(target=time.sleep, args=(120,), name="holds-the-exit").start()  # joined at exit
sys.exit(code)
"""


@pytest.mark.parametrize("script", [HANG_BEFORE_STOPPED, HANG_AFTER_STOPPED], ids=["in-the-loop", "at-exit"])
def test_ctrl_c_stops_within_seconds_even_when_something_holds_the_exit(tmp_path: Path, script: str) -> None:
    """Whatever keeps the process from ending after Ctrl-C (a stuck close, a thread joined at exit), the
    server leaves 5 s after the key press with status 0, prints where each thread was waiting, so that
    the cause can be found, and ends saying `stopped`."""
    with serving(make_mini_hub(tmp_path / "site"), tmp_path / "serve.log", "--as-of", AS_OF,
                 command=("-c", INTERRUPTIBLE + script)) as served:
        pressed = time.monotonic()
        served.proc.send_signal(signal.SIGINT)
        assert served.proc.wait(timeout=30) == 0
        took = time.monotonic() - pressed
    output = served.log.read_text()
    assert 4.5 < took < 20, output[-3000:]
    assert "stopping took longer than 5 s; leaving anyway" in output, output[-3000:]
    assert "(most recent call first)" in output and 'File "' in output  # every thread's stack
    # Where: the stuck close (in the loop), or the interpreter joining the thread (at exit).
    assert "in <lambda>" in output or "in _shutdown" in output, output[-3000:]
    assert output.rstrip().endswith("stopped"), output[-3000:]
    assert "Traceback" not in output


def _answers(served: Served) -> bool:
    try:
        return served.get(BASE_PATH, timeout=2)[0] == 200
    except OSError:
        return False


# --------------------------------------------------------------------------------------------- the soak


@dataclass
class Poller:
    """Polls the home page from a thread for as long as the soak runs."""

    served: Served
    polls: int = 0
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                status, body = self.served.get(BASE_PATH, timeout=10)
                if status != 200 or b"</html>" not in body:
                    self.failures.append(f"status {status}")
            except OSError as exc:
                self.failures.append(f"{type(exc).__name__}: {exc}")
            self.polls += 1
            self.stop.wait(0.05)


def server_state(served: Served, timeout: float = 5) -> dict[str, object]:
    """The first event of the live-reload stream: the server's build epoch and current errors."""
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=timeout)
    try:
        conn.request("GET", f"{BASE_PATH}__themehub/events", headers={"Host": f"127.0.0.1:{served.port}"})
        response = conn.getresponse()
        buffer = b""
        while b"\n\n" not in buffer:
            chunk = response.read1(4096)
            if not chunk:
                break
            buffer += chunk
    finally:
        conn.close()
    line = next(x for x in buffer.decode().split("\n") if x.startswith("data: "))
    return json.loads(line[len("data: "):])  # type: ignore[no-any-return]


def wait_for(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def article_text(slug: str, n: int, *, theme: str = "cloud", title: str | None = None) -> str:
    return (f"---\ntitle: {title or f'Soak piece {slug}'}\ndate: 2026-0{1 + n % 9}-{1 + n % 27:02d}\n"
            f"authors: [ana-quinn]\nthemes: [{theme}]\nsummary: Edit number {n}.\ntags: [Soak {n % 5}]\n---\n\n"
            f"Body of {slug}, edit {n}.\n\n## Section {n}\n\nMore text.\n")


def page_urls(site: Path) -> list[tuple[str, str]]:
    """(URL path, file) for every file of a built site."""
    result = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        if rel.startswith(".") or "/." in rel:
            continue
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        result.append((BASE_PATH + url, rel))
    return result


def served_differences(served: Served, reference: Path) -> list[str]:
    problems = []
    for url, rel in page_urls(reference):
        expected = (reference / rel).read_bytes()
        try:
            status, body = served.get(url, timeout=10)
        except OSError as exc:
            problems.append(f"{url}: {exc}")
            continue
        if rel.endswith(".html"):
            if len(LIVE_SCRIPT_RE.findall(body)) != 1:
                problems.append(f"{url}: the live-reload script is not injected exactly once")
            body = LIVE_SCRIPT_RE.sub(b"", body, count=1)
        if status != 200:
            problems.append(f"{url}: status {status}")
        elif body != expected:
            problems.append(f"{url}: differs from the clean build")
    return problems


def test_soak_200_edits_then_equal_to_a_clean_build(tmp_path: Path) -> None:
    rng = random.Random(7)
    root = make_mini_hub(tmp_path / "site")
    articles = root / "content" / "articles"
    edits = 0
    with serving(root, tmp_path / "serve.log", "--as-of", AS_OF) as served:
        poller = Poller(served)
        thread = threading.Thread(target=poller.run, daemon=True)
        thread.start()
        try:
            # 1. in-place writes (the editor writes the same file again and again)
            for n in range(40):
                (articles / f"inplace-{n % 8}.md").write_text(article_text(f"inplace-{n % 8}", n))
                edits += 1
                time.sleep(rng.uniform(0, 0.06))
            # 2. atomic saves: a temporary file, then os.replace over the real one
            for n in range(40):
                target = articles / f"atomic-{n % 8}.md"
                tmp = articles / f".atomic-{n % 8}.md.{n}.tmp"
                tmp.write_text(article_text(f"atomic-{n % 8}", n, theme=rng.choice(("cloud", "finops", "data"))))
                os.replace(tmp, target)
                edits += 1
                time.sleep(rng.uniform(0, 0.06))
            # 3. two bursts of 50 files created at once (a git checkout, an unzip)
            for burst in range(2):
                for n in range(50):
                    (articles / f"burst-{burst}-{n}.md").write_text(article_text(f"burst-{burst}-{n}", n))
                    edits += 1
                time.sleep(0.3)
            # 4. deletes while a rebuild runs: an edit starts a rebuild, files vanish under it
            for round_ in range(4):
                (articles / "inplace-0.md").write_text(article_text("inplace-0", 100 + round_))
                edits += 1
                time.sleep(0.12)  # past the watcher's debounce: the rebuild is running
                for n in range(round_ * 12, round_ * 12 + 12):
                    (articles / f"burst-0-{n}.md").unlink()
                    edits += 1
                time.sleep(rng.uniform(0.05, 0.3))
            # 5. twenty bad saves, each fixed after the server reported it
            target = articles / "atomic-3.md"
            for n in range(20):
                good = target.read_text()
                broken = good.replace("title: ", "title: [never closed ", 1) if n % 2 else good.replace(
                    "authors: [ana-quinn]", "authors: [ana-quinn]\n\tbad: tab", 1)
                target.write_text(broken)
                edits += 1
                wait_for(lambda: any(e["file"] == "content/articles/atomic-3.md"
                                     for e in server_state(served)["errors"]), 15, "the error to be reported")
                status, _ = served.get(f"{BASE_PATH}articles/atomic-3/")
                assert status == 200, "the last good page is no longer served during an error"
                target.write_text(article_text("atomic-3", 200 + n, title=f"Fixed {n}"))
                edits += 1
                wait_for(lambda: not server_state(served)["errors"], 15, "the error to clear")
            assert edits >= 200
            # The final content, built clean from scratch, in another folder.
            reference_root = tmp_path / "reference"
            reference_root.mkdir()
            for part in ("themehub.yaml", "content", "static"):
                src = root / part
                if src.is_dir():
                    shutil.copytree(src, reference_root / part)
                else:
                    (reference_root / part).write_bytes(src.read_bytes())
            done = run_cli("build", "--site", str(reference_root), "--no-search", "--no-cache", "--as-of", AS_OF)
            assert done.returncode == 0, done.stderr
            reference = reference_root / "site"
            # Wait for the served output to settle on the same bytes.
            deadline = time.monotonic() + 30
            while True:
                problems = served_differences(served, reference)
                if not problems or time.monotonic() > deadline:
                    break
                time.sleep(1)
        finally:
            poller.stop.set()
            thread.join(timeout=15)
        assert served.alive(), served.output()[-3000:]
        assert problems == [], f"{len(problems)} served pages differ from a clean build: {problems[:10]}"
        assert poller.failures == [], f"{len(poller.failures)} of {poller.polls} polls failed: {poller.failures[:5]}"
        assert poller.polls > 50
        assert "Traceback" not in served.output()


def test_serve_of_the_sample_hub_equals_its_build(tmp_path: Path) -> None:
    """The whole sample hub: every page served equals the page built (live-reload script aside)."""
    root = copy_sample(tmp_path / "sample")
    done = run_cli("build", "--site", str(root), "--no-search", "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    with serving(root, tmp_path / "serve.log", "--as-of", AS_OF) as served:
        problems = served_differences(served, root / "site")
    assert problems == [], problems[:10]
