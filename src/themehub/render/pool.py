"""One process pool per render, shared by markdown and images.

Markdown is foreground work: the pages wait for it. Images (share images, resized variants) are
background work: no page's HTML depends on their bytes, only on their names, so they are drawn
while the main process renders templates, and waited for just before the files are written.
The pool starts on first use: a warm rebuild that finds everything cached never forks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")
Advance = Callable[[int, int], None]

BACKGROUND_IN_POOL = 16
"""Fewer background tasks than this run in-process: forking would cost more than it saves."""


def _call(task: tuple[Callable[[Any], Any], Any]) -> Any:
    func, arg = task
    return func(arg)


class WorkPool:
    """`map` for foreground work, `background` + `wait` for work nothing waits for until the end."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._executor: ProcessPoolExecutor | None = None
        self._queued: list[tuple[Callable[[Any], Any], Any]] = []
        self._running: list[tuple[Future[list[Any]], int]] = []

    def __enter__(self) -> WorkPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # Imported here: a warm rebuild never forks, and multiprocessing cost it 16 ms of start-up.
            from concurrent.futures import ProcessPoolExecutor

            self._executor = ProcessPoolExecutor(max_workers=self.workers)
        return self._executor

    def map(self, func: Callable[[T], R], items: Sequence[T], *, parallel: bool = True,
            advance: Advance | None = None) -> list[R]:
        """`func` over `items`, in order; in the pool if `parallel` and there is more than one worker.
        Queued background work is started right after these items, so it never delays them."""
        if self.workers <= 1 or not parallel:
            results = []
            for item in items:
                results.append(func(item))
                if advance is not None:
                    advance(len(results), len(items))
            return results
        futures = [self._pool().submit(func, item) for item in items]
        self._start_background()
        results = []
        for future in futures:
            results.append(future.result())
            if advance is not None:
                advance(len(results), len(items))
        return results

    def background(self, func: Callable[[T], Any], arg: T) -> None:
        """Queue `func(arg)`; it runs with the next `map`, or at `wait` at the latest."""
        self._queued.append((func, arg))

    def _start_background(self) -> None:
        if self._queued and self.workers > 1 and (self._executor is not None
                                                  or len(self._queued) >= BACKGROUND_IN_POOL):
            pool = self._pool()
            # Chunks of a few tasks: fewer round trips, still an even spread over the workers.
            size = max(1, min(8, len(self._queued) // (self.workers * 4)))
            queued, self._queued = self._queued, []
            for i in range(0, len(queued), size):
                chunk = queued[i : i + size]
                self._running.append((pool.submit(_call_many, chunk), len(chunk)))

    def wait(self, advance: Advance | None = None) -> list[Any]:
        """Finish every background task; their results, in the order they were queued."""
        self._start_background()
        running, self._running = self._running, []
        queued, self._queued = self._queued, []
        total = len(queued) + sum(size for _, size in running)
        results: list[Any] = []
        for future, _ in running:
            results += future.result()
            if advance is not None:
                advance(len(results), total)
        for task in queued:
            results.append(_call(task))
            if advance is not None and len(results) % 20 == 0:
                advance(len(results), total)
        return results

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        self._queued, self._running = [], []


def _call_many(tasks: list[tuple[Callable[[Any], Any], Any]]) -> list[Any]:
    return [_call(task) for task in tasks]
