"""The progress line of long builds, and the process pool that markdown and images share."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from tests.helpers import NOW, copy_sample, in_one_language
from themehub.build import BuildOptions, build
from themehub.progress import ProgressLine
from themehub.render.pool import WorkPool


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_names_each_stage_and_counts_pages(tmp_path: Path) -> None:
    root = in_one_language(copy_sample(tmp_path / "hub"))  # one render, one count of pages
    terminal = Terminal()
    progress = ProgressLine(terminal, delay=0, interval=0)
    result = build(BuildOptions(site=root, now=NOW, search=False, jobs=1), progress)
    progress.clear()
    assert result.ok
    shown = terminal.getvalue()
    lines = [line.removeprefix("\x1b[K") for line in shown.split("\r") if line]
    for stage in ("reading content", "linking the hub", "rendering markdown", "rendering pages", "writing files"):
        assert f"building: {stage}" in lines
    counts = [tuple(map(int, m.groups())) for m in map(re.compile(r"building: rendering pages (\d+)/(\d+)").match,
                                                         lines) if m]
    # Every page but the hub report, which is rendered after the health checks.
    assert counts and all(0 < done <= total == result.pages - 1 for done, total in counts)
    assert shown.endswith("\r\x1b[K"), "the line is wiped before the summary is printed"


def test_no_progress_for_quick_builds_or_when_not_a_terminal(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "hub")
    quick, log = Terminal(), io.StringIO()
    build(BuildOptions(site=root, now=NOW, search=False, out=tmp_path / "a"), ProgressLine(quick, delay=3600))
    build(BuildOptions(site=root, now=NOW, search=False, out=tmp_path / "b"), ProgressLine(log, delay=0))
    assert quick.getvalue() == ""
    assert log.getvalue() == ""


def _square(n: int) -> int:
    return n * n


def _pid(_: object) -> int:
    return os.getpid()


def test_pool_returns_background_results_in_the_order_they_were_queued() -> None:
    with WorkPool(2) as pool:
        for n in range(40):
            pool.background(_square, n)
        assert pool.map(_square, [1, 2, 3]) == [1, 4, 9]
        assert pool.wait() == [n * n for n in range(40)]
        assert pool.wait() == []


def test_pool_with_one_worker_never_forks() -> None:
    with WorkPool(1) as pool:
        for n in range(40):
            pool.background(_pid, n)
        assert set(pool.map(_pid, list(range(100)))) == {os.getpid()}
        assert set(pool.wait()) == {os.getpid()}


def test_pool_forks_for_many_tasks_only() -> None:
    with WorkPool(2) as pool:
        assert set(pool.map(_pid, [1, 2], parallel=False)) == {os.getpid()}
        assert os.getpid() not in set(pool.map(_pid, list(range(8))))
