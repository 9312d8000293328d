"""Live reload: each open tab holds one server-sent-events stream; a rebuild wakes them all at once.

A stream costs a waiting coroutine and a socket, not a thread, so many tabs never hold up the
requests for pages (and network.py bounds how many streams may be open).
"""

from __future__ import annotations

import asyncio
import contextlib

from themehub.serve.preview import Preview

KEEPALIVE_SECONDS = 15.0
"""A comment line this often keeps proxies and the browser from timing the stream out."""


class RebuildSignal:
    """Wakes every waiting stream when a rebuild has landed. `ring` may be called from any thread (the
    watcher's); the rest runs on the event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._rung = asyncio.Event()

    def ring(self) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed: the server is stopping
            self._loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        # A fresh event for the next rebuild; the waiters hold the one being set.
        rung, self._rung = self._rung, asyncio.Event()
        rung.set()

    async def wait(self, timeout: float) -> bool:
        """True when rung within timeout seconds."""
        rung = self._rung
        try:
            async with asyncio.timeout(timeout):
                await rung.wait()
        except TimeoutError:
            return False
        return True


class EventFeed:
    """One tab's stream: the current state at once, then one event per rebuild, keep-alives between."""

    def __init__(self, preview: Preview, signal: RebuildSignal, since: int = -1) -> None:
        """`since`: the epoch of the page the tab shows (-1: unknown): its first event says what changed
        after it, so a page served between two epochs (an edit's first look) is not reloaded for the
        second unless that changed it."""
        self._preview = preview
        self._signal = signal
        self._seen = since
        self._first = True

    async def next_chunk(self) -> bytes:
        preview = self._preview
        while True:
            # The epoch is checked before waiting, and nothing yields in between: a rebuild that lands
            # meanwhile rings after this check, so it is never missed.
            with preview.cond:
                epoch = preview.state.epoch
                payload = preview.event_payload(self._seen) if epoch != self._seen or self._first else None
            if payload is not None:
                self._seen, self._first = epoch, False
                return f"data: {payload}\n\n".encode()
            if not await self._signal.wait(KEEPALIVE_SECONDS):
                return b": keep-alive\n\n"
