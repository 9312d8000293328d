"""HTTP/1.1 messages of the preview server: request heads read strictly, answers written in full.

Only what a preview needs: GET and HEAD, no request bodies, no chunked encoding. Anything malformed
is refused with a status code rather than guessed at (RFC 9112).
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus

from themehub.serve.limits import Limits

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VERSION = re.compile(rb"HTTP/(\d)\.(\d)")
_LINE_CONTROL = re.compile(rb"[\x00-\x1f\x7f]")
_VALUE_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")  # a tab is allowed inside a header value
_HEAD_END = re.compile(rb"\r?\n\r?\n")

COMMON_HEADERS = (("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"))
"""On every answer: a preview must never be cached, and never sniffed into another content type."""


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    """The request target as sent (decoded as Latin-1, as http.server did)."""
    version: tuple[int, int]
    headers: tuple[tuple[str, str], ...]
    """(lower-case name, value), in the order received."""

    def header_values(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key == name]

    @property
    def wants_close(self) -> bool:
        """HTTP/1.0 clients are answered one request per connection, as http.server did."""
        tokens = {t.strip().lower() for v in self.header_values("connection") for t in v.split(",")}
        return "close" in tokens or self.version < (1, 1)

    @property
    def has_body(self) -> bool:
        """A body this server does not read: the connection cannot carry another request after it."""
        lengths = self.header_values("content-length")
        return bool(self.header_values("transfer-encoding")) or any(v.strip() not in ("", "0") for v in lengths)


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Stream:
    """An answer of unknown length (the live-reload events), sent until the client leaves."""

    content_type: str
    next_chunk: Callable[[], Awaitable[bytes]]


def plain(status: int, text: str | None = None, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    body = (text if text is not None else f"{status} {HTTPStatus(status).phrase}\n").encode()
    return Response(status, body, "text/plain; charset=utf-8", headers)


def head_end(buffer: bytes | bytearray) -> tuple[int, int] | None:
    """Where a request head ends in buffer, and where what follows it starts (bare LFs tolerated)."""
    match = _HEAD_END.search(buffer)
    return (match.start(), match.end()) if match else None


def early_refusal(buffer: bytes | bytearray, limits: Limits) -> int | None:
    """A status to refuse a head with before it is complete (so that a TLS handshake or binary junk is
    answered at once instead of after the head timeout), or None while it may still be fine."""
    newline = buffer.find(b"\n")
    line = bytes(buffer[:newline] if newline != -1 else buffer)
    if newline != -1:
        line = line.removesuffix(b"\r")
        if not line:
            return 400  # an empty request line
    elif line.endswith(b"\r"):
        line = line[:-1]
    if _LINE_CONTROL.search(line):
        return 400
    if len(line) > limits.max_request_line:
        return 414
    if len(buffer) > limits.max_head:
        return 431
    return None


def parse_head(head: bytes, limits: Limits) -> Request | int:
    """The request a complete head (without its final empty line) makes, or the status refusing it."""
    lines = [line.removesuffix(b"\r") for line in head.split(b"\n")]
    request_line = lines[0]
    if len(request_line) > limits.max_request_line:
        return 414
    parts = request_line.split(b" ")
    if len(parts) != 3 or _LINE_CONTROL.search(request_line):
        return 400  # HTTP/0.9's "GET /path" included: it has no headers, so no Host to check
    method, target, version = parts
    match = _VERSION.fullmatch(version)
    if not _TOKEN.fullmatch(method) or not target or not match:
        return 400
    if match.group(1) != b"1":
        return 505
    if len(lines) - 1 > limits.max_headers or len(head) > limits.max_head:
        return 431
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        # A folded line (leading white space) or white space before the colon: refused, as RFC 9112 asks.
        if not colon or not _TOKEN.fullmatch(name):
            return 400
        value = value.strip(b" \t")
        if _VALUE_CONTROL.search(value):
            return 400
        headers.append((name.decode("ascii").lower(), value.decode("latin-1")))
    return Request(method.decode("ascii"), target.decode("latin-1"), (1, int(match.group(2))), tuple(headers))


def encode_head(status: int, headers: tuple[tuple[str, str], ...], *, close: bool) -> bytes:
    lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
             "Server: themehub-serve",
             f"Date: {email.utils.formatdate(usegmt=True)}",
             *(f"{name}: {value}" for name, value in (*headers, *COMMON_HEADERS))]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def response_head(response: Response, *, close: bool) -> bytes:
    return encode_head(response.status, (("Content-Type", response.content_type),
                                         ("Content-Length", str(len(response.body))), *response.headers),
                       close=close)
