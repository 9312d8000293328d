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
    nested: float = 0.0
    """Time spent so far in stages inside the current one."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as `name`. A stage inside another counts for itself only (the search index,
        made while the staging folder is committed, is not counted in `write` too), so the stages add
        up to the whole."""
        start = time.perf_counter()
        outer, self.current = self.current, name
        outer_nested, self.nested = self.nested, 0.0
        if self.listener is not None:
            self.listener(name, 0, 0)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.stages[name] = self.stages.get(name, 0.0) + elapsed - self.nested
            self.current, self.nested = outer, outer_nested + elapsed

    def advance(self, done: int, total: int) -> None:
        """Items done so far in the current stage."""
        if self.listener is not None:
            self.listener(self.current, done, total)
