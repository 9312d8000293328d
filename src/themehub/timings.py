"""Wall-clock time per pipeline stage (`build --timings`), and progress within a stage.

Stages report progress through `advance`; a listener (the CLI's progress line) decides whether
and how to show it, so the pipeline never writes to the terminal itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Listener = Callable[[str, int, int], None]
"""Called with (stage, items done, items in the stage); 0 of 0 when a stage starts."""


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)
    listener: Listener | None = None
    current: str = ""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        outer, self.current = self.current, name
        if self.listener is not None:
            self.listener(name, 0, 0)
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start
            self.current = outer

    def advance(self, done: int, total: int) -> None:
        """Items done so far in the current stage."""
        if self.listener is not None:
            self.listener(self.current, done, total)
