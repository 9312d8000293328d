"""The preview's network layer: one asyncio event loop serving every connection.

What keeps it standing whatever the clients do:
- a listen backlog of thousands, so a burst of connections waits in the kernel instead of being refused;
- every client must send its whole request head within `head_timeout` (slow or silent ones are dropped),
  and read its answer with progress at least every `write_timeout`;
- at most `max_connections` open at once, below the open-file limit: when full, the client that has
  waited longest without sending a request head is dropped for the new one; when none is idle, new
  clients wait in the backlog. accept() failing for lack of file descriptors drops an idle client too,
  or pauses; it never spins;
- long-lived streams (live reload) are capped at `max_streams`, a share of the connections;
- a client that resets, disconnects or times out ends its own connection quietly: nothing is printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import errno
import socket
import sys
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from themehub.serve.limits import Limits
from themehub.serve.messages import (
    Request,
    Response,
    Stream,
    early_refusal,
    encode_head,
    head_end,
    parse_head,
    plain,
    response_head,
)

App = Callable[[Request], Awaitable[Response | Stream]]

_OUT_OF_FILES = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
# accept() reports some errors of the connection it was about to return (accept(2)): that client is
# gone, the listening socket is fine.
_CLIENT_GONE = frozenset(getattr(errno, name) for name in (
    "ECONNABORTED", "EPROTO", "EPERM", "EINTR", "EAGAIN", "ENETDOWN", "ENOPROTOOPT", "EHOSTDOWN", "ENONET",
    "EHOSTUNREACH", "EOPNOTSUPP", "ENETUNREACH", "ETIMEDOUT") if hasattr(errno, name))
_CHUNK = 64 * 1024
_CROWDED = 0.9
"""Above this share of max_connections, answers close their connection instead of keeping it alive."""
_WARN_EVERY = 60.0


class _After(enum.Enum):
    """What becomes of a connection after an answer."""

    KEEP = "keep"
    """Read the next request (HTTP/1.1 keep-alive)."""
    CLOSE = "close"
    """Close once the answer is sent: the client sent nothing more."""
    LINGER = "linger"
    """Close gently: the client may still be sending (a body, the rest of a refused head)."""


class _Connection:
    """One client: its socket and the task serving it."""

    __slots__ = ("sock", "task")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.task: asyncio.Task[None] | None = None


class HttpServer:
    def __init__(self, sock: socket.socket, limits: Limits, app: App) -> None:
        self.sock = sock
        self.limits = limits
        self.app = app
        self._open: set[_Connection] = set()
        self._idle: OrderedDict[_Connection, None] = OrderedDict()
        """Connections waiting for a request head (or lingering before a close), longest-waiting first:
        the ones to drop when a slot is needed."""
        self._streams = 0
        self._accepting = False
        self._loop = asyncio.get_running_loop()  # made on the loop that serves
        self._last_warning: dict[str, float] = {}

    async def serve_forever(self) -> None:
        """Serve until cancelled (Ctrl-C)."""
        self.sock.setblocking(False)
        self._resume_accepting()
        try:
            await self._loop.create_future()  # never set: accepting is driven by _accept below
        finally:
            self._pause_accepting()
            self.close()

    def close(self) -> None:
        for conn in list(self._open):
            self._drop(conn)

    # ------------------------------------------------------------------------------ accepting

    def _resume_accepting(self) -> None:
        if not self._accepting:
            self._accepting = True
            # The listening socket stays registered while accepting (no epoll_ctl per connection).
            self._loop.add_reader(self.sock.fileno(), self._accept)

    def _pause_accepting(self) -> None:
        """New clients then wait in the listen backlog, costing no descriptor of ours."""
        if self._accepting:
            self._accepting = False
            self._loop.remove_reader(self.sock.fileno())

    def _accept(self) -> None:
        """The listening socket is readable: accept what is waiting, as room allows."""
        for _ in range(self.limits.backlog):
            if len(self._open) >= self.limits.max_connections and not self._drop_oldest_idle():
                self._pause_accepting()  # resumed when a connection ends
                return
            try:
                client, _ = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno in _CLIENT_GONE:
                    continue
                self._accept_failed(exc)
                return
            client.setblocking(False)
            self._start(client)
            if self._crowded():
                # One at a time when crowded: each new connection's task gets to read its request before
                # more arrive, so it is not the oldest idle one, dropped for the next.
                return

    def _accept_failed(self, exc: OSError) -> None:
        """accept() failed for want of a descriptor (or worse): wait a moment rather than spin on a
        listening socket that stays readable, after dropping the longest-idle client to make room."""
        if exc.errno in _OUT_OF_FILES:
            self._warn("files", f"out of file descriptors ({exc.strerror}) with {len(self._open)} "
                       "connections open; dropping idle ones")
            delay = 0.01 if self._drop_oldest_idle() else 0.25
        else:
            self._warn("accept", f"cannot accept connections: {exc.strerror or exc}; retrying")
            delay = 1.0
        self._pause_accepting()
        self._loop.call_later(delay, self._resume_when_room)

    def _resume_when_room(self) -> None:
        if len(self._open) < self.limits.max_connections or self._idle:
            self._resume_accepting()

    # ------------------------------------------------------------------------------ connection slots

    def _start(self, client: socket.socket) -> None:
        conn = _Connection(client)
        self._open.add(conn)
        self._idle[conn] = None
        conn.task = asyncio.create_task(self._serve(conn))
        # Whatever ended the task (even a cancel before it ran), its socket is closed and its slot freed.
        conn.task.add_done_callback(lambda _task: self._forget(conn))

    def _forget(self, conn: _Connection) -> None:
        conn.sock.close()
        self._idle.pop(conn, None)
        if conn in self._open:
            self._open.discard(conn)
            self._resume_when_room()

    def _drop(self, conn: _Connection) -> None:
        """End a connection now: its slot is free at once; its socket closes as its task unwinds."""
        self._idle.pop(conn, None)
        self._open.discard(conn)
        if conn.task is not None:
            conn.task.cancel()

    def _drop_oldest_idle(self) -> bool:
        if not self._idle:
            return False
        conn = next(iter(self._idle))
        self._drop(conn)
        return True

    def _set_idle(self, conn: _Connection, idle: bool) -> None:
        if idle:
            if conn in self._open:
                self._idle[conn] = None
                self._idle.move_to_end(conn)
                if not self._accepting:
                    self._resume_when_room()  # full, but this one may now be dropped for a newcomer
        else:
            self._idle.pop(conn, None)

    def _crowded(self) -> bool:
        return len(self._open) >= self.limits.max_connections * _CROWDED

    def _warn(self, kind: str, message: str) -> None:
        now = time.monotonic()
        if now - self._last_warning.get(kind, -_WARN_EVERY) >= _WARN_EVERY:  # a flood must not flood the terminal
            self._last_warning[kind] = now
            print(f"themehub serve: {message}", file=sys.stderr, flush=True)

    # ------------------------------------------------------------------------------ one connection

    async def _serve(self, conn: _Connection) -> None:
        writer: asyncio.StreamWriter | None = None
        try:
            reader, writer = await asyncio.open_connection(sock=conn.sock, limit=self.limits.max_head)
            buffer = bytearray()
            while True:
                self._set_idle(conn, True)
                outcome = await self._read_head(reader, buffer)
                if outcome is None:
                    return
                self._set_idle(conn, False)
                if isinstance(outcome, int):
                    await self._send(writer, plain(outcome), head_only=False, close=True)
                    after = _After.LINGER  # the rest of a refused head may still be on its way
                else:
                    after = await self._answer(outcome, reader, writer)
                if after is _After.KEEP:
                    continue
                self._set_idle(conn, True)
                if after is _After.LINGER or buffer:
                    await self._linger(reader, writer)
                else:
                    await self._close(writer)
                return
        except (OSError, TimeoutError):
            return  # the client reset, went away or stalled: its own business, not news
        except Exception as exc:  # a bug must cost one connection, never the server or a traceback
            self._warn("bug", f"internal error ({type(exc).__name__}: {exc}); "
                       "this is a bug in themehub, please report it")
        finally:
            if writer is not None:
                writer.transport.abort()

    async def _read_head(self, reader: asyncio.StreamReader, buffer: bytearray) -> Request | int | None:
        """The next request, a status refusing it, or None when the client closed or stayed silent."""
        deadline = asyncio.get_running_loop().time() + self.limits.head_timeout
        while True:
            found = head_end(buffer)
            if found is not None:
                head = bytes(buffer[: found[0]])
                del buffer[: found[1]]
                return parse_head(head, self.limits)
            refusal = early_refusal(buffer, self.limits)
            if refusal is not None:
                return refusal
            try:
                async with asyncio.timeout_at(deadline):
                    chunk = await reader.read(_CHUNK)
            except TimeoutError:
                return 408 if buffer else None  # a silent (pre)connection is closed without a word
            if not chunk:
                return None
            buffer += chunk

    async def _answer(self, request: Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      ) -> _After:
        """Answer one request; what becomes of the connection then."""
        if request.method not in ("GET", "HEAD"):
            await self._send(writer, plain(405, headers=(("Allow", "GET, HEAD"),)), head_only=False, close=True)
            return _After.LINGER  # its body is not read
        head_only = request.method == "HEAD"
        try:
            reply = await self.app(request)
        except (OSError, TimeoutError):
            raise
        except Exception as exc:  # a bug in themehub: one 500, one line, and the server goes on
            self._warn("bug", f"internal error answering {request.target[:200]!r} ({type(exc).__name__}: {exc}); "
                       "this is a bug in themehub, please report it")
            await self._send(writer, plain(500), head_only=head_only, close=True)
            return _After.LINGER if request.has_body else _After.CLOSE
        if isinstance(reply, Stream):
            await self._stream(reply, reader, writer, head_only=head_only)
            return _After.CLOSE
        if request.has_body:
            await self._send(writer, reply, head_only=head_only, close=True)
            return _After.LINGER
        keep = not request.wants_close and not self._crowded()
        await self._send(writer, reply, head_only=head_only, close=not keep)
        return _After.KEEP if keep else _After.CLOSE

    async def _send(self, writer: asyncio.StreamWriter, response: Response, *, head_only: bool, close: bool) -> None:
        head = response_head(response, close=close)
        body = b"" if head_only else response.body
        if len(body) <= _CHUNK:
            await self._write(writer, head + body)
            return
        await self._write(writer, head)
        view = memoryview(body)
        for start in range(0, len(view), _CHUNK):
            # Chunk by chunk: a client that reads slowly holds one chunk of buffer, not the whole file.
            await self._write(writer, view[start : start + _CHUNK])

    async def _write(self, writer: asyncio.StreamWriter, data: bytes | memoryview) -> None:
        writer.write(data)
        async with asyncio.timeout(self.limits.write_timeout):
            await writer.drain()

    async def _stream(self, stream: Stream, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *,
                      head_only: bool) -> None:
        if self._streams >= self.limits.max_streams:
            # The browser's live-reload script retries a second later; pages are still served meanwhile.
            await self._send(writer, plain(503, headers=(("Retry-After", "1"),)), head_only=head_only, close=True)
            return
        self._streams += 1
        try:
            await self._write(writer, encode_head(200, (("Content-Type", stream.content_type),), close=True))
            if head_only:
                return
            # The client leaving (EOF or reset) ends the stream at once, not at the next keep-alive.
            gone = asyncio.ensure_future(reader.read(1))
            try:
                while True:
                    chunk = asyncio.ensure_future(stream.next_chunk())
                    try:
                        await asyncio.wait({gone, chunk}, return_when=asyncio.FIRST_COMPLETED)
                    finally:
                        if not chunk.done():
                            chunk.cancel()
                    if gone.done():
                        return
                    await self._write(writer, chunk.result())
            finally:
                gone.cancel()
                if gone.done() and not gone.cancelled():
                    gone.exception()  # retrieved: a reset here is expected, not an "unretrieved" error
        finally:
            self._streams -= 1

    async def _close(self, writer: asyncio.StreamWriter) -> None:
        """Close once the answer is out (a client that stops reading is cut off after write_timeout)."""
        writer.close()
        with contextlib.suppress(OSError, TimeoutError):
            async with asyncio.timeout(self.limits.write_timeout):
                await writer.wait_closed()

    async def _linger(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Close gently: send FIN once the answer is out, then read (and drop) what the client still
        sends until it closes too. Closing with unread input would reset the connection, and a reset
        can destroy an answer the client has not read yet (a refused request with a large head)."""
        with contextlib.suppress(OSError, TimeoutError):
            if writer.can_write_eof():
                writer.write_eof()
            async with asyncio.timeout(self.limits.linger_timeout):
                while await reader.read(_CHUNK):
                    pass


def bind(host: str, port: int, *, backlog: int, tries: int = 20) -> socket.socket:
    """A listening socket on host and the first free port from `port` on (saying so if it is not `port`)."""
    last: OSError | None = None
    for candidate in range(port, port + tries):
        try:
            sock = _listen(host, candidate, backlog)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            last = exc
            continue
        if candidate != port:
            print(f"port {port} is busy; using {candidate} instead", file=sys.stderr)
        return sock
    raise OSError(errno.EADDRINUSE, f"ports {port}-{port + tries - 1} are all busy") from last


def _listen(host: str, port: int, backlog: int) -> socket.socket:
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    infos = socket.getaddrinfo(bare or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    # IPv4 first, as http.server did: "localhost" then means 127.0.0.1, where the printed URL points.
    family, kind, proto, _, address = sorted(infos, key=lambda info: info[0] != socket.AF_INET)[0]
    sock = socket.socket(family, kind, proto)
    try:
        if family == socket.AF_INET6 and bare in ("", "::"):
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)  # "::" takes IPv4 clients too
        # No SO_REUSEADDR (as before): on some systems it lets a second server bind a port in use.
        sock.bind(address)
        sock.listen(backlog)
    except BaseException:
        sock.close()
        raise
    return sock
