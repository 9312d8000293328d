"""`build --timings`: each stage counts its own time; a stage inside another (the search index, made
while the staging folder is committed) is not counted twice, so the stages add up to the whole."""

from __future__ import annotations

import pytest

from themehub import timings as timings_module
from themehub.timings import Timings


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_nested_stage_is_counted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(timings_module.time, "perf_counter", clock)
    timings = Timings()
    with timings.stage("write"):
        clock.now += 2.0
        with timings.stage("search"):
            clock.now += 5.0
            with timings.stage("index"):
                clock.now += 1.0
        clock.now += 0.5
    with timings.stage("write"):  # a stage entered again adds up
        clock.now += 1.0
    assert timings.stages == {"write": 3.5, "search": 5.0, "index": 1.0}
    assert sum(timings.stages.values()) == clock.now
