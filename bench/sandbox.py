#!/usr/bin/env python3
"""What the template sandbox costs: the same pages rendered with themehub's sandboxed environment and
with a plain Jinja environment, alternately, in one process, on one synthetic corpus.

    python bench/sandbox.py                  # 1,000 articles, 5 rounds
    python bench/sandbox.py --size 10000 --rounds 3

Only the render stage's "templates" time is compared, as CPU time of this process (less disturbed by
other work on a shared machine than wall time); markdown is cached after the first round and images
are not made. Both runs render every page from an empty page cache, in this process (one job), so
the difference is the sandbox's attribute and call checks alone. Writes bench/results/sandbox-<date>.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import jinja2
from results_file import save

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work"
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"


class PlainEnvironment(jinja2.Environment):
    """The environment themehub used before the sandbox: no checks on attributes or calls."""

    def __init__(self, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]


def templates_seconds(site: Path, sandboxed: bool, markdown: dict) -> float:  # type: ignore[type-arg]
    from themehub import build as build_module
    from themehub.render import templates
    from themehub.render.reuse import RenderCache
    from themehub.render.site import render_site
    from themehub.timings import Timings

    original = templates.ThemeSandbox
    if not sandboxed:
        templates.ThemeSandbox = PlainEnvironment  # type: ignore[misc, assignment]
    try:
        options = build_module.BuildOptions(site=site, now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
        loaded = build_module.load_site(options)
        assert loaded.hub is not None
        timings = Timings()
        with mock.patch("themehub.timings.time.perf_counter", time.process_time):
            render_site(loaded.hub, jobs=1, timings=timings, cache=RenderCache(markdown=markdown), images=False)
        return timings.stages["templates"]
    finally:
        templates.ThemeSandbox = original  # type: ignore[misc]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    corpus = WORK / f"sandbox-{args.size}"
    site = corpus / "themehub"  # the generator writes one folder per layout
    if not (site / "themehub.yaml").exists():
        subprocess.run([sys.executable, str(GEN), str(args.size), str(corpus), "--layout", "themehub"], check=True)
    markdown: dict = {}  # type: ignore[type-arg]
    templates_seconds(site, True, markdown)  # warm: markdown converted once, templates compiled
    times: dict[bool, list[float]] = {True: [], False: []}
    started = time.perf_counter()
    for _ in range(args.rounds):
        for sandboxed in (False, True):
            times[sandboxed].append(templates_seconds(site, sandboxed, markdown))
    plain, boxed = statistics.median(times[False]), statistics.median(times[True])
    lines = [
        f"Template sandbox cost, {args.size} articles, {args.rounds} rounds (median of each)",
        "",
        "| environment | templates stage (CPU) | each round |",
        "| --- | ---: | --- |",
        f"| plain `jinja2.Environment` | {plain:.2f} s | {', '.join(f'{t:.2f}' for t in times[False])} |",
        f"| `ThemeSandbox` (immutable sandbox + allow-list) | {boxed:.2f} s | "
        f"{', '.join(f'{t:.2f}' for t in times[True])} |",
        "",
        f"Ratio sandboxed / plain: **{boxed / plain:.2f}×** ({boxed - plain:+.2f} s); "
        f"bench ran {time.perf_counter() - started:.0f} s.",
        f"Command: `python bench/sandbox.py --size {args.size} --rounds {args.rounds}`",
    ]
    print("\n".join(lines))
    save("sandbox", "sandbox.py", "\n".join(lines), {"size": args.size, "plain": times[False],
                                                     "sandboxed": times[True], "ratio": boxed / plain})
    return 0


if __name__ == "__main__":
    sys.exit(main())
