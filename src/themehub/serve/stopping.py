"""Ctrl-C stops the preview server within a few seconds, whatever is still running.

Stopping closes the connections, lets the event loop's tasks and threads unwind and waits for a search
index under way; any of them may hold the exit up (a Pagefind run on a large site, a stuck thread).
From the moment Ctrl-C is pressed a watchdog gives the exit `STOP_SECONDS`; past that it prints
where each thread was waiting (so the cause can be found and fixed), says `stopped` again as its last
line, and leaves the process. From the command line it also bounds the interpreter's own exit (threads
it joins); `serve` called from Python disarms it on returning, and the process goes on.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import threading
from types import FrameType

STOP_SECONDS = 5.0


class StopWatchdog:
    """Armed by Ctrl-C; leaves the process `seconds` later unless disarmed first."""

    def __init__(self, seconds: float = STOP_SECONDS) -> None:
        self.seconds = seconds
        self._armed = threading.Event()
        self._disarmed = threading.Event()

    def arm(self) -> None:
        """The server is stopping: from now on the exit has `seconds`. Safe to call more than once."""
        if self._armed.is_set():
            return
        self._armed.set()
        threading.Thread(target=self._watch, name="themehub-stop-watchdog", daemon=True).start()

    def disarm(self) -> None:
        """Stopping is over and the process goes on (`serve` called from Python, not the command line)."""
        self._disarmed.set()

    def wrap_interrupt_handler(self) -> None:
        """Arm on Ctrl-C itself, before the handler in place (asyncio's, which cancels the server) runs:
        a hang anywhere after the key press is covered. Main thread only, as every signal handler."""
        if threading.current_thread() is not threading.main_thread():
            return  # a server run by a test in a thread: it is stopped another way
        previous = signal.getsignal(signal.SIGINT)
        if not callable(previous):
            return

        def on_interrupt(signum: int, frame: FrameType | None) -> None:
            self.arm()
            previous(signum, frame)

        signal.signal(signal.SIGINT, on_interrupt)

    def _watch(self) -> None:
        if self._disarmed.wait(self.seconds):
            return
        print(f"themehub serve: stopping took longer than {self.seconds:g} s; leaving anyway. "
              "Where each thread was waiting (please report this):", file=sys.stderr, flush=True)
        faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
        sys.stderr.flush()
        print("stopped", flush=True)  # the last word, even when it was said before the exit stuck
        os._exit(0)
