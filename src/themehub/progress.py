"""The progress line of long builds: one line on the terminal, rewritten in place.

Quiet for the first seconds (most builds finish before anyone would read it) and when stderr is
not a terminal (CI logs and pipes get no carriage-return noise).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

STAGE_NAMES = {
    "config": "reading the configuration", "load": "reading content", "graph": "linking the hub",
    "cache": "reading the cache", "markdown": "rendering markdown", "links": "checking links",
    "images": "making images", "templates": "rendering pages", "health": "checking the hub",
    "feeds": "writing feeds", "write": "writing files", "search": "indexing for search",
    "assets": "checking static files", "pages": "listing pages",
}


class ProgressLine:
    """A `timings.Listener` that draws `building: rendering pages 812/1477` on stderr."""

    def __init__(self, stream: TextIO | None = None, *, delay: float = 2.0, interval: float = 0.1,
                 enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self.delay = delay
        self.interval = interval
        self.last_drawn = 0.0
        self.shown = False
        self.text = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        name = STAGE_NAMES.get(stage, stage)
        self.text = f"building: {name} {done}/{total}" if total else f"building: {name}"
        now = time.monotonic()
        # A new stage is always drawn; counts at most every `interval`, to keep the terminal cheap.
        too_soon = now - self.started < self.delay
        if too_soon or (0 < done < total and now - self.last_drawn < self.interval):
            return
        self.last_drawn = now
        self.shown = True
        self.stream.write(f"\r\x1b[K{self.text}")
        self.stream.flush()

    def clear(self) -> None:
        """Remove the line before the build's own output is printed."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
